package dev.pmux.exec;

import dev.pmux.config.Signal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Finds the processes of a program that its process group no longer holds: those that left the
 * group (setsid, a double fork) while they descend from a member, and orphans adopted by pmux (or
 * by init or a subreaper above it) whose environment says {@code PMUX_PID=<this pmux>} and {@code
 * PMUX_PROCESS_NAME=<the program>}, with their descendants. Signals only a process that is still
 * the one that was found.
 *
 * <p>Every question names the moment after which the process list must have been read; one reading
 * answers every question asked before it began, so a thousand programs stopping at once cost a few
 * readings of {@code /proc}, not a thousand. The same reading tells whether a program's group still
 * has a live member, so that a stop's check needs no reading of its own.
 */
public final class ProgramTree {
  private static final String NAME = "PMUX_PROCESS_NAME";
  private static final String PMUX_PID = "PMUX_PID";

  /** How long the reading thread waits for a next question before it ends. */
  private static final Duration IDLE = Duration.ofSeconds(5);

  private final ProcessList processes;
  private final long pmuxPid;
  private final LongSupplier nanoTime;
  private final Executor readings;
  private final ThreadLocal<Boolean> reading = ThreadLocal.withInitial(() -> false);

  // Guarded by this.
  private @Nullable Look latest;
  private final List<Question> waiting = new ArrayList<>();
  private boolean readingNow;
  // Only the reading in progress uses it: the program an adopted process is marked with ("" for
  // none), so that each environment is read once.
  private Map<ProcessEntry, String> owners = new HashMap<>();

  /**
   * The processes of {@code processes} seen from the pmux {@code pmuxPid}, with times from {@code
   * nanoTime}, read on {@code readings} (a fake list and a direct executor in tests).
   */
  public ProgramTree(
      ProcessList processes, long pmuxPid, LongSupplier nanoTime, Executor readings) {
    this.processes = processes;
    this.pmuxPid = pmuxPid;
    this.nanoTime = nanoTime;
    this.readings = readings;
  }

  /** The processes of this machine, seen from this pmux; read on a thread that ends when idle. */
  public static ProgramTree onThisMachine() {
    ThreadPoolExecutor reader =
        new ThreadPoolExecutor(
            1,
            1,
            IDLE.toMillis(),
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.named("pmux-tree"));
    reader.allowCoreThreadTimeOut(true);
    return new ProgramTree(
        new ProcProcessList(), ProcessHandle.current().pid(), System::nanoTime, reader);
  }

  /**
   * A tree that never finds anything and cannot tell a live process from a zombie (for runtimes
   * whose processes are not real: their killer's {@link ProcessGroupKiller#groupExists} is the
   * whole answer).
   */
  public static ProgramTree none() {
    return new ProgramTree(new NoProcesses(), -1, System::nanoTime, Runnable::run);
  }

  /** This tree's clock, in nanoseconds: what {@link #straysSince} takes. */
  public long now() {
    return nanoTime.getAsLong();
  }

  /**
   * The live processes of program {@code name} outside its process group {@code pgid} (every
   * process of the program when {@code pgid <= 1}: it has no group); never pmux itself. Reads the
   * process list anew (or waits for a reading that began after this call).
   */
  public List<ProcessEntry> strays(String name, long pgid) {
    return straysSince(name, pgid, now()).join();
  }

  /**
   * As {@link #strays(String, long)}, answered by the first reading of the process list that began
   * at or after {@code since} (a {@link #now()} reading): at once when the latest one did.
   */
  public CompletableFuture<List<ProcessEntry>> straysSince(String name, long pgid, long since) {
    return lookSince(since).thenApply(look -> look.strays(name, pgid, pmuxPid));
  }

  /**
   * What is left of program {@code name} with group {@code pgid}, from the first reading of the
   * process list that began at or after {@code since} (as {@link #straysSince}): its processes
   * outside the group, and whether the group itself has a live member. A stop's check asks this
   * beside {@code kill(2)} (which tells whether the group exists at all), so that one reading
   * answers every program's check and none reads {@code /proc} for its group alone.
   */
  public CompletableFuture<Members> membersSince(String name, long pgid, long since) {
    return lookSince(since).thenApply(look -> look.members(name, pgid, pmuxPid));
  }

  /**
   * A program's processes as one reading saw them: those outside its group, and whether the group
   * was seen without a live member (zombies do not count; a group id of 1 or less is no group).
   * {@code groupSeenEmpty} is false when the reading could not see the process list: it cannot
   * tell.
   */
  public record Members(List<ProcessEntry> strays, boolean groupSeenEmpty) {}

  /**
   * Sends {@code signal} to {@code process} if it is still the process that was found (not a later
   * one with its pid); false when it is gone.
   */
  public boolean signal(ProcessEntry process, Signal signal) {
    return process.pid() > 1
        && process.pid() != pmuxPid
        && processes.signal(process, signal.number());
  }

  private CompletableFuture<Look> lookSince(long since) {
    Question question = new Question(since);
    synchronized (this) {
      if (latest != null && latest.began - since >= 0) {
        return CompletableFuture.completedFuture(latest);
      }
      waiting.add(question);
      if (readingNow) {
        if (!reading.get()) {
          return question.answer;
        }
        // Asked from a callback of the reading thread itself: it would wait for itself.
        waiting.remove(question);
        return CompletableFuture.completedFuture(read());
      }
      readingNow = true;
    }
    readings.execute(this::readWhileAsked);
    return question.answer;
  }

