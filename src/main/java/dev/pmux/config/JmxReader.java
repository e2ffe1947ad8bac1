package dev.pmux.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates the {@code jmx} section, including the rule that remote access needs
 * authentication unless it is turned off in writing.
 */
final class JmxReader {
  static final List<String> KEYS =
      List.of("host", "port", "passwordFile", "accessFile", "authenticate", "ssl");
  static final List<String> SSL_KEYS =
      List.of("keyStore", "keyStorePassword", "keyStoreType", "needClientAuth");

  private JmxReader() {}

  /**
   * The connector, or empty when there is none (no jmx section, or no port); problems are reported
   * either way.
   */
  static Optional<JmxSpec> read(@Nullable RawMapping jmx) {
    if (jmx == null) {
      return Optional.empty();
    }
    Problems problems = jmx.problems();
    int before = problems.count();
    jmx.rejectUnknownKeys(KEYS);
    String host = jmx.text("host", "a host name or address");
    if (host != null && host.isBlank()) {
      problems.add(jmx.path("host"), "must not be empty, was " + Problems.quote(host));
    }
    Integer port = jmx.integer("port", 1, 65535, "a port number from 1 to 65535");
    Path passwordFile = jmx.pathValue("passwordFile");
    Path accessFile = jmx.pathValue("accessFile");
    Boolean authenticate = jmx.bool("authenticate");
    SslSpec ssl = ssl(jmx.mapping("ssl", "a mapping with at least keyStore"));
    if (Boolean.TRUE.equals(authenticate) && passwordFile == null) {
      problems.add(
          jmx.path("authenticate"), "true needs jmx.passwordFile (a JDK jmxremote password file)");
    }
    // As the JDK's own jmxremote: a password on every address, loopback too (any local user can
    // connect to a loopback port); going without must be written down.
    if (port != null && !jmx.has("authenticate") && passwordFile == null) {
      problems.add(
          jmx.path("passwordFile"),
          "required with jmx.port: remote JMX asks for a password on every address, loopback"
              + " included; set jmx.passwordFile to a JDK jmxremote password file (chmod 600), or"
              + " set jmx.authenticate: false to let in anyone who can reach port "
              + port);
    }
    if (problems.count() > before || port == null) {
      return Optional.empty();
    }
    return Optional.of(Defaults.jmx(host, port, passwordFile, accessFile, authenticate, ssl));
  }

  private static @Nullable SslSpec ssl(@Nullable RawMapping ssl) {
    if (ssl == null) {
      return null;
    }
    Problems problems = ssl.problems();
    int before = problems.count();
    ssl.rejectUnknownKeys(SSL_KEYS);
    int beforeKeyStore = problems.count();
    Path keyStore = ssl.pathValue("keyStore");
    if (keyStore == null && problems.count() == beforeKeyStore) {
      problems.add(
          ssl.path("keyStore"),
          "required when jmx.ssl is set, the key store with pmux's certificate");
    }
    String password = ssl.text("keyStorePassword", "a string");
    String type = ssl.text("keyStoreType", "a key store type such as PKCS12 or JKS");
    if (type != null && type.isBlank()) {
      problems.add(ssl.path("keyStoreType"), "must not be empty, was " + Problems.quote(type));
    }
    Boolean needClientAuth = ssl.bool("needClientAuth");
    return problems.count() > before || keyStore == null
        ? null
        : Defaults.ssl(keyStore, password, type, needClientAuth);
  }
}
