package dev.pmux.exec;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/** A running child started by {@link CommonsExecLauncher}. */
final class LaunchedChild implements Child {
  private final Process process;
  private final CompletableFuture<ExitStatus> exit;

  LaunchedChild(Process process) {
    this.process = process;
    // A spawned child reports its status straight from the exit loop.
    this.exit =
        process instanceof SpawnedProcess spawned
            ? spawned.exit()
            : process.onExit().thenApply(p -> new ExitStatus(p.exitValue()));
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public InputStream stdout() {
    return process.getInputStream();
  }

  @Override
  public InputStream stderr() {
    return process.getErrorStream();
  }

  @Override
  public CompletableFuture<ExitStatus> exit() {
    return exit;
  }
}
