package dev.pmux.output;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;

/**
 * The Go tool's line prefix: {@code <name><pad><sep> } and, with a time format, {@code <time> <sep> }
 * before it. Padding makes every prefix as wide as the longest name (at least "pmux") plus one.
 */
public final class LineFormat {
  static final String PMUX = "pmux";

  private final DateTimeFormatter timeFormatter;
  private final Clock clock;
  private volatile int width = PMUX.length() + 1;

  /** A format with timestamps from {@code timeFormatter} (null: none) read off {@code clock}. */
  public LineFormat(DateTimeFormatter timeFormatter, Clock clock) {
    this.timeFormatter = timeFormatter;
    this.clock = clock;
  }

  /**
   * Grows the padding so that {@code names} fit; it never shrinks, as in the Go tool. Go counts
   * bytes, not characters, so a non-ASCII name pads by its UTF-8 length.
   */
  public synchronized void widenFor(Collection<String> names) {
    int w = width;
    for (String name : names) {
      w = Math.max(w, name.getBytes(StandardCharsets.UTF_8).length + 1);
    }
    width = w;
  }

  int width() {
    return width;
  }

  boolean timestamped() {
    return timeFormatter != null;
  }

  /** The prefix for one line of {@code name} on {@code channel}, timestamped now if configured. */
  byte[] prefix(byte[] name, Channel channel) {
    byte[] sep = channel.separator().getBytes(StandardCharsets.UTF_8);
    byte[] time =
        timeFormatter == null
            ? new byte[0]
            : timeFormatter.format(ZonedDateTime.now(clock)).getBytes(StandardCharsets.UTF_8);
    int pad = Math.max(0, width - name.length);
    int timePart = time.length == 0 ? 0 : time.length + 1 + sep.length + 1;
    byte[] out = new byte[timePart + name.length + pad + sep.length + 1];
    int i = 0;
    if (timePart > 0) {
      System.arraycopy(time, 0, out, 0, time.length);
      i = time.length;
      out[i++] = ' ';
      System.arraycopy(sep, 0, out, i, sep.length);
      i += sep.length;
      out[i++] = ' ';
    }
    System.arraycopy(name, 0, out, i, name.length);
    i += name.length;
    for (int p = 0; p < pad; p++) {
      out[i++] = ' ';
    }
    System.arraycopy(sep, 0, out, i, sep.length);
    i += sep.length;
    out[i] = ' ';
    return out;
  }
}
