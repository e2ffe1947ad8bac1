package dev.pmux.exec;

import java.time.Duration;

/** Runs a forced kill after a delay unless cancelled first. */
public interface KillTimer {
  /** Arms {@code action} to run after {@code delay}; the returned handle disarms it. */
  Armed arm(Duration delay, Runnable action);

  /** A pending forced kill. */
  interface Armed {
    /** Disarms the timer; a no-op once it has fired. */
    void cancel();
  }
}
