package dev.pmux.exec;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A running child started by {@link CommonsExecLauncher}. */
final class LaunchedChild implements Child {
  /** How long to wait, after the process exits, for its last output before reporting the exit. */
  static final long DRAIN_GRACE_MILLIS = 200;

  private final long pid;
  private final CompletableFuture<ExitStatus> exit;

  LaunchedChild(Process process, CompletableFuture<Void> drained) {
    this.pid = process.pid();
    this.exit =
        process
            .onExit()
            .thenCompose(
                p -> {
                  ExitStatus status = new ExitStatus(p.exitValue());
                  return drained
                      .copy()
                      .completeOnTimeout(null, DRAIN_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                      .thenApply(ignored -> status);
                });
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public CompletableFuture<ExitStatus> exit() {
    return exit;
  }
}
