package dev.pmux.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the loader should make of an entry, spelled out: the keys not given take the values a {@code
 * pmux.yml} without them gets, written here as numbers so that a changed default fails.
 */
final class ExpectedSpecs {
  private ExpectedSpecs() {}

  /** An entry with the Go tool's keys only. */
  static ProcessSpec spec(
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
      Signal stopSignal) {
    return new ProcessSpec(
        name,
        cmd,
        args,
        env,
        dir,
        minWait,
        maxWait,
        sigKillWait,
        noRestartOn,
        autostart,
        stopSignal,
        List.of(),
        null,
        false,
        0,
        Duration.ofSeconds(60),
        null,
        KillMode.TREE);
  }
}
