package dev.pmux.supervisor;

import dev.pmux.exec.Timeline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Acts on whether a stop's processes are alive: at once when the answer is there, else on the
 * timeline's thread once it comes, so that what follows never runs on the thread that reads the
 * process list. A failed look counts as "alive": the SIGKILL deadline still ends the stop.
 */
final class AliveAnswer {
  private AliveAnswer() {}

  static void then(Timeline timeline, CompletableFuture<Boolean> alive, Consumer<Boolean> next) {
    if (alive.isDone()) {
      next.accept(alive.exceptionally(failed -> true).join());
      return;
    }
    var unused =
        alive.whenComplete(
            (answer, failed) -> {
              boolean value = failed != null || answer;
              timeline.schedule(Duration.ZERO, () -> next.accept(value));
            });
  }
}
