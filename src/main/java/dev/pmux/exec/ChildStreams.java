package dev.pmux.exec;

import dev.pmux.output.Channel;
import dev.pmux.output.ProgramOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.commons.exec.ExecuteStreamHandler;

/**
 * Connects a child's pipes to its {@link ProgramOutput}: one pump thread per stream; stdin is
 * closed at once so a child reading it sees end of file.
 */
final class ChildStreams implements ExecuteStreamHandler {
  private static final Logger LOG = LogManager.getLogger(ChildStreams.class);

  private final ProgramOutput output;
  private final ThreadFactory threads;
  private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
  private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
  private InputStream stdout;
  private InputStream stderr;

  ChildStreams(ProgramOutput output, ThreadFactory threads) {
    this.output = output;
    this.threads = threads;
  }

  @Override
  public void setProcessInputStream(OutputStream childStdin) throws IOException {
    childStdin.close();
  }

  @Override
  public void setProcessOutputStream(InputStream childStdout) {
    this.stdout = childStdout;
  }

  @Override
  public void setProcessErrorStream(InputStream childStderr) {
    this.stderr = childStderr;
  }

  @Override
  public void start() {
    threads.newThread(() -> pump(stdout, Channel.STDOUT, stdoutDone)).start();
    threads.newThread(() -> pump(stderr, Channel.STDERR, stderrDone)).start();
  }

  private void pump(InputStream in, Channel channel, CompletableFuture<Void> done) {
    try {
      output.pump(in, channel);
    } catch (IOException e) {
      // The JDK closes a dead child's pipe under a reader that got in late: end of output.
      LOG.debug("{} {} ended: {}", output.name(), channel, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("pumping {} of {} failed", channel, output.name(), e);
    } finally {
      done.complete(null);
    }
  }

  /** Waits for both pumps, so Commons Exec closes the pipes only once they are drained. */
  @Override
  public void stop() {
    drained().join();
  }

  CompletableFuture<Void> drained() {
    return CompletableFuture.allOf(stdoutDone, stderrDone);
  }
}
