package dev.pmux.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected texts are what Go 1.22's time.Format prints for the same instant and zone. */
class GoTimeLayoutTest {
  // 2024-05-01 was a Wednesday, the 122nd day of the year.
  private static final ZonedDateTime UTC =
      ZonedDateTime.of(2024, 5, 1, 10, 20, 30, 123_400_000, ZoneOffset.UTC);
  private static final ZonedDateTime PLUS_TWO =
      ZonedDateTime.of(2024, 5, 1, 22, 5, 7, 120_000_000, ZoneOffset.ofHours(2));
  private static final ZonedDateTime BERLIN =
      ZonedDateTime.of(2024, 5, 1, 10, 20, 30, 0, ZoneId.of("Europe/Berlin"));

  private static String format(String layout, ZonedDateTime t) {
    return GoTimeLayout.toFormatter(layout).format(t);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      ANSIC       | Wed May  1 10:20:30 2024
      UnixDate    | Wed May  1 10:20:30 UTC 2024
      RubyDate    | Wed May 01 10:20:30 +0000 2024
      RFC822      | 01 May 24 10:20 UTC
      RFC822Z     | 01 May 24 10:20 +0000
      RFC850      | Wednesday, 01-May-24 10:20:30 UTC
      RFC1123     | Wed, 01 May 2024 10:20:30 UTC
      RFC1123Z    | Wed, 01 May 2024 10:20:30 +0000
      RFC3339     | 2024-05-01T10:20:30Z
      RFC3339Nano | 2024-05-01T10:20:30.1234Z
      Kitchen     | 10:20AM
      Stamp       | May  1 10:20:30
      StampMilli  | May  1 10:20:30.123
      StampMicro  | May  1 10:20:30.123400
      StampNano   | May  1 10:20:30.123400000
      DateTime    | 2024-05-01 10:20:30
      DateOnly    | 2024-05-01
      TimeOnly    | 10:20:30
      Layout      | 05/01 10:20:30AM '24 +0000
      """)
  void namedLayouts_inUtc(String name, String expected) {
    assertEquals(expected, format(name, UTC));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      UnixDate    | Wed May  1 22:05:07 +0200 2024
      RubyDate    | Wed May 01 22:05:07 +0200 2024
      RFC3339     | 2024-05-01T22:05:07+02:00
      RFC3339Nano | 2024-05-01T22:05:07.12+02:00
      Kitchen     | 10:05PM
      StampMilli  | May  1 22:05:07.120
      """)
  void namedLayouts_inAFixedZoneWithoutName(String name, String expected) {
    assertEquals(expected, format(name, PLUS_TWO));
  }

  @Test
  void goToolExampleLayout_fixedMillisecondsAndZ() {
    String layout = "2006-01-02T15:04:05.000Z07:00";
    assertEquals("2024-05-01T10:20:30.123Z", format(layout, UTC));
    assertEquals("2024-05-01T22:05:07.120+02:00", format(layout, PLUS_TWO));
    assertEquals("2024-05-01T10:20:30.000+02:00", format(layout, BERLIN));
  }

  @Test
  void zoneAbbreviation_ofARegionZone() {
    assertEquals("Wed May  1 10:20:30 CEST 2024", format("UnixDate", BERLIN));
    assertEquals(
        "10:20:30 UTC", format("15:04:05 MST", UTC.withZoneSameInstant(ZoneId.of("Etc/UTC"))));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      January Jan 1 01                  | May May 5 05
      Monday Mon                        | Wednesday Wed
      2 02 _2 __2 002                   | 1 01  1 122 122
      15 3 03 4 04 5 05                 | 22 10 10 5 05 7 07
      PM pm                             | PM pm
      2006 06                           | 2024 24
      -0700 -07:00 -07 -070000 -07:00:00 | +0200 +02:00 +02 +020000 +02:00:00
      Z0700 Z07:00 Z07 Z070000 Z07:00:00 | +0200 +02:00 +02 +020000 +02:00:00
      05.000 05.999 05.9 05.000000000    | 07.120 07.12 07.1 07.120000000
      05,000 05,999                      | 07,120 07,12
      """)
  void everyElement_inAFixedZone(String layout, String expected) {
    assertEquals(expected, format(layout, PLUS_TWO));
  }

  @Test
  void zoneElements_printZInUtcOnlyForTheZForms() {
    assertEquals("Z Z Z +0000 +00:00 +00", format("Z0700 Z07:00 Z07 -0700 -07:00 -07", UTC));
  }

  @Test
  void trimmedFraction_disappearsWithItsPointWhenZero() {
    assertEquals("10:20:30 ok", format("15:04:05.999 ok", BERLIN));
    assertEquals("10:20:30.000 ok", format("15:04:05.000 ok", BERLIN));
  }

  @Test
  void literalText_passesThroughAndFollowsGosTokenRules() {
    // "Janet" and "Monument" are not month or weekday; 1 is always a month, "_2006" is "_" then the
    // year.
    assertEquals("Janet Monument 5 _2024 [x] T", format("Janet Monument 1 _2006 [x] T", PLUS_TWO));
    // A run of zeros followed by another digit is literal: ".0001" prints as is.
    assertEquals("07.0005", format("05.0001", PLUS_TWO));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yyyy-MM-dd HH:mm:ss", "%Y-%m-%d %H:%M:%S", "hello", "kitchen-sink"})
  void layoutsWithoutAnyElement_areRejected(String layout) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GoTimeLayout.toFormatter(layout));
    assertEquals(
        "layout \""
            + layout
            + "\" has no date or time element; Go layouts spell the reference time "
            + "Mon Jan 2 15:04:05 MST 2006, e.g. 2006-01-02 15:04:05.000 (not yyyy-MM-dd or %Y-%m-%d)",
        e.getMessage());
  }

  @Test
  void aNamedLayoutInTheWrongCase_getsAHint() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GoTimeLayout.toFormatter("kitchen"));
    assertEquals(
        "layout \"kitchen\" has no date or time element, did you mean 'Kitchen'?", e.getMessage());
  }

  @Test
  void emptyLayout_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> GoTimeLayout.toFormatter(""));
  }
}
