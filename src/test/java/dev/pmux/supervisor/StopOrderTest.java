package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.config.ProcessSpec;
import dev.pmux.testing.Specs;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
