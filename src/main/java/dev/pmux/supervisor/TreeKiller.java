package dev.pmux.supervisor;

import dev.pmux.config.KillMode;
import dev.pmux.config.Signal;
import dev.pmux.exec.ProcessEntry;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.ProgramTree;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The signals of one stop with {@code killMode: tree}: to the process group and to every process of
 * the program outside it ({@link ProgramTree}). Each check for live members is a new look, and a
 * process found there for the first time (forked during the grace) gets the last signal sent, so
 * that it is given the same grace as the others. A group id of 1 or less stands for "no group":
 * only the processes outside any are reached.
 */
final class TreeKiller implements ProcessGroupKiller {
  private final ProcessGroupKiller groups;
  private final ProgramTree tree;
  private final String name;
  private @Nullable Signal last; // guarded by this
  private final Set<ProcessEntry> reached = new HashSet<>(); // guarded by this

  private TreeKiller(ProcessGroupKiller groups, ProgramTree tree, String name) {
    this.groups = groups;
    this.tree = tree;
    this.name = name;
  }

  /** What one stop of program {@code name} signals: its group only, or its whole tree. */
  static ProcessGroupKiller forStop(SupervisorRuntime runtime, String name, KillMode mode) {
    return mode == KillMode.GROUP
        ? runtime.killer()
        : new TreeKiller(runtime.killer(), runtime.tree(), name);
  }

  @Override
  public boolean signal(long pgid, Signal signal) {
    // Looked up before the group is signalled, while the ancestry of what left it is intact.
    List<ProcessEntry> strays = tree.strays(name, pgid);
    boolean group = pgid > 1 && groups.signal(pgid, signal);
    synchronized (this) {
      last = signal;
      reached.clear();
    }
    return reach(strays, signal) || group;
  }

  @Override
  public boolean groupAlive(long pgid) {
    boolean group = pgid > 1 && groups.groupAlive(pgid);
    List<ProcessEntry> strays = tree.strays(name, pgid);
    Signal signal;
    synchronized (this) {
      signal = last;
    }
    if (signal != null) {
      reach(strays, signal);
    }
    return group || !strays.isEmpty();
  }

  /** Signals those of {@code strays} not reached by {@code signal} yet; true if any was found. */
  private boolean reach(List<ProcessEntry> strays, Signal signal) {
    boolean any = false;
    for (ProcessEntry stray : strays) {
      boolean first;
      synchronized (this) {
        first = signal == last && reached.add(stray);
      }
      if (first) {
        any |= tree.signal(stray, signal);
      } else {
        any = true;
      }
    }
    return any;
  }
}
