package dev.pmux.config;

import static dev.pmux.config.ConfigLoaderTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of {@code processes}, with the exact message users see. */
class ProcessValidationTest {

  /**
   * A config with one valid process "a" plus the given keys (YAML flow style, e.g. {@code minWait:
   * 10}).
   */
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
  void processes_required() {
    assertEquals(
        List.of("processes: required, a list with at least one process (name, cmd, ...)"),
        problems("tailLines: 10\n"));
  }

  @Test
  void processes_emptyList() {
    assertEquals(
        List.of("processes: must list at least one process, was empty"),
        problems("processes: []\n"));
    assertEquals(
        List.of("processes: must list at least one process, was empty"), problems("processes:\n"));
  }

  @Test
  void processes_scalar() {
    assertEquals(
        List.of("processes: must be a list of processes, was \"web\""),
        problems("processes: web\n"));
  }

  @Test
  void processes_entryThatIsNotAMapping() {
    assertEquals(
        List.of("processes[1]: must be a mapping with at least name and cmd, was \"b\""),
        problems("processes:\n  - {name: a, cmd: x}\n  - b\n"));
  }

  @Test
  void name_required() {
    assertEquals(
        List.of("processes[0].name: required, a unique name for the process"),
        problems("processes:\n  - cmd: x\n"));
  }

  @Test
  void name_empty() {
    assertEquals(
        List.of("processes[0].name: must not be empty"),
        problems("processes:\n  - {name: '', cmd: x}\n"));
  }

