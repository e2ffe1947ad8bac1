package dev.pmux.exec;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.pmux.config.Signal;
import dev.pmux.output.Log4jStartup;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Logger;

/**
 * Sends signals to whole process groups with {@code kill(-pgid, sig)}: through JNA (microseconds)
 * when libc loads, else by forking {@code /bin/kill} (milliseconds).
 */
public class ProcessGroupKiller {
  private static final int ESRCH = 3;

  /** The part of libc used here. */
  interface CLibrary extends Library {
    int kill(int pid, int sig);
  }

  // Loading libc through JNA takes a while; it happens in the background while pmux starts, and
  // the first signal (normally at a stop) waits for it.
  private final CompletableFuture<CLibrary> libc;

  public ProcessGroupKiller() {
    this.libc = CompletableFuture.supplyAsync(ProcessGroupKiller::loadLibc);
  }

  ProcessGroupKiller(CLibrary libc) {
    this.libc = CompletableFuture.completedFuture(libc);
  }

  private static CLibrary loadLibc() {
    try {
      return Native.load("c", CLibrary.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      Diagnostics.LOG.warn("JNA cannot load libc ({}); signalling through /bin/kill", e.toString());
      return null;
    }
  }

  /**
   * Signals every process of group {@code pgid}. Returns false when the group no longer exists,
   * which is not an error: it has already ended.
   */
  public boolean signal(long pgid, Signal signal) {
    return send(pgid, signal.number());
  }

  /** Whether any process of group {@code pgid} is still alive (signal 0 probes without sending). */
  public boolean groupAlive(long pgid) {
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
      Diagnostics.LOG.warn("kill(-{}, {}) failed with errno {}", pgid, sig, errno);
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
      Diagnostics.LOG.warn("cannot run kill: {}", e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Created on first use: Log4j starts in the background, off pmux's own start-up. */
  private static final class Diagnostics {
    static final Logger LOG = Log4jStartup.logger(ProcessGroupKiller.class.getName());
  }
}
