package dev.pmux.exec;

import dev.pmux.config.ProcessSpec;
import java.time.Duration;

/**
 * A {@link Launcher} that records every group it starts in the {@link GroupJournal}, and records
 * its end once no member is left, so that a pmux that died can be cleaned up after.
 */
public final class JournalingLauncher implements Launcher {
  private static final Duration FIRST_RECHECK = Duration.ofSeconds(1);
  private static final Duration LAST_RECHECK = Duration.ofMinutes(1);

  private final Launcher launcher;
  private final GroupJournal journal;
  private final ProcessGroupKiller killer;
  private final Timeline timeline;

  public JournalingLauncher(
      Launcher launcher, GroupJournal journal, ProcessGroupKiller killer, Timeline timeline) {
    this.launcher = launcher;
    this.journal = journal;
    this.killer = killer;
    this.timeline = timeline;
  }

  @Override
  public Child launch(ProcessSpec spec) throws LaunchException {
    return journaled(launcher.launch(spec));
  }

  @Override
  public boolean handsOver() {
    return launcher.handsOver();
  }

  @Override
  public Child adopt(HandedChild handed) throws LaunchException {
    return journaled(launcher.adopt(handed));
  }

  private Child journaled(Child child) {
    journal.started(child.pid());
    var unused =
        child
            .exit()
            .whenComplete((status, error) -> recordEndOnceEmpty(child.pid(), FIRST_RECHECK));
    return child;
  }

  /**
   * A group whose leader is gone may still have members (the supervisor stops them); it stays
   * recorded until they are gone too, checked less often the longer they live.
   */
  private void recordEndOnceEmpty(long pgid, Duration recheck) {
    if (!killer.groupAlive(pgid)) {
      journal.ended(pgid);
      return;
    }
    Duration next =
        recheck.multipliedBy(2).compareTo(LAST_RECHECK) > 0
            ? LAST_RECHECK
            : recheck.multipliedBy(2);
    var unused = timeline.schedule(recheck, () -> recordEndOnceEmpty(pgid, next));
  }
}
