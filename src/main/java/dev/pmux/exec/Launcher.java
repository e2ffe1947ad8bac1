package dev.pmux.exec;

import dev.pmux.config.ProcessSpec;

/** Starts one run of a program; the seam between supervision and the operating system. */
public interface Launcher {
  /**
   * Starts {@code spec}; returns once the child runs and leads its own process group, so that a
   * stop signal sent right after reaches the whole group.
   */
  Child launch(ProcessSpec spec) throws LaunchException;
}
