package dev.pmux.supervisor;

import dev.pmux.log.Diagnostics;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The effects of one program's transitions (event lines, signals, launches, futures to complete),
 * decided under the program's lock and carried out after it, in the order they were decided: a
 * stalled stderr or a slow fork never holds the lock that a stop or a JMX read needs.
 */
final class Outbox {
  private final Queue<Runnable> effects = new ArrayDeque<>();
  private boolean draining;

  /** Queues {@code effect}; called under the program's lock. */
  synchronized void add(Runnable effect) {
    effects.add(effect);
  }

  /**
   * Carries out every queued effect, unless another thread (or an outer call on this one) is doing
   * so already, in which case that one carries out these too. Called with no lock held.
   */
  void drain() {
    synchronized (this) {
      if (draining) {
        return;
      }
      draining = true;
    }
    while (true) {
      Runnable next;
      synchronized (this) {
        next = effects.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        Diagnostics.of(Outbox.class).error("an effect of a transition failed", e);
      }
    }
  }
}
