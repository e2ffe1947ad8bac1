package dev.pmux.output;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * The Go tool's line prefix: {@code <name><pad><sep> } and, with a time format, {@code <time> <sep>
 * } before it. Padding makes every prefix as wide as the longest name (at least "pmux") plus one.
 */
public final class LineFormat {
  static final String PMUX = "pmux";

  // Readable on dark and light terminals; the same name always gets the same one.
  private static final int[] COLOURS = {32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96};

  private final @Nullable DateTimeFormatter timeFormatter;
  private final Clock clock;
  private final boolean colourStdout;
  private final boolean colourStderr;
  private volatile int width = PMUX.length() + 1;

  /** A format with timestamps from {@code timeFormatter} (null: none) read off {@code clock}. */
  public LineFormat(@Nullable DateTimeFormatter timeFormatter, Clock clock) {
    this(timeFormatter, clock, false, false);
  }

  /**
   * Like {@link #LineFormat(DateTimeFormatter, Clock)}, with program names coloured on the streams
   * that a person watches (a terminal); redirected output stays byte-identical to the Go tool's.
   */
  public LineFormat(
      @Nullable DateTimeFormatter timeFormatter,
      Clock clock,
      boolean colourStdout,
      boolean colourStderr) {
    this.timeFormatter = timeFormatter;
    this.clock = clock;
    this.colourStdout = colourStdout;
    this.colourStderr = colourStderr;
  }

  /** The ANSI colour code of {@code name}: stable across runs and machines. */
  static int colourOf(byte[] name) {
    return COLOURS[Math.floorMod(Arrays.hashCode(name), COLOURS.length)];
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

  /** One whole event line, {@code <prefix><text>\n}, for {@code name}. */
  byte[] eventLine(byte[] name, String text) {
    byte[] prefix = prefix(name, Channel.EVENT);
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] line = Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, line, prefix.length, body.length);
    return line;
  }

  /** The prefix for one line of {@code name} on {@code channel}, timestamped now if configured. */
  byte[] prefix(byte[] name, Channel channel) {
    byte[] sep = channel.separator().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    if (timeFormatter != null) {
      out.writeBytes(
          timeFormatter.format(ZonedDateTime.now(clock)).getBytes(StandardCharsets.UTF_8));
      out.write(' ');
      out.writeBytes(sep);
      out.write(' ');
    }
    if (channel.toStdout() ? colourStdout : colourStderr) {
      out.writeBytes(("\u001b[" + colourOf(name) + "m").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(name);
      out.writeBytes("\u001b[0m".getBytes(StandardCharsets.US_ASCII));
    } else {
      out.writeBytes(name);
    }
    for (int pad = width - name.length; pad > 0; pad--) {
      out.write(' ');
    }
    out.writeBytes(sep);
    out.write(' ');
    return out.toByteArray();
  }
}
