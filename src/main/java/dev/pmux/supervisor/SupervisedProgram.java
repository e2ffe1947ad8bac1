package dev.pmux.supervisor;

import dev.pmux.config.GoDuration;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.exec.Child;
import dev.pmux.exec.GroupUsage;
import dev.pmux.exec.Timeline;
import dev.pmux.output.ProgramOutput;
import dev.pmux.supervisor.ExitClassifier.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Owns one program's state machine: every transition goes through {@link #changeState}, under one
 * lock, and publishes an immutable {@link ProcessSnapshot}; what a transition does (event lines,
 * signals, launches) runs after the lock, in order, from the program's {@link Outbox}.
 */
public final class SupervisedProgram {
  private final Object lock = new Object();

  private final ProgramOutput output;
  private final SupervisorRuntime runtime;
  private final Timeline timeline;
  private final Outbox outbox = new Outbox();
  private final SerialExecutor notifications;
  private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
  private final ExitHistory exits = new ExitHistory();
  private final GroupStop.Owner stops = new Stops();
  private volatile ProcessSpec spec;
  private volatile RestartPolicy policy;
  private volatile ProcessSnapshot snapshot;
  // The current run's process group, for a kill that takes no lock; -1 when none. Unlike the
  // snapshot's pid it stays set while a stopping group outlives its leader.
  private volatile long group = -1;

  // Guarded by lock.
  private final RestartSchedule restarts = new RestartSchedule();
  private final ReadinessGate readiness = new ReadinessGate(outbox);
  private final LeftoverGroups leftovers;
  private @Nullable Run run;
  private boolean closed;

  SupervisedProgram(ProcessSpec spec, ProgramOutput output, SupervisorRuntime runtime) {
    this.spec = spec;
    this.output = output;
    this.runtime = runtime;
    this.timeline = runtime.timeline();
    this.notifications = new SerialExecutor(runtime.notifications());
    this.snapshot = ProcessSnapshot.initial(spec.name());
    this.policy = RestartPolicy.of(spec);
    this.leftovers =
        new LeftoverGroups(
            runtime.killer(),
            timeline,
            text -> {
              outbox.add(() -> output.event(text));
              outbox.drain();
            });
  }

  public String name() {
    return spec.name();
  }

  public ProcessSpec spec() {
    return spec;
  }

  /** The latest state; never blocks. */
  public ProcessSnapshot snapshot() {
    return snapshot;
  }

  public void addListener(StateListener listener) {
    listeners.add(listener);
  }

  public void removeListener(StateListener listener) {
    listeners.remove(listener);
  }

  /** The last exits (at most {@link ExitHistory#SIZE}), oldest first. */
  public List<ExitRecord> recentExits() {
    return exits.list();
  }

  /** The last {@code lines} lines this program printed (its output and its events). */
  public List<String> tail(int lines) {
    return output.tail(lines);
  }

  /** CPU time and resident memory of the program's whole process group, now. */
  public GroupUsage usage() {
    ProcessSnapshot now = snapshot;
    return now.pid() > 1 ? GroupUsage.read(now.pid()) : GroupUsage.NONE;
  }

  public RestartPolicy policy() {
    return policy;
  }

  /** Whether pmux gave the program up after too many restarts (see {@code maxRestarts}). */
  public boolean hasGivenUp() {
    return snapshot.state() == ProcessState.FATAL;
  }

