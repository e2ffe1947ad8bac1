package dev.pmux.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.config.ConfigLoader;
import dev.pmux.config.JmxSpec;
import dev.pmux.jmx.ManagementBeans;
import dev.pmux.jmx.ObjectNames;
import dev.pmux.jmx.ProcessMXBean;
import dev.pmux.jmx.RemoteJmxConnector;
import dev.pmux.jmx.SupervisorMXBean;
import dev.pmux.supervisor.ProcessState;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import dev.pmux.supervisor.SupervisorRuntime;
import dev.pmux.testing.CapturedLog;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.RealRuntime;
import dev.pmux.testing.Scripts;
import dev.pmux.testing.ThreadDumpOnFailure;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators who misbehave: thousands of JMX operations from many threads, reload storms, signals at
 * awkward moments. States stay consistent, nothing deadlocks (hard timeouts; a thread dump on
 * failure), nothing leaks. More operations: {@code -Dpmux.stress.ops=100000}.
 */
@ExtendWith(ThreadDumpOnFailure.class)
// Its clients connect to the test's own connector, which is what pmux ctl does through JNDI.
@SuppressWarnings("BanJNDI")
class OperatorStormIT {
  private static final int OPS = Integer.getInteger("pmux.stress.ops", 10_000);

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  @SuppressWarnings("try") // the connector only has to be open while the clients work
  void thousandsOfJmxOperationsFromEightThreads_endConsistent() throws Exception {
    Path configFile =
        Files.writeString(
            tmp.resolve("pmux.yml"),
            "processes:\n"
                + "  - {name: steady, cmd: sleep, args: [\"1000\"], sigKillWait: 1s}\n"
                + "  - {name: crashy, cmd: "
                + Scripts.path("exit-with.sh")
                + ", args: [\"2\"], minWait: 5ms, maxWait: 20ms}\n"
                + "  - {name: flaky, cmd: /bin/sh, args: [\"-c\", \"sleep 0.05; exit 1\"], minWait: 5ms, maxWait: 20ms}\n"
                + "  - {name: stubborn, cmd: "
                + Scripts.path("ignore-int.sh")
                + ", sigKillWait: 100ms}\n");
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    CapturedOutput output = new CapturedOutput();
    SupervisorRuntime runtime = RealRuntime.create(leaks.environment(), scheduler);
    Supervisor supervisor = new Supervisor(ConfigLoader.load(configFile), output.merged(), runtime);
    var server = MBeanServerFactory.newMBeanServer();
    ManagementBeans beans = new ManagementBeans(server, supervisor, output.merged(), () -> {});
    beans.registerAll();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JmxSpec spec = new JmxSpec("127.0.0.1", port, null, null, false, null);
    ExecutorService operators = Executors.newFixedThreadPool(8);
    try (CapturedLog connectorLog = CapturedLog.of(RemoteJmxConnector.class);
        RemoteJmxConnector connector = RemoteJmxConnector.start(spec, server);
        JMXConnector client = JMXConnectorFactory.connect(RemoteJmxConnector.address(spec))) {
      assertThat(connectorLog.text())
          .contains(
              "WARN JMX on 127.0.0.1:"
                  + port
                  + " accepts anyone who can reach it: authentication is off"
                  + " (jmx.authenticate: false)");
      supervisor.startAll();
      MBeanServerConnection c = client.getMBeanServerConnection();
      String[] names = {"steady", "crashy", "flaky", "stubborn"};
      Map<String, Long> lastRestartCount = new ConcurrentHashMap<>();
      AtomicInteger done = new AtomicInteger();
      List<CompletableFuture<Void>> workers = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < 8; t++) {
        workers.add(
            CompletableFuture.runAsync(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  while (done.getAndIncrement() < OPS) {
                    String name = names[random.nextInt(names.length)];
                    ProcessMXBean p =
                        JMX.newMXBeanProxy(c, ObjectNames.process(name), ProcessMXBean.class);
                    int roll = random.nextInt(100);
                    if (roll < 10) {
                      p.start();
                    } else if (roll < 18) {
                      p.stop();
                    } else if (roll < 22) {
                      p.restart();
                    } else if (roll < 26) {
                      p.signal("HUP");
                    } else if (roll < 30) {
                      p.tail(5);
                    } else {
                      long restarts = p.getRestartCount();
                      lastRestartCount.merge(
                          name,
                          restarts,
                          (before, now) -> {
                            // Monotonic whatever operators do; reads may interleave, so compare
                            // maxima.
                            return Math.max(before, now);
                          });
                      p.getState();
                      p.getPid();
                    }
                  }
                },
                operators));
      }
      CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(200, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "%d JMX operations from 8 threads in %.1f s (%.0f ops/s)%n", OPS, seconds, OPS / seconds);

