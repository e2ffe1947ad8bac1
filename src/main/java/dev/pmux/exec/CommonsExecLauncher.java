package dev.pmux.exec;

import dev.pmux.config.EnvFile;
import dev.pmux.config.EnvFileException;
import dev.pmux.config.ProcessSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.launcher.CommandLauncher;
import org.apache.commons.exec.launcher.CommandLauncherFactory;
import org.jspecify.annotations.Nullable;

/**
 * Launches programs through Commons Exec's {@link CommandLauncher}, each leading its own session
 * and process group ({@code pid == pgid}) so that signals aimed at pmux never reach it: by default
 * with pmux's own {@link SpawnCommandLauncher} (one posix_spawn, exits through one loop); where
 * that is not to be had, or {@code PMUX_LAUNCHER=jdk}, with Commons Exec's VM launcher through
 * {@code setsid}. Environment: pmux's own, then the program's {@code envFile} and {@code env}, then
 * {@code PMUX_PROCESS_NAME} and {@code PMUX_PID}.
 */
public final class CommonsExecLauncher implements Launcher {
  private static final boolean STOP_SIGNALS_IGNORED =
      InheritedSignals.ignored().stream()
          .anyMatch(n -> n == InheritedSignals.Name.INT || n == InheritedSignals.Name.QUIT);

  private static final Pattern JDK_EXEC_ERROR = Pattern.compile("error=\\d+, (.+)$");
  // setsid runs first thing in the child; only a machine under heavy load makes it wait long.
  private static final long LEADER_WAIT_NANOS = 10_000_000_000L;

  private static final String POSIX_SPAWN = "posix_spawn";

  private final @Nullable Path setsid;
  private final Map<String, String> baseEnvironment;
  private final CommandResolver resolver;
  private final String pmuxPid = Long.toString(ProcessHandle.current().pid());
  private final CommandLauncher launcher;
  private final String description;

  private CommonsExecLauncher(
      Map<String, String> environment,
      CommandLauncher launcher,
      @Nullable Path setsid,
      String description) {
    this.setsid = setsid;
    this.launcher = launcher;
    this.description = description;
    this.baseEnvironment = Map.copyOf(ChildLocale.restore(environment));
    this.resolver = new CommandResolver(environment.get("PATH"));
  }

  /**
   * The launcher this machine and {@code environment} call for, giving children {@code environment}
   * (normally pmux's own) as their base: pmux's own spawning, unless {@code PMUX_LAUNCHER=jdk} or
   * the machine lacks what it needs.
   */
  public static CommonsExecLauncher forEnvironment(Map<String, String> environment) {
    String choice = choice(environment);
    return choice.equals(POSIX_SPAWN)
        ? new CommonsExecLauncher(environment, SpawnCommandLauncher.create(), null, choice)
        : jdk(environment, choice);
  }

  /**
   * Which launcher {@link #forEnvironment} gives here: "posix_spawn", or "jdk (why)" where pmux's
   * own spawning is not to be had or {@code PMUX_LAUNCHER=jdk} asks for the JDK's.
   */
  public static String choice(Map<String, String> environment) {
    if (environment.getOrDefault("PMUX_LAUNCHER", "").equals("jdk")) {
      return "jdk (PMUX_LAUNCHER=jdk)";
    }
    String missing = SpawnCommandLauncher.unavailable();
    return missing == null ? POSIX_SPAWN : "jdk (" + missing + ")";
  }

  /** Commons Exec's VM launcher through setsid: a JDK reaper thread and three execs per child. */
  private static CommonsExecLauncher jdk(Map<String, String> environment, String description) {
    // The launcher DefaultExecutor itself uses, without DefaultExecutor's extra thread per child
    // that only waits for the exit: Process.onExit() already tells.
    return new CommonsExecLauncher(
        environment, CommandLauncherFactory.createVMLauncher(), Setsid.path(), description);
  }

  /** Which launcher this is, and why where it is the fallback: "posix_spawn", "jdk (...)". */
  public String description() {
    return description;
  }

