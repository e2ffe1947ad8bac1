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
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Finds the processes of a program that its process group no longer holds: those that left the
 * group (setsid, a double fork) while they descend from a member, and orphans adopted by pmux (or
 * by init or a subreaper above it) whose environment says {@code PMUX_PID=<this pmux>} and {@code
 * PMUX_PROCESS_NAME=<the program>}, with their descendants. Signals only a process that is still
 * the one that was found.
 */
public final class ProgramTree {
  /**
   * How long one reading of the process list serves: when many programs stop at once, each re-check
   * of each program would otherwise read the whole of {@code /proc}.
   */
  static final Duration MAX_AGE = Duration.ofMillis(20);

  private static final String NAME = "PMUX_PROCESS_NAME";
  private static final String PMUX_PID = "PMUX_PID";

  private final ProcessList processes;
  private final long pmuxPid;
  private final LongSupplier nanoTime;

  // Guarded by this.
  private List<ProcessEntry> live = List.of();
  private long readAt;
  private boolean read;
  // The program an adopted process is marked with ("" for none): its environment is read once.
  private Map<ProcessEntry, String> owners = new HashMap<>();

  ProgramTree(ProcessList processes, long pmuxPid, LongSupplier nanoTime) {
    this.processes = processes;
    this.pmuxPid = pmuxPid;
    this.nanoTime = nanoTime;
  }

  /** The processes of this machine, seen from this pmux. */
  public static ProgramTree onThisMachine() {
    return new ProgramTree(new ProcProcessList(), ProcessHandle.current().pid(), System::nanoTime);
  }

  /** A tree that never finds anything (for runtimes whose processes are not real). */
  public static ProgramTree none() {
    return new ProgramTree(new NoProcesses(), -1, System::nanoTime);
  }

  /**
   * The live processes of program {@code name} outside its process group {@code pgid} (every
   * process of the program when {@code pgid <= 1}: it has no group); never pmux itself.
   */
  public List<ProcessEntry> strays(String name, long pgid) {
    List<ProcessEntry> all;
    Map<Long, List<ProcessEntry>> children = new HashMap<>();
    Set<Long> adopters;
    synchronized (this) {
      all = current();
      Map<Long, ProcessEntry> byPid = new HashMap<>();
      for (ProcessEntry p : all) {
        byPid.put(p.pid(), p);
        children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
      }
      adopters = adopters(byPid);
    }
    Deque<ProcessEntry> todo = new ArrayDeque<>();
    for (ProcessEntry p : all) {
      if ((pgid > 1 && p.pgid() == pgid)
          || (adopters.contains(p.ppid()) && name.equals(owner(p)))) {
        todo.add(p);
      }
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

  /**
   * Sends {@code signal} to {@code process} if it is still the process that was found (not a later
   * one with its pid); false when it is gone.
   */
  public boolean signal(ProcessEntry process, Signal signal) {
    return process.pid() > 1
        && process.pid() != pmuxPid
        && processes.signal(process, signal.number());
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

  private List<ProcessEntry> current() {
    long now = nanoTime.getAsLong();
    if (!read || now - readAt > MAX_AGE.toNanos()) {
      live = processes.live();
      readAt = now;
      read = true;
      Map<ProcessEntry, String> kept = new HashMap<>();
      for (ProcessEntry p : live) {
        String owner = owners.get(p);
        if (owner != null) {
          kept.put(p, owner);
        }
      }
      owners = kept;
    }
    return live;
  }

  private String owner(ProcessEntry p) {
    synchronized (this) {
      String known = owners.get(p);
      if (known != null) {
        return known;
      }
    }
    String owner =
        Long.toString(pmuxPid).equals(processes.variable(p, PMUX_PID))
            ? Objects.toString(processes.variable(p, NAME), "")
            : "";
    synchronized (this) {
      owners.put(p, owner);
    }
    return owner;
  }

  /** No process at all. */
  private static final class NoProcesses implements ProcessList {
    @Override
    public List<ProcessEntry> live() {
      return List.of();
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
