package dev.pmux.jmx;

import java.io.IOException;

/**
 * A file that {@code pmux.yml} names for the remote connector (password, access, key store) is
 * missing, unreadable or readable by others: a configuration problem, not a runtime failure.
 */
public final class JmxFileException extends IOException {
  private static final long serialVersionUID = 1L;

  JmxFileException(String message) {
    super(message);
  }
}
