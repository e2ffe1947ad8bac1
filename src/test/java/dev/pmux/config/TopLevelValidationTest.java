package dev.pmux.config;

import static dev.pmux.config.ConfigLoaderTest.problems;
import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules of the top-level keys and of the {@code jmx} section, with the exact messages. */
class TopLevelValidationTest {
  private static final String PROCESSES = "processes: [{name: a, cmd: x}]\n";

  private static PmuxConfig valid(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml + "\n" + PROCESSES, Path.of("pmux.yml"));
  }

  private static List<String> problemsOf(String yaml) {
    return problems(yaml + "\n" + PROCESSES);
  }

  @Test
  void unknownTopLevelKey_withHint() {
    assertEquals(
        List.of(
            "process: unknown key, did you mean 'processes'?",
            "processes: required, a list with at least one process (name, cmd, ...)"),
        problems("process:\n  - {name: a, cmd: x}\n"));
    assertEquals(
        List.of("timeformat: unknown key, did you mean 'timeFormat'?"),
        problemsOf("timeformat: Kitchen"));
    assertEquals(
        List.of("tail_lines: unknown key, did you mean 'tailLines'?"), problemsOf("tail_lines: 5"));
  }

  @Test
  void unknownTopLevelKey_withoutHint() {
    assertEquals(
        List.of("logging: unknown key, expected one of timeFormat, processes, jmx, tailLines"),
        problemsOf("logging: {level: debug}"));
  }

  @Test
  void unknownKeyWithAnOddName_isQuotedInItsPath() {
    assertEquals(
        List.of("\"a b\": unknown key, expected one of timeFormat, processes, jmx, tailLines"),
        problemsOf("a b: 1"));
  }

  @Test
  void timeFormat_translatedAtLoad() throws ConfigException {
    PmuxConfig config = valid("timeFormat: RFC3339");
    assertEquals("RFC3339", config.timeFormat());
    assertEquals(
        "1970-01-01T00:00:00Z",
        requireNonNull(config.timeFormatter()).format(Instant.EPOCH.atZone(ZoneOffset.UTC)));
  }

  @Test
  void timeFormat_empty_meansNoTimestamps() throws ConfigException {
    PmuxConfig config = valid("timeFormat: ''");
    assertNull(config.timeFormat());
    assertNull(config.timeFormatter());
  }

  @Test
  void timeFormat_unusable() {
    assertEquals(
        List.of(
            "timeFormat: layout \"yyyy-MM-dd HH:mm:ss\" has no date or time element; Go layouts "
                + "spell the reference time Mon Jan 2 15:04:05 MST 2006, e.g. 2006-01-02 15:04:05.000 (not yyyy-MM-dd or "
                + "%Y-%m-%d)"),
        problemsOf("timeFormat: yyyy-MM-dd HH:mm:ss"));
  }

  @Test
  void tailLines_defaultAndRules() throws ConfigException {
    assertEquals(200, valid("").tailLines());
    assertEquals(0, valid("tailLines: 0").tailLines());
    assertEquals(
        List.of("tailLines: must be an integer >= 0, was \"-1\""), problemsOf("tailLines: -1"));
    assertEquals(
        List.of("tailLines: must be an integer >= 0, was \"lots\""), problemsOf("tailLines: lots"));
    assertEquals(
        List.of("tailLines: must be an integer >= 0, was \"99999999999\""),
        problemsOf("tailLines: 99999999999"));
  }

  @Test
  void jmx_absentOrWithoutPort_meansNoConnector() throws ConfigException {
    assertEquals(Optional.empty(), valid("").jmx());
    assertEquals(Optional.empty(), valid("jmx: {host: localhost}").jmx());
  }

  @Test
  void jmx_withoutPort_isStillValidated() {
    assertEquals(
        List.of("jmx.prot: unknown key, did you mean 'port'?"), problemsOf("jmx: {prot: 9010}"));
  }

  @Test
  void jmx_defaults() throws ConfigException {
    assertEquals(
        Optional.of(new JmxSpec("127.0.0.1", 9010, Path.of("pw"), null, true, null)),
        valid("jmx: {port: 9010, passwordFile: pw}").jmx());
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "pmux.example.com"})
  void jmx_withoutPasswordFile_isRefusedOnEveryAddressLoopbackIncluded(String host) {
    assertEquals(
        List.of(
            "jmx.passwordFile: required with jmx.port: remote JMX asks for a password on every"
                + " address, loopback included; set jmx.passwordFile to a JDK jmxremote password"
                + " file (chmod 600), or set jmx.authenticate: false to let in anyone who can"
                + " reach port 9010"),
        problemsOf("jmx: {host: \"" + host + "\", port: 9010}"));
  }

  @Test
  void jmx_loopbackExplicitlyUnauthenticated() throws ConfigException {
    assertEquals(
        Optional.of(new JmxSpec("127.0.0.1", 9010, null, null, false, null)),
        valid("jmx: {port: 9010, authenticate: false}").jmx());
  }

  @Test
  void jmx_passwordFile_turnsAuthenticationOn() throws ConfigException {
    assertEquals(
        Optional.of(new JmxSpec("127.0.0.1", 9010, Path.of("pw"), null, true, null)),
        valid("jmx: {port: 9010, passwordFile: pw}").jmx());
  }

  @Test
  void jmx_notAMapping() {
    assertEquals(
        List.of("jmx: must be a mapping with at least port, was \"9010\""),
        problemsOf("jmx: 9010"));
  }

  @ParameterizedTest
  @CsvSource({"0", "65536", "-1", "http", "9010.5"})
  void jmx_portOutOfRange(String port) {
    assertEquals(
        List.of("jmx.port: must be a port number from 1 to 65535, was \"" + port + "\""),
        problemsOf("jmx: {port: \"" + port + "\"}"));
  }

  @Test
  void jmx_authenticateWithoutPasswordFile() {
    assertEquals(
        List.of("jmx.authenticate: true needs jmx.passwordFile (a JDK jmxremote password file)"),
        problemsOf("jmx: {port: 9010, authenticate: true}"));
  }

  @Test
  void jmx_nonLoopbackHost_explicitlyUnauthenticated() throws ConfigException {
    assertEquals(
        Optional.of(new JmxSpec("10.1.2.3", 9010, null, null, false, null)),
        valid("jmx: {host: 10.1.2.3, port: 9010, authenticate: false}").jmx());
  }

  @Test
  void jmx_nonLoopbackHost_withPasswordFile() throws ConfigException {
    assertEquals(
        Optional.of(
            new JmxSpec(
                "pmux.example.com", 9010, Path.of("/etc/pw"), Path.of("/etc/acc"), true, null)),
        valid(
                "jmx: {host: pmux.example.com, port: 9010, passwordFile: /etc/pw, accessFile: /etc/acc}")
            .jmx());
  }

  @Test
  void ssl_defaults() throws ConfigException {
    assertEquals(
        new SslSpec(Path.of("ks.p12"), null, "PKCS12", false),
        valid("jmx: {port: 9010, passwordFile: pw, ssl: {keyStore: ks.p12}}")
            .jmx()
            .orElseThrow()
            .ssl());
  }

  @Test
  void ssl_keyStoreRequired_andUnknownKeysHinted() {
    assertEquals(
        List.of(
            "jmx.ssl.keystorePassword: unknown key, did you mean 'keyStorePassword'?",
            "jmx.ssl.keyStore: required when jmx.ssl is set, the key store with pmux's certificate"),
        problemsOf("jmx: {port: 9010, passwordFile: pw, ssl: {keystorePassword: x}}"));
  }

  @Test
  void ssl_notAMapping() {
    assertEquals(
        List.of("jmx.ssl: must be a mapping with at least keyStore, was \"true\""),
        problemsOf("jmx: {port: 9010, passwordFile: pw, ssl: true}"));
  }

  @Test
  void jmx_booleansAreChecked() {
    assertEquals(
        List.of("jmx.authenticate: must be true or false, was \"sometimes\""),
        problemsOf("jmx: {port: 9010, authenticate: sometimes}"));
  }
}
