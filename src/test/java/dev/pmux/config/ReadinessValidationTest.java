package dev.pmux.config;

import static dev.pmux.config.ConfigLoaderTest.problems;
import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@code processes[].ready}: one check out of log, port, exec and after, with its timeout. */
class ReadinessValidationTest {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static List<String> problemsOf(String ready) {
    return problems("processes:\n  - {name: a, cmd: x, ready: " + ready + "}\n");
  }

  private static Readiness valid(String ready) throws ConfigException {
    return requireNonNull(readiness(ready));
  }

  private static @Nullable Readiness readiness(String ready) throws ConfigException {
    return ConfigLoader.parse(
            "processes:\n  - {name: a, cmd: x, ready: " + ready + "}\n", Path.of("pmux.yml"))
        .processes()
        .get(0)
        .ready();
  }

  @Test
  void none_byDefault() throws ConfigException {
    assertNull(readiness("~"));
    assertNull(readiness("{}"));
  }

  @Test
  void log_compiledAtLoad_andFoundAnywhereInALine() throws ConfigException {
    Readiness r = valid("{log: 'listening on :\\d+'}");
    assertEquals(Readiness.Kind.LOG, r.kind());
    assertEquals("listening on :\\d+", requireNonNull(r.log()).pattern());
    assertEquals(DEFAULT_TIMEOUT, r.timeout());
    assertTrue(r.matchesLine("2024-01-01 INFO listening on :8080 (http)"));
    assertFalse(r.matchesLine("listening on :http"));
  }

  @Test
  void log_invalidRegex_givesTheRegexError() {
    assertEquals(
        List.of(
            "processes[0].ready.log: must be a Java regular expression, was \"(ready\" "
                + "(Unclosed group near index 6)"),
        problemsOf("{log: '(ready'}"));
    assertEquals(
        List.of(
            "processes[0].ready.log: must be a Java regular expression, was \"*x\" "
                + "(Dangling meta character '*' near index 0)"),
        problemsOf("{log: '*x'}"));
  }

  @Test
  void log_empty() {
    assertEquals(List.of("processes[0].ready.log: must not be empty"), problemsOf("{log: ''}"));
    assertEquals(List.of("processes[0].ready.log: must not be empty"), problemsOf("{log: ~}"));
  }

  @Test
  void port() throws ConfigException {
    assertEquals(Readiness.port(8080, DEFAULT_TIMEOUT), valid("{port: 8080}"));
    assertEquals(Readiness.port(1, DEFAULT_TIMEOUT), valid("{port: 1}"));
    assertEquals(Readiness.port(65535, DEFAULT_TIMEOUT), valid("{port: 65535}"));
  }

  @Test
  void port_outOfRange() {
    assertEquals(
        List.of("processes[0].ready.port: must be a port number from 1 to 65535, was \"0\""),
        problemsOf("{port: 0}"));
    assertEquals(
        List.of("processes[0].ready.port: must be a port number from 1 to 65535, was \"65536\""),
        problemsOf("{port: 65536}"));
    assertEquals(
        List.of("processes[0].ready.port: must be a port number from 1 to 65535, was \"http\""),
        problemsOf("{port: http}"));
  }

  @Test
  void exec_isAVerbatimCommand() throws ConfigException {
    assertEquals(
        Readiness.exec(List.of("curl", "-fs", "$URL", ""), DEFAULT_TIMEOUT),
        valid("{exec: [curl, -fs, $URL, '']}"));
    assertEquals(Readiness.exec(List.of("./check"), DEFAULT_TIMEOUT), valid("{exec: ./check}"));
  }

  @Test
  void exec_problems() {
    assertEquals(
        List.of("processes[0].ready.exec: must not be empty, give the command and its arguments"),
        problemsOf("{exec: []}"));
    assertEquals(
        List.of(
            "processes[0].ready.exec: must be a list: the command, then its arguments, was a mapping"),
        problemsOf("{exec: {cmd: x}}"));
    assertEquals(
        List.of("processes[0].ready.exec[0]: must be the command to run, was \" \""),
        problemsOf("{exec: [' ', x]}"));
    assertEquals(
        List.of("processes[0].ready.exec[1]: must be a string, was a mapping"),
        problemsOf("{exec: [x, {a: b}]}"));
    assertEquals(
        List.of("processes[0].ready.exec[1]: must not contain a NUL character, was \"\\u0000\""),
        problemsOf("{exec: [x, \"\\0\"]}"));
  }

  @Test
  void after() throws ConfigException {
    assertEquals(Readiness.after(Duration.ofMillis(1500), DEFAULT_TIMEOUT), valid("{after: 1.5s}"));
    assertEquals(Readiness.after(Duration.ZERO, DEFAULT_TIMEOUT), valid("{after: 0s}"));
  }

  @Test
  void after_badDuration() {
    assertEquals(
        List.of("processes[0].ready.after: missing unit in \"5\", add a unit, e.g. 5s or 5ms"),
        problemsOf("{after: 5}"));
    assertEquals(
        List.of("processes[0].ready.after: must not be negative, was -1s"),
        problemsOf("{after: -1s}"));
  }

