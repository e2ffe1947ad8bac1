package dev.pmux.config;

import static dev.pmux.config.ConfigLoaderTest.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code processes[].dependsOn}: names that exist, no duplicates, no process waiting on itself or
 * in a cycle.
 */
class DependencyValidationTest {

  private static PmuxConfig valid(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, Path.of("pmux.yml"));
  }

  @Test
  void dependsOn_keepsTheFileOrder_andMayNameLaterProcesses() throws ConfigException {
    PmuxConfig config =
        valid(
            """
        processes:
          - {name: web, cmd: x, dependsOn: [db, cache]}
          - {name: db, cmd: x}
          - {name: cache, cmd: x, dependsOn: db}
        """);
    assertEquals(List.of("db", "cache"), config.processes().get(0).dependsOn());
    assertEquals(List.of(), config.processes().get(1).dependsOn());
    assertEquals(List.of("db"), config.processes().get(2).dependsOn());
  }

  @Test
  void dependsOn_emptyOrNull_isNone() throws ConfigException {
    PmuxConfig config =
        valid(
            "processes:\n  - {name: a, cmd: x, dependsOn: []}\n  - {name: b, cmd: x, dependsOn: }\n");
    assertEquals(List.of(), config.processes().get(0).dependsOn());
    assertEquals(List.of(), config.processes().get(1).dependsOn());
  }

  @Test
  void unknownName_withHint() {
    assertEquals(
        List.of("processes[1].dependsOn[0]: no process named \"dbx\", did you mean \"db\"?"),
        problems(
            """
        processes:
          - {name: db, cmd: x}
          - {name: web, cmd: x, dependsOn: [dbx]}
        """));
  }

  @Test
  void unknownName_hintIgnoresCase() {
    assertEquals(
        List.of("processes[1].dependsOn[1]: no process named \"DB\", did you mean \"db\"?"),
        problems(
            """
        processes:
          - {name: db, cmd: x}
          - {name: web, cmd: x, dependsOn: [db, DB]}
        """));
  }

  @Test
  void unknownName_withoutHint() {
    assertEquals(
        List.of("processes[0].dependsOn[0]: no process named \"postgres\""),
        problems(
            "processes:\n  - {name: web, cmd: x, dependsOn: [postgres]}\n  - {name: db, cmd: x}\n"));
  }

  @Test
  void nameThatIsItselfInvalid_isReportedOnlyWhereItIsDefined() {
    assertEquals(
        List.of(
            "processes[0].name: must not contain any of , = : \" * ? \\ or control characters, was "
                + "\"d:b\""),
        problems(
            "processes:\n  - {name: 'd:b', cmd: x}\n  - {name: web, cmd: x, dependsOn: ['d:b']}\n"));
  }

  @Test
  void self_isRejected() {
    assertEquals(
        List.of("processes[0].dependsOn[1]: \"a\" cannot depend on itself"),
        problems("processes:\n  - {name: a, cmd: x, dependsOn: [b, a]}\n  - {name: b, cmd: x}\n"));
  }

  @Test
  void duplicate_namesTheFirstIndex() {
    assertEquals(
        List.of("processes[0].dependsOn[2]: \"b\" is already listed at dependsOn[0]"),
        problems(
            """
            processes:
              - {name: a, cmd: x, dependsOn: [b, c, b]}
              - {name: b, cmd: x}
              - {name: c, cmd: x}
            """));
  }

  @Test
  void elementTypes() {
    assertEquals(
        List.of("processes[0].dependsOn: must be a list of process names, was a mapping"),
        problems("processes: [{name: a, cmd: x, dependsOn: {b: 1}}]"));
    assertEquals(
        List.of("processes[0].dependsOn[1]: must be a string, was a mapping"),
        problems("processes: [{name: a, cmd: x, dependsOn: [b, {c: 1}]}, {name: b, cmd: x}]"));
    assertEquals(
        List.of(
            "processes[0].dependsOn[0]: must be a process name, was empty",
            "processes[0].dependsOn[1]: must be a process name, was empty"),
        problems("processes: [{name: a, cmd: x, dependsOn: ['', ~]}]"));
  }

  @Test
  void twoCycle() {
    assertEquals(
        List.of("processes: dependency cycle a -> b -> a"),
        problems(
            """
        processes:
          - {name: a, cmd: x, dependsOn: [b]}
          - {name: b, cmd: x, dependsOn: [a]}
        """));
  }

  @Test
  void threeCycle_startsAtTheEarliestProcess() {
    assertEquals(
        List.of("processes: dependency cycle a -> b -> c -> a"),
        problems(
            """
        processes:
          - {name: a, cmd: x, dependsOn: [b]}
          - {name: b, cmd: x, dependsOn: [c]}
          - {name: c, cmd: x, dependsOn: [a]}
        """));
    assertEquals(
        List.of("processes: dependency cycle a -> c -> b -> a"),
        problems(
            """
        processes:
          - {name: a, cmd: x, dependsOn: [c]}
          - {name: b, cmd: x, dependsOn: [a]}
          - {name: c, cmd: x, dependsOn: [b]}
        """));
  }

  @Test
  void cycleBehindAValidPrefix_namesOnlyTheCycle() {
    assertEquals(
        List.of("processes: dependency cycle b -> c -> b"),
        problems(
            """
        processes:
          - {name: a, cmd: x, dependsOn: [b]}
          - {name: b, cmd: x, dependsOn: [c]}
          - {name: c, cmd: x, dependsOn: [d, b]}
          - {name: d, cmd: x}
        """));
  }

  @Test
  void twoSeparateCycles_eachReportedOnce() {
    assertEquals(
        List.of(
            "processes: dependency cycle a -> b -> a", "processes: dependency cycle c -> d -> c"),
        problems(
            """
            processes:
              - {name: a, cmd: x, dependsOn: [b]}
              - {name: b, cmd: x, dependsOn: [a]}
              - {name: c, cmd: x, dependsOn: [d]}
              - {name: d, cmd: x, dependsOn: [c]}
            """));
  }

  @Test
  void diamond_isNotACycle() throws ConfigException {
    assertEquals(
        4,
        valid(
                """
        processes:
          - {name: app, cmd: x, dependsOn: [api, worker]}
          - {name: api, cmd: x, dependsOn: [db]}
          - {name: worker, cmd: x, dependsOn: [db]}
          - {name: db, cmd: x}
        """)
            .processes()
            .size());
  }

  @Test
  void longChain_isCheckedWithoutDeepRecursion() throws ConfigException {
    StringBuilder yaml = new StringBuilder("processes:\n");
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      yaml.append("  - {name: p")
          .append(i)
          .append(", cmd: x")
          .append(i + 1 < n ? ", dependsOn: [p" + (i + 1) + "]" : "")
          .append("}\n");
    }
    assertEquals(n, valid(yaml.toString()).processes().size());
  }

  @Test
  void cycleSearch_findsBackEdgesInFileOrder() {
    assertEquals(
        List.of(List.of(0, 1, 0), List.of(1, 2, 1)),
        List.copyOf(Dependencies.cycles(Map.of(0, List.of(1), 1, List.of(0, 2), 2, List.of(1)))));
  }

  @Test
  void dependencyProblems_comeWithTheOthers() {
    assertEquals(
        List.of(
            "processes[0].minWait: missing unit in \"1\", add a unit, e.g. 1s or 1ms",
            "processes[1].dependsOn[0]: \"b\" cannot depend on itself",
            "processes[0].dependsOn[0]: no process named \"c\"",
            "processes: dependency cycle a -> b -> a"),
        problems(
            """
        processes:
          - {name: a, cmd: x, minWait: 1, dependsOn: [c, b]}
          - {name: b, cmd: x, dependsOn: [b, a]}
        """));
  }
}
