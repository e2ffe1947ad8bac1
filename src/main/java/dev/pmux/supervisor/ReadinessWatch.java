package dev.pmux.supervisor;

import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Readiness;
import dev.pmux.exec.Probes;
import dev.pmux.output.ProgramOutput;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches one run of a program until it is ready by its {@code ready:} check (a line of output, an
 * open port, a command that succeeds, or a delay), or until the check's timeout.
 */
final class ReadinessWatch {
  private static final long PORT_POLL_MILLIS = 100;
  private static final long EXEC_POLL_MILLIS = 250;
  // Probes block (a connect, a command); they never hold up launches or timers.
  private static final ExecutorService PROBES =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "pmux-readiness-probe");
            t.setDaemon(true);
            return t;
          });

  private final ProcessSpec spec;
  private final Readiness check;
  private final ProgramOutput output;
  private final ScheduledExecutorService scheduler;
  private final Runnable onReady;
  private final Runnable onTimeout;
  private volatile boolean done;
  private ScheduledFuture<?> poll;
  private ScheduledFuture<?> deadline;

  ReadinessWatch(
      ProcessSpec spec,
      ProgramOutput output,
      ScheduledExecutorService scheduler,
      Runnable onReady,
      Runnable onTimeout) {
    this.spec = spec;
    this.check = spec.ready();
    this.output = output;
    this.scheduler = scheduler;
    this.onReady = onReady;
    this.onTimeout = onTimeout;
  }

  synchronized void start() {
    deadline = scheduler.schedule(this::timedOut, check.timeout().toNanos(), TimeUnit.NANOSECONDS);
    switch (check.kind()) {
      case AFTER ->
          poll = scheduler.schedule(this::ready, check.after().toNanos(), TimeUnit.NANOSECONDS);
      case LOG ->
          output.watchLines(
              line -> {
                if (check.matchesLine(line)) {
                  ready();
                }
              });
      case PORT -> poll = every(PORT_POLL_MILLIS, () -> Probes.portOpen(check.port()));
      case EXEC ->
          poll =
              every(
                  EXEC_POLL_MILLIS,
                  () ->
                      Probes.commandSucceeds(
                          check.exec(),
                          spec.dir(),
                          Map.of("PMUX_PROCESS_NAME", spec.name()),
                          check.timeout().toMillis()));
    }
  }

  private ScheduledFuture<?> every(long millis, java.util.function.BooleanSupplier probe) {
    return scheduler.scheduleWithFixedDelay(
        () ->
            PROBES.execute(
                () -> {
                  if (!done && probe.getAsBoolean()) {
                    ready();
                  }
                }),
        0,
        millis,
        TimeUnit.MILLISECONDS);
  }

  private void ready() {
    if (finish()) {
      onReady.run();
    }
  }

  private void timedOut() {
    if (finish()) {
      onTimeout.run();
    }
  }

  /** Ends the watch; true for the one caller that ended it. */
  private synchronized boolean finish() {
    if (done) {
      return false;
    }
    done = true;
    if (poll != null) {
      poll.cancel(false);
    }
    if (deadline != null) {
      deadline.cancel(false);
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
