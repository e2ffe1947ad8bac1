package dev.pmux.supervisor;

import dev.pmux.config.GoDuration;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.exec.Child;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.log.Diagnostics;
import dev.pmux.output.ProgramOutput;
import dev.pmux.supervisor.ExitClassifier.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The runs of one program and the transitions they cause: a launch and what came of it, the end of
 * a run and what follows (restart, exit, give-up), a restart when due, and the progress of a stop.
 * Methods without a note run under the {@link StateOwner}'s lock; callbacks from the OS take it.
 */
final class ProgramRuns {
  private final StateOwner state;
  private final ProgramOutput output;
  private final SupervisorRuntime runtime;
  private final GroupStop.Owner stops = new Stops();
  private final ProgramSettings settings;
  private final String name;
  private final ProgramProcesses processes;

  // Guarded by the owner's lock.
  private final RestartSchedule restarts = new RestartSchedule();
  private final ReadinessGate readiness;
  private final LeftoverGroups leftovers;
  private final ExitHistory exits = new ExitHistory();
  private final LastRunClearing lastRun;
  private final HandOverCapture handOvers;
  private final ProgramAdoption adoption;
  private @Nullable Run run;

  ProgramRuns(
      ProgramSettings settings, StateOwner state, ProgramOutput output, SupervisorRuntime runtime) {
    this.settings = settings;
    this.name = settings.spec().name();
    this.state = state;
    this.output = output;
    this.runtime = runtime;
    this.readiness = new ReadinessGate(state, output, runtime.timeline());
    this.leftovers = new LeftoverGroups(runtime.timeline(), state::sayNow);
    this.processes = new ProgramProcesses(name, settings, runtime, leftovers);
    this.lastRun = new LastRunClearing(name, state, runtime, leftovers);
    this.handOvers =
        new HandOverCapture(state, settings, output, runtime, exits, restarts, leftovers);
    this.adoption =
        new ProgramAdoption(state, settings, output, runtime, exits, restarts, readiness);
  }

  ExitHistory exits() {
    return exits;
  }

  ReadinessGate readiness() {
    return readiness;
  }

  RestartSchedule restarts() {
    return restarts;
  }

  /** What reaches the program's processes without the lock. */
  ProgramProcesses processes() {
    return processes;
  }

  /** Completes once the launch under way (if any) has succeeded or failed. */
  CompletableFuture<Void> launchSettled() {
    return run != null ? run.launched.copy() : CompletableFuture.completedFuture(null);
  }

  /** Completes once the stop under way (if any) and every group left behind are over. */
  CompletableFuture<Void> stopsOver() {
    return leftovers.after(
        run != null && run.stopped != null ? run.stopped : CompletableFuture.completedFuture(null));
  }

  /** The current run's child, or null when there is none (yet). */
  @Nullable Child child() {
    return run != null ? run.child : null;
  }

  /** This program as the next pmux takes it over, or null: see {@link HandOverCapture#take}. */
  @Nullable HandedProgram handOver(
      Map<Long, Integer> pidfds, Map<Integer, PolledPumps.FeedSink> pipes) {
    return handOvers.take(run, pidfds, pipes);
  }

  /**
   * Takes over {@code handed} from the pmux before an upgrade, with its running child {@code child}
   * (null when it had none): the same state, counters, settings and schedule, no launch.
   */
  void adopt(HandedProgram handed, @Nullable Child child) {
    Run adopted = adoption.restore(handed, child, this::restartDue);
    if (adopted != null && child != null) {
      run = adopted;
      processes.groupIs(child.pid());
      watch(adopted, child);
    }
  }

  private ProcessGroupKiller killer(ProcessSpec spec) {
    return TreeKiller.forStop(runtime, name, spec.killMode());
  }

  /** STOPPED|EXITED|FATAL|BACKOFF -> STARTING, with a fresh run forked on the launch executor. */
  void beginLaunch() {
    state.changeState(ProcessState.STARTING, s -> s);
    Run next = new Run();
    run = next;
    ProcessSpec launching = settings.spec();
    CompletableFuture<Void> leftBehind = lastRun.groupsOver(launching);
    // What else is left is looked for in a reading that began after this request, or after those
    // groups were over: one reading then serves every program started at the same time.
    @Nullable Long asked = leftBehind.isDone() ? runtime.tree().now() : null;
    // Forks block for milliseconds: on the launch executor, several at once, never on a timer.
    state.then(
        () -> {
          var unused =
              leftBehind.thenRun(
                  () ->
                      onLaunchExecutor(
                          next,
                          () ->
                              clearThenLaunch(
                                  next, launching, asked != null ? asked : runtime.tree().now())));
        });
  }

