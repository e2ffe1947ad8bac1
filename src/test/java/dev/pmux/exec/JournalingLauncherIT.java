package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalingLauncherIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path run;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void aGroupThatOutlivesItsLeader_isRecordedAsEndedOnceItsLastMemberIsGone() throws Exception {
    try (GroupJournal journal = GroupJournal.create(run)) {
      JournalingLauncher launcher =
          new JournalingLauncher(
              CommonsExecLauncher.forEnvironment(leaks.environment()),
              journal,
              new LibcGroupKiller(),
              new SystemTimeline(scheduler));
      // The leader exits at once; its member lives on, as a forked daemon would, until told.
      Path go = run.resolve("go");
      String member = "while [ ! -e " + go + " ]; do sleep 0.05; done";
      Child child =
          launcher.launch(
              Specs.shell("leaver", "(" + member + ") </dev/null >/dev/null 2>&1 & exit 0")
                  .build());
      long pgid = child.pid();
      child.exit().get(10, TimeUnit.SECONDS);
      assertThat(lines(journal)).containsExactly("+ " + pgid);
      Files.createFile(go);
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> assertThat(lines(journal)).containsExactly("+ " + pgid, "- " + pgid));
    }
  }

  private static List<String> lines(GroupJournal journal) throws Exception {
    return Files.readAllLines(journal.file());
  }
}
