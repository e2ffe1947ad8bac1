package dev.pmux.config;

import static dev.pmux.config.ConfigLoaderTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Go files that keep shared values for YAML anchors under a top-level key of their own run
 * unchanged: keys starting with {@code x-}, and unknown keys whose value is an anchor in use, are
 * ignored; other unknown keys stay errors.
 */
class AnchorKeysTest {
  private static PmuxConfig valid(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, Path.of("pmux.yml"));
  }

  private static final String MERGING =
      """
      processes:
        - name: web
          cmd: sleep
          <<: *d
        - {name: db, cmd: sleep, minWait: 3s}
      """;

  @Test
  void anXKeyHoldingAnAnchor_isIgnoredAndItsValuesMerge() throws ConfigException {
    PmuxConfig config = valid("x-defaults: &d {minWait: 2s, maxWait: 4s}\n" + MERGING);
    assertEquals(Duration.ofSeconds(2), config.processes().get(0).minWait());
    assertEquals(Duration.ofSeconds(4), config.processes().get(0).maxWait());
    assertEquals(Duration.ofSeconds(3), config.processes().get(1).minWait());
  }

  @Test
  void anUnknownKeyWhoseAnchorIsUsed_isIgnored() throws ConfigException {
    PmuxConfig config = valid("defaults: &d\n  minWait: 2s\n" + MERGING);
    assertEquals(Duration.ofSeconds(2), config.processes().get(0).minWait());
  }

  @Test
  void anchorsOnScalarsAndLists_countToo() throws ConfigException {
    PmuxConfig config =
        valid(
            """
            common-args: &args ["1000"]
            processes:
              - {name: a, cmd: sleep, args: *args}
            """);
    assertEquals(List.of("1000"), config.processes().get(0).args());
  }

  @Test
  void anXKeyWithoutAnchor_isIgnoredToo() throws ConfigException {
    assertEquals(
        1,
        valid(
                """
                x-notes: anything at all
                processes: [{name: a, cmd: x}]
                """)
            .processes()
            .size());
  }

  @Test
  void anUnknownKeyWithoutAnchor_isStillAnError() {
    assertEquals(
        List.of("defualts: unknown key, expected one of timeFormat, processes, jmx, tailLines"),
        problems("defualts: 3\nprocesses: [{name: a, cmd: x}]\n"));
  }

  @Test
  void anUnknownKeyWhoseAnchorNobodyUses_isStillAnError() {
    assertEquals(
        List.of("defaults: unknown key, expected one of timeFormat, processes, jmx, tailLines"),
        problems("defaults: &d {minWait: 2s}\nprocesses: [{name: a, cmd: x}]\n"));
  }

  @Test
  void aTypoOfAKnownKeyIsStillCaught_evenWithAnAnchorInUse() {
    assertEquals(
        List.of("timeformat: unknown key, did you mean 'timeFormat'?"),
        problems("timeformat: &t Kitchen\nx-copy: *t\nprocesses: [{name: a, cmd: x}]\n"));
  }

  @Test
  void onlyTheTopLevelIsConcerned() {
    List<String> problems = problems("processes: [{name: a, cmd: x, x-note: hi}]\n");
    assertEquals(1, problems.size());
    assertEquals(
        "processes[0].x-note: unknown key, expected one of",
        problems.get(0).substring(0, problems.get(0).indexOf("one of") + 6));
  }
}
