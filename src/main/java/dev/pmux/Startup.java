package dev.pmux;

import dev.pmux.config.PmuxConfig;
import dev.pmux.config.ProcessSpec;
import dev.pmux.exec.CommonsExecLauncher;
import dev.pmux.exec.DaemonThreads;
import dev.pmux.exec.JournalingLauncher;
import dev.pmux.exec.KnownChildren;
import dev.pmux.exec.LibcGroupKiller;
import dev.pmux.exec.OrphanGuard;
import dev.pmux.exec.OrphanReaper;
import dev.pmux.exec.PrivateDirectory;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.RotatingOutputFile;
import dev.pmux.exec.RunDirectory;
import dev.pmux.exec.SystemTimeline;
import dev.pmux.exec.Terminal;
import dev.pmux.exec.Timeline;
import dev.pmux.jmx.OnDemandPlatformBeans;
import dev.pmux.output.LineFormat;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.Supervisor;
import dev.pmux.supervisor.SupervisorRuntime;
import dev.pmux.supervisor.UpgradeState;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

/**
 * pmux's start-up, phase by phase, from a bare JVM to its programs running: the JVM made ready, the
 * merged output, the run directory claimed with its orphan guard, the supervisor built, and the
 * programs started or taken over from the pmux before an upgrade. {@link Main} calls the phases in
 * order.
 */
final class Startup {
  private final PmuxConfig config;
  private final MergedOutput output;
  private final ProcessGroupKiller killer;
  private final @Nullable UpgradeState handed;
  private final OrphanGuard guard;

  private Startup(
      PmuxConfig config,
      MergedOutput output,
      ProcessGroupKiller killer,
      @Nullable UpgradeState handed,
      OrphanGuard guard) {
    this.config = config;
    this.output = output;
    this.killer = killer;
    this.handed = handed;
    this.guard = guard;
  }

  /**
   * Before the configuration is read: the agent options file (it holds a password) removed, the
   * configuration library's logging kept quiet, the platform MBeans left to their first client.
   */
  static void prepareJvm() {
    AgentOptions.forget();
    quietConfigurationLogging();
    OnDemandPlatformBeans.install();
  }

  /**
   * The merged output for {@code config}; then the state an upgrade handed over, if any; then,
   * before anything starts, one pmux per run directory, no other user's files in it or in the logs
   * directory, and the guard that makes sure nothing outlives pmux.
   */
  static Startup claim(PmuxConfig config) throws IOException {
    MergedOutput output = mergedOutput(config);
    ProcessGroupKiller killer = new LibcGroupKiller();
    UpgradeState handed = InPlaceUpgrade.handed();
    RunDirectory runDir = RunDirectory.claim(RunDirectory.locate(System.getenv()));
    String logs = System.getProperty("pmux.logs");
    if (logs != null && Files.exists(Path.of(logs))) {
      PrivateDirectory.check(Path.of(logs), "logs directory");
    }
    OrphanGuard guard =
        handed != null
            ? InPlaceUpgrade.resumeGuard(handed, runDir.path(), output)
            : OrphanGuard.arm(runDir.path(), killer, text -> output.event("pmux", text));
    return new Startup(config, output, killer, handed, guard);
  }

  MergedOutput output() {
    return output;
  }

  ProcessGroupKiller killer() {
    return killer;
  }

  OrphanGuard guard() {
    return guard;
  }

  /**
   * The supervisor of the configured programs, with its launcher, group killer, clock and
   * executors; it may upgrade itself in place, re-run with {@code args}.
   */
  Supervisor supervisor(String[] args) {
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
    Supervisor supervisor = new Supervisor(config, output, runtime);
    InPlaceUpgrade.allow(supervisor, args, guard);
    return supervisor;
  }

  /** Starts the programs, or takes them over from the pmux before an upgrade and says so. */
  void startPrograms(Supervisor supervisor) {
    InPlaceUpgrade.startOrAdopt(supervisor, handed, output);
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
}
