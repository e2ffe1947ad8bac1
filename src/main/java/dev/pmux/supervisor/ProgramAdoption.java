package dev.pmux.supervisor;

import dev.pmux.exec.Child;
import dev.pmux.output.Channel;
import dev.pmux.output.ProgramOutput;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Takes one program over from the pmux before an upgrade, under its lock: the same snapshot,
 * counters, tuned policy, recent exits and backoff, and its running child as the current run,
 * without a launch. The state comes as it was handed; the runs' owner goes on from there.
 */
final class ProgramAdoption {
  private final StateOwner state;
  private final ProgramSettings settings;
  private final ProgramOutput output;
  private final SupervisorRuntime runtime;
  private final ExitHistory exits;
  private final RestartSchedule restarts;
  private final ReadinessGate readiness;

  ProgramAdoption(
      StateOwner state,
      ProgramSettings settings,
      ProgramOutput output,
      SupervisorRuntime runtime,
      ExitHistory exits,
      RestartSchedule restarts,
      ReadinessGate readiness) {
    this.state = state;
    this.settings = settings;
    this.output = output;
    this.runtime = runtime;
    this.exits = exits;
    this.restarts = restarts;
    this.readiness = readiness;
  }

  /**
   * Restores {@code handed}; returns the run of {@code child} (null when it had none), which the
   * caller makes current and watches. A program handed in BACKOFF gets its pending restart, due
   * when it was, through {@code restartDue}.
   */
  @Nullable Run restore(HandedProgram handed, @Nullable Child child, LongConsumer restartDue) {
    settings.tune(p -> handed.policy());
    handed.exits().forEach(exits::add);
    restarts.resumeBackoff(Duration.ofNanos(handed.backoffNanos()));
    state.update(s -> handed.snapshot());
    if (child == null) {
      if (handed.snapshot().state() == ProcessState.BACKOFF) {
        restarts.arm(runtime.timeline(), Duration.ofNanos(handed.restartInNanos()), restartDue);
      }
      return null;
    }
    Run adopted = new Run();
    adopted.child = child;
    adopted.startedNanos = handed.startedNanos();
    adopted.launched.complete(null);
    output.carryOver(Channel.STDOUT, handed.stdoutUnfinished());
    output.carryOver(Channel.STDERR, handed.stderrUnfinished());
    readiness.runStarted(settings.spec(), runtime.timeline().epochMillis());
    return adopted;
  }
}
