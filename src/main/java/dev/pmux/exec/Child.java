package dev.pmux.exec;

import java.util.concurrent.CompletableFuture;

/** One launched run of a program: its process group and, later, how it ended. */
public interface Child {
  /** The process id, which is also its process group id (the child is a session leader). */
  long pid();

  /**
   * Completes once the process has exited and its output is drained (or a short grace has passed,
   * when a grandchild keeps the pipes open).
   */
  CompletableFuture<ExitStatus> exit();
}