  @Test
  void name_atMost64Characters() throws ConfigException {
    String ok = "n".repeat(64);
    assertEquals(
        ok,
        ConfigLoader.parse("processes: [{name: " + ok + ", cmd: x}]", Path.of("p"))
            .processes()
            .get(0)
            .name());
    assertEquals(
        List.of(
            "processes[0].name: must be at most 64 characters, was 65: \"" + "n".repeat(65) + "\""),
        problems("processes: [{name: " + "n".repeat(65) + ", cmd: x}]"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a,b",
        "a=b",
        "a:b",
        "a\\\"b",
        "a*b",
        "a?b",
        "a\\\\b",
        "a\\tb",
        "a\\nb",
        "a\\u0007b",
        "a\\u202eb",
        "a\\u200bb",
        "a\\u2066b",
        "a\\ufeffb"
      })
  void name_charactersThatBreakJmxNames(String yamlEscaped) {
    List<String> problems = problems("processes: [{name: \"" + yamlEscaped + "\", cmd: x}]");
    assertEquals(1, problems.size());
    assertEquals(
        "processes[0].name: must not contain any of , = : \" * ? \\ or control characters, was ",
        problems.get(0).substring(0, problems.get(0).indexOf("was ") + 4));
  }

  @Test
  void name_bidiOverride_isRefusedAndShownEscaped() {
    assertEquals(
        List.of(
            "processes[0].name: must not contain any of , = : \" * ? \\ or control characters, "
                + "was \"web\\u202ebad\""),
        problems("processes: [{name: \"web\\u202ebad\", cmd: x}]"));
  }

  @Test
  void name_badCharacter_exactMessage() {
    assertEquals(
        List.of(
            "processes[0].name: must not contain any of , = : \" * ? \\ or control characters, "
                + "was \"web:1\""),
        problems("processes: [{name: 'web:1', cmd: x}]"));
  }

  @Test
  void name_duplicate_namesTheOtherIndex() {
    assertEquals(
        List.of("processes[2].name: must be unique, \"web\" is also the name of processes[0]"),
        problems(
            "processes:\n  - {name: web, cmd: x}\n  - {name: db, cmd: x}\n  - {name: web, cmd: y}\n"));
  }

  @Test
  void cmd_requiredAndNotEmpty() {
    assertEquals(
        List.of("processes[0].cmd: required, the program to run"),
        problems("processes: [{name: a}]"));
    assertEquals(
        List.of("processes[0].cmd: required, the program to run"),
        problems("processes: [{name: a, cmd: }]"));
    assertEquals(
        List.of("processes[0].cmd: must not be empty, was \"\""),
        problems("processes: [{name: a, cmd: ''}]"));
    assertEquals(
        List.of("processes[0].cmd: must not be empty, was \"  \""),
        problems("processes: [{name: a, cmd: '  '}]"));
  }

  @Test
  void cmd_listOrMapping() {
    assertEquals(
        List.of("processes[0].cmd: must be the program to run, was a list"),
        problems("processes: [{name: a, cmd: [x, y]}]"));
    assertEquals(
        List.of("processes[0].cmd: must be the program to run, was a mapping"),
        problems("processes: [{name: a, cmd: {x: y}}]"));
  }

  @Test
  void args_mustBeStrings() {
    assertEquals(
        List.of("processes[0].args: must be a list of strings, was a mapping"),
        problemsOf("args: {a: b}"));
    assertEquals(
        List.of("processes[0].args[1]: must be a string, was a mapping"),
        problemsOf("args: [a, {b: c}]"));
  }

  @Test
  void nulCharacter_isRejectedWhereTheOsCannotTakeIt() {
    assertEquals(
        List.of("processes[0].args[0]: must not contain a NUL character, was \"a\\u0000b\""),
        problemsOf("args: [\"a\\0b\"]"));
    assertEquals(
        List.of("processes[0].env.K: must not contain a NUL character, was \"\\u0000\""),
        problemsOf("env: {K: \"\\0\"}"));
  }

  @Test
  void env_mustBeAMappingOfStrings() {
    assertEquals(
        List.of("processes[0].env: must be a mapping of variable names to values, was a list"),
        problemsOf("env: [A, B]"));
    assertEquals(
        List.of("processes[0].env: must be a mapping of variable names to values, was \"A=1\""),
        problemsOf("env: A=1"));
    assertEquals(
        List.of("processes[0].env.A: must be a string, was a mapping"),
        problemsOf("env: {A: {B: 1}}"));
    assertEquals(
        List.of("processes[0].env.A: must be a string, was a list"),
        problemsOf("env: {A: [1, 2]}"));
  }

  @Test
  void env_namesWithoutEqualsSign() {
    assertEquals(
        List.of(
            "processes[0].env: variable names must be non-empty, without '=' or NUL, was \"A=B\""),
        problemsOf("env: {\"A=B\": x}"));
    assertEquals(
        List.of("processes[0].env: variable names must be non-empty, without '=' or NUL, was \"\""),
        problemsOf("env: {\"\": x}"));
  }

  @Test
  void dir_isNotCheckedForExistence_theGoToolReportsItAtLaunch() throws ConfigException {
    assertEquals(Path.of("/does/not/exist"), valid("dir: /does/not/exist").dir());
    assertEquals(Path.of("relative/dir"), valid("dir: relative/dir").dir());
  }

  @Test
  void duration_bareNumberSuggestsAUnit() {
    assertEquals(
        List.of("processes[0].minWait: missing unit in \"10\", add a unit, e.g. 10s or 10ms"),
        problemsOf("minWait: 10"));
    assertEquals(
        List.of(
            "processes[0].sigKillWait: missing unit in \"1.5\", add a unit, e.g. 1.5s or 1.5ms"),
        problemsOf("sigKillWait: 1.5"));
  }

  @Test
  void duration_badUnitOrText() {
    assertEquals(
        List.of(
            "processes[0].maxWait: must be a Go duration such as 300ms, 1.5s or 1m30s, was \"5d\" "
                + "(unknown unit \"d\" in duration \"5d\", expected one of ns, us, µs, ms, s, m, h)"),
        problemsOf("maxWait: 5d"));
    assertEquals(
        List.of(
            "processes[0].maxWait: must be a Go duration such as 300ms, 1.5s or 1m30s, was \"1 s\" "
                + "(unknown unit \" s\" in duration \"1 s\", expected one of ns, us, µs, ms, s, m, h)"),
        problemsOf("maxWait: 1 s"));
    assertEquals(
        List.of(
            "processes[0].minWait: must be a Go duration such as 300ms, 1.5s or 1m30s, was a list"),
        problemsOf("minWait: [1s, 2s]"));
    assertEquals(
        List.of(
            "processes[0].minWait: must be a Go duration such as 300ms, 1.5s or 1m30s, was \"abc\""),
        problemsOf("minWait: abc"));
  }

  @Test
  void duration_aboveTheBound_isRefusedNamingTheKeyAndTheMaximum() {
    assertEquals(
        List.of(
            "processes[0].sigKillWait: must be at most 24h0m0s (86400000 ms), was 2562047h0m0s"),
        problemsOf("sigKillWait: 2562047h"));
    assertEquals(
        List.of("processes[0].maxWait: must be at most 24h0m0s (86400000 ms), was 24h0m0.001s"),
        problemsOf("maxWait: 24h1ms"));
  }

  @Test
  void duration_negativeRejected() {
    assertEquals(
        List.of("processes[0].sigKillWait: must not be negative, was -1.5s"),
        problemsOf("sigKillWait: -1.5s"));
  }

  @Test
  void maxWait_belowMinWait() {
    assertEquals(
        List.of("processes[2].maxWait: must be >= minWait (1s), was 500ms"),
        problems(
            """
        processes:
          - {name: a, cmd: x}
          - {name: b, cmd: x}
          - {name: c, cmd: x, maxWait: 500ms}
        """));
  }

  @Test
  void minWait_aboveTheDefaultMaxWait_pointsAtMinWait() {
    assertEquals(
        List.of("processes[0].minWait: must be <= maxWait (1m4s, the default), was 2m0s"),
        problemsOf("minWait: 2m"));
  }

  @Test
  void minWaitEqualToMaxWait_isFine() throws ConfigException {
    ProcessSpec p = valid("minWait: 5s, maxWait: 5s");
    assertEquals(Duration.ofSeconds(5), p.minWait());
    assertEquals(Duration.ofSeconds(5), p.maxWait());
  }

  @Test
  void noRestartOn_nonInteger_namesTheIndex() {
    assertEquals(
        List.of("processes[0].noRestartOn[1]: must be an integer exit code, was \"abc\""),
        problemsOf("noRestartOn: [0, abc]"));
    assertEquals(
        List.of("processes[0].no_restart_on[0]: must be an integer exit code, was \"1.5\""),
        problemsOf("no_restart_on: [1.5]"));
  }

  @Test
  void noRestartOn_outsideExitCodeRange() {
    assertEquals(
        List.of(
            "processes[0].noRestartOn[0]: must be an exit code from 0 to 255 (or -1: any failure), was 256",
            "processes[0].noRestartOn[1]: must be an exit code from 0 to 255 (or -1: any failure), was -2"),
        problemsOf("noRestartOn: [256, -2, -1]"));
  }

  @Test
  void noRestartOn_bothSpellings() {
    assertEquals(
        List.of("processes[0].no_restart_on: conflicts with noRestartOn, give only one of them"),
        problemsOf("noRestartOn: [1], no_restart_on: [2]"));
  }

  @Test
  void noRestartOn_mapping() {
    assertEquals(
        List.of("processes[0].noRestartOn: must be a list of exit codes, was a mapping"),
        problemsOf("noRestartOn: {a: 1}"));
  }

  @ParameterizedTest
  @CsvSource({
    "true, true",
    "True, true",
    "YES, true",
    "on, true",
    "On, true",
    "false, false",
    "no, false",
    "OFF, false",
    "No, false"
  })
  void autostart_yaml11Booleans(String text, boolean expected) throws ConfigException {
    assertEquals(expected, valid("autostart: " + text).autostart());
  }

  @Test
  void autostart_notABoolean() {
    assertEquals(
        List.of("processes[0].autostart: must be true or false, was \"maybe\""),
        problemsOf("autostart: maybe"));
    assertEquals(
        List.of("processes[0].autostart: must be true or false, was \"1\""),
        problemsOf("autostart: 1"));
  }

  @ParameterizedTest
  @CsvSource({
    "TERM, TERM",
    "sigterm, TERM",
    "HUP, HUP",
    "quit, QUIT",
    "SIGUSR1, USR1",
    "usr2, USR2",
    "KILL, KILL",
    "int, INT"
  })
  void stopSignal_allowed(String text, Signal expected) throws ConfigException {
    assertEquals(expected, valid("stopSignal: " + text).stopSignal());
  }

  @Test
  void killMode_defaultsToTree() throws ConfigException {
    assertEquals(KillMode.TREE, valid("autostart: true").killMode());
  }

  @ParameterizedTest
  @CsvSource({"tree, TREE", "group, GROUP", "Group, GROUP"})
  void killMode_allowed(String text, KillMode expected) throws ConfigException {
    assertEquals(expected, valid("killMode: " + text).killMode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"process", "control-group", "mixed", "1"})
  void killMode_notAllowed(String text) {
    assertEquals(
        List.of(
            "processes[0].killMode: must be tree (every descendant) or group (the process group"
                + " only), was \""
                + text
                + "\""),
        problemsOf("killMode: \"" + text + "\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"STOP", "SIGSEGV", "15", "term!"})
  void stopSignal_notAllowed(String text) {
    assertEquals(
        List.of(
            "processes[0].stopSignal: must be one of HUP, INT, QUIT, KILL, USR1, USR2, TERM, was \""
                + text
                + "\""),
        problemsOf("stopSignal: \"" + text + "\""));
  }

  @Test
  void unknownKey_withHint() {
    assertEquals(
        List.of("processes[0].maxwait: unknown key, did you mean 'maxWait'?"),
        problemsOf("maxwait: 1s"));
    assertEquals(
        List.of("processes[0].arg: unknown key, did you mean 'args'?"), problemsOf("arg: [a]"));
    assertEquals(
        List.of("processes[0].sigkilwait: unknown key, did you mean 'sigKillWait'?"),
        problemsOf("sigkilwait: 1s"));
    assertEquals(
        List.of("processes[0].noRestartOnn: unknown key, did you mean 'noRestartOn'?"),
        problemsOf("noRestartOnn: [1]"));
  }

  @Test
  void unknownKey_withoutHint_listsTheKnownKeys() {
    assertEquals(
        List.of(
            "processes[0].restart: unknown key, expected one of name, cmd, args, env, dir, minWait, "
                + "maxWait, sigKillWait, noRestartOn, no_restart_on, autostart, stopSignal, dependsOn, ready, essential, "
                + "maxRestarts, restartWindow, envFile, killMode"),
        problemsOf("restart: always"));
  }

  @Test
  void everyProblem_isReportedAtOnce() {
    assertEquals(
        List.of(
            "processes[0].cmd: required, the program to run",
            "processes[0].minWait: missing unit in \"10\", add a unit, e.g. 10s or 10ms",
            "processes[1].colour: unknown key, expected one of name, cmd, args, env, dir, minWait, maxWait, "
                + "sigKillWait, noRestartOn, no_restart_on, autostart, stopSignal, dependsOn, ready, essential, "
                + "maxRestarts, restartWindow, envFile, killMode",
            "processes[1].name: must be unique, \"a\" is also the name of processes[0]",
            "processes[1].stopSignal: must be one of HUP, INT, QUIT, KILL, USR1, USR2, TERM, was \"STOP\"",
            "tailLines: must be an integer >= 0, was \"-1\""),
        problems(
            """
        tailLines: -1
        processes:
          - name: a
            minWait: 10
          - name: a
            cmd: x
            colour: red
            stopSignal: STOP
        """));
  }
}
