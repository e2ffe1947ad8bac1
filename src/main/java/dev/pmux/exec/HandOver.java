package dev.pmux.exec;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The operating-system side of an upgrade in place: exits held back while the state is written, the
 * descriptors that must live through the exec, and the exec of the new pmux in this same process
 * (same pid: the programs stay its children).
 */
public final class HandOver {
  private static final int F_SETFD = 2;
  private static final int FD_CLOEXEC = 1;
  private static final int SIGQUIT = 3;
  private static final long SIG_IGN = 1;
  // struct sigaction is 152 bytes on 64-bit glibc, its handler first; room to spare.
  private static final int SIGACTION_SIZE = 256;

  private HandOver() {}

  /**
   * Holds every exit back (the children stay zombies, reaped after {@link #resumeExits()} or by the
   * next pmux); returns the children watched, pid to pidfd. Same thread for both calls.
   */
  public static Map<Long, Integer> pauseExits() {
    return ExitLoop.shared().pause();
  }

  /** Reaps again after {@link #pauseExits()}. */
  public static void resumeExits() {
    ExitLoop.shared().resume();
  }

  /** A descriptor this process has open on {@code file}; -1 when none. */
  public static int openDescriptorOf(Path file) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          if (Files.readSymbolicLink(fd).equals(file)) {
            return Integer.parseInt(fd.getFileName().toString());
          }
        } catch (IOException | NumberFormatException e) {
          // Closed meanwhile, or not a number.
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Replaces this process's program with {@code argv} (argv[0] the path to run) and pmux's own
   * environment plus {@code extra}, keeping open only stdin, stdout, stderr and {@code keep}.
   * Returns only if the exec failed, with why; this process then goes on as before.
   */
  public static String exec(
      List<String> argv, Map<String, String> extra, Collection<Integer> keep) {
    closeOnExecAll();
    for (int fd : keep) {
      if (PipePoller.Libc.fcntl(fd, F_SETFD, 0) != 0) {
        return "cannot keep descriptor " + fd + " open (errno " + Native.getLastError() + ")";
      }
    }
    List<byte[]> args = new ArrayList<>();
    argv.forEach(a -> args.add(a.getBytes(StandardCharsets.UTF_8)));
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.putAll(extra);
    Memory path = Spawn.cString(args.get(0));
    Memory argvArray = Spawn.array(args);
    Memory envp = Spawn.array(RawEnvironment.current().envp(env));
    // SIGQUIT ignored through the exec until the new JVM installs its own handler: a `pmux ctl`
    // attaching meanwhile sends one, and its default action would end the process, programs and
    // all. (Ignored signals stay ignored across exec; handled ones go back to their default.)
    Memory ignore = new Memory(SIGACTION_SIZE);
    ignore.clear();
    ignore.setLong(0, SIG_IGN);
    Memory jvmQuit = new Memory(SIGACTION_SIZE);
    jvmQuit.clear();
    boolean quitIgnored = ChildLibc.sigaction(SIGQUIT, ignore, jvmQuit) == 0;
    int rc = ChildLibc.execve(path, argvArray, envp);
    int errno = Native.getLastError();
    if (quitIgnored) {
      ChildLibc.sigaction(SIGQUIT, jvmQuit, null);
    }
    // Still here: the exec failed. Descriptors kept open would leak into later children, which
    // pmux spawns with only 0-2 open in any case.
    return "cannot run " + argv.get(0) + ": " + ChildLibc.strerror(errno) + " (rc " + rc + ")";
  }

  /** Marks every descriptor above stderr close-on-exec, as close_range(CLOSE_RANGE_CLOEXEC). */
  private static void closeOnExecAll() {
    List<Integer> open = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          open.add(Integer.parseInt(fd.getFileName().toString()));
        } catch (NumberFormatException e) {
          // Not a descriptor.
        }
      }
    } catch (IOException e) {
      return;
    }
    for (int fd : open) {
      if (fd > 2) {
        PipePoller.Libc.fcntl(fd, F_SETFD, FD_CLOEXEC);
      }
    }
  }
}
