package dev.pmux.exec;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child that pmux spawned itself, as the {@link Process} Commons Exec's launchers return: its
 * exit comes from the {@link ExitLoop}, not from a JDK thread per child.
 */
final class SpawnedProcess extends Process {
  private final long pid;
  private final InputStream stdout;
  private final InputStream stderr;
  private final CompletableFuture<ExitStatus> exit;
  private final CompletableFuture<Process> onExit;

  SpawnedProcess(
      long pid,
      FileInputStream stdout,
      FileInputStream stderr,
      CompletableFuture<ExitStatus> exit) {
    this.pid = pid;
    // Buffered as the JDK's own process streams are (FileInputStream.readAllBytes seeks, which a
    // pipe refuses); the pipe poller still finds the descriptor inside.
    this.stdout = new BufferedInputStream(stdout);
    this.stderr = new BufferedInputStream(stderr);
    this.exit = exit;
    this.onExit = exit.thenApply(status -> this);
  }

  @Override
  public OutputStream getOutputStream() {
    // stdin is /dev/null.
    return OutputStream.nullOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return stdout;
  }

  @Override
  public InputStream getErrorStream() {
    return stderr;
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      return exit.get().code();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      exit.get(timeout, unit);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    }
  }

  @Override
  public int exitValue() {
    ExitStatus status = exit.getNow(null);
    if (status == null) {
      throw new IllegalThreadStateException("process " + pid + " has not exited");
    }
    return status.code();
  }

  @Override
  public void destroy() {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
  }

  @Override
  public Process destroyForcibly() {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    return this;
  }

  @Override
  public boolean isAlive() {
    return !exit.isDone();
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return onExit;
  }

  /** How the process ended, straight from the exit loop. */
  CompletableFuture<ExitStatus> exit() {
    return exit;
  }
}
