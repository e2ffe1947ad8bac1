package dev.pmux.exec;

import java.time.Duration;

/**
 * Time and timers for supervision: the one place where supervision meets the clock, so that tests
 * can drive every delay (backoff, SIGKILL deadline, readiness timeout) without waiting.
 */
public interface Timeline {
  /** A monotonic reading in nanoseconds, for durations. */
  long nanoTime();

  /** The wall clock in epoch milliseconds, for timestamps shown to people. */
  long epochMillis();

  /** Runs {@code task} once after {@code delay} (at once when it is not positive). */
  Timer schedule(Duration delay, Runnable task);

  /** A scheduled task. */
  interface Timer {
    /** Keeps the task from running; a no-op once it has run. */
    void cancel();
  }
}
