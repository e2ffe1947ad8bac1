package dev.pmux.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFormatTest {
  private static String prefix(LineFormat format, String name, Channel channel) {
    return new String(
        format.prefix(name.getBytes(StandardCharsets.UTF_8), channel), StandardCharsets.UTF_8);
  }

  @Test
  void padsToTheLongestNamePlusOneAsTheGoTool() {
    LineFormat format = new LineFormat(null, Clock.systemUTC());
    format.widenFor(List.of("a", "long-name-proc"));
    assertThat(prefix(format, "a", Channel.STDOUT)).isEqualTo("a              › ");
    assertThat(prefix(format, "long-name-proc", Channel.STDERR)).isEqualTo("long-name-proc » ");
    assertThat(prefix(format, "pmux", Channel.EVENT)).isEqualTo("pmux           ~ ");
  }

  @Test
  void shortNamesStillPadToPmuxWidth() {
    LineFormat format = new LineFormat(null, Clock.systemUTC());
    format.widenFor(List.of("p"));
    assertThat(prefix(format, "p", Channel.EVENT)).isEqualTo("p    ~ ");
    assertThat(prefix(format, "pmux", Channel.EVENT)).isEqualTo("pmux ~ ");
  }

  @Test
  void countsNameWidthInBytesLikeGo() {
    LineFormat format = new LineFormat(null, Clock.systemUTC());
    format.widenFor(List.of("héllo"));
    assertThat(prefix(format, "a", Channel.STDOUT)).isEqualTo("a      › ");
  }

  @Test
  void widthNeverShrinks() {
    LineFormat format = new LineFormat(null, Clock.systemUTC());
    format.widenFor(List.of("long-name"));
    format.widenFor(List.of("x"));
    assertThat(prefix(format, "x", Channel.STDOUT)).isEqualTo("x         › ");
  }

  @Test
  void timestampComesFirstWithTheSameSeparator() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T13:37:07.192Z"), ZoneId.of("UTC"));
    LineFormat format =
        new LineFormat(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX"), clock);
    format.widenFor(List.of("a", "long-name-proc"));
    assertThat(prefix(format, "a", Channel.STDOUT))
        .isEqualTo("2026-11-26T13:37:07.192Z › a              › ");
    assertThat(prefix(format, "pmux", Channel.EVENT))
        .isEqualTo("2026-11-26T13:37:07.192Z ~ pmux           ~ ");
  }

  @Test
  void colouredNamesKeepThePaddingOfThePlainOnes() {
    LineFormat format = new LineFormat(null, Clock.systemUTC(), true, false);
    format.widenFor(List.of("a", "long-name-proc"));
    int colour = LineFormat.colourOf("a".getBytes(StandardCharsets.UTF_8));
    assertThat(prefix(format, "a", Channel.STDOUT))
        .isEqualTo("\u001b[" + colour + "ma\u001b[0m              › ");
    assertThat(prefix(format, "a", Channel.STDERR))
        .as("stderr is not a terminal here")
        .isEqualTo("a              » ");
  }

  @Test
  void aNameAlwaysGetsTheSameColour() {
    byte[] web = "web".getBytes(StandardCharsets.UTF_8);
    assertThat(LineFormat.colourOf(web))
        .isEqualTo(LineFormat.colourOf("web".getBytes(StandardCharsets.UTF_8)));
  }
}
