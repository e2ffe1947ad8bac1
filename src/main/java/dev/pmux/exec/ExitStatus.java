package dev.pmux.exec;

import dev.pmux.config.Signal;
import java.util.Optional;

/**
 * How a child's main process ended, read from the process itself (not from its pipes). The JDK
 * reports death by signal N as status 128+N, indistinguishable from {@code exit 128+N}: a status of
 * 129 to 159 is taken as death by signal, the common case.
 */
public record ExitStatus(int code) {
  private static final int SIGNAL_BASE = 128;

  /** The signal that killed the process, if it died by one. */
  public Optional<Signal> signal() {
    return code > SIGNAL_BASE ? Signal.byNumber(code - SIGNAL_BASE) : Optional.empty();
  }

  /**
   * Go's wording: {@code process exited: exit status 3} or {@code process exited: signal: killed}.
   */
  public String describe() {
    return signal()
        .map(s -> "process exited: signal: " + s.goName())
        .orElse("process exited: exit status " + code);
  }
}
