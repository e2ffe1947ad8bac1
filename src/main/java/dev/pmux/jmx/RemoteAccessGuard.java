package dev.pmux.jmx;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.MBeanServerForwarder;
import org.jspecify.annotations.Nullable;

/**
 * What remote JMX clients may do, whatever their role: read anything, but invoke operations and
 * write attributes of pmux's own MBeans only, and never create, register or unregister MBeans. The
 * JDK's platform MBeans would otherwise let a client load a native agent (DiagnosticCommand) or an
 * MLet: code that is not in pmux.yml.
 */
final class RemoteAccessGuard implements InvocationHandler {
  private static final Set<String> NEVER =
      Set.of("createMBean", "registerMBean", "unregisterMBean", "instantiate", "deserialize");
  private static final Set<String> PMUX_ONLY = Set.of("invoke", "setAttribute", "setAttributes");

  // Set by the connector server right after creation, before any request arrives.
  private @Nullable MBeanServer next;

  private RemoteAccessGuard() {}

  static MBeanServerForwarder create() {
    return (MBeanServerForwarder)
        Proxy.newProxyInstance(
            MBeanServerForwarder.class.getClassLoader(),
            new Class<?>[] {MBeanServerForwarder.class},
            new RemoteAccessGuard());
  }

  @Override
  public @Nullable Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    switch (name) {
      case "getMBeanServer" -> {
        return next;
      }
      case "setMBeanServer" -> {
        next = (MBeanServer) args[0];
        return null;
      }
      case "equals" -> {
        return proxy == args[0];
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "toString" -> {
        return "pmux remote access guard";
      }
      default -> {
        // Every other call is checked, then forwarded.
      }
    }
    if (NEVER.contains(name)) {
      throw new SecurityException("remote JMX clients may not call " + name + " on pmux");
    }
    if (PMUX_ONLY.contains(name)) {
      ObjectName target = (ObjectName) args[0];
      if (target == null || !ObjectNames.DOMAIN.equals(target.getDomain())) {
        throw new SecurityException(
            "remote JMX clients may only " + name + " on pmux's own MBeans, not " + target);
      }
    }
    // Operations learn through Caller that they were asked for through this connector.
    return Caller.remote(
        () -> {
          try {
            return method.invoke(next, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
