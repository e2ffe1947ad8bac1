package dev.pmux.supervisor;

import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.exec.Child;
import dev.pmux.exec.GroupUsage;
import dev.pmux.exec.GroupUsageTable;
import dev.pmux.exec.HandedChild;
import dev.pmux.exec.LaunchException;
import dev.pmux.output.ProgramOutput;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One supervised program as operators, the supervisor and JMX see it: its state, and what they may
 * ask of it. Its state is owned by a {@link StateOwner}; what its runs do to it, by {@link
 * ProgramRuns}; the requests here are the operator's transitions.
 */
public final class SupervisedProgram {
  private final ProgramOutput output;
  private final StateOwner state;
  private final ProgramRuns runs;
  private final ProgramSettings settings;
  private final SupervisorRuntime runtime;

  SupervisedProgram(ProcessSpec spec, ProgramOutput output, SupervisorRuntime runtime) {
    this.output = output;
    this.runtime = runtime;
    this.state = new StateOwner(spec.name(), output, runtime);
    this.settings = new ProgramSettings(spec);
    this.runs = new ProgramRuns(settings, state, output, runtime);
  }

  public String name() {
    return settings.spec().name();
  }

  public ProcessSpec spec() {
    return settings.spec();
  }

  /** The latest state; never blocks. */
  public ProcessSnapshot snapshot() {
    return state.snapshot();
  }

  /**
   * The pids of the program's processes outside its current process group (daemons that left it,
   * what its last run left), read now; empty under {@code killMode: group}.
   */
  public List<Long> strays() {
    return runs.processes().strays();
  }

  public void addListener(StateListener listener) {
    state.addListener(listener);
  }

  public void removeListener(StateListener listener) {
    state.removeListener(listener);
  }

  /** The last exits (at most {@link ExitHistory#SIZE}), oldest first. */
  public List<ExitRecord> recentExits() {
    return runs.exits().list();
  }

  /** The last {@code lines} lines this program printed (its output and its events). */
  public List<String> tail(int lines) {
    return output.tail(lines);
  }

  /** CPU time and resident memory of the program's whole process group, now. */
  public GroupUsage usage() {
    ProcessSnapshot now = state.snapshot();
    return now.pid() > 1 ? GroupUsageTable.read(now.pid()) : GroupUsage.NONE;
  }

  public RestartPolicy policy() {
    return settings.policy();
  }

  /** Whether pmux gave the program up after too many restarts (see {@code maxRestarts}). */
  public boolean hasGivenUp() {
    return state.snapshot().state() == ProcessState.FATAL;
  }

  /**
   * Starts the program now, from STOPPED, EXITED or FATAL, or at once from BACKOFF (cancelling the
   * pending restart); resets the backoff. Returns false, changing nothing, when it is already
   * starting, running or stopping, or pmux is shutting down.
   */
  public boolean start() {
    return state.decide(
        () -> {
          if (state.closed()) {
            return false;
          }
          switch (state.state()) {
            case STOPPED, EXITED, FATAL -> state.say("starting process");
            case BACKOFF -> runs.restarts().cancel();
            default -> {
              return false;
            }
          }
          runs.restarts().reset();
          runs.beginLaunch(); // STOPPED|EXITED|FATAL|BACKOFF -> STARTING
          return true;
        });
  }

  /**
   * Stops the program: {@code stopSignal} to its process group, SIGKILL to what is left once {@code
   * sigKillWait} has passed; from BACKOFF or FATAL, cancels the pending restart. Completes once it
   * is STOPPED and its group, and whatever earlier runs left behind, are empty.
   */
  public CompletableFuture<Void> stop() {
    return state.decide(
        () -> {
          switch (state.state()) {
            case RUNNING, STARTING -> runs.beginStop(); // -> STOPPING
            case BACKOFF, FATAL -> {
              runs.restarts().cancel();
              state.say("stopped process handler");
              state.changeState(ProcessState.STOPPED, s -> s); // BACKOFF|FATAL -> STOPPED
            }
            default -> {}
          }
          return runs.stopsOver();
        });
  }

  /**
   * Stops the program and starts it again; completes with whether the new start happened (false
   * when something else started it meanwhile).
   */
  public CompletableFuture<Boolean> restart() {
    return stop()
        .thenCompose(
            stopped ->
                start()
                    ? launchSettled().thenApply(launched -> true)
                    : CompletableFuture.completedFuture(false));
  }

