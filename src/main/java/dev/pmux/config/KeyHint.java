package dev.pmux.config;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The "did you mean" suggestion for an unknown key: a known key equal ignoring case, or within two
 * edits.
 */
final class KeyHint {
  private KeyHint() {}

  /** The closest known key, or null when none is close enough to be a likely typo. */
  static @Nullable String closest(String unknown, List<String> known) {
    for (String k : known) {
      if (k.equalsIgnoreCase(unknown)) {
        return k;
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = unknown.toLowerCase(Locale.ROOT);
    for (String k : known) {
      int d = distance(lower, k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    // A short key is within two edits of almost anything; a hint must be likelier than a guess.
    return bestDistance <= 2 && bestDistance < unknown.length() ? best : null;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitution, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
