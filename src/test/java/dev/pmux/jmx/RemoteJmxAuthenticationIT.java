package dev.pmux.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote JMX asks for a password on loopback too (every local user can reach a loopback port),
 * through the real pmux: no password file is a config error, {@code authenticate: false} is allowed
 * with a warning at every start, and problems with the files named exit 2 like any config problem.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
// Its clients connect to the test's own connector, which is what pmux ctl does through JNDI.
@SuppressWarnings("BanJNDI")
class RemoteJmxAuthenticationIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private PmuxProcess pmux(String jmx) throws IOException {
    Path config =
        Files.writeString(
            tmp.resolve("pmux.yml"),
            "jmx: " + jmx + "\nprocesses:\n  - {name: sleeper, cmd: sleep, args: [\"1000\"]}\n");
    return PmuxProcess.start(config, leaks.environment(), tmp);
  }

  private static JMXServiceURL url(int port) throws IOException {
    return new JMXServiceURL(
        "service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
  }

  private Path passwordFile(String permissions) throws IOException {
    Path file = Files.writeString(tmp.resolve("jmxremote.password"), "control s3cret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  @Test
  void aPortWithoutPasswordFileOnLoopback_isRefused() throws Exception {
    try (PmuxProcess pmux = pmux("{host: 127.0.0.1, port: " + freePort() + "}")) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
      assertThat(pmux.stderr())
          .contains(
              "jmx.passwordFile: required with jmx.port: remote JMX asks for a password on every"
                  + " address, loopback included;")
          .contains("or set jmx.authenticate: false");
      assertThat(pmux.stdout()).isEmpty();
    }
  }

  @Test
  void withAPasswordFile_aClientWithoutCredentialsIsRefusedOnLoopback() throws Exception {
    int port = freePort();
    Path passwords = passwordFile("rw-------");
    try (PmuxProcess pmux = pmux("{port: " + port + ", passwordFile: " + passwords + "}")) {
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptionsInstanceOf(IOException.class)
          .untilAsserted(
              () -> {
                try (JMXConnector c =
                    JMXConnectorFactory.connect(
                        url(port),
                        Map.of(JMXConnector.CREDENTIALS, new String[] {"control", "s3cret"}))) {
                  assertThat(c.getMBeanServerConnection().getMBeanCount()).isPositive();
                }
              });
      assertThatThrownBy(() -> JMXConnectorFactory.connect(url(port)).close())
          .isInstanceOf(SecurityException.class);
      pmux.signal("INT");
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isZero();
    }
  }

  @Test
  void authenticateFalse_isAllowedOnLoopbackWithAWarningAtEveryStart() throws Exception {
    int port = freePort();
    try (PmuxProcess pmux = pmux("{port: " + port + ", authenticate: false}")) {
      pmux.awaitStderr(
          "JMX on 127.0.0.1:"
              + port
              + " accepts anyone who can reach it: authentication is off"
              + " (jmx.authenticate: false)",
          Duration.ofSeconds(20));
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptionsInstanceOf(IOException.class)
          .untilAsserted(
              () -> {
                try (JMXConnector c = JMXConnectorFactory.connect(url(port))) {
                  SupervisorMXBean s =
                      JMX.newMXBeanProxy(
                          c.getMBeanServerConnection(),
                          ObjectNames.supervisor(),
                          SupervisorMXBean.class);
                  assertThat(s.getProcessCount()).isEqualTo(1);
                }
              });
      pmux.signal("INT");
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isZero();
    }
  }

  @Test
  void passwordFileProblemsExitTwo() throws Exception {
    Path open = passwordFile("rw-r--r--");
    try (PmuxProcess pmux = pmux("{port: " + freePort() + ", passwordFile: " + open + "}")) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
      assertThat(pmux.stderr())
          .contains(
              "pmux: cannot start JMX: jmx.passwordFile "
                  + open
                  + " must be accessible by its owner only (chmod 600), has [GROUP_READ, OTHERS_READ]")
          .doesNotContain("\tat ");
    }
    Path missing = tmp.resolve("absent.password");
    try (PmuxProcess pmux = pmux("{port: " + freePort() + ", passwordFile: " + missing + "}")) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
      assertThat(pmux.stderr())
          .contains("pmux: cannot start JMX: jmx.passwordFile " + missing + ": no such file");
    }
  }
}