  /**
   * Completes once the launch under way (if any) has succeeded or failed, so that an operator's
   * start can answer with what came of it.
   */
  public CompletableFuture<Void> launchSettled() {
    return state.decide(runs::launchSettled);
  }

  /**
   * Sends {@code signal} to the program's process group; returns false when it has no process. The
   * program's state follows from whatever the signal makes it do.
   */
  public boolean signal(Signal signal) {
    return state.decide(
        () -> {
          Child child = runs.child();
          if (child == null) {
            return false;
          }
          long pgid = child.pid();
          state.say("sending " + signal.goName() + " signal");
          state.then(
              () -> {
                SupervisionEvents.signalled(name(), pgid, signal.name());
                runtime.killer().signal(pgid, signal);
              });
          return true;
        });
  }

  /**
   * SIGKILLs the program's process groups at once, taking no lock: the escape hatch for a second
   * interrupt and for pmux's own exit. With {@code killMode: tree}, what is outside the groups is
   * found in a reading of the process list begun after {@code since}.
   */
  void kill(long since) {
    runs.processes().killAll(since);
  }

  /**
   * Applies a changed configuration: an active program is stopped and started again with it; a
   * stopped or exited one only keeps it for its next start. Counters carry over.
   */
  CompletableFuture<Void> reconfigure(ProcessSpec next) {
    if (next.equals(settings.spec())) {
      return CompletableFuture.completedFuture(null);
    }
    ProcessState before = state.snapshot().state();
    boolean active = before != ProcessState.STOPPED && before != ProcessState.EXITED;
    return stop()
        .thenRun(
            () -> {
              state.decide(() -> settings.configure(next));
              if (active) {
                start();
              }
            });
  }

  /** Runs {@code body} under this program's lock: nothing about it changes meanwhile. */
  <T> T holding(Supplier<T> body) {
    return state.decide(body);
  }

  /** See {@link ProgramRuns#handOver}; called under this program's lock ({@link #holding}). */
  @Nullable HandedProgram handOver(
      Map<Long, Integer> pidfds, Map<Integer, PolledPumps.FeedSink> pipes) {
    return runs.handOver(pidfds, pipes);
  }

  /**
   * Takes over this program from the pmux before an upgrade; a running child that cannot be taken
   * over is killed and the program started again.
   */
  void adopt(HandedProgram handed) {
    state.decide(
        () -> {
          HandedChild child = handed.child();
          Child adopted = null;
          if (child != null) {
            try {
              adopted = runtime.launcher().adopt(child);
            } catch (LaunchException | RuntimeException e) {
              state.say(
                  "cannot take over pid " + child.pid() + " (" + e.getMessage() + "): restarting");
              long pgid = child.pid();
              state.then(() -> runtime.killer().signal(pgid, Signal.KILL));
              runs.adopt(handed, null);
              state.update(s -> s.gone().in(ProcessState.EXITED));
              runs.beginLaunch();
              return;
            }
          }
          runs.adopt(handed, adopted);
        });
  }

  /** Refuses every later start: pmux is shutting down. */
  void close() {
    state.decide(state::close);
  }

  /** Prints {@code <name> ~ text}, e.g. an operator's request, in order with the transitions. */
  public void note(String text) {
    state.decide(() -> state.say(text));
  }

  /** Says, as this program's event, why it was not started. */
  void refuseStart(String why) {
    note("not starting: " + why);
  }

  /** Changes the running policy (never pmux.yml) and says so, e.g. "minWait set to 2s". */
  public void tune(UnaryOperator<RestartPolicy> change, String what) {
    state.decide(
        () -> {
          settings.tune(change);
          state.say(what);
        });
  }

  /** The next automatic restart waits minWait again, whatever the crash loop before. */
  public void resetBackoff() {
    state.decide(
        () -> {
          runs.restarts().reset();
          state.say("backoff reset");
        });
  }

  /** Epoch milliseconds since when the current run is ready; 0 when it is not. */
  public long readySince() {
    return state.decide(() -> runs.readiness().readySince());
  }

  /**
   * Completes when the program is ready (at once if it is); fails if its readiness check timed out.
   * What programs that depend on it wait for.
   */
  public CompletableFuture<Void> whenReady() {
    return state.decide(() -> runs.readiness().whenReady());
  }

  @Override
  public String toString() {
    ProcessSnapshot s = state.snapshot();
    return s.name() + " " + s.state() + (s.pid() > 0 ? " pid " + s.pid() : "");
  }
}
