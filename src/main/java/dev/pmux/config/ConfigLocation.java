package dev.pmux.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decides which {@code pmux.yml} to read, the same way for every verb: {@code -c FILE}, else {@code
 * $PMUX_CONF}, else {@code ./pmux.yml} (as the Go tool) when it exists, else {@code
 * $PMUX_HOME/conf/pmux.yml}.
 */
public final class ConfigLocation {
  static final String FILE_NAME = "pmux.yml";

  private ConfigLocation() {}

  /**
   * The file to load, resolved against {@code cwd}; when nothing matches, {@code ./pmux.yml}, so
   * that the error about the missing file names the place the Go tool would have looked.
   *
   * @param cliPath the {@code -c} argument, or null
   */
  public static Path resolve(@Nullable String cliPath, Map<String, String> env, Path cwd) {
    if (cliPath != null && !cliPath.isEmpty()) {
      return cwd.resolve(cliPath);
    }
    String conf = env.get("PMUX_CONF");
    if (conf != null && !conf.isEmpty()) {
      return cwd.resolve(conf);
    }
    Path local = cwd.resolve(FILE_NAME);
    if (Files.exists(local)) {
      return local;
    }
    String home = env.get("PMUX_HOME");
    if (home != null && !home.isEmpty()) {
      return cwd.resolve(home).resolve("conf").resolve(FILE_NAME);
    }
    return local;
  }
}
