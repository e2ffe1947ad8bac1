package dev.pmux.exec;

import com.sun.jna.Native;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.launcher.CommandLauncher;
import org.jspecify.annotations.Nullable;

/**
 * Commons Exec's launch seam, filled by pmux itself: every child is spawned with one {@code
 * posix_spawn} ({@link Spawn}: its own session and group, default signal handling, stdin from
 * /dev/null), its exit watched by the one {@link ExitLoop}, its environment passed as bytes ({@link
 * RawEnvironment}). The executable of the {@link CommandLine} is the file to run; a {@link
 * ProgramCommand} also names argv[0].
 */
public final class SpawnCommandLauncher implements CommandLauncher {
  private static final int SIGKILL = 9;
  private static final int EINTR = 4;

  private final ExitLoop exits = ExitLoop.shared();
  private final RawEnvironment raw = RawEnvironment.current();

  private SpawnCommandLauncher() {}

  /** A spawning launcher, or why this machine or JVM cannot have one. */
  static SpawnCommandLauncher create() {
    String missing = unavailable();
    if (missing != null) {
      throw new IllegalStateException(missing);
    }
    return new SpawnCommandLauncher();
  }

  /** Null when pmux can spawn its children itself here, else why not. */
  static @Nullable String unavailable() {
    try (FileInputStream probe = PipePoller.stream(-1)) {
      if (probe == null) {
        return "java.io is not opened to pmux (--add-opens=java.base/java.io=ALL-UNNAMED)";
      }
    } catch (IOException e) {
      // Closing an invalid descriptor: nothing to close.
    }
    try {
      return Spawn.missing();
    } catch (LinkageError e) {
      return "JNA cannot bind libc: " + e;
    }
  }

  @Override
  public Process exec(CommandLine cmd, Map<String, String> env) throws IOException {
    return exec(cmd, env, (File) null);
  }

  @Override
  public Process exec(CommandLine cmd, Map<String, String> env, @Nullable File dir)
      throws IOException {
    Path path = Path.of(cmd.getExecutable());
    List<byte[]> argv = new ArrayList<>();
    argv.add(
        (cmd instanceof ProgramCommand program ? program.argv0() : cmd.getExecutable())
            .getBytes(StandardCharsets.UTF_8));
    for (String arg : cmd.getArguments()) {
      argv.add(arg.getBytes(StandardCharsets.UTF_8));
    }
    Spawn.Spawned child;
    try {
      child = Spawn.spawn(path, argv, raw.envp(env), dir == null ? null : dir.toPath());
    } catch (Spawn.SpawnError e) {
      // The Go tool's words: fork/exec /usr/bin/sh: argument list too long.
      throw new IOException("fork/exec " + path + ": " + e.getMessage(), e);
    }
    FileInputStream stdout = PipePoller.stream(child.stdout());
    FileInputStream stderr = PipePoller.stream(child.stderr());
    if (stdout == null || stderr == null) {
      throw new IllegalStateException("java.io is not opened to pmux");
    }
    try {
      return new SpawnedProcess(
          child.pid(), stdout, stderr, exits.watch(child.pid(), child.pidfd()));
    } catch (ExitLoop.NoThreadException e) {
      // A child nobody watches must not be left running: this launch failed, and is retried.
      abandon(child, stdout, stderr);
      throw new IOException("fork/exec " + path + ": " + e.getMessage(), e);
    }
  }

  /** SIGKILLs and reaps a child that was spawned but cannot be watched, and closes its pipes. */
  private static void abandon(Spawn.Spawned child, FileInputStream stdout, FileInputStream stderr) {
    ChildLibc.kill((int) child.pid(), SIGKILL);
    int[] status = new int[1];
    while (ChildLibc.waitpid((int) child.pid(), status, 0) < 0 && Native.getLastError() == EINTR) {
      // Interrupted by a signal: wait again.
    }
    ChildLibc.close(child.pidfd());
    closeQuietly(stdout);
    closeQuietly(stderr);
  }

  private static void closeQuietly(FileInputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // A pipe of a dead child: nothing to lose.
    }
  }

  /** The process of a child that an earlier pmux spawned in this same process. */
  Process adopt(HandedChild handed) throws IOException {
    FileInputStream stdout = handed(handed.stdout());
    FileInputStream stderr = handed(handed.stderr());
    if (stdout == null || stderr == null) {
      throw new IllegalStateException("java.io is not opened to pmux");
    }
    return new SpawnedProcess(
        handed.pid(), stdout, stderr, exits.watch(handed.pid(), handed.pidfd()));
  }

  /** A handed pipe, or an empty stream for one that had already ended (-1). */
  private static @Nullable FileInputStream handed(int fd) throws IOException {
    return fd < 0 ? new FileInputStream("/dev/null") : PipePoller.stream(fd);
  }

  @Override
  public boolean isFailure(int exitValue) {
    return exitValue != 0;
  }

  /** A program's command line whose argv[0] is {@code cmd} as the user wrote it. */
  static final class ProgramCommand extends CommandLine {
    private final String argv0;

    ProgramCommand(Path executable, String argv0) {
      super(executable.toString());
      this.argv0 = argv0;
    }

    String argv0() {
      return argv0;
    }
  }
}
