package dev.pmux.supervisor;

import dev.pmux.config.GoDuration;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Readiness;
import dev.pmux.exec.Timeline;
import dev.pmux.output.ProgramOutput;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Whether the current run of a program is ready by its {@code ready:} check, and the future that
 * programs depending on it wait for. Guarded by the program's lock (its {@link StateOwner});
 * futures complete after the lock, never under it.
 */
final class ReadinessGate {
  private final StateOwner state;
  private final ProgramOutput output;
  private final Timeline timeline;
  private CompletableFuture<Void> ready = new CompletableFuture<>();
  private @Nullable ReadinessWatch watch;
  private long readySince;

  ReadinessGate(StateOwner state, ProgramOutput output, Timeline timeline) {
    this.state = state;
    this.output = output;
    this.timeline = timeline;
  }

  /** A run of {@code spec} started: ready at once without a check, else once its check passes. */
  void runStarted(ProcessSpec spec, long nowMillis) {
    if (ready.isDone()) {
      ready = new CompletableFuture<>();
    }
    Readiness check = spec.ready();
    if (check == null) {
      watch = null;
      becameReady(nowMillis);
      return;
    }
    ReadinessWatch started =
        new ReadinessWatch(
            spec,
            output,
            timeline,
            w -> decide(w, () -> becameReady(timeline.epochMillis())),
            w ->
                decide(
                    w,
                    () -> {
                      state.say("not ready after " + GoDuration.format(check.timeout()));
                      CompletableFuture<Void> now = ready;
                      TimeoutException why =
                          new TimeoutException(spec.name() + " did not become ready");
                      state.then(() -> now.completeExceptionally(why));
                    }));
    watch = started;
    state.then(started::start);
  }

  /** The run ended: not ready any more; its check stops. */
  void runEnded() {
    readySince = 0;
    ReadinessWatch ended = watch;
    watch = null;
    if (ended != null) {
      state.then(ended::cancel);
    }
  }

  long readySince() {
    return readySince;
  }

  CompletableFuture<Void> whenReady() {
    return ready.copy();
  }

  /** Takes the lock for the verdict of {@code check}, unless another run's check gave it. */
  private void decide(ReadinessWatch check, Runnable verdict) {
    state.decide(
        () -> {
          if (check == watch && readySince == 0) {
            verdict.run();
          }
        });
  }

  private void becameReady(long nowMillis) {
    if (watch != null) {
      state.say("ready");
    }
    readySince = nowMillis;
    CompletableFuture<Void> now = ready;
    state.then(() -> now.complete(null));
  }
}
