package dev.pmux.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What makes sure nothing outlives pmux: at start, kills what a crashed pmux left behind; then
 * keeps a journal of live process groups and a guardian that kills them if pmux dies.
 */
public final class OrphanGuard {
  private final GroupJournal journal;
  private final Consumer<String> report;
  private Guardian guardian; // guarded by this
  private boolean disarmed; // guarded by this

  private OrphanGuard(GroupJournal journal, Guardian guardian, Consumer<String> report) {
    this.journal = journal;
    this.guardian = guardian;
    this.report = report;
    watch(guardian);
  }

  private void watch(Guardian watched) {
    var unused = watched.exited().thenRun(() -> replace(watched));
  }

  /**
   * A guardian that dies while pmux runs (someone SIGKILLed it) would leave pmux unguarded: say so,
   * once, and start a new one.
   */
  private synchronized void replace(Guardian dead) {
    if (disarmed || dead != guardian) {
      return;
    }
    try {
      guardian = Guardian.start(journal);
      report.accept(
          "the guardian process (pid "
              + dead.pid()
              + ") died: started a new one (pid "
              + guardian.pid()
              + ")");
      watch(guardian);
    } catch (IOException e) {
      report.accept(
          "the guardian process (pid "
              + dead.pid()
              + ") died and no new one could be started ("
              + e.getMessage()
              + "): if pmux is SIGKILLed now, its programs keep running");
    }
  }

  /**
   * Kills what a pmux that died left behind in {@code runDir} (telling {@code report} which groups)
   * and starts journal and guardian for this pmux.
   */
  public static OrphanGuard arm(Path runDir, ProcessGroupKiller killer, Consumer<String> report)
      throws IOException {
    GroupJournal.prepareRunDir(runDir);
    List<Long> reaped = GroupJournal.reapOrphans(runDir, killer);
    if (!reaped.isEmpty()) {
      report.accept("killed process groups left behind by a pmux that died: " + reaped);
    }
    GroupJournal journal;
    try {
      journal = GroupJournal.create(runDir);
    } catch (IOException e) {
      throw new IOException(
          "cannot create the journal of process groups in " + runDir + ": " + e.getMessage(), e);
    }
    try {
      return new OrphanGuard(journal, Guardian.start(journal), report);
    } catch (IOException e) {
      journal.close();
      throw new IOException("cannot start the guardian process: " + e.getMessage(), e);
    }
  }

  /**
   * The guard of the pmux before an upgrade, taken over in this same process: its journal goes on
   * and its guardian (whose lifeline was kept open through the exec) keeps watching; a new guardian
   * starts if that one is gone.
   */
  public static OrphanGuard resume(
      Path runDir, long guardianPid, int lifeline, Consumer<String> report) throws IOException {
    GroupJournal.prepareRunDir(runDir);
    GroupJournal journal = GroupJournal.resume(runDir);
    Guardian guardian = Guardian.adopt(guardianPid, lifeline);
    if (guardian == null) {
      guardian = Guardian.start(journal);
      report.accept("the guardian process did not survive the upgrade: started a new one");
    }
    return new OrphanGuard(journal, guardian, report);
  }

  /** A guardian as the next pmux finds it: its pid and the descriptor of its lifeline. */
  public record GuardianHandle(long pid, int lifeline) {}

  /** This guard's guardian, for the next pmux. */
  public synchronized GuardianHandle guardian() {
    return new GuardianHandle(guardian.pid(), guardian.lifelineDescriptor());
  }

  /** The journal every launch records its process group in. */
  public GroupJournal journal() {
    return journal;
  }

  /**
   * After a graceful stop: kills any recorded group that still has a process of this pmux (none,
   * unless a stop went wrong), then lets the guardian go.
   */
  public void disarm(ProcessGroupKiller killer) {
    List<Long> survivors = journal.killSurvivors(killer);
    if (!survivors.isEmpty()) {
      System.err.println("pmux: killed process groups that survived the stop: " + survivors);
    }
    journal.close();
    synchronized (this) {
      disarmed = true;
      guardian.close();
    }
  }
}
