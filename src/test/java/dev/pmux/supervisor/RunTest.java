package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.exec.Child;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When a main process's end is reported: after its last output, or after a bounded wait. */
@Timeout(10)
class RunTest {
  private final FakeOs os = new FakeOs();
  private final FakeTimeline timeline = new FakeTimeline();
  private final SupervisorRuntime runtime =
      new SupervisorRuntime(os, os, timeline, os, os, Runnable::run);
  private final CompletableFuture<Void> outputEnd = new CompletableFuture<>();
  private final List<Run.Ending> endings = new ArrayList<>();

  private void launch() throws Exception {
    os.outputEndsWith(outputEnd);
    Child child = os.launch(Specs.program("web", "server").build());
    Run.watch(child, runtime, os, new CapturedOutput().merged().program("web"), endings::add);
  }

  @Test
  void anEmptyGroupsEnd_waitsForItsLastOutput_longerThanTheGraceForMembers() throws Exception {
    launch();
    os.leaderExits(0, 0);

    timeline.advance(Run.DRAIN_GRACE);
    assertThat(endings).isEmpty();

    outputEnd.complete(null);
    assertThat(endings).hasSize(1);
    assertThat(timeline.pending()).isEmpty();
  }

  @Test
  void anEmptyGroupsEnd_isReportedAfterTheLastOutputWait_if_aProcessOutsideHoldsThePipes()
      throws Exception {
    launch();
    os.leaderExits(0, 0);

    assertThat(timeline.pending()).containsExactly(Run.LAST_OUTPUT_WAIT);
    timeline.advance(Run.LAST_OUTPUT_WAIT);
    assertThat(endings).hasSize(1);
  }

  @Test
  void whileMembersLiveOn_theEndIsReportedAfterTheDrainGrace() throws Exception {
    launch();
    os.leaderExits(0, 1);

    assertThat(timeline.pending()).containsExactly(Run.DRAIN_GRACE);
    timeline.advance(Run.DRAIN_GRACE);
    assertThat(endings).singleElement().satisfies(e -> assertThat(e.membersLeft()).isTrue());
  }

  @Test
  void outputThatEndsFirst_reportsTheEndAtOnce() throws Exception {
    launch();
    outputEnd.complete(null);
    os.leaderExits(3, 0);

    assertThat(endings).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo(3));
    assertThat(timeline.pending()).isEmpty();
  }
}
