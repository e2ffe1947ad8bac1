package dev.pmux.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Scripts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A process group whose last process is a zombie (its parent, outside the group, never reaps it):
 * kill(2) still finds the group, and neither check of live members counts it, whether the group
 * killer's own look at /proc or the reading a killMode tree stop shares with every program.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupOfZombiesIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();

  @Test
  void aGroupHoldingOnlyAZombie_existsForKill_butHasNoLiveMember() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Scripts.path("zombie-group.py"));
    builder.environment().put(ProcessLeaks.VARIABLE, leaks.mark());
    Process holder = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8))) {
      String pids = String.valueOf(out.readLine()).trim();
      int space = pids.indexOf(' ');
      assertThat(space).as("the group and its zombie, was: %s", pids).isPositive();
      long pgid = Long.parseLong(pids.substring(0, space));
      long zombie = Long.parseLong(pids.substring(space + 1));
      Path proc = Path.of("/proc", Long.toString(zombie));
      assertThat(stateOf(proc)).isEqualTo("Z");
      assertThat(ProcTable.statFields(proc)).contains(Long.toString(pgid));

      LibcGroupKiller killer = new LibcGroupKiller();
      assertThat(killer.groupExists(pgid)).as("kill(2) counts the zombie").isTrue();
      assertThat(killer.groupAlive(pgid)).isFalse();
      ProgramTree.Members members =
          ProgramTree.onThisMachine().membersSince("test", pgid, System.nanoTime()).join();
      assertThat(members.groupSeenEmpty()).isTrue();
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String stateOf(Path proc) {
    String[] fields = ProcTable.statFields(proc);
    return fields == null ? "" : fields[0];
  }
}
