package dev.pmux.config;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DecimalStyle;
import java.time.format.SignStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Translates a Go reference-time layout ({@code 2006-01-02T15:04:05.000Z07:00}) or one of Go's
 * named layouts ({@code RFC3339}, {@code Kitchen}, ...) into a {@link DateTimeFormatter} that
 * prints what Go's {@code Format} prints for the same instant and zone. Format a {@code
 * ZonedDateTime} or {@code OffsetDateTime} with it.
 *
 * <p>{@code MST} prints the zone's abbreviation from Java's zone names ({@code CEST}, {@code UTC});
 * where the tz database has none (Go prints {@code -03} for America/Sao_Paulo) Java's name may
 * differ.
 */
public final class GoTimeLayout {
  private static final Map<String, String> NAMED =
      Map.ofEntries(
          Map.entry("Layout", "01/02 03:04:05PM '06 -0700"),
          Map.entry("ANSIC", "Mon Jan _2 15:04:05 2006"),
          Map.entry("UnixDate", "Mon Jan _2 15:04:05 MST 2006"),
          Map.entry("RubyDate", "Mon Jan 02 15:04:05 -0700 2006"),
          Map.entry("RFC822", "02 Jan 06 15:04 MST"),
          Map.entry("RFC822Z", "02 Jan 06 15:04 -0700"),
          Map.entry("RFC850", "Monday, 02-Jan-06 15:04:05 MST"),
          Map.entry("RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"),
          Map.entry("RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"),
          Map.entry("RFC3339", "2006-01-02T15:04:05Z07:00"),
          Map.entry("RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00"),
          Map.entry("Kitchen", "3:04PM"),
          Map.entry("Stamp", "Jan _2 15:04:05"),
          Map.entry("StampMilli", "Jan _2 15:04:05.000"),
          Map.entry("StampMicro", "Jan _2 15:04:05.000000"),
          Map.entry("StampNano", "Jan _2 15:04:05.000000000"),
          Map.entry("DateTime", "2006-01-02 15:04:05"),
          Map.entry("DateOnly", "2006-01-02"),
          Map.entry("TimeOnly", "15:04:05"));

