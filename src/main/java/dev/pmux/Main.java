package dev.pmux;

import dev.pmux.config.ConfigException;
import dev.pmux.config.ConfigLoader;
import dev.pmux.config.ConfigLocation;
import dev.pmux.config.PmuxConfig;
import dev.pmux.config.ProcessSpec;
import dev.pmux.exec.CommonsExecLauncher;
import dev.pmux.exec.DaemonThreads;
import dev.pmux.exec.JournalingLauncher;
import dev.pmux.exec.KnownChildren;
import dev.pmux.exec.LibcGroupKiller;
import dev.pmux.exec.OrphanGuard;
import dev.pmux.exec.OrphanReaper;
import dev.pmux.exec.PidFile;
import dev.pmux.exec.PrivateDirectory;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.RotatingOutputFile;
import dev.pmux.exec.RunDirectory;
import dev.pmux.exec.SystemTimeline;
import dev.pmux.exec.Terminal;
import dev.pmux.exec.Timeline;
import dev.pmux.jmx.JmxFileException;
import dev.pmux.jmx.ManagementBeans;
import dev.pmux.jmx.OnDemandPlatformBeans;
import dev.pmux.jmx.RemoteJmxConnector;
import dev.pmux.log.Log4jStartup;
import dev.pmux.output.LineFormat;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.ReloadRequests;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import dev.pmux.supervisor.SupervisorRuntime;
import dev.pmux.supervisor.UpgradeState;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.management.JMException;
import org.jspecify.annotations.Nullable;

/**
 * pmux's entry point: the only code that reads argv, installs OS signal handlers and calls {@code
 * System.exit}. Exit status: 0 after a graceful stop or when every program has exited; the exit
 * code of an essential program that ended for good; 1 after a forced stop (second signal) or when
 * pmux cannot start; 2 for bad usage or configuration.
 */
public final class Main {
  // How long pmux's exit waits for a Log4j start under way (which delivers the program lines held
  // meanwhile) before it exits all the same.
  private static final long LOG4J_START_MILLIS = 30_000;

  private Main() {}

