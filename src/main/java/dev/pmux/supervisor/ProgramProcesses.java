package dev.pmux.supervisor;

import dev.pmux.config.KillMode;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.exec.ProcessEntry;
import dev.pmux.exec.ProcessGroupKiller;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of one program as pmux reaches them without its lock: the current run's process
 * group, the groups its runs left behind and, with {@code killMode: tree}, its processes outside
 * them. What the forced kill and an operator's look at the strays go by.
 */
final class ProgramProcesses {
  private final String name;
  private final ProgramSettings settings;
  private final SupervisorRuntime runtime;
  private final LeftoverGroups leftovers;
  // -1 when none. Unlike the snapshot's pid it stays set while a stopping group outlives its
  // leader.
  private volatile long group = -1;

  ProgramProcesses(
      String name, ProgramSettings settings, SupervisorRuntime runtime, LeftoverGroups leftovers) {
    this.name = name;
    this.settings = settings;
    this.runtime = runtime;
    this.leftovers = leftovers;
  }

  /** The current run's process group from now on; -1 once the run is over. */
  void groupIs(long pgid) {
    group = pgid;
  }

  /**
   * SIGKILLs the current group, every group left behind and, with {@code killMode: tree}, every
   * process of the program outside them, as a reading of the process list begun after {@code since}
   * shows them; takes no lock.
   */
  void killAll(long since) {
    List<Long> groups = new ArrayList<>(leftovers.groupIds());
    groups.add(group);
    ProcessSpec spec = settings.spec();
    ProcessGroupKiller killer = TreeKiller.forKillAll(runtime, name, spec.killMode(), since);
    for (long pgid : groups) {
      // In tree mode "no group" still reaches what is left outside any.
      if (pgid > 1 || spec.killMode() == KillMode.TREE) {
        killer.signal(pgid, Signal.KILL);
      }
    }
  }

  /** Process ids of the program outside its current group ({@code killMode: tree} only). */
  List<Long> strays() {
    if (settings.spec().killMode() != KillMode.TREE) {
      return List.of();
    }
    return runtime.tree().strays(name, group).stream().map(ProcessEntry::pid).sorted().toList();
  }
}
