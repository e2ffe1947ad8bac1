package dev.pmux.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmux.config.JmxSpec;
import dev.pmux.config.SslSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The remote connector over TLS, with a key store made for the test by keytool. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
// Its clients connect to the test's own connector, which is what pmux ctl does through JNDI.
@SuppressWarnings("BanJNDI")
class JmxSslIT {
  @TempDir Path tmp;

  @Test
  @SuppressWarnings("try") // the connector only has to be open while the client connects
  void tlsConnectorServesClientsThatTrustItsCertificate() throws Exception {
    Path keyStore = tmp.resolve("pmux.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit",
                "-alias",
                "pmux",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=127.0.0.1",
                "-validity",
                "2")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor()).isZero();

    // The client trusts exactly this certificate; RMI's SSL sockets use the default context.
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      trusted.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
    SSLContext.setDefault(client);

    Path passwords = Files.writeString(tmp.resolve("password"), "control secret\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JmxSpec spec =
        new JmxSpec(
            "127.0.0.1",
            port,
            passwords,
            null,
            true,
            new SslSpec(keyStore, "changeit", "PKCS12", false));
    MBeanServer server = MBeanServerFactory.newMBeanServer();
    try (RemoteJmxConnector connector = RemoteJmxConnector.start(spec, server)) {
      Map<String, Object> env =
          Map.of(
              JMXConnector.CREDENTIALS,
              new String[] {"control", "secret"},
              "com.sun.jndi.rmi.factory.socket",
              new SslRMIClientSocketFactory());
      try (JMXConnector c = JMXConnectorFactory.connect(RemoteJmxConnector.address(spec), env)) {
        assertThat(
                c.getMBeanServerConnection()
                    .isRegistered(new ObjectName("JMImplementation:type=MBeanServerDelegate")))
            .isTrue();
      }
      // A client speaking plain RMI to the TLS port gets nowhere.
      assertThatThrownBy(
              () ->
                  JMXConnectorFactory.connect(
                      RemoteJmxConnector.address(spec),
                      Map.of(JMXConnector.CREDENTIALS, new String[] {"control", "secret"})))
          .isInstanceOf(IOException.class);
    }
  }
}
