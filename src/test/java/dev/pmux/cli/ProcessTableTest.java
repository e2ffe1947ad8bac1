package dev.pmux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.jmx.ProcessStatus;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

// JMX hands dates to its clients as java.util.Date, which is what these tests check.
@SuppressWarnings("JavaUtilDate")
class ProcessTableTest {
  private static final long START =
      LocalDateTime.of(2025, 3, 4, 5, 6, 7)
          .atZone(ZoneId.systemDefault())
          .toInstant()
          .toEpochMilli();

  private static ProcessStatus status(
      String state, long pid, int lastExit, String signal, double uptime) {
    return new ProcessStatus(
        "web",
        state,
        state.equals("RUNNING") ? 20 : 30,
        pid,
        state.equals("RUNNING"),
        3,
        2,
        lastExit,
        signal,
        "",
        uptime,
        START,
        new Date(START),
        START + 1000,
        new Date(START + 1000),
        state.equals("BACKOFF") ? 4000 : 0,
        state.equals("BACKOFF") ? 2500 : -1,
        "sleep 1000",
        0.5,
        4096,
        state.equals("RUNNING") ? List.of(4242L, 4250L) : List.of());
  }

  @Test
  void aDeathBySignal_showsTheSignalsName() {
    assertThat(ProcessTable.render(List.of(status("BACKOFF", -1, 137, "KILL", 0))))
        .isEqualTo(
            """
            NAME                 STATE          PID     UPTIME  RESTARTS  LAST EXIT
            web                  BACKOFF          -          -         2    SIGKILL
            """);
    assertThat(ProcessTable.lastExit(status("BACKOFF", -1, 130, "INT", 0))).isEqualTo("SIGINT");
    assertThat(ProcessTable.lastExit(status("BACKOFF", -1, 3, "", 0))).isEqualTo("3");
    assertThat(ProcessTable.lastExit(status("RUNNING", 5, -1, "", 1))).isEqualTo("-");
  }

  @Test
  void uptimeReadsLikePs_andTimesAreLocalDateTimes() {
    assertThat(ProcessTable.uptime(2 * 3600 + 3 * 60 + 9.5)).isEqualTo("2h03m");
    assertThat(ProcessTable.uptime(59.9)).isEqualTo("59s");
    assertThat(ProcessTable.uptime(3 * 86400 + 4 * 3600)).isEqualTo("3d04h");
    String detail = ProcessTable.detail(status("RUNNING", 42, 137, "KILL", 7263));
    assertThat(detail)
        .contains("uptime:      2h01m\n")
        .contains("last exit:   SIGKILL at 2025-03-04 05:06:08\n")
        .contains("last start:  2025-03-04 05:06:07\n")
        .contains("strays:      4242 4250\n");
    assertThat(ProcessTable.detail(status("EXITED", -1, 0, "", 0))).contains("strays:      -\n");
    assertThat(detail).contains("next start:  -\n");
  }

  @Test
  void aPendingRestart_showsTheTimeLeftAndTheWholeBackoff() {
    assertThat(ProcessTable.detail(status("BACKOFF", -1, 3, "", 0)))
        .contains("next start:  in 2s (backoff 4s)\n");
    assertThat(ProcessTable.restartWait(300)).isEqualTo("300ms");
    assertThat(ProcessTable.restartWait(0)).isEqualTo("0ms");
  }
}
