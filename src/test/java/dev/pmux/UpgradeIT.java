package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.tools.attach.VirtualMachine;
import dev.pmux.jmx.ExitRow;
import dev.pmux.jmx.ObjectNames;
import dev.pmux.jmx.ProcessMXBean;
import dev.pmux.jmx.ProcessStatus;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.UnpackedInstallation;
import dev.pmux.testing.UnpackedInstallation.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/pmux upgrade} on the unpacked tar.gz: a rebuilt installation (another version in its
 * jar) takes over a running pmux in the same process, every program kept with its pid, counters,
 * tuning and every line of its output; a broken installation is refused and nothing changes.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@Tag("posix-spawn-only") // the JDK launcher refuses to upgrade: not in the jdk-launcher execution
class UpgradeIT {
  private static final int COUNTERS = 20;
  private static final Pattern COUNT = Pattern.compile("^(c\\d+) +› n (\\d+)$");

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;
  private UnpackedInstallation installation;
  private Path home;
  private Path config;
  private Map<String, String> env;

  @BeforeEach
  void unpack() throws Exception {
    installation =
        UnpackedInstallation.unpack(tmp.resolve("install"), tmp, leaks, Duration.ofMinutes(2));
    home = installation.home();
    env = installation.environment();
    env.remove("JAVA_HOME");
    StringBuilder yaml = new StringBuilder("processes:\n");
    for (int i = 0; i < COUNTERS; i++) {
      // One line every 5 ms, numbered, in one write each (a line cut by the program's own stop at
      // the end is not pmux's): a line lost, repeated or torn by the upgrade shows.
      yaml.append(
          """
            - name: c%d
              cmd: python3
              args: ["-c", "import itertools, os, time\\nfor i in itertools.count(1):\\n  os.write(1, b'n %%d\\\\n' %% i)\\n  time.sleep(0.005)"]
          """
              .formatted(i));
    }
    yaml.append(
        """
          - name: crasher
            cmd: sh
            args: ["-c", "echo crashing; exit 3"]
            minWait: 50ms
            maxWait: 100ms
          - name: waiting
            cmd: sh
            args: ["-c", "exit 4"]
            minWait: 10m
            maxWait: 10m
          - name: stopped
            cmd: sleep
            args: ["1000"]
          - name: tuned
            cmd: sleep
            args: ["1000"]
          - name: silent
            cmd: sh
            args: ["-c", "exec >/dev/null 2>&1; exec sleep 1000"]
        """);
    config = Files.writeString(tmp.resolve("pmux.yml"), yaml.toString());
  }

  @AfterEach
  void stopPmux() throws Exception {
    if (installation != null) {
      installation.stopIfRunning(20);
    }
  }

  @Test
  void twoUpgrades_keepEveryProgram_itsPid_itsCounters_andEveryLine() throws Exception {
    start();
    long pmuxPid = installation.pid();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> state("waiting").equals("BACKOFF") && running(COUNTERS + 3));
    assertThat(pmux("ctl", "stop", "stopped").status()).isZero();
    withJmx(
        pmuxPid,
        jmx -> {
          process(jmx, "tuned").setSigKillWaitMillis(4321);
          return 4321L;
        });
    Map<String, ProcessStatus> before = snapshots(pmuxPid);
    List<ExitRow> waitingExits = withJmx(pmuxPid, jmx -> process(jmx, "waiting").getRecentExits());

    for (String version : List.of("9.9.1-upgraded", "9.9.2-upgraded")) {
      rebuildWithVersion(version);
      Result upgrade = pmux("upgrade");
      assertThat(upgrade.status()).as(upgrade.err()).isZero();
      assertThat(upgrade.out()).contains("upgraded: the new pmux answers");
      long answered = System.nanoTime();
      Result list = pmux("ctl", "list");
      assertThat(list.status()).isZero();
      System.out.printf(
          "[upgrade] to %s: ctl list answered %d ms after the upgrade returned%n",
          version, (System.nanoTime() - answered) / 1_000_000);
      assertThat(Files.readString(home.resolve("logs/pmux.out")))
          .contains("-> " + version + " (commit");
    }

