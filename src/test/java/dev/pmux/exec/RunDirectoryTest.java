package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir Path tmp;

  @Test
  void claim_holdsTheLockAndNamesItsHolder() throws IOException {
    RunDirectory claimed = RunDirectory.claim(tmp.resolve("run"));
    assertThat(claimed.held()).isTrue();
    assertThat(Files.readString(claimed.path().resolve(RunDirectory.LOCK_FILE)))
        .isEqualTo(ProcessHandle.current().pid() + "\n");
  }

  @Test
  void secondClaim_isRefusedAndTheFirstStillHolds() throws IOException {
    Path dir = tmp.resolve("run");
    RunDirectory first = RunDirectory.claim(dir);
    assertThatThrownBy(() -> RunDirectory.claim(dir))
        .hasMessage(
            "already running (pid "
                + ProcessHandle.current().pid()
                + ") with run directory "
                + dir
                + "; stop it first, or give this one a run directory of its own (PMUX_RUN_DIR)");
    assertThat(first.held()).isTrue();
  }

  @Test
  void claim_refusesADirectoryOthersCanWrite() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("run"));
    Files.setAttribute(dir, "unix:mode", 0777);
    assertThatThrownBy(() -> RunDirectory.claim(dir))
        .hasMessageContaining("can be written by group or others");
    assertThat(dir.resolve(RunDirectory.LOCK_FILE)).doesNotExist();
  }

  @Test
  void locate_followsRunDirThenHome() {
    assertThat(RunDirectory.locate(Map.of("PMUX_RUN_DIR", "/srv/r", "PMUX_HOME", "/opt/p")))
        .isEqualTo(Path.of("/srv/r"));
    assertThat(RunDirectory.locate(Map.of("PMUX_HOME", "/opt/p"))).isEqualTo(Path.of("/opt/p/run"));
  }
}
