package dev.pmux.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmux.config.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Which processes belong to a program beyond its group, over a fake process list. */
class ProgramTreeTest {
  private static final long PMUX = 500;

  private final FakeList table = new FakeList();
  private long now;
  private final ProgramTree tree = new ProgramTree(table, PMUX, () -> now, Runnable::run);

  @Test
  void groupMembersAreNotStrays() {
    table.add(1000, PMUX, 1000);
    table.add(1001, 1000, 1000);
    assertEquals(List.of(), pids("web", 1000));
  }

  @Test
  void aProcessThatLeftTheGroup_whileDescendingFromAMember_isAStray() {
    table.add(1000, PMUX, 1000);
    table.add(1001, 1000, 1001); // setsid sleep
    table.add(1002, 1001, 1001); // its child
    assertEquals(List.of(1001L, 1002L), pids("web", 1000));
  }

  @Test
  void anAdoptedOrphanMarkedWithTheProgram_isAStray_withItsDescendants() {
    table.add(1000, PMUX, 1000);
    table.marked(1003, PMUX, 1003, "500", "web"); // double-forked daemon, reparented to pmux
    table.add(1004, 1003, 1004);
    assertEquals(List.of(1003L, 1004L), pids("web", 1000));
  }

  @Test
  void orphansAdoptedByInitOrAnAncestorOfPmux_count_too() {
    table.add(400, 1, 400); // pmux's parent, e.g. a user's systemd
    table.add(PMUX, 400, PMUX);
    table.marked(1003, 1, 1003, "500", "web");
    table.marked(1005, 400, 1005, "500", "web");
    assertEquals(List.of(1003L, 1005L), pids("web", -1));
  }

  @Test
  void anotherProgramsOrAnotherPmuxsOrphans_areNot() {
    table.add(1000, PMUX, 1000);
    table.marked(1003, PMUX, 1003, "500", "db");
    table.marked(1004, 1, 1004, "777", "web");
    table.marked(1005, PMUX, 1005, null, "web");
    assertEquals(List.of(), pids("web", 1000));
  }

  @Test
  void aMarkedProcessBelowAnotherProgram_isNotTakenForAnOrphan() {
    table.add(2000, PMUX, 2000); // db's leader
    table.marked(2001, 2000, 2001, "500", "web"); // inherited web's name somehow, but db's child
    assertEquals(List.of(), pids("web", 1000));
  }

  @Test
  void withoutAGroup_everyMarkedProcessIsLeftFromTheLastRun() {
    table.marked(1003, PMUX, 1003, "500", "web");
    table.add(1006, 1003, 1003);
    assertEquals(List.of(1003L, 1006L), pids("web", -1));
  }

  @Test
  void pmuxItselfIsNeverFound() {
    table.add(PMUX, 1, 1000); // pmux in the group it names, as if it were a member
    table.add(1000, PMUX, 1000);
    assertEquals(List.of(), pids("web", 1000));
    assertFalse(tree.signal(new ProcessEntry(PMUX, 1, 1000, 1), Signal.KILL));
  }

  @Test
  void aReadingAnswersTheQuestionsAskedBeforeItBegan_andOnlyThose() {
    table.add(1000, PMUX, 1000);
    assertEquals(List.of(), pids("web", 1000));
    table.add(1001, 1000, 1001);
    long askedBefore = now;
    assertEquals(
        List.of(),
        tree.straysSince("web", 1000, askedBefore).join().stream().map(ProcessEntry::pid).toList(),
        "the reading began after the question: it answers it");
    assertEquals(1, table.readings);
    now += 1;
    assertEquals(List.of(1001L), pids("web", 1000), "a later question needs a later reading");
    assertEquals(2, table.readings);
  }

