package dev.pmux.config;

import org.jspecify.annotations.Nullable;

/** One element of a Go time layout, recognised exactly as Go's {@code nextStdChunk} does. */
final class LayoutChunk {
  enum Std {
    LONG_MONTH,
    MONTH,
    NUM_MONTH,
    ZERO_MONTH,
    LONG_WEEKDAY,
    WEEKDAY,
    DAY,
    UNDER_DAY,
    ZERO_DAY,
    UNDER_YEAR_DAY,
    ZERO_YEAR_DAY,
    HOUR,
    HOUR12,
    ZERO_HOUR12,
    MINUTE,
    ZERO_MINUTE,
    SECOND,
    ZERO_SECOND,
    LONG_YEAR,
    YEAR,
    PM,
    LOWER_PM,
    TZ,
    ISO_TZ,
    ISO_COLON_TZ,
    ISO_SHORT_TZ,
    ISO_SECONDS_TZ,
    ISO_COLON_SECONDS_TZ,
    NUM_TZ,
    NUM_COLON_TZ,
    NUM_SHORT_TZ,
    NUM_SECONDS_TZ,
    NUM_COLON_SECONDS_TZ,
    FRACTION_FIXED,
    FRACTION_TRIMMED
  }

  private static final Std[] ZERO_X = {
    Std.ZERO_MONTH, Std.ZERO_DAY, Std.ZERO_HOUR12, Std.ZERO_MINUTE, Std.ZERO_SECOND, Std.YEAR
  };

  final Std std;
  final int length;

  /**
   * Fractional digits printed, at most 9 as in Go (more nines or zeros in the layout print nothing
   * more).
   */
  final int digits;

  private LayoutChunk(Std std, int length, int digits) {
    this.std = std;
    this.length = length;
    this.digits = digits;
  }

  private static LayoutChunk of(Std std, int length) {
    return new LayoutChunk(std, length, 0);
  }

  /** The element starting at index {@code i}, or null when the character there is literal text. */
  static @Nullable LayoutChunk at(String layout, int i) {
    String rest = layout.substring(i);
    switch (layout.charAt(i)) {
      case 'J' -> {
        if (rest.startsWith("January")) {
          return of(Std.LONG_MONTH, 7);
        }
        if (rest.startsWith("Jan") && !lowerAt(rest, 3)) {
          return of(Std.MONTH, 3);
        }
        return null;
      }
      case 'M' -> {
        if (rest.startsWith("Monday")) {
          return of(Std.LONG_WEEKDAY, 6);
        }
        if (rest.startsWith("Mon") && !lowerAt(rest, 3)) {
          return of(Std.WEEKDAY, 3);
        }
        return rest.startsWith("MST") ? of(Std.TZ, 3) : null;
      }
      case '0' -> {
        if (rest.length() >= 2 && rest.charAt(1) >= '1' && rest.charAt(1) <= '6') {
          return of(ZERO_X[rest.charAt(1) - '1'], 2);
        }
        return rest.startsWith("002") ? of(Std.ZERO_YEAR_DAY, 3) : null;
      }
      case '1' -> {
        return rest.startsWith("15") ? of(Std.HOUR, 2) : of(Std.NUM_MONTH, 1);
      }
      case '2' -> {
        return rest.startsWith("2006") ? of(Std.LONG_YEAR, 4) : of(Std.DAY, 1);
      }
      case '_' -> {
        // "_2006" is a literal underscore followed by the year, as in Go.
        if (rest.startsWith("_2") && !rest.startsWith("_2006")) {
          return of(Std.UNDER_DAY, 2);
        }
        return rest.startsWith("__2") ? of(Std.UNDER_YEAR_DAY, 3) : null;
      }
      case '3' -> {
        return of(Std.HOUR12, 1);
      }
      case '4' -> {
        return of(Std.MINUTE, 1);
      }
      case '5' -> {
        return of(Std.SECOND, 1);
      }
      case 'P' -> {
        return rest.startsWith("PM") ? of(Std.PM, 2) : null;
      }
      case 'p' -> {
        return rest.startsWith("pm") ? of(Std.LOWER_PM, 2) : null;
      }
      case '-' -> {
        return zone(
            rest,
            '-',
            Std.NUM_SECONDS_TZ,
            Std.NUM_COLON_SECONDS_TZ,
            Std.NUM_TZ,
            Std.NUM_COLON_TZ,
            Std.NUM_SHORT_TZ);
      }
      case 'Z' -> {
        return zone(
            rest,
            'Z',
            Std.ISO_SECONDS_TZ,
            Std.ISO_COLON_SECONDS_TZ,
            Std.ISO_TZ,
            Std.ISO_COLON_TZ,
            Std.ISO_SHORT_TZ);
      }
      case '.', ',' -> {
        return fraction(rest);
      }
      default -> {
        return null;
      }
    }
  }

  private static @Nullable LayoutChunk zone(
      String rest, char c, Std seconds, Std colonSeconds, Std plain, Std colon, Std shortForm) {
    if (rest.startsWith(c + "070000")) {
      return of(seconds, 7);
    }
    if (rest.startsWith(c + "07:00:00")) {
      return of(colonSeconds, 9);
    }
    if (rest.startsWith(c + "0700")) {
      return of(plain, 5);
    }
    if (rest.startsWith(c + "07:00")) {
      return of(colon, 6);
    }
    return rest.startsWith(c + "07") ? of(shortForm, 3) : null;
  }

  private static @Nullable LayoutChunk fraction(String rest) {
    if (rest.length() < 2 || (rest.charAt(1) != '0' && rest.charAt(1) != '9')) {
      return null;
    }
    char digit = rest.charAt(1);
    int j = 1;
    while (j < rest.length() && rest.charAt(j) == digit) {
      j++;
    }
    // Go: only a fraction when the run of digits ends there (".0001" is literal text).
    if (j < rest.length() && rest.charAt(j) >= '0' && rest.charAt(j) <= '9') {
      return null;
    }
    Std std = digit == '0' ? Std.FRACTION_FIXED : Std.FRACTION_TRIMMED;
    return new LayoutChunk(std, j, Math.min(j - 1, 9));
  }

  private static boolean lowerAt(String s, int i) {
    return i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z';
  }
}
