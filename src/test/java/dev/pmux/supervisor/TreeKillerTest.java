package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.config.KillMode;
import dev.pmux.config.Signal;
import dev.pmux.exec.ProcessEntry;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.ProcessList;
import dev.pmux.exec.ProgramTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whether a killMode tree stop still has live processes: kill(2) for the group's existence, the
 * shared reading of the process list for everything else (zombies, members, strays).
 */
@Timeout(10)
class TreeKillerTest {
  private static final long PMUX = 500;

  private final Groups groups = new Groups();
  private final Table table = new Table();
  private final List<Runnable> readings = new ArrayList<>();
  private long now;
  private final ProgramTree tree = new ProgramTree(table, PMUX, () -> now, readings::add);
  private final FakeOs os = new FakeOs();
  private final SupervisorRuntime runtime =
      new SupervisorRuntime(os, groups, new FakeTimeline(), os, os, Runnable::run, tree);

  @Test
  void aGroupWhoseOnlyProcessesAreZombies_isNotAlive() {
    groups.existing.add(1000L); // kill(2) still finds the group: its leader is a zombie
    assertThat(check("web", 1000)).isFalse();
  }

  @Test
  void aGroupWithALiveMember_isAlive_afterItsLeaderIsGone() {
    groups.existing.add(1000L);
    table.add(1001, 1, 1000);
    assertThat(check("web", 1000)).isTrue();
  }

  @Test
  void aGroupThatKillFindsEmpty_isNotAlive_whateverTheReadingShows() {
    table.add(1001, 1, 1000);
    assertThat(check("web", 1000)).isFalse();
  }

  @Test
  void checksOfManyPrograms_shareOneReading_andNoneScansForItsGroup() {
    groups.existing.addAll(List.of(1000L, 2000L));
    table.add(1000, PMUX, 1000);
    CompletableFuture<Boolean> web = killer("web").checkAlive(1000);
    CompletableFuture<Boolean> db = killer("db").checkAlive(2000);

    assertThat(readings).as("one reading asked for both").hasSize(1);
    readings.remove(0).run();

    assertThat(web).isCompletedWithValue(true);
    assertThat(db).as("db's leader is a zombie").isCompletedWithValue(false);
    assertThat(table.readings).isEqualTo(1);
    assertThat(groups.scans).as("groupAlive's own scan of /proc").isZero();
  }

  @Test
  void aReadingThatBeganBeforeTheCheck_doesNotAnswerIt() {
    groups.existing.add(1000L);
    table.add(1001, 1, 1000);
    assertThat(check("web", 1000)).isTrue();

    table.live.clear(); // the last member dies; its zombie keeps the group for kill(2)
    now += 1;
    assertThat(check("web", 1000)).isFalse();
    assertThat(table.readings).isEqualTo(2);
  }

  @Test
  void aReadingThatCannotSeeTheProcessList_leavesKillsAnswer() {
    groups.existing.add(1000L);
    table.blind = true;
    assertThat(check("web", 1000)).as("cannot tell a zombie: alive until the deadline").isTrue();
  }

  @Test
  void aProcessThatLeftTheGroup_getsTheStopSignal_once() {
    groups.existing.add(1000L);
    table.add(1002, 1, 1000); // the group's last member
    table.add(1003, 1002, 1003); // left the group with setsid
    table.add(1004, 1003, 1003);
    ProcessGroupKiller web = killer("web");
    web.signal(1000, Signal.INT);
    readings.remove(0).run();
    assertThat(table.signals).containsExactly("1003:2", "1004:2");

    now += 1;
    CompletableFuture<Boolean> alive = web.checkAlive(1000);
    readings.remove(0).run();
    assertThat(alive).isCompletedWithValue(true);
    assertThat(table.signals).as("signalled once").hasSize(2);
  }

  private boolean check(String name, long pgid) {
    CompletableFuture<Boolean> alive = killer(name).checkAlive(pgid);
    runReadings(alive);
    return alive.join();
  }

  /** Runs the readings asked for until {@code answer} is done. */
  private void runReadings(CompletableFuture<?> answer) {
    while (!answer.isDone() && !readings.isEmpty()) {
      readings.remove(0).run();
    }
  }

  private ProcessGroupKiller killer(String name) {
    return TreeKiller.forStop(runtime, name, KillMode.TREE);
  }

  /** Process groups as kill(2) sees them (zombies included); counts the scans of groupAlive. */
  private static final class Groups implements ProcessGroupKiller {
    final Set<Long> existing = new HashSet<>();
    int scans;

    @Override
    public boolean signal(long pgid, Signal signal) {
      return existing.contains(pgid);
    }

    @Override
    public boolean groupAlive(long pgid) {
      scans++;
      return existing.contains(pgid);
    }

    @Override
    public boolean groupExists(long pgid) {
      return existing.contains(pgid);
    }
  }

  /** The live processes of a machine, zombies left out as /proc readings leave them out. */
  private static final class Table implements ProcessList {
    final List<ProcessEntry> live = new ArrayList<>();
    final List<String> signals = new ArrayList<>();
    int readings;
    boolean blind;

    void add(long pid, long ppid, long pgid) {
      live.add(new ProcessEntry(pid, ppid, pgid, 1));
    }

    @Override
    public @Nullable List<ProcessEntry> live() {
      readings++;
      return blind ? null : List.copyOf(live);
    }

    @Override
    public @Nullable String variable(ProcessEntry process, String name) {
      return null;
    }

    @Override
    public boolean signal(ProcessEntry process, int number) {
      signals.add(process.pid() + ":" + number);
      return live.contains(process);
    }
  }
}
