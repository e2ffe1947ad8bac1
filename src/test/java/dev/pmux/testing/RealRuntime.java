package dev.pmux.testing;

import dev.pmux.exec.CommonsExecLauncher;
import dev.pmux.exec.LibcGroupKiller;
import dev.pmux.exec.SystemTimeline;
import dev.pmux.supervisor.SupervisorRuntime;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The production OS boundary for in-process tests: real launches, signals and timers, and a
 * guardian for this JVM's children, as {@code Main} has.
 */
public final class RealRuntime {
  private RealRuntime() {}

  /** Children get {@code environment} (normally {@link ProcessLeaks#environment()}). */
  public static SupervisorRuntime create(
      Map<String, String> environment, ScheduledExecutorService scheduler) {
    return create(environment, scheduler, Executors.newSingleThreadExecutor());
  }

  /** As {@link #create(Map, ScheduledExecutorService)}, telling listeners on {@code events}. */
  public static SupervisorRuntime create(
      Map<String, String> environment, ScheduledExecutorService scheduler, Executor events) {
    return SupervisorRuntime.of(
        HarnessOrphanGuard.guarded(CommonsExecLauncher.forEnvironment(environment)),
        new LibcGroupKiller(),
        new SystemTimeline(scheduler),
        scheduler,
        events);
  }
}