  @Test
  void questionsWaitingTogether_shareOneReading() {
    List<Runnable> queued = new ArrayList<>();
    ProgramTree shared = new ProgramTree(table, PMUX, () -> now, queued::add);
    table.add(1000, PMUX, 1000);
    table.add(1001, 1000, 1001);
    var first = shared.straysSince("web", 1000, now);
    var second = shared.straysSince("web", 1000, now);
    var other = shared.straysSince("db", 2000, now);
    assertEquals(1, queued.size(), "one reading is asked for");
    queued.get(0).run();
    assertEquals(1, table.readings);
    assertEquals(1001L, first.join().get(0).pid());
    assertEquals(1001L, second.join().get(0).pid());
    assertEquals(List.of(), other.join());
  }

  @Test
  void aFailedReading_failsItsQuestions_andTheNextOneReadsAgain() {
    table.failing = true;
    assertThrows(CompletionException.class, () -> tree.strays("web", 1000));
    table.failing = false;
    table.add(1000, PMUX, 1000);
    table.add(1001, 1000, 1001);
    assertEquals(List.of(1001L), pids("web", 1000));
  }

  @Test
  void membersSince_tellsWhetherTheGroupHasALiveMember() {
    table.add(1001, PMUX, 2000); // another program
    table.add(1002, 1, 1000); // a member left by a leader that is gone
    assertFalse(tree.membersSince("web", 1000, now).join().groupSeenEmpty());
    table.live.remove(1);
    now += 1;
    ProgramTree.Members left = tree.membersSince("web", 1000, now).join();
    assertTrue(left.groupSeenEmpty(), "zombies are not in the list: only they could be left");
    assertEquals(List.of(), left.strays());
  }

  @Test
  void membersSince_withoutAGroup_seesItEmpty() {
    table.add(1000, PMUX, 1000);
    assertTrue(tree.membersSince("web", -1, now).join().groupSeenEmpty());
  }

  @Test
  void aReadingThatCannotSeeTheList_tellsNothing() {
    table.blind = true;
    table.add(1000, PMUX, 1000);
    table.add(1001, 1000, 1001);
    ProgramTree.Members members = tree.membersSince("web", 1000, now).join();
    assertFalse(members.groupSeenEmpty(), "cannot tell");
    assertEquals(List.of(), members.strays());
    assertFalse(ProgramTree.none().membersSince("web", 1000, 0).join().groupSeenEmpty());
  }

  @Test
  void signal_reachesTheProcessThatWasFound() {
    table.add(1000, PMUX, 1000);
    table.add(1001, 1000, 1001);
    ProcessEntry found = tree.strays("web", 1000).get(0);
    assertTrue(tree.signal(found, Signal.TERM));
    assertEquals(List.of("1001:15"), table.signals);
  }

  private List<Long> pids(String name, long pgid) {
    return tree.strays(name, pgid).stream().map(ProcessEntry::pid).sorted().toList();
  }

  /** A process table in memory; every process was started at tick 1. */
  private static final class FakeList implements ProcessList {
    final List<ProcessEntry> live = new ArrayList<>();
    final Map<Long, Map<String, String>> env = new HashMap<>();
    final List<String> signals = new ArrayList<>();
    int readings;
    boolean failing;
    boolean blind;

    void add(long pid, long ppid, long pgid) {
      live.add(new ProcessEntry(pid, ppid, pgid, 1));
    }

    void marked(long pid, long ppid, long pgid, @Nullable String pmuxPid, String name) {
      add(pid, ppid, pgid);
      Map<String, String> vars = new HashMap<>();
      if (pmuxPid != null) {
        vars.put("PMUX_PID", pmuxPid);
      }
      vars.put("PMUX_PROCESS_NAME", name);
      env.put(pid, vars);
    }

    @Override
    public @Nullable List<ProcessEntry> live() {
      readings++;
      if (failing) {
        throw new IllegalStateException("no process list");
      }
      return blind ? null : List.copyOf(live);
    }

    @Override
    public @Nullable String variable(ProcessEntry process, String name) {
      return env.getOrDefault(process.pid(), Map.of()).get(name);
    }

    @Override
    public boolean signal(ProcessEntry process, int number) {
      signals.add(process.pid() + ":" + number);
      return live.contains(process);
    }
  }
}
