package dev.pmux.exec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Finds the executable of a program before launch, as Go's {@code exec.Command} does, so that a
 * missing or unexecutable command is reported by pmux instead of by {@code setsid}.
 */
final class CommandResolver {
  private final String searchPath;

  /** Searches {@code searchPath} (pmux's own PATH, as Go's LookPath uses) for bare names. */
  CommandResolver(@Nullable String searchPath) {
    this.searchPath = searchPath == null ? "" : searchPath;
  }

  /** Whether {@code dir} is one of the absolute entries of the search path. */
  boolean foundInAbsoluteEntry(@Nullable Path dir) {
    if (dir == null) {
      return false;
    }
    for (String entry : searchPath.split(File.pathSeparator, -1)) {
      if (entry.startsWith("/") && Path.of(entry).normalize().equals(dir)) {
        return true;
      }
    }
    return false;
  }

  /** The absolute executable for {@code cmd}, run in {@code dir} (null: pmux's cwd). */
  Path resolve(String cmd, @Nullable Path dir) throws LaunchException {
    if (dir != null && !Files.isDirectory(dir)) {
      throw new LaunchException("chdir " + dir + ": no such file or directory");
    }
    if (cmd.contains("/")) {
      Path p = Path.of(cmd);
      if (!p.isAbsolute()) {
        // The child changes into dir before exec, so a relative command is relative to dir.
        p = (dir != null ? dir : Path.of("")).toAbsolutePath().resolve(p);
      }
      if (!Files.exists(p)) {
        throw new LaunchException("fork/exec " + cmd + ": no such file or directory");
      }
      if (Files.isDirectory(p) || !Files.isExecutable(p)) {
        throw new LaunchException("fork/exec " + cmd + ": permission denied");
      }
      return p.normalize();
    }
    for (String entry : searchPath.split(File.pathSeparator, -1)) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry).resolve(cmd);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new LaunchException("exec: \"" + cmd + "\": executable file not found in $PATH");
  }
}
