package dev.pmux;

import dev.pmux.config.ConfigException;
import dev.pmux.config.ConfigLoader;
import dev.pmux.config.ConfigLocation;
import dev.pmux.config.PmuxConfig;
import dev.pmux.config.ProcessSpec;
import dev.pmux.exec.CommonsExecLauncher;
import dev.pmux.exec.JournalingLauncher;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.ScheduledKillTimer;
import dev.pmux.exec.Terminal;
import dev.pmux.jmx.ManagementBeans;
import dev.pmux.jmx.RemoteJmxConnector;
import dev.pmux.output.LineFormat;
import dev.pmux.output.Log4jStartup;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import dev.pmux.supervisor.SupervisorRuntime;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.MBeanServer;
import sun.misc.Signal;

/**
 * pmux's entry point: the only code that reads argv, installs OS signal handlers and calls {@code
 * System.exit}. Exit status: 0 after a graceful stop or when every program has exited; the exit
 * code of an essential program that ended for good; 1 after a forced stop (second signal) or when
 * pmux cannot start; 2 for bad usage or configuration.
 */
public final class Main {
  private static final String USAGE = "usage: pmux [-c FILE] [--pid-file FILE]";

  private Main() {}

  public static void main(String[] args) {
    quietConfigurationLogging();
    // The platform MBean server takes tens of milliseconds to build: meanwhile pmux reads its
    // config.
    CompletableFuture<MBeanServer> platform =
        CompletableFuture.supplyAsync(ManagementFactory::getPlatformMBeanServer);
    String configArg = null;
    Path pidFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-c", "--config" -> {
          if (i + 1 >= args.length) {
            fail(USAGE);
          }
          configArg = args[++i];
        }
        case "--pid-file" -> {
          if (i + 1 >= args.length) {
            fail(USAGE);
          }
          pidFile = Path.of(args[++i]);
        }
        case "-h", "--help" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> fail("unknown argument: " + args[i] + "\n" + USAGE);
      }
    }
    Path configFile =
        ConfigLocation.resolve(configArg, System.getenv(), Path.of("").toAbsolutePath());
    PmuxConfig config;
    try {
      config = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      fail(e.getMessage());
      return;
    }
    System.exit(run(config, pidFile == null ? null : new PidFile(pidFile), platform));
  }

  private static int run(
      PmuxConfig config, PidFile pidFile, CompletableFuture<MBeanServer> platform) {
    // Names in colour only where a person watches and has not asked for none (no-color.org).
    boolean colour = System.getenv("NO_COLOR") == null || System.getenv("NO_COLOR").isEmpty();
    LineFormat format =
        new LineFormat(
            config.timeFormatter(),
            Clock.systemDefaultZone(),
            colour && Terminal.isTerminal(1),
            colour && Terminal.isTerminal(2));
    // Padded for every program from the first line on, pmux's own start-up events included.
    format.widenFor(config.processes().stream().map(ProcessSpec::name).toList());
    MergedOutput output =
        new MergedOutput(
            new FileOutputStream(FileDescriptor.out),
            new FileOutputStream(FileDescriptor.err),
            format,
            config.tailLines());
    ScheduledExecutorService scheduler = scheduler();
    ProcessGroupKiller killer = new ProcessGroupKiller();
    Safety safety;
    try {
      safety = Safety.arm(runDir(), killer, output);
    } catch (IOException e) {
      System.err.println("pmux: " + e.getMessage());
      return 1;
    }
    SupervisorRuntime runtime =
        new SupervisorRuntime(
            new JournalingLauncher(
                new CommonsExecLauncher(System.getenv()), safety.journal(), killer),
            killer,
            new ScheduledKillTimer(scheduler),
            scheduler,
            // Launching blocks in fork/exec for milliseconds: one launcher per core.
            Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("pmux-launch")),
            Executors.newSingleThreadExecutor(daemon("pmux-events")),
            Clock.systemDefaultZone());
    Supervisor supervisor = new Supervisor(config, output, runtime);

    CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    AtomicInteger signals = new AtomicInteger();
    Runnable onStopSignal =
        () -> {
          if (signals.incrementAndGet() == 1) {
            stopRequested.complete(null);
          } else {
            // A second signal means "now": no waiting, no lock, nothing left behind.
            supervisor.killAll();
            output.event("pmux", "forced exit: sent killed signal to every process group");
            Runtime.getRuntime().halt(1);
          }
        };
    // TERM as well as INT: a pmux started with '&' from a script has SIGINT ignored.
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), s -> onStopSignal.run());
    }
    Reloads reloads = new Reloads(supervisor, output);
    Signal.handle(new Signal("HUP"), s -> reloads.request());
    Runtime.getRuntime().addShutdownHook(new Thread(supervisor::killAll, "pmux-last-resort-kill"));

    ManagementBeans beans =
        new ManagementBeans(
            platform.join(), supervisor, output, () -> stopRequested.complete(null));
    RemoteJmxConnector connector = null;
    try {
      beans.registerAll();
      if (config.jmx().isPresent()) {
        connector = RemoteJmxConnector.start(config.jmx().get(), platform.join());
      }
    } catch (IOException | JMException e) {
      System.err.println("pmux: cannot start JMX: " + e.getMessage());
      return 1;
    }

    supervisor.startAll();
    // Log4j starts now, beside the running programs, ready before their output needs it.
    Log4jStartup.begin();
    if (pidFile != null && !pidFile.write()) {
      System.err.println("pmux: cannot write pid file " + pidFile + "; stopping");
      stopRequested.complete(null);
    }
    Object ended =
        CompletableFuture.anyOf(stopRequested, supervisor.allExited(), supervisor.essentialEnded())
            .join();
    int status = 0;
    if (ended instanceof SupervisedProgram essential) {
      int code = essential.snapshot().lastExitCode();
      status = code > 0 ? code : 1;
      output.event("pmux", "essential program " + essential.name() + " ended: stopping everything");
    }
    try {
      supervisor.shutdown().get(stopBound(supervisor.config()).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      supervisor.killAll();
    } catch (Exception e) {
      supervisor.killAll();
    }
    if (connector != null) {
      connector.close();
    }
    try {
      // The last lines of programs that just ended may still be on their way (to Log4j too).
      output.awaitPumpsDone(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (pidFile != null) {
      pidFile.delete();
    }
    safety.disarm(killer);
    Log4jStartup.awaitStarted(2000);
    output.event("pmux", "exited gracefully, ciao!");
    return status;
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

  /** Where pmux keeps its state: $PMUX_RUN_DIR, else $PMUX_HOME/run, else a private temp dir. */
  private static Path runDir() {
    String explicit = System.getenv("PMUX_RUN_DIR");
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit).toAbsolutePath();
    }
    String home = System.getenv("PMUX_HOME");
    if (home != null && !home.isEmpty()) {
      return Path.of(home, "run").toAbsolutePath();
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "pmux-" + System.getProperty("user.name"));
  }

  /** Long enough for every SIGKILL deadline to pass, plus a margin for the kills to land. */
  private static Duration stopBound(PmuxConfig config) {
    Duration longest = Duration.ZERO;
    for (ProcessSpec p : config.processes()) {
      if (p.sigKillWait().compareTo(longest) > 0) {
        longest = p.sigKillWait();
      }
    }
    return longest.plusSeconds(5);
  }

  private static ScheduledExecutorService scheduler() {
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(1, daemon("pmux-scheduler"));
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static void fail(String message) {
    System.err.println("pmux: " + message);
    System.exit(2);
  }
}
