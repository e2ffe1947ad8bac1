package dev.pmux.output;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The most recent output of one program as it appeared in the merged stream, kept in a byte ring
 * that grows on demand up to a fixed capacity: one copy per written batch, decoding only when an
 * operator asks for the tail.
 */
final class TailBuffer {
  private static final int INITIAL = 1024;

  private final int capacity;
  private byte[] ring = new byte[0];
  private int end; // next write position
  private int size;

  /** Keeps about {@code lines} lines of average length, at least 16 KiB. */
  static TailBuffer forLines(int lines) {
    return new TailBuffer(lines <= 0 ? 0 : Math.max(16 * 1024, lines * 256));
  }

  TailBuffer(int capacity) {
    this.capacity = capacity;
  }

  synchronized void append(byte[] bytes, int offset, int length) {
    if (capacity == 0 || length == 0) {
      return;
    }
    if (length >= capacity) {
      offset += length - capacity;
      length = capacity;
    }
    ensureRoom(size + length);
    int first = Math.min(length, ring.length - end);
    System.arraycopy(bytes, offset, ring, end, first);
    System.arraycopy(bytes, offset + first, ring, 0, length - first);
    end = (end + length) % ring.length;
    size = Math.min(ring.length, size + length);
  }

  private void ensureRoom(int wanted) {
    if (ring.length >= capacity || wanted <= ring.length) {
      return;
    }
    byte[] grown =
        new byte[Math.min(capacity, Math.max(INITIAL, Math.max(wanted, ring.length * 2)))];
    byte[] content = contents();
    System.arraycopy(content, 0, grown, 0, content.length);
    ring = grown;
    size = content.length;
    end = content.length % grown.length;
  }

  private byte[] contents() {
    byte[] out = new byte[size];
    int start = Math.floorMod(end - size, Math.max(1, ring.length));
    int first = Math.min(size, ring.length - start);
    System.arraycopy(ring, start, out, 0, first);
    System.arraycopy(ring, 0, out, first, size - first);
    return out;
  }

  /** The last {@code n} whole lines, oldest first, without their newline. */
  List<String> lastLines(int n) {
    byte[] content;
    synchronized (this) {
      content = contents();
    }
    List<String> lines = new ArrayList<>();
    if (content.length == 0) {
      return lines;
    }
    int lineEnd = content.length;
    if (lineEnd > 0 && content[lineEnd - 1] == '\n') {
      lineEnd--;
    }
    for (int i = lineEnd - 1; i >= -1 && lines.size() < n; i--) {
      if (i == -1 || content[i] == '\n') {
        // The oldest piece may be the cut-off end of a line: drop it unless it starts the buffer.
        if (i == -1 && size == ring.length && ring.length == capacity) {
          break;
        }
        lines.add(new String(content, i + 1, lineEnd - i - 1, StandardCharsets.UTF_8));
        lineEnd = i;
      }
    }
    Collections.reverse(lines);
    return List.copyOf(lines);
  }
}
