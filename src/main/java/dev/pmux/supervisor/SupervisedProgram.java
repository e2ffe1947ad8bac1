package dev.pmux.supervisor;

import dev.pmux.config.GoDuration;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.exec.Child;
import dev.pmux.exec.ExitStatus;
import dev.pmux.exec.GroupUsage;
import dev.pmux.exec.KillTimer;
import dev.pmux.exec.LaunchException;
import dev.pmux.output.Log4jStartup;
import dev.pmux.output.ProgramOutput;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Logger;

/**
 * Owns one program's state machine: every transition goes through {@link #changeState}, under one
 * lock, and publishes an immutable {@link ProcessSnapshot}. Restarts follow the Go tool ({@link
 * Backoff}, {@code noRestartOn}); a stop signals the whole process group and SIGKILLs it after
 * {@code sigKillWait}.
 */
public final class SupervisedProgram {

  private static final Map<ProcessState, Set<ProcessState>> MOVES =
      Map.of(
          ProcessState.STOPPED, EnumSet.of(ProcessState.STARTING),
          ProcessState.STARTING,
              EnumSet.of(ProcessState.RUNNING, ProcessState.FATAL, ProcessState.EXITED),
          ProcessState.RUNNING,
              EnumSet.of(
                  ProcessState.STOPPING,
                  ProcessState.BACKOFF,
                  ProcessState.EXITED,
                  ProcessState.FATAL),
          ProcessState.BACKOFF, EnumSet.of(ProcessState.STARTING, ProcessState.STOPPED),
          ProcessState.FATAL, EnumSet.of(ProcessState.STARTING, ProcessState.STOPPED),
          ProcessState.STOPPING, EnumSet.of(ProcessState.STOPPED),
          ProcessState.EXITED, EnumSet.of(ProcessState.STARTING));

  private final Object lock = new Object();
  private volatile ProcessSpec spec;
  private final ProgramOutput output;
  private final SupervisorRuntime runtime;
  private final SerialExecutor notifications;
  private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
  private final ExitHistory exits = new ExitHistory();

  private volatile ProcessSnapshot snapshot;

  // Guarded by lock.
  private Child child;
  private long runStartedNanos;
  private Duration wait = Duration.ZERO;
  private final java.util.ArrayDeque<Long> restartTimes = new java.util.ArrayDeque<>();
  private ReadinessWatch readiness;
  private CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile RestartPolicy policy;
  private volatile boolean gaveUp;
  private volatile long readySince;
  private ScheduledFuture<?> pendingRestart;
  private long restartGeneration;
  private KillTimer.Armed pendingKill;
  private CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
  private final Set<Long> leftovers = new java.util.HashSet<>();
  private boolean closed;

