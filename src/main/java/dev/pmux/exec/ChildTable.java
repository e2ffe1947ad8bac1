package dev.pmux.exec;

import java.util.Set;

/** This process's children as the kernel lists them, and the reaping of one; faked in tests. */
interface ChildTable {
  /** The pids of this process's children, live or zombie. */
  Set<Long> children();

  /** Whether child {@code pid} has exited and waits to be reaped. */
  boolean zombie(long pid);

  /**
   * Reaps {@code pid} if it has exited ({@code waitpid(pid, WNOHANG)}); true when it was reaped.
   */
  boolean reap(long pid);
}
