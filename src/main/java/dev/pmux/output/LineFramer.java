package dev.pmux.output;

import java.util.Arrays;

/**
 * Splits a byte stream into lines at {@code \n}, keeping every other byte (including {@code \r} and
 * invalid UTF-8) as it was, and cutting lines longer than {@link #MAX_LINE} bytes so memory stays
 * bounded whatever a child writes.
 */
public final class LineFramer {
  /** The longest line passed on whole; longer ones come out in pieces of this size. */
  public static final int MAX_LINE = 64 * 1024;

  /** Receives framed lines; the array is only valid during the call. */
  @FunctionalInterface
  public interface LineSink {
    void line(byte[] bytes, int offset, int length);
  }

  private final int maxLine;
  private byte[] carry = new byte[256];
  private int carried;

  public LineFramer() {
    this(MAX_LINE);
  }

  LineFramer(int maxLine) {
    this.maxLine = maxLine;
  }

  /** Frames {@code length} bytes of {@code buf}; a partial last line is kept for the next call. */
  public void feed(byte[] buf, int offset, int length, LineSink sink) {
    int end = offset + length;
    int start = offset;
    while (start < end) {
      int newline = indexOf(buf, start, end, (byte) '\n');
      if (newline < 0) {
        carry(buf, start, end - start, sink);
        return;
      }
      if (carried == 0) {
        emitCut(buf, start, newline - start, sink);
      } else {
        carry(buf, start, newline - start, sink);
        sink.line(carry, 0, carried);
        carried = 0;
      }
      start = newline + 1;
    }
  }

  /** Emits a final line that never got its newline, as the stream ended. */
  public void finish(LineSink sink) {
    if (carried > 0) {
      sink.line(carry, 0, carried);
      carried = 0;
    }
  }

  /** Bytes of an unfinished line held back, at most {@link #MAX_LINE}. */
  public int pending() {
    return carried;
  }

  /** A copy of the unfinished line held back (empty when none). */
  public byte[] pendingBytes() {
    return java.util.Arrays.copyOf(carry, carried);
  }

  private void emitCut(byte[] buf, int start, int length, LineSink sink) {
    while (length > maxLine) {
      sink.line(buf, start, maxLine);
      start += maxLine;
      length -= maxLine;
    }
    sink.line(buf, start, length);
  }

  private void carry(byte[] buf, int start, int length, LineSink sink) {
    while (length > 0) {
      int room = maxLine - carried;
      if (room == 0) {
        sink.line(carry, 0, carried);
        carried = 0;
        room = maxLine;
      }
      int n = Math.min(room, length);
      if (carried + n > carry.length) {
        carry = Arrays.copyOf(carry, Math.min(maxLine, Math.max(carried + n, carry.length * 2)));
      }
      System.arraycopy(buf, start, carry, carried, n);
      carried += n;
      start += n;
      length -= n;
    }
  }

  private static int indexOf(byte[] buf, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