    assertThat(installation.pid()).isEqualTo(pmuxPid);
    assertThat(ProcessLeaks.running(pmuxPid)).isTrue();
    Map<String, ProcessStatus> after = snapshots(pmuxPid);
    for (int i = 0; i < COUNTERS; i++) {
      String name = "c" + i;
      assertThat(of(after, name).pid()).as(name).isEqualTo(of(before, name).pid());
      assertThat(of(after, name).startCount()).as(name).isEqualTo(of(before, name).startCount());
      assertThat(of(after, name).restartCount()).as(name).isEqualTo(0);
    }
    assertThat(of(after, "tuned").pid()).isEqualTo(of(before, "tuned").pid());
    // Its pipes ended long before the upgrade (it closed them): kept all the same.
    assertThat(of(after, "silent").pid()).isEqualTo(of(before, "silent").pid());
    assertThat(of(after, "stopped").state()).isEqualTo("STOPPED");
    assertThat(of(after, "waiting").state()).isEqualTo("BACKOFF");
    assertThat(of(after, "waiting").restartCount()).isEqualTo(of(before, "waiting").restartCount());
    assertThat(of(after, "crasher").restartCount())
        .isGreaterThanOrEqualTo(of(before, "crasher").restartCount());
    long tuned = withJmx(pmuxPid, jmx -> process(jmx, "tuned").getSigKillWaitMillis());
    assertThat(tuned).isEqualTo(4321L);
    List<ExitRow> exitsAfter = withJmx(pmuxPid, jmx -> process(jmx, "waiting").getRecentExits());
    assertThat(exitsAfter).isEqualTo(waitingExits);

