package dev.pmux.config;

import java.time.Duration;

/**
 * Go's {@code time.ParseDuration} and {@code Duration.String()}, exactly, so that configs written
 * for the Go tool read the same and pmux's event lines ({@code will restart process in 1m4s}) print
 * the same.
 */
public final class GoDuration {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final String EXAMPLES = "such as 300ms, 1.5s or 1m30s";

  private GoDuration() {}

  /**
   * Parses a signed sequence of decimal numbers, each with an optional fraction and a unit (ns, us,
   * µs, ms, s, m, h), such as {@code 300ms}, {@code -1.5h} or {@code 2h45m}; a bare {@code 0} is
   * allowed.
   *
   * @throws IllegalArgumentException with a message fit for users when the text is not a Go
   *     duration
   */
  public static Duration parse(String s) {
    if (s == null) {
      throw new IllegalArgumentException(
          "invalid duration: none given, expected a Go duration " + EXAMPLES);
    }
    String orig = s;
    int i = 0;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == s.length()) {
      throw invalid(orig);
    }
    // Unsigned magnitude in nanoseconds, as Go's uint64 accumulator; it may reach 2^63 only for a
    // negative result.
    long total = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!(c == '.' || isDigit(c))) {
        throw invalid(orig);
      }
      int start = i;
      long whole = 0;
      while (i < s.length() && isDigit(s.charAt(i))) {
        if (Long.compareUnsigned(whole, Long.MIN_VALUE / 10 * -1) > 0) {
          throw outOfRange(orig);
        }
        whole = whole * 10 + (s.charAt(i) - '0');
        if (Long.compareUnsigned(whole, Long.MIN_VALUE) > 0) {
          throw outOfRange(orig);
        }
        i++;
      }
      boolean pre = i != start;
      long frac = 0;
      double scale = 1;
      boolean post = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fracStart = i;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
          if (!overflow) {
            int digit = s.charAt(i) - '0';
            if (frac > (Long.MAX_VALUE - digit) / 10) {
              overflow = true;
            } else {
              frac = frac * 10 + digit;
              scale *= 10;
            }
          }
          i++;
        }
        post = i != fracStart;
      }
      if (!pre && !post) {
        throw invalid(orig);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      if (i == unitStart) {
        throw new IllegalArgumentException(
            "missing unit in duration \""
                + orig
                + "\", add a unit, e.g. "
                + orig
                + "s or "
                + orig
                + "ms");
      }
      String unitText = s.substring(unitStart, i);
      long unit = unitNanos(unitText);
      if (unit == 0) {
        throw new IllegalArgumentException(
            "unknown unit \""
                + unitText
                + "\" in duration \""
                + orig
                + "\", expected one of ns, us, µs, ms, s, m, h");
      }
      if (Long.compareUnsigned(whole, Long.divideUnsigned(Long.MIN_VALUE, unit)) > 0) {
        throw outOfRange(orig);
      }
      long v = whole * unit;
      if (frac > 0) {
        // Go computes the fraction in float64 too; doing the same keeps results identical to the
        // nanosecond.
        v += (long) (frac * (unit / scale));
        if (Long.compareUnsigned(v, Long.MIN_VALUE) > 0) {
          throw outOfRange(orig);
        }
      }
      total += v;
      if (Long.compareUnsigned(total, Long.MIN_VALUE) > 0) {
        throw outOfRange(orig);
      }
    }
    if (neg) {
      return Duration.ofNanos(-total);
    }
    if (total < 0) {
      throw outOfRange(orig);
    }
    return Duration.ofNanos(total);
  }

  /**
   * Formats as Go's {@code Duration.String()}: {@code 0s}, {@code 1.1µs}, {@code 100ms}, {@code
   * 1.5s}, {@code 1m4s}, {@code 1h0m0s}, {@code -1.5s}. Durations beyond Go's range (about 292
   * years) are formatted the same way.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    boolean neg = d.isNegative();
    Duration abs = d.abs();
    StringBuilder out = new StringBuilder(24);
    if (neg) {
      out.append('-');
    }
    long seconds = abs.getSeconds();
    int nanos = abs.getNano();
    if (seconds == 0) {
      if (nanos < 1_000) {
        return out.append(nanos).append("ns").toString();
      }
      if (nanos < 1_000_000) {
        return appendFraction(out.append(nanos / 1_000), nanos % 1_000, 3).append("µs").toString();
      }
      return appendFraction(out.append(nanos / 1_000_000), nanos % 1_000_000, 6)
          .append("ms")
          .toString();
    }
    long hours = seconds / 3600;
    long minutes = seconds / 60 % 60;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    return appendFraction(out.append(seconds % 60), nanos, 9).append('s').toString();
  }

  private static StringBuilder appendFraction(StringBuilder out, long fraction, int digits) {
    if (fraction == 0) {
      return out;
    }
    String padded = String.format("%0" + digits + "d", fraction);
    int end = padded.length();
    while (padded.charAt(end - 1) == '0') {
      end--;
    }
    return out.append('.').append(padded, 0, end);
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      // The micro sign, as Go prints, and the Greek small letter mu, which Go accepts as well.
      case "us", "\u00b5s", "\u03bcs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> NANOS_PER_SECOND;
      case "m" -> 60 * NANOS_PER_SECOND;
      case "h" -> 3600 * NANOS_PER_SECOND;
      default -> 0;
    };
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String orig) {
    return new IllegalArgumentException(
        "invalid duration \"" + orig + "\", expected a Go duration " + EXAMPLES);
  }

  private static IllegalArgumentException outOfRange(String orig) {
    return new IllegalArgumentException(
        "duration \"" + orig + "\" is out of range, the longest is 2562047h47m16.854775807s");
  }
}
