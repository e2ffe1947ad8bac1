package dev.pmux.supervisor;

import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Readiness;
import dev.pmux.exec.DaemonThreads;
import dev.pmux.exec.Probes;
import dev.pmux.exec.Timeline;
import dev.pmux.output.ProgramOutput;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Watches one run of a program until it is ready by its {@code ready:} check (a line of output, an
 * open port, a command that succeeds, or a delay), or until the check's timeout; tells its owner
 * once, either way.
 */
final class ReadinessWatch {
  private static final Duration PORT_POLL = Duration.ofMillis(100);
  private static final Duration EXEC_POLL = Duration.ofMillis(250);
  // Probes block (a connect, a command); they never hold up launches or timers.
  private static final ExecutorService PROBES =
      Executors.newCachedThreadPool(DaemonThreads.named("pmux-readiness-probe"));

  private final ProcessSpec spec;
  private final Readiness check;
  private final ProgramOutput output;
  private final Timeline timeline;
  private final Consumer<ReadinessWatch> onReady;
  private final Consumer<ReadinessWatch> onTimeout;
  private boolean done; // guarded by this
  private Timeline.@Nullable Timer poll; // guarded by this
  private Timeline.@Nullable Timer deadline; // guarded by this

  ReadinessWatch(
      ProcessSpec spec,
      ProgramOutput output,
      Timeline timeline,
      Consumer<ReadinessWatch> onReady,
      Consumer<ReadinessWatch> onTimeout) {
    this.spec = spec;
    this.check = Objects.requireNonNull(spec.ready(), "a program with a ready: check");
    this.output = output;
    this.timeline = timeline;
    this.onReady = onReady;
    this.onTimeout = onTimeout;
  }

  synchronized void start() {
    if (done) {
      return;
    }
    deadline = timeline.schedule(check.timeout(), this::timedOut);
    switch (check.kind()) {
      case AFTER -> poll = timeline.schedule(Objects.requireNonNull(check.after()), this::ready);
      case LOG ->
          output.watchLines(
              line -> {
                if (check.matchesLine(line)) {
                  ready();
                }
              });
      case PORT -> every(PORT_POLL, () -> Probes.portOpen(check.port()));
      case EXEC ->
          every(
              EXEC_POLL,
              () ->
                  Probes.commandSucceeds(
                      check.exec(),
                      spec.dir(),
                      Map.of("PMUX_PROCESS_NAME", spec.name()),
                      check.timeout().toMillis()));
    }
  }

  /** Probes now, on the probe pool, and again {@code period} after each probe that failed. */
  private void every(Duration period, BooleanSupplier probe) {
    PROBES.execute(
        () -> {
          if (isDone()) {
            return;
          }
          if (probe.getAsBoolean()) {
            ready();
            return;
          }
          synchronized (this) {
            if (!done) {
              poll = timeline.schedule(period, () -> every(period, probe));
            }
          }
        });
  }

  private synchronized boolean isDone() {
    return done;
  }

  private void ready() {
    if (finish()) {
      onReady.accept(this);
    }
  }

  private void timedOut() {
    if (finish()) {
      onTimeout.accept(this);
    }
  }

  /** Ends the watch; true for the one caller that ended it. */
  private synchronized boolean finish() {
    if (done) {
      return false;
    }
    done = true;
    if (poll != null) {
      poll.cancel();
    }
    if (deadline != null) {
      deadline.cancel();
    }
    if (check.kind() == Readiness.Kind.LOG) {
      output.watchLines(null);
    }
    return true;
  }

  void cancel() {
    finish();
  }
}
