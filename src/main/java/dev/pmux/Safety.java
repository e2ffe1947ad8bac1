package dev.pmux;

import dev.pmux.exec.GroupJournal;
import dev.pmux.exec.Guardian;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.output.MergedOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What makes sure nothing outlives pmux: at start, kills what a crashed pmux left behind; then
 * keeps a journal of live process groups and a guardian that kills them if pmux dies.
 */
final class Safety {
  private final GroupJournal journal;
  private final Guardian guardian;

  private Safety(GroupJournal journal, Guardian guardian) {
    this.journal = journal;
    this.guardian = guardian;
  }

  static Safety arm(Path runDir, ProcessGroupKiller killer, MergedOutput output)
      throws IOException {
    GroupJournal.prepareRunDir(runDir);
    List<Long> reaped = GroupJournal.reapOrphans(runDir, killer);
    if (!reaped.isEmpty()) {
      output.event("pmux", "killed process groups left behind by a pmux that died: " + reaped);
    }
    GroupJournal journal;
    try {
      journal = GroupJournal.create(runDir);
    } catch (IOException e) {
      throw new IOException(
          "cannot create the journal of process groups in " + runDir + ": " + e.getMessage(), e);
    }
    try {
      return new Safety(journal, Guardian.start(journal));
    } catch (IOException e) {
      journal.close();
      throw new IOException("cannot start the guardian process: " + e.getMessage(), e);
    }
  }

  GroupJournal journal() {
    return journal;
  }

  /**
   * After a graceful stop: kills any recorded group that still has a process of this pmux (none,
   * unless a stop went wrong), then lets the guardian go.
   */
  void disarm(ProcessGroupKiller killer) {
    List<Long> survivors = journal.killSurvivors(killer);
    if (!survivors.isEmpty()) {
      System.err.println("pmux: killed process groups that survived the stop: " + survivors);
    }
    journal.close();
    guardian.close();
  }
}