  private static final String[] MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  };
  private static final String[] DAYS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
  };

  private GoTimeLayout() {}

  /**
   * The formatter for a Go layout or a Go layout constant's name.
   *
   * @throws IllegalArgumentException when the layout is empty or has no date or time element (e.g.
   *     a Java or strftime pattern)
   */
  public static DateTimeFormatter toFormatter(String layout) {
    if (layout == null || layout.isEmpty()) {
      throw new IllegalArgumentException(
          "empty layout, expected a Go time layout such as "
              + "2006-01-02T15:04:05.000Z07:00 or a name such as RFC3339");
    }
    String goLayout = NAMED.getOrDefault(layout, layout);
    DateTimeFormatterBuilder b = new DateTimeFormatterBuilder();
    Character fractionSeparator = null;
    int elements = 0;
    int i = 0;
    while (i < goLayout.length()) {
      LayoutChunk chunk = LayoutChunk.at(goLayout, i);
      if (chunk == null) {
        b.appendLiteral(goLayout.charAt(i));
        i++;
        continue;
      }
      if (chunk.std == LayoutChunk.Std.FRACTION_TRIMMED) {
        char separator = goLayout.charAt(i);
        if (fractionSeparator != null && fractionSeparator != separator) {
          throw new IllegalArgumentException(
              "layout \"" + layout + "\" mixes '.' and ',' in trimmed fractions");
        }
        fractionSeparator = separator;
      }
      append(b, chunk, goLayout.charAt(i));
      elements++;
      i += chunk.length;
    }
    if (elements == 0) {
      throw new IllegalArgumentException(noElementMessage(layout));
    }
    DateTimeFormatter formatter = b.toFormatter(Locale.ROOT);
    if (fractionSeparator != null && fractionSeparator == ',') {
      // Only a trimmed fraction prints the decimal separator itself; Java takes it from the decimal
      // style.
      formatter = formatter.withDecimalStyle(DecimalStyle.STANDARD.withDecimalSeparator(','));
    }
    return formatter;
  }

  private static String noElementMessage(String layout) {
    for (String name : NAMED.keySet()) {
      if (name.equalsIgnoreCase(layout)) {
        return "layout \""
            + layout
            + "\" has no date or time element, did you mean '"
            + name
            + "'?";
      }
    }
    return "layout \""
        + layout
        + "\" has no date or time element; Go layouts spell the reference time "
        + "Mon Jan 2 15:04:05 MST 2006, e.g. 2006-01-02 15:04:05.000 (not yyyy-MM-dd or %Y-%m-%d)";
  }

  private static void append(DateTimeFormatterBuilder b, LayoutChunk chunk, char first) {
    switch (chunk.std) {
      case LONG_MONTH -> b.appendText(ChronoField.MONTH_OF_YEAR, names(MONTHS, Integer.MAX_VALUE));
      case MONTH -> b.appendText(ChronoField.MONTH_OF_YEAR, names(MONTHS, 3));
      case NUM_MONTH -> b.appendValue(ChronoField.MONTH_OF_YEAR);
      case ZERO_MONTH -> b.appendValue(ChronoField.MONTH_OF_YEAR, 2);
      case LONG_WEEKDAY -> b.appendText(ChronoField.DAY_OF_WEEK, names(DAYS, Integer.MAX_VALUE));
      case WEEKDAY -> b.appendText(ChronoField.DAY_OF_WEEK, names(DAYS, 3));
      case DAY -> b.appendValue(ChronoField.DAY_OF_MONTH);
      case UNDER_DAY -> b.padNext(2, ' ').appendValue(ChronoField.DAY_OF_MONTH);
      case ZERO_DAY -> b.appendValue(ChronoField.DAY_OF_MONTH, 2);
      case UNDER_YEAR_DAY -> b.padNext(3, ' ').appendValue(ChronoField.DAY_OF_YEAR);
      case ZERO_YEAR_DAY -> b.appendValue(ChronoField.DAY_OF_YEAR, 3);
      case HOUR -> b.appendValue(ChronoField.HOUR_OF_DAY, 2);
      case HOUR12 -> b.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM);
      case ZERO_HOUR12 -> b.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM, 2);
      case MINUTE -> b.appendValue(ChronoField.MINUTE_OF_HOUR);
      case ZERO_MINUTE -> b.appendValue(ChronoField.MINUTE_OF_HOUR, 2);
      case SECOND -> b.appendValue(ChronoField.SECOND_OF_MINUTE);
      case ZERO_SECOND -> b.appendValue(ChronoField.SECOND_OF_MINUTE, 2);
      case LONG_YEAR -> b.appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL);
      case YEAR -> b.appendValueReduced(ChronoField.YEAR, 2, 2, 2000);
      case PM -> b.appendText(ChronoField.AMPM_OF_DAY, Map.of(0L, "AM", 1L, "PM"));
      case LOWER_PM -> b.appendText(ChronoField.AMPM_OF_DAY, Map.of(0L, "am", 1L, "pm"));
      case TZ -> {
        Map<Long, String> nothing = Map.of(0L, "");
        b.optionalStart()
            .appendText(ZoneKind.REGION, nothing)
            .appendZoneText(TextStyle.SHORT)
            .optionalEnd();
        b.optionalStart().appendText(ZoneKind.ZERO_OFFSET, Map.of(0L, "UTC")).optionalEnd();
        b.optionalStart()
            .appendText(ZoneKind.OTHER_OFFSET, nothing)
            .appendOffset("+HHMM", "+0000")
            .optionalEnd();
      }
      case ISO_TZ -> b.appendOffset("+HHMM", "Z");
      case ISO_COLON_TZ -> b.appendOffset("+HH:MM", "Z");
      case ISO_SHORT_TZ -> b.appendOffset("+HH", "Z");
      case ISO_SECONDS_TZ -> b.appendOffset("+HHMMSS", "Z");
      case ISO_COLON_SECONDS_TZ -> b.appendOffset("+HH:MM:SS", "Z");
      case NUM_TZ -> b.appendOffset("+HHMM", "+0000");
      case NUM_COLON_TZ -> b.appendOffset("+HH:MM", "+00:00");
      case NUM_SHORT_TZ -> b.appendOffset("+HH", "+00");
      case NUM_SECONDS_TZ -> b.appendOffset("+HHMMSS", "+000000");
      case NUM_COLON_SECONDS_TZ -> b.appendOffset("+HH:MM:SS", "+00:00:00");
      case FRACTION_FIXED ->
          b.appendLiteral(first)
              .appendFraction(ChronoField.NANO_OF_SECOND, chunk.digits, chunk.digits, false);
      case FRACTION_TRIMMED -> b.appendFraction(ChronoField.NANO_OF_SECOND, 0, chunk.digits, true);
      default -> throw new AssertionError(chunk.std);
    }
  }

  private static Map<Long, String> names(String[] full, int length) {
    Map<Long, String> map = new HashMap<>();
    for (int i = 0; i < full.length; i++) {
      map.put(i + 1L, full[i].substring(0, Math.min(length, full[i].length())));
    }
    return map;
  }
}