  SupervisedProgram(ProcessSpec spec, ProgramOutput output, SupervisorRuntime runtime) {
    this.spec = spec;
    this.output = output;
    this.runtime = runtime;
    this.notifications = new SerialExecutor(runtime.notifications());
    this.snapshot = ProcessSnapshot.initial(spec.name());
    this.policy = RestartPolicy.of(spec);
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

  /**
   * Stops the program and starts it again; completes with whether the new start happened (false
   * when something else started it meanwhile).
   */
  public CompletableFuture<Boolean> restart() {
    return stop().thenApply(stopped -> start());
  }

  /**
   * Sends {@code signal} to the program's process group; returns false when it has no process. The
   * program's state follows from whatever the signal makes it do.
   */
  public boolean signal(Signal signal) {
    synchronized (lock) {
      if (child == null) {
        return false;
      }
      output.event("sending " + signal.goName() + " signal");
      return signalGroup(child.pid(), signal);
    }
  }

  /**
   * Applies a changed configuration: an active program is stopped and started again with it; a
   * stopped or exited one only keeps it for its next start. Counters carry over.
   */
  CompletableFuture<Void> reconfigure(ProcessSpec next) {
    if (next.equals(spec)) {
      return CompletableFuture.completedFuture(null);
    }
    boolean active;
    synchronized (lock) {
      ProcessState state = snapshot.state();
      active = state != ProcessState.STOPPED && state != ProcessState.EXITED;
    }
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

  /**
   * Starts the program now, from STOPPED or EXITED, or at once from BACKOFF or FATAL (cancelling
   * the pending restart); resets the backoff. Returns false, changing nothing, when it is already
   * starting, running or stopping.
   */
  public boolean start() {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      ProcessState state = snapshot.state();
      switch (state) {
        case STOPPED, EXITED -> output.event("starting process");
        case BACKOFF, FATAL -> cancelPendingRestart();
        default -> {
          return false;
        }
      }
      wait = Duration.ZERO;
      gaveUp = false;
      restartTimes.clear();
      launch();
      return true;
    }
  }

  /**
   * Stops the program: sends {@code stopSignal} to its process group and SIGKILL after {@code
   * sigKillWait}; from BACKOFF or FATAL, cancels the pending restart. The future completes once it
   * is STOPPED (at once when it is not running).
   */
  public CompletableFuture<Void> stop() {
    synchronized (lock) {
      // Leftovers of earlier runs already had their stop signal: no more waiting for them.
      leftovers.forEach(pgid -> runtime.killer().signal(pgid, Signal.KILL));
      leftovers.clear();
      switch (snapshot.state()) {
        case RUNNING -> {
          Child running = child;
          changeState(ProcessState.STOPPING); // RUNNING -> STOPPING
          stopped = new CompletableFuture<>();
          Signal signal = spec.stopSignal();
          output.event("sending " + signal.goName() + " signal");
          if (!signalGroup(running.pid(), signal)) {
            resendStopSignal(running, signal, 1);
          }
          pendingKill =
              runtime
                  .killTimer()
                  .arm(atLeastOneMilli(policy.sigKillWait()), () -> forceKill(running));
          return stopped;
        }
        case BACKOFF, FATAL -> {
          cancelPendingRestart();
          changeState(ProcessState.STOPPED); // BACKOFF|FATAL -> STOPPED
          output.event("stopped process handler");
          return CompletableFuture.completedFuture(null);
        }
        case STOPPING -> {
          return stopped;
        }
        default -> {
          return CompletableFuture.completedFuture(null);
        }
      }
    }
  }

  /** Refuses every later start: pmux is shutting down. */
  void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  /**
   * SIGKILLs the program's process group at once, without waiting for any lock: the escape hatch
   * for a second interrupt and for pmux's own exit.
   */
  public void kill() {
    ProcessSnapshot now = snapshot;
    if (now.state().hasProcess() && now.pid() > 1) {
      runtime.killer().signal(now.pid(), Signal.KILL);
    }
  }

  private void launch() {
    changeState(ProcessState.STARTING); // STOPPED|EXITED|BACKOFF|FATAL -> STARTING
    long startedNanos = System.nanoTime();
    Child started;
    try {
      started = runtime.launcher().launch(spec, output);
    } catch (LaunchException | RuntimeException e) {
      // Whatever went wrong, the program must not stay STARTING: it is a failed launch.
      output.event(
          "exited: starting process: "
              + (e instanceof LaunchException ? e.getMessage() : e.toString()));
      if (spec.noRestartAfterLaunchFailure()) {
        // The event first: once EXITED is seen, pmux may print its last line.
        output.event("stopped process handler");
        changeState(ProcessState.EXITED); // STARTING -> EXITED
        return;
      }
      long failedAt = System.nanoTime();
      scheduleRestart(
          snapshot, ProcessState.FATAL, Duration.ofNanos(failedAt - startedNanos), failedAt);
      return;
    }
    child = started;
    runStartedNanos = startedNanos;
    ProcessSnapshot s = snapshot;
    changeState(
        new ProcessSnapshot(
            s.name(),
            ProcessState.RUNNING,
            started.pid(),
            s.startCount() + 1,
            s.restartCount(),
            s.lastExitCode(),
            runtime.clock().millis(),
            s.lastExitTime(),
            0,
            startedNanos)); // STARTING -> RUNNING
    SupervisionEvents.launched(spec.name(), started.pid());
    watchReadiness();
    started.exit().whenComplete((status, error) -> exited(started, status, error));
  }

  private void exited(Child ended, ExitStatus status, Throwable error) {
    synchronized (lock) {
      if (ended != child) {
        return;
      }
      child = null;
      notReady();
      if (pendingKill != null) {
        pendingKill.cancel();
        pendingKill = null;
      }
      long exitedAt = status != null ? status.exitedAtNanos() : System.nanoTime();
      Duration took = Duration.ofNanos(exitedAt - runStartedNanos);
      int code = status != null ? status.code() : -1;
      ProcessSnapshot s = snapshot;
      ProcessSnapshot afterExit =
          new ProcessSnapshot(
              s.name(),
              s.state(),
              -1,
              s.startCount(),
              s.restartCount(),
              code,
              s.lastStartTime(),
              runtime.clock().millis(),
              0,
              0);
      String signalName = status != null ? status.signal().map(Enum::name).orElse("") : "";
      if (s.state() == ProcessState.STOPPING) {
        recordExit(ended, code, signalName, took, false, true);
        // The group leader is gone; members that ignored the stop signal are not left behind.
        runtime.killer().signal(ended.pid(), Signal.KILL);
        output.event("exited: context canceled");
        changeState(afterExit.with(ProcessState.STOPPED)); // STOPPING -> STOPPED
        output.event("stopped process handler");
        stopped.complete(null);
        return;
      }
      stopLeftovers(ended.pid());
      if (error != null) {
        Diagnostics.LOG.error("lost track of {} (pid {})", spec.name(), ended.pid(), error);
        output.event("exited: " + error.getMessage());
      } else if (code == 0) {
        output.event("exit code: 0");
      } else {
        output.event("exited: " + status.describe());
      }
      // afterExit is never published by itself: RUNNING without a pid is no moment of the program.
      if ((status != null && spec.noRestartAfterExit(code)) || !policy.autoRestart()) {
        recordExit(ended, code, signalName, took, false, false);
        output.event("stopped process handler");
        changeState(afterExit.with(ProcessState.EXITED)); // RUNNING -> EXITED
        return;
      }
      recordExit(ended, code, signalName, took, true, false);
      scheduleRestart(afterExit, ProcessState.BACKOFF, took, exitedAt);
    }
  }

  private void recordExit(
      Child ended, int code, String signal, Duration took, boolean restarted, boolean stopped) {
    exits.add(new ExitRecord(runtime.clock().millis(), code, signal, took.toMillis(), restarted));
    SupervisionEvents.exited(spec.name(), ended.pid(), code, signal, took.toMillis(), stopped);
  }

  /**
   * The program's main process ended but its group still has members (it forked and exited): they
   * get the stop signal, then SIGKILL after sigKillWait, so that what a program leaves behind never
   * piles up across restarts.
   */
  private void stopLeftovers(long pgid) {
    if (!runtime.killer().groupAlive(pgid)) {
      return;
    }
    Signal signal = spec.stopSignal();
    output.event("its process group still has members: sending " + signal.goName() + " signal");
    signalGroup(pgid, signal);
    leftovers.add(pgid);
    runtime.killTimer().arm(atLeastOneMilli(policy.sigKillWait()), () -> killLeftovers(pgid));
  }

  private void killLeftovers(long pgid) {
    synchronized (lock) {
      if (!leftovers.remove(pgid) || !runtime.killer().groupAlive(pgid)) {
        return;
      }
      output.event("sending " + Signal.KILL.goName() + " signal to the rest of its process group");
    }
    signalGroup(pgid, Signal.KILL);
  }

  /** Counts the wait from {@code endedAt}, the exit itself, not from when its output drained. */
  private void scheduleRestart(
      ProcessSnapshot s, ProcessState waitingState, Duration took, long endedAt) {
    if (givesUp(s, endedAt)) {
      return;
    }
    wait = Backoff.next(wait, took, policy.minWait(), policy.maxWait());
    changeState(
        new ProcessSnapshot(
            s.name(),
            waitingState,
            -1,
            s.startCount(),
            s.restartCount(),
            s.lastExitCode(),
            s.lastStartTime(),
            s.lastExitTime(),
            wait.toMillis(),
            0)); // RUNNING -> BACKOFF, STARTING -> FATAL
    output.event("will restart process in " + GoDuration.format(wait));
    SupervisionEvents.backoff(spec.name(), wait.toMillis());
    long generation = ++restartGeneration;
    pendingRestart =
        runtime
            .scheduler()
            .schedule(
                () -> runtime.launches().execute(() -> restartAfterBackoff(generation)),
                Math.max(0, endedAt + wait.toNanos() - System.nanoTime()),
                TimeUnit.NANOSECONDS);
  }

  /**
   * With {@code maxRestarts}, a program restarted that many times within {@code restartWindow} is
   * given up: FATAL, and no more restarts until an operator starts it.
   */
  private boolean givesUp(ProcessSnapshot s, long now) {
    int max = spec.maxRestarts();
    if (max <= 0) {
      return false;
    }
    long window = spec.restartWindow().toNanos();
    while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() > window) {
      restartTimes.removeFirst();
    }
    if (restartTimes.size() < max) {
      return false;
    }
    gaveUp = true;
    output.event(
        "giving up: restarted "
            + restartTimes.size()
            + " times within "
            + GoDuration.format(spec.restartWindow()));
    changeState(
        new ProcessSnapshot(
            s.name(),
            ProcessState.FATAL,
            -1,
            s.startCount(),
            s.restartCount(),
            s.lastExitCode(),
            s.lastStartTime(),
            s.lastExitTime(),
            0,
            0)); // RUNNING|STARTING -> FATAL, for good
    return true;
  }

