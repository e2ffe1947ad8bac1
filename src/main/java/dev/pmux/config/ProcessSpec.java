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
import org.jspecify.annotations.Nullable;

/**
 * One program of {@code pmux.yml}, validated and with defaults applied; lists, maps and sets are
 * unmodifiable copies ({@code env} and {@code noRestartOn} keep the file's order).
 *
 * @param dir the working directory, or null for pmux's own
 * @param dependsOn names of the programs this one starts after, in the file's order; each is a
 *     program of the same config, and there are no cycles
 * @param ready when the program counts as ready, or null for "as soon as it is started"
 * @param essential whether the program is marked essential (what pmux does when one gives up is the
 *     supervisor's policy)
 * @param maxRestarts give up after this many restarts within {@code restartWindow}; 0 never gives
 *     up
 * @param restartWindow the window {@code maxRestarts} counts in (60s unless given; unused when
 *     maxRestarts is 0)
 * @param envFile a dotenv file read at each start ({@link EnvFile#read}), or null for none;
 *     relative paths are kept as written
 * @param killMode what a stop of the program reaches
 */
public record ProcessSpec(
    String name,
    String cmd,
    List<String> args,
    Map<String, String> env,
    @Nullable Path dir,
    Duration minWait,
    Duration maxWait,
    Duration sigKillWait,
    Set<Integer> noRestartOn,
    boolean autostart,
    Signal stopSignal,
    List<String> dependsOn,
    @Nullable Readiness ready,
    boolean essential,
    int maxRestarts,
    Duration restartWindow,
    @Nullable Path envFile,
    KillMode killMode) {

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
    Objects.requireNonNull(restartWindow, "restartWindow");
    Objects.requireNonNull(killMode, "killMode");
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts must be >= 0, was " + maxRestarts);
    }
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    noRestartOn =
        noRestartOn == null
            ? Set.of()
            : Collections.unmodifiableSet(new LinkedHashSet<>(noRestartOn));
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }

  /** Whether an exit with {@code exitCode} ends restarting. */
  public boolean noRestartAfterExit(int exitCode) {
    return noRestartOn.contains(exitCode) || (exitCode != 0 && noRestartOn.contains(ANY_FAILURE));
  }

  /**
   * Whether a failed launch ends restarting (only with {@link #ANY_FAILURE}, as in the Go tool).
   */
  public boolean noRestartAfterLaunchFailure() {
    return noRestartOn.contains(ANY_FAILURE);
  }
}