      for (SupervisedProgram program : supervisor.programs()) {
        assertThat(program.snapshot().restartCount())
            .isGreaterThanOrEqualTo(lastRestartCount.getOrDefault(program.name(), 0L));
      }
      JMX.newMXBeanProxy(c, ObjectNames.supervisor(), SupervisorMXBean.class).stopAll();
      for (SupervisedProgram program : supervisor.programs()) {
        assertThat(program.snapshot().state()).isEqualTo(ProcessState.STOPPED);
        assertThat(program.snapshot().pid()).isEqualTo(-1);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> leaks.marked().isEmpty());
    } finally {
      operators.shutdownNow();
      supervisor.stopAll().get(30, TimeUnit.SECONDS);
      beans.close();
      scheduler.shutdownNow();
    }
  }

  private PmuxProcess startPmux(Path config) throws IOException {
    Map<String, String> env = leaks.environment();
    env.put("PMUX_RUN_DIR", tmp.resolve("run").toString());
    return PmuxProcess.start(config, env, tmp);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void sighupStormWithValidInvalidAndRenamingConfigs_endsOnTheLastFile() throws Exception {
    String a =
        "processes:\n  - {name: keep, cmd: sleep, args: [\"1000\"]}\n  - {name: alpha, cmd: sleep, args: [\"1001\"]}\n";
    String b =
        "processes:\n  - {name: keep, cmd: sleep, args: [\"1000\"]}\n  - {name: beta, cmd: sleep, args: [\"1002\"]}\n";
    String broken = "processes:\n  - {name: keep, cmd: sleep, minWait: 3}\n";
    Path config = Files.writeString(tmp.resolve("pmux.yml"), a);
    try (PmuxProcess pmux = startPmux(config)) {
      pmux.awaitStderr("alpha ~ starting process\n", Duration.ofSeconds(20));
      String[] variants = {b, broken, a, b, broken, b};
      for (int i = 0; i < 60; i++) {
        Files.writeString(config, variants[i % variants.length]);
        pmux.signal("HUP");
      }
      Files.writeString(config, b);
      pmux.signal("HUP");
      pmux.awaitStderr("beta  ~ starting process\n", Duration.ofSeconds(20));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  leaks.marked().stream()
                      .map(OperatorStormIT::commandLine)
                      .anyMatch(cmd -> cmd.endsWith("sleep 1002")));
      assertThat(pmux.isAlive()).isTrue();
      assertThat(pmux.stderr()).containsOnlyOnce("keep  ~ starting process");
      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(pmux.stderr()).doesNotContain("Exception");
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void sigtermDuringStartUp_stopsCleanly() throws Exception {
    StringBuilder yaml = new StringBuilder("processes:\n");
    for (int i = 0; i < 40; i++) {
      yaml.append("  - {name: p").append(i).append(", cmd: sleep, args: [\"1000\"]}\n");
    }
    Path config = Files.writeString(tmp.resolve("pmux.yml"), yaml.toString());
    try (PmuxProcess pmux = startPmux(config)) {
      pmux.awaitStderr("p0   ~ starting process\n", Duration.ofSeconds(20));
      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(pmux.stderr()).endsWith("pmux ~ exited gracefully, ciao!\n");
      await().atMost(Duration.ofSeconds(3)).until(() -> leaks.marked().isEmpty());
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void sigtermDuringReload_stopsCleanly() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("pmux.yml"), "processes:\n  - {name: a, cmd: sleep, args: [\"1000\"]}\n");
    try (PmuxProcess pmux = startPmux(config)) {
      pmux.awaitStderr("a    ~ starting process\n", Duration.ofSeconds(20));
      StringBuilder yaml = new StringBuilder("processes:\n");
      for (int i = 0; i < 30; i++) {
        yaml.append("  - {name: n").append(i).append(", cmd: sleep, args: [\"1000\"]}\n");
      }
      Files.writeString(config, yaml.toString());
      pmux.signal("HUP");
      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(30))).isZero();
      await().atMost(Duration.ofSeconds(3)).until(() -> leaks.marked().isEmpty());
    }
  }

  private static String commandLine(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
  }
}