  @Override
  public Child adopt(HandedChild handed) throws LaunchException {
    if (!(launcher instanceof SpawnCommandLauncher spawner)) {
      throw new LaunchException("the " + description + " launcher cannot take over a child");
    }
    try {
      return new LaunchedChild(spawner.adopt(handed));
    } catch (IOException e) {
      throw new LaunchException("cannot take over pid " + handed.pid() + ": " + e.getMessage(), e);
    }
  }

  /** Whether children of this launcher can be handed to a new pmux: only spawned ones. */
  @Override
  public boolean handsOver() {
    return launcher instanceof SpawnCommandLauncher;
  }

  @Override
  public Child launch(ProcessSpec spec) throws LaunchException {
    Path executable = resolver.resolve(spec.cmd(), spec.dir());
    Path wrapper = setsid;
    CommandLine command;
    if (wrapper == null) {
      // Spawned directly: its own session, every signal's default handling, argv[0] as written.
      command = new SpawnCommandLauncher.ProgramCommand(executable, spec.cmd());
    } else {
      command = new CommandLine(wrapper.toString());
      if (STOP_SIGNALS_IGNORED) {
        // pmux was started with SIGINT/SIGQUIT ignored ('&' in a script) and children would
        // inherit that, deaf to the stop signal: give them the default handling back.
        command.addArgument("env", false);
        command.addArgument("--default-signal=INT,QUIT", false);
      }
      command.addArgument(argv0(spec, executable), false);
    }
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
      throw new LaunchException(goText(executable, e), e);
    }
    try {
      // A child that reads stdin sees end of file at once.
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already closed.
    }
    if (wrapper != null) {
      awaitGroupLeader(process);
    }
    return new LaunchedChild(process);
  }

  /**
   * The Go tool's text for a failed exec ({@code fork/exec /usr/bin/sh: argument list too long}):
   * the JDK names the wrapper ({@code Cannot run program "/usr/bin/setsid": error=7, Argument list
   * too long}), which says nothing to a user who never wrote setsid.
   */
  static String goText(Path executable, IOException e) {
    Matcher m = JDK_EXEC_ERROR.matcher(String.valueOf(e.getMessage()));
    if (!m.find()) {
      return String.valueOf(e.getMessage());
    }
    String reason = m.group(1);
    return "fork/exec "
        + executable
        + ": "
        + Character.toLowerCase(reason.charAt(0))
        + reason.substring(1);
  }

  /**
   * The program's argv[0]: {@code cmd} as written, as the Go tool passes it (shells name themselves
   * by it, {@code pgrep -f} matches it). setsid finds the file through the child's PATH after
   * changing into {@code dir}; where that could find another file than pmux's own lookup (a PATH of
   * the program's own, a relative PATH entry) the resolved path is given.
   */
  private String argv0(ProcessSpec spec, Path executable) {
    String cmd = spec.cmd();
    if (cmd.contains("/")) {
      return cmd;
    }
    boolean samePath = !spec.env().containsKey("PATH") && spec.envFile() == null;
    Path dir = executable.getParent();
    return samePath && resolver.foundInAbsoluteEntry(dir) ? cmd : executable.toString();
  }

  /**
   * Waits (briefly: setsid runs within a millisecond or two) until the child leads its own process
   * group, so that a stop right after the launch cannot miss it; a child that already ended needs
   * no wait.
   */
  private static void awaitGroupLeader(Process process) {
    long pid = process.pid();
    Path proc = Path.of("/proc", Long.toString(pid));
    long deadline = System.nanoTime() + LEADER_WAIT_NANOS;
    while (process.isAlive() && !ready(proc, pid) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
  }

  /**
   * Whether the child leads its group and, where pmux inherited SIGINT ignored and the child starts
   * through {@code env --default-signal}, no longer ignores it: a stop signal sent before that
   * (while setsid and env still run) would be lost.
   */
  private static boolean ready(Path proc, long pid) {
    return ProcTable.processGroup(proc) == pid
        && (!STOP_SIGNALS_IGNORED || !ProcTable.ignores(proc, InheritedSignals.Name.INT.number()));
  }
}
