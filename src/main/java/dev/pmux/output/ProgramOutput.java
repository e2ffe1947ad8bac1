package dev.pmux.output;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.jspecify.annotations.Nullable;

/**
 * The output side of one program: pumps its stdout and stderr into the merged stream and prints its
 * events. Lines also go to the Log4j logger {@code pmux.process.<name>} (stdout at INFO, stderr at
 * WARN) when {@code log4j2.xml} enables it.
 */
public final class ProgramOutput {
  /** Bytes read from a child in one go; also the write batch size in a flood. */
  static final int READ_SIZE = 64 * 1024;

  private static final int FIRST_READ_SIZE = 1024;

  private final String name;
  private final byte[] nameBytes;
  private final LineFormat format;
  private final StreamSink merged;
  private final Log4jForwarder log4j;
  private final TailBuffer tail;
  private volatile @Nullable Consumer<String> lineWatcher;
  private final Map<Channel, byte[]> carriedOver = new java.util.concurrent.ConcurrentHashMap<>();

  ProgramOutput(String name, LineFormat format, StreamSink merged, TailBuffer tail) {
    this.name = name;
    this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
    this.format = format;
    this.merged = merged;

    this.tail = tail;
    this.log4j = new Log4jForwarder(name, this::event);
  }

  public String name() {
    return name;
  }

  /** Prints {@code <name> ~ <text>}; Log4j gets it too, as {@code ~ <text>} at INFO. */
  public void event(String text) {
    byte[] line = format.eventLine(nameBytes, text);
    merged.write(Channel.EVENT, line, 0, line.length);
    tail.append(line, 0, line.length);
    log4j.event(text);
  }

  /**
   * Shows each further line of output (stdout and stderr, decoded as UTF-8) to {@code watcher},
   * e.g. a readiness check; null stops.
   */
  public void watchLines(@Nullable Consumer<String> watcher) {
    lineWatcher = watcher;
  }

  /** The last {@code lines} lines of this program in the merged stream, oldest first. */
  public List<String> tail(int lines) {
    return tail.lastLines(lines);
  }

  /**
   * Copies {@code in} line by line into the merged stream through {@code feed} (taken on the
   * caller's thread, so that pmux waits for it from then on) until it ends; blocks meanwhile. Each
   * read becomes one write of whole lines, flushed at once: no line waits in a buffer, and a slow
   * reader of pmux's output slows the child down through its pipe instead of filling memory.
   */
  public void pump(InputStream in, Feed feed) throws IOException {
    // Log4j appenders can route on it, e.g. one file per program.
    ThreadContext.put("process", name);
    // Small at first, so that a thousand quiet programs cost little; it grows while reads fill it.
    byte[] buf = new byte[FIRST_READ_SIZE];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        feed.accept(buf, 0, n);
        if (n == buf.length && buf.length < READ_SIZE) {
          buf = new byte[buf.length * 2];
        }
      }
    } finally {
      feed.end();
    }
  }

  /**
   * The same framing as {@link #pump} for a reader that hands over what it read as it comes (one
   * thread serving many programs' pipes); call {@link Feed#end} once at the end of the stream.
   */
  public Feed feed(Channel channel) {
    Feed feed = new Feed(channel);
    byte[] carried = carriedOver.remove(channel);
    if (carried != null && carried.length > 0) {
      feed.accept(carried, 0, carried.length);
    }
    return feed;
  }

  /**
   * The start of an unfinished line that the pmux before an upgrade had read from {@code channel}:
   * the next feed of that channel begins with it, so that the line is written whole.
   */
  public void carryOver(Channel channel, byte[] unfinished) {
    carriedOver.put(channel, unfinished.clone());
  }

  /** One stream of this program, framed into whole prefixed lines as its bytes arrive. */
  public final class Feed {
    private final LineFramer framer = new LineFramer();
    private final LineBatch batch;
    private boolean ended;

    private Feed(Channel channel) {
      this.batch = new LineBatch(channel, channel == Channel.STDERR ? Level.WARN : Level.INFO);
      merged.pumpStarted();
    }

    /** The unfinished last line held back so far, for the pmux after an upgrade. */
    public byte[] unfinished() {
      return framer.pendingBytes();
    }

    /**
     * Writes the whole lines among {@code length} more bytes of the stream as one batch; keeps an
     * unfinished last line for later. {@code bytes} may be reused once this returns.
     */
    public void accept(byte[] bytes, int offset, int length) {
      batch.begin();
      framer.feed(bytes, offset, length, batch);
      batch.flush();
    }

    /** The stream ended: writes an unfinished last line, if any. */
    public void end() {
      if (ended) {
        return;
      }
      ended = true;
      // Counted before the pump's count drops, so that pmux's exit sees no gap between the two.
      merged.deliveryStarted();
      try {
        batch.begin();
        framer.finish(batch);
        batch.flush();
      } finally {
        merged.pumpEnded();
        try {
          log4j.finish();
        } finally {
          merged.deliveryEnded();
        }
      }
    }
  }

  /** Whole prefixed lines collected from one read, written in one call. */
  private final class LineBatch implements LineFramer.LineSink {
    private final Channel channel;
    private final Level level;
    private byte[] bytes = new byte[256];
    private int size;
    private byte[] prefix = new byte[0];
    private int prefixWidth = -1;

    LineBatch(Channel channel, Level level) {
      this.channel = channel;
      this.level = level;
    }

    void begin() {

      if (format.timestamped() || prefixWidth != format.width()) {
        prefixWidth = format.width();
        prefix = format.prefix(nameBytes, channel);
      }
    }

    @Override
    public void line(byte[] line, int offset, int length) {
      int need = prefix.length + length + 1;
      if (size + need > bytes.length) {
        if (size > 0 && size + need > 4 * READ_SIZE) {
          flush();
        }
        if (need > bytes.length - size) {
          bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + need));
        }
      }
      System.arraycopy(prefix, 0, bytes, size, prefix.length);
      size += prefix.length;
      System.arraycopy(line, offset, bytes, size, length);
      size += length;
      bytes[size++] = '\n';
    }

    /**
     * Writes the batch to the merged stream first, then to Log4j: neither Log4j's start-up nor a
     * slow or failing appender can delay, or lose, a line of the merged stream.
     */
    void flush() {
      if (size > 0) {
        merged.write(channel, bytes, 0, size);
        tail.append(bytes, 0, size);
        toWatcher();
        toLog4j();
        size = 0;
      }
    }

    private void toWatcher() {
      Consumer<String> watcher = lineWatcher;
      if (watcher == null) {
        return;
      }
      for (int start = 0; start < size; ) {
        int end = endOfLine(start);
        watcher.accept(
            new String(
                bytes, start + prefix.length, end - start - prefix.length, StandardCharsets.UTF_8));
        start = end + 1;
      }
    }

    /** The index of the newline that ends the prefixed line starting at {@code start}. */
    private int endOfLine(int start) {
      int end = start + prefix.length;
      while (bytes[end] != '\n') {
        end++;
      }
      return end;
    }

    private void toLog4j() {
      if (!log4j.wants(level)) {
        return;
      }
      for (int start = 0; start < size; ) {
        int end = endOfLine(start);
        log4j.line(
            level,
            new String(
                bytes, start + prefix.length, end - start - prefix.length, StandardCharsets.UTF_8));
        start = end + 1;
      }
    }
  }
}
