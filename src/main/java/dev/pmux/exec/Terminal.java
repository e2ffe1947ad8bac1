package dev.pmux.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether pmux's standard streams are terminals, that is whether a person is watching them. */
public final class Terminal {
  private Terminal() {}

  /**
   * Whether file descriptor {@code fd} (1 stdout, 2 stderr) is a terminal; false if unknown. Read
   * from /proc rather than isatty(3) through JNA, which would add its loading to pmux's start-up.
   */
  public static boolean isTerminal(int fd) {
    try {
      String target =
          Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
