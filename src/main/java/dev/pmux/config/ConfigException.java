package dev.pmux.config;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A configuration that cannot be used, with every problem found in it: one line each, starting with
 * its key path ({@code processes[2].maxWait: must be >= minWait (1s), was 500ms}) or, for file and
 * syntax errors, the file.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  ConfigException(Path file, List<String> problems) {
    super(message(file, problems));
    this.problems = List.copyOf(problems);
  }

  ConfigException(Path file, String problem, @Nullable Throwable cause) {
    super(message(file, List.of(problem)), cause);
    this.problems = List.of(problem);
  }

  /** Each problem on its own, in the order found. */
  public List<String> problems() {
    return problems;
  }

  private static String message(Path file, List<String> problems) {
    StringBuilder b = new StringBuilder("invalid configuration ").append(file).append(':');
    for (String problem : problems) {
      b.append("\n  ").append(problem);
    }
    return b.toString();
  }
}
