package dev.pmux.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

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

  /** Attaches to the pmux JVM {@code pid} and connects to its local management agent. */
  static AgentConnection local(long pid) throws CtlException {
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        String address = vm.startLocalManagementAgent();
        return new AgentConnection(JMXConnectorFactory.connect(new JMXServiceURL(address)));
      } finally {
        vm.detach();
      }
    } catch (AttachNotSupportedException | IOException e) {
      throw new CtlException(
          Ctl.UNREACHABLE, "cannot attach to pmux (pid " + pid + "): " + e.getMessage());
    }
  }

  /** Connects to {@code host:port}; {@code user} null means no credentials. */
  static AgentConnection remote(String hostPort, String user, Path passwordFile)
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
          Ctl.DENIED, "access to pmux at " + hostPort + " denied: " + e.getMessage());
    } catch (IOException e) {
      throw new CtlException(
          Ctl.UNREACHABLE, "cannot reach pmux at " + hostPort + ": " + e.getMessage());
    }
  }

  private static String password(Path file) throws CtlException {
    if (file == null) {
      throw new CtlException(
          Ctl.USAGE, "--user needs --password-file FILE (the password on its first line)");
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      return newline < 0 ? text : text.substring(0, newline);
    } catch (IOException e) {
      throw new CtlException(
          Ctl.USAGE, "cannot read password file " + file + ": " + e.getMessage());
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
