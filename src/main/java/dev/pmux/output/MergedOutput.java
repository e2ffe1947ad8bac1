package dev.pmux.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.Logger;

/**
 * The one merged stream: programs' stdout lines to pmux's stdout, their stderr lines and pmux's
 * events to pmux's stderr. Each write is a batch of whole lines under the target's lock, so lines
 * never interleave mid-line; a target that fails (closed pipe) is reported once and then discarded.
 */
public final class MergedOutput {

  private final Target stdout;
  private final Target stderr;
  private final LineFormat format;
  private final int tailLines;
  private final java.util.concurrent.atomic.AtomicInteger pumps =
      new java.util.concurrent.atomic.AtomicInteger();

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
    return new ProgramOutput(name, this, TailBuffer.forLines(tailLines));
  }

  /** Prints one event line ({@code <name> ~ <text>}) on stderr; returns the line as written. */
  public byte[] event(String name, String text) {
    byte[] prefix = format.prefix(name.getBytes(StandardCharsets.UTF_8), Channel.EVENT);
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] line = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, line, 0, prefix.length);
    System.arraycopy(body, 0, line, prefix.length, body.length);
    write(Channel.EVENT, line, 0, line.length);
    return line;
  }

  /**
   * Waits until every pump has reached the end of its stream (or {@code within} has passed), so
   * that pmux exits only once its programs' last lines are written everywhere.
   */
  public boolean awaitPumpsDone(java.time.Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (pumps) {
      while (pumps.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        pumps.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  void pumpStarted() {
    pumps.incrementAndGet();
  }

  void pumpEnded() {
    synchronized (pumps) {
      pumps.decrementAndGet();
      pumps.notifyAll();
    }
  }

  /** Writes whole lines in one go; never throws, so a broken output cannot stop supervision. */
  void write(Channel channel, byte[] bytes, int offset, int length) {
    (channel.toStdout() ? stdout : stderr).write(bytes, offset, length);
  }

  private static final class Target {
    private final String name;
    private final OutputStream out;
    private boolean broken;

    Target(String name, OutputStream out) {
      this.name = name;
      this.out = out;
    }

    synchronized void write(byte[] bytes, int offset, int length) {
      if (broken) {
        return;
      }
      try {
        out.write(bytes, offset, length);
        out.flush();
      } catch (IOException e) {
        broken = true;
        // Programs keep running and their pipes keep draining: a closed pmux stdout must not
        // block them on a full pipe, nor make pmux spin or die.
        Diagnostics.LOG.warn(
            "cannot write to {} ({}); its lines are discarded from now on", name, e.getMessage());
      }
    }
  }

  /** Created on first use: Log4j starts in the background, off pmux's own start-up. */
  private static final class Diagnostics {
    static final Logger LOG = Log4jStartup.logger(MergedOutput.class.getName());
  }
}
