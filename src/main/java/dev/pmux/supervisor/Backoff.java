package dev.pmux.supervisor;

import java.time.Duration;

/**
 * The Go tool's restart delay: {@code wait = 2*wait - took}, truncated to milliseconds, then held
 * within {@code [minWait, maxWait]}. A program that ran longer than twice the last wait starts over
 * at {@code minWait}; a crash loop doubles up to {@code maxWait}.
 */
public final class Backoff {
  private Backoff() {}

  /** The delay before the next start, given the previous delay and how long the run lasted. */
  public static Duration next(
      Duration previous, Duration took, Duration minWait, Duration maxWait) {
    long nanos = saturatedSubtract(saturatedDouble(previous.toNanos()), took.toNanos());
    // Go's Duration.Truncate rounds toward zero, as Java's integer division does.
    Duration wait = Duration.ofMillis(nanos / 1_000_000L);
    if (wait.compareTo(minWait) < 0) {
      return minWait;
    }
    if (wait.compareTo(maxWait) > 0) {
      return maxWait;
    }
    return wait;
  }

  private static long saturatedDouble(long n) {
    return n > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : n * 2;
  }

  private static long saturatedSubtract(long a, long b) {
    long r = a - b;
    return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }
}
