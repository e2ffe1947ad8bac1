package dev.pmux.exec;

import dev.pmux.config.ProcessSpec;

/**
 * Records every launched process group in the {@link GroupJournal} until it has no process left, so
 * that nothing a program started can outlive a pmux that dies.
 */
public final class JournalingLauncher implements Launcher {
  private final Launcher launcher;
  private final GroupJournal journal;
  private final ProcessGroupKiller killer;

  public JournalingLauncher(Launcher launcher, GroupJournal journal, ProcessGroupKiller killer) {
    this.launcher = launcher;
    this.journal = journal;
    this.killer = killer;
  }

  @Override
  public Child launch(ProcessSpec spec) throws LaunchException {
    Child child = launcher.launch(spec);
    journal.started(child.pid());
    var unused =
        child
            .exit()
            .whenComplete(
                (status, error) -> {
                  // A group whose leader is gone may still have members; it stays recorded until
                  // the
                  // supervisor has stopped them.
                  if (!killer.groupAlive(child.pid())) {
                    journal.ended(child.pid());
                  }
                });
    return child;
  }
}
