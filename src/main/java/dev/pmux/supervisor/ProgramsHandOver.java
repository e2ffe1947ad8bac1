package dev.pmux.supervisor;

import dev.pmux.exec.HandOver;
import dev.pmux.exec.HandedChild;
import dev.pmux.output.MergedOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The hand-over of every program to the pmux after an upgrade: with the exit loop and the pipe
 * pollers paused and every program's lock held, each program's state is taken (or, if one is
 * between two states, the attempt is given up and made again a moment later), written to the state
 * file, and the new pmux is exec'd. Nothing is lost if it fails: the loops and locks are let go and
 * supervision goes on.
 */
final class ProgramsHandOver {
  /** How long programs may stay between two states (a launch, a stop) before the upgrade fails. */
  private static final long SETTLE_NANOS = 10_000_000_000L;

  private static final long RETRY_MILLIS = 20;

  private final MergedOutput output;
  private final SelfReplacement how;

  ProgramsHandOver(MergedOutput output, SelfReplacement how) {
    this.output = output;
    this.how = how;
  }

  /** Returns only if the hand-over failed or programs did not settle; throws why. */
  void handOver(List<SupervisedProgram> programs) {
    long deadline = System.nanoTime() + SETTLE_NANOS;
    for (; ; ) {
      Attempt attempt = attempt(programs);
      if (attempt.failure() != null) {
        throw new IllegalStateException("upgrade failed: " + attempt.failure());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "upgrade refused: "
                + attempt.unsettled()
                + " did not settle (starting or stopping) within 10s; try again");
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("upgrade interrupted", e);
      }
    }
  }

  /** What one attempt came to when it returned: a program between two states, or a failure. */
  private record Attempt(@Nullable String unsettled, @Nullable String failure) {}

  private Attempt attempt(List<SupervisedProgram> programs) {
    // The loops first: a pipe's reader may need a program's lock (a readiness line) to finish.
    Map<Long, Integer> pidfds = HandOver.pauseExits();
    try {
      Map<Integer, PolledPumps.FeedSink> pipes = PolledPumps.pause();
      try {
        return underLocks(programs, 0, () -> handOverLocked(programs, pidfds, pipes));
      } finally {
        PolledPumps.resume();
      }
    } finally {
      HandOver.resumeExits();
    }
  }

  private static Attempt underLocks(
      List<SupervisedProgram> programs, int from, Supplier<Attempt> body) {
    if (from == programs.size()) {
      return body.get();
    }
    return programs.get(from).holding(() -> underLocks(programs, from + 1, body));
  }

  private Attempt handOverLocked(
      List<SupervisedProgram> programs,
      Map<Long, Integer> pidfds,
      Map<Integer, PolledPumps.FeedSink> pipes) {
    List<HandedProgram> handed = new ArrayList<>();
    Set<Integer> keep = new LinkedHashSet<>(how.keep());
    for (SupervisedProgram program : programs) {
      HandedProgram h = program.handOver(pidfds, pipes);
      if (h == null) {
        return new Attempt(program.name(), null);
      }
      HandedChild child = h.child();
      if (child != null) {
        keep.add(child.pidfd());
        keep.add(child.stdout());
        keep.add(child.stderr());
        keep.remove(-1); // a pipe that had already ended
      }
      handed.add(h);
    }
    try {
      new UpgradeState(handed, how.extras()).write(how.stateFile());
    } catch (IOException e) {
      return new Attempt(null, "cannot write " + how.stateFile() + ": " + e.getMessage());
    }
    output.event("pmux", "upgrading: handing " + handed.size() + " programs over");
    String failure = how.exec(keep);
    try {
      Files.deleteIfExists(how.stateFile());
    } catch (IOException e) {
      // The next start finds no variable naming it: a stale file is harmless.
    }
    return new Attempt(null, failure);
  }
}
