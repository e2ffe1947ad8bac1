package dev.pmux.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.config.ConfigLoader;
import dev.pmux.supervisor.ProcessState;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import dev.pmux.supervisor.SupervisorRuntime;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.RealRuntime;
import dev.pmux.testing.Scripts;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Start order and readiness, restart limits, env files: real processes, configured in YAML. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorFeaturesIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private final CapturedOutput output = new CapturedOutput();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2);

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private Supervisor supervisor;

  private Supervisor supervise(String yaml) throws Exception {
    Path file = Files.writeString(tmp.resolve("pmux.yml"), yaml);
    SupervisorRuntime runtime = RealRuntime.create(leaks.environment(), scheduler);
    supervisor = new Supervisor(ConfigLoader.load(file), output.merged(), runtime);
    supervisor.startAll();
    return supervisor;
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (supervisor != null) {
      supervisor.shutdown().get(20, TimeUnit.SECONDS);
    }
    scheduler.shutdownNow();
  }

  private SupervisedProgram program(String name) {
    return supervisor.program(name).orElseThrow();
  }

  private void awaitStderr(String text) {
    await().atMost(Duration.ofSeconds(10)).until(() -> output.stderr().contains(text));
  }

  private int at(String text) {
    int i = output.stderr().indexOf(text);
    assertThat(i).as("stderr has %s", text).isNotNegative();
    return i;
  }

  @Test
  void aDependentStartsOnlyOnceItsDependencyLogsReady_andStopsFirst() throws Exception {
    supervise(
        """
        processes:
          - name: web
            cmd: sleep
            args: ["1000"]
            dependsOn: [db]
          - name: db
            cmd: /bin/sh
            args: ["-c", "echo booting; sleep 0.3; echo 'listening on 5432'; exec sleep 1000"]
            ready: {log: 'listening on \\d+', timeout: 10s}
        """);
    awaitStderr("web  ~ starting process");
    assertThat(at("db   ~ ready")).isLessThan(at("web  ~ starting process"));
    assertThat(program("db").readySince()).isPositive();
    await().atMost(Duration.ofSeconds(5)).until(() -> program("web").readySince() > 0);

    supervisor.shutdown().get(20, TimeUnit.SECONDS);
    assertThat(at("web  ~ stopped process handler"))
        .isLessThan(at("db   ~ sending interrupt signal"));
  }

  @Test
  void portExecAndAfterChecks() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path flag = tmp.resolve("flag");
    supervise(
        "processes:\n"
            + "  - name: listener\n"
            + "    cmd: python3\n"
            + "    args: [\"-c\", \"import socket,time; time.sleep(0.3); s=socket.socket(); s.bind(('127.0.0.1',"
            + port
            + ")); s.listen(); time.sleep(1000)\"]\n"
            + "    ready: {port: "
            + port
            + ", timeout: 10s}\n"
            + "  - name: flagger\n"
            + "    cmd: /bin/sh\n"
            + "    args: [\"-c\", \"sleep 0.3; touch "
            + flag
            + "; exec sleep 1000\"]\n"
            + "    ready: {exec: [test, -f, \""
            + flag
            + "\"], timeout: 10s}\n"
            + "  - name: slow\n"
            + "    cmd: sleep\n"
            + "    args: [\"1000\"]\n"
            + "    ready: {after: 300ms}\n"
            + "  - name: last\n"
            + "    cmd: sleep\n"
            + "    args: [\"1000\"]\n"
            + "    dependsOn: [listener, flagger, slow]\n");
    awaitStderr("last     ~ starting process");
    for (String name : List.of("listener", "flagger", "slow")) {
      assertThat(at(String.format("%-8s ~ ready", name)))
          .isLessThan(at("last     ~ starting process"));
    }
  }

  @Test
  void aDependencyThatNeverBecomesReady_leavesItsDependentsStopped() throws Exception {
    supervise(
        """
        processes:
          - {name: db, cmd: sleep, args: ["1000"], ready: {log: never, timeout: 300ms}}
          - {name: web, cmd: sleep, args: ["1000"], dependsOn: [db]}
        """);
    awaitStderr("web  ~ not starting: waiting for db: db did not become ready");
    assertThat(output.stderr()).contains("db   ~ not ready after 300ms");
    assertThat(program("web").snapshot().state()).isEqualTo(ProcessState.STOPPED);
    assertThat(program("db").snapshot().state()).isEqualTo(ProcessState.RUNNING);
  }

  @Test
  void aProgramAddedByReload_alsoWaitsForItsDependencies() throws Exception {
    String db =
        "processes:\n  - {name: db, cmd: sleep, args: [\"1000\"], ready: {log: never, timeout: 300ms}}\n";
    supervise(db);
    awaitStderr("db   ~ not ready after 300ms");
    Files.writeString(
        tmp.resolve("pmux.yml"),
        db + "  - {name: web, cmd: sleep, args: [\"1000\"], dependsOn: [db]}\n");
    assertThat(supervisor.reload().added()).containsExactly("web");
    awaitStderr("web  ~ not starting: waiting for db: db did not become ready");
    assertThat(program("web").snapshot().state()).isEqualTo(ProcessState.STOPPED);
  }

  @Test
  void aProgramBroughtBackWhileItsPredecessorStillStops_startsOnceThatStopIsOver()
      throws Exception {
    // The predecessor's server needs 1.5 s to flush: its whole grace, and no overlap of the two.
    Path data = tmp.resolve("web.data");
    String web =
        "  - name: web\n"
            + "    cmd: python3\n"
            + "    args: [\""
            + Scripts.path("graceful-server.py")
            + "\", \""
            + data
            + "\", \"1.5\"]\n"
            + "    sigKillWait: 5s\n";
    String other = "  - {name: other, cmd: sleep, args: [\"1000\"]}\n";
    supervise("processes:\n" + web + other);
    await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("serving"));
    SupervisedProgram predecessor = program("web");

    Files.writeString(tmp.resolve("pmux.yml"), "processes:\n" + other);
    assertThat(supervisor.reload().removed()).containsExactly("web");
    Files.writeString(tmp.resolve("pmux.yml"), "processes:\n" + web + other);
    assertThat(supervisor.reload().added()).containsExactly("web");

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> program("web").snapshot().state() == ProcessState.RUNNING);
    assertThat(Files.readString(data)).isEqualTo("flushed\n");
    assertThat(program("web").snapshot().lastStartTime())
        .isGreaterThanOrEqualTo(predecessor.snapshot().lastExitTime());
    assertThat(output.stderr())
        .doesNotContain("killed signal")
        // Started beside its predecessor, the new run would find it as its own leftover (and the
        // predecessor's stop would take the new run's processes for its own).
        .doesNotContain("left from the last run");
  }

  @Test
  void maxRestartsWithinTheWindow_givesUpUntilAnOperatorStarts() throws Exception {
    supervise(
        "processes:\n"
            + "  - {name: crash, cmd: "
            + Scripts.path("exit-with.sh")
            + ", args: [\"5\"], minWait: 10ms, maxWait: 10ms,"
            + " maxRestarts: 3, restartWindow: 1m}\n");
    awaitStderr("crash ~ giving up: restarted 3 times within 1m0s");
    assertThat(program("crash").snapshot().state()).isEqualTo(ProcessState.FATAL);
    assertThat(program("crash").hasGivenUp()).isTrue();
    long starts = program("crash").snapshot().startCount();
    assertThat(starts).isEqualTo(4);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> program("crash").snapshot().startCount() == starts);
    assertThat(program("crash").start()).isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> program("crash").snapshot().startCount() > starts);
  }

  @Test
  void envFile_isReadAtEveryStart_andEnvWinsOverIt() throws Exception {
    Path envFile =
        Files.writeString(
            tmp.resolve("app.env"),
            "# settings\nexport COLOR=red\nSHARED=from-file\nQUOTED=\"a b\\tc\"\n");
    supervise(
        "processes:\n"
            + "  - name: show\n"
            + "    cmd: /bin/sh\n"
            + "    args: [\"-c\", \"echo \\\"$COLOR|$SHARED|$QUOTED\\\"\"]\n"
            + "    env: {SHARED: from-env}\n"
            + "    envFile: "
            + envFile
            + "\n"
            + "    minWait: 200ms\n"
            + "    maxWait: 200ms\n");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.stdout().contains("show › red|from-env|a b\tc\n"));
    Files.writeString(envFile, "COLOR=blue\n");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.stdout().contains("show › blue|from-env|\n"));
    Files.writeString(envFile, "COLOR=green\nbroken line\n");
    awaitStderr("show ~ exited: starting process: envFile " + envFile + ":2: ");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                program("show").snapshot().state() == ProcessState.BACKOFF
                    || program("show").snapshot().state() == ProcessState.STARTING);
  }

  @Test
  void autoRestartOffAndLiveDelays_changeWhatHappensNext() throws Exception {
    supervise(
        "processes:\n  - {name: crash, cmd: "
            + Scripts.path("exit-with.sh")
            + ", args: [\"1\"], minWait: 100ms, maxWait: 100ms}\n");
    SupervisedProgram crash = program("crash");
    await().atMost(Duration.ofSeconds(10)).until(() -> crash.snapshot().startCount() >= 2);
    crash.tune(
        p -> p.withMaxWait(Duration.ofMillis(250)).withMinWait(Duration.ofMillis(250)),
        "delays set to 250ms");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.stderr().contains("crash ~ will restart process in 250ms"));
    crash.tune(p -> p.withAutoRestart(false), "autoRestart set to false");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> crash.snapshot().state() == ProcessState.EXITED);
    assertThat(output.stderr()).contains("crash ~ autoRestart set to false\n");
    assertThat(crash.policy().autoRestart()).isFalse();
  }

  static void touch(Path p) throws IOException {
    Files.writeString(p, "");
  }
}
