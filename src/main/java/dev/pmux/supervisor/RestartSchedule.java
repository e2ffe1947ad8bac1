package dev.pmux.supervisor;

import dev.pmux.config.ProcessSpec;
import dev.pmux.exec.Timeline;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * When a program restarts: the Go tool's backoff, the {@code maxRestarts} limit within {@code
 * restartWindow}, and the one pending restart. Not thread-safe: guarded by the program's lock.
 */
final class RestartSchedule {
  private Duration wait = Duration.ZERO;
  private final Deque<Long> restartedAt = new ArrayDeque<>();
  private Timeline.@Nullable Timer pending;
  private long dueNanos;
  private long generation;

  /** The delay before the next restart of a run that lasted {@code took}; grows the backoff. */
  Duration nextDelay(Duration took, RestartPolicy policy) {
    wait = Backoff.next(wait, took, policy.minWait(), policy.maxWait());
    return wait;
  }

  /**
   * Whether {@code maxRestarts} automatic restarts have happened within {@code restartWindow}
   * before {@code now} (nanoseconds); never without {@code maxRestarts}.
   */
  boolean limitReached(ProcessSpec spec, long now) {
    if (spec.maxRestarts() <= 0) {
      return false;
    }
    long window = spec.restartWindow().toNanos();
    while (!restartedAt.isEmpty() && now - restartedAt.peekFirst() > window) {
      restartedAt.removeFirst();
    }
    return restartedAt.size() >= spec.maxRestarts();
  }

  /** How many restarts the limit counted. */
  int recentRestarts() {
    return restartedAt.size();
  }

  /** Arms the restart: after {@code delay}, {@code due} receives this restart's generation. */
  void arm(Timeline timeline, Duration delay, LongConsumer due) {
    long armed = ++generation;
    dueNanos = timeline.nanoTime() + delay.toNanos();
    pending = timeline.schedule(delay, () -> due.accept(armed));
  }

  /**
   * Claims the restart of {@code armed} at {@code now}: true once, for the pending one; a timer
   * cancelled too late still fires, and must not restart.
   */
  boolean claim(long armed, long now) {
    if (pending == null || armed != generation) {
      return false;
    }
    pending = null;
    restartedAt.addLast(now);
    return true;
  }

  /** Nanoseconds from {@code now} until the pending restart (0 when due or none). */
  long dueIn(long now) {
    return pending == null ? 0 : Math.max(0, dueNanos - now);
  }

  /** The backoff reached so far, which the next delay grows from. */
  Duration backoff() {
    return wait;
  }

  /** Takes over the backoff that the pmux before an upgrade had reached. */
  void resumeBackoff(Duration reached) {
    wait = reached;
  }

  /** Cancels the pending restart, if any. */
  void cancel() {
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
    generation++;
  }

  /** The next restart waits {@code minWait} again and the limit counts from zero. */
  void reset() {
    wait = Duration.ZERO;
    restartedAt.clear();
  }
}
