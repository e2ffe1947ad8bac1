package dev.pmux.exec;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * One launched run of a program: its process group, its output streams and, later, how its main
 * process ended. Whoever launched it must read both streams to their end, or the child blocks on a
 * full pipe.
 */
public interface Child {
  /** The process id, which is also its process group id (the child is a session leader). */
  long pid();

  /** The child's standard output. */
  InputStream stdout();

  /** The child's standard error. */
  InputStream stderr();

  /**
   * Completes when the main process has exited, whatever its output: members of its group may still
   * run and hold the pipes open.
   */
  CompletableFuture<ExitStatus> exit();
}
