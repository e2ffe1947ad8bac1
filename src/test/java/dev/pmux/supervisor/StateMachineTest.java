package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.testing.CapturedLog;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.Specs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (state, event) pair of a program's state machine, driven with a fake OS and a fake clock:
 * the resulting state, the event lines printed and the effects (signals, launches, timers). The
 * table lists every pair, so a missing one is visible (and {@link #theTableHasEveryPair} fails).
 */
@Timeout(10)
class StateMachineTest {
  /** What can happen to a program. */
  enum Event {
    START,
    STOP,
    RESTART,
    LAUNCH_OK,
    LAUNCH_FAILS,
    EXIT_3,
    EXIT_0,
    KILLED_BY_SIGNAL,
    GROUP_EMPTIES,
    TIME_PASSES,
    RELOAD_CHANGE,
    TUNE,
    SIGNAL
  }

  // from | event | to | lines printed | signals sent | launches queued | timers pending
  private static final String TABLE =
      """
      STOPPED  | START            | STARTING | starting process                   | -       | 1 | -
      STOPPED  | STOP             | STOPPED  | -                                  | -       | 0 | -
      STOPPED  | RESTART          | STARTING | starting process                   | -       | 1 | -
      STOPPED  | LAUNCH_OK        | STOPPED  | -                                  | -       | 0 | -
      STOPPED  | LAUNCH_FAILS     | STOPPED  | -                                  | -       | 0 | -
      STOPPED  | EXIT_3           | STOPPED  | -                                  | -       | 0 | -
      STOPPED  | EXIT_0           | STOPPED  | -                                  | -       | 0 | -
      STOPPED  | KILLED_BY_SIGNAL | STOPPED  | -                                  | -       | 0 | -
      STOPPED  | GROUP_EMPTIES    | STOPPED  | -                                  | -       | 0 | -
      STOPPED  | TIME_PASSES      | STOPPED  | -                                  | -       | 0 | -
      STOPPED  | RELOAD_CHANGE    | STOPPED  | -                                  | -       | 0 | -
      STOPPED  | TUNE             | STOPPED  | sigKillWait set to 2s              | -       | 0 | -
      STOPPED  | SIGNAL           | STOPPED  | -                                  | -       | 0 | -
      STARTING | START            | STARTING | -                                  | -       | 1 | -
      STARTING | STOP             | STOPPING | -                                  | -       | 1 | -
      STARTING | RESTART          | STOPPING | -                                  | -       | 1 | -
      STARTING | LAUNCH_OK        | RUNNING  | -                                  | -       | 0 | -
      STARTING | LAUNCH_FAILS     | BACKOFF  | exited: starting process: boom / will restart process in 1s | - | 0 | 1s
      STARTING | EXIT_3           | STARTING | -                                  | -       | 1 | -
      STARTING | EXIT_0           | STARTING | -                                  | -       | 1 | -
      STARTING | KILLED_BY_SIGNAL | STARTING | -                                  | -       | 1 | -
      STARTING | GROUP_EMPTIES    | STARTING | -                                  | -       | 1 | -
      STARTING | TIME_PASSES      | STARTING | -                                  | -       | 1 | -
      STARTING | RELOAD_CHANGE    | STOPPING | -                                  | -       | 1 | -
      STARTING | TUNE             | STARTING | sigKillWait set to 2s              | -       | 1 | -
      STARTING | SIGNAL           | STARTING | -                                  | -       | 1 | -
      RUNNING  | START            | RUNNING  | -                                  | -       | 0 | -
      RUNNING  | STOP             | STOPPING | sending interrupt signal           | INT 1001 | 0 | 5s
      RUNNING  | RESTART          | STOPPING | sending interrupt signal           | INT 1001 | 0 | 5s
      RUNNING  | LAUNCH_OK        | RUNNING  | -                                  | -       | 0 | -
      RUNNING  | LAUNCH_FAILS     | RUNNING  | -                                  | -       | 0 | -
      RUNNING  | EXIT_3           | BACKOFF  | exited: process exited: exit status 3 / will restart process in 1s | - | 0 | 1s
      RUNNING  | EXIT_0           | EXITED   | exit code: 0 / stopped process handler | -   | 0 | -
      RUNNING  | KILLED_BY_SIGNAL | BACKOFF  | exited: process exited: signal: killed / will restart process in 1s | - | 0 | 1s
      RUNNING  | GROUP_EMPTIES    | RUNNING  | -                                  | -       | 0 | -
      RUNNING  | TIME_PASSES      | RUNNING  | -                                  | -       | 0 | -
      RUNNING  | RELOAD_CHANGE    | STOPPING | sending interrupt signal           | INT 1001 | 0 | 5s
      RUNNING  | TUNE             | RUNNING  | sigKillWait set to 2s              | -       | 0 | -
      RUNNING  | SIGNAL           | RUNNING  | sending hangup signal              | HUP 1001 | 0 | -
      BACKOFF  | START            | STARTING | -                                  | -       | 1 | -
      BACKOFF  | STOP             | STOPPED  | stopped process handler            | -       | 0 | -
      BACKOFF  | RESTART          | STARTING | stopped process handler / starting process | - | 1 | -
      BACKOFF  | LAUNCH_OK        | BACKOFF  | -                                  | -       | 0 | 1s
      BACKOFF  | LAUNCH_FAILS     | BACKOFF  | -                                  | -       | 0 | 1s
      BACKOFF  | EXIT_3           | BACKOFF  | -                                  | -       | 0 | 1s
      BACKOFF  | EXIT_0           | BACKOFF  | -                                  | -       | 0 | 1s
      BACKOFF  | KILLED_BY_SIGNAL | BACKOFF  | -                                  | -       | 0 | 1s
      BACKOFF  | GROUP_EMPTIES    | BACKOFF  | -                                  | -       | 0 | 900ms
      BACKOFF  | TIME_PASSES      | STARTING | -                                  | -       | 1 | -
      BACKOFF  | RELOAD_CHANGE    | STARTING | stopped process handler / starting process | - | 1 | -
      BACKOFF  | TUNE             | BACKOFF  | sigKillWait set to 2s              | -       | 0 | 1s
      BACKOFF  | SIGNAL           | BACKOFF  | -                                  | -       | 0 | 1s
      STOPPING | START            | STOPPING | -                                  | -       | 0 | 5s
      STOPPING | STOP             | STOPPING | -                                  | -       | 0 | 5s
      STOPPING | RESTART          | STOPPING | -                                  | -       | 0 | 5s
      STOPPING | LAUNCH_OK        | STOPPING | -                                  | -       | 0 | 5s
      STOPPING | LAUNCH_FAILS     | STOPPING | -                                  | -       | 0 | 5s
      STOPPING | EXIT_3           | STOPPED  | exited: context canceled / stopped process handler | - | 0 | -
      STOPPING | EXIT_0           | STOPPED  | exited: context canceled / stopped process handler | - | 0 | -
      STOPPING | KILLED_BY_SIGNAL | STOPPED  | exited: context canceled / stopped process handler | - | 0 | -
      STOPPING | GROUP_EMPTIES    | STOPPING | -                                  | -       | 0 | 4.9s
      STOPPING | TIME_PASSES      | STOPPED  | sending killed signal / exited: context canceled / stopped process handler | KILL 1001 | 0 | -
      STOPPING | RELOAD_CHANGE    | STOPPING | -                                  | -       | 0 | 5s
      STOPPING | TUNE             | STOPPING | sigKillWait set to 2s              | -       | 0 | 5s
      STOPPING | SIGNAL           | STOPPING | sending hangup signal              | HUP 1001 | 0 | 5s
      EXITED   | START            | STARTING | starting process                   | -       | 1 | -
      EXITED   | STOP             | EXITED   | -                                  | -       | 0 | -
      EXITED   | RESTART          | STARTING | starting process                   | -       | 1 | -
      EXITED   | LAUNCH_OK        | EXITED   | -                                  | -       | 0 | -
      EXITED   | LAUNCH_FAILS     | EXITED   | -                                  | -       | 0 | -
      EXITED   | EXIT_3           | EXITED   | -                                  | -       | 0 | -
      EXITED   | EXIT_0           | EXITED   | -                                  | -       | 0 | -
      EXITED   | KILLED_BY_SIGNAL | EXITED   | -                                  | -       | 0 | -
      EXITED   | GROUP_EMPTIES    | EXITED   | -                                  | -       | 0 | -
      EXITED   | TIME_PASSES      | EXITED   | -                                  | -       | 0 | -
      EXITED   | RELOAD_CHANGE    | EXITED   | -                                  | -       | 0 | -
      EXITED   | TUNE             | EXITED   | sigKillWait set to 2s              | -       | 0 | -
      EXITED   | SIGNAL           | EXITED   | -                                  | -       | 0 | -
      FATAL    | START            | STARTING | starting process                   | -       | 1 | -
      FATAL    | STOP             | STOPPED  | stopped process handler            | -       | 0 | -
      FATAL    | RESTART          | STARTING | stopped process handler / starting process | - | 1 | -
      FATAL    | LAUNCH_OK        | FATAL    | -                                  | -       | 0 | -
      FATAL    | LAUNCH_FAILS     | FATAL    | -                                  | -       | 0 | -
      FATAL    | EXIT_3           | FATAL    | -                                  | -       | 0 | -
      FATAL    | EXIT_0           | FATAL    | -                                  | -       | 0 | -
      FATAL    | KILLED_BY_SIGNAL | FATAL    | -                                  | -       | 0 | -
      FATAL    | GROUP_EMPTIES    | FATAL    | -                                  | -       | 0 | -
      FATAL    | TIME_PASSES      | FATAL    | -                                  | -       | 0 | -
      FATAL    | RELOAD_CHANGE    | STARTING | stopped process handler / starting process | - | 1 | -
      FATAL    | TUNE             | FATAL    | sigKillWait set to 2s              | -       | 0 | -
      FATAL    | SIGNAL           | FATAL    | -                                  | -       | 0 | -
      """;

  record Row(
      ProcessState from,
      Event event,
      ProcessState to,
      List<String> lines,
      List<String> signals,
      int launches,
      List<Duration> timers) {
    @Override
    public String toString() {
      return from + " x " + event + " -> " + to;
    }
  }

  static Stream<Row> rows() {
    return TABLE
        .lines()
        .filter(l -> !l.isBlank())
        .map(
            line -> {
              String[] c =
                  Arrays.stream(line.split("\\|")).map(String::trim).toArray(String[]::new);
              return new Row(
                  ProcessState.valueOf(c[0]),
                  Event.valueOf(c[1]),
                  ProcessState.valueOf(c[2]),
                  list(c[3], " / "),
                  list(c[4], ", "),
                  Integer.parseInt(c[5]),
                  list(c[6], ", ").stream().map(StateMachineTest::duration).toList());
            });
  }

  private static List<String> list(String cell, String separator) {
    return cell.equals("-") ? List.of() : List.of(cell.split(separator));
  }

  private static Duration duration(String d) {
    return dev.pmux.config.GoDuration.parse(d);
  }

  @Test
  void theTableHasEveryPair() {
    Set<String> listed = rows().map(r -> r.from() + " " + r.event()).collect(Collectors.toSet());
    for (ProcessState state : ProcessState.values()) {
      for (Event event : Event.values()) {
        assertThat(listed).as("the table lists every pair").contains(state + " " + event);
      }
    }
    assertThat(rows().count())
        .isEqualTo((long) ProcessState.values().length * Event.values().length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void everyPair(Row row) {
    Harness h = new Harness();
    h.bringTo(row.from());
    h.forgetWhatHappened();

    h.apply(row.event());

    assertThat(h.program.snapshot().state()).as("state").isEqualTo(row.to());
    assertThat(h.linesPrinted()).as("lines printed").isEqualTo(row.lines());
    assertThat(h.os.takeSignals()).as("signals sent").isEqualTo(row.signals());
    assertThat(h.os.queuedLaunches()).as("launches queued").isEqualTo(row.launches());
    assertThat(h.timeline.pending()).as("timers pending").isEqualTo(row.timers());
  }

  @Test
  void aLaunchThatGetsNoThread_failsLikeAnyLaunch_andIsRetriedAfterTheBackoff() {
    Harness h = new Harness();
    h.os.refuseThreads(true);

    h.program.start();

    assertThat(h.program.snapshot().state()).isEqualTo(ProcessState.BACKOFF);
    assertThat(h.eventLines())
        .containsExactly(
            "starting process",
            "exited: starting process: cannot start a thread: unable to create native thread:"
                + " possibly out of memory",
            "will restart process in 1s");
    h.os.refuseThreads(false);
    h.timeline.fireNext();
    h.os.runLaunches();
    assertThat(h.program.snapshot().state()).isEqualTo(ProcessState.RUNNING);
  }

  @Test
  void kill_reachesAStoppingGroupWhoseLeaderIsGone() {
    Harness h = new Harness();
    h.bringTo(ProcessState.STOPPING);
    h.os.leaderExits(130, 1);
    h.timeline.advance(Duration.ofMillis(1));
    assertThat(h.program.snapshot().state()).isEqualTo(ProcessState.STOPPING);
    assertThat(h.program.snapshot().pid()).isEqualTo(-1);
    h.os.takeSignals();

    // As Supervisor.killAll calls it: one reading of the process list for every program.
    h.program.kill(h.runtime.tree().now());

    assertThat(h.os.takeSignals()).containsExactly("KILL 1001");
  }

  @Test
  void aStopWhoseDeadlineCannotBeArmed_killsTheGroupAndEnds() {
    // The fake clock throws on a delay beyond the nanosecond range, as the real one did.
    Harness h =
        new Harness(
            Specs.program("web", "server").sigKillWait(Duration.ofMillis(Long.MAX_VALUE)).build());
    h.bringTo(ProcessState.RUNNING);
    h.os.takeSignals();

    CompletableFuture<?> stopped;
    try (CapturedLog log = CapturedLog.of(ProgramRuns.class)) {
      stopped = h.program.stop();
      assertThat(log.text()).startsWith("ERROR web: stop failed, killing its group\n");
    }

    assertThat(h.os.takeSignals()).containsExactly("KILL 1001");
    h.os.leaderExits(137, 9);
    h.timeline.advance(GroupStop.AFTER_KILL.plusSeconds(1));
    assertThat(h.program.snapshot().state()).isEqualTo(ProcessState.STOPPED);
    assertThat(stopped).isDone();
  }

  @Test
  void everyStateCanBeReached() {
    for (ProcessState state : EnumSet.allOf(ProcessState.class)) {
      Harness h = new Harness();
      h.bringTo(state);
      assertThat(h.program.snapshot().state()).isEqualTo(state);
    }
  }

  /** One program on the fake OS and clock, with the moves that bring it to each state. */
  static final class Harness {
    static final ProcessSpec SPEC =
        Specs.program("web", "server")
            .waits(Duration.ofSeconds(1), Duration.ofSeconds(4))
            .sigKillWait(Duration.ofSeconds(5))
            .noRestartOn(0)
            .maxRestarts(2, Duration.ofMinutes(1))
            .build();

    final FakeOs os = new FakeOs();
    final FakeTimeline timeline = new FakeTimeline();
    final CapturedOutput output = new CapturedOutput();
    final SupervisorRuntime runtime;
    final SupervisedProgram program;
    private int linesSeen;
    private final List<CompletableFuture<?>> operatorRequests = new ArrayList<>();

    Harness() {
      this(SPEC);
    }

    Harness(ProcessSpec spec) {
      runtime = new SupervisorRuntime(os, os, timeline, os, os, Runnable::run);
      program = new SupervisedProgram(spec, output.merged().program(spec.name()), runtime);
    }

    void bringTo(ProcessState state) {
      switch (state) {
        case STOPPED -> {}
        case STARTING -> program.start();
        case RUNNING -> {
          program.start();
          os.runLaunches();
        }
        case BACKOFF -> {
          bringTo(ProcessState.RUNNING);
          os.leaderExits(3, 0);
        }
        case STOPPING -> {
          bringTo(ProcessState.RUNNING);
          // Left stopping on purpose: its end is not what this row checks.
          CompletableFuture<?> unused = program.stop();
        }
        case EXITED -> {
          bringTo(ProcessState.RUNNING);
          os.leaderExits(0, 0);
        }
        case FATAL -> {
          bringTo(ProcessState.BACKOFF);
          for (int i = 0; i < 2; i++) {
            timeline.fireNext();
            os.runLaunches();
            os.leaderExits(3, 0);
          }
        }
      }
    }

    /** Whether an operator's restart or a reload is still being carried out. */
    boolean operatorRequestPending() {
      return operatorRequests.stream().anyMatch(f -> !f.isDone());
    }

    void forgetWhatHappened() {
      linesSeen = eventLines().size();
      os.takeSignals();
    }

    void apply(Event event) {
      switch (event) {
        case START -> program.start();
        case STOP -> {
          CompletableFuture<?> unused = program.stop();
        }
        case RESTART -> operatorRequests.add(program.restart());
        case LAUNCH_OK -> {
          os.failLaunches(null);
          os.runLaunches();
        }
        case LAUNCH_FAILS -> {
          os.failLaunches("boom");
          os.runLaunches();
        }
        case EXIT_3 -> exit(3);
        case EXIT_0 -> exit(0);
        case KILLED_BY_SIGNAL -> exit(137);
        case GROUP_EMPTIES -> {
          os.membersExit();
          timeline.advance(Duration.ofMillis(100));
        }
        case TIME_PASSES -> timeline.fireNext();
        case RELOAD_CHANGE ->
            operatorRequests.add(
                program.reconfigure(
                    Specs.program("web", "server2")
                        .waits(Duration.ofSeconds(1), Duration.ofSeconds(4))
                        .sigKillWait(Duration.ofSeconds(5))
                        .noRestartOn(0)
                        .maxRestarts(2, Duration.ofMinutes(1))
                        .build()));
        case TUNE ->
            program.tune(p -> p.withSigKillWait(Duration.ofSeconds(2)), "sigKillWait set to 2s");
        case SIGNAL -> program.signal(Signal.HUP);
      }
    }

    private void exit(int code) {
      if (os.liveLeaders() > 0) {
        os.leaderExits(code, 0);
      }
    }

    List<String> linesPrinted() {
      List<String> all = eventLines();
      return all.subList(linesSeen, all.size());
    }

    /** The texts of the program's event lines so far. */
    List<String> eventLines() {
      return output.stderrLines().stream()
          .filter(l -> !l.isEmpty())
          .map(l -> l.substring(l.indexOf("~ ") + 2))
          .toList();
    }
  }
}