  /**
   * Starts the program now, from STOPPED, EXITED or FATAL, or at once from BACKOFF (cancelling the
   * pending restart); resets the backoff. Returns false, changing nothing, when it is already
   * starting, running or stopping, or pmux is shutting down.
   */
  public boolean start() {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      switch (snapshot.state()) {
        case STOPPED, EXITED, FATAL -> say("starting process");
        case BACKOFF -> restarts.cancel();
        default -> {
          return false;
        }
      }
      restarts.reset();
      beginLaunch(); // STOPPED|EXITED|FATAL|BACKOFF -> STARTING
    }
    outbox.drain();
    return true;
  }

  /**
   * Stops the program: {@code stopSignal} to its process group, SIGKILL to what is left once {@code
   * sigKillWait} has passed; from BACKOFF or FATAL, cancels the pending restart. Completes once it
   * is STOPPED and its group, and whatever earlier runs left behind, are empty.
   */
  public CompletableFuture<Void> stop() {
    CompletableFuture<Void> stopped;
    synchronized (lock) {
      switch (snapshot.state()) {
        case RUNNING -> {
          changeState(ProcessState.STOPPING, s -> s); // RUNNING -> STOPPING
          beginStop(current());
        }
        case STARTING -> {
          // The stop signal goes out as soon as the launch returns.
          changeState(ProcessState.STOPPING, s -> s); // STARTING -> STOPPING
          current().stopped = new CompletableFuture<>();
        }
        case BACKOFF, FATAL -> {
          restarts.cancel();
          say("stopped process handler");
          changeState(ProcessState.STOPPED, s -> s); // BACKOFF|FATAL -> STOPPED
        }
        default -> {}
      }
      stopped = leftovers.after(run != null && run.stopped != null ? run.stopped : done());
    }
    outbox.drain();
    return stopped;
  }

  /**
   * Stops the program and starts it again; completes with whether the new start happened (false
   * when something else started it meanwhile).
   */
  public CompletableFuture<Boolean> restart() {
    return stop()
        .thenCompose(
            stopped ->
                start()
                    ? launchSettled().thenApply(launched -> true)
                    : CompletableFuture.completedFuture(false));
  }

  /**
   * Completes once the launch under way (if any) has succeeded or failed, so that an operator's
   * start can answer with what came of it.
   */
  public CompletableFuture<Void> launchSettled() {
    synchronized (lock) {
      return run != null ? run.launched.copy() : done();
    }
  }

  /**
   * Sends {@code signal} to the program's process group; returns false when it has no process. The
   * program's state follows from whatever the signal makes it do.
   */
  public boolean signal(Signal signal) {
    synchronized (lock) {
      if (run == null || run.child == null) {
        return false;
      }
      long pgid = run.child.pid();
      say("sending " + signal.goName() + " signal");
      outbox.add(() -> signalGroup(pgid, signal));
    }
    outbox.drain();
    return true;
  }

  /**
   * SIGKILLs the program's process groups at once, taking no lock: the escape hatch for a second
   * interrupt and for pmux's own exit.
   */
  public void kill() {
    long now = group;
    if (now > 1) {
      runtime.killer().signal(now, Signal.KILL);
    }
    leftovers.groupIds().forEach(pgid -> runtime.killer().signal(pgid, Signal.KILL));
  }

  /**
   * Applies a changed configuration: an active program is stopped and started again with it; a
   * stopped or exited one only keeps it for its next start. Counters carry over.
   */
  CompletableFuture<Void> reconfigure(ProcessSpec next) {
    if (next.equals(spec)) {
      return done();
    }
    ProcessState before = snapshot.state();
    boolean active = before != ProcessState.STOPPED && before != ProcessState.EXITED;
    return stop()
        .thenRun(
            () -> {
              synchronized (lock) {
                spec = next;
                policy = RestartPolicy.of(next);
              }
              if (active) {
                start();
              }
            });
  }

  /** Refuses every later start: pmux is shutting down. */
  void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  /** Prints {@code <name> ~ text}, e.g. an operator's request, in order with the transitions. */
  public void note(String text) {
    synchronized (lock) {
      say(text);
    }
    outbox.drain();
  }

  /** Says, as this program's event, why it was not started. */
  void refuseStart(String why) {
    synchronized (lock) {
      say("not starting: " + why);
    }
    outbox.drain();
  }

  /** Changes the running policy (never pmux.yml) and says so, e.g. "minWait set to 2s". */
  public void tune(UnaryOperator<RestartPolicy> change, String what) {
    synchronized (lock) {
      policy = change.apply(policy);
      say(what);
    }
    outbox.drain();
  }

  /** The next automatic restart waits minWait again, whatever the crash loop before. */
  public void resetBackoff() {
    synchronized (lock) {
      restarts.reset();
      say("backoff reset");
    }
    outbox.drain();
  }

  /** Epoch milliseconds since when the current run is ready; 0 when it is not. */
  public long readySince() {
    synchronized (lock) {
      return readiness.readySince();
    }
  }

  /**
   * Completes when the program is ready (at once if it is); fails if its readiness check timed out.
   * What programs that depend on it wait for.
   */
  public CompletableFuture<Void> whenReady() {
    synchronized (lock) {
      return readiness.whenReady();
    }
  }

  private void beginLaunch() {
    changeState(ProcessState.STARTING, s -> s);
    Run next = new Run();
    run = next;
    ProcessSpec launching = spec;
    // Forks block for milliseconds: on the launch executor, several at once, never on a timer.
    outbox.add(() -> runtime.launches().execute(() -> launch(next, launching)));
  }

  /** An effect: forks outside the lock, then records what came of it. */
  private void launch(Run attempt, ProcessSpec launching) {
    Run.Forked forked = Run.fork(runtime, launching);
    synchronized (lock) {
      if (forked.child() == null) {
        launchFailed(attempt, String.valueOf(forked.failure()), forked.beganNanos());
      } else {
        launched(attempt, forked.child(), forked.beganNanos());
      }
      outbox.add(() -> attempt.launched.complete(null));
    }
    outbox.drain();
  }

  private void launched(Run attempt, Child child, long began) {
    attempt.child = child;
    group = child.pid();
    attempt.startedNanos = began;
    long now = timeline.epochMillis();
    if (snapshot.state() == ProcessState.STOPPING) {
      update(s -> s.launched(child.pid(), now, began));
      beginStop(attempt);
    } else {
      changeState(
          ProcessState.RUNNING, s -> s.launched(child.pid(), now, began)); // STARTING -> RUNNING
      ProcessSpec running = spec;
      readiness.runStarted(
          running.ready() == null
              ? null
              : new ReadinessWatch(running, output, timeline, this::ready, this::notReady),
          now);
    }
    SupervisionEvents.launched(name(), child.pid());
    outbox.add(() -> Run.watch(child, runtime, output, ending -> runEnded(attempt, ending)));
  }

  private void launchFailed(Run attempt, String failure, long began) {
    long now = timeline.nanoTime();
    run = null;
    say("exited: starting process: " + failure);
    update(s -> s.launchFailed(failure, timeline.epochMillis()));
    if (snapshot.state() == ProcessState.STOPPING) {
      say("stopped process handler");
      changeState(ProcessState.STOPPED, s -> s); // STOPPING -> STOPPED
      complete(attempt.stopped);
      return;
    }
    Outcome outcome =
        ExitClassifier.classify(-1, true, false, spec, policy, restarts.limitReached(spec, now));
    carryOut(outcome, Duration.ofNanos(now - began), now, s -> s);
    // STARTING -> BACKOFF|EXITED|FATAL
  }

  private void runEnded(Run ended, Run.Ending ending) {
    synchronized (lock) {
      if (run != ended) {
        return;
      }
      ended.leaderExited = true;
      long pgid = Objects.requireNonNull(ended.child).pid();
      int code = ending.code();
      Duration took = Duration.ofNanos(ending.exitedAtNanos() - ended.startedNanos);
      long endedMillis = timeline.epochMillis();
      readiness.runEnded();
      if (snapshot.state() == ProcessState.STOPPING) {
        update(s -> s.ended(code, endedMillis));
        exits.record(name(), pgid, code, ending.signal(), took, endedMillis, false, true);
        if (ended.groupEmpty) {
          finishStop(ended);
        } else {
          // Over once the group is empty, however early the leader went.
          outbox.add(Objects.requireNonNull(ended.stop)::watch);
        }
      } else {
        run = null;
        group = -1;
        say(ending.describe());
        if (ending.membersLeft()) {
          Signal signal = spec.stopSignal();
          say("its process group still has members: sending " + signal.goName() + " signal");
          outbox.add(leftovers.leave(pgid, signal, killAfter()));
        }
        Outcome outcome =
            ExitClassifier.classify(
                code,
                false,
                false,
                spec,
                policy,
                restarts.limitReached(spec, ending.exitedAtNanos()));
        exits.record(
            name(),
            pgid,
            code,
            ending.signal(),
            took,
            endedMillis,
            outcome == Outcome.RESTART,
            false);
        // The end and the next state are one step: RUNNING without a pid is no moment of it.
        carryOut(outcome, took, ending.exitedAtNanos(), s -> s.ended(code, endedMillis));
        // RUNNING -> BACKOFF|EXITED|FATAL
      }
    }
    outbox.drain();
  }

  /** What follows an end that pmux did not ask for. */
  private void carryOut(
      Outcome outcome, Duration took, long endedAt, UnaryOperator<ProcessSnapshot> ending) {
    switch (outcome) {
      case EXITED -> {
        // The event first: once EXITED is seen, pmux may print its last line.
        say("stopped process handler");
        changeState(ProcessState.EXITED, ending);
      }
      case FATAL -> {
        say(
            "giving up: restarted "
                + restarts.recentRestarts()
                + " times within "
                + GoDuration.format(spec.restartWindow()));
        changeState(ProcessState.FATAL, ending);
      }
      case RESTART -> {
        Duration wait = restarts.nextDelay(took, policy);
        changeState(ProcessState.BACKOFF, s -> ending.apply(s).restartIn(wait.toMillis()));
        say("will restart process in " + GoDuration.format(wait));
        SupervisionEvents.backoff(name(), wait.toMillis());
        // Counted from the end itself, not from when its output drained.
        Duration fromNow = wait.minusNanos(timeline.nanoTime() - endedAt);
        restarts.arm(timeline, fromNow, this::restartDue);
      }
      case STOPPED -> throw new IllegalStateException(name() + ": a stop is not carried out here");
    }
  }

  private void restartDue(long armed) {
    synchronized (lock) {
      if (closed
          || snapshot.state() != ProcessState.BACKOFF
          || !restarts.claim(armed, timeline.nanoTime())) {
        return;
      }
      update(ProcessSnapshot::restarted);
      beginLaunch(); // BACKOFF -> STARTING
    }
    outbox.drain();
  }

  private void beginStop(Run stopping) {
    if (stopping.stopped == null) {
      stopping.stopped = new CompletableFuture<>();
    }
    Signal signal = spec.stopSignal();
    stopping.stop =
        new GroupStop(
            Objects.requireNonNull(stopping.child).pid(),
            signal,
            killAfter(),
            runtime.killer(),
            timeline,
            stops);
    say("sending " + signal.goName() + " signal");
    SupervisionEvents.signalled(name(), stopping.child.pid(), signal.name());
    outbox.add(stopping.stop::begin);
  }

  private void finishStop(Run stopped) {
    run = null;
    group = -1;
    say("exited: context canceled");
    say("stopped process handler");
    changeState(ProcessState.STOPPED, ProcessSnapshot::gone); // STOPPING -> STOPPED
    complete(stopped.stopped);
  }

  /** The SIGKILL deadline in force now (tuned or configured). */
  private Duration killAfter() {
    Duration d = policy.sigKillWait();
    return d.isZero() ? Duration.ofMillis(1) : d;
  }

  private void ready(ReadinessWatch watch) {
    synchronized (lock) {
      if (!readiness.watching(watch)) {
        return;
      }
      say("ready");
      readiness.becameReady(timeline.epochMillis());
    }
    outbox.drain();
  }

  private void notReady(ReadinessWatch watch) {
    synchronized (lock) {
      if (!readiness.watching(watch)) {
        return;
      }
      say("not ready after " + GoDuration.format(Objects.requireNonNull(spec.ready()).timeout()));
      readiness.neverReady(name() + " did not become ready");
    }
    outbox.drain();
  }

  private void signalGroup(long pgid, Signal signal) {
    SupervisionEvents.signalled(name(), pgid, signal.name());
    runtime.killer().signal(pgid, signal);
  }

  /** Prints {@code <name> ~ text}, after the lock, in the order of the transitions. */
  private void say(String text) {
    outbox.add(() -> output.event(text));
  }

  private void complete(@Nullable CompletableFuture<Void> future) {
    if (future != null) {
      outbox.add(() -> future.complete(null));
    }
  }

  /** Updates the snapshot within the current state. */
  private void update(UnaryOperator<ProcessSnapshot> step) {
    snapshot = step.apply(snapshot);
  }

  /**
   * The one place where the state is written: checks the move, applies the step, publishes, and
   * queues the listeners' notification behind the events already said.
   */
  private void changeState(ProcessState to, UnaryOperator<ProcessSnapshot> step) {
    ProcessSnapshot before = snapshot;
    ProcessState from = before.state();
    if (!from.canMoveTo(to)) {
      throw new IllegalStateException(
          "process '" + name() + "': expected one of " + to.reachableFrom() + ", was " + from);
    }
    ProcessSnapshot next = step.apply(before).in(to);
    snapshot = next;
    outbox.add(
        () -> notifications.execute(() -> listeners.forEach(l -> l.stateChanged(from, next))));
  }

  /** The run of a program that is STARTING, RUNNING or STOPPING. */
  private Run current() {
    return Objects.requireNonNull(run, () -> name() + " has no run in state " + snapshot.state());
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String toString() {
    ProcessSnapshot s = snapshot;
    return s.name() + " " + s.state() + (s.pid() > 0 ? " pid " + s.pid() : "");
  }

  /** Decides, under the program's lock, what the deadlines and ends of its group stops print. */
  private final class Stops implements GroupStop.Owner {
    @Override
    public void killDue(GroupStop stop) {
      synchronized (lock) {
        if (run == null || run.stop != stop) {
          return;
        }
        say("sending " + Signal.KILL.goName() + " signal");
        SupervisionEvents.signalled(name(), stop.pgid(), Signal.KILL.name());
        outbox.add(stop::kill);
      }
      outbox.drain();
    }

    @Override
    public void emptied(GroupStop stop) {
      synchronized (lock) {
        if (run != null && run.stop == stop) {
          if (run.leaderExited || stop.killed()) {
            finishStop(run);
          } else {
            run.groupEmpty = true;
          }
        }
      }
      outbox.drain();
    }
  }
}
