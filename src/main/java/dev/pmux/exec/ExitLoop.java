package dev.pmux.exec;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.pmux.log.Diagnostics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Watches the exits of every child pmux spawns with one thread: each child's pidfd in one epoll
 * loop; when one becomes readable the child has exited, and it is reaped by its pid alone ({@code
 * waitid(P_PID)}, never a wait for any child) and its status reported. Exits are reported on a
 * thread of their own, so that whatever follows an exit never holds up the reaping of others. The
 * loop's thread ends when nothing is watched (a thread in native code holds up the JVM's exit).
 */
final class ExitLoop {
  private static final int EPOLL_CLOEXEC = 0x80000;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLL_CTL_DEL = 2;
  private static final int EPOLLIN = 0x001;
  private static final int EINTR = 4;
  private static final int P_PID = 1;
  private static final int WEXITED = 4;
  private static final int CLD_EXITED = 1;
  private static final int SIGNAL_BASE = 128;
  private static final int EVENT_SIZE = Platform.isIntel() && Platform.is64Bit() ? 12 : 16;
  private static final int DATA_OFFSET = Platform.isIntel() && Platform.is64Bit() ? 4 : 8;
  private static final int MAX_EVENTS = 64;
  // siginfo_t (128 bytes): si_code at 8, si_status at 24 on every 64-bit Linux.
  private static final int SIGINFO_SIZE = 128;
  private static final int SI_CODE = 8;
  private static final int SI_STATUS = 24;

  /** A watched child: its pid and where its exit goes. */
  private record Watched(long pid, CompletableFuture<ExitStatus> exit) {}

  private final int epfd;
  private final Map<Integer, Watched> watched = new ConcurrentHashMap<>();
  private final AtomicBoolean looping = new AtomicBoolean();
  // Held while exits are reaped, and by an upgrade from its pause to its exec or its resume.
  private final ReentrantLock reaping = new ReentrantLock();
  private final Memory events = new Memory((long) EVENT_SIZE * MAX_EVENTS);
  private final Memory siginfo = new Memory(SIGINFO_SIZE);
  // One thread, there only while there are exits to report.
  private final Executor reports =
      new ThreadPoolExecutor(
          0,
          1,
          1,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          DaemonThreads.named("pmux-exits"));

  private ExitLoop(int epfd) {
    this.epfd = epfd;
  }

  private static @Nullable ExitLoop shared; // guarded by ExitLoop.class

  /** This JVM's one exit loop; an exception where the kernel offers no epoll. */
  static synchronized ExitLoop shared() {
    if (shared == null) {
      shared = create();
    }
    return shared;
  }

  private static ExitLoop create() {
    PipePoller.bind();
    int epfd = PipePoller.Libc.epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
      throw new IllegalStateException("epoll_create1 failed with errno " + Native.getLastError());
    }
    return new ExitLoop(epfd);
  }

  /**
   * Watches child {@code pid} through its {@code pidfd} (which this loop closes once the child is
   * reaped); the future completes with how the child ended.
   */
  CompletableFuture<ExitStatus> watch(long pid, int pidfd) {
    CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    watched.put(pidfd, new Watched(pid, exit));
    Memory event = new Memory(EVENT_SIZE);
    event.clear();
    event.setInt(0, EPOLLIN);
    event.setInt(DATA_OFFSET, pidfd);
    if (PipePoller.Libc.epoll_ctl(epfd, EPOLL_CTL_ADD, pidfd, event) != 0) {
      // Cannot happen with a valid pidfd; reap at once rather than never.
      watched.remove(pidfd);
      reap(pidfd, new Watched(pid, exit));
      return exit;
    }
    if (looping.compareAndSet(false, true)) {
      try {
        DaemonThreads.named("pmux-exit-loop").newThread(this::loop).start();
      } catch (OutOfMemoryError e) {
        // No thread to be had (ulimit -u): nobody would see this child end, so it is not watched.
        looping.set(false);
        watched.remove(pidfd);
        PipePoller.Libc.epoll_ctl(epfd, EPOLL_CTL_DEL, pidfd, null);
        throw new NoThreadException(e);
      }
    }
    return exit;
  }

  /** No thread could be started to watch a child's exit; the child is not watched. */
  static final class NoThreadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoThreadException(OutOfMemoryError cause) {
      super("cannot start a thread to watch it: " + cause.getMessage(), cause);
    }
  }

  /**
   * Reports on the reporting thread, or here when that thread cannot be made again (ulimit -u): a
   * report that holds up reaping beats one that never comes.
   */
  private void report(Runnable report) {
    try {
      reports.execute(report);
    } catch (OutOfMemoryError e) {
      report.run();
    }
  }

  private void loop() {
    for (; ; ) {
      int n = PipePoller.Libc.epoll_wait(epfd, events, MAX_EVENTS, -1);
      if (n < 0) {
        if (Native.getLastError() != EINTR) {
          Diagnostics.of(ExitLoop.class)
              .error("epoll_wait failed with errno {}", Native.getLastError());
          looping.set(false);
          return;
        }
        continue;
      }
      reaping.lock();
      try {
        for (int i = 0; i < n; i++) {
          int pidfd = events.getInt((long) i * EVENT_SIZE + DATA_OFFSET);
          Watched w = watched.remove(pidfd);
          if (w != null) {
            PipePoller.Libc.epoll_ctl(epfd, EPOLL_CTL_DEL, pidfd, null);
            reap(pidfd, w);
          }
        }
      } finally {
        reaping.unlock();
      }
      if (watched.isEmpty()) {
        looping.set(false);
        // A child watched meanwhile saw the loop still running: take it back up.
        if (watched.isEmpty() || !looping.compareAndSet(false, true)) {
          return;
        }
      }
    }
  }

  /**
   * Stops reaping until {@link #resume()} (on the same thread): an exit meanwhile waits, a zombie,
   * for whoever holds the pidfd. Returns the children watched now, pid to pidfd.
   */
  Map<Long, Integer> pause() {
    reaping.lock();
    Map<Long, Integer> now = new HashMap<>();
    watched.forEach((pidfd, w) -> now.put(w.pid(), pidfd));
    return now;
  }

  /** Reaps again after {@link #pause()}. */
  void resume() {
    reaping.unlock();
  }

  private void reap(int pidfd, Watched w) {
    int rc;
    do {
      siginfo.clear();
      rc = ChildLibc.waitid(P_PID, (int) w.pid(), siginfo, WEXITED);
    } while (rc != 0 && Native.getLastError() == EINTR);
    ChildLibc.close(pidfd);
    if (rc != 0) {
      int errno = Native.getLastError();
      report(
          () ->
              w.exit()
                  .completeExceptionally(
                      new IllegalStateException(
                          "cannot reap pid " + w.pid() + ": waitid failed with errno " + errno)));
      return;
    }
    int status = siginfo.getInt(SI_STATUS);
    ExitStatus ended =
        new ExitStatus(siginfo.getInt(SI_CODE) == CLD_EXITED ? status : SIGNAL_BASE + status);
    report(() -> w.exit().complete(ended));
  }
}