  /**
   * Runs {@code task} on the launch executor; when that cannot take it (no thread to be had under
   * ulimit -u) the launch fails as any other does, and is retried after the backoff.
   */
  private void onLaunchExecutor(Run attempt, Runnable task) {
    try {
      runtime.launches().execute(task);
    } catch (OutOfMemoryError | RejectedExecutionException e) {
      long began = runtime.timeline().nanoTime();
      state.decide(
          () -> {
            launchFailed(attempt, "cannot start a thread: " + e.getMessage(), began);
            state.then(() -> attempt.launched.complete(null));
          });
    }
  }

  /** Launches once what the last run left is stopped ({@link LastRunClearing}). */
  private void clearThenLaunch(Run next, ProcessSpec launching, long asked) {
    CompletableFuture<Void> cleared = lastRun.clear(launching, asked);
    if (cleared == null) {
      launch(next, launching);
    } else {
      var unused = cleared.thenRun(() -> onLaunchExecutor(next, () -> launch(next, launching)));
    }
  }

  /** RUNNING|STARTING -> STOPPING; a starting run gets its stop signal once its launch returns. */
  void beginStop() {
    ProcessState before = state.state();
    state.changeState(ProcessState.STOPPING, s -> s);
    Run stopping = Objects.requireNonNull(run, () -> name + " has no run in " + before);
    if (before == ProcessState.RUNNING) {
      signalStop(stopping);
    } else {
      stopping.stopped = new CompletableFuture<>();
    }
  }

  /** Forks outside the lock, then records what came of it. */
  private void launch(Run attempt, ProcessSpec launching) {
    Run.Forked forked = Run.fork(runtime, launching);
    state.decide(
        () -> {
          if (forked.child() == null) {
            launchFailed(attempt, String.valueOf(forked.failure()), forked.beganNanos());
          } else {
            launched(attempt, forked.child(), forked.beganNanos());
          }
          state.then(() -> attempt.launched.complete(null));
        });
  }

  private void launched(Run attempt, Child child, long began) {
    attempt.child = child;
    processes.groupIs(child.pid());
    attempt.startedNanos = began;
    long now = runtime.timeline().epochMillis();
    if (state.state() == ProcessState.STOPPING) {
      state.update(s -> s.launched(child.pid(), now, began));
      signalStop(attempt);
    } else {
      state.changeState(
          ProcessState.RUNNING, s -> s.launched(child.pid(), now, began)); // STARTING -> RUNNING
      readiness.runStarted(settings.spec(), now);
    }
    SupervisionEvents.launched(name, child.pid());
    watch(attempt, child);
  }

  /** After the lock, reads the output of {@code current}'s child and handles its end. */
  private void watch(Run current, Child child) {
    ProcessGroupKiller members = killer(settings.spec());
    state.then(
        () -> {
          Run.watch(child, runtime, members, output, ending -> runEnded(current, ending));
          current.pumping = true;
        });
  }

  private void launchFailed(Run attempt, String failure, long began) {
    long now = runtime.timeline().nanoTime();
    run = null;
    state.say("exited: starting process: " + failure);
    state.update(s -> s.launchFailed(failure, runtime.timeline().epochMillis()));
    if (state.state() == ProcessState.STOPPING) {
      state.say("stopped process handler");
      state.changeState(ProcessState.STOPPED, s -> s); // STOPPING -> STOPPED
      state.complete(attempt.stopped);
      return;
    }
    carryOut(classify(-1, true, now), Duration.ofNanos(now - began), now, s -> s);
    // STARTING -> BACKOFF|EXITED|FATAL
  }

  private void runEnded(Run ended, Run.Ending ending) {
    state.decide(
        () -> {
          if (run == ended) {
            handleEnd(ended, ending);
          }
        });
  }

  /** The main process of the current run ended and its output is in. */
  private void handleEnd(Run ended, Run.Ending ending) {
    ended.leaderExited = true;
    long pgid = Objects.requireNonNull(ended.child).pid();
    int code = ending.code();
    Duration took = Duration.ofNanos(ending.exitedAtNanos() - ended.startedNanos);
    // When it exited, not when its end was handled (after its last output and a look at its tree).
    long endedMillis =
        runtime.timeline().epochMillis()
            - Math.max(0, (runtime.timeline().nanoTime() - ending.exitedAtNanos()) / 1_000_000);
    readiness.runEnded();
    if (state.state() == ProcessState.STOPPING) {
      state.update(s -> s.ended(code, endedMillis));
      exits.record(name, pgid, code, ending.signal(), took, endedMillis, false, true);
      if (ended.groupEmpty) {
        finishStop(ended);
      } else {
        // Over once the group is empty, however early the leader went.
        state.then(Objects.requireNonNull(ended.stop)::watch);
      }
      return;
    }
    Outcome outcome = classify(code, false, ending.exitedAtNanos());
    exits.record(
        name, pgid, code, ending.signal(), took, endedMillis, outcome == Outcome.RESTART, false);
    run = null;
    processes.groupIs(-1);
    state.say(ending.describe());
    if (ending.membersLeft()) {
      Signal signal = settings.spec().stopSignal();
      state.say("its process group still has members: sending " + signal.goName() + " signal");
      state.then(leftovers.leave(pgid, signal, settings.killAfter(), killer(settings.spec())));
    }
    // The end and the next state are one step: RUNNING without a pid is no moment of it.
    carryOut(outcome, took, ending.exitedAtNanos(), s -> s.ended(code, endedMillis));
    // RUNNING -> BACKOFF|EXITED|FATAL
  }