  @Test
  void after_mustBeShorterThanTheTimeout() {
    assertEquals(
        List.of(
            "processes[0].ready.after: must be shorter than timeout (1m0s, the default), was 1m0s"),
        problemsOf("{after: 60s}"));
    assertEquals(
        List.of("processes[0].ready.timeout: must be longer than after (2m0s), was 1m30s"),
        problemsOf("{after: 2m, timeout: 90s}"));
  }

  @Test
  void timeout() throws ConfigException {
    assertEquals(Readiness.port(80, Duration.ofMinutes(5)), valid("{port: 80, timeout: 5m}"));
    assertEquals(
        Readiness.after(Duration.ofMinutes(2), Duration.ofMinutes(3)),
        valid("{after: 2m, timeout: 3m}"));
  }

  @Test
  void timeout_mustBePositive() {
    assertEquals(
        List.of("processes[0].ready.timeout: must be > 0, was 0s"),
        problemsOf("{port: 80, timeout: 0s}"));
    assertEquals(
        List.of("processes[0].ready.timeout: must be > 0, was 0s"),
        problemsOf("{port: 80, timeout: 0}"));
    assertEquals(
        List.of("processes[0].ready.timeout: must not be negative, was -5s"),
        problemsOf("{port: 80, timeout: -5s}"));
    assertEquals(
        List.of("processes[0].ready.timeout: missing unit in \"30\", add a unit, e.g. 30s or 30ms"),
        problemsOf("{port: 80, timeout: 30}"));
  }

  @Test
  void noCheck_listsTheFour() {
    assertEquals(
        List.of("processes[0].ready: must have exactly one of log, port, exec, after, was none"),
        problemsOf("{timeout: 5s}"));
  }

  @Test
  void severalChecks_namesThem() {
    assertEquals(
        List.of(
            "processes[0].ready: must have exactly one of log, port, exec, after, was log and port"),
        problemsOf("{port: 80, log: up}"));
    assertEquals(
        List.of(
            "processes[0].ready: must have exactly one of log, port, exec, after, was log, exec and "
                + "after"),
        problemsOf("{log: up, exec: [x], after: 1s}"));
  }

  @Test
  void severalChecks_eachStillValidated() {
    assertEquals(
        List.of(
            "processes[0].ready.port: must be a port number from 1 to 65535, was \"0\"",
            "processes[0].ready: must have exactly one of log, port, exec, after, was port and after"),
        problemsOf("{port: 0, after: 1s}"));
  }

  @Test
  void notAMapping() {
    assertEquals(
        List.of(
            "processes[0].ready: must be a mapping with one of log, port, exec, after, was \"8080\""),
        problemsOf("8080"));
    assertEquals(
        List.of(
            "processes[0].ready: must be a mapping with one of log, port, exec, after, was a list"),
        problemsOf("[log, port]"));
  }

  @Test
  void unknownKey_withHint() {
    assertEquals(
        List.of("processes[0].ready.Port: unknown key, did you mean 'port'?"),
        problemsOf("{Port: 80}"));
    assertEquals(
        List.of("processes[0].ready.timout: unknown key, did you mean 'timeout'?"),
        problemsOf("{port: 80, timout: 5s}"));
    assertEquals(
        List.of(
            "processes[0].ready.http: unknown key, expected one of log, port, exec, after, timeout"),
        problemsOf("{http: /health}"));
  }

  @Test
  void equality_comparesTheRegexText() {
    Readiness a = Readiness.log(Pattern.compile("ready"), DEFAULT_TIMEOUT);
    Readiness b = Readiness.log(Pattern.compile("ready"), DEFAULT_TIMEOUT);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, Readiness.log(Pattern.compile("ready!"), DEFAULT_TIMEOUT));
    assertNotEquals(
        a, Readiness.log(Pattern.compile("ready", Pattern.CASE_INSENSITIVE), DEFAULT_TIMEOUT));
    assertNotEquals(a, Readiness.log(Pattern.compile("ready"), Duration.ofSeconds(61)));
    assertNotEquals(Readiness.port(80, DEFAULT_TIMEOUT), Readiness.port(81, DEFAULT_TIMEOUT));
    assertEquals(
        Readiness.exec(List.of("x"), DEFAULT_TIMEOUT),
        Readiness.exec(List.of("x"), DEFAULT_TIMEOUT));
  }

  @Test
  void factories_setOnlyTheirField() {
    Readiness port = Readiness.port(80, DEFAULT_TIMEOUT);
    assertNull(port.log());
    assertNull(port.after());
    assertEquals(List.of(), port.exec());
    assertFalse(port.matchesLine("anything"));
    assertThrows(IllegalArgumentException.class, () -> Readiness.port(0, DEFAULT_TIMEOUT));
    assertThrows(IllegalArgumentException.class, () -> Readiness.exec(List.of(), DEFAULT_TIMEOUT));
    assertThrows(
        IllegalArgumentException.class,
        () -> Readiness.after(Duration.ofSeconds(1), Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Readiness(
                Readiness.Kind.PORT, Pattern.compile("x"), 80, List.of(), null, DEFAULT_TIMEOUT));
  }
}
