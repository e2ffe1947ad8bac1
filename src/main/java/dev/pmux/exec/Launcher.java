package dev.pmux.exec;

import dev.pmux.config.ProcessSpec;
import dev.pmux.output.ProgramOutput;

/** Starts one run of a program; the seam between supervision and the operating system. */
public interface Launcher {
  /** Starts {@code spec} with its output pumped into {@code output}; returns once it runs. */
  Child launch(ProcessSpec spec, ProgramOutput output) throws LaunchException;
}
