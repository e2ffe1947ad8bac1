package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.config.Signal;
import org.junit.jupiter.api.Test;

class ExitStatusTest {
  @Test
  void plainExitCodesReadLikeGo() {
    assertThat(new ExitStatus(3).describe()).isEqualTo("process exited: exit status 3");
    assertThat(new ExitStatus(128).describe()).isEqualTo("process exited: exit status 128");
    assertThat(new ExitStatus(3).signal()).isEmpty();
  }

  @Test
  void deathBySignalReadsLikeGo() {
    assertThat(new ExitStatus(137).describe()).isEqualTo("process exited: signal: killed");
    assertThat(new ExitStatus(130).describe()).isEqualTo("process exited: signal: interrupt");
    assertThat(new ExitStatus(143).describe()).isEqualTo("process exited: signal: terminated");
    assertThat(new ExitStatus(139).describe())
        .isEqualTo("process exited: signal: segmentation fault");
    assertThat(new ExitStatus(137).signal()).contains(Signal.KILL);
  }

  @Test
  void statusesBeyondTheSignalRangeAreExitCodes() {
    assertThat(new ExitStatus(200).describe()).isEqualTo("process exited: exit status 200");
  }
}
