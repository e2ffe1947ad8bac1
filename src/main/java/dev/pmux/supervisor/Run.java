package dev.pmux.supervisor;

import dev.pmux.exec.Child;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a program, from its launch until pmux has handled its end. Not thread-safe: guarded by
 * the program's lock.
 */
final class Run {
  /** Null while the launch is under way. */
  Child child;

  long startedNanos;

  /** The stop of this run's process group, once pmux asked it to stop. */
  GroupStop stop;

  /** Completes when a stop of this run is over; null until one was asked for. */
  CompletableFuture<Void> stopped;

  /** Completes once the launch has succeeded or failed. */
  final CompletableFuture<Void> launched = new CompletableFuture<>();

  boolean leaderExited;

  /** The group emptied before the leader's exit was handled. */
  boolean groupEmpty;
}
