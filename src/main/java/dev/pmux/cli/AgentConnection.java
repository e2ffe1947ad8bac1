package dev.pmux.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jspecify.annotations.Nullable;

/**
 * A JMX connection to a running pmux: local through the JDK's attach mechanism (as JConsole picks a
 * pid), or remote through pmux's connector with optional credentials.
 */
final class AgentConnection implements AutoCloseable {
  private final JMXConnector connector;

  private AgentConnection(JMXConnector connector) {
    this.connector = connector;
  }

  MBeanServerConnection mbeans() throws IOException {
    return connector.getMBeanServerConnection();
  }

  /**
   * Attaches to the pmux JVM {@code pid} and connects to its local management agent, or says within
   * {@code wait} that it cannot: a pmux with no thread to spare (its user at {@code ulimit -u})
   * takes the connection into its backlog and never serves it, and RMI would wait for minutes.
   */
  static AgentConnection local(long pid, Duration wait) throws CtlException {
    FutureTask<AgentConnection> attempt = new FutureTask<>(() -> local(pid));
    Thread connecting = new Thread(attempt, "pmux-ctl-connect");
    connecting.setDaemon(true);
    connecting.start();
    try {
      return attempt.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      attempt.cancel(true);
      throw new CtlException(
          CtlStatus.UNREACHABLE, noThread(pid, "did not answer within " + wait.toSeconds() + "s"));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CtlException refused) {
        throw refused;
      }
      throw new CtlException(
          CtlStatus.UNREACHABLE, "cannot attach to pmux (pid " + pid + "): " + oneLine(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlException(CtlStatus.UNREACHABLE, "interrupted while attaching to pmux");
    }
  }

  private static String noThread(long pid, String what) {
    return "pmux (pid "
        + pid
        + ") "
        + what
        + ": it may have no thread to spare (ulimit -u); its stderr says more";
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  // The address is the local agent's own (pmux's JVM, checked alive), never user input.
  @SuppressWarnings("BanJNDI")
  private static AgentConnection local(long pid) throws CtlException {
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        String address = vm.startLocalManagementAgent();
        return new AgentConnection(JMXConnectorFactory.connect(new JMXServiceURL(address)));
      } finally {
        vm.detach();
      }
    } catch (AttachNotSupportedException | IOException e) {
      if (rootCause(e) instanceof EOFException) {
        // RMI's accept loop closes what it cannot hand to a new thread.
        throw new CtlException(CtlStatus.UNREACHABLE, noThread(pid, "closed the connection"));
      }
      throw new CtlException(
          CtlStatus.UNREACHABLE, "cannot attach to pmux (pid " + pid + "): " + oneLine(e));
    }
  }

  /**
   * Connects to {@code host:port}; {@code user} null means no credentials. JNDI is how an RMI
   * connector is found; the host is the operator's own {@code --jmx} argument.
   */
  @SuppressWarnings("BanJNDI")
  static AgentConnection remote(String hostPort, @Nullable String user, @Nullable Path passwordFile)
      throws CtlException {
    String url = "service:jmx:rmi:///jndi/rmi://" + hostPort + "/jmxrmi";
    Map<String, Object> env = new HashMap<>();
    if (user != null) {
      env.put(JMXConnector.CREDENTIALS, new String[] {user, password(passwordFile)});
    }
    try {
      return new AgentConnection(JMXConnectorFactory.connect(new JMXServiceURL(url), env));
    } catch (SecurityException e) {
      throw new CtlException(
          CtlStatus.DENIED, "access to pmux at " + hostPort + " denied: " + oneLine(e));
    } catch (IOException | RuntimeException e) {
      throw new CtlException(
          CtlStatus.UNREACHABLE, "cannot reach pmux at " + hostPort + ": " + oneLine(e));
    }
  }

  /**
   * Checks the form of a {@code --jmx} value: {@code HOST:PORT} or {@code [IPv6]:PORT}, the port
   * from 1 to 65535.
   */
  static String hostPort(String value) throws CtlException {
    int colon = value.lastIndexOf(':');
    String host = colon < 0 ? "" : value.substring(0, colon);
    Integer port = colon < 0 ? null : port(value.substring(colon + 1));
    boolean bracketed = host.startsWith("[") && host.endsWith("]");
    if (host.isEmpty() || port == null || (host.contains(":") && !bracketed)) {
      throw new CtlException(
          CtlStatus.USAGE,
          "--jmx needs HOST:PORT (a port from 1 to 65535; [::1]:PORT for IPv6), was '"
              + value
              + "'");
    }
    return value;
  }

  private static @Nullable Integer port(String text) {
    if (!text.matches("[0-9]{1,5}")) {
      return null;
    }
    int port = Integer.parseInt(text);
    return port >= 1 && port <= 65535 ? port : null;
  }

  /**
   * What went wrong, on one line: the innermost cause (RMI and JNDI nest three deep and spread
   * their messages over several lines).
   */
  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage().strip();
    if (root instanceof UnknownHostException) {
      message = "unknown host " + message;
    } else if (message.isEmpty()) {
      message = root.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline).strip();
  }

  private static String password(@Nullable Path file) throws CtlException {
    if (file == null) {
      throw new CtlException(
          CtlStatus.USAGE, "--user needs --password-file FILE (the password on its first line)");
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      return newline < 0 ? text : text.substring(0, newline);
    } catch (IOException e) {
      throw new CtlException(
          CtlStatus.USAGE, "cannot read password file " + file + ": " + oneLine(e));
    }
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (IOException e) {
      // Nothing left to do with a broken connection.
    }
  }
}
