package dev.pmux.supervisor;

import dev.pmux.exec.Child;
import dev.pmux.output.ProgramOutput;
import java.util.concurrent.CompletableFuture;

/** Connects a launched child's output streams to its program's output. */
interface Pumps {
  /** Starts reading both streams of {@code child}; completes once both have ended. */
  CompletableFuture<Void> start(Child child, ProgramOutput output);
}
