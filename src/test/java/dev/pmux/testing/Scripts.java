package dev.pmux.testing;

import java.nio.file.Path;

/** Paths of the shell fixtures in {@code src/test/scripts}. */
public final class Scripts {
  private Scripts() {}

  public static String path(String name) {
    return Path.of("src/test/scripts", name).toAbsolutePath().toString();
  }
}
