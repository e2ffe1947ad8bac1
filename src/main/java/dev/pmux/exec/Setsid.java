package dev.pmux.exec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where util-linux's {@code setsid} is: every child of pmux starts through it in a session of its
 * own.
 */
final class Setsid {
  private Setsid() {}

  /** The setsid executable; fails with a message naming the package when there is none. */
  static Path path() {
    for (String candidate : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
      Path p = Path.of(candidate);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "setsid (util-linux) is required to run programs in their own process groups");
  }
}
