package dev.pmux.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The longest duration any pmux setting may hold, the same in pmux.yml and over JMX: longer waits
 * are mistakes, and a bound keeps every deadline computed from a setting far from overflow.
 */
public final class DurationBound {
  /** 24 hours, documented in the README. */
  public static final Duration MAX = Duration.ofHours(24);

  private DurationBound() {}

  /** Why {@code d} is refused, or null when it is within the bound. */
  public static @Nullable String excess(Duration d) {
    if (d.compareTo(MAX) <= 0) {
      return null;
    }
    return "must be at most "
        + GoDuration.format(MAX)
        + " ("
        + MAX.toMillis()
        + " ms), was "
        + GoDuration.format(d);
  }
}
