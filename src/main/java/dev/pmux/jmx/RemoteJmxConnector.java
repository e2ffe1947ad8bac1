package dev.pmux.jmx;

import dev.pmux.config.JmxSpec;
import dev.pmux.config.SslSpec;
import dev.pmux.log.Diagnostics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/**
 * pmux's own remote JMX connector: registry and RMI server on one port, bound to {@code jmx.host}
 * (loopback by default), with the JDK's password and access files and optional TLS.
 */
public final class RemoteJmxConnector implements AutoCloseable {
  private static final Set<PosixFilePermission> NOT_OWNER =
      EnumSet.complementOf(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));

  private final Registry registry;
  private final JMXConnectorServer server;

  private RemoteJmxConnector(Registry registry, JMXConnectorServer server) {
    this.registry = registry;
    this.server = server;
  }

  /** Starts the connector described by {@code spec} for {@code mbeans}. */
  public static RemoteJmxConnector start(JmxSpec spec, MBeanServer mbeans) throws IOException {
    Map<String, Object> env = new HashMap<>();
    if (spec.authenticate()) {
      // JmxSpec holds a password file whenever authentication is on.
      Path passwordFile = Objects.requireNonNull(spec.passwordFile(), "passwordFile");
      requireOwnerOnly(passwordFile);
      env.put("jmx.remote.x.password.file", passwordFile.toString());
    } else {
      // On loopback too: every local user can connect to a loopback port.
      Diagnostics.of(RemoteJmxConnector.class)
          .warn(
              "JMX on {}:{} accepts anyone who can reach it: authentication is off (jmx.authenticate: false)",
              spec.host(),
              spec.port());
    }
    Path accessFile = spec.accessFile();
    if (accessFile != null) {
      requireReadable("jmx.accessFile", accessFile);
      env.put("jmx.remote.x.access.file", accessFile.toString());
    }
    SslSpec sslSpec = spec.ssl();
    SSLContext ssl = sslSpec == null ? null : sslContext(sslSpec);
    BoundServerSocketFactory serverSockets =
        new BoundServerSocketFactory(spec.host(), ssl, sslSpec != null && sslSpec.needClientAuth());
    SslRMIClientSocketFactory clientSockets = ssl == null ? null : new SslRMIClientSocketFactory();
    env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, serverSockets);
    if (clientSockets != null) {
      env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, clientSockets);
      env.put("com.sun.jndi.rmi.factory.socket", clientSockets);
    }
    // Stubs carry this host name; without it they name the machine's address, which a
    // loopback-bound server does not listen on.
    if (System.getProperty("java.rmi.server.hostname") == null) {
      System.setProperty("java.rmi.server.hostname", spec.host());
    }
    Registry registry = LocateRegistry.createRegistry(spec.port(), clientSockets, serverSockets);
    try {
      JMXConnectorServer server =
          JMXConnectorServerFactory.newJMXConnectorServer(address(spec), env, mbeans);
      // Set before start(): the access-file controller that start() adds then sits in front of it.
      server.setMBeanServerForwarder(RemoteAccessGuard.create());
      server.start();
      return new RemoteJmxConnector(registry, server);
    } catch (IOException | RuntimeException e) {
      UnicastRemoteObject.unexportObject(registry, true);
      throw e;
    }
  }

  /** {@code service:jmx:rmi://H:P/jndi/rmi://H:P/jmxrmi}: one port for registry and server. */
  public static JMXServiceURL address(JmxSpec spec) throws IOException {
    String host = spec.host().contains(":") ? "[" + spec.host() + "]" : spec.host();
    String hostPort = host + ":" + spec.port();
    return new JMXServiceURL(
        "service:jmx:rmi://" + hostPort + "/jndi/rmi://" + hostPort + "/jmxrmi");
  }

  public JMXServiceURL address() {
    return server.getAddress();
  }

  private static void requireReadable(String key, Path file) throws JmxFileException {
    if (!Files.isRegularFile(file)) {
      throw new JmxFileException(
          key + " " + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
    }
    if (!Files.isReadable(file)) {
      throw new JmxFileException(key + " " + file + ": permission denied");
    }
  }

  private static void requireOwnerOnly(Path passwordFile) throws IOException {
    requireReadable("jmx.passwordFile", passwordFile);
    // In the enum's order, so that the message reads the same every time.
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    perms.addAll(Files.getPosixFilePermissions(passwordFile));
    perms.retainAll(NOT_OWNER);
    if (!perms.isEmpty()) {
      // The JDK's own agent refuses such files too: passwords readable by others are no secret.
      throw new JmxFileException(
          "jmx.passwordFile "
              + passwordFile
              + " must be accessible by its owner only (chmod 600), has "
              + perms);
    }
  }

  private static SSLContext sslContext(SslSpec spec) throws IOException {
    requireReadable("jmx.ssl.keyStore", spec.keyStore());
    try (InputStream in = Files.newInputStream(spec.keyStore())) {
      char[] password =
          spec.keyStorePassword() == null ? null : spec.keyStorePassword().toCharArray();
      KeyStore keyStore = KeyStore.getInstance(spec.keyStoreType());
      keyStore.load(in, password);
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      // A wrong password or a file that is no key store: the config is what needs fixing.
      throw new JmxFileException("jmx.ssl.keyStore " + spec.keyStore() + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (IOException e) {
      Diagnostics.of(RemoteJmxConnector.class)
          .warn("stopping the JMX connector: {}", e.getMessage());
    }
    try {
      UnicastRemoteObject.unexportObject(registry, true);
    } catch (NoSuchObjectException e) {
      // Already unexported.
    }
  }
}
