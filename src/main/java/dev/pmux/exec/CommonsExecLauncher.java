package dev.pmux.exec;

import dev.pmux.config.ProcessSpec;
import dev.pmux.output.ProgramOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.ProcessDestroyer;

/**
 * Launches programs with Commons Exec's {@link DefaultExecutor}, each through {@code setsid} so it
 * leads its own session and process group ({@code pid == pgid}) and signals aimed at pmux never
 * reach it. Environment: pmux's own, then the program's {@code env}, then {@code
 * PMUX_PROCESS_NAME} and {@code PMUX_PID}.
 */
public final class CommonsExecLauncher implements Launcher {
  private static final boolean STOP_SIGNALS_IGNORED = ignoredSignals().contains("INT");

  private final Path setsid;
  private final Map<String, String> baseEnvironment;
  private final CommandResolver resolver;
  private final String pmuxPid = Long.toString(ProcessHandle.current().pid());

  /** A launcher that gives children {@code environment} (normally pmux's own) as their base. */
  public CommonsExecLauncher(Map<String, String> environment) {
    this.setsid = findSetsid();
    this.baseEnvironment = Map.copyOf(environment);
    this.resolver = new CommandResolver(environment.get("PATH"));
  }

  /** Names of the signals this process ignores (from SigIgn in /proc/self/status): INT, QUIT. */
  static java.util.Set<String> ignoredSignals() {
    java.util.Set<String> names = new java.util.HashSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          if ((mask & (1L << (2 - 1))) != 0) {
            names.add("INT");
          }
          if ((mask & (1L << (3 - 1))) != 0) {
            names.add("QUIT");
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Unknown: assume the defaults are in place.
    }
    return names;
  }

  private static Path findSetsid() {
    for (String candidate : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
      Path p = Path.of(candidate);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException("setsid (util-linux) is required to run programs in their own process groups");
  }

  @Override
  public Child launch(ProcessSpec spec, ProgramOutput output) throws LaunchException {
    Path executable = resolver.resolve(spec.cmd(), spec.dir());
    CommandLine command = new CommandLine(setsid.toString());
    if (STOP_SIGNALS_IGNORED) {
      // pmux was started with SIGINT/SIGQUIT ignored ('&' in a script) and children would inherit
      // that, deaf to the stop signal: give them the default handling back.
      command.addArgument("env", false);
      command.addArgument("--default-signal=INT,QUIT", false);
    }
    command.addArgument(executable.toString(), false);
    for (String arg : spec.args()) {
      command.addArgument(arg, false);
    }

    Map<String, String> env = new HashMap<>(baseEnvironment);
    env.putAll(spec.env());
    env.put("PMUX_PROCESS_NAME", spec.name());
    env.put("PMUX_PID", pmuxPid);

    ChildStreams streams = new ChildStreams(output, threads(spec.name()));
    CompletableFuture<Process> started = new CompletableFuture<>();
    DefaultExecutor executor =
        DefaultExecutor.builder()
            .setExecuteStreamHandler(streams)
            .setThreadFactory(threads(spec.name()))
            .setWorkingDirectory(spec.dir() != null ? spec.dir().toFile() : null)
            .get();
    executor.setExitValues(null);
    executor.setProcessDestroyer(new HandOver(started));
    try {
      executor.execute(command, env, new LaunchFailure(started));
    } catch (IOException e) {
      throw new LaunchException(e.getMessage(), e);
    }
    Process process = awaitStart(started);
    return new LaunchedChild(process, streams.drained());
  }

  private static Process awaitStart(CompletableFuture<Process> started) throws LaunchException {
    try {
      return started.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
      throw new LaunchException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while starting", e);
    }
  }

  private static ThreadFactory threads(String name) {
    return r -> {
      Thread t = new Thread(r, "pmux-" + name);
      t.setDaemon(true);
      return t;
    };
  }

  /** The seam through which Commons Exec hands over the started {@link Process}. */
  private static final class HandOver implements ProcessDestroyer {
    private final CompletableFuture<Process> started;

    HandOver(CompletableFuture<Process> started) {
      this.started = started;
    }

    @Override
    public boolean add(Process process) {
      return started.complete(process);
    }

    @Override
    public boolean remove(Process process) {
      return true;
    }

    @Override
    public int size() {
      return 0;
    }
  }

  /**
   * Reports a launch that failed before the process existed. Exit values are taken from {@link
   * Process#onExit()} instead, since this handler waits for the pipes, which a grandchild may hold.
   */
  private static final class LaunchFailure implements ExecuteResultHandler {
    private final CompletableFuture<Process> started;

    LaunchFailure(CompletableFuture<Process> started) {
      this.started = started;
    }

    @Override
    public void onProcessComplete(int exitValue) {}

    @Override
    public void onProcessFailed(ExecuteException e) {
      started.completeExceptionally(e);
    }
  }
}
