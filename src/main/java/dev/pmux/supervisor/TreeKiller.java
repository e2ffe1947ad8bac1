package dev.pmux.supervisor;

import dev.pmux.config.KillMode;
import dev.pmux.config.Signal;
import dev.pmux.exec.ProcessEntry;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.ProgramTree;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The signals of one stop with {@code killMode: tree}: to the process group and to every process of
 * the program outside it ({@link ProgramTree}). Each check for live members is a new look, and a
 * process found there for the first time (forked during the grace) gets the last signal sent, so
 * that it is given the same grace as the others. A group id of 1 or less stands for "no group":
 * only the processes outside any are reached. Whether the group has a live member comes from that
 * same shared reading, once {@code kill(2)} has said the group exists: no scan of {@code /proc} of
 * its own.
 */
final class TreeKiller implements ProcessGroupKiller {
  private final ProcessGroupKiller groups;
  private final ProgramTree tree;
  private final String name;
  // Set for the last-resort kill of every program at once: one reading then serves them all.
  private final @Nullable Long since;
  private @Nullable Signal last; // guarded by this
  private final Set<ProcessEntry> reached = new HashSet<>(); // guarded by this

  private TreeKiller(
      ProcessGroupKiller groups, ProgramTree tree, String name, @Nullable Long since) {
    this.groups = groups;
    this.tree = tree;
    this.name = name;
    this.since = since;
  }

  /** What one stop of program {@code name} signals: its group only, or its whole tree. */
  static ProcessGroupKiller forStop(SupervisorRuntime runtime, String name, KillMode mode) {
    return mode == KillMode.GROUP
        ? runtime.killer()
        : new TreeKiller(runtime.killer(), runtime.tree(), name, null);
  }

  /**
   * As {@link #forStop}, for a kill of every program asked for at {@code since} (a {@link
   * ProgramTree#now()} reading): any reading of the process list begun after it will do.
   */
  static ProcessGroupKiller forKillAll(
      SupervisorRuntime runtime, String name, KillMode mode, long since) {
    return mode == KillMode.GROUP
        ? runtime.killer()
        : new TreeKiller(runtime.killer(), runtime.tree(), name, since);
  }

  @Override
  public boolean signal(long pgid, Signal signal) {
    long asked = since != null ? since : tree.now();
    boolean group = pgid > 1 && groups.signal(pgid, signal);
    synchronized (this) {
      last = signal;
      reached.clear();
    }
    if (!group) {
      // Nothing else tells whether anything was reached: the answer waits for the reading.
      return reach(tree.straysSince(name, pgid, asked).join(), signal);
    }
    // The group has its signal; what left it gets the same as soon as a shared reading finds it
    // (the checks for live members reach it again, should this reading fail).
    var unused = tree.straysSince(name, pgid, asked).thenAccept(strays -> reach(strays, signal));
    return true;
  }

  @Override
  public boolean groupAlive(long pgid) {
    return checkAlive(pgid).join();
  }

  @Override
  public CompletableFuture<Boolean> checkAlive(long pgid) {
    // The group first: a reading that began after it was seen empty misses nothing it left. A group
    // kill(2) finds is alive unless that reading shows it holds only zombies, as groupAlive would.
    long asked = tree.now();
    boolean group = pgid > 1 && groups.groupExists(pgid);
    return tree.membersSince(name, pgid, asked)
        .thenApply(
            members -> {
              Signal signal;
              synchronized (this) {
                signal = last;
              }
              if (signal != null) {
                reach(members.strays(), signal);
              }
              return (group && !members.groupSeenEmpty()) || !members.strays().isEmpty();
            });
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
