package dev.pmux.supervisor;

import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: state listeners see changes
 * in the order they happened without ever running under a program's lock.
 */
final class SerialExecutor implements Executor {
  private final Outbox tasks = new Outbox();
  private final Executor executor;

  SerialExecutor(Executor executor) {
    this.executor = executor;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    // A drain already under way elsewhere runs this task too; this one then returns at once.
    executor.execute(tasks::drain);
  }
}