  /** Whether the program was given up after too many restarts (see {@code maxRestarts}). */
  public boolean hasGivenUp() {
    return gaveUp;
  }

  private void watchReadiness() {
    if (spec.ready() == null) {
      becameReady();
      return;
    }
    if (ready.isDone()) {
      ready = new CompletableFuture<>();
    }
    readiness =
        new ReadinessWatch(spec, output, runtime.scheduler(), this::becameReady, this::neverReady);
    readiness.start();
  }

  private void becameReady() {
    synchronized (lock) {
      if (child == null || readySince != 0) {
        return;
      }
      readySince = runtime.clock().millis();
      if (spec.ready() != null) {
        output.event("ready");
      }
      if (ready.isDone()) {
        ready = new CompletableFuture<>();
      }
      ready.complete(null);
    }
  }

  private void neverReady() {
    synchronized (lock) {
      if (child == null || readySince != 0) {
        return;
      }
      output.event("not ready after " + GoDuration.format(spec.ready().timeout()));
      ready.completeExceptionally(
          new java.util.concurrent.TimeoutException(name() + " did not become ready"));
    }
  }

  private void notReady() {
    readySince = 0;
    if (readiness != null) {
      readiness.cancel();
      readiness = null;
    }
  }

  /** Epoch milliseconds since when the current run is ready; 0 when it is not. */
  public long readySince() {
    return readySince;
  }

