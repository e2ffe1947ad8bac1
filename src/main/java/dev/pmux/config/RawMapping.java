package dev.pmux.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.jspecify.annotations.Nullable;

/**
 * One mapping of the raw node tree, read key by key into typed values. A read returns null when the
 * key is absent, empty, or wrong; in the last case it has reported why under the key's path, so
 * callers just carry on.
 */
final class RawMapping {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern BARE_NUMBER = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");

  private final String path;
  private final Map<String, List<ImmutableNode>> keys = new LinkedHashMap<>();
  private final Problems problems;

  RawMapping(ImmutableNode node, String path, Problems problems) {
    this.path = path;
    this.problems = problems;
    for (ImmutableNode child : node.getChildren()) {
      keys.computeIfAbsent(child.getNodeName(), k -> new ArrayList<>()).add(child);
    }
  }

  /**
   * The path of a key below this mapping, e.g. {@code processes[0].env} or {@code
   * processes[0].env."A.B"}.
   */
  String path(String key) {
    String segment = PLAIN_KEY.matcher(key).matches() ? key : Problems.quote(key);
    return path.isEmpty() ? segment : path + "." + segment;
  }

  Problems problems() {
    return problems;
  }

  /** The keys in file order, each with its nodes (several when the value is a list). */
  Map<String, List<ImmutableNode>> entries() {
    return keys;
  }

  boolean has(String key) {
    return keys.containsKey(key);
  }

  void rejectUnknownKeys(List<String> known) {
    rejectUnknownKeys(known, key -> false);
  }

  /** Reports every key that is neither known nor {@code ignored}. */
  void rejectUnknownKeys(List<String> known, Predicate<String> ignored) {
    for (String key : keys.keySet()) {
      if (!known.contains(key) && !ignored.test(key)) {
        String hint = KeyHint.closest(key, known);
        problems.add(
            path(key),
            hint != null
                ? "unknown key, did you mean '" + hint + "'?"
                : "unknown key, expected one of " + String.join(", ", known));
      }
    }
  }

  /**
   * The nodes of a list-valued key: none when absent or empty; one scalar or mapping also counts as
   * a list.
   */
  List<ImmutableNode> list(String key) {
    List<ImmutableNode> group = keys.getOrDefault(key, List.of());
    return isEmpty(group) ? List.of() : group;
  }

  /** Whether the key holds one mapping, where a list is expected. */
  boolean mappingGiven(String key) {
    List<ImmutableNode> group = keys.getOrDefault(key, List.of());
    return group.size() == 1 && !group.get(0).getChildren().isEmpty();
  }

