package dev.pmux.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * An output stream that frames what is written into lines and hands each one, with the moment it
 * arrived, to a {@link Handler} instead of keeping it: tests can check gigabytes of pmux output, or
 * time its lines, in constant memory. Used as the target of an in-process {@code MergedOutput} or
 * fed from a real pmux's stdout by {@link #pump}.
 */
final class LineTap extends OutputStream {
  /** Receives each line without its newline; the array is only valid during the call. */
  @FunctionalInterface
  interface Handler {
    void line(byte[] bytes, int offset, int length, long arrivedNanos);
  }

  /** Longer than any line pmux may write (64 KiB plus its prefix); a longer one is a failure. */
  private static final int MAX_LINE = 1024 * 1024;

  private final Handler handler;
  private byte[] carry = new byte[1024];
  private int carried;
  private long bytes;

  LineTap(Handler handler) {
    this.handler = handler;
  }

  /** Reads {@code in} to its end on a daemon thread, framing it into {@code tap}. */
  static Thread pump(InputStream in, LineTap tap, String name) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  tap.write(buf, 0, n);
                }
              } catch (IOException e) {
                // The writer is gone.
              } finally {
                tap.close();
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Bytes written so far, newlines included. */
  synchronized long bytes() {
    return bytes;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    long now = System.nanoTime();
    bytes += len;
    int end = off + len;
    int start = off;
    for (int i = off; i < end; i++) {
      if (b[i] != '\n') {
        continue;
      }
      if (carried == 0) {
        handler.line(b, start, i - start, now);
      } else {
        append(b, start, i - start);
        handler.line(carry, 0, carried, now);
        carried = 0;
      }
      start = i + 1;
    }
    append(b, start, end - start);
  }

  /** Hands over a last line that never got its newline. */
  @Override
  public synchronized void close() {
    if (carried > 0) {
      handler.line(carry, 0, carried, System.nanoTime());
      carried = 0;
    }
  }

  private void append(byte[] b, int off, int len) {
    if (len == 0) {
      return;
    }
    if (carried + len > MAX_LINE) {
      throw new IllegalStateException("a line longer than " + MAX_LINE + " bytes");
    }
    if (carried + len > carry.length) {
      carry = Arrays.copyOf(carry, Math.max(carried + len, carry.length * 2));
    }
    System.arraycopy(b, off, carry, carried, len);
    carried += len;
  }
}