  /**
   * Completes when the program is ready (at once if it is); fails if its readiness check timed out.
   * What programs that depend on it wait for.
   */
  public CompletableFuture<Void> whenReady() {
    synchronized (lock) {
      return ready.copy();
    }
  }

  /**
   * Prints {@code text} as this program's event ({@code <name> ~ <text>}), e.g. the record of an
   * operator's request; outside the lock, so a stalled stderr never holds up supervision.
   */
  public void note(String text) {
    output.event(text);
  }

  /** Says, as this program's event, why it was not started. */
  void refuseStart(String why) {
    output.event("not starting: " + why);
  }

  public RestartPolicy policy() {
    return policy;
  }

  /**
   * Changes the running policy (never pmux.yml) and says so as an event, e.g. "minWait set to 2s".
   */
  public void tune(java.util.function.UnaryOperator<RestartPolicy> change, String what) {
    synchronized (lock) {
      policy = change.apply(policy);
      output.event(what);
    }
  }

  /** The next automatic restart waits minWait again, whatever the crash loop before. */
  public void resetBackoff() {
    synchronized (lock) {
      wait = Duration.ZERO;
      restartTimes.clear();
      output.event("backoff reset");
    }
  }

  private void restartAfterBackoff(long generation) {
    synchronized (lock) {
      // A timer cancelled too late still runs: only the latest one may restart.
      if (pendingRestart == null || generation != restartGeneration) {
        return;
      }
      pendingRestart = null;
      restartTimes.addLast(System.nanoTime());
      ProcessSnapshot s = snapshot;
      snapshot =
          new ProcessSnapshot(
              s.name(),
              s.state(),
              s.pid(),
              s.startCount(),
              s.restartCount() + 1,
              s.lastExitCode(),
              s.lastStartTime(),
              s.lastExitTime(),
              s.nextRestartDelayMillis(),
              0);
      launch();
    }
  }

