package dev.pmux.exec;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code posix_spawn} of a child that leads its own session and process group from its first
 * instruction ({@code POSIX_SPAWN_SETSID}), with an empty signal mask and every signal's default
 * handling, stdin from /dev/null, stdout and stderr to new pipes, in {@code dir}, and no other
 * descriptor of pmux's; then its pidfd. One exec, no helper process, no thread.
 */
final class Spawn {
  private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final short POSIX_SPAWN_SETSID = 0x80;
  private static final int O_CLOEXEC = 0x80000;
  private static final int O_RDONLY = 0;
  private static final long SYS_PIDFD_OPEN = 434;
  // Larger than glibc's types on every 64-bit target (336, 80 and 128 bytes on x86_64).
  private static final int ATTR_SIZE = 1024;
  private static final int ACTIONS_SIZE = 512;
  private static final int SIGSET_SIZE = 256;

  /** A spawned child: its pid, the read ends of its stdout and stderr, its pidfd. */
  record Spawned(long pid, int stdout, int stderr, int pidfd) {}

  /** Where spawning failed: the errno and its text ("no such file or directory"). */
  static final class SpawnError extends Exception {
    private static final long serialVersionUID = 1L;
    final int errno;

    SpawnError(int errno, String what) {
      super(what);
      this.errno = errno;
    }
  }

  // posix_spawn_file_actions_addclosefrom_np (glibc 2.34): closes every descriptor from 3 on in
  // the child. Without it, a descriptor the JVM opened without close-on-exec would leak.
  private static final com.sun.jna.@Nullable Function CLOSE_FROM = closeFrom();

  private Spawn() {}

  /**
   * Whether this machine can spawn as pmux needs: posix_spawn with SETSID (glibc 2.26), the chdir
   * file action (glibc 2.29) and pidfds (Linux 5.3). Null when it can, else why not.
   */
  static @Nullable String missing() {
    try {
      NativeLibrary c = NativeLibrary.getInstance("c");
      c.getFunction("posix_spawn_file_actions_addchdir_np");
      int self = ChildLibc.getpid();
      long pidfd = ChildLibc.syscall(SYS_PIDFD_OPEN, self, 0);
      if (pidfd < 0) {
        return "the kernel has no pidfd_open (Linux 5.3 or newer needed)";
      }
      ChildLibc.close((int) pidfd);
      return null;
    } catch (UnsatisfiedLinkError e) {
      return "libc has no posix_spawn_file_actions_addchdir_np (glibc 2.29 or newer needed)";
    } catch (RuntimeException | LinkageError e) {
      return "JNA cannot bind libc: " + e;
    }
  }

  private static com.sun.jna.@Nullable Function closeFrom() {
    try {
      return NativeLibrary.getInstance("c").getFunction("posix_spawn_file_actions_addclosefrom_np");
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return null;
    }
  }

  /**
   * Spawns {@code path} with {@code argv} and {@code envp} (each entry the exact bytes, without the
   * terminating NUL) in {@code dir} (null: pmux's own).
   */
  static Spawned spawn(Path path, List<byte[]> argv, List<byte[]> envp, @Nullable Path dir)
      throws SpawnError {
    int[] out = pipe();
    int[] err;
    try {
      err = pipe();
    } catch (SpawnError e) {
      closeAll(out);
      throw e;
    }
    Memory attr = new Memory(ATTR_SIZE);
    Memory actions = new Memory(ACTIONS_SIZE);
    Memory mask = new Memory(SIGSET_SIZE);
    Memory defaults = new Memory(SIGSET_SIZE);
    ChildLibc.posix_spawnattr_init(attr);
    ChildLibc.posix_spawn_file_actions_init(actions);
    int[] pid = new int[1];
    int rc;
    try {
      ChildLibc.sigemptyset(mask);
      ChildLibc.sigfillset(defaults);
      ChildLibc.posix_spawnattr_setflags(
          attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
      ChildLibc.posix_spawnattr_setsigmask(attr, mask);
      ChildLibc.posix_spawnattr_setsigdefault(attr, defaults);
      ChildLibc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0);
      ChildLibc.posix_spawn_file_actions_adddup2(actions, out[1], 1);
      ChildLibc.posix_spawn_file_actions_adddup2(actions, err[1], 2);
      if (CLOSE_FROM != null) {
        CLOSE_FROM.invokeInt(new Object[] {actions, 3});
      }
      if (dir != null) {
        ChildLibc.posix_spawn_file_actions_addchdir_np(actions, cString(bytes(dir.toString())));
      }
      rc =
          ChildLibc.posix_spawn(
              pid, cString(bytes(path.toString())), actions, attr, array(argv), array(envp));
    } finally {
      ChildLibc.posix_spawn_file_actions_destroy(actions);
      ChildLibc.posix_spawnattr_destroy(attr);
      // The child has its copies (or there is no child): pmux keeps only the read ends.
      ChildLibc.close(out[1]);
      ChildLibc.close(err[1]);
    }
    if (rc != 0) {
      ChildLibc.close(out[0]);
      ChildLibc.close(err[0]);
      throw new SpawnError(rc, text(rc));
    }
    // A child that already exited is a zombie until its pid is reaped (only by its pid: see
    // OrphanReaper), and pidfd_open still finds it.
    long pidfd = ChildLibc.syscall(SYS_PIDFD_OPEN, pid[0], 0);
    if (pidfd < 0) {
      int errno = Native.getLastError();
      ChildLibc.close(out[0]);
      ChildLibc.close(err[0]);
      throw new SpawnError(errno, "pidfd_open: " + text(errno));
    }
    return new Spawned(pid[0], out[0], err[0], (int) pidfd);
  }

  /** The C library's text for {@code errno}, as Go prints it: "no such file or directory". */
  static String text(int errno) {
    String s = ChildLibc.strerror(errno);
    return s.isEmpty() ? "errno " + errno : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static int[] pipe() throws SpawnError {
    int[] fds = new int[2];
    if (ChildLibc.pipe2(fds, O_CLOEXEC) != 0) {
      int errno = Native.getLastError();
      throw new SpawnError(errno, "pipe: " + text(errno));
    }
    return fds;
  }

  private static void closeAll(int[] fds) {
    for (int fd : fds) {
      ChildLibc.close(fd);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Memory cString(byte[] bytes) {
    Memory m = new Memory(bytes.length + 1L);
    m.write(0, bytes, 0, bytes.length);
    m.setByte(bytes.length, (byte) 0);
    return m;
  }

  /** A NULL-terminated array of C strings; the strings live as long as the array is reachable. */
  static Memory array(List<byte[]> entries) {
    return new StringsMemory((long) (entries.size() + 1) * Native.POINTER_SIZE, entries);
  }

  /** A pointer array that keeps the strings it points to reachable. */
  private static final class StringsMemory extends Memory {
    private final Memory[] strings;

    StringsMemory(long size, List<byte[]> entries) {
      super(size);
      strings = new Memory[entries.size()];
      for (int i = 0; i < strings.length; i++) {
        strings[i] = cString(entries.get(i));
        setPointer((long) i * Native.POINTER_SIZE, strings[i]);
      }
      setPointer((long) strings.length * Native.POINTER_SIZE, null);
    }
  }
}
