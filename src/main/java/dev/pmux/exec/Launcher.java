package dev.pmux.exec;

import dev.pmux.config.ProcessSpec;

/** Starts one run of a program; the seam between supervision and the operating system. */
public interface Launcher {
  /**
   * Starts {@code spec}; returns once the child runs and leads its own process group, so that a
   * stop signal sent right after reaches the whole group.
   */
  Child launch(ProcessSpec spec) throws LaunchException;

  /**
   * Takes over {@code handed}, a child that the pmux before an upgrade launched in this same
   * process; only pmux's own spawning can.
   */
  default Child adopt(HandedChild handed) throws LaunchException {
    throw new LaunchException("this launcher cannot take over a running child");
  }

  /** Whether {@link #adopt} can take over this launcher's children after an upgrade. */
  default boolean handsOver() {
    return false;
  }
}
