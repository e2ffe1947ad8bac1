package dev.pmux.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      0            | 0
      +0           | 0
      -0           | 0
      0s           | 0
      1ns          | 1
      1us          | 1000
      1µs          | 1000
      1μs          | 1000
      1ms          | 1000000
      1s           | 1000000000
      1m           | 60000000000
      1h           | 3600000000000
      300ms        | 300000000
      1.5s         | 1500000000
      .5s          | 500000000
      5.s          | 5000000000
      1.5h         | 5400000000000
      1h2m3.5s     | 3723500000000
      2h45m        | 9900000000000
      1.000000001s | 1000000001
      1.0000000009s| 1000000000
      -1.5s        | -1500000000
      +10ms        | 10000000
      1h1h         | 7200000000000
      9223372036854775807ns  | 9223372036854775807
      -9223372036854775808ns | -9223372036854775808
      2562047h47m16.854775807s | 9223372036854775807
      """)
  void parse_readsWhatGoReads(String text, long nanos) {
    assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "s", "-", "+", ".", ".s", "-.s", "1 s", " 1s", "1s ", "5d", "1S", "1e3s", "1,5s", "1.5",
        "10", "abc", "1s2", "1h-2m"
      })
  void parse_rejectsWhatGoRejects(String text) {
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9223372036854775808ns",
        "2562048h",
        "10000000000000000000s",
        "9223372036854775807ns1ns"
      })
  void parse_rejectsOverflow(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
    assertEquals(
        "duration \"" + text + "\" is out of range, the longest is 2562047h47m16.854775807s",
        e.getMessage());
  }

  @Test
  void parse_messagesSayWhatIsWrong() {
    assertEquals(
        "missing unit in duration \"10\", add a unit, e.g. 10s or 10ms",
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("10")).getMessage());
    assertEquals(
        "unknown unit \"d\" in duration \"5d\", expected one of ns, us, µs, ms, s, m, h",
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5d")).getMessage());
    assertEquals(
        "unknown unit \" s\" in duration \"1 s\", expected one of ns, us, µs, ms, s, m, h",
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1 s")).getMessage());
    assertEquals(
        "invalid duration \"\", expected a Go duration such as 300ms, 1.5s or 1m30s",
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("")).getMessage());
    assertEquals(
        "invalid duration \"s\", expected a Go duration such as 300ms, 1.5s or 1m30s",
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("s")).getMessage());
  }

  @ParameterizedTest(name = "{0} ns -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      0                    | 0s
      1                    | 1ns
      999                  | 999ns
      1000                 | 1µs
      1100                 | 1.1µs
      2200000              | 2.2ms
      100000000            | 100ms
      1500000000           | 1.5s
      4000000000           | 4s
      64000000000          | 1m4s
      90000000000          | 1m30s
      3600000000000        | 1h0m0s
      3723500000000        | 1h2m3.5s
      1000000001           | 1.000000001s
      -1500000000          | -1.5s
      -1                   | -1ns
      9223372036854775807  | 2562047h47m16.854775807s
      -9223372036854775808 | -2562047h47m16.854775808s
      """)
  void format_printsWhatGoPrints(long nanos, String expected) {
    assertEquals(expected, GoDuration.format(Duration.ofNanos(nanos)));
  }

  @Test
  void format_usesTheMicroSignLikeGo() {
    assertEquals("1.5\u00b5s", GoDuration.format(Duration.ofNanos(1500)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"1ns", "1.1µs", "2.2ms", "1.5s", "1m4s", "1h0m0s", "-1.5s", "100ms", "48h0m0s"})
  void formatThenParse_roundTrips(String text) {
    assertEquals(text, GoDuration.format(GoDuration.parse(text)));
  }
}
