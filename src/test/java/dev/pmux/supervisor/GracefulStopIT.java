package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.InProcessPmux;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Scripts;
import dev.pmux.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop never cuts a graceful shutdown short: a server behind a wrapper script that needs time to
 * flush gets it, whichever way the stop comes (DESIGN.md section 4).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulStopIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private final CapturedOutput output = new CapturedOutput();

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private InProcessPmux pmux;

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private Supervisor supervisor;

  private void supervise(ProcessSpec... specs) {
    pmux = new InProcessPmux(output.merged(), leaks.environment(), tmp, specs);
    supervisor = pmux.supervisor();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (pmux != null) {
      pmux.close();
    }
  }

  /** {@code bash -c "python3 graceful-server.py FILE & ...rest"}, the server needing 0.6 s. */
  private Specs wrapper(String name, String rest) {
    String server = Scripts.path("graceful-server.py") + " " + tmp.resolve(name + ".data");
    return Specs.program(name, "/bin/bash", "-c", "python3 " + server + " & " + rest)
        .sigKillWait(Duration.ofSeconds(5));
  }

  private void awaitServing(String name) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> unpadded(output.stdout()).contains(name + " › serving\n"));
  }

  /** pmux's output without the padding after names, which depends on the longest name. */
  private static String unpadded(String text) {
    return text.replaceAll(" +([~›»]) ", " $1 ");
  }

  private List<String> events() {
    return List.of(unpadded(output.stderr()).split("\n"));
  }

  private String data(String name) throws Exception {
    Path file = tmp.resolve(name + ".data");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  @Test
  void wrapperWhoseLeaderReturnsAtOnce_letsTheServerFlush() throws Exception {
    supervise(wrapper("db", "wait").build());
    awaitServing("db");

    supervisor.program("db").orElseThrow().stop().get(20, TimeUnit.SECONDS);

    assertThat(data("db")).isEqualTo("flushed\n");
    assertThat(output.stderr()).doesNotContain("killed signal");
    assertThat(events())
        .containsSubsequence(
            "db ~ sending interrupt signal",
            "db ~ exited: context canceled",
            "db ~ stopped process handler");
    assertThat(leaks.marked()).isEmpty();
  }

  @Test
  void termWrapperWithoutExec_letsTheServerFlush() throws Exception {
    supervise(wrapper("db", "wait").stopSignal(Signal.TERM).build());
    awaitServing("db");

    supervisor.program("db").orElseThrow().stop().get(20, TimeUnit.SECONDS);

    assertThat(data("db")).isEqualTo("flushed\n");
    assertThat(unpadded(output.stderr())).contains("db ~ sending terminated signal\n");
    assertThat(output.stderr()).doesNotContain("killed signal");
  }

  @Test
  void restart_letsTheOldServerFlushBeforeTheNewOneStarts() throws Exception {
    supervise(wrapper("db", "wait").build());
    awaitServing("db");

    assertThat(supervisor.program("db").orElseThrow().restart().get(20, TimeUnit.SECONDS)).isTrue();

    assertThat(data("db")).isEqualTo("flushed\n");
    assertThat(output.stderr()).doesNotContain("killed signal");
  }

  @Test
  void memberLeftBehind_keepsTheGraceAnnouncedForIt_whenAStopFollows() throws Exception {
    // The wrapper ends once the server serves: its SIGINT handler must be in place (a background
    // job starts with SIGINT ignored), or the signal for what was left behind is lost on it.
    supervise(
        wrapper(
                "db",
                "sleep 0.2; until [ -e "
                    + tmp.resolve("db.data.serving")
                    + " ]; do sleep 0.05; done; exit 0")
            .noRestartOn(0)
            .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                unpadded(output.stderr())
                    .contains(
                        "db ~ its process group still has members: sending interrupt signal"));

    supervisor.shutdown().get(20, TimeUnit.SECONDS);

    assertThat(data("db")).isEqualTo("flushed\n");
    assertThat(output.stderr()).doesNotContain("killed signal");
    assertThat(leaks.marked()).isEmpty();
  }

  @Test
  void dependencyChain_stopsDependentsFirst_eachGivenItsWholeGrace() throws Exception {
    supervise(
        wrapper("a", "wait").build(),
        wrapper("b", "wait").dependsOn("a").build(),
        wrapper("c", "wait").dependsOn("b").build());
    awaitServing("c");

    supervisor.shutdown().get(30, TimeUnit.SECONDS);

    assertThat(List.of(data("a"), data("b"), data("c"))).containsOnly("flushed\n");
    assertThat(output.stderr()).doesNotContain("killed signal");
    assertThat(events())
        .containsSubsequence(
            "c ~ stopped process handler",
            "b ~ sending interrupt signal",
            "b ~ stopped process handler",
            "a ~ sending interrupt signal",
            "a ~ stopped process handler");
  }

  @Test
  void sigKillWaitTunedAboveTheConfiguredOne_isHonouredByShutdown() throws Exception {
    String server = Scripts.path("graceful-server.py") + " " + tmp.resolve("db.data") + " 1.5";
    supervise(
        Specs.program("db", "/bin/bash", "-c", "python3 " + server + " & wait")
            .sigKillWait(Duration.ofMillis(500))
            .build());
    awaitServing("db");
    SupervisedProgram db = supervisor.program("db").orElseThrow();
    db.tune(p -> p.withSigKillWait(Duration.ofSeconds(6)), "sigKillWait set to 6s");

    supervisor.shutdown().get(20, TimeUnit.SECONDS);

    assertThat(data("db")).isEqualTo("flushed\n");
    assertThat(output.stderr()).doesNotContain("killed signal");
  }
}
