package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.supervisor.StateMachineTest.Event;
import dev.pmux.supervisor.StateMachineTest.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property-style: random sequences of events on one program (fake OS, fake clock) keep the state
 * machine's invariants, whatever the order.
 */
class StateMachineProperties {
  private static final Set<Event> OPERATOR_OR_RELOAD =
      EnumSet.of(Event.START, Event.STOP, Event.RESTART, Event.RELOAD_CHANGE);

  /**
   * The longest a stop may last on the fake clock: sigKillWait, SIGKILL's grace, the last output.
   */
  private static final Duration LONGEST_STOP =
      Duration.ofSeconds(5).plus(GroupStop.AFTER_KILL).plus(Run.LAST_OUTPUT_WAIT);

  /**
   * 300 random sequences of up to 40 events, from fixed seeds: a failure names the sequence, and
   * the same seed gives it again.
   */
  @Test
  void randomEventSequencesKeepTheInvariants() {
    Event[] all = Event.values();
    for (long seed = 1; seed <= 300; seed++) {
      Random random = new Random(seed);
      List<Event> events = new ArrayList<>();
      for (int i = 1 + random.nextInt(40); i > 0; i--) {
        events.add(all[random.nextInt(all.length)]);
      }
      try {
        invariantsHold(events);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ", events " + events + ": " + e.getMessage(), e);
      }
    }
  }

  private static void invariantsHold(List<Event> events) {
    Harness h = new Harness();
    List<String> moves = new ArrayList<>();
    Event[] current = new Event[1];
    long[] automatic = new long[1];
    boolean[] operatorPending = new boolean[1];
    h.program.addListener(
        (from, now) -> {
          if (from == ProcessState.BACKOFF
              && now.state() == ProcessState.STARTING
              && current[0] == Event.TIME_PASSES) {
            automatic[0]++;
          }
          boolean settled =
              from == ProcessState.EXITED
                  || from == ProcessState.FATAL
                  || from == ProcessState.STOPPED;
          if (settled && !OPERATOR_OR_RELOAD.contains(current[0]) && !operatorPending[0]) {
            moves.add(from + " -> " + now.state() + " on " + current[0]);
          }
        });
    long restarts = 0;
    long stoppingSince = -1;
    for (Event event : events) {
      current[0] = event;
      // A restart or reload still under way may start the program on this event.
      operatorPending[0] = h.operatorRequestPending();
      h.apply(event);
      ProcessSnapshot s = h.program.snapshot();

      assertThat(h.os.liveLeaders()).as("live children of one program").isLessThanOrEqualTo(1);
      assertThat(s.restartCount())
          .as("RestartCount never decreases")
          .isGreaterThanOrEqualTo(restarts);
      assertThat(s.restartCount())
          .as("RestartCount counts automatic restarts only")
          .isEqualTo(automatic[0]);
      restarts = s.restartCount();

      long now = h.timeline.nanoTime();
      if (s.state() == ProcessState.STOPPING) {
        stoppingSince = stoppingSince < 0 ? now : stoppingSince;
        assertThat(Duration.ofNanos(now - stoppingSince))
            .as("a stop ends within sigKillWait and SIGKILL's grace")
            .isLessThanOrEqualTo(LONGEST_STOP);
      } else {
        stoppingSince = -1;
      }
    }
    assertThat(moves)
        .as("EXITED, FATAL and STOPPED move only on an operator or a reload")
        .isEmpty();
  }
}
