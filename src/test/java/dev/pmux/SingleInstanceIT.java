package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One pmux per run directory, however many start at the same moment (`run` as `start`). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SingleInstanceIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private List<Long> copiesOfSleep() throws Exception {
    List<Long> copies = new ArrayList<>();
    for (long pid : leaks.marked()) {
      try {
        if (Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).startsWith("sleep")) {
          copies.add(pid);
        }
      } catch (java.io.IOException e) {
        // Gone meanwhile.
      }
    }
    return copies;
  }

  @Test
  void fourPmuxAtOnceWithOneRunDir_leaveOnePmuxAndOneCopyOfEachProgram() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("pmux.yml"),
            "processes:\n  - name: web\n    cmd: sleep\n    args: [1000]\n");
    Map<String, String> env = leaks.environment();
    env.put("PMUX_RUN_DIR", tmp.resolve("run").toString());
    List<PmuxProcess> all = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        all.add(PmuxProcess.start(config, env, tmp));
      }
      // The refused ones end on their own; exactly one goes on and runs the program once.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> all.stream().filter(PmuxProcess::isAlive).count() == 1);
      PmuxProcess winner = all.stream().filter(PmuxProcess::isAlive).findFirst().orElseThrow();
      winner.awaitStderr("web  ~ starting process\n", Duration.ofSeconds(30));
      for (PmuxProcess refused : all) {
        if (refused != winner) {
          assertThat(refused.awaitExit(Duration.ofSeconds(5))).isEqualTo(1);
          assertThat(refused.stderr())
              .isEqualTo(
                  "pmux: already running (pid "
                      + winner.pid()
                      + ") with run directory "
                      + tmp.resolve("run")
                      + "; stop it first, or give this one a run directory of its own"
                      + " (PMUX_RUN_DIR)\n");
          assertThat(refused.stdout()).isEmpty();
        }
      }
      // A refused pmux started nothing: one copy of the program, beside the one pmux.
      await().atMost(Duration.ofSeconds(10)).until(() -> !copiesOfSleep().isEmpty());
      assertThat(copiesOfSleep()).hasSize(1);

      winner.signal("TERM");
      assertThat(winner.awaitExit(Duration.ofSeconds(20))).isZero();
      // The lock went with the JVM: the next pmux runs.
      try (PmuxProcess next = PmuxProcess.start(config, env, tmp)) {
        next.awaitStderr("web  ~ starting process\n", Duration.ofSeconds(30));
        next.signal("TERM");
        assertThat(next.awaitExit(Duration.ofSeconds(20))).isZero();
      }
    } finally {
      all.forEach(PmuxProcess::close);
    }
  }
}