    assertThat(pmux("stop", "20").status()).isZero();
    String out = Files.readString(home.resolve("logs/pmux.out"));
    assertEveryCountOnceInOrder(out);
    assertThat(out).doesNotContain("c0    ~ starting process\nc0    ~ starting process");
    await().atMost(Duration.ofSeconds(10)).until(() -> leaks.marked().isEmpty());
  }

  @Test
  void aBrokenInstallation_isRefused_andNothingChanges() throws Exception {
    Files.writeString(
        config,
        """
        processes:
          - name: app
            cmd: sleep
            args: ["1000"]
        """);
    start();
    long pmuxPid = installation.pid();
    await().atMost(Duration.ofSeconds(30)).until(() -> running(1));
    long app = of(snapshots(pmuxPid), "app").pid();

    // An invalid pmux.yml: the pre-flight reads it as the new pmux would.
    String good = Files.readString(config);
    Files.writeString(config, good.replace("cmd: sleep", "cmd: sleep\n    bogusKey: 1"));
    Result invalid = pmux("upgrade");
    assertThat(invalid.status()).isNotZero();
    assertThat(invalid.err()).contains("upgrade refused").contains("bogusKey");
    Files.writeString(config, good);

    // A JAVA_HOME without java.
    Files.createDirectories(tmp.resolve("jdk-without-java/bin"));
    env.put("JAVA_HOME", tmp.resolve("jdk-without-java").toString());
    Result badJava = pmux("upgrade");
    env.remove("JAVA_HOME");
    assertThat(badJava.status()).isNotZero();
    assertThat(badJava.err()).contains("JAVA_HOME is set to").contains("has no bin/java");

    // A jar missing from lib/.
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(home.resolve("lib"), "commons-exec-*.jar")) {
      for (Path jar : jars) {
        Files.move(jar, tmp.resolve(jar.getFileName()));
      }
    }
    Result missingJar = pmux("upgrade");
    assertThat(missingJar.status()).isNotZero();
    assertThat(missingJar.err()).contains("upgrade refused");

    String out = Files.readString(home.resolve("logs/pmux.out"));
    assertThat(out).doesNotContain("upgraded ");
    assertThat(ProcessLeaks.running(pmuxPid)).isTrue();
    assertThat(of(snapshots(pmuxPid), "app").pid()).isEqualTo(app);
    assertThat(pmux("ctl", "list").status()).isZero();
  }

  @Test
  void anUpgradeDuringAStop_waitsForIt_andTheStopKeepsItsDeadline() throws Exception {
    Path done = tmp.resolve("flushed");
    Files.writeString(
        config,
        """
        processes:
          - name: slow
            cmd: sh
            args: ["-c", "trap 'sleep 4; echo flushed > %s; exit 0' TERM; while :; do sleep 0.1; done"]
            stopSignal: TERM
            sigKillWait: 10s
        """
            .formatted(done));
    start();
    long pmuxPid = installation.pid();
    await().atMost(Duration.ofSeconds(30)).until(() -> running(1));

    Thread stopper =
        new Thread(
            () -> {
              try {
                pmux("ctl", "stop", "slow");
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    stopper.start();
    // Its graceful stop takes 4 s: long beside a ctl's own start, which each look costs.
    await().atMost(Duration.ofSeconds(20)).until(() -> state("slow").equals("STOPPING"));
    Result upgrade = pmux("upgrade");
    stopper.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(upgrade.status()).as(upgrade.err()).isZero();
    assertThat(Files.readString(done)).isEqualTo("flushed\n");
    assertThat(Files.readString(home.resolve("logs/pmux.out"))).doesNotContain("killed signal");
    assertThat(of(snapshots(pmuxPid), "slow").state()).isEqualTo("STOPPED");
  }

  private void start() throws Exception {
    Result started = pmux("start", "-c", config.toString());
    assertThat(started.status()).as(started.out() + started.err()).isZero();
  }

  /** Every counter's numbers appear once each, in order, whole, from 1 to its last. */
  private static void assertEveryCountOnceInOrder(String out) {
    Map<String, Long> last = new LinkedHashMap<>();
    for (String line : out.split("\n", -1)) {
      // Their stdout lines; a KeyboardInterrupt on stderr (») at the stop is theirs to print.
      if (!line.matches("c\\d+ +› .*")) {
        continue;
      }
      Matcher m = COUNT.matcher(line);
      assertThat(m.matches()).as("a whole line: '%s'", line).isTrue();
      long n = Long.parseLong(m.group(2));
      long expected = last.getOrDefault(m.group(1), 0L) + 1;
      assertThat(n).as("%s after %d", m.group(1), expected - 1).isEqualTo(expected);
      last.put(m.group(1), n);
    }
    assertThat(last).hasSize(COUNTERS);
    System.out.println("[upgrade] last numbers: " + last.values());
  }

  /** Writes the pmux jar of the installation again with {@code version} in its build info. */
  private void rebuildWithVersion(String version) throws IOException {
    Path jar;
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(home.resolve("lib"), "pmux-*.jar")) {
      jar = jars.iterator().next();
    }
    Path rebuilt = tmp.resolve("rebuilt.jar");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rebuilt))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        byte[] bytes = in.readAllBytes();
        if (e.getName().equals("dev/pmux/build.properties")) {
          bytes =
              new String(bytes, StandardCharsets.ISO_8859_1)
                  .replaceAll("(?m)^version=.*$", "version=" + version)
                  .getBytes(StandardCharsets.ISO_8859_1);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
    // As an unpacked new version would: a new file under the same name.
    Files.move(rebuilt, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private boolean running(int count) throws Exception {
    Result list = pmux("ctl", "list");
    return list.status() == 0 && list.out().split(" RUNNING ", -1).length - 1 >= count;
  }

  private String state(String name) throws Exception {
    Result status = pmux("ctl", "status", name);
    Matcher m = Pattern.compile("(?m)^state: +(\\w+)").matcher(status.out());
    return m.find() ? m.group(1) : "";
  }

  private Map<String, ProcessStatus> snapshots(long pid) throws Exception {
    return withJmx(
        pid,
        jmx -> {
          Map<String, ProcessStatus> all = new HashMap<>();
          for (String name :
              List.of("crasher", "waiting", "stopped", "tuned", "silent", "app", "slow")) {
            if (jmx.isRegistered(ObjectNames.process(name))) {
              all.put(name, process(jmx, name).getSnapshot());
            }
          }
          for (int i = 0; i < COUNTERS; i++) {
            if (jmx.isRegistered(ObjectNames.process("c" + i))) {
              all.put("c" + i, process(jmx, "c" + i).getSnapshot());
            }
          }
          return all;
        });
  }

  private static ProcessStatus of(Map<String, ProcessStatus> all, String name) {
    return java.util.Objects.requireNonNull(all.get(name), name);
  }

  private static ProcessMXBean process(MBeanServerConnection jmx, String name) {
    return JMX.newMXBeanProxy(jmx, ObjectNames.process(name), ProcessMXBean.class);
  }

  /** A step over JMX. */
  interface JmxStep<T> {
    T on(MBeanServerConnection jmx) throws Exception;
  }

  /** Runs {@code step} over a local JMX connection to pmux {@code pid}. */
  @SuppressWarnings("BanJNDI") // the address is the local agent's, from the attach API
  private static <T> T withJmx(long pid, JmxStep<T> step) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
      return step.on(connector.getMBeanServerConnection());
    }
  }

  private Result pmux(String... args) throws IOException, InterruptedException {
    return installation.pmux(args);
  }
}
