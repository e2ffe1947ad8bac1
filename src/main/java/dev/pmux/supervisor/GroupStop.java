package dev.pmux.supervisor;

import dev.pmux.config.Signal;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.Timeline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The stop of one process group, as systemd stops a control group: the stop signal to every member;
 * SIGKILL to whatever is left once {@code sigKillWait} has passed since that signal; done when no
 * member is alive. The leader exiting first changes nothing about the deadline.
 */
final class GroupStop {
  /**
   * How long members may take to die after SIGKILL (one in uninterruptible sleep outlives it for a
   * while) before the stop is over all the same: a stop always ends.
   */
  static final Duration AFTER_KILL = Duration.ofSeconds(2);

  private static final Duration FIRST_CHECK = Duration.ofMillis(5);
  private static final Duration RESEND = Duration.ofMillis(25);
  private static final Duration LAST_CHECK = Duration.ofMillis(100);

  /** The owner decides what is printed; told outside any lock of this class. */
  interface Owner {
    /** {@code sigKillWait} has passed and the group still has members. */
    void killDue(GroupStop stop);

    /** The group has no live member left, or {@link #AFTER_KILL} has passed since SIGKILL. */
    void emptied(GroupStop stop);
  }

  private final long pgid;
  private final Signal signal;
  private final Duration killAfter;
  private final ProcessGroupKiller killer;
  private final Timeline timeline;
  private final Owner owner;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  // Guarded by this.
  private Timeline.@Nullable Timer deadline;
  private Timeline.@Nullable Timer check;
  private Timeline.@Nullable Timer resend;
  private Duration checkEvery = FIRST_CHECK;
  private boolean watching;
  private boolean killed;
  private boolean over;

  GroupStop(
      long pgid,
      Signal signal,
      Duration killAfter,
      ProcessGroupKiller killer,
      Timeline timeline,
      Owner owner) {
    this.pgid = pgid;
    this.signal = signal;
    this.killAfter = killAfter;
    this.killer = killer;
    this.timeline = timeline;
    this.owner = owner;
  }

  long pgid() {
    return pgid;
  }

  /** Sends the stop signal to the group and arms the SIGKILL deadline. */
  void begin() {
    synchronized (this) {
      if (!over) {
        deadline = timeline.schedule(killAfter, this::deadlinePassed);
      }
    }
    send();
  }

  /**
   * A group that does not exist yet (a child still in setsid on a loaded machine) gets the signal
   * again, until it arrives or the stop is over; SIGKILL at the deadline bounds it all the same.
   */
  private void send() {
    synchronized (this) {
      if (over || killed) {
        return;
      }
    }
    if (killer.signal(pgid, signal)) {
      return;
    }
    synchronized (this) {
      if (!over && !killed) {
        resend = timeline.schedule(RESEND, this::send);
      }
    }
  }

  /**
   * Starts watching for the group to empty: once its leader has exited (before, the leader's exit
   * says more, sooner), or at once for what a leader left behind.
   */
  void watch() {
    synchronized (this) {
      if (watching || over) {
        return;
      }
      watching = true;
    }
    checkEmpty();
  }

  /** SIGKILLs what is left of the group; the stop is over once it is empty or after a grace. */
  void kill() {
    synchronized (this) {
      if (over || killed) {
        return;
      }
      killed = true;
      cancel(deadline);
      deadline = timeline.schedule(AFTER_KILL, this::end);
    }
    killer.signal(pgid, Signal.KILL);
  }

  /** Whether SIGKILL was sent. */
  synchronized boolean killed() {
    return killed;
  }

  /** Completes once the stop is over. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  private void deadlinePassed() {
    synchronized (this) {
      if (over || killed) {
        return;
      }
    }
    AliveAnswer.then(
        timeline,
        killer.checkAlive(pgid),
        alive -> {
          if (alive) {
            owner.killDue(this);
          } else {
            end();
          }
        });
  }

  private void checkEmpty() {
    AliveAnswer.then(
        timeline,
        killer.checkAlive(pgid),
        alive -> {
          if (!alive) {
            end();
            return;
          }
          synchronized (this) {
            if (over) {
              return;
            }
            check = timeline.schedule(checkEvery, this::checkEmpty);
            Duration longer = checkEvery.multipliedBy(2);
            checkEvery = longer.compareTo(LAST_CHECK) > 0 ? LAST_CHECK : longer;
          }
        });
  }

  private void end() {
    synchronized (this) {
      if (over) {
        return;
      }
      over = true;
      cancel(deadline);
      cancel(check);
      cancel(resend);
    }
    owner.emptied(this);
    finished.complete(null);
  }

  private static void cancel(Timeline.@Nullable Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
  }
}
