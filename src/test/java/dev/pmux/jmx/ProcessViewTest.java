package dev.pmux.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessViewTest {
  @Test
  void uptimeForPeople_isWholeSecondsAsPmuxYmlWritesDurations() {
    assertThat(ProcessView.wholeSeconds(TimeUnit.MILLISECONDS.toNanos(2_844_123)))
        .isEqualTo("47m24s");
    assertThat(ProcessView.wholeSeconds(TimeUnit.MILLISECONDS.toNanos(999))).isEqualTo("0s");
    assertThat(ProcessView.wholeSeconds(TimeUnit.SECONDS.toNanos(93_784))).isEqualTo("26h3m4s");
    assertThat(ProcessView.wholeSeconds(-5))
        .as("a clock read twice never goes back")
        .isEqualTo("0s");
  }
}
