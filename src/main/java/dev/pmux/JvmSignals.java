package dev.pmux;

import java.lang.reflect.Proxy;

/** The JVM's handling of OS signals, for {@link Main} and {@link StopSignals} only. */
final class JvmSignals {
  private JvmSignals() {}

  /**
   * Runs {@code action} on each delivery of signal {@code name} (INT, TERM, HUP), on a thread of
   * the JVM's: {@code sun.misc.Signal}, reached reflectively because javac warns about every direct
   * use of it and the build treats warnings as errors. The JVM offers no public API for it.
   */
  static void on(String name, Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object proxy =
          Proxy.newProxyInstance(
              JvmSignals.class.getClassLoader(),
              new Class<?>[] {handler},
              (self, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      action.run();
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> "pmux handler of SIG" + name;
                  });
      signal
          .getMethod("handle", signal, handler)
          .invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot handle SIG" + name + ": " + e, e);
    }
  }
}
