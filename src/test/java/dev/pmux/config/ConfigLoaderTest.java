package dev.pmux.config;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading files and YAML: valid configs, defaults, verbatim values, syntax and file errors. */
class ConfigLoaderTest {
  private static final Path SOURCE = Path.of("pmux.yml");

  @TempDir Path tmp;

  static String resource(String name) {
    try (InputStream in = ConfigLoaderTest.class.getResourceAsStream(name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<String> problems(String yaml) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, SOURCE)).problems();
  }

  @Test
  void goToolExample_loadsUnchanged() throws Exception {
    PmuxConfig config = ConfigLoader.parse(resource("go-example.yml"), SOURCE);

    assertEquals(SOURCE, config.source());
    assertNull(config.timeFormat());
    assertNull(config.timeFormatter());
    assertEquals(200, config.tailLines());
    assertEquals(Optional.empty(), config.jmx());
    assertEquals(
        List.of(
            ExpectedSpecs.spec(
                "pinger",
                "/bin/bash",
                List.of("-c", "while ping -c1 $TARGET; do sleep 1; done"),
                Map.of("TARGET", "example.com"),
                Path.of("/tmp"),
                Duration.ofSeconds(1),
                Duration.ofSeconds(64),
                Duration.ofSeconds(10),
                Set.of(),
                true,
                Signal.INT),
            ExpectedSpecs.spec(
                "stubborn-pinger",
                "/bin/bash",
                List.of(
                    "-c",
                    """
                    trap "echo 'i will never stop, you will have to SIGKILL me!' >&2" SIGINT
                    while ping -c1 example.com; do sleep 1; done
                    """),
                Map.of(),
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(64),
                Duration.ofSeconds(1),
                Set.of(),
                true,
                Signal.INT)),
        config.processes());
  }

  @Test
  void fullConfig_everyKeyRead() throws Exception {
    Path file = tmp.resolve("full.yml");
    Files.writeString(file, resource("full.yml"));

    PmuxConfig config = ConfigLoader.load(file);

    assertEquals(file, config.source());
    assertEquals("2006-01-02T15:04:05.000Z07:00", config.timeFormat());
    assertEquals(
        "2024-05-01T10:20:30.123Z",
        requireNonNull(config.timeFormatter())
            .format(ZonedDateTime.of(2024, 5, 1, 10, 20, 30, 123_000_000, ZoneOffset.UTC)));
    assertEquals(50, config.tailLines());
    assertEquals(
        Optional.of(
            new JmxSpec(
                "0.0.0.0",
                9010,
                Path.of("/etc/pmux/jmxremote.password"),
                Path.of("/etc/pmux/jmxremote.access"),
                true,
                new SslSpec(Path.of("/etc/pmux/keystore.p12"), "s3cret", "JKS", true))),
        config.jmx());

    ProcessSpec web = config.processes().get(0);
    assertEquals("web", web.name());
    assertEquals("./bin/server", web.cmd());
    assertEquals(
        List.of("--port", "8080", "0755", "${HOME}", "$TARGET", "1e3", "yes", "~/x"), web.args());
    assertEquals(
        List.of("TARGET", "MODE", "EMPTY", "HOME_REF", "java.opts"),
        List.copyOf(web.env().keySet()));
    assertEquals(
        List.of("example.com", "0755", "", "${HOME}", "-Xmx1g"), List.copyOf(web.env().values()));
    assertEquals(Path.of("/srv/web"), web.dir());
    assertEquals(Duration.ofMillis(500), web.minWait());
    assertEquals(Duration.ofMinutes(2), web.maxWait());
    assertEquals(Duration.ofMillis(1500), web.sigKillWait());
    assertEquals(List.of(0, 3, 143), List.copyOf(web.noRestartOn()));
    assertEquals(false, web.autostart());
    assertEquals(Signal.TERM, web.stopSignal());

    assertEquals(List.of(), web.dependsOn());
    assertNull(web.ready());
    assertEquals(false, web.essential());
    assertEquals(0, web.maxRestarts());
    assertNull(web.envFile());

    ProcessSpec worker = config.processes().get(1);
    assertEquals(Set.of(2), worker.noRestartOn());
    assertEquals(Signal.USR1, worker.stopSignal());
    assertEquals(List.of("web"), worker.dependsOn());
    assertEquals(
        Readiness.log(Pattern.compile("^worker ready( in \\d+ms)?$"), Duration.ofMinutes(2)),
        worker.ready());
    assertTrue(requireNonNull(worker.ready()).matchesLine("worker ready in 35ms"));
    assertEquals(true, worker.essential());
    assertEquals(5, worker.maxRestarts());
    assertEquals(Duration.ofMinutes(10), worker.restartWindow());
    assertEquals(Path.of("./worker.env"), worker.envFile());

    assertEquals(Readiness.port(5432, Duration.ofSeconds(60)), config.processes().get(2).ready());
    ProcessSpec migrate = config.processes().get(3);
    assertEquals(List.of("db"), migrate.dependsOn());
    assertEquals(
        Readiness.exec(List.of("pg_isready", "-h", "127.0.0.1"), Duration.ofSeconds(30)),
        migrate.ready());
    ProcessSpec cache = config.processes().get(4);
    assertEquals(List.of("db", "migrate"), cache.dependsOn());
    assertEquals(Readiness.after(Duration.ofMillis(1500), Duration.ofSeconds(60)), cache.ready());
  }

