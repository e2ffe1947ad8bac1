package dev.pmux.config;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * Collects every problem of a config, so that users fix them all in one go; each line starts with
 * its key path.
 */
final class Problems {
  private static final int MAX_SHOWN = 80;

  private final List<String> lines = new ArrayList<>();

  void add(String path, String message) {
    lines.add(path + ": " + message);
  }

  int count() {
    return lines.size();
  }

  List<String> lines() {
    return lines;
  }

  /**
   * What a key holds, for "was ..." in messages: a quoted scalar, {@code empty}, {@code a list} or
   * {@code a mapping}. The node tree turns a YAML list into sibling nodes of the same name, hence a
   * group.
   */
  static String describe(List<ImmutableNode> group) {
    if (group.size() > 1) {
      return "a list";
    }
    ImmutableNode node = group.get(0);
    if (!node.getChildren().isEmpty()) {
      return "a mapping";
    }
    return node.getValue() == null ? "empty" : quote(node.getValue().toString());
  }

  /** A value in double quotes with control characters escaped, shortened when long. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SHOWN) + 8).append('"');
    for (int i = 0; i < s.length(); i++) {
      if (i == MAX_SHOWN) {
        b.append("...");
        break;
      }
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (isControl(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * Control characters and invisible format characters (bidi overrides such as U+202E, zero-width
   * joiners) alike: either can make a printed line read as another program's.
   */
  static boolean isControl(int c) {
    return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
  }
}
