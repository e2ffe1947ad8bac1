package dev.pmux;

import dev.pmux.exec.InheritedSignals;
import dev.pmux.output.MergedOutput;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGINT and SIGTERM: the first asks for a graceful stop, whenever it comes (during start-up, pmux
 * stops what it launched so far); the second forces one at once.
 */
final class StopSignals {
  private final CompletableFuture<Void> requested = new CompletableFuture<>();
  private final AtomicInteger received = new AtomicInteger();
  private volatile Runnable force = () -> {};

  static StopSignals install() {
    // Inherited as ignored ('&' in a script, nohup), the JVM would silently never see them.
    Set<InheritedSignals.Name> deaf =
        InheritedSignals.restoreDefaults(
            EnumSet.of(
                InheritedSignals.Name.INT, InheritedSignals.Name.TERM, InheritedSignals.Name.HUP));
    if (!deaf.isEmpty()) {
      System.err.println("pmux: cannot handle SIG" + deaf + ", inherited as ignored");
    }
    StopSignals stops = new StopSignals();
    for (String name : new String[] {"INT", "TERM"}) {
      JvmSignals.on(name, stops::received);
    }
    // Until pmux can reload, a SIGHUP changes nothing (and must not end the JVM).
    JvmSignals.on("HUP", () -> {});
    return stops;
  }

  /** What a second signal does before pmux halts. */
  void attach(Runnable forcedStop) {
    force = forcedStop;
  }

  void requestStop() {
    requested.complete(null);
  }

  CompletableFuture<Void> requested() {
    return requested;
  }

  /**
   * Prints pmux's last line and returns the exit status: after a forced exit the forcing thread has
   * said so and is halting the JVM, and a graceful last line would be a lie.
   */
  synchronized int lastLine(MergedOutput output, int status) {
    if (received.get() > 1) {
      return 1;
    }
    output.event("pmux", "exited gracefully, ciao!");
    return status;
  }

  private void received() {
    if (received.incrementAndGet() == 1) {
      requested.complete(null);
    } else {
      // Under the lock of lastLine: a graceful last line is printed before this or never.
      synchronized (this) {
        try {
          force.run();
        } finally {
          // Whatever the forced stop ran into, "now" means now.
          Runtime.getRuntime().halt(1);
        }
      }
    }
  }
}
