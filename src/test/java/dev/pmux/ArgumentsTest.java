package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArgumentsTest {
  @Test
  void configAndPidFile_areRead() {
    Arguments a = Arguments.parse(new String[] {"-c", "x.yml", "--pid-file", "/r/pmux.pid"});
    assertThat(a.config()).isEqualTo("x.yml");
    assertThat(String.valueOf(a.pidFile())).isEqualTo("/r/pmux.pid");
    assertThat(a.help()).isFalse();
  }

  @Test
  void help_winsWhereverItStands() {
    assertThat(Arguments.parse(new String[] {"-c", "x.yml", "-h", "--bogus"}).help()).isTrue();
  }

  @Test
  void mistakes_endInTheUsage() {
    assertThatThrownBy(() -> Arguments.parse(new String[] {"--bogus"}))
        .hasMessage("unknown argument: --bogus\nusage: pmux [-c FILE] [--pid-file FILE]");
    assertThatThrownBy(() -> Arguments.parse(new String[] {"-c"}))
        .hasMessage("usage: pmux [-c FILE] [--pid-file FILE]");
  }
}