  /**
   * A list of strings: empty when absent or empty, null (reported) when a mapping is given. A null
   * element is the empty string, as in {@code args}; an element that is a mapping or holds a NUL
   * character is reported and is null, so that the indexes stay those of the file.
   */
  @Nullable List<String> strings(String key, String expected) {
    if (mappingGiven(key)) {
      problems.add(path(key), "must be " + expected + ", was a mapping");
      return null;
    }
    List<ImmutableNode> nodes = list(key);
    List<String> strings = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      String elementPath = path(key) + "[" + i + "]";
      String text = element(elementPath, nodes.get(i), "a string");
      if (text != null && text.indexOf('\0') >= 0) {
        problems.add(elementPath, "must not contain a NUL character, was " + Problems.quote(text));
        text = null;
      } else if (text == null && nodes.get(i).getChildren().isEmpty()) {
        text = "";
      }
      strings.add(text);
    }
    return strings;
  }

  /**
   * The text of a list element or mapping value; a nested mapping is reported. Null for a null
   * scalar.
   */
  @Nullable String element(String path, ImmutableNode node, String expected) {
    if (!node.getChildren().isEmpty()) {
      problems.add(path, "must be " + expected + ", was a mapping");
      return null;
    }
    return node.getValue() == null ? null : node.getValue().toString();
  }

  /**
   * A nested mapping, or null when absent or empty; {@code expected} describes it for the error
   * message.
   */
  @Nullable RawMapping mapping(String key, String expected) {
    List<ImmutableNode> group = keys.get(key);
    if (group == null || isEmpty(group)) {
      return null;
    }
    if (group.size() > 1 || group.get(0).getChildren().isEmpty()) {
      problems.add(path(key), "must be " + expected + ", was " + Problems.describe(group));
      return null;
    }
    return new RawMapping(group.get(0), path(key), problems);
  }

  /** The text of a single scalar; null when absent or null. */
  @Nullable String string(String key, String expected) {
    List<ImmutableNode> group = keys.get(key);
    if (group == null) {
      return null;
    }
    if (group.size() > 1 || !group.get(0).getChildren().isEmpty()) {
      problems.add(path(key), "must be " + expected + ", was " + Problems.describe(group));
      return null;
    }
    Object value = group.get(0).getValue();
    return value == null ? null : value.toString();
  }

  /** A text that must be given: absent, null and empty collections are reported as missing. */
  @Nullable String required(String key, String expected) {
    List<ImmutableNode> group = keys.get(key);
    if (group == null || isEmpty(group)) {
      problems.add(path(key), "required, " + expected);
      return null;
    }
    return text(key, expected);
  }

  /** Like {@link #string} but also rejects the NUL character, which no OS call can take. */
  @Nullable String text(String key, String expected) {
    String s = string(key, expected);
    if (s != null && s.indexOf('\0') >= 0) {
      problems.add(path(key), "must not contain a NUL character, was " + Problems.quote(s));
      return null;
    }
    return s;
  }

  @Nullable Path pathValue(String key) {
    String s = text(key, "a file path");
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      problems.add(
          path(key), "must be a file path, was " + Problems.quote(s) + " (" + e.getReason() + ")");
      return null;
    }
  }

  @Nullable Duration duration(String key) {
    String expected = "a Go duration such as 300ms, 1.5s or 1m30s";
    String s = string(key, expected);
    if (s == null) {
      return null;
    }
    if (BARE_NUMBER.matcher(s).matches() && !s.replaceFirst("^[+-]", "").equals("0")) {
      problems.add(
          path(key),
          "missing unit in " + Problems.quote(s) + ", add a unit, e.g. " + s + "s or " + s + "ms");
      return null;
    }
    Duration d;
    try {
      d = GoDuration.parse(s);
    } catch (IllegalArgumentException e) {
      // The parser's generic message restates what this one already expects; only its specific
      // findings (an unknown unit, out of range) add something.
      String why = String.valueOf(e.getMessage());
      String detail = why.contains("expected a Go duration") ? "" : " (" + why + ")";
      problems.add(path(key), "must be " + expected + ", was " + Problems.quote(s) + detail);
      return null;
    }
    if (d.isNegative()) {
      problems.add(path(key), "must not be negative, was " + GoDuration.format(d));
      return null;
    }
    String excess = DurationBound.excess(d);
    if (excess != null) {
      problems.add(path(key), excess);
      return null;
    }
    return d;
  }

  /** YAML 1.1 booleans as Go's yaml.v2 reads them: true/false, yes/no, on/off, in any case. */
  @Nullable Boolean bool(String key) {
    String s = string(key, "true or false");
    if (s == null) {
      return null;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> Boolean.TRUE;
      case "false", "no", "off" -> Boolean.FALSE;
      default -> {
        problems.add(path(key), "must be true or false, was " + Problems.quote(s));
        yield null;
      }
    };
  }

  @Nullable Integer integer(String key, int min, int max, String expected) {
    String s = string(key, expected);
    if (s == null) {
      return null;
    }
    Integer n = parseInt(s);
    if (n == null || n < min || n > max) {
      problems.add(path(key), "must be " + expected + ", was " + Problems.quote(s));
      return null;
    }
    return n;
  }

  static @Nullable Integer parseInt(String s) {
    if (!INTEGER.matcher(s).matches()) {
      return null;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return null; // beyond int
    }
  }

  private static boolean isEmpty(List<ImmutableNode> group) {
    return group.isEmpty()
        || (group.size() == 1
            && group.get(0).getChildren().isEmpty()
            && group.get(0).getValue() == null);
  }
}
