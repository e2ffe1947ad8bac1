package dev.pmux.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One program of {@code pmux.yml}, validated and with defaults applied; lists, maps and sets are unmodifiable copies
 * ({@code env} and {@code noRestartOn} keep the file's order).
 *
 * @param dir the working directory, or null for pmux's own
 */
public record ProcessSpec(String name, String cmd, List<String> args, Map<String, String> env, Path dir,
    Duration minWait, Duration maxWait, Duration sigKillWait, Set<Integer> noRestartOn, boolean autostart,
    Signal stopSignal) {

  /**
   * The {@code noRestartOn} code that matches every failure (a non-zero exit or a failed launch):
   * the Go tool reported all of them as -1.
   */
  public static final int ANY_FAILURE = -1;

  public ProcessSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cmd, "cmd");
    Objects.requireNonNull(minWait, "minWait");
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(sigKillWait, "sigKillWait");
    Objects.requireNonNull(stopSignal, "stopSignal");
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    noRestartOn = noRestartOn == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(noRestartOn));
  }

  /** Whether an exit with {@code exitCode} ends restarting. */
  public boolean noRestartAfterExit(int exitCode) {
    return noRestartOn.contains(exitCode) || (exitCode != 0 && noRestartOn.contains(ANY_FAILURE));
  }

  /** Whether a failed launch ends restarting (only with {@link #ANY_FAILURE}, as in the Go tool). */
  public boolean noRestartAfterLaunchFailure() {
    return noRestartOn.contains(ANY_FAILURE);
  }
}
