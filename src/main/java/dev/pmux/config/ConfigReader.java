package dev.pmux.config;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * Turns the raw node tree of a whole file into a {@link PmuxConfig}, or every problem found in it.
 */
final class ConfigReader {
  static final List<String> KEYS = List.of("timeFormat", "processes", "jmx", "tailLines");

  private ConfigReader() {}

  /**
   * Reads the whole file.
   *
   * @param anchorKeys top-level keys whose value is an anchor that an alias refers to
   */
  static PmuxConfig read(ImmutableNode root, Set<String> anchorKeys, Path source)
      throws ConfigException {
    Problems problems = new Problems();
    RawMapping top = new RawMapping(root, "", problems);
    // Keys that only hold values for anchors, as Compose files keep them: the Go tool ignores every
    // unknown key; pmux ignores these and keeps other unknown keys an error, and so a key that
    // looks like a typo of a known one even when its anchor is used.
    top.rejectUnknownKeys(
        KEYS,
        key ->
            key.startsWith("x-")
                || (anchorKeys.contains(key) && KeyHint.closest(key, KEYS) == null));

    String timeFormat =
        top.string("timeFormat", "a Go time layout such as 2006-01-02T15:04:05.000Z07:00");
    DateTimeFormatter formatter = null;
    if (timeFormat != null && timeFormat.isEmpty()) {
      timeFormat = null; // as in the Go tool: an empty layout means no timestamps
    }
    if (timeFormat != null) {
      try {
        formatter = GoTimeLayout.toFormatter(timeFormat);
      } catch (IllegalArgumentException e) {
        problems.add(
            "timeFormat", Objects.requireNonNullElse(e.getMessage(), "not a Go time layout"));
      }
    }

    List<ProcessSpec> processes = List.of();
    List<ImmutableNode> entries = top.list("processes");
    if (!top.has("processes")) {
      problems.add("processes", "required, a list with at least one process (name, cmd, ...)");
    } else if (entries.isEmpty()) {
      problems.add("processes", "must list at least one process, was empty");
    } else if (entries.size() == 1 && entries.get(0).getChildren().isEmpty()) {
      problems.add("processes", "must be a list of processes, was " + Problems.describe(entries));
    } else {
      processes = new ProcessReader(problems).read(entries);
    }

    Integer tailLines = top.integer("tailLines", 0, Integer.MAX_VALUE, "an integer >= 0");
    Optional<JmxSpec> jmx = JmxReader.read(top.mapping("jmx", "a mapping with at least port"));

    if (problems.count() > 0) {
      throw new ConfigException(source, problems.lines());
    }
    return new PmuxConfig(
        source, timeFormat, formatter, processes, Defaults.tailLines(tailLines), jmx);
  }
}
