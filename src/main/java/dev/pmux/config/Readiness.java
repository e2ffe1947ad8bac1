package dev.pmux.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * When a started program counts as ready ({@code processes[].ready}): exactly one check, which must
 * succeed within {@code timeout}. Only the field of the check's kind is set: {@code log} and {@code
 * after} are null otherwise, {@code port} is 0 and {@code exec} is empty.
 *
 * <p>Equality compares {@code log} by its pattern text and flags ({@link Pattern} has no equals of
 * its own), so that two specs read from the same config text are equal.
 *
 * @param log for {@link Kind#LOG}: a line of the program's output (stdout or stderr) contains a
 *     match
 * @param port for {@link Kind#PORT}: a TCP connection to 127.0.0.1 on this port (1 to 65535)
 *     succeeds
 * @param exec for {@link Kind#EXEC}: this command (the program, then its arguments, verbatim) exits
 *     with 0
 * @param after for {@link Kind#AFTER}: the program has been running this long (shorter than {@code
 *     timeout})
 * @param timeout how long the check may take, counted from the start; positive
 */
public record Readiness(
    Kind kind,
    @Nullable Pattern log,
    int port,
    List<String> exec,
    @Nullable Duration after,
    Duration timeout) {

  /** The kinds of check, one per key of {@code ready}. */
  public enum Kind {
    LOG,
    PORT,
    EXEC,
    AFTER
  }

  public Readiness {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0, was " + GoDuration.format(timeout));
    }
    exec = exec == null ? List.of() : List.copyOf(exec);
    boolean fitsKind =
        switch (kind) {
          case LOG -> log != null && port == 0 && exec.isEmpty() && after == null;
          case PORT -> port >= 1 && port <= 65535 && log == null && exec.isEmpty() && after == null;
          case EXEC -> !exec.isEmpty() && log == null && port == 0 && after == null;
          case AFTER ->
              after != null && !after.isNegative() && log == null && port == 0 && exec.isEmpty();
        };
    if (!fitsKind) {
      throw new IllegalArgumentException(
          "invalid "
              + kind
              + " check (only its own field is set, and valid): log="
              + log
              + ", port="
              + port
              + ", exec="
              + exec
              + ", after="
              + after);
    }
  }

  /** Ready once a line of output contains a match of {@code log}. */
  public static Readiness log(Pattern log, Duration timeout) {
    return new Readiness(Kind.LOG, Objects.requireNonNull(log, "log"), 0, List.of(), null, timeout);
  }

  /** Ready once a TCP connection to 127.0.0.1:{@code port} succeeds. */
  public static Readiness port(int port, Duration timeout) {
    return new Readiness(Kind.PORT, null, port, List.of(), null, timeout);
  }

  /** Ready once {@code command} (program and arguments, run without a shell) exits with 0. */
  public static Readiness exec(List<String> command, Duration timeout) {
    return new Readiness(
        Kind.EXEC, null, 0, Objects.requireNonNull(command, "command"), null, timeout);
  }

  /** Ready once the program has been running for {@code after}. */
  public static Readiness after(Duration after, Duration timeout) {
    return new Readiness(
        Kind.AFTER, null, 0, List.of(), Objects.requireNonNull(after, "after"), timeout);
  }

  /**
   * Whether this is a {@link Kind#LOG} check and {@code line} contains a match (anywhere, as {@code
   * find}).
   */
  public boolean matchesLine(CharSequence line) {
    return log != null && log.matcher(line).find();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Readiness r
        && kind == r.kind
        && port == r.port
        && exec.equals(r.exec)
        && Objects.equals(after, r.after)
        && timeout.equals(r.timeout)
        && (log == null
            ? r.log == null
            : r.log != null
                && log.pattern().equals(r.log.pattern())
                && log.flags() == r.log.flags());
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        kind,
        log == null ? null : log.pattern(),
        log == null ? 0 : log.flags(),
        port,
        exec,
        after,
        timeout);
  }
}
