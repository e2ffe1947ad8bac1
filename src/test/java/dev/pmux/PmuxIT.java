package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Scripts;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole pmux, as a separate JVM, driven by real signals; output checked byte for byte. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PmuxIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private PmuxProcess start(Path config) throws IOException {
    return PmuxProcess.start(config, environment(), tmp);
  }

  private Map<String, String> environment() {
    Map<String, String> env = leaks.environment();
    env.put("PMUX_RUN_DIR", tmp.resolve("run").toString());
    return env;
  }

  private Path config(String yaml) throws IOException {
    return Files.writeString(tmp.resolve("pmux.yml"), yaml);
  }

  private static List<String> lines(String text) {
    return Arrays.asList(text.split("\n"));
  }

  @Test
  void goExampleConfig_runsUnchangedAndStopsLikeTheGoTool() throws Exception {
    Path config = Path.of("src/test/resources/dev/pmux/PmuxIT/pmux-example.yml").toAbsolutePath();
    try (PmuxProcess pmux = start(config)) {
      pmux.awaitStdout("stubborn-pinger › PING example.com\n", Duration.ofSeconds(20));
      pmux.awaitStdout("pinger          › PING example.com\n", Duration.ofSeconds(20));
      pmux.signal("INT");
      assertThat(pmux.awaitExit(Duration.ofSeconds(15))).isZero();

      assertThat(lines(pmux.stdout()))
          .allMatch(
              l ->
                  l.equals("pinger          › PING example.com")
                      || l.equals("stubborn-pinger › PING example.com"));
      List<String> err = lines(pmux.stderr());
      // Programs start in parallel: like the Go tool, their first lines come in either order.
      assertThat(err.subList(0, 2))
          .containsExactlyInAnyOrder(
              "pinger          ~ starting process", "stubborn-pinger ~ starting process");
      assertThat(err.get(err.size() - 1)).isEqualTo("pmux            ~ exited gracefully, ciao!");
      assertThat(err)
          .containsSubsequence(
              "pinger          ~ sending interrupt signal",
              "pinger          ~ exited: context canceled",
              "pinger          ~ stopped process handler")
          .containsSubsequence(
              "stubborn-pinger ~ sending interrupt signal",
              "stubborn-pinger ~ sending killed signal",
              "stubborn-pinger ~ exited: context canceled",
              "stubborn-pinger ~ stopped process handler")
          // The trap's line follows the signal that it answers. Whether it also comes before the
          // SIGKILL 1 s later depends on when a loaded machine runs bash's trap, as with the Go
          // tool.
          .containsSubsequence(
              "stubborn-pinger ~ sending interrupt signal",
              "stubborn-pinger » i will never stop, you will have to SIGKILL me!");
    }
  }

  @Test
  void everyProgramExited_pmuxExitsZeroByItself() throws Exception {
    Path config =
        config(
            """
            processes:
              - name: t
                cmd: /bin/true
                noRestartOn: [0]
            """);
    try (PmuxProcess pmux = start(config)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(15))).isZero();
      assertThat(pmux.stdout()).isEmpty();
      assertThat(pmux.stderr())
          .isEqualTo(
              """
              t    ~ starting process
              t    ~ exit code: 0
              t    ~ stopped process handler
              pmux ~ exited gracefully, ciao!
              """);
    }
  }

  @Test
  void timeFormat_prefixesEveryLineLikeTheGoTool() throws Exception {
    Path config =
        config(
            """
            timeFormat: "2006-01-02T15:04:05.000Z07:00"
            processes:
              - name: a
                cmd: /bin/sh
                args: ["-c", "echo out; echo err >&2"]
                noRestartOn: [0]
            """);
    try (PmuxProcess pmux = start(config)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(15))).isZero();
      String time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";
      assertThat(pmux.stdout()).matches(time + " › a    › out\n");
      assertThat(lines(pmux.stderr())).anyMatch(l -> l.matches(time + " » a    » err"));
      assertThat(lines(pmux.stderr()))
          .last()
          .matches(l -> l.matches(time + " ~ pmux ~ exited gracefully, ciao!"));
    }
  }

  @Test
  void secondInterrupt_killsEveryGroupAtOnceAndExitsOne() throws Exception {
    Path config =
        config(
            "processes:\n"
                + "  - name: stubborn\n"
                + "    cmd: "
                + Scripts.path("ignore-int.sh")
                + "\n"
                + "    sigKillWait: 30s\n"
                + "  - name: forker\n"
                + "    cmd: "
                + Scripts.path("fork-grandchild.sh")
                + "\n"
                + "    sigKillWait: 30s\n");
    try (PmuxProcess pmux = start(config)) {
      pmux.awaitStdout("stubborn › ready\n", Duration.ofSeconds(20));
      pmux.awaitStdout("forker   › grandchild ", Duration.ofSeconds(20));
      pmux.signal("INT");
      pmux.awaitStderr("stubborn » ignoring INT\n", Duration.ofSeconds(10));
      long t0 = System.nanoTime();
      pmux.signal("INT");
      assertThat(pmux.awaitExit(Duration.ofSeconds(10))).isEqualTo(1);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> leaks.marked().isEmpty());
    }
  }

  @Test
  void closedStdout_neverCrashesNorSpinsPmux() throws Exception {
    Path config =
        config(
            """
            processes:
              - name: talker
                cmd: /bin/sh
                args: ["-c", "while true; do echo line; echo err >&2; sleep 0.01; done"]
            """);
    try (PmuxProcess pmux = start(config)) {
      pmux.awaitStdout("talker › line\n", Duration.ofSeconds(20));
      pmux.closeStdout();
      pmux.awaitStderr("cannot write to stdout", Duration.ofSeconds(10));
      long before = pmux.cpuTicks();
      int errLines = pmux.stderr().split("talker » err").length;
      // Output to stderr keeps flowing while pmux discards what stdout cannot take.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> pmux.stderr().split("talker » err").length > errLines + 20);
      long used = pmux.cpuTicks() - before;
      assertThat(pmux.isAlive()).isTrue();
      assertThat(used).as("CPU ticks while children print slowly").isLessThan(50);
      pmux.signal("INT");
      assertThat(pmux.awaitExit(Duration.ofSeconds(10))).isZero();
      assertThat(pmux.stderr().split("cannot write to stdout", -1)).hasSize(2);
    }
  }

  private static final String FAMILY =
      "processes:\n"
          + "  - {name: sleeper, cmd: sleep, args: [\"1000\"]}\n"
          + "  - {name: forker, cmd: "
          + Scripts.path("fork-grandchild.sh")
          + "}\n"
          + "  - {name: stubborn, cmd: "
          + Scripts.path("ignore-int.sh")
          + ", sigKillWait: 500ms}\n";

  @Test
  void sigkillOfPmux_leavesNoSurvivorsWithinOneSecond() throws Exception {
    try (PmuxProcess pmux = start(config(FAMILY))) {
      pmux.awaitStdout("forker   › grandchild ", Duration.ofSeconds(20));
      pmux.awaitStdout("stubborn › ready", Duration.ofSeconds(20));
      assertThat(leaks.marked().size())
          .as("pmux, guardian, 3 programs, 1 grandchild and more")
          .isGreaterThanOrEqualTo(6);
      pmux.signal("KILL");
      long t0 = System.nanoTime();
      Awaitility.await()
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> leaks.marked().isEmpty());
      System.out.printf(
          "survivors gone %d ms after SIGKILL of pmux%n", (System.nanoTime() - t0) / 1_000_000);
    }
  }

  @Test
  void aGuardianThatDies_isReplaced_andTheNewOneCleansUpAfterASigkilledPmux() throws Exception {
    try (PmuxProcess pmux = start(config(FAMILY))) {
      pmux.awaitStdout("forker   › grandchild ", Duration.ofSeconds(20));
      pmux.awaitStdout("stubborn › ready", Duration.ofSeconds(20));
      long guardian =
          leaks.marked().stream()
              .filter(pid -> commandLine(pid).contains("pmux-guardian"))
              .findFirst()
              .orElseThrow();
      new ProcessBuilder("kill", "-KILL", Long.toString(guardian)).start().waitFor();
      pmux.awaitStderr(
          "the guardian process (pid " + guardian + ") died: started a new one (pid ",
          Duration.ofSeconds(10));
      pmux.signal("KILL");
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> leaks.marked().isEmpty());
    }
  }

  @Test
  void aPmuxWhoseGuardianDiedToo_isCleanedUpByTheNextPmux() throws Exception {
    Path config = config(FAMILY);
    List<Long> orphans;
    try (PmuxProcess first = start(config)) {
      first.awaitStdout("forker   › grandchild ", Duration.ofSeconds(20));
      first.awaitStdout("stubborn › ready", Duration.ofSeconds(20));
      long guardian =
          leaks.marked().stream()
              .filter(pid -> commandLine(pid).contains("pmux-guardian"))
              .findFirst()
              .orElseThrow();
      // Stopped first, so that pmux can neither see it die nor be cleaned up after by it.
      new ProcessBuilder("kill", "-STOP", Long.toString(guardian)).start().waitFor();
      new ProcessBuilder("kill", "-KILL", Long.toString(first.pid())).start().waitFor();
      first.awaitExit(Duration.ofSeconds(5));
      new ProcessBuilder("kill", "-KILL", Long.toString(guardian)).start().waitFor();
      first.awaitExit(Duration.ofSeconds(5));
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> ProcessHandle.of(guardian).isEmpty());
      orphans = leaks.marked();
      assertThat(orphans).as("children orphaned by the double kill").hasSizeGreaterThanOrEqualTo(4);
    }
    try (PmuxProcess second = start(config)) {
      second.awaitStderr(
          "pmux     ~ killed process groups left behind by a pmux that died: ",
          Duration.ofSeconds(20));
      Awaitility.await()
          .atMost(Duration.ofSeconds(2))
          // marked() skips zombies, which a slow init may leave for a while after the kill.
          .until(() -> leaks.marked().stream().noneMatch(orphans::contains));
      second.signal("TERM");
      assertThat(second.awaitExit(Duration.ofSeconds(15))).isZero();
    }
  }

  @Test
  void reapingSparesAReusedGroupId() throws Exception {
    // An unrelated process group, recorded in the journal of a pmux that is long gone.
    Process bystander = new ProcessBuilder("setsid", "sleep", "1000").start();
    try {
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      Path run = Files.createDirectories(tmp.resolve("run"));
      Files.writeString(
          run.resolve("pmux-" + gone.pid() + ".groups"), "+ " + bystander.pid() + "\n");
      try (PmuxProcess pmux =
          start(config("processes:\n  - {name: t, cmd: /bin/true, noRestartOn: [0]}\n"))) {
        assertThat(pmux.awaitExit(Duration.ofSeconds(15))).isZero();
        assertThat(pmux.stderr()).doesNotContain("left behind");
      }
      assertThat(bystander.isAlive()).isTrue();
      assertThat(run.resolve("pmux-" + gone.pid() + ".groups")).doesNotExist();
    } finally {
      bystander.destroyForcibly().waitFor();
    }
  }

  private static String commandLine(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
  }

  @Test
  void startedWithSigintIgnored_childrenStillStopOnSigint() throws Exception {
    Path config =
        config("processes:\n  - {name: sleeper, cmd: sleep, args: [\"1000\"], sigKillWait: 20s}\n");
    try (PmuxProcess pmux = PmuxProcess.start(config, environment(), tmp, true)) {
      pmux.awaitStderr("sleeper ~ starting process\n", Duration.ofSeconds(20));
      long t0 = System.nanoTime();
      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(15))).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(pmux.stderr())
          .contains("sleeper ~ sending interrupt signal\n")
          .doesNotContain("sending killed signal");
    }
  }

  @Test
  void startedWithSigintAndSighupIgnored_stillReloadsOnSighupAndStopsGracefullyOnSigint()
      throws Exception {
    Path config = config("processes:\n  - {name: sleeper, cmd: sleep, args: [\"1000\"]}\n");
    try (PmuxProcess pmux = PmuxProcess.start(config, environment(), tmp, true)) {
      pmux.awaitStderr("sleeper ~ starting process\n", Duration.ofSeconds(20));
      Files.writeString(
          config,
          """
          processes:
            - {name: sleeper, cmd: sleep, args: ["1000"]}
            - {name: second, cmd: sleep, args: ["1000"]}
          """);
      pmux.signal("HUP");
      pmux.awaitStderr("second  ~ starting process\n", Duration.ofSeconds(20));
      pmux.signal("INT");
      assertThat(pmux.awaitExit(Duration.ofSeconds(15))).isZero();
      assertThat(pmux.stderr()).endsWith("pmux    ~ exited gracefully, ciao!\n");
    }
  }

  /** Runs pmux under a pseudo-terminal (util-linux script) and returns what the terminal showed. */
  private String onATerminal(Path config, boolean noColor) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command =
        javaBin + " -cp " + System.getProperty("java.class.path") + " dev.pmux.Main -c " + config;
    ProcessBuilder builder =
        new ProcessBuilder("script", "-qec", command, "/dev/null").directory(tmp.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment());
    if (noColor) {
      builder.environment().put("NO_COLOR", "1");
    }
    Process p = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    String shown = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return shown;
  }

  @Test
  void namesAreColouredOnATerminalUnlessNoColor() throws Exception {
    Path config =
        config("processes:\n  - {name: web, cmd: /bin/echo, args: [hi], noRestartOn: [0]}\n");
    assertThat(onATerminal(config, false)).contains("m" + "web" + "\u001b[0m  › hi");
    assertThat(onATerminal(config, true)).contains("web  › hi").doesNotContain("\u001b[");
  }

  @Test
  void anEssentialProgramEndingForGood_stopsEverythingWithItsExitCode() throws Exception {
    Path config =
        config(
            "processes:\n"
                + "  - {name: web, cmd: sleep, args: [\"1000\"]}\n"
                + "  - {name: job, cmd: "
                + Scripts.path("exit-with.sh")
                + ", args: [\"3\"], noRestartOn: [3], essential: true}\n");
    try (PmuxProcess pmux = start(config)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isEqualTo(3);
      assertThat(pmux.stderr())
          .contains(
              "job  ~ exited: process exited: exit status 3\n",
              "pmux ~ essential program job ended: stopping everything\n")
          .contains("web  ~ stopped process handler\n")
          .endsWith("pmux ~ exited gracefully, ciao!\n");
    }
  }

  @Test
  void anEssentialProgramInACrashLoop_isGivenUpAndEndsPmux() throws Exception {
    Path config =
        config(
            "processes:\n"
                + "  - {name: web, cmd: sleep, args: [\"1000\"]}\n"
                + "  - {name: job, cmd: "
                + Scripts.path("exit-with.sh")
                + ", args: [\"4\"], minWait: 10ms, maxWait: 10ms,"
                + " maxRestarts: 2, restartWindow: 1m, essential: true}\n");
    try (PmuxProcess pmux = start(config)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isEqualTo(4);
      assertThat(pmux.stderr())
          .contains(
              "job  ~ giving up: restarted 2 times within 1m0s\n", "essential program job ended");
    }
  }

  @Test
  void sigterm_stopsLikeSigint() throws Exception {
    Path config = config("processes:\n  - name: sleeper\n    cmd: sleep\n    args: [\"1000\"]\n");
    try (PmuxProcess pmux = start(config)) {
      pmux.awaitStderr("sleeper ~ starting process\n", Duration.ofSeconds(20));
      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(10))).isZero();
      assertThat(pmux.stderr())
          .endsWith("sleeper ~ stopped process handler\npmux    ~ exited gracefully, ciao!\n");
    }
  }

  @Test
  void sighup_reloadsTheConfigFile() throws Exception {
    Path config = config("processes:\n  - {name: keep, cmd: sleep, args: [\"1000\"]}\n");
    try (PmuxProcess pmux = start(config)) {
      pmux.awaitStderr("keep ~ starting process\n", Duration.ofSeconds(20));
      Files.writeString(
          config,
          "processes:\n  - {name: keep, cmd: sleep, args: [\"1000\"]}\n  - {name: new, cmd: /bin/echo, args: [hi], noRestartOn: [0]}\n");
      pmux.signal("HUP");
      pmux.awaitStdout("new  › hi\n", Duration.ofSeconds(10));
      pmux.awaitStderr(
          "pmux ~ reloaded " + config + ": added [new], changed [], removed []\n",
          Duration.ofSeconds(10));

      Files.writeString(config, "processes:\n  - {name: keep, cmd: sleep, bogus: 1}\n");
      pmux.signal("HUP");
      pmux.awaitStderr(
          "pmux ~ reload failed, nothing changed:\npmux ~   processes[0].bogus",
          Duration.ofSeconds(10));
      assertThat(pmux.isAlive()).isTrue();
      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(10))).isZero();
      assertThat(pmux.stderr()).containsOnlyOnce("keep ~ starting process");
    }
  }

  @Test
  void badConfig_startsNothingAndExitsTwoNamingTheKey() throws Exception {
    Path config =
        config(
            """
            processes:
              - name: ok
                cmd: sleep
                args: ["1000"]
              - name: bad
                cmd: /bin/true
                minWait: 10
            """);
    try (PmuxProcess pmux = start(config)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(15))).isEqualTo(2);
      assertThat(pmux.stderr()).contains("processes[1].minWait").doesNotContain("Exception");
      assertThat(pmux.stdout()).isEmpty();
      assertThat(pmux.stderr()).doesNotContain("starting process");
    }
  }
}
