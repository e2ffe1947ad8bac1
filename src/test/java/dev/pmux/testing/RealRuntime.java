package dev.pmux.testing;

import dev.pmux.exec.CommonsExecLauncher;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.ScheduledKillTimer;
import dev.pmux.supervisor.SupervisorRuntime;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The production OS boundary for in-process tests: real launches, signals and timers. */
public final class RealRuntime {
  private RealRuntime() {}

  /** Children get {@code environment} (normally {@link ProcessLeaks#environment()}). */
  public static SupervisorRuntime create(
      Map<String, String> environment, ScheduledExecutorService scheduler) {
    return new SupervisorRuntime(
        new CommonsExecLauncher(environment),
        new ProcessGroupKiller(),
        new ScheduledKillTimer(scheduler),
        scheduler,
        Executors.newSingleThreadExecutor(),
        Clock.systemUTC());
  }
}
