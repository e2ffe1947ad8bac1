package dev.pmux.supervisor;

import dev.pmux.exec.Launcher;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.ProgramTree;
import dev.pmux.exec.Timeline;
import java.util.concurrent.Executor;

/**
 * What every supervised program shares: the OS boundary (launcher, group signals), the timeline for
 * delays and deadlines, the pumps that read children's output, the executor that runs launches (a
 * launch blocks for milliseconds, so several run at once), the executor that delivers state changes
 * to listeners, and the finder of programs' processes beyond their groups.
 */
public record SupervisorRuntime(
    Launcher launcher,
    ProcessGroupKiller killer,
    Timeline timeline,
    Pumps pumps,
    Executor launches,
    Executor notifications,
    ProgramTree tree) {

  /** A runtime whose programs have no process beyond their groups (their processes are fakes). */
  public SupervisorRuntime(
      Launcher launcher,
      ProcessGroupKiller killer,
      Timeline timeline,
      Pumps pumps,
      Executor launches,
      Executor notifications) {
    this(launcher, killer, timeline, pumps, launches, notifications, ProgramTree.none());
  }

  /**
   * A runtime on this machine: output read by two poller threads for all programs (see {@link
   * PolledPumps}).
   */
  public static SupervisorRuntime of(
      Launcher launcher,
      ProcessGroupKiller killer,
      Timeline timeline,
      Executor launches,
      Executor notifications) {
    return new SupervisorRuntime(
        launcher,
        killer,
        timeline,
        new PolledPumps(),
        launches,
        notifications,
        ProgramTree.onThisMachine());
  }

  /** Whether the running children and their pipes can be handed to the pmux after an upgrade. */
  boolean handsOver() {
    return pumps instanceof PolledPumps && launcher.handsOver();
  }
}
