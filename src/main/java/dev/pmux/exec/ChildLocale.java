package dev.pmux.exec;

import java.util.HashMap;
import java.util.Map;

/**
 * The locale environment programs get: the one pmux was started with. bin/pmux runs the JVM with
 * {@code LC_ALL=C.UTF-8} when the user's locale is not UTF-8 (so that arguments, environment and
 * paths pass byte for byte) and records what it replaced; this puts it back.
 */
final class ChildLocale {
  /** Set by bin/pmux to the LC_ALL it gave the JVM. */
  static final String FORCED = "PMUX_FORCED_LC_ALL";

  /** Set by bin/pmux to the user's LC_ALL when there was one. */
  static final String SAVED = "PMUX_SAVED_LC_ALL";

  private ChildLocale() {}

  /** {@code environment} with the user's LC_ALL (or none) back and bin/pmux's records removed. */
  static Map<String, String> restore(Map<String, String> environment) {
    if (!environment.containsKey(FORCED) && !environment.containsKey(SAVED)) {
      return environment;
    }
    Map<String, String> restored = new HashMap<>(environment);
    String forced = restored.remove(FORCED);
    String saved = restored.remove(SAVED);
    // Changed since bin/pmux set it (pmux started some other way): not ours to undo.
    if (forced != null && forced.equals(restored.get("LC_ALL"))) {
      if (saved != null) {
        restored.put("LC_ALL", saved);
      } else {
        restored.remove("LC_ALL");
      }
    }
    return restored;
  }
}
