package dev.pmux.config;

import static dev.pmux.config.ConfigLoaderTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmux.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * pmux's later per-process keys: essential, maxRestarts, restartWindow, envFile; defaults, hints
 * and equality.
 */
class ProcessAdditionsTest {

  private static List<String> problemsOf(String extraKeys) {
    return problems("processes:\n  - {name: a, cmd: x, " + extraKeys + "}\n");
  }

  private static ProcessSpec valid(String extraKeys) throws ConfigException {
    return ConfigLoader.parse(
            "processes:\n  - {name: a, cmd: x, " + extraKeys + "}\n", Path.of("pmux.yml"))
        .processes()
        .get(0);
  }

  @Test
  void defaults_whenNoneIsGiven() throws ConfigException {
    ProcessSpec p = valid("args: []");
    assertEquals(List.of(), p.dependsOn());
    assertNull(p.ready());
    assertEquals(false, p.essential());
    assertEquals(0, p.maxRestarts());
    assertEquals(Duration.ofSeconds(60), p.restartWindow());
    assertNull(p.envFile());
  }

  @Test
  void oldConstructor_fillsTheDefaults_andEqualsTheLoadedSpec() throws ConfigException {
    ProcessSpec old =
        ExpectedSpecs.spec(
            "a",
            "x",
            List.of(),
            Map.of(),
            null,
            Duration.ofSeconds(1),
            Duration.ofSeconds(64),
            Duration.ofSeconds(10),
            Set.of(),
            true,
            Signal.INT);
    assertEquals(
        new ProcessSpec(
            "a",
            "x",
            List.of(),
            Map.of(),
            null,
            Duration.ofSeconds(1),
            Duration.ofSeconds(64),
            Duration.ofSeconds(10),
            Set.of(),
            true,
            Signal.INT,
            List.of(),
            null,
            false,
            0,
            Duration.ofSeconds(60),
            null,
            KillMode.TREE),
        old);
    assertEquals(old, valid("args: []"));
  }

  @Test
  void nullValues_meanNotGiven() throws ConfigException {
    assertEquals(
        valid("args: []"),
        valid("dependsOn: ~, ready: ~, essential: ~, maxRestarts: ~, envFile: ~"));
  }

  @ParameterizedTest
  @CsvSource({"true, true", "yes, true", "On, true", "false, false", "no, false"})
  void essential_yaml11Booleans(String text, boolean expected) throws ConfigException {
    assertEquals(expected, valid("essential: " + text).essential());
  }

  @Test
  void essential_notABoolean() {
    assertEquals(
        List.of("processes[0].essential: must be true or false, was \"always\""),
        problemsOf("essential: always"));
  }

  @Test
  void maxRestarts_withAndWithoutWindow() throws ConfigException {
    ProcessSpec p = valid("maxRestarts: 3");
    assertEquals(3, p.maxRestarts());
    assertEquals(Duration.ofSeconds(60), p.restartWindow());
    p = valid("maxRestarts: 3, restartWindow: 5m");
    assertEquals(Duration.ofMinutes(5), p.restartWindow());
    assertEquals(0, valid("maxRestarts: 0").maxRestarts());
  }

  @Test
  void maxRestarts_mustBeAnIntegerAtLeastZero() {
    assertEquals(
        List.of("processes[0].maxRestarts: must be an integer >= 0 (0: never give up), was \"-1\""),
        problemsOf("maxRestarts: -1"));
    assertEquals(
        List.of(
            "processes[0].maxRestarts: must be an integer >= 0 (0: never give up), was \"many\""),
        problemsOf("maxRestarts: many"));
  }

  @Test
  void restartWindow_withoutMaxRestarts() {
    assertEquals(
        List.of("processes[0].restartWindow: only applies with maxRestarts, which is not set"),
        problemsOf("restartWindow: 5m"));
    assertEquals(
        List.of("processes[0].restartWindow: only applies with maxRestarts, which is not set"),
        problemsOf("maxRestarts: ~, restartWindow: 5m"));
    assertEquals(
        List.of(
            "processes[0].restartWindow: only applies with maxRestarts > 0, was maxRestarts: 0 "
                + "(never give up)"),
        problemsOf("maxRestarts: 0, restartWindow: 5m"));
  }

  @Test
  void restartWindow_isNotReportedAgainWhenMaxRestartsIsBad() {
    assertEquals(
        List.of("processes[0].maxRestarts: must be an integer >= 0 (0: never give up), was \"x\""),
        problemsOf("maxRestarts: x, restartWindow: 5m"));
  }

  @Test
  void restartWindow_mustBePositive() {
    assertEquals(
        List.of("processes[0].restartWindow: must be > 0, was 0s"),
        problemsOf("maxRestarts: 3, restartWindow: 0s"));
    assertEquals(
        List.of("processes[0].restartWindow: must not be negative, was -1m0s"),
        problemsOf("maxRestarts: 3, restartWindow: -1m"));
    assertEquals(
        List.of("processes[0].restartWindow: missing unit in \"60\", add a unit, e.g. 60s or 60ms"),
        problemsOf("maxRestarts: 3, restartWindow: 60"));
  }

