package dev.pmux.exec;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.pmux.config.Signal;
import dev.pmux.log.Diagnostics;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Sends signals to whole process groups with {@code kill(-pgid, sig)}: through JNA (microseconds)
 * when libc loads, else by forking {@code /bin/kill} (milliseconds).
 */
public final class LibcGroupKiller implements ProcessGroupKiller {
  private static final int ESRCH = 3;

  /** The part of libc used here. */
  interface CLibrary extends Library {
    int kill(int pid, int sig);
  }

  // Loading libc through JNA takes a while; it happens in the background while pmux starts, and
  // the first signal (normally at a stop) waits for it.
  private final CompletableFuture<CLibrary> libc;

  public LibcGroupKiller() {
    this.libc = CompletableFuture.supplyAsync(LibcGroupKiller::loadLibc);
  }

  LibcGroupKiller(CLibrary libc) {
    this.libc = CompletableFuture.completedFuture(libc);
  }

  private static @Nullable CLibrary loadLibc() {
    try {
      return Native.load("c", CLibrary.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      Diagnostics.of(LibcGroupKiller.class)
          .warn("JNA cannot load libc ({}); signalling through /bin/kill", e.toString());
      return null;
    }
  }

  @Override
  public boolean signal(long pgid, Signal signal) {
    return send(pgid, signal.number());
  }

  /**
   * Signal 0 probes without sending; a group it finds is then looked up in /proc, since a zombie
   * member still counts for kill(2) until its new parent reaps it.
   */
  @Override
  public boolean groupAlive(long pgid) {
    return groupExists(pgid) && ProcTable.hasLiveMember(pgid);
  }

  @Override
  public boolean groupExists(long pgid) {
    return send(pgid, 0);
  }

  private boolean send(long pgid, int sig) {
    if (pgid <= 1) {
      // kill(-1) or kill(0) would reach far more than one program: never.
      throw new IllegalArgumentException("not a process group id: " + pgid);
    }
    CLibrary c = libc.join();
    if (c != null) {
      int rc = c.kill((int) -pgid, sig);
      if (rc == 0) {
        return true;
      }
      int errno = Native.getLastError();
      if (errno == ESRCH) {
        return false;
      }
      Diagnostics.of(LibcGroupKiller.class)
          .warn("kill(-{}, {}) failed with errno {}", pgid, sig, errno);
      return false;
    }
    return viaKillCommand(pgid, sig);
  }

  private static boolean viaKillCommand(long pgid, int sig) {
    try {
      Process p =
          new ProcessBuilder("kill", "-s", Integer.toString(sig), "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      Diagnostics.of(LibcGroupKiller.class).warn("cannot run kill: {}", e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
