package dev.pmux.exec;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Timeline} of the running pmux: the JVM's clocks and a shared scheduler, on which a
 * thousand pending SIGKILL deadlines are a thousand tasks, not a thousand threads.
 */
public final class SystemTimeline implements Timeline {
  private final ScheduledExecutorService scheduler;

  public SystemTimeline(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long epochMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = scheduler.schedule(task, saturatedNanos(delay), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** A delay beyond about 292 years is as good as never; it must not throw. */
  static long saturatedNanos(Duration delay) {
    if (delay.isNegative()) {
      return 0;
    }
    try {
      return delay.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
