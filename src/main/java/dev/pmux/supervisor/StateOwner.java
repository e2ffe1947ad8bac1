package dev.pmux.supervisor;

import dev.pmux.output.ProgramOutput;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Owns one program's state: the lock, the published {@link ProcessSnapshot}, the listeners, and the
 * one guarded {@link #changeState} that every transition goes through. What a transition does
 * (event lines, signals, launches, futures) is queued under the lock and carried out after it, in
 * order, from the {@link Outbox}.
 */
final class StateOwner {
  private final Object lock = new Object();
  private final Outbox outbox = new Outbox();
  private final String name;
  private final ProgramOutput output;
  private final SerialExecutor notifications;
  private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
  private volatile ProcessSnapshot snapshot;
  private boolean closed; // guarded by lock

  StateOwner(String name, ProgramOutput output, SupervisorRuntime runtime) {
    this.name = name;
    this.output = output;
    this.notifications = new SerialExecutor(runtime.notifications());
    this.snapshot = ProcessSnapshot.initial(name);
  }

  /** The latest state; never blocks. */
  ProcessSnapshot snapshot() {
    return snapshot;
  }

  /** The current state; called under the lock, where it cannot change underfoot. */
  ProcessState state() {
    return snapshot.state();
  }

  /** Whether pmux is shutting down: no start, a restart when due included, may happen. */
  boolean closed() {
    return closed;
  }

  void close() {
    closed = true;
  }

  void addListener(StateListener listener) {
    listeners.add(listener);
  }

  void removeListener(StateListener listener) {
    listeners.remove(listener);
  }

  /** Runs {@code decision} under the lock, then carries out the effects it queued. */
  <T> T decide(Supplier<T> decision) {
    T result;
    synchronized (lock) {
      result = decision.get();
    }
    outbox.drain();
    return result;
  }

  /** Runs {@code decision} under the lock, then carries out the effects it queued. */
  void decide(Runnable decision) {
    synchronized (lock) {
      decision.run();
    }
    outbox.drain();
  }

  /** Queues {@code effect} to run after the lock, behind what was queued before it. */
  void then(Runnable effect) {
    outbox.add(effect);
  }

  /** Prints {@code <name> ~ text}, after the lock, in the order of the transitions. */
  void say(String text) {
    outbox.add(() -> output.event(text));
  }

  /** Prints {@code <name> ~ text} now, in order with the events queued so far; no lock needed. */
  void sayNow(String text) {
    say(text);
    outbox.drain();
  }

  void complete(@Nullable CompletableFuture<Void> future) {
    if (future != null) {
      outbox.add(() -> future.complete(null));
    }
  }

  /** Updates the snapshot within the current state. */
  void update(UnaryOperator<ProcessSnapshot> step) {
    snapshot = step.apply(snapshot);
  }

  /**
   * The one place where the state is written: checks the move against the diagram, applies the
   * step, publishes, and queues the listeners' notification behind the events already said.
   */
  void changeState(ProcessState to, UnaryOperator<ProcessSnapshot> step) {
    ProcessSnapshot before = snapshot;
    ProcessState from = before.state();
    if (!from.canMoveTo(to)) {
      throw new IllegalStateException(
          "process '" + name + "': expected one of " + to.reachableFrom() + ", was " + from);
    }
    ProcessSnapshot next = step.apply(before).in(to);
    snapshot = next;
    outbox.add(
        () -> notifications.execute(() -> listeners.forEach(l -> l.stateChanged(from, next))));
  }
}
