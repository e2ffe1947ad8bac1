package dev.pmux.exec;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * The part of libc that starting, watching and reaping children uses, bound directly (a call costs
 * far less than through a proxy).
 */
final class ChildLibc {
  static native int posix_spawnattr_init(Pointer attr);

  static native int posix_spawnattr_destroy(Pointer attr);

  static native int posix_spawnattr_setflags(Pointer attr, short flags);

  static native int posix_spawnattr_setsigmask(Pointer attr, Pointer mask);

  static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);

  static native int posix_spawn_file_actions_init(Pointer actions);

  static native int posix_spawn_file_actions_destroy(Pointer actions);

  static native int posix_spawn_file_actions_addopen(
      Pointer actions, int fd, String path, int flags, int mode);

  static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

  static native int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path);

  static native int posix_spawn(
      int[] pid, Pointer path, Pointer actions, Pointer attr, Pointer argv, Pointer envp);

  static native int sigemptyset(Pointer set);

  static native int sigfillset(Pointer set);

  static native int pipe2(int[] fds, int flags);

  static native int close(int fd);

  static native long syscall(long number, long a, long b);

  static native String strerror(int errno);

  static native int waitid(int idtype, int id, Pointer info, int options);

  static native int getpid();

  static native int execve(Pointer path, Pointer argv, Pointer envp);

  static native int sigaction(int signum, @Nullable Pointer act, @Nullable Pointer oldact);

  static native int kill(int pid, int sig);

  static native int waitpid(int pid, int[] status, int options);

  static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

  static {
    Native.register("c");
  }

  private ChildLibc() {}
}
