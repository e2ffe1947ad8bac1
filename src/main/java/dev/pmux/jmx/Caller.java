package dev.pmux.jmx;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * 127.0.0.1)} for pmux's connector without authentication, {@code monitor (Jolokia 127.0.0.1)} for
 * a client of the Jolokia agent, {@code local} otherwise (an attach by pid, which the JDK allows to
 * the same user only, or pmux itself).
 */
final class Caller {
  /** Set by {@link RemoteAccessGuard} while a call through pmux's own connector runs. */
  private static final ThreadLocal<Boolean> REMOTE = new ThreadLocal<>();

  // Subject.current(), where this Java has it.
  private static final @Nullable MethodHandle CURRENT = current();

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
    Subject subject = currentSubject();
    if (subject != null && !subject.getPrincipals(JMXPrincipal.class).isEmpty()) {
      String users =
          subject.getPrincipals(JMXPrincipal.class).stream()
              .map(JMXPrincipal::getName)
              .collect(Collectors.joining(","));
      return users + " (JMX " + clientHost() + ")";
    }
    if (subject != null && !subject.getPrincipals(JolokiaClient.class).isEmpty()) {
      return subject.getPrincipals(JolokiaClient.class).iterator().next().toString();
    }
    if (Boolean.TRUE.equals(REMOTE.get())) {
      return "anonymous (JMX " + clientHost() + ")";
    }
    return "local";
  }

  /**
   * The Subject the JMX connector or the Jolokia agent runs this request as: Subject.current()
   * where there is one (Java 18 and newer; on Java 23 and newer getSubject throws, as the Security
   * Manager is gone), else the access control context's.
   */
  @SuppressWarnings("removal")
  private static @Nullable Subject currentSubject() {
    if (CURRENT != null) {
      try {
        return (Subject) CURRENT.invokeExact();
      } catch (Throwable e) {
        throw new IllegalStateException("Subject.current() failed", e);
      }
    }
    return Subject.getSubject(AccessController.getContext());
  }

  private static @Nullable MethodHandle current() {
    try {
      return MethodHandles.publicLookup()
          .findStatic(Subject.class, "current", MethodType.methodType(Subject.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  private static String clientHost() {
    try {
      return RemoteServer.getClientHost();
    } catch (ServerNotActiveException e) {
      return "?";
    }
  }
}
