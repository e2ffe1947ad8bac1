package dev.pmux.jmx;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.pmux.config.ConfigLoader;
import dev.pmux.config.JmxSpec;
import dev.pmux.config.PmuxConfig;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.AttributeList;
import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Operators' view: every test goes through a real JMX connector on loopback, with credentials. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
// Its clients connect to the test's own connector, which is what pmux ctl does through JNDI.
// JMX hands dates to its clients as java.util.Date, which is what some of its tests check.
@SuppressWarnings({"BanJNDI", "JavaUtilDate"})
class JmxIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private final CapturedOutput output = new CapturedOutput();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final List<JMXConnector> clients = new ArrayList<>();
  private final CompletableFuture<Void> shutdownRequested = new CompletableFuture<>();

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private Supervisor supervisor;

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private ManagementBeans beans;

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private MBeanServer beansServer;

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private RemoteJmxConnector connector;

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private JmxSpec jmx;

  /** Writes {@code yaml} as pmux.yml, starts pmux's core on it with its beans and connector. */
  private void start(String yaml) throws Exception {
    Path configFile = Files.writeString(tmp.resolve("pmux.yml"), yaml);
    PmuxConfig config = ConfigLoader.load(configFile);
    SupervisorRuntime runtime = RealRuntime.create(leaks.environment(), scheduler);
    supervisor = new Supervisor(config, output.merged(), runtime);
    MBeanServer server = MBeanServerFactory.newMBeanServer();
    beansServer = server;
    beans =
        new ManagementBeans(
            server, supervisor, output.merged(), () -> shutdownRequested.complete(null));
    beans.registerAll();
    Path passwords =
        Files.writeString(
            tmp.resolve("jmxremote.password"), "monitor watch-only\ncontrol full-access\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    Path access =
        Files.writeString(tmp.resolve("jmxremote.access"), "monitor readonly\ncontrol readwrite\n");
    jmx = new JmxSpec("127.0.0.1", freePort(), passwords, access, true, null);
    connector = RemoteJmxConnector.start(jmx, server);
    supervisor.startAll();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private MBeanServerConnection connect(String user, String password) throws IOException {
    JMXConnector client =
        JMXConnectorFactory.connect(
            RemoteJmxConnector.address(jmx),
            Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    clients.add(client);
    return client.getMBeanServerConnection();
  }

  private ProcessMXBean process(MBeanServerConnection c, String name) {
    return JMX.newMXBeanProxy(c, ObjectNames.process(name), ProcessMXBean.class, true);
  }

  private SupervisorMXBean supervisorBean(MBeanServerConnection c) {
    return JMX.newMXBeanProxy(c, ObjectNames.supervisor(), SupervisorMXBean.class);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (JMXConnector c : clients) {
      try {
        c.close();
      } catch (IOException e) {
        // the connector may be gone already
      }
    }
    if (supervisor != null) {
      supervisor.stopAll().get(30, TimeUnit.SECONDS);
    }
    if (connector != null) {
      connector.close();
    }
    if (beans != null) {
      beans.close();
    }
    scheduler.shutdownNow();
  }

  private static final String SLEEPER =
      "processes:\n  - name: sleeper\n    cmd: sleep\n    args: [\"1000\"]\n";

  @Test
  void everyAttributeOfARunningProgramReads() throws Exception {
    start(SLEEPER);
    MBeanServerConnection c = connect("monitor", "watch-only");
    ObjectName name = ObjectNames.process("sleeper");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "RUNNING".equals(c.getAttribute(name, "State")));

    MBeanAttributeInfo[] infos = c.getMBeanInfo(name).getAttributes();
    String[] names = Arrays.stream(infos).map(MBeanAttributeInfo::getName).toArray(String[]::new);
    assertThat(names)
        .containsExactlyInAnyOrder(
            "Name",
            "State",
            "StateCode",
            "Pid",
            "Running",
            "StartCount",
            "RestartCount",
            "LastExitCode",
            "LastError",
            "UptimeSeconds",
            "Uptime",
            "LastStartTime",
            "LastStartDate",
            "LastExitTime",
            "LastExitDate",
            "Snapshot",
            "NextRestartDelayMillis",
            "NextRestartInMillis",
            "Command",
            "CpuSeconds",
            "ResidentBytes",
            "RecentExits",
            "Ready",
            "ReadyTime",
            "ReadyDate",
            "States",
            "MinWaitMillis",
            "MaxWaitMillis",
            "SigKillWaitMillis",
            "AutoRestart");
    AttributeList values = c.getAttributes(name, names);
    assertThat(values.asList()).hasSize(names.length);

    ProcessMXBean p = process(c, "sleeper");
    long pid = p.getPid();
    assertThat(ProcessHandle.of(pid).map(h -> h.info().command().orElse("")))
        .hasValueSatisfying(cmd -> assertThat(cmd).endsWith("sleep"));
    assertThat(p.getName()).isEqualTo("sleeper");
    assertThat(p.getStateCode()).isEqualTo(20);
    assertThat(p.isRunning()).isTrue();
    assertThat(p.getStartCount()).isEqualTo(1);
    assertThat(p.getRestartCount()).isZero();
    assertThat(p.getLastExitCode()).isEqualTo(-1);
    assertThat(p.getLastStartTime()).isGreaterThan(0);
    assertThat(p.getLastExitTime()).isZero();
    assertThat(p.getNextRestartDelayMillis()).isZero();
    assertThat(p.getNextRestartInMillis()).as("no restart pending").isEqualTo(-1);
    assertThat(p.getCommand()).isEqualTo("sleep 1000");
    assertThat(p.getCpuSeconds()).isGreaterThanOrEqualTo(0);
    assertThat(p.getResidentBytes()).isGreaterThan(0);
    await().atMost(Duration.ofSeconds(5)).until(() -> p.getUptimeSeconds() > 0.05);

    SupervisorMXBean s = supervisorBean(c);
    assertThat(s.getProcessNames()).containsExactly("sleeper");
    assertThat(s.getProcessCount()).isEqualTo(1);
    assertThat(s.getRunningCount()).isEqualTo(1);
    assertThat(s.getUptimeSeconds()).isGreaterThan(0);
    assertThat(s.getConfigFile()).isEqualTo(tmp.resolve("pmux.yml").toString());
  }

  @Test
  void stopStartRestart_moveStatePidAndCounts() throws Exception {
    start(SLEEPER);
    ProcessMXBean p = process(connect("control", "full-access"), "sleeper");
    await().atMost(Duration.ofSeconds(10)).until(p::isRunning);
    long firstPid = p.getPid();

    assertThat(p.stop()).isEqualTo("sleeper: stopped");
    assertThat(p.getState()).isEqualTo("STOPPED");
    assertThat(p.getPid()).isEqualTo(-1);
    assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(p.stop()).isEqualTo("sleeper: already STOPPED");

    assertThat(p.start()).isEqualTo("sleeper: started");
    assertThat(p.start()).isEqualTo("sleeper: not started, it is RUNNING");
    long secondPid = p.getPid();
    assertThat(secondPid).isNotEqualTo(firstPid).isPositive();

    assertThat(p.restart()).isEqualTo("sleeper: restarted");
    assertThat(p.getState()).isEqualTo("RUNNING");
    assertThat(p.getPid()).isNotEqualTo(secondPid);
    assertThat(p.getStartCount()).isEqualTo(3);
    assertThat(p.getRestartCount()).as("operator actions are not restarts").isZero();
    assertThat(output.stderr())
        .contains(
            "sleeper ~ exited: context canceled\nsleeper ~ stopped process handler\nsleeper ~ starting process\n");
  }

  @Test
  void aPendingRestart_saysTheTimeLeftBesideTheWholeDelay() throws Exception {
    start(
        "processes:\n  - name: crash\n    cmd: "
            + Scripts.path("exit-with.sh")
            + "\n    args: [\"7\"]\n    minWait: 30s\n    maxWait: 30s\n");
    ProcessMXBean p = process(connect("monitor", "watch-only"), "crash");
    await().atMost(Duration.ofSeconds(10)).until(() -> "BACKOFF".equals(p.getState()));
    assertThat(p.getNextRestartDelayMillis()).isEqualTo(30_000);
    long first = p.getNextRestartInMillis();
    assertThat(first).isBetween(1L, 30_000L);
    await().atMost(Duration.ofSeconds(10)).until(() -> p.getNextRestartInMillis() < first);
    assertThat(p.getNextRestartDelayMillis()).as("the whole delay stays").isEqualTo(30_000);

    ProcessMXBean control = process(connect("control", "full-access"), "crash");
    assertThat(control.stop()).isEqualTo("crash: stopped");
    assertThat(p.getNextRestartInMillis()).as("nothing pending once STOPPED").isEqualTo(-1);
    assertThat(p.getNextRestartDelayMillis()).isZero();
  }

  @Test
  void aCrashingProgram_showsBackoffAndCountsRestarts() throws Exception {
    start(
        "processes:\n  - name: crash\n    cmd: "
            + Scripts.path("exit-with.sh")
            + "\n    args: [\"7\"]\n    minWait: 300ms\n    maxWait: 300ms\n");
    ProcessMXBean p = process(connect("monitor", "watch-only"), "crash");
    await().atMost(Duration.ofSeconds(10)).until(() -> p.getRestartCount() >= 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> "BACKOFF".equals(p.getState()));
    assertThat(p.getStateCode()).isEqualTo(30);
    assertThat(p.getLastExitCode()).isEqualTo(7);
    assertThat(p.getNextRestartDelayMillis()).isEqualTo(300);
    assertThat(p.getLastExitTime()).isGreaterThanOrEqualTo(p.getLastStartTime());
    assertThat(p.getStartCount()).isGreaterThanOrEqualTo(p.getRestartCount() + 1);

    List<ExitRow> exits = p.getRecentExits();
    assertThat(exits).hasSizeGreaterThanOrEqualTo(2);
    assertThat(exits).extracting(ExitRow::exitTime).isSortedAccordingTo(Comparator.reverseOrder());
    ExitRow first = exits.get(exits.size() - 1);
    assertThat(first.exitCode()).isEqualTo(7);
    assertThat(first.signal()).isEmpty();
    assertThat(first.restarted()).isTrue();
    assertThat(first.ranForMillis()).isGreaterThanOrEqualTo(0L);
    assertThat(first.exitedAt().getTime()).isEqualTo(first.exitTime());
    // Generic clients (JConsole) see open data: rows whose columns are named for people.
    Object raw =
        connect("monitor", "watch-only").getAttribute(ObjectNames.process("crash"), "RecentExits");
    assertThat(raw).isInstanceOf(CompositeData[].class);
    CompositeData row = ((CompositeData[]) raw)[0];
    assertThat(row.getCompositeType().keySet())
        .containsExactlyInAnyOrder(
            "exitedAt", "exitTime", "exitCode", "signal", "ranForMillis", "restarted");
    assertThat(row.get("exitedAt")).isInstanceOf(Date.class);
  }

  @Test
  void stateNotificationsArriveInOrder() throws Exception {
    start(SLEEPER);
    MBeanServerConnection c = connect("control", "full-access");
    ProcessMXBean p = process(c, "sleeper");
    await().atMost(Duration.ofSeconds(10)).until(p::isRunning);
    List<String> seen = new CopyOnWriteArrayList<>();
    c.addNotificationListener(
        ObjectNames.process("sleeper"),
        (n, handback) -> {
          if (n instanceof AttributeChangeNotification change) {
            seen.add(
                change.getAttributeName()
                    + ":"
                    + change.getOldValue()
                    + "->"
                    + change.getNewValue());
          }
        },
        null,
        null);
    p.restart();
    p.stop();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(seen)
                    .containsExactly(
                        "State:RUNNING->STOPPING",
                        "State:STOPPING->STOPPED",
                        "State:STOPPED->STARTING",
                        "State:STARTING->RUNNING",
                        "State:RUNNING->STOPPING",
                        "State:STOPPING->STOPPED"));
  }

  @Test
  void everyAttributeOperationAndParameter_isDescribedAndNamed() throws Exception {
    start(SLEEPER);
    MBeanServerConnection c = connect("monitor", "watch-only");
    for (ObjectName name : List.of(ObjectNames.process("sleeper"), ObjectNames.supervisor())) {
      MBeanInfo info = c.getMBeanInfo(name);
      assertThat(info.getDescription()).as(name.toString()).doesNotContain("MXBean");
      for (MBeanAttributeInfo a : info.getAttributes()) {
        assertThat(a.getDescription())
            .as(name + " attribute " + a.getName())
            .isNotBlank()
            .isNotEqualTo("Attribute exposed for management");
      }
      for (MBeanOperationInfo o : info.getOperations()) {
        assertThat(o.getDescription())
            .as(name + " operation " + o.getName())
            .isNotBlank()
            .isNotEqualTo("Operation exposed for management");
        for (MBeanParameterInfo param : o.getSignature()) {
          assertThat(param.getName()).as(o.getName()).doesNotMatch("p\\d+");
          assertThat(param.getDescription()).as(o.getName()).isNotBlank().doesNotMatch("p\\d+");
        }
      }
    }
    MBeanOperationInfo[] ops = c.getMBeanInfo(ObjectNames.process("sleeper")).getOperations();
    assertThat(ops)
        .filteredOn(o -> o.getSignature().length > 0)
        .extracting(o -> o.getName() + "(" + o.getSignature()[0].getName() + ")")
        .containsExactlyInAnyOrder("signal(name)", "tail(lines)");
    for (ObjectName name : List.of(ObjectNames.process("sleeper"), ObjectNames.supervisor())) {
      for (MBeanOperationInfo o : c.getMBeanInfo(name).getOperations()) {
        assertThat(o.getImpact())
            .as(name + " operation " + o.getName())
            .isEqualTo(
                o.getName().equals("tail") ? MBeanOperationInfo.INFO : MBeanOperationInfo.ACTION);
      }
    }
  }

  @Test
  void timesHaveDateTwins_andUptimeIsToTheMillisecond_withAWholeSecondsTwin() throws Exception {
    start(SLEEPER);
    MBeanServerConnection c = connect("monitor", "watch-only");
    ProcessMXBean p = process(c, "sleeper");
    await().atMost(Duration.ofSeconds(10)).until(p::isRunning);
    assertThat(c.getAttribute(ObjectNames.process("sleeper"), "LastStartDate"))
        .isInstanceOf(Date.class);
    assertThat(requireNonNull(p.getLastStartDate()).getTime()).isEqualTo(p.getLastStartTime());
    assertThat(p.getLastExitDate()).isNull();
    double uptime = p.getUptimeSeconds();
    assertThat(uptime * 1000).isCloseTo(Math.rint(uptime * 1000), within(1e-6));
    double pmuxUptime = supervisorBean(c).getUptimeSeconds();
    assertThat(pmuxUptime * 1000).isCloseTo(Math.rint(pmuxUptime * 1000), within(1e-6));
    // Whole seconds for people, as pmux.yml writes durations.
    assertThat(p.getUptime()).matches("[0-9]+s");
    assertThat(supervisorBean(c).getUptime()).matches("([0-9]+m)?[0-9]+s");
    assertThat(process(connect("control", "full-access"), "sleeper").stop())
        .isEqualTo("sleeper: stopped");
    assertThat(p.getUptime()).as("not running").isEmpty();
    assertThat(supervisorBean(c).getStartDate()).isBeforeOrEqualTo(p.getLastStartDate());
  }

  @Test
  void snapshot_listsTheDaemonThatLeftTheGroup_asAStray() throws Exception {
    Path pidFile = tmp.resolve("daemon.pid");
    start(
        """
        processes:
          - name: app
            cmd: /bin/sh
            args: ["-c", "setsid sleep 1000 & echo $! > %s; wait"]
            sigKillWait: 500ms
        """
            .formatted(pidFile));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile));
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.readString(pidFile).isBlank());
    long daemon = Long.parseLong(Files.readString(pidFile).trim());
    ProcessMXBean p = process(connect("monitor", "watch-only"), "app");

    ProcessStatus s = p.getSnapshot();

    assertThat(s.strays()).containsExactly(daemon);
    assertThat(s.pid()).isNotEqualTo(daemon);
  }

  @Test
  void snapshot_whileCrashLooping_neverMixesMoments() throws Exception {
    start(
        """
        processes:
          - name: crash
            cmd: /bin/sh
            args: ["-c", "exit 3"]
            minWait: 50ms
            maxWait: 100ms
        """);
    // BACKOFF long enough against an exit's handling (its last output, a look at the process
    // tree) that reads see every state on a loaded machine.
    ProcessMXBean p = process(connect("monitor", "watch-only"), "crash");
    Set<String> statesSeen = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int reads = 0;
    while (reads < 2000 && System.nanoTime() < deadline) {
      ProcessStatus s = p.getSnapshot();
      reads++;
      statesSeen.add(s.state());
      String seen = s.toString();
      assertThat(s.name()).isEqualTo("crash");
      assertThat(s.running()).as(seen).isEqualTo(s.state().equals("RUNNING"));
      assertThat(s.pid() > 0).as(seen).isEqualTo(s.state().equals("RUNNING"));
      assertThat(s.uptimeSeconds() > 0).as(seen).isEqualTo(s.running() && s.uptimeSeconds() > 0);
      assertThat(s.stateCode())
          .as(seen)
          .isEqualTo(
              Map.of("STARTING", 10, "RUNNING", 20, "BACKOFF", 30, "STOPPED", 0)
                  .getOrDefault(s.state(), -1));
      if (s.state().equals("BACKOFF")) {
        assertThat(s.nextRestartDelayMillis()).as(seen).isPositive();
        assertThat(s.lastExitCode()).as(seen).isEqualTo(3);
      }
      assertThat(s.startCount()).as(seen).isGreaterThanOrEqualTo(s.restartCount());
    }
    assertThat(statesSeen).as("a crash loop seen in %d reads", reads).contains("BACKOFF");
  }

  @Test
  void operatorActions_areOnTheRecord_withWhoAskedThem() throws Exception {
    // USR1 would end a plain sleep, and whether stop then finds it running or already in backoff
    // is a race: this one ignores USR1, so stop always has a process to interrupt.
    start(
        """
        processes:
          - name: sleeper
            cmd: /bin/sh
            args: ["-c", "trap '' USR1; exec sleep 1000"]
        """);
    MBeanServerConnection c = connect("control", "full-access");
    ProcessMXBean p = process(c, "sleeper");
    await().atMost(Duration.ofSeconds(10)).until(p::isRunning);
    List<String> heard = new CopyOnWriteArrayList<>();
    NotificationListener listener =
        (n, handback) -> {
          if (n.getType().equals(ProcessMXBean.OPERATOR_ACTION)) {
            heard.add(n.getSource() + " " + n.getMessage());
          }
        };
    c.addNotificationListener(ObjectNames.process("sleeper"), listener, null, null);
    c.addNotificationListener(ObjectNames.supervisor(), listener, null, null);

    p.signal("USR1");
    p.stop();
    p.start();
    p.restart();
    supervisorBean(c).reload();
    // An in-process call, as through an attach by pid: no remote principal.
    JMX.newMXBeanProxy(beansServer, ObjectNames.process("sleeper"), ProcessMXBean.class)
        .resetBackoff();

    String by = " requested by control (JMX 127.0.0.1)";
    assertThat(output.stderr())
        .contains(
            "sleeper ~ signal USR1" + by + "\nsleeper ~ sending user defined signal 1 signal\n",
            "sleeper ~ stop" + by + "\nsleeper ~ sending interrupt signal\n",
            "sleeper ~ start" + by + "\nsleeper ~ starting process\n",
            "sleeper ~ restart" + by + "\n",
            "pmux    ~ reload" + by + "\npmux    ~ reloaded " + tmp.resolve("pmux.yml"),
            "sleeper ~ reset backoff requested by local\n");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(heard)
                    .containsExactly(
                        "pmux:type=Process,name=sleeper signal USR1" + by,
                        "pmux:type=Process,name=sleeper stop" + by,
                        "pmux:type=Process,name=sleeper start" + by,
                        "pmux:type=Process,name=sleeper restart" + by,
                        "pmux:type=Supervisor reload" + by,
                        "pmux:type=Process,name=sleeper reset backoff requested by local"));
  }

  @Test
  void readonlyUserReadsButCannotInvoke() throws Exception {
    start(SLEEPER);
    ProcessMXBean p = process(connect("monitor", "watch-only"), "sleeper");
    await().atMost(Duration.ofSeconds(10)).until(p::isRunning);
    assertThatThrownBy(p::stop).isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> supervisorBean(connect("monitor", "watch-only")).shutdown())
        .isInstanceOf(SecurityException.class);
    assertThat(p.getState()).isEqualTo("RUNNING");
    assertThat(shutdownRequested).isNotDone();
  }

  @Test
  void evenReadWriteUsersCannotReachBeyondPmux() throws Exception {
    start(SLEEPER);
    MBeanServerConnection c = connect("control", "full-access");
    ObjectName mlet = new ObjectName("pmux:type=MLet");
    assertThatThrownBy(() -> c.createMBean("javax.management.loading.MLet", mlet))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> c.unregisterMBean(ObjectNames.process("sleeper")))
        .isInstanceOf(SecurityException.class);
    assertThat(c.queryNames(new ObjectName("*:type=MLet,*"), null)).isEmpty();
    // Reading the JVM's own beans is fine; invoking them (a heap dump, a native agent) is not.
    c.getMBeanInfo(new ObjectName("JMImplementation:type=MBeanServerDelegate"));
    assertThatThrownBy(
            () ->
                c.invoke(
                    new ObjectName("JMImplementation:type=MBeanServerDelegate"),
                    "toString",
                    null,
                    null))
        .isInstanceOf(SecurityException.class);
    // Untouched by all of that: it comes up as it would have.
    await().atMost(Duration.ofSeconds(10)).until(() -> process(c, "sleeper").isRunning());
  }

  @Test
  void wrongOrMissingCredentialsAreRefused() throws Exception {
    start(SLEEPER);
    assertThatThrownBy(() -> connect("control", "guess")).isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> JMXConnectorFactory.connect(RemoteJmxConnector.address(jmx)))
        .isInstanceOf(SecurityException.class);
  }

  @Test
  void aWorldReadablePasswordFileIsRefused() throws Exception {
    Path passwords = Files.writeString(tmp.resolve("open.password"), "control x\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-r--r--"));
    JmxSpec open = new JmxSpec("127.0.0.1", freePort(), passwords, null, true, null);
    assertThatThrownBy(() -> RemoteJmxConnector.start(open, MBeanServerFactory.newMBeanServer()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("must be accessible by its owner only");
  }

  @Test
  void aLaunchThatFails_isBackoffWithItsReasonInLastError() throws Exception {
    start(
        """
        processes:
          - {name: ghost, cmd: does-not-exist-xyz, minWait: 50ms, maxWait: 100ms}
        """);
    ProcessMXBean p = process(connect("control", "full-access"), "ghost");
    String reason = "exec: \"does-not-exist-xyz\": executable file not found in $PATH";
    await().atMost(Duration.ofSeconds(10)).until(() -> p.getLastError().equals(reason));
    assertThat(p.getState()).isIn("BACKOFF", "STARTING");
    assertThat(p.getSnapshot().lastError()).isEqualTo(reason);
  }

  @Test
  void signalAndTail() throws Exception {
    start(
        "processes:\n  - name: talker\n    cmd: "
            + Scripts.path("ignore-int.sh")
            + "\n    sigKillWait: 500ms\n");
    ProcessMXBean p = process(connect("control", "full-access"), "talker");
    await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("ready"));
    assertThat(p.signal("term")).isEqualTo("talker: sent TERM");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.stderr().contains("talker » ignoring TERM"));
    assertThatThrownBy(() -> p.signal("BOGUS"))
        .hasMessageContaining("unknown signal 'BOGUS'; use one of HUP, INT");
    // The script's sleep may die of the signal too (bash then says "Terminated").
    assertThat(p.tail(5))
        .containsSubsequence(
            "talker ~ signal TERM requested by control (JMX 127.0.0.1)",
            "talker ~ sending terminated signal",
            "talker » ignoring TERM");
    assertThat(p.tail(100)).startsWith("talker ~ starting process", "talker › ready");
    assertThat(p.tail(0)).isEqualTo(p.tail(Integer.MAX_VALUE)).hasSizeGreaterThan(5);
    assertThat(p.tail(-1)).isEqualTo(p.tail(0));
  }

  @Test
  void reload_addsRemovesAndChangesProgramsWhileUnchangedOnesKeepTheirPid() throws Exception {
    start(
        """
        processes:
          - {name: keep, cmd: sleep, args: ["1000"]}
          - {name: drop, cmd: sleep, args: ["1001"]}
          - {name: change, cmd: sleep, args: ["1002"]}
        """);
    MBeanServerConnection c = connect("control", "full-access");
    await().atMost(Duration.ofSeconds(10)).until(() -> supervisorBean(c).getRunningCount() == 3);
    long keepPid = process(c, "keep").getPid();
    long changePid = process(c, "change").getPid();

    Files.writeString(
        tmp.resolve("pmux.yml"),
        """
        processes:
          - {name: keep, cmd: sleep, args: ["1000"]}
          - {name: change, cmd: sleep, args: ["1003"]}
          - {name: add, cmd: sleep, args: ["1004"]}
        """);
    assertThat(supervisorBean(c).reload())
        .endsWith("added [add], changed [change], removed [drop]");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !c.isRegistered(ObjectNames.process("drop")));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> process(c, "change").isRunning() && process(c, "add").isRunning());
    assertThat(process(c, "keep").getPid()).isEqualTo(keepPid);
    assertThat(process(c, "change").getPid()).isNotEqualTo(changePid);
    assertThat(process(c, "change").getCommand()).isEqualTo("sleep 1003");
    assertThat(supervisorBean(c).getProcessNames()).containsExactly("keep", "change", "add");

    Files.writeString(
        tmp.resolve("pmux.yml"), "processes:\n  - {name: keep, cmd: sleep, minWait: 10}\n");
    assertThatThrownBy(() -> supervisorBean(c).reload())
        .hasMessageContaining("processes[0].minWait");
    assertThat(supervisorBean(c).getProcessNames()).containsExactly("keep", "change", "add");
    assertThat(process(c, "keep").getPid()).isEqualTo(keepPid);
  }

  @Test
  void aProgramRemovedAndBroughtBackWhileStillStopping_keepsItsBean() throws Exception {
    String with =
        "processes:\n  - {name: keep, cmd: sleep, args: [\"1000\"]}\n"
            + "  - {name: slow, cmd: "
            + Scripts.path("ignore-int.sh")
            + ", sigKillWait: 1s}\n";
    start(with);
    MBeanServerConnection c = connect("control", "full-access");
    await().atMost(Duration.ofSeconds(10)).until(() -> process(c, "slow").isRunning());
    long oldPid = process(c, "slow").getPid();
    Files.writeString(
        tmp.resolve("pmux.yml"), "processes:\n  - {name: keep, cmd: sleep, args: [\"1000\"]}\n");
    assertThat(supervisorBean(c).reload()).endsWith("removed [slow]");
    Files.writeString(tmp.resolve("pmux.yml"), with);
    assertThat(supervisorBean(c).reload()).endsWith("added [slow], changed [], removed []");
    // The old one gets SIGKILLed after its sigKillWait; the bean must stay, on the new one.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> c.isRegistered(ObjectNames.process("slow")));
    assertThat(process(c, "slow").isRunning()).isTrue();
    assertThat(process(c, "slow").getPid()).isNotEqualTo(oldPid);
  }

  @Test
  void liveTuning_overJmx_isReportedAndReadonlyUsersCannotDoIt() throws Exception {
    start(
        "processes:\n  - {name: crash, cmd: "
            + Scripts.path("exit-with.sh")
            + ", args: [\"1\"], minWait: 100ms, maxWait: 100ms}\n");
    MBeanServerConnection c = connect("control", "full-access");
    ObjectName name = ObjectNames.process("crash");
    ProcessMXBean p = process(c, "crash");
    assertThat(p.getMinWaitMillis()).isEqualTo(100);
    assertThat(p.isAutoRestart()).isTrue();
    c.setAttribute(name, new Attribute("MaxWaitMillis", 300L));
    c.setAttribute(name, new Attribute("MinWaitMillis", 300L));
    assertThat(p.getMinWaitMillis()).isEqualTo(300);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> output.stderr().contains("crash ~ will restart process in 300ms"));
    assertThat(output.stderr())
        .contains(
            "crash ~ maxWait set to 300ms, requested by control (JMX 127.0.0.1)\n",
            "crash ~ minWait set to 300ms, requested by control (JMX 127.0.0.1)\n");
    assertThatThrownBy(() -> c.setAttribute(name, new Attribute("MinWaitMillis", 5000L)))
        .hasStackTraceContaining("minWait must be <= maxWait (300ms), was 5s");
    // The same bound as in pmux.yml; an absurd value never reaches a stop's deadline.
    assertThatThrownBy(
            () -> c.setAttribute(name, new Attribute("SigKillWaitMillis", Long.MAX_VALUE)))
        .hasStackTraceContaining("sigKillWait must be at most 24h0m0s (86400000 ms)");
    c.setAttribute(name, new Attribute("SigKillWaitMillis", 86_400_000L));
    assertThat(p.getSigKillWaitMillis()).isEqualTo(86_400_000L);
    assertThat(p.resetBackoff()).isEqualTo("crash: backoff reset");
    MBeanServerConnection readonly = connect("monitor", "watch-only");
    assertThatThrownBy(() -> readonly.setAttribute(name, new Attribute("AutoRestart", false)))
        .isInstanceOf(SecurityException.class);
    p.setAutoRestart(false);
    await().atMost(Duration.ofSeconds(10)).until(() -> "EXITED".equals(p.getState()));
    assertThat(p.startNow()).isEqualTo("crash: started");
    assertThat(p.isReady()).as("without a ready: check, ready while running").isIn(true, false);
  }

  @Test
  void readyAttributeFollowsTheReadyCheck() throws Exception {
    start(
        "processes:\n  - {name: db, cmd: /bin/sh, args: [\"-c\", \"sleep 0.3; echo up; exec sleep 1000\"], ready: {log: up, timeout: 10s}}\n");
    ProcessMXBean p = process(connect("monitor", "watch-only"), "db");
    await().atMost(Duration.ofSeconds(10)).until(p::isRunning);
    assertThat(p.isReady()).isFalse();
    await().atMost(Duration.ofSeconds(10)).until(p::isReady);
    assertThat(p.getReadyTime()).isGreaterThanOrEqualTo(p.getLastStartTime());
    assertThat(requireNonNull(p.getReadyDate()).getTime()).isEqualTo(p.getReadyTime());
  }

  @Test
  void shutdownOperationRequestsTheGracefulExit() throws Exception {
    start(SLEEPER);
    assertThat(supervisorBean(connect("control", "full-access")).shutdown())
        .isEqualTo("shutting down");
    assertThat(shutdownRequested).isDone();
  }

  @Test
  void manyOperatorsAtOnce_endInConsistentStatesWithNothingLeaked() throws Exception {
    start(
        "processes:\n"
            + "  - {name: steady, cmd: sleep, args: [\"1000\"], sigKillWait: 1s}\n"
            + "  - {name: crashy, cmd: "
            + Scripts.path("exit-with.sh")
            + ", args: [\"2\"], minWait: 10ms, maxWait: 50ms}\n"
            + "  - {name: stubborn, cmd: "
            + Scripts.path("ignore-int.sh")
            + ", sigKillWait: 200ms}\n");
    MBeanServerConnection c = connect("control", "full-access");
    int threadsBefore = Thread.activeCount();
    String[] names = {"steady", "crashy", "stubborn"};
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      workers.add(
          CompletableFuture.runAsync(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 40; i++) {
                  ProcessMXBean p = process(c, names[random.nextInt(names.length)]);
                  switch (random.nextInt(4)) {
                    case 0 -> p.start();
                    case 1 -> p.stop();
                    case 2 -> p.restart();
                    default -> p.getState();
                  }
                }
              },
              Executors.newSingleThreadExecutor()));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    supervisorBean(c).stopAll();
    for (String name : names) {
      ProcessMXBean p = process(c, name);
      assertThat(p.getState()).isEqualTo("STOPPED");
      assertThat(p.getPid()).isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> leaks.marked().isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.activeCount() <= threadsBefore + 16);
  }
}
