package dev.pmux.exec;

import dev.pmux.output.Channel;
import dev.pmux.output.Log4jStartup;
import dev.pmux.output.ProgramOutput;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import org.apache.logging.log4j.Logger;

/**
 * Connects a child's stdout and stderr to its {@link ProgramOutput}: one pump thread per stream.
 */
final class ChildStreams {

  private final ProgramOutput output;
  private final ThreadFactory threads;
  private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
  private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();

  ChildStreams(ProgramOutput output, ThreadFactory threads) {
    this.output = output;
    this.threads = threads;
  }

  void start(InputStream stdout, InputStream stderr) {
    threads.newThread(() -> pump(stdout, Channel.STDOUT, stdoutDone)).start();
    threads.newThread(() -> pump(stderr, Channel.STDERR, stderrDone)).start();
  }

  private void pump(InputStream in, Channel channel, CompletableFuture<Void> done) {
    try {
      output.pump(in, channel);
    } catch (IOException e) {
      // The JDK closes a dead child's pipe under a reader that got in late: the end of output,
      // nothing to report (and no reason to wait for Log4j here).
    } catch (RuntimeException e) {
      Diagnostics.LOG.error("pumping {} of {} failed", channel, output.name(), e);
    } finally {
      try {
        in.close();
      } catch (IOException e) {
        // Closed already.
      }
      done.complete(null);
    }
  }

  /** Completes once both streams have ended. */
  CompletableFuture<Void> drained() {
    return CompletableFuture.allOf(stdoutDone, stderrDone);
  }

  /** Created on first use: Log4j starts in the background, off pmux's own start-up. */
  private static final class Diagnostics {
    static final Logger LOG = Log4jStartup.logger(ChildStreams.class.getName());
  }
}
