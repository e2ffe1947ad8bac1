package dev.pmux.output;

import dev.pmux.log.Diagnostics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The one merged stream: programs' stdout lines to pmux's stdout, their stderr lines and pmux's
 * events to pmux's stderr. Each write is a batch of whole lines under the target's lock, so lines
 * never interleave mid-line; a target that fails (closed pipe) is reported once and then discarded.
 */
public final class MergedOutput implements StreamSink {

  private final Target stdout;
  private final Target stderr;
  private final LineFormat format;
  private final int tailLines;
  private final AtomicInteger pumps = new AtomicInteger();
  private final AtomicInteger deliveries = new AtomicInteger();

  /**
   * Writes to the given unbuffered streams (pmux batches itself, so no buffering is wanted),
   * keeping about {@code tailLines} recent lines per program for operators.
   */
  public MergedOutput(OutputStream stdout, OutputStream stderr, LineFormat format, int tailLines) {
    this.stdout = new Target("stdout", stdout);
    this.stderr = new Target("stderr", stderr);
    this.format = format;
    this.tailLines = tailLines;
  }

  public LineFormat format() {
    return format;
  }

  /** The output of one program, for its pumps and its events. */
  public ProgramOutput program(String name) {
    return new ProgramOutput(name, format, this, TailBuffer.forLines(tailLines));
  }

  /** Prints one event line ({@code <name> ~ <text>}) on stderr. */
  public void event(String name, String text) {
    byte[] line = format.eventLine(name.getBytes(StandardCharsets.UTF_8), text);
    write(Channel.EVENT, line, 0, line.length);
  }

  /**
   * Prints pmux's last event line and closes the merged stream behind it: whatever any thread
   * writes afterwards is dropped, so that this line stays the last (a forced exit halts right
   * after).
   */
  public void lastEvent(String name, String text) {
    stdout.end(null);
    byte[] line = format.eventLine(name.getBytes(StandardCharsets.UTF_8), text);
    stderr.end(line);
  }

  /**
   * Waits until every pump has reached the end of its stream (or {@code within} has passed), so
   * that pmux exits only once its programs' last lines are written everywhere.
   */
  public boolean awaitPumpsDone(Duration within) throws InterruptedException {
    return awaitZero(pumps, within);
  }

  /**
   * Waits until the last lines of every ended stream have been handed to Log4j (or {@code within}
   * has passed): on a loaded machine Log4j's start can take seconds, and lines it has not taken
   * when pmux exits are lost.
   */
  public boolean awaitDeliveries(Duration within) throws InterruptedException {
    return awaitZero(deliveries, within);
  }

  private static boolean awaitZero(AtomicInteger count, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (count) {
      while (count.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        count.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  @Override
  public void deliveryStarted() {
    deliveries.incrementAndGet();
  }

  @Override
  public void deliveryEnded() {
    countDown(deliveries);
  }

  @Override
  public void pumpStarted() {
    pumps.incrementAndGet();
  }

  @Override
  public void pumpEnded() {
    countDown(pumps);
  }

  /** One less, waking {@link #awaitZero} waiters. */
  private static void countDown(AtomicInteger count) {
    synchronized (count) {
      count.decrementAndGet();
      count.notifyAll();
    }
  }

  @Override
  public void write(Channel channel, byte[] bytes, int offset, int length) {
    (channel.toStdout() ? stdout : stderr).write(bytes, offset, length);
  }

  private static final class Target {
    private final String name;
    private final OutputStream out;
    private boolean broken;
    private boolean ended;

    Target(String name, OutputStream out) {
      this.name = name;
      this.out = out;
    }

    /** Writes {@code last} (if any) and nothing after it. */
    synchronized void end(byte @Nullable [] last) {
      if (last != null) {
        write(last, 0, last.length);
      }
      ended = true;
    }

    synchronized void write(byte[] bytes, int offset, int length) {
      if (broken || ended) {
        return;
      }
      try {
        out.write(bytes, offset, length);
        out.flush();
      } catch (IOException e) {
        broken = true;
        // Programs keep running and their pipes keep draining: a closed pmux stdout must not
        // block them on a full pipe, nor make pmux spin or die.
        Diagnostics.of(MergedOutput.class)
            .warn(
                "cannot write to {} ({}); its lines are discarded from now on",
                name,
                e.getMessage());
      }
    }
  }
}
