package dev.pmux.exec;

import dev.pmux.config.EnvFile;
import dev.pmux.config.EnvFileException;
import dev.pmux.config.ProcessSpec;
import dev.pmux.output.ProgramOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.launcher.CommandLauncher;
import org.apache.commons.exec.launcher.CommandLauncherFactory;

/**
 * Launches programs with Commons Exec's {@link CommandLauncher}, each through {@code setsid} so it
 * leads its own session and process group ({@code pid == pgid}) and signals aimed at pmux never
 * reach it. Environment: pmux's own, then the program's {@code env}, then {@code PMUX_PROCESS_NAME}
 * and {@code PMUX_PID}.
 */
public final class CommonsExecLauncher implements Launcher {
  private static final boolean STOP_SIGNALS_IGNORED = ignoredSignals().contains("INT");

  private final Path setsid;
  private final Map<String, String> baseEnvironment;
  private final CommandResolver resolver;
  private final String pmuxPid = Long.toString(ProcessHandle.current().pid());
  // The launcher DefaultExecutor itself uses, without DefaultExecutor's extra thread per child
  // that only waits for the exit: Process.onExit() already tells.
  private final CommandLauncher launcher = CommandLauncherFactory.createVMLauncher();

  /** A launcher that gives children {@code environment} (normally pmux's own) as their base. */
  public CommonsExecLauncher(Map<String, String> environment) {
    this.setsid = findSetsid();
    this.baseEnvironment = Map.copyOf(ChildLocale.restore(environment));
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
    throw new IllegalStateException(
        "setsid (util-linux) is required to run programs in their own process groups");
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
    if (spec.envFile() != null) {
      // Read at every start, so that an edit takes effect at the next restart; env: wins over it.
      Path file = spec.dir() != null ? spec.dir().resolve(spec.envFile()) : spec.envFile();
      try {
        env.putAll(EnvFile.read(file));
      } catch (EnvFileException e) {
        throw new LaunchException("envFile " + e.getMessage(), e);
      }
    }
    env.putAll(spec.env());
    env.put("PMUX_PROCESS_NAME", spec.name());
    env.put("PMUX_PID", pmuxPid);

    Process process;
    try {
      process = launcher.exec(command, env, spec.dir() != null ? spec.dir().toFile() : null);
    } catch (IOException e) {
      throw new LaunchException(e.getMessage(), e);
    }
    try {
      // A child that reads stdin sees end of file at once.
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already closed.
    }
    ChildStreams streams = new ChildStreams(output, threads(spec.name()));
    streams.start(process.getInputStream(), process.getErrorStream());
    return new LaunchedChild(process, streams.drained());
  }

  private static ThreadFactory threads(String name) {
    return r -> {
      Thread t = new Thread(r, "pmux-" + name);
      t.setDaemon(true);
      return t;
    };
  }
}
