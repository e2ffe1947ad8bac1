package dev.pmux.supervisor;

import dev.pmux.exec.Child;
import dev.pmux.exec.PipePoller;
import dev.pmux.output.Channel;
import dev.pmux.output.ProgramOutput;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * {@link Pumps} with a fixed number of threads whatever the number of programs: one {@link
 * PipePoller} for every child's stdout and one for every stderr, so that a blocked stdout (a reader
 * of pmux's output that stopped reading) never holds up stderr lines. A stream the pollers cannot
 * take (JNA or the descriptor unavailable) is read by a thread of its own, as {@link PumpThreads}.
 */
final class PolledPumps implements Pumps {
  private static final Object LOCK = new Object();
  // One pair per JVM (their threads end when idle): pmux has one supervisor, tests have many.
  private static @Nullable Pollers pollers; // guarded by LOCK
  private static boolean tried; // guarded by LOCK

  private final PumpThreads fallback = new PumpThreads();

  private record Pollers(PipePoller stdout, PipePoller stderr) {}

  @Override
  public CompletableFuture<Void> start(Child child, ProgramOutput output) {
    Pollers p = pollers();
    if (p == null) {
      return fallback.start(child, output);
    }
    return CompletableFuture.allOf(
        start(p.stdout(), child.stdout(), output, Channel.STDOUT),
        start(p.stderr(), child.stderr(), output, Channel.STDERR));
  }

  private CompletableFuture<Void> start(
      PipePoller poller, InputStream stream, ProgramOutput output, Channel channel) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ProgramOutput.Feed feed = output.feed(channel);
    boolean adopted = poller.adopt(stream, new FeedSink(output, channel, feed, done));
    if (!adopted) {
      // The same feed, so that pmux keeps waiting for these lines while a thread starts for them.
      return fallback.pump(stream, output, feed, channel);
    }
    return done;
  }

  /** A pipe of one program's channel, read into its feed. */
  record FeedSink(
      ProgramOutput output, Channel channel, ProgramOutput.Feed feed, CompletableFuture<Void> done)
      implements PipePoller.Sink {
    @Override
    public void data(byte[] bytes, int offset, int length) {
      feed.accept(bytes, offset, length);
    }

    @Override
    public void end() {
      try {
        feed.end();
      } finally {
        done.complete(null);
      }
    }
  }

  /**
   * Stops reading every program's pipes until {@link #resume()} (same thread); returns them,
   * descriptor to sink. Empty where pipes are read by threads (they cannot be handed over).
   */
  static Map<Integer, FeedSink> pause() {
    Pollers p = pollers();
    Map<Integer, FeedSink> pipes = new HashMap<>();
    if (p == null) {
      return pipes;
    }
    for (PipePoller poller : List.of(p.stdout(), p.stderr())) {
      poller
          .pause()
          .forEach(
              (fd, sink) -> {
                if (sink instanceof FeedSink feedSink) {
                  pipes.put(fd, feedSink);
                }
              });
    }
    return pipes;
  }

  /** Reads again after {@link #pause()}. */
  static void resume() {
    Pollers p = pollers();
    if (p != null) {
      p.stdout().resume();
      p.stderr().resume();
    }
  }

  private static @Nullable Pollers pollers() {
    synchronized (LOCK) {
      if (!tried) {
        tried = true;
        PipePoller out = PipePoller.create("pmux-stdout");
        PipePoller err = out == null ? null : PipePoller.create("pmux-stderr");
        if (out != null && err != null) {
          pollers = new Pollers(out, err);
        }
      }
      return pollers;
    }
  }
}
