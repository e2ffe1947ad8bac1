package dev.pmux.exec;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The live processes of the machine, their environments, and the signalling of one; faked in tests.
 */
public interface ProcessList {
  /**
   * Every live process (zombies left out); null when the list cannot be read, which tells nothing
   * about any process (an empty list would say that none is alive).
   */
  @Nullable List<ProcessEntry> live();

  /**
   * The value of environment variable {@code name} in {@code process}; null when it has none, is
   * gone, or its environment cannot be read.
   */
  @Nullable String variable(ProcessEntry process, String name);

  /**
   * Sends signal {@code number} to {@code process} if it is still that process (same pid, same
   * start time, not a zombie); false when it is gone or its pid now names another process.
   */
  boolean signal(ProcessEntry process, int number);
}
