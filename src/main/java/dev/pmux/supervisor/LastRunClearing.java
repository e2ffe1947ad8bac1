package dev.pmux.supervisor;

import dev.pmux.config.KillMode;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.exec.ProcessEntry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What a start does first with {@code killMode: tree}: it stops what is left of the program's last
 * run (as a stop would, with its grace), as systemd does for a unit's leftovers, so that a second
 * copy of a daemon that escaped never starts beside the first.
 */
final class LastRunClearing {
  private final String name;
  private final StateOwner state;
  private final SupervisorRuntime runtime;
  private final LeftoverGroups leftovers;

  LastRunClearing(
      String name, StateOwner state, SupervisorRuntime runtime, LeftoverGroups leftovers) {
    this.name = name;
    this.state = state;
    this.runtime = runtime;
    this.leftovers = leftovers;
  }

  /**
   * Completes once the groups the last run left behind are over with {@code killMode: tree}; at
   * once in group mode, which launches beside them.
   */
  CompletableFuture<Void> groupsOver(ProcessSpec launching) {
    return launching.killMode() == KillMode.TREE
        ? leftovers.after(CompletableFuture.completedFuture(null))
        : CompletableFuture.completedFuture(null);
  }

  /**
   * Stops the program's processes that a reading of the process list begun after {@code asked}
   * finds, and says so with a {@code ~} line; returns null when there are none (always in group
   * mode), else what completes once they are gone. Blocks for that reading: not under the lock.
   */
  @Nullable CompletableFuture<Void> clear(ProcessSpec launching, long asked) {
    List<ProcessEntry> left =
        launching.killMode() == KillMode.TREE
            ? runtime.tree().straysSince(name, -1, asked).join()
            : List.of();
    if (left.isEmpty()) {
      return null;
    }
    List<Long> pids = left.stream().map(ProcessEntry::pid).sorted().toList();
    state.sayNow(
        "stopping "
            + pids.size()
            + (pids.size() == 1 ? " process" : " processes")
            + " left from the last run: "
            + pids);
    GroupStop clearing =
        new GroupStop(
            -1,
            launching.stopSignal(),
            launching.sigKillWait(),
            TreeKiller.forStop(runtime, name, launching.killMode()),
            runtime.timeline(),
            new Announcer());
    CompletableFuture<Void> over = clearing.finished();
    clearing.begin();
    clearing.watch();
    return over;
  }

  /** Announces the SIGKILL of what is left of the last run; nothing waits on the lock for it. */
  private final class Announcer implements GroupStop.Owner {
    @Override
    public void killDue(GroupStop stop) {
      state.sayNow("sending " + Signal.KILL.goName() + " signal to what is left of the last run");
      stop.kill();
    }

    @Override
    public void emptied(GroupStop stop) {}
  }
}
