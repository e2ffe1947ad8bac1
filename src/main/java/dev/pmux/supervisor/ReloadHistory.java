package dev.pmux.supervisor;

/**
 * What the reloads of pmux.yml came to so far, for monitoring: how many, how many failed, whether
 * the last one succeeded and when it was (epoch milliseconds; 0 before the first).
 */
public record ReloadHistory(long count, long failures, boolean lastSucceeded, long lastTime) {
  static final ReloadHistory NONE = new ReloadHistory(0, 0, true, 0);

  ReloadHistory after(boolean succeeded, long atMillis) {
    return new ReloadHistory(count + 1, failures + (succeeded ? 0 : 1), succeeded, atMillis);
  }
}
