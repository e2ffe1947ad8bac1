package dev.pmux.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates {@code processes[].ready}: exactly one check (log, port, exec or after) and
 * its timeout.
 */
final class ReadinessReader {
  static final List<String> CHECKS = List.of("log", "port", "exec", "after");
  static final List<String> KEYS = List.of("log", "port", "exec", "after", "timeout");

  private ReadinessReader() {}

  /**
   * The check of a process, or null when it has none or its {@code ready} has problems (then
   * reported).
   */
  static @Nullable Readiness read(RawMapping process) {
    RawMapping ready =
        process.mapping("ready", "a mapping with one of " + String.join(", ", CHECKS));
    if (ready == null) {
      return null;
    }
    Problems problems = ready.problems();
    int before = problems.count();
    ready.rejectUnknownKeys(KEYS);
    boolean unknownKeys = problems.count() > before;
    Pattern log = log(ready);
    Integer port = ready.integer("port", 1, 65535, "a port number from 1 to 65535");
    List<String> exec = exec(ready);
    Duration after = ready.duration("after");
    Duration timeout = ready.duration("timeout");
    if (timeout != null && timeout.isZero()) {
      problems.add(ready.path("timeout"), "must be > 0, was 0s");
      timeout = null;
    }
    List<String> given = CHECKS.stream().filter(ready::has).toList();
    // With none given, an unknown key is most likely the check misspelt: its message says enough.
    if (given.size() > 1 || (given.isEmpty() && !unknownKeys)) {
      problems.add(
          process.path("ready"),
          "must have exactly one of "
              + String.join(", ", CHECKS)
              + ", was "
              + (given.isEmpty()
                  ? "none"
                  : String.join(", ", given.subList(0, given.size() - 1))
                      + " and "
                      + given.get(given.size() - 1)));
      return null;
    }
    if (problems.count() > before || given.isEmpty()) {
      return null;
    }
    Duration effectiveTimeout = Defaults.readyTimeout(timeout);
    switch (given.get(0)) {
      case "log" -> {
        return log == null ? empty(ready, "log") : Readiness.log(log, effectiveTimeout);
      }
      case "port" -> {
        return port == null ? empty(ready, "port") : Readiness.port(port, effectiveTimeout);
      }
      case "exec" -> {
        return exec.isEmpty() ? empty(ready, "exec") : Readiness.exec(exec, effectiveTimeout);
      }
      default -> {
        if (after == null) {
          return empty(ready, "after");
        }
        if (after.compareTo(effectiveTimeout) >= 0) {
          // Waiting longer than the timeout would always time out; point at the key the user wrote
          // last.
          if (timeout != null) {
            problems.add(
                ready.path("timeout"),
                "must be longer than after ("
                    + GoDuration.format(after)
                    + "), was "
                    + GoDuration.format(timeout));
          } else {
            problems.add(
                ready.path("after"),
                "must be shorter than timeout ("
                    + GoDuration.format(effectiveTimeout)
                    + ", the default), was "
                    + GoDuration.format(after));
          }
          return null;
        }
        return Readiness.after(after, effectiveTimeout);
      }
    }
  }

  private static @Nullable Pattern log(RawMapping ready) {
    String regex = ready.text("log", "a Java regular expression");
    if (regex == null || regex.isEmpty()) {
      return null;
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      String where = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
      ready
          .problems()
          .add(
              ready.path("log"),
              "must be a Java regular expression, was "
                  + Problems.quote(regex)
                  + " ("
                  + e.getDescription()
                  + where
                  + ")");
      return null;
    }
  }

  private static List<String> exec(RawMapping ready) {
    List<String> exec = ready.strings("exec", "a list: the command, then its arguments");
    if (exec == null || exec.contains(null)) {
      return List.of();
    }
    if (!exec.isEmpty() && exec.get(0).isBlank()) {
      ready
          .problems()
          .add(
              ready.path("exec") + "[0]",
              "must be the command to run, was " + Problems.quote(exec.get(0)));
      return List.of();
    }
    return exec;
  }

  /**
   * Reports the one check given as empty ({@code log: ""}, {@code exec: []}, {@code port: ~});
   * returns null.
   */
  private static @Nullable Readiness empty(RawMapping ready, String check) {
    ready
        .problems()
        .add(
            ready.path(check),
            check.equals("exec")
                ? "must not be empty, give the command and its arguments"
                : "must not be empty");
    return null;
  }
}
