package dev.pmux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options file bin/pmux writes for a Java agent (Jolokia's, with its password), named by {@code
 * -Dpmux.agentOptions}: removed as soon as pmux runs, since every agent has read its options before
 * {@code main} (premain), so the password is on disk only while the JVM starts.
 */
final class AgentOptions {
  static final String PROPERTY = "pmux.agentOptions";

  private AgentOptions() {}

  static void forget() {
    String file = System.getProperty(PROPERTY);
    if (file == null || file.isEmpty()) {
      return;
    }
    try {
      Files.deleteIfExists(Path.of(file));
    } catch (IOException | RuntimeException e) {
      System.err.println("pmux: cannot remove " + file + " (it holds an agent's password): " + e);
    }
  }
}
