package dev.pmux.supervisor;

import dev.pmux.exec.Child;
import dev.pmux.exec.PipePoller;
import dev.pmux.output.Channel;
import dev.pmux.output.ProgramOutput;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Pumps} with a fixed number of threads whatever the number of programs: one {@link
 * PipePoller} for every child's stdout and one for every stderr, so that a blocked stdout (a reader
 * of pmux's output that stopped reading) never holds up stderr lines. A stream the pollers cannot
 * take (JNA or the descriptor unavailable) is read by a thread of its own, as {@link PumpThreads}.
 */
final class PolledPumps implements Pumps {
  private static final Pollers NONE = new Pollers(null, null);
  // One pair per JVM (their threads end when idle): pmux has one supervisor, tests have many.
  private static volatile Pollers pollers;

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
    boolean adopted =
        poller.adopt(
            stream,
            new PipePoller.Sink() {
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
            });
    if (!adopted) {
      feed.end();
      return fallback.pump(stream, output, channel);
    }
    return done;
  }

  private static Pollers pollers() {
    Pollers p = pollers;
    if (p == null) {
      synchronized (PolledPumps.class) {
        p = pollers;
        if (p == null) {
          PipePoller out = PipePoller.create("pmux-stdout");
          PipePoller err = out == null ? null : PipePoller.create("pmux-stderr");
          p = out == null || err == null ? NONE : new Pollers(out, err);
          pollers = p;
        }
      }
    }
    return p == NONE ? null : p;
  }
}