  public static void main(String[] args) {
    // First of all, so that a stop signal during start-up is never a silent death.
    StartupTrace.mark("main entered");
    StopSignals stops = StopSignals.install();
    AgentOptions.forget();
    quietConfigurationLogging();
    OnDemandPlatformBeans.install();
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      fail(String.valueOf(e.getMessage()));
      return;
    }
    if (arguments.help()) {
      System.out.println(Arguments.USAGE);
      System.exit(0);
    }
    PmuxConfig config;
    try {
      config =
          ConfigLoader.load(
              ConfigLocation.resolve(
                  arguments.config(), System.getenv(), Path.of("").toAbsolutePath()));
    } catch (ConfigException e) {
      fail(String.valueOf(e.getMessage()));
      return;
    }
    StartupTrace.mark("config read");
    if (arguments.preflight()) {
      System.exit(InPlaceUpgrade.checkInstallation());
    }
    System.exit(run(config, arguments.pidFile(), args, stops));
  }

  /** pmux's life, from a checked configuration to its exit status. */
  private static int run(
      PmuxConfig config, @Nullable PidFile pidFile, String[] args, StopSignals stops) {
    MergedOutput output = mergedOutput(config);
    ProcessGroupKiller killer = new LibcGroupKiller();
    OrphanGuard guard;
    UpgradeState handed;
    try {
      handed = InPlaceUpgrade.handed();
      guard = claimRunDirectory(killer, output, handed);
    } catch (IOException e) {
      System.err.println("pmux: " + e.getMessage());
      return 1;
    }
    Supervisor supervisor = supervisor(config, output, guard, killer, handed);
    InPlaceUpgrade.allow(supervisor, args, guard);
    StartupTrace.mark("supervisor built (orphan guard, launcher, group killer)");
    stops.attach(
        () -> {
          // A second signal means "now": no waiting, no lock, nothing left behind.
          supervisor.killAll();
          output.lastEvent("pmux", "forced exit: sent killed signal to every process group");
        });
    ReloadRequests reloads = new ReloadRequests(supervisor, output);
    JvmSignals.on("HUP", reloads::request);
    Runtime.getRuntime().addShutdownHook(new Thread(supervisor::killAll, "pmux-last-resort-kill"));

    // A remote connector's problems (files, port) end pmux before any program starts; local JMX
    // (pmux ctl) costs nothing until a client first attaches, unless the JVM starts its local
    // connector itself, as bin/pmux has it do (a ctl must find it under a used-up ulimit -u).
    RemoteJmxConnector connector = null;
    try {
      OnDemandPlatformBeans.whenBuilt(
          server ->
              new ManagementBeans(server, supervisor, output, stops::requestStop).registerAll());
      if (config.jmx().isPresent()) {
        connector =
            RemoteJmxConnector.start(
                config.jmx().get(), ManagementFactory.getPlatformMBeanServer());
      }
    } catch (IOException | JMException e) {
      System.err.println("pmux: cannot start JMX: " + e.getMessage());
      return e instanceof JmxFileException ? 2 : 1;
    }
    StartupTrace.mark("JMX ready");

    if (!stops.requested().isDone()) {
      InPlaceUpgrade.startOrAdopt(supervisor, handed, output);
    }
    StartupTrace.mark("programs launched");
    // Log4j starts when something is first logged (a program's line, a diagnostic), not before.
    if (pidFile != null && !pidFile.write()) {
      System.err.println("pmux: cannot write pid file " + pidFile + "; stopping");
      stops.requestStop();
    }
    int status = awaitEnd(supervisor, output, stops);
    // No bound of pmux's own: each program's stop ends within its own (possibly tuned)
    // sigKillWait, and a second signal still means "now".
    supervisor.shutdown().join();
    if (connector != null) {
      connector.close();
    }
    finish(output, pidFile, guard, killer);
    return stops.lastLine(output, status);
  }

  /**
   * Before anything starts: one pmux per run directory, no other user's files in it or in the logs
   * directory; then the guard that makes sure nothing outlives pmux.
   */
  private static OrphanGuard claimRunDirectory(
      ProcessGroupKiller killer, MergedOutput output, @Nullable UpgradeState handed)
      throws IOException {
    RunDirectory runDir = RunDirectory.claim(RunDirectory.locate(System.getenv()));
    String logs = System.getProperty("pmux.logs");
    if (logs != null && Files.exists(Path.of(logs))) {
      PrivateDirectory.check(Path.of(logs), "logs directory");
    }
    return handed != null
        ? InPlaceUpgrade.resumeGuard(handed, runDir.path(), output)
        : OrphanGuard.arm(runDir.path(), killer, text -> output.event("pmux", text));
  }

  private static Supervisor supervisor(
      PmuxConfig config,
      MergedOutput output,
      OrphanGuard guard,
      ProcessGroupKiller killer,
      @Nullable UpgradeState handed) {
    Timeline timeline = new SystemTimeline(scheduler());
    CommonsExecLauncher spawner = CommonsExecLauncher.forEnvironment(System.getenv());
    StartupTrace.mark("launcher: " + spawner.description());
    KnownChildren launcher =
        new KnownChildren(
            new JournalingLauncher(spawner, guard.journal(), killer, timeline),
            InPlaceUpgrade.pids(handed));
    // Orphans of programs come to pmux (container PID 1 or not) and are reaped, never left zombies.
    StartupTrace.mark(
        OrphanReaper.start(launcher, timeline) ? "subreaper" : "no subreaper: orphans go to init");
    SupervisorRuntime runtime =
        SupervisorRuntime.of(
            launcher,
            killer,
            timeline,
            // Launching blocks in fork/exec for milliseconds: one launcher per core.
            Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                DaemonThreads.named("pmux-launch")),
            Executors.newSingleThreadExecutor(DaemonThreads.named("pmux-events")));
    return new Supervisor(config, output, runtime);
  }

  /**
   * Waits for a stop signal, every program's exit or an essential program's end; returns the exit
   * status that ending gives.
   */
  private static int awaitEnd(Supervisor supervisor, MergedOutput output, StopSignals stops) {
    Object ended =
        CompletableFuture.anyOf(
                stops.requested(), supervisor.allExited(), supervisor.essentialEnded())
            .join();
    if (ended instanceof SupervisedProgram essential) {
      int code = essential.snapshot().lastExitCode();
      output.event("pmux", "essential program " + essential.name() + " ended: stopping everything");
      return code > 0 ? code : 1;
    }
    return 0;
  }

  /** After every program has stopped: their last lines, then pmux's own last line. */
  private static void finish(
      MergedOutput output,
      @Nullable PidFile pidFile,
      OrphanGuard guard,
      ProcessGroupKiller killer) {
    // One bound for everything that waits on Log4j's start below, not one each.
    long log4jDeadline = System.nanoTime() + LOG4J_START_MILLIS * 1_000_000;
    try {
      // The last lines of programs that just ended may still be on their way. The first bound
      // is for a pipe held open by a process that left its group; lines of streams that ended
      // wait for Log4j, whose start with file appenders took seconds on a loaded machine.
      output.awaitPumpsDone(Duration.ofSeconds(2));
      output.awaitDeliveries(Duration.ofNanos(log4jDeadline - System.nanoTime()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (pidFile != null) {
      pidFile.delete();
    }
    guard.disarm(killer);
    StartupTrace.mark("programs stopped");
    Log4jStartup.awaitStarted(Math.max(0, (log4jDeadline - System.nanoTime()) / 1_000_000));
    StartupTrace.mark("Log4j started");
  }

  private static MergedOutput mergedOutput(PmuxConfig config) {
    // Names in colour only where a person watches and has not asked for none (no-color.org).
    String noColor = System.getenv("NO_COLOR");
    boolean colour = noColor == null || noColor.isEmpty();
    LineFormat format =
        new LineFormat(
            config.timeFormatter(),
            // Local time, as the Go tool prints it.
            Clock.system(ZoneId.systemDefault()),
            colour && Terminal.isTerminal(1),
            colour && Terminal.isTerminal(2));
    // Padded for every program from the first line on, pmux's own start-up events included.
    format.widenFor(config.processes().stream().map(ProcessSpec::name).toList());
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    OutputStream stderr = new FileOutputStream(FileDescriptor.err);
    // bin/pmux start: both are logs/pmux.out, kept to a bounded size.
    RotatingOutputFile rotation = RotatingOutputFile.fromProperties();
    if (rotation != null) {
      stdout = rotation.counting(stdout);
      stderr = rotation.counting(stderr);
    }
    return new MergedOutput(stdout, stderr, format, config.tailLines());
  }

  /**
   * Keeps Commons Configuration's own logging quiet: through commons-logging it would start Log4j
   * (a few hundred milliseconds) on the main thread while pmux reads its configuration.
   */
  private static void quietConfigurationLogging() {
    // pmux stops its own way; Log4j's JVM hook would only race with it.
    if (System.getProperty("log4j.shutdownHookEnabled") == null) {
      System.setProperty("log4j.shutdownHookEnabled", "false");
    }
    if (System.getProperty("org.apache.commons.logging.LogFactory") == null) {
      System.setProperty(
          "org.apache.commons.logging.LogFactory",
          "org.apache.commons.logging.impl.LogFactoryImpl");
      System.setProperty(
          "org.apache.commons.logging.Log", "org.apache.commons.logging.impl.NoOpLog");
    }
  }

  private static ScheduledExecutorService scheduler() {
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("pmux-scheduler"));
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  private static void fail(String message) {
    System.err.println("pmux: " + message);
    System.exit(2);
  }
}
