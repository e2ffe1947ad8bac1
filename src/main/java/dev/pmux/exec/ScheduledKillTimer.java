package dev.pmux.exec;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link KillTimer} on a shared scheduler: stopping a thousand programs at once arms a thousand
 * tasks, not a thousand threads (a Commons Exec Watchdog starts one thread each).
 */
public final class ScheduledKillTimer implements KillTimer {
  private final ScheduledExecutorService scheduler;

  public ScheduledKillTimer(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public Armed arm(Duration delay, Runnable action) {
    ScheduledFuture<?> task = scheduler.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> task.cancel(false);
  }
}