  /** What comes of an end that pmux did not ask for (exit code -1: the launch failed). */
  private Outcome classify(int code, boolean launchFailed, long atNanos) {
    ProcessSpec spec = settings.spec();
    boolean limitReached = restarts.limitReached(spec, atNanos);
    return ExitClassifier.classify(
        code, launchFailed, false, spec, settings.policy(), limitReached);
  }

  /** What follows an end that pmux did not ask for. */
  private void carryOut(
      Outcome outcome, Duration took, long endedAt, UnaryOperator<ProcessSnapshot> ending) {
    switch (outcome) {
      case EXITED -> {
        // The event first: once EXITED is seen, pmux may print its last line.
        state.say("stopped process handler");
        state.changeState(ProcessState.EXITED, ending);
      }
      case FATAL -> {
        state.say(
            "giving up: restarted "
                + restarts.recentRestarts()
                + " times within "
                + GoDuration.format(settings.spec().restartWindow()));
        state.changeState(ProcessState.FATAL, ending);
      }
      case RESTART -> {
        Duration wait = restarts.nextDelay(took, settings.policy());
        // Counted from the end itself, not from when its output drained.
        long due = endedAt + wait.toNanos();
        state.changeState(
            ProcessState.BACKOFF, s -> ending.apply(s).restartIn(wait.toMillis(), due));
        state.say("will restart process in " + GoDuration.format(wait));
        SupervisionEvents.backoff(name, wait.toMillis());
        Duration fromNow = Duration.ofNanos(due - runtime.timeline().nanoTime());
        restarts.arm(runtime.timeline(), fromNow, this::restartDue);
      }
      case STOPPED -> throw new IllegalStateException(name + ": a stop is not carried out here");
    }
  }

  private void restartDue(long armed) {
    state.decide(
        () -> {
          if (!state.closed()
              && state.state() == ProcessState.BACKOFF
              && restarts.claim(armed, runtime.timeline().nanoTime())) {
            state.update(ProcessSnapshot::restarted);
            beginLaunch(); // BACKOFF -> STARTING
          }
        });
  }

  private void signalStop(Run stopping) {
    if (stopping.stopped == null) {
      stopping.stopped = new CompletableFuture<>();
    }
    Signal signal = settings.spec().stopSignal();
    long pgid = Objects.requireNonNull(stopping.child).pid();
    stopping.stop =
        new GroupStop(
            pgid, signal, settings.killAfter(), killer(settings.spec()), runtime.timeline(), stops);
    state.say("sending " + signal.goName() + " signal");
    SupervisionEvents.signalled(name, pgid, signal.name());
    GroupStop stop = stopping.stop;
    state.then(
        () -> {
          try {
            stop.begin();
          } catch (RuntimeException e) {
            // A stop that cannot arm its deadline must still end: SIGKILL now, and the leader's
            // exit ends the stop as after any SIGKILL.
            Diagnostics.of(ProgramRuns.class).error(name + ": stop failed, killing its group", e);
            stop.kill();
          }
        });
  }

  private void finishStop(Run stopped) {
    run = null;
    processes.groupIs(-1);
    state.say("exited: context canceled");
    state.say("stopped process handler");
    state.changeState(ProcessState.STOPPED, ProcessSnapshot::gone); // STOPPING -> STOPPED
    state.complete(stopped.stopped);
  }

  /** Decides, under the owner's lock, what the deadlines and ends of a run's group stop print. */
  private final class Stops implements GroupStop.Owner {
    @Override
    public void killDue(GroupStop stop) {
      state.decide(
          () -> {
            if (run != null && run.stop == stop) {
              state.say("sending " + Signal.KILL.goName() + " signal");
              SupervisionEvents.signalled(name, stop.pgid(), Signal.KILL.name());
              state.then(stop::kill);
            }
          });
    }

    @Override
    public void emptied(GroupStop stop) {
      state.decide(
          () -> {
            if (run != null && run.stop == stop) {
              if (run.leaderExited || stop.killed()) {
                finishStop(run);
              } else {
                run.groupEmpty = true;
              }
            }
          });
    }
  }
}
