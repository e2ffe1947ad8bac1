package dev.pmux.testing;

import dev.pmux.exec.DaemonThreads;
import dev.pmux.exec.JournalingLauncher;
import dev.pmux.exec.Launcher;
import dev.pmux.exec.LibcGroupKiller;
import dev.pmux.exec.OrphanGuard;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.SystemTimeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * The orphan guard of a test JVM that supervises in-process, as {@code Main} arms one for pmux: a
 * test JVM killed mid-run (a build stopped with Ctrl-C or SIGKILL) would otherwise leave its
 * programs running, since they lead their own process groups.
 */
public final class HarnessOrphanGuard {
  private static final ProcessGroupKiller KILLER = new LibcGroupKiller();
  private static final OrphanGuard GUARD = arm();
  // The journal's rechecks outlive any one test's scheduler.
  private static final SystemTimeline TIMELINE =
      new SystemTimeline(
          Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("test-guard")));

  private HarnessOrphanGuard() {}

  private static OrphanGuard arm() {
    try {
      Path runDir = Files.createTempDirectory("pmux-test-guard");
      OrphanGuard guard =
          OrphanGuard.arm(runDir, KILLER, text -> System.err.println("test guard: " + text));
      // SIGTERM or SIGINT to the test JVM: stop what is left now; SIGKILL: the guardian does.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    guard.disarm(KILLER);
                    try {
                      Files.deleteIfExists(runDir);
                    } catch (IOException e) {
                      // A temporary directory: left to the system's cleanup.
                    }
                  },
                  "test-guard-disarm"));
      return guard;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code launcher}, with every group it starts recorded for this JVM's guardian. */
  public static Launcher guarded(Launcher launcher) {
    return new JournalingLauncher(launcher, GUARD.journal(), KILLER, TIMELINE);
  }
}