  /**
   * A child stopped right after its launch may not lead its process group yet (setsid has not run):
   * the signal found no group. Send it again, a few times, while it is still stopping.
   */
  private void resendStopSignal(Child target, Signal signal, int attempt) {
    if (attempt > 40) {
      return;
    }
    runtime
        .scheduler()
        .schedule(
            () -> {
              synchronized (lock) {
                if (child != target || snapshot.state() != ProcessState.STOPPING) {
                  return;
                }
                if (!signalGroup(target.pid(), signal)) {
                  resendStopSignal(target, signal, attempt + 1);
                }
              }
            },
            25,
            TimeUnit.MILLISECONDS);
  }

  private void forceKill(Child target) {
    synchronized (lock) {
      if (child != target || snapshot.state() != ProcessState.STOPPING) {
        return;
      }
      output.event("sending " + Signal.KILL.goName() + " signal");
    }
    signalGroup(target.pid(), Signal.KILL);
  }

  private void cancelPendingRestart() {
    if (pendingRestart != null) {
      pendingRestart.cancel(false);
      pendingRestart = null;
    }
  }

  private boolean signalGroup(long pgid, Signal signal) {
    SupervisionEvents.signalled(spec.name(), pgid, signal.name());
    return runtime.killer().signal(pgid, signal);
  }

  private void changeState(ProcessState to) {
    changeState(snapshot.with(to));
  }

  /** The one place where the state is written: checks the move, publishes, notifies in order. */
  private void changeState(ProcessSnapshot next) {
    ProcessState from = snapshot.state();
    ProcessState to = next.state();
    if (!MOVES.get(from).contains(to)) {
      throw new IllegalStateException(
          "process '" + spec.name() + "': cannot go from " + from + " to " + to);
    }
    snapshot = next;
    if (!listeners.isEmpty()) {
      notifications.execute(() -> listeners.forEach(l -> l.stateChanged(from, next)));
    }
  }

  private static Duration atLeastOneMilli(Duration d) {
    return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
  }

  @Override
  public String toString() {
    ProcessSnapshot s = snapshot;
    return s.name() + " " + s.state() + (s.pid() > 0 ? " pid " + s.pid() : "");
  }

  /** Created on first use: Log4j starts in the background, off pmux's own start-up. */
  private static final class Diagnostics {
    static final Logger LOG = Log4jStartup.logger(SupervisedProgram.class.getName());
  }
}
