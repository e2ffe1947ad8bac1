package dev.pmux.supervisor;

import dev.pmux.exec.Child;
import dev.pmux.exec.HandedChild;
import dev.pmux.output.Channel;
import dev.pmux.output.ProgramOutput;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Takes one program, under its lock, as the next pmux will take it over after an upgrade: its
 * snapshot, tuned policy, recent exits and pending restart, and its running child with the pipes
 * the paused poller reads for it. Reads only; nothing about the program changes.
 */
final class HandOverCapture {
  private final StateOwner state;
  private final ProgramSettings settings;
  private final ProgramOutput output;
  private final SupervisorRuntime runtime;
  private final ExitHistory exits;
  private final RestartSchedule restarts;
  private final LeftoverGroups leftovers;

  HandOverCapture(
      StateOwner state,
      ProgramSettings settings,
      ProgramOutput output,
      SupervisorRuntime runtime,
      ExitHistory exits,
      RestartSchedule restarts,
      LeftoverGroups leftovers) {
    this.state = state;
    this.settings = settings;
    this.output = output;
    this.runtime = runtime;
    this.exits = exits;
    this.restarts = restarts;
    this.leftovers = leftovers;
  }

  /**
   * The program with its {@code current} run, or null while it is between two states (a launch, a
   * stop, an exit not yet handled, leftovers being stopped, pipes not yet read by the poller): the
   * upgrade then tries again. {@code pidfds} and {@code pipes} are what the paused loops watch.
   */
  @Nullable HandedProgram take(
      @Nullable Run current, Map<Long, Integer> pidfds, Map<Integer, PolledPumps.FeedSink> pipes) {
    ProcessState now = state.state();
    if (now == ProcessState.STARTING
        || now == ProcessState.STOPPING
        || !leftovers.groupIds().isEmpty()) {
      return null;
    }
    HandedChild handed = null;
    byte[] out = new byte[0];
    byte[] err = new byte[0];
    long started = 0;
    if (now == ProcessState.RUNNING) {
      Child child = current == null ? null : current.child;
      if (current == null
          || child == null
          || current.stop != null
          || !current.pumping
          || child.exit().isDone()) {
        return null;
      }
      Integer pidfd = pidfds.get(child.pid());
      int outFd = -1;
      int errFd = -1;
      for (Map.Entry<Integer, PolledPumps.FeedSink> pipe : pipes.entrySet()) {
        PolledPumps.FeedSink sink = pipe.getValue();
        if (sink.output() != output) {
          continue;
        }
        if (sink.channel() == Channel.STDOUT) {
          outFd = pipe.getKey();
          out = sink.feed().unfinished();
        } else {
          errFd = pipe.getKey();
          err = sink.feed().unfinished();
        }
      }
      // A pipe the pumps no longer read has ended (a program that closed its stdout): -1.
      if (pidfd == null) {
        return null;
      }
      handed = new HandedChild(child.pid(), pidfd, outFd, errFd);
      started = current.startedNanos;
    }
    return new HandedProgram(
        state.snapshot(),
        settings.policy(),
        handed,
        started,
        out,
        err,
        exits.list(),
        restarts.dueIn(runtime.timeline().nanoTime()),
        restarts.backoff().toNanos());
  }
}
