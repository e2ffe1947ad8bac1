package dev.pmux.testing;

import dev.pmux.exec.CommonsExecLauncher;
import dev.pmux.exec.LibcGroupKiller;
import dev.pmux.exec.SystemTimeline;
import dev.pmux.supervisor.SupervisorRuntime;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The production OS boundary for in-process tests: real launches, signals and timers. */
public final class RealRuntime {
  private RealRuntime() {}

  /** Children get {@code environment} (normally {@link ProcessLeaks#environment()}). */
  public static SupervisorRuntime create(
      Map<String, String> environment, ScheduledExecutorService scheduler) {
    return SupervisorRuntime.of(
        new CommonsExecLauncher(environment),
        new LibcGroupKiller(),
        new SystemTimeline(scheduler),
        scheduler,
        Executors.newSingleThreadExecutor());
  }
}
