package dev.pmux.supervisor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.config.KillMode;
import dev.pmux.config.ProcessSpec;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.InProcessPmux;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Scripts;
import dev.pmux.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon that leaves its program's process group (setsid, a double fork) is stopped with its
 * program under {@code killMode: tree}: by a stop, a restart, pmux's shutdown and before the next
 * start; {@code killMode: group} leaves it alone (DESIGN.md section 3).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EscapersIT {
  /** A child that starts {@code setsid sleep} and says its pid. */
  private static final String SETSID = "setsid sleep 1000 & echo daemon $!; wait";

  /** A double fork: the daemon's parent exits at once, so the daemon is an orphan. */
  private static final String DOUBLE_FORK = "(setsid sleep 1000 & echo daemon $!); exec sleep 1000";

  /**
   * The daemons are started in the background by sh, so they ignore SIGINT: they end by SIGKILL,
   * after this grace.
   */
  private static final Duration QUICK = Duration.ofMillis(500);

  private static final Pattern DAEMON = Pattern.compile("daemon (\\d+)");

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

  /** The pids the program's daemons said, in order; waits for {@code count} of them. */
  private List<Long> daemons(int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> said().size() >= count);
    return said();
  }

  private List<Long> said() {
    Matcher m = DAEMON.matcher(output.stdout());
    List<Long> pids = new ArrayList<>();
    while (m.find()) {
      pids.add(Long.parseLong(m.group(1)));
    }
    return pids;
  }

  private static String unpadded(String text) {
    return text.replaceAll(" +([~›»]) ", " $1 ");
  }

  @Test
  void stop_reachesTheSetsidDaemon() throws Exception {
    supervise(Specs.shell("app", SETSID).sigKillWait(QUICK).build());
    long daemon = daemons(1).get(0);

    pmux.program("app").stop().get(20, TimeUnit.SECONDS);

    assertThat(ProcessLeaks.running(daemon)).isFalse();
    assertThat(leaks.marked()).isEmpty();
  }

  @Test
  void stop_reachesTheDoubleForkedDaemon() throws Exception {
    supervise(Specs.shell("app", DOUBLE_FORK).sigKillWait(QUICK).build());
    long daemon = daemons(1).get(0);

    pmux.program("app").stop().get(20, TimeUnit.SECONDS);

    assertThat(ProcessLeaks.running(daemon)).isFalse();
    assertThat(leaks.marked()).isEmpty();
  }

  @Test
  void restart_stopsTheOldDaemonsBeforeTheNewRun() throws Exception {
    supervise(
        Specs.shell("a", SETSID).sigKillWait(QUICK).build(),
        Specs.shell("b", DOUBLE_FORK).sigKillWait(QUICK).build());
    daemons(2);
    List<Long> old = said();

    assertThat(pmux.program("a").restart().get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(pmux.program("b").restart().get(20, TimeUnit.SECONDS)).isTrue();

    daemons(4);
    assertThat(old).noneMatch(ProcessLeaks::running);
    assertThat(said().subList(2, 4)).allMatch(ProcessLeaks::running);
  }

  @Test
  void shutdown_leavesNothingOfEither() throws Exception {
    supervise(
        Specs.shell("a", SETSID).sigKillWait(QUICK).build(),
        Specs.shell("b", DOUBLE_FORK).sigKillWait(QUICK).build());
    List<Long> pids = daemons(2);

    supervisor.shutdown().get(20, TimeUnit.SECONDS);

    assertThat(pids).noneMatch(ProcessLeaks::running);
    assertThat(leaks.marked()).isEmpty();
  }

  @Test
  void mainProcessExit_stopsTheDaemonItLeft_listedAsAStrayMeanwhile() throws Exception {
    supervise(
        Specs.shell("app", "(setsid sleep 1000 & echo daemon $!); exit 0")
            .noRestartOn(0)
            .sigKillWait(Duration.ofSeconds(3))
            .build());
    long daemon = daemons(1).get(0);
    SupervisedProgram app = pmux.program("app");

    // The daemon ignores SIGINT (started in the background by sh): it is there until SIGKILL.
    await().atMost(Duration.ofSeconds(10)).until(() -> app.strays().contains(daemon));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !ProcessLeaks.running(daemon) && app.strays().isEmpty());
    assertThat(unpadded(output.stderr()))
        .contains("app ~ its process group still has members: sending interrupt signal\n");
  }

  @Test
  void start_firstStopsWhatIsLeftOfTheLastRun() throws Exception {
    supervise(Specs.shell("app", SETSID).sigKillWait(QUICK).autostart(false).build());
    // An orphan of an earlier run that no stop reached (a forced exit's SIGKILL of the group,
    // say): adopted, marked with this pmux and the program.
    Map<String, String> env = new HashMap<>(leaks.environment());
    env.put("PMUX_PID", Long.toString(ProcessHandle.current().pid()));
    env.put("PMUX_PROCESS_NAME", "app");
    ProcessBuilder orphan =
        new ProcessBuilder("/bin/sh", "-c", "(setsid sleep 1000 >/dev/null 2>&1 & echo $!)")
            .redirectErrorStream(true);
    orphan.environment().clear();
    orphan.environment().putAll(env);
    Process forker = orphan.start();
    long left = Long.parseLong(new String(forker.getInputStream().readAllBytes(), UTF_8).trim());
    assertThat(forker.waitFor(10, TimeUnit.SECONDS)).isTrue();
    SupervisedProgram app = pmux.program("app");
    assertThat(app.strays()).containsExactly(left);

    assertThat(app.start()).isTrue();

    long daemon = daemons(1).get(0);
    assertThat(ProcessLeaks.running(left)).isFalse();
    assertThat(ProcessLeaks.running(daemon)).isTrue();
    assertThat(unpadded(output.stderr()))
        .contains("app ~ stopping 1 process left from the last run: [" + left + "]\n");
  }

  @Test
  void daemonThatTrapsTheStopSignal_getsItsWholeSigKillWait() throws Exception {
    Path data = tmp.resolve("daemon.data");
    String server = "python3 " + Scripts.path("graceful-server.py") + " " + data + " 1.0";
    supervise(
        Specs.shell("app", "setsid " + server + " & echo daemon $!; wait")
            .sigKillWait(Duration.ofSeconds(3))
            .build());
    daemons(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("serving"));

    pmux.program("app").stop().get(20, TimeUnit.SECONDS);

    assertThat(Files.readString(data)).isEqualTo("flushed\n");
    assertThat(output.stderr()).doesNotContain("killed signal");
    assertThat(leaks.marked()).isEmpty();
  }

  @Test
  void groupMode_leavesTheSetsidDaemonAlive() throws Exception {
    supervise(Specs.shell("app", SETSID).killMode(KillMode.GROUP).build());
    long daemon = daemons(1).get(0);

    pmux.program("app").stop().get(20, TimeUnit.SECONDS);

    try {
      assertThat(ProcessLeaks.running(daemon)).isTrue();
    } finally {
      ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
