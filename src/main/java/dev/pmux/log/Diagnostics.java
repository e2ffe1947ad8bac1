package dev.pmux.log;

import org.apache.logging.log4j.Logger;

/**
 * pmux's own diagnostics (never a program's output): a Log4j logger per class, taken only when
 * something is logged, so that Log4j's start-up stays off pmux's.
 */
public final class Diagnostics {
  private Diagnostics() {}

  /** The logger of {@code owner}; waits for Log4j to have started (see {@link Log4jStartup}). */
  public static Logger of(Class<?> owner) {
    return Log4jStartup.logger(owner.getName());
  }
}
