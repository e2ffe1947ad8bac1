package dev.pmux.supervisor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Whether the current run of a program is ready, and the future that programs depending on it wait
 * for. Not thread-safe: guarded by the program's lock; futures complete in the program's outbox,
 * never under the lock.
 */
final class ReadinessGate {
  private final Outbox outbox;
  private CompletableFuture<Void> ready = new CompletableFuture<>();
  private @Nullable ReadinessWatch watch;
  private long readySince;

  ReadinessGate(Outbox outbox) {
    this.outbox = outbox;
  }

  /** A run started; {@code check} watches it, or null when it is ready at once. */
  void runStarted(@Nullable ReadinessWatch check, long nowMillis) {
    if (ready.isDone()) {
      ready = new CompletableFuture<>();
    }
    watch = check;
    if (check == null) {
      becameReady(nowMillis);
    } else {
      outbox.add(check::start);
    }
  }

  /** Whether {@code check} is the watch of the current run, still undecided. */
  boolean watching(ReadinessWatch check) {
    return check == watch && readySince == 0;
  }

  void becameReady(long nowMillis) {
    readySince = nowMillis;
    CompletableFuture<Void> now = ready;
    outbox.add(() -> now.complete(null));
  }

  void neverReady(String why) {
    CompletableFuture<Void> now = ready;
    outbox.add(() -> now.completeExceptionally(new TimeoutException(why)));
  }

  /** The run ended: not ready any more; its check stops. */
  void runEnded() {
    readySince = 0;
    ReadinessWatch ended = watch;
    watch = null;
    if (ended != null) {
      outbox.add(ended::cancel);
    }
  }

  long readySince() {
    return readySince;
  }

  CompletableFuture<Void> whenReady() {
    return ready.copy();
  }
}
