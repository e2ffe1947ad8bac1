package dev.pmux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TailTest {
  @Test
  void printsOnlyWhatCameAfterTheLinesShownBefore() {
    assertThat(Tail.newLines(List.of("c", "d"), List.of("a", "b", "c", "d", "e", "f")))
        .containsExactly("e", "f");
  }

  @Test
  void nothingNewPrintsNothing() {
    assertThat(Tail.newLines(List.of("a", "b"), List.of("a", "b"))).isEmpty();
  }

  @Test
  void repeatedLinesMatchTheLatestPlace() {
    assertThat(Tail.newLines(List.of("x", "x"), List.of("x", "x", "x", "y"))).containsExactly("y");
  }

  @Test
  void whenTheOldEndScrolledAwayEverythingIsNew() {
    assertThat(Tail.newLines(List.of("old"), List.of("n1", "n2"))).containsExactly("n1", "n2");
    assertThat(Tail.newLines(List.of(), List.of("n1"))).containsExactly("n1");
  }

  @Test
  void uptimeReadsLikePs() {
    assertThat(ProcessTable.uptime(59.9)).isEqualTo("59s");
    assertThat(ProcessTable.uptime(723)).isEqualTo("12m03s");
    assertThat(ProcessTable.uptime(5 * 3600 + 120)).isEqualTo("5h02m");
    assertThat(ProcessTable.uptime(3 * 86400 + 4 * 3600)).isEqualTo("3d04h");
  }
}
