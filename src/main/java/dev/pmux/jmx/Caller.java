package dev.pmux.jmx;

import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.security.AccessController;
import java.util.stream.Collectors;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import org.jspecify.annotations.Nullable;

/**
 * Who asked for the operation running on this thread, for the record of operator actions: {@code
 * control (JMX 10.0.0.5)} for a user authenticated by a remote connector, {@code anonymous (JMX
 * 127.0.0.1)} for pmux's connector without authentication, {@code local} otherwise (an attach by
 * pid, which the JDK allows to the same user only, or pmux itself).
 */
final class Caller {
  /** Set by {@link RemoteAccessGuard} while a call through pmux's own connector runs. */
  private static final ThreadLocal<Boolean> REMOTE = new ThreadLocal<>();

  private Caller() {}

  /** Runs {@code call}, marked as coming through pmux's remote connector. */
  static <T> T remote(RemoteCall<T> call) throws Throwable {
    Boolean outer = REMOTE.get();
    REMOTE.set(Boolean.TRUE);
    try {
      return call.run();
    } finally {
      if (outer == null) {
        REMOTE.remove();
      }
    }
  }

  /** The call, for {@link #remote}. */
  interface RemoteCall<T> {
    T run() throws Throwable;
  }

  static String describe() {
    String principal = principal();
    if (principal != null) {
      return principal + " (JMX " + clientHost() + ")";
    }
    if (Boolean.TRUE.equals(REMOTE.get())) {
      return "anonymous (JMX " + clientHost() + ")";
    }
    return "local";
  }

  // The JMX connector runs each request as its authenticated Subject; Subject.current() is Java 18.
  @SuppressWarnings("removal")
  private static @Nullable String principal() {
    Subject subject = Subject.getSubject(AccessController.getContext());
    if (subject == null || subject.getPrincipals(JMXPrincipal.class).isEmpty()) {
      return null;
    }
    return subject.getPrincipals(JMXPrincipal.class).stream()
        .map(JMXPrincipal::getName)
        .collect(Collectors.joining(","));
  }

  private static String clientHost() {
    try {
      return RemoteServer.getClientHost();
    } catch (ServerNotActiveException e) {
      return "?";
    }
  }
}
