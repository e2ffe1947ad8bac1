package dev.pmux.supervisor;

import dev.pmux.exec.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A {@link Timeline} whose time moves only when a test says so; due tasks run on the caller. */
final class FakeTimeline implements Timeline {
  private long now = 1_000_000_000L;
  private long sequence;
  private final List<Task> tasks = new ArrayList<>();

  private final class Task implements Timer {
    final long due;
    final long order = sequence++;
    final Runnable action;

    Task(long due, Runnable action) {
      this.due = due;
      this.action = action;
    }

    @Override
    public void cancel() {
      synchronized (FakeTimeline.this) {
        tasks.remove(this);
      }
    }
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized long epochMillis() {
    return 1_700_000_000_000L + now / 1_000_000;
  }

  @Override
  public synchronized Timer schedule(Duration delay, Runnable task) {
    Task t = new Task(now + Math.max(0, delay.toNanos()), task);
    tasks.add(t);
    return t;
  }

  /** The delays from now of every pending task, soonest first. */
  synchronized List<Duration> pending() {
    return tasks.stream()
        .sorted(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order))
        .map(t -> Duration.ofNanos(t.due - now))
        .toList();
  }

  /** Moves time to the soonest pending task and runs every task due then; empty if none. */
  Optional<Duration> fireNext() {
    Optional<Duration> next = pending().stream().findFirst();
    next.ifPresent(this::advance);
    return next;
  }

  /** Moves time forward by {@code d}, running each task as its time comes, in order. */
  void advance(Duration d) {
    long until;
    synchronized (this) {
      until = now + d.toNanos();
    }
    while (true) {
      Task due;
      synchronized (this) {
        due =
            tasks.stream()
                .filter(t -> t.due <= until)
                .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order))
                .orElse(null);
        if (due == null) {
          now = until;
          return;
        }
        tasks.remove(due);
        now = Math.max(now, due.due);
      }
      due.action.run();
    }
  }
}
