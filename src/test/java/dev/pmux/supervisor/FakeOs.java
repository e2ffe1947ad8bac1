package dev.pmux.supervisor;

import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.exec.Child;
import dev.pmux.exec.ExitStatus;
import dev.pmux.exec.LaunchException;
import dev.pmux.exec.Launcher;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.output.ProgramOutput;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The operating system as the state machine sees it, faked: launches that succeed or fail on
 * demand, process groups whose leader and members end when a test says so (or at SIGKILL, which
 * nothing survives), and a record of every signal. Launches wait in a queue until run.
 */
final class FakeOs implements Launcher, ProcessGroupKiller, Pumps, Executor {
  /** One launched group: a leader and, perhaps, members it left. */
  static final class Group implements Child {
    final long pid;
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    int members;

    Group(long pid) {
      this.pid = pid;
    }

    boolean leaderAlive() {
      return !exit.isDone();
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public InputStream stdout() {
      return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public InputStream stderr() {
      return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
      return exit;
    }
  }

  private final Map<Long, Group> groups = new LinkedHashMap<>();
  private final Queue<Runnable> launches = new ArrayDeque<>();
  private final List<String> signals = new ArrayList<>();
  private CompletableFuture<Void> drained = CompletableFuture.completedFuture(null);
  private long nextPid = 1001;
  private @Nullable String failure;
  private int launchCount;
  private boolean refuseThreads;

  /** The next launches fail with {@code reason} (null: they succeed). */
  void failLaunches(@Nullable String reason) {
    failure = reason;
  }

  /** Runs the queued launches; returns how many ran. */
  int runLaunches() {
    int n = 0;
    for (Runnable r = launches.poll(); r != null; r = launches.poll()) {
      r.run();
      n++;
    }
    return n;
  }

  int queuedLaunches() {
    return launches.size();
  }

  int launchCount() {
    return launchCount;
  }

  /** The launch executor cannot start a thread (ulimit -u), as a real one then throws. */
  void refuseThreads(boolean refuse) {
    refuseThreads = refuse;
  }

  @Override
  public void execute(Runnable launch) {
    if (refuseThreads) {
      throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
    }
    launches.add(launch);
  }

  @Override
  public Child launch(ProcessSpec spec) throws LaunchException {
    launchCount++;
    if (failure != null) {
      throw new LaunchException(failure);
    }
    Group g = new Group(nextPid++);
    groups.put(g.pid, g);
    return g;
  }

  /** The output of the next launches ends when {@code end} completes (at once by default). */
  void outputEndsWith(CompletableFuture<Void> end) {
    drained = end;
  }

  @Override
  public CompletableFuture<Void> start(Child child, ProgramOutput output) {
    return drained;
  }

  @Override
  public boolean signal(long pgid, Signal signal) {
    signals.add(signal.name() + " " + pgid);
    Group g = groups.get(pgid);
    if (g == null || !alive(g)) {
      return false;
    }
    if (signal == Signal.KILL) {
      g.members = 0;
      g.exit.complete(new ExitStatus(128 + 9));
    }
    return true;
  }

  @Override
  public boolean groupAlive(long pgid) {
    Group g = groups.get(pgid);
    return g != null && alive(g);
  }

  private static boolean alive(Group g) {
    return g.leaderAlive() || g.members > 0;
  }

  /** Signals sent so far, as "INT 1001", and forgets them. */
  List<String> takeSignals() {
    List<String> taken = List.copyOf(signals);
    signals.clear();
    return taken;
  }

  /** The group of the newest launch. */
  Group newest() {
    return groups.values().stream().reduce((a, b) -> b).orElseThrow();
  }

  /** Groups with a live leader. */
  long liveLeaders() {
    return groups.values().stream().filter(Group::leaderAlive).count();
  }

  /** The leader of the newest group exits with {@code code}, leaving {@code members} behind. */
  void leaderExits(int code, int members) {
    Group g = newest();
    if (g.leaderAlive()) {
      g.members = members;
      g.exit.complete(new ExitStatus(code));
    }
  }

  /** Every member left in any group exits. */
  void membersExit() {
    groups.values().forEach(g -> g.members = 0);
  }
}
