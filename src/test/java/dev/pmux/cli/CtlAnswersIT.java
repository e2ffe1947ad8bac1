package dev.pmux.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Scripts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

/**
 * {@code pmux ctl} against a real pmux: a name that is not a program's, whatever its syntax, gets
 * the one-line answer; during pmux's shutdown a reload and a start that starts nothing each give
 * one line and a non-zero status; a forced exit's last line says it was forced.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CtlAnswersIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private record Answer(int status, String out) {}

  private static Answer ctl(long pid, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    List<String> argv = new ArrayList<>(List.of("--pid", Long.toString(pid)));
    argv.addAll(List.of(args));
    try {
      int status = new Ctl(out).run(argv.toArray(String[]::new));
      return new Answer(status, bytes.toString(StandardCharsets.UTF_8));
    } catch (CtlException e) {
      return new Answer(e.status(), bytes.toString(StandardCharsets.UTF_8) + e.getMessage());
    }
  }

  @Test
  void namesInObjectNameSyntax_reloadAndStartDuringShutdown_forcedExit() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("pmux.yml"),
            "processes:\n"
                + "  - {name: web, cmd: sleep, args: [\"1000\"]}\n"
                + "  - {name: slow, cmd: "
                + Scripts.path("ignore-int.sh")
                + ", sigKillWait: 24h}\n");
    Map<String, String> env = leaks.environment();
    env.put("PMUX_RUN_DIR", tmp.resolve("run").toString());
    try (PmuxProcess pmux = PmuxProcess.start(config, env, tmp)) {
      pmux.awaitStdout("slow › ready\n", Duration.ofSeconds(20));
      long pid = pmux.pid();
      assertThat(ctl(pid, "status", "web").status()).isZero();
      for (String name : List.of("web,type=Supervisor", "web\"", "web*", "", "web\n")) {
        assertThat(ctl(pid, "status", name))
            .as(name)
            .isEqualTo(new Answer(CtlStatus.FAILED, "no program named '" + name + "'"));
      }

      pmux.signal("TERM");
      pmux.awaitStderr("slow ~ sending interrupt signal", Duration.ofSeconds(10));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> ctl(pid, "status", "web").out().contains("STOPPED"));
      assertThat(ctl(pid, "reload"))
          .isEqualTo(new Answer(CtlStatus.FAILED, "reload refused: pmux is shutting down"));
      Answer start = ctl(pid, "start", "web");
      assertThat(start.status()).isEqualTo(CtlStatus.FAILED);
      assertThat(start.out()).isEqualTo("web: not started, it is STOPPED\n");

      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
      assertThat(pmux.stderr())
          .doesNotContain("ciao")
          .endsWith("pmux ~ forced exit: sent killed signal to every process group\n");
    }
  }
}
