package dev.pmux.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Every default of {@code pmux.yml}, applied in this one place once values are validated (Go's
 * withDefaults).
 */
final class Defaults {
  static final Duration MIN_WAIT = Duration.ofSeconds(1);
  static final Duration MAX_WAIT = Duration.ofSeconds(64);
  static final Duration SIG_KILL_WAIT = Duration.ofSeconds(10);
  static final Signal STOP_SIGNAL = Signal.INT;
  static final int MAX_RESTARTS = 0;
  static final Duration RESTART_WINDOW = Duration.ofSeconds(60);
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  static final int TAIL_LINES = 200;
  static final String JMX_HOST = "127.0.0.1";
  static final String KEY_STORE_TYPE = "PKCS12";

  private Defaults() {}

  /** Null means "not given"; a zero duration means the default too, as in the Go tool. */
  static ProcessSpec process(
      String name,
      String cmd,
      @Nullable List<String> args,
      @Nullable Map<String, String> env,
      @Nullable Path dir,
      @Nullable Duration minWait,
      @Nullable Duration maxWait,
      @Nullable Duration sigKillWait,
      @Nullable Set<Integer> noRestartOn,
      @Nullable Boolean autostart,
      @Nullable Signal stopSignal,
      @Nullable List<String> dependsOn,
      @Nullable Readiness ready,
      @Nullable Boolean essential,
      @Nullable Integer maxRestarts,
      @Nullable Duration restartWindow,
      @Nullable Path envFile,
      @Nullable KillMode killMode) {
    return new ProcessSpec(
        name,
        cmd,
        args == null ? List.of() : args,
        env == null ? Map.of() : env,
        dir,
        orDefault(minWait, MIN_WAIT),
        orDefault(maxWait, MAX_WAIT),
        orDefault(sigKillWait, SIG_KILL_WAIT),
        noRestartOn == null ? Set.of() : noRestartOn,
        autostart == null || autostart,
        stopSignal == null ? STOP_SIGNAL : stopSignal,
        dependsOn == null ? List.of() : dependsOn,
        ready,
        essential != null && essential,
        maxRestarts == null ? MAX_RESTARTS : maxRestarts,
        orDefault(restartWindow, RESTART_WINDOW),
        envFile,
        killMode == null ? KillMode.TREE : killMode);
  }

  /** The timeout of a readiness check; null means not given (zero is rejected, not defaulted). */
  static Duration readyTimeout(@Nullable Duration timeout) {
    return timeout == null ? READY_TIMEOUT : timeout;
  }

  static Duration orDefault(@Nullable Duration d, Duration fallback) {
    return d == null || d.isZero() ? fallback : d;
  }

  static int tailLines(@Nullable Integer tailLines) {
    return tailLines == null ? TAIL_LINES : tailLines;
  }

  static String jmxHost(@Nullable String host) {
    return host == null ? JMX_HOST : host;
  }

  /** Authentication is on unless {@code authenticate: false} is written. */
  static boolean authenticate(@Nullable Boolean authenticate) {
    return authenticate == null || authenticate;
  }

  static JmxSpec jmx(
      @Nullable String host,
      int port,
      @Nullable Path passwordFile,
      @Nullable Path accessFile,
      @Nullable Boolean authenticate,
      @Nullable SslSpec ssl) {
    return new JmxSpec(
        jmxHost(host), port, passwordFile, accessFile, authenticate(authenticate), ssl);
  }

  static SslSpec ssl(
      Path keyStore,
      @Nullable String keyStorePassword,
      @Nullable String keyStoreType,
      @Nullable Boolean needClientAuth) {
    return new SslSpec(
        keyStore,
        keyStorePassword,
        keyStoreType == null ? KEY_STORE_TYPE : keyStoreType,
        needClientAuth != null && needClientAuth);
  }
}
