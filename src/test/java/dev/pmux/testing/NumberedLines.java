package dev.pmux.testing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Lines that must come numbered 1, 2, 3... after a fixed prefix (a program's lines on pmux's
 * stdout, such as {@code ticker › tick 7}), taken one at a time from a reader thread: counts them
 * while they come in order and keeps the first one that does not, for the test to fail with.
 */
public final class NumberedLines {
  private final String prefix;
  private final AtomicLong count = new AtomicLong();
  private final AtomicReference<@Nullable String> problem = new AtomicReference<>();

  /** Lines {@code prefix + "1"}, {@code prefix + "2"}, and so on. */
  public NumberedLines(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Takes one line without its newline, as {@code LineTap}'s handler does (so {@code new
   * LineTap(lines::line)}).
   */
  public void line(byte[] bytes, int offset, int length, long arrivedNanos) {
    String line = new String(bytes, offset, length, StandardCharsets.UTF_8);
    String expected = prefix + (count.get() + 1);
    if (line.equals(expected)) {
      count.incrementAndGet();
    } else {
      problem.compareAndSet(null, "expected <" + expected + "> but was <" + line + ">");
    }
  }

  /** How many lines came in order so far. */
  public long count() {
    return count.get();
  }

  /** The first line out of order, described, or null while there was none. */
  public @Nullable String problem() {
    return problem.get();
  }
}
