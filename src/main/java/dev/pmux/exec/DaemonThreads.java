package dev.pmux.exec;

import java.util.concurrent.ThreadFactory;

/** Threads that never keep pmux's JVM alive, named after what they do. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A factory of daemon threads all called {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