  @Test
  void minimalProcess_getsEveryDefault() throws Exception {
    PmuxConfig config = ConfigLoader.parse("processes:\n  - name: a\n    cmd: sleep\n", SOURCE);

    assertEquals(
        new PmuxConfig(
            SOURCE,
            null,
            null,
            List.of(
                ExpectedSpecs.spec(
                    "a",
                    "sleep",
                    List.of(),
                    Map.of(),
                    null,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(64),
                    Duration.ofSeconds(10),
                    Set.of(),
                    true,
                    Signal.INT)),
            200,
            Optional.empty()),
        config);
  }

  @Test
  void zeroDurations_meanTheDefault_asGosWithDefaults() throws Exception {
    ProcessSpec p =
        ConfigLoader.parse(
                """
        processes:
          - {name: a, cmd: x, minWait: 0, maxWait: 0s, sigKillWait: 0ms}
        """,
                SOURCE)
            .processes()
            .get(0);
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(64), Duration.ofSeconds(10)),
        List.of(p.minWait(), p.maxWait(), p.sigKillWait()));
  }

  @Test
  void nullValues_meanNotGiven() throws Exception {
    ProcessSpec p =
        ConfigLoader.parse(
                """
        timeFormat: ""
        processes:
          - name: a
            cmd: x
            args:
            env: ~
            dir: ""
            minWait: null
            autostart:
            stopSignal: ~
        """,
                SOURCE)
            .processes()
            .get(0);
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
        p);
  }

  @Test
  void argsAndEnv_passVerbatim_noInterpolationNoTypeGuessing() throws Exception {
    ProcessSpec p =
        ConfigLoader.parse(
                """
        processes:
          - name: a
            cmd: ${HOME}/bin/x
            args:
              - ${HOME}
              - $TARGET
              - "${env:HOME}"
              - ${sys:user.name}
              - 0755
              - 0x1F
              - 1e3
              - yes
              - no
              - on
              - true
              - ~/x
              - a,b
              - 1_000
              - .inf
              - 2001-12-14
              - "  spaced  "
              - =
            env:
              A: ${HOME}
              B: 0755
              C: yes
              D: 1.50
              E.F: x
        """,
                SOURCE)
            .processes()
            .get(0);
    assertEquals("${HOME}/bin/x", p.cmd());
    assertEquals(
        List.of(
            "${HOME}",
            "$TARGET",
            "${env:HOME}",
            "${sys:user.name}",
            "0755",
            "0x1F",
            "1e3",
            "yes",
            "no",
            "on",
            "true",
            "~/x",
            "a,b",
            "1_000",
            ".inf",
            "2001-12-14",
            "  spaced  ",
            "="),
        p.args());
    assertEquals(Map.of("A", "${HOME}", "B", "0755", "C", "yes", "D", "1.50", "E.F", "x"), p.env());
  }

  @Test
  void singleScalarArgs_isOneArgument() throws Exception {
    assertEquals(
        List.of("-v"),
        ConfigLoader.parse("processes: [{name: a, cmd: x, args: -v}]", SOURCE)
            .processes()
            .get(0)
            .args());
  }

  @Test
  void nullInsideArgs_isAnEmptyArgument_asInYamlV2() throws Exception {
    assertEquals(
        List.of("a", ""),
        ConfigLoader.parse("processes: [{name: a, cmd: x, args: [a, ~]}]", SOURCE)
            .processes()
            .get(0)
            .args());
  }

  @Test
  void anchorsAliasesAndMergeKeys_work_andSharedValuesAreNotLost() throws Exception {
    PmuxConfig config =
        ConfigLoader.parse(
            """
        processes:
          - &base
            name: a
            cmd: x
            env: &env {K: v}
            args: &args [--flag]
          - <<: *base
            name: b
            env: *env
            args: *args
        """,
            SOURCE);
    ProcessSpec a = config.processes().get(0);
    ProcessSpec b = config.processes().get(1);
    assertEquals("x", b.cmd());
    assertEquals(a.env(), b.env());
    assertEquals(List.of("--flag"), b.args());
  }

  @Test
  void yamlSyntaxError_namesFileLineAndColumn() {
    assertEquals(
        List.of("pmux.yml:3:11: mapping values are not allowed here"),
        problems("processes:\n  - name: a\n    cmd: x: y\n"));
  }

  @Test
  void tabIndentation_namesFileLineAndColumn() {
    List<String> problems = problems("processes:\n\t- name: a\n");
    assertEquals(1, problems.size());
    assertTrue(
        problems
            .get(0)
            .startsWith("pmux.yml:2:1: found character '\\t(TAB)' that cannot start any token"),
        problems.get(0));
  }

  @Test
  void duplicateKeys_areRejectedWithTheirPosition() {
    assertEquals(
        List.of(
            "pmux.yml:4:5: found duplicate key cmd (while constructing a mapping at line 2, column 5)"),
        problems("processes:\n  - name: a\n    cmd: x\n    cmd: y\n"));
  }

  @Test
  void aliasBomb_isRejectedBeforeExpansion() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    List<String> problems = problems(yaml.toString());
    assertEquals(1, problems.size());
    assertEquals(
        "pmux.yml: Number of aliases for non-scalar nodes exceeds the specified max=50",
        problems.get(0));
  }

  @Test
  void explicitTagWithBadValue_isAClearError() {
    assertEquals(
        List.of(
            "pmux.yml: a value with an explicit tag such as !!int cannot be read: "
                + "For input string: \"abc\""),
        problems("processes: [{name: a, cmd: x, noRestartOn: [!!int abc]}]"));
  }

  @Test
  void deepNesting_isRejected() {
    String yaml = "processes: " + "[".repeat(100) + "]".repeat(100);
    assertEquals(1, problems(yaml).size());
  }

  @Test
  void selfContainingAlias_isRejected() {
    List<String> problems = problems("processes: &p [{name: a, cmd: x, args: *p}]\n");
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("pmux.yml: "), problems.get(0));
  }

  @Test
  void nestedList_isRejected() {
    assertEquals(
        List.of("pmux.yml: processes[0].args[0]: a list inside a list is not supported"),
        problems("processes:\n  - name: a\n    cmd: x\n    args: [[a, b]]\n"));
  }

  @Test
  void arbitraryTags_areRejected() {
    List<String> problems = problems("processes: !!javax.script.ScriptEngineManager [x]\n");
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("pmux.yml:1:12: "), problems.get(0));
  }

  @Test
  void emptyFile_isAClearError() {
    assertEquals(
        List.of("pmux.yml: the file is empty, expected a mapping with at least 'processes'"),
        problems(""));
    assertEquals(
        List.of("pmux.yml: the file is empty, expected a mapping with at least 'processes'"),
        problems("# only a comment\n"));
  }

  @Test
  void topLevelScalarOrList_isAClearError() {
    assertEquals(
        List.of(
            "pmux.yml: the top level must be a mapping with at least 'processes', was a single value"),
        problems("hello\n"));
    assertEquals(
        List.of("pmux.yml: the top level must be a mapping with at least 'processes', was a list"),
        problems("- name: a\n  cmd: x\n"));
  }

  @Test
  void missingFile_namesTheFile() {
    Path file = tmp.resolve("nope.yml");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(List.of(file + ": no such file"), e.problems());
    assertEquals(
        "invalid configuration " + file + ":\n  " + file + ": no such file", e.getMessage());
  }

  @Test
  void directory_namesTheFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(tmp));
    assertEquals(List.of(tmp + ": is a directory, expected a YAML file"), e.problems());
  }

  @Test
  void notUtf8_namesTheFileAndOffset() throws IOException {
    Path file = tmp.resolve("latin1.yml");
    Files.write(
        file, "processes: [{name: caf\u00e9, cmd: x}]".getBytes(StandardCharsets.ISO_8859_1));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(List.of(file + ": not valid UTF-8 (first bad byte at offset 22)"), e.problems());
  }

  @Test
  void utf8WithByteOrderMark_loads() throws Exception {
    Path file = tmp.resolve("bom.yml");
    Files.writeString(file, "\ufeffprocesses: [{name: caf\u00e9, cmd: x}]");
    assertEquals("caf\u00e9", ConfigLoader.load(file).processes().get(0).name());
  }

  @Test
  void message_listsFileThenEveryProblemOnItsOwnLine() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.parse("processes:\n  - name: a\n  - cmd: x\n", SOURCE));
    assertEquals(
        """
        invalid configuration pmux.yml:
          processes[0].cmd: required, the program to run
          processes[1].name: required, a unique name for the process""",
        e.getMessage());
  }

  @Test
  void sslPassword_isMaskedInToString() {
    SslSpec ssl = new SslSpec(Path.of("k.p12"), "s3cret", "PKCS12", false);
    assertTrue(ssl.toString().contains("keyStorePassword=***"), ssl.toString());
    assertTrue(!ssl.toString().contains("s3cret"));
  }

  @Test
  void records_areImmutableCopies() {
    ArrayList<String> args = new ArrayList<>(List.of("a"));
    ProcessSpec p =
        ExpectedSpecs.spec(
            "a",
            "x",
            args,
            Map.of(),
            null,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            Set.of(),
            true,
            Signal.INT);
    args.add("b");
    assertEquals(List.of("a"), p.args());
    assertThrows(UnsupportedOperationException.class, () -> p.args().add("c"));
    assertThrows(UnsupportedOperationException.class, () -> p.env().put("k", "v"));
    assertThrows(UnsupportedOperationException.class, () -> p.noRestartOn().add(1));
  }
}
