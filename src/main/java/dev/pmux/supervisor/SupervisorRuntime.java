package dev.pmux.supervisor;

import dev.pmux.exec.KillTimer;
import dev.pmux.exec.Launcher;
import dev.pmux.exec.ProcessGroupKiller;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every supervised program shares: the OS boundary (launcher, group signals, forced-kill
 * timer), the scheduler for restart delays, the executor that runs launches (a launch blocks for
 * milliseconds, so several run at once), the clock, and the executor that delivers state changes.
 */
public record SupervisorRuntime(
    Launcher launcher,
    ProcessGroupKiller killer,
    KillTimer killTimer,
    ScheduledExecutorService scheduler,
    Executor launches,
    Executor notifications,
    Clock clock) {

  /** A runtime whose launches run on the scheduler's thread. */
  public SupervisorRuntime(
      Launcher launcher,
      ProcessGroupKiller killer,
      KillTimer killTimer,
      ScheduledExecutorService scheduler,
      Executor notifications,
      Clock clock) {
    this(launcher, killer, killTimer, scheduler, scheduler, notifications, clock);
  }
}
