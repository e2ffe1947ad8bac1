package dev.pmux.bench;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Test data shaped like bench/generator's output: numbered lines of a fixed length. */
final class Lines {
  private Lines() {}

  /** {@code count} lines of {@code length} bytes each, newline included. */
  static byte[] of(int count, int length) {
    byte[] out = new byte[count * length];
    for (int i = 0; i < count; i++) {
      int at = i * length;
      byte[] head = String.format("Lp0:%010d:", i + 1).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(head, 0, out, at, Math.min(head.length, length - 1));
      for (int j = at + head.length; j < at + length - 1; j++) {
        out[j] = 'x';
      }
      out[at + length - 1] = '\n';
    }
    return out;
  }

  /** Discards what it is given, but reads it, so the JIT cannot drop the copying that made it. */
  static final class Sink extends OutputStream {
    long bytes;
    int mix;

    @Override
    public void write(int b) {
      bytes++;
      mix += b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
      mix += b[off] + b[off + len - 1];
    }
  }
}
