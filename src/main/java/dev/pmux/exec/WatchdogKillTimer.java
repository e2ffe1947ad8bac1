package dev.pmux.exec;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import org.apache.commons.exec.Watchdog;

/**
 * A {@link KillTimer} on Commons Exec's {@link Watchdog}: one short-lived daemon thread per
 * program being stopped, which fires the kill when {@code sigKillWait} runs out.
 */
public final class WatchdogKillTimer implements KillTimer {
  private final ThreadFactory threads =
      r -> {
        Thread t = new Thread(r, "pmux-sigkill-watchdog");
        t.setDaemon(true);
        return t;
      };

  @Override
  public Armed arm(Duration delay, Runnable action) {
    Watchdog watchdog = Watchdog.builder().setTimeout(delay).setThreadFactory(threads).get();
    watchdog.addTimeoutObserver(w -> action.run());
    watchdog.start();
    return watchdog::stop;
  }
}
