package dev.pmux;

import dev.pmux.config.ConfigException;
import dev.pmux.config.ConfigLoader;
import dev.pmux.config.ConfigLocation;
import dev.pmux.config.PmuxConfig;
import dev.pmux.exec.OrphanGuard;
import dev.pmux.exec.PidFile;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.jmx.JmxFileException;
import dev.pmux.jmx.ManagementBeans;
import dev.pmux.jmx.OnDemandPlatformBeans;
import dev.pmux.jmx.RemoteJmxConnector;
import dev.pmux.log.Log4jStartup;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.ReloadRequests;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
    Startup.prepareJvm();
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
    Startup startup;
    try {
      startup = Startup.claim(config);
    } catch (IOException e) {
      System.err.println("pmux: " + e.getMessage());
      return 1;
    }
    MergedOutput output = startup.output();
    Supervisor supervisor = startup.supervisor(args);
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
      startup.startPrograms(supervisor);
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
    finish(output, pidFile, startup.guard(), startup.killer());
    return stops.lastLine(output, status);
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

  private static void fail(String message) {
    System.err.println("pmux: " + message);
    System.exit(2);
  }
}
