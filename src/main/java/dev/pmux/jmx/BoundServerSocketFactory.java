package dev.pmux.jmx;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.jspecify.annotations.Nullable;

/**
 * Server sockets bound to one address (loopback unless configured otherwise), optionally TLS. RMI
 * shares one listening port between the registry and the connector only when their factories are
 * equal, hence a real class with equals and hashCode rather than a lambda.
 */
final class BoundServerSocketFactory implements RMIServerSocketFactory, Serializable {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final transient @Nullable SSLContext ssl;
  private final boolean needClientAuth;

  BoundServerSocketFactory(String host, @Nullable SSLContext ssl, boolean needClientAuth) {
    this.host = host;
    this.ssl = ssl;
    this.needClientAuth = needClientAuth;
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    InetAddress address = InetAddress.getByName(host);
    if (ssl == null) {
      return new ServerSocket(port, 50, address);
    }
    SSLServerSocket socket =
        (SSLServerSocket) ssl.getServerSocketFactory().createServerSocket(port, 50, address);
    socket.setNeedClientAuth(needClientAuth);
    return socket;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BoundServerSocketFactory other
        && host.equals(other.host)
        && ssl == other.ssl
        && needClientAuth == other.needClientAuth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, System.identityHashCode(ssl), needClientAuth);
  }
}
