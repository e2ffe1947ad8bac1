package dev.pmux.supervisor;

import dev.pmux.exec.Child;
import dev.pmux.exec.DaemonThreads;
import dev.pmux.log.Diagnostics;
import dev.pmux.output.Channel;
import dev.pmux.output.ProgramOutput;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/** {@link Pumps} with one blocking thread per stream. */
final class PumpThreads implements Pumps {

  @Override
  public CompletableFuture<Void> start(Child child, ProgramOutput output) {
    return CompletableFuture.allOf(
        pump(child.stdout(), output, Channel.STDOUT), pump(child.stderr(), output, Channel.STDERR));
  }

  /** Reads one stream on a thread of its own; completes at its end. */
  CompletableFuture<Void> pump(InputStream in, ProgramOutput output, Channel channel) {
    return pump(in, output, output.feed(channel), channel);
  }

  /**
   * Reads one stream into {@code feed} on a thread of its own. The feed is taken before the thread
   * starts: pmux, waiting for its programs' last lines at exit, waits for this one from now on.
   */
  CompletableFuture<Void> pump(
      InputStream in, ProgramOutput output, ProgramOutput.Feed feed, Channel channel) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    DaemonThreads.named("pmux-" + output.name())
        .newThread(() -> pump(output, in, feed, channel, done))
        .start();
    return done;
  }

  private static void pump(
      ProgramOutput output,
      InputStream in,
      ProgramOutput.Feed feed,
      Channel channel,
      CompletableFuture<Void> done) {
    try {
      output.pump(in, feed);
    } catch (IOException e) {
      // The JDK closes a dead child's pipe under a reader that got in late: the end of output,
      // nothing to report (and no reason to wait for Log4j here).
    } catch (RuntimeException e) {
      Diagnostics.of(PumpThreads.class).error("pumping {} of {} failed", channel, output.name(), e);
    } finally {
      try {
        in.close();
      } catch (IOException e) {
        // Closed already.
      }
      done.complete(null);
    }
  }
}
