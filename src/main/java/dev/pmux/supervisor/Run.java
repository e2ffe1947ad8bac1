package dev.pmux.supervisor;

import dev.pmux.config.ProcessSpec;
import dev.pmux.exec.Child;
import dev.pmux.exec.ExitStatus;
import dev.pmux.exec.LaunchException;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.Timeline;
import dev.pmux.output.ProgramOutput;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One run of a program, from its launch until pmux has handled its end: the Go tool's
 * RunProcessOnce. It forks and watches; what comes of it is decided by the program that owns it.
 * Fields are guarded by the owner's lock.
 */
final class Run {
  /**
   * How long the exit of a main process waits for its last output before it is reported, while
   * members of its group live on: they may hold the pipes open for as long as they live.
   */
  static final Duration DRAIN_GRACE = Duration.ofMillis(200);

  /**
   * The same wait when the group is empty: the pipes end as soon as their last lines are read,
   * which on a loaded machine can take longer than {@link #DRAIN_GRACE}; only a process that left
   * the group can hold them longer.
   */
  static final Duration LAST_OUTPUT_WAIT = Duration.ofSeconds(1);

  /** What a fork gave: a child, or why there is none. */
  record Forked(@Nullable Child child, @Nullable String failure, long beganNanos) {}

  /** How the main process ended, and whether its group still has members. */
  record Ending(
      @Nullable ExitStatus status,
      @Nullable Throwable error,
      long exitedAtNanos,
      boolean membersLeft) {
    int code() {
      return status != null ? status.code() : -1;
    }

    String signal() {
      return status != null ? status.signal().map(Enum::name).orElse("") : "";
    }

    /** The Go tool's line for an end that pmux did not ask for. */
    String describe() {
      if (error != null) {
        return "exited: " + error.getMessage();
      }
      ExitStatus exit = Objects.requireNonNull(status, "a run ends with a status or an error");
      return exit.code() == 0 ? "exit code: 0" : "exited: " + exit.describe();
    }
  }

  /** Null while the launch is under way. */
  @Nullable Child child;

  long startedNanos;

  /** The stop of this run's process group, once pmux asked it to stop. */
  @Nullable GroupStop stop;

  /** Completes when a stop of this run is over; null until one was asked for. */
  @Nullable CompletableFuture<Void> stopped;

  /** Completes once the launch has succeeded or failed. */
  final CompletableFuture<Void> launched = new CompletableFuture<>();

  boolean leaderExited;

  /** Its pipes are with the pumps (an upgrade hands over only what they read). */
  volatile boolean pumping;

  /** The group emptied before the leader's exit was handled. */
  boolean groupEmpty;

  /** Forks {@code spec}; blocks for as long as fork and exec take. */
  static Forked fork(SupervisorRuntime runtime, ProcessSpec spec) {
    long began = runtime.timeline().nanoTime();
    try {
      return new Forked(runtime.launcher().launch(spec), null, began);
    } catch (LaunchException e) {
      return new Forked(null, String.valueOf(e.getMessage()), began);
    } catch (RuntimeException e) {
      // Whatever went wrong, the program must not stay STARTING: it is a failed launch.
      return new Forked(null, e.toString(), began);
    }
  }

  /**
   * Reads the child's output into {@code output} and tells {@code ended} once its main process has
   * exited and its last output is in (or {@link #DRAIN_GRACE} or {@link #LAST_OUTPUT_WAIT} has
   * passed), so that the exit line follows the program's own last lines. {@code members} tells
   * whether the group (or the program's tree) still has live processes.
   */
  static void watch(
      Child child,
      SupervisorRuntime runtime,
      ProcessGroupKiller members,
      ProgramOutput output,
      Consumer<Ending> ended) {
    Timeline timeline = runtime.timeline();
    CompletableFuture<Void> drained = runtime.pumps().start(child, output);
    var unused =
        child
            .exit()
            .whenComplete(
                (status, error) -> {
                  long exitedAt = timeline.nanoTime();
                  AliveAnswer.then(
                      timeline,
                      members.checkAlive(child.pid()),
                      alive -> {
                        CompletableFuture<Void> reported = new CompletableFuture<>();
                        Duration wait = alive ? DRAIN_GRACE : LAST_OUTPUT_WAIT;
                        Timeline.Timer grace =
                            timeline.schedule(wait, () -> reported.complete(null));
                        var unusedDrained =
                            drained.whenComplete((ok, failed) -> reported.complete(null));
                        var unusedReported =
                            reported.thenRun(
                                () -> {
                                  grace.cancel();
                                  AliveAnswer.then(
                                      timeline,
                                      members.checkAlive(child.pid()),
                                      membersLeft ->
                                          ended.accept(
                                              new Ending(status, error, exitedAt, membersLeft)));
                                });
                      });
                });
  }
}