  /** Reads until every waiting question is answered; a question asked during one gets the next. */
  private void readWhileAsked() {
    reading.set(true);
    try {
      while (true) {
        synchronized (this) {
          if (waiting.isEmpty()) {
            readingNow = false;
            return;
          }
        }
        Look look;
        try {
          look = read();
        } catch (RuntimeException e) {
          List<Question> failed;
          synchronized (this) {
            failed = new ArrayList<>(waiting);
            waiting.clear();
          }
          failed.forEach(q -> q.answer.completeExceptionally(e));
          continue;
        }
        List<Question> answered = new ArrayList<>();
        synchronized (this) {
          latest = look;
          waiting.removeIf(q -> look.began - q.since >= 0 && answered.add(q));
        }
        answered.forEach(q -> q.answer.complete(look));
      }
    } finally {
      reading.set(false);
    }
  }

  private Look read() {
    long began = now();
    List<ProcessEntry> live = processes.live();
    if (live == null) {
      return Look.blind(began);
    }
    Map<Long, ProcessEntry> byPid = new HashMap<>();
    for (ProcessEntry p : live) {
      byPid.put(p.pid(), p);
    }
    Set<Long> adopters = adopters(byPid);
    Map<ProcessEntry, String> known;
    synchronized (this) {
      known = owners;
    }
    Map<ProcessEntry, String> kept = new HashMap<>();
    Map<Long, List<ProcessEntry>> children = new HashMap<>();
    Map<Long, List<ProcessEntry>> groups = new HashMap<>();
    Map<String, List<ProcessEntry>> marked = new HashMap<>();
    for (ProcessEntry p : live) {
      children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
      groups.computeIfAbsent(p.pgid(), k -> new ArrayList<>()).add(p);
      if (adopters.contains(p.ppid())) {
        String owner = known.get(p);
        if (owner == null) {
          owner = owner(p);
        }
        kept.put(p, owner);
        if (!owner.isEmpty()) {
          marked.computeIfAbsent(owner, k -> new ArrayList<>()).add(p);
        }
      }
    }
    synchronized (this) {
      owners = kept;
    }
    return new Look(began, true, children, groups, marked);
  }

  /** pmux, its ancestors and init: where an orphan of a program can end up. */
  private Set<Long> adopters(Map<Long, ProcessEntry> byPid) {
    Set<Long> adopters = new HashSet<>();
    adopters.add(1L);
    long pid = pmuxPid;
    while (pid > 1 && adopters.add(pid)) {
      ProcessEntry p = byPid.get(pid);
      pid = p == null ? -1 : p.ppid();
    }
    return adopters;
  }

  private String owner(ProcessEntry p) {
    return Long.toString(pmuxPid).equals(processes.variable(p, PMUX_PID))
        ? Objects.toString(processes.variable(p, NAME), "")
        : "";
  }

  /** A question and the reading that answers it. */
  private static final class Question {
    final long since;
    final CompletableFuture<Look> answer = new CompletableFuture<>();

    Question(long since) {
      this.since = since;
    }
  }

  /** One reading of the process list, indexed for the questions it answers. */
  private static final class Look {
    final long began;
    final boolean saw;
    final Map<Long, List<ProcessEntry>> children;
    final Map<Long, List<ProcessEntry>> groups;
    final Map<String, List<ProcessEntry>> marked;

    Look(
        long began,
        boolean saw,
        Map<Long, List<ProcessEntry>> children,
        Map<Long, List<ProcessEntry>> groups,
        Map<String, List<ProcessEntry>> marked) {
      this.began = began;
      this.saw = saw;
      this.children = children;
      this.groups = groups;
      this.marked = marked;
    }

    /** A reading that could not see the process list: it finds nothing and tells nothing. */
    static Look blind(long began) {
      return new Look(began, false, Map.of(), Map.of(), Map.of());
    }

    Members members(String name, long pgid, long pmuxPid) {
      boolean seenEmpty =
          saw
              && (pgid <= 1
                  || groups.getOrDefault(pgid, List.of()).stream()
                      .allMatch(p -> p.pid() == pmuxPid));
      return new Members(strays(name, pgid, pmuxPid), seenEmpty);
    }

    List<ProcessEntry> strays(String name, long pgid, long pmuxPid) {
      Deque<ProcessEntry> todo = new ArrayDeque<>(marked.getOrDefault(name, List.of()));
      if (pgid > 1) {
        todo.addAll(groups.getOrDefault(pgid, List.of()));
      }
      Set<Long> seen = new HashSet<>();
      List<ProcessEntry> strays = new ArrayList<>();
      while (!todo.isEmpty()) {
        ProcessEntry p = todo.poll();
        if (p.pid() == pmuxPid || !seen.add(p.pid())) {
          continue;
        }
        if (p.pgid() != pgid || pgid <= 1) {
          strays.add(p);
        }
        todo.addAll(children.getOrDefault(p.pid(), List.of()));
      }
      return strays;
    }
  }

  /** No process that can be seen. */
  private static final class NoProcesses implements ProcessList {
    @Override
    public @Nullable List<ProcessEntry> live() {
      return null;
    }

    @Override
    public @Nullable String variable(ProcessEntry process, String name) {
      return null;
    }

    @Override
    public boolean signal(ProcessEntry process, int number) {
      return false;
    }
  }
}