  @Test
  void envFile_isOnlyAPath_notReadAtLoad() throws ConfigException {
    assertEquals(Path.of("/does/not/exist.env"), valid("envFile: /does/not/exist.env").envFile());
    assertEquals(Path.of("conf/app.env"), valid("envFile: conf/app.env").envFile());
  }

  @Test
  void envFile_problems() {
    assertEquals(
        List.of("processes[0].envFile: must be a file path, was \"\""), problemsOf("envFile: ''"));
    assertEquals(
        List.of("processes[0].envFile: must be a file path, was \"  \""),
        problemsOf("envFile: '  '"));
    assertEquals(
        List.of("processes[0].envFile: must be a file path, was a list"),
        problemsOf("envFile: [a, b]"));
    assertEquals(
        List.of("processes[0].envFile: must not contain a NUL character, was \"a\\u0000\""),
        problemsOf("envFile: \"a\\0\""));
  }

  @Test
  void unknownKey_hintsKnowTheNewKeys() {
    assertEquals(
        List.of("processes[0].depends_on: unknown key, did you mean 'dependsOn'?"),
        problemsOf("depends_on: [b]"));
    assertEquals(
        List.of("processes[0].Ready: unknown key, did you mean 'ready'?"),
        problemsOf("Ready: {port: 1}"));
    assertEquals(
        List.of("processes[0].esential: unknown key, did you mean 'essential'?"),
        problemsOf("esential: true"));
    assertEquals(
        List.of("processes[0].maxRestart: unknown key, did you mean 'maxRestarts'?"),
        problemsOf("maxRestart: 3"));
    assertEquals(
        List.of("processes[0].restartWindows: unknown key, did you mean 'restartWindow'?"),
        problemsOf("restartWindows: 1m"));
    assertEquals(
        List.of("processes[0].env_file: unknown key, did you mean 'envFile'?"),
        problemsOf("env_file: .env"));
  }

  @Test
  void equality_withEqualRegexes_soThatReloadSeesNoChange() throws ConfigException {
    String keys =
        "dependsOn: [], ready: {log: 'up (\\d+)'}, essential: true, maxRestarts: 2, envFile: a.env";
    ProcessSpec first = valid(keys);
    ProcessSpec second = valid(keys);
    assertEquals(first, second);
    assertEquals(first.hashCode(), second.hashCode());
    assertNotEquals(first, valid(keys.replace("up (", "Up (")));
    assertNotEquals(first, valid(keys.replace("maxRestarts: 2", "maxRestarts: 3")));
    assertNotEquals(first, valid(keys.replace("a.env", "b.env")));
  }

  @Test
  void testBuilder_setsEveryNewField() {
    Readiness ready = Readiness.log(Pattern.compile("up"), Duration.ofSeconds(5));
    ProcessSpec p =
        Specs.program("a", "x")
            .dependsOn("b", "c")
            .ready(ready)
            .essential(true)
            .maxRestarts(4, Duration.ofMinutes(2))
            .envFile(Path.of("a.env"))
            .build();
    assertEquals(
        new ProcessSpec(
            "a",
            "x",
            List.of(),
            Map.of(),
            null,
            Duration.ofSeconds(1),
            Duration.ofSeconds(64),
            Duration.ofSeconds(10),
            Set.of(),
            true,
            Signal.INT,
            List.of("b", "c"),
            ready,
            true,
            4,
            Duration.ofMinutes(2),
            Path.of("a.env"),
            KillMode.TREE),
        p);
    assertEquals(
        ExpectedSpecs.spec(
            "a",
            "x",
            List.of(),
            Map.of(),
            null,
            Duration.ofSeconds(1),
            Duration.ofSeconds(64),
            Duration.ofSeconds(10),
            Set.of(),
            true,
            Signal.INT),
        Specs.program("a", "x").build());
  }

  @Test
  void record_copiesDependsOn_andRejectsANegativeLimit() {
    ArrayList<String> names = new ArrayList<>(List.of("b"));
    ProcessSpec p = Specs.program("a", "x").dependsOn("b").build();
    assertThrows(UnsupportedOperationException.class, () -> p.dependsOn().add("c"));
    ProcessSpec q =
        new ProcessSpec(
            "a",
            "x",
            List.of(),
            Map.of(),
            null,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Set.of(),
            true,
            Signal.INT,
            names,
            null,
            false,
            0,
            Duration.ofSeconds(1),
            null,
            KillMode.TREE);
    names.add("c");
    assertEquals(List.of("b"), q.dependsOn());
    assertThrows(
        IllegalArgumentException.class,
        () -> Specs.program("a", "x").maxRestarts(-1, Duration.ofSeconds(1)).build());
  }
}
