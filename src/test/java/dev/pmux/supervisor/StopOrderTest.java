package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.config.ProcessSpec;
import dev.pmux.testing.Specs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// On its own thread: a walk of every path would not heed an interrupt.
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StopOrderTest {
  private static ProcessSpec spec(String name, String... dependsOn) {
    return Specs.program(name, "sleep", "1").dependsOn(dependsOn).build();
  }

  @Test
  void aChain_stopsFromItsLastDependentToWhatEverythingDependsOn() {
    assertThat(StopOrder.layers(List.of(spec("a"), spec("b", "a"), spec("c", "b"))))
        .containsExactly(List.of("c"), List.of("b"), List.of("a"));
  }

  @Test
  void programsAsDeepAsEachOther_stopTogether_inConfigurationOrder() {
    assertThat(
            StopOrder.layers(
                List.of(
                    spec("db"), spec("web", "db"), spec("cache"), spec("worker", "db", "cache"))))
        .containsExactly(List.of("web", "worker"), List.of("db", "cache"));
  }

  @Test
  void aDependencyNotInTheSet_isIgnored() {
    assertThat(StopOrder.layers(List.of(spec("web", "gone"), spec("db"))))
        .containsExactly(List.of("web", "db"));
  }

  @Test
  void aProgramIsAsDeepAsItsDeepestDependency() {
    assertThat(StopOrder.layers(List.of(spec("a"), spec("b", "a"), spec("c", "a", "b"))))
        .containsExactly(List.of("c"), List.of("b"), List.of("a"));
  }

  @Test
  void layersThatEachDependOnTheWholeLayerBelow_areOrderedWithoutWalkingEveryPath() {
    // 30 layers of 3 programs, each depending on all 3 below it: 3^29 paths from the top.
    List<ProcessSpec> specs = new ArrayList<>();
    for (int layer = 0; layer < 30; layer++) {
      for (int i = 0; i < 3; i++) {
        String[] below =
            layer == 0
                ? new String[0]
                : new String[] {(layer - 1) + "a", (layer - 1) + "b", (layer - 1) + "c"};
        specs.add(spec(layer + "abc".substring(i, i + 1), below));
      }
    }
    List<List<String>> layers = StopOrder.layers(specs);
    assertThat(layers).hasSize(30);
    assertThat(layers.get(0)).containsExactly("29a", "29b", "29c");
    assertThat(layers.get(29)).containsExactly("0a", "0b", "0c");
  }
}
