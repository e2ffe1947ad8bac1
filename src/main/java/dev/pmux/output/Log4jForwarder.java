package dev.pmux.output;

import dev.pmux.log.Log4jStartup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.message.TimestampMessage;
import org.jspecify.annotations.Nullable;

/**
 * Hands one program's lines to its Log4j logger {@code pmux.process.<name>} without ever making the
 * program wait: lines that come while Log4j is still starting are held (a bounded number) and
 * delivered, in order, as soon as it has started; an appender that throws is reported once; when an
 * appender stops taking the lines (a full disk) and when it takes them again, with how many it
 * dropped, is said as the program's own {@code ~} line.
 */
final class Log4jForwarder {
  private static final int MAX_HELD = 10_000;
  private static final long MAX_HELD_CHARS = 1 << 20;
  private static final int MAX_HELD_EVENTS = 100;

  private final String program;
  private final ArrayDeque<Held> held = new ArrayDeque<>(); // guarded by this
  private boolean drainScheduled; // guarded by this
  private boolean overflowed; // guarded by this
  private boolean holdingOutput; // guarded by this: a line of output (not only events) is held
  private int heldEvents; // guarded by this
  private long heldChars; // guarded by this
  private volatile @Nullable Logger logger;
  private volatile boolean failureReported;
  private final Consumer<String> events;
  private boolean watched; // guarded by this
  private long dropped; // guarded by this
  // pmux's own line about the file goes through the file too: its outcome must not count twice.
  private boolean saying; // guarded by this

  private record Held(Level level, String line, long epochMillis) {}

  /** A held line with the time it came: Log4j stamps it with that instead of the delivery's. */
  private record Stamped(String text, long epochMillis) implements Message, TimestampMessage {
    @Override
    public String getFormattedMessage() {
      return text;
    }

    @Override
    public Object[] getParameters() {
      return new Object[0];
    }

    @Override
    public @Nullable Throwable getThrowable() {
      return null;
    }

    @Override
    public long getTimestamp() {
      return epochMillis;
    }
  }

  /** {@code events} prints a line as the program's own {@code ~} line. */
  Log4jForwarder(String program, Consumer<String> events) {
    this.program = program;
    this.events = events;
  }

  /**
   * Whether lines at {@code level} are wanted. Until Log4j has started nobody knows: the first
   * lines (up to {@value #MAX_HELD}, 1 Mi characters) are held, the rest are not even decoded, so
   * that a flood at start-up costs neither time nor memory.
   */
  boolean wants(Level level) {
    if (!Log4jStartup.started()) {
      synchronized (this) {
        if (held.size() < MAX_HELD && heldChars < MAX_HELD_CHARS) {
          return true;
        }
        overflowed = true;
        return false;
      }
    }
    try {
      return logger().isEnabled(level);
    } catch (RuntimeException e) {
      failed(e);
      return false;
    }
  }

  void line(Level level, String line) {
    synchronized (this) {
      if (!Log4jStartup.started()) {
        holdingOutput = true;
        hold(level, line);
        Log4jStartup.begin();
        return;
      }
      if (!held.isEmpty() || overflowed) {
        drain();
      }
    }
    log(level, line);
  }

  /**
   * One of pmux's events about this program ({@code ~ exited: ...}), at INFO, from any thread. An
   * event never starts Log4j (a run whose programs print nothing never does): until something else
   * starts it, the first {@value #MAX_HELD_EVENTS} events are held with the lines.
   */
  void event(String text) {
    String line = "~ " + text;
    String before = ThreadContext.get("process");
    try {
      synchronized (this) {
        if (!Log4jStartup.started()) {
          // Log4j may never start: a silent program that crash-loops must not fill memory.
          if (heldEvents < MAX_HELD_EVENTS) {
            heldEvents++;
            hold(Level.INFO, line);
          } else {
            overflowed = true;
          }
          return;
        }
        if (!held.isEmpty() || overflowed) {
          drain();
        }
      }
      if (wants(Level.INFO)) {
        log(Level.INFO, line);
      }
    } finally {
      restore(before);
    }
  }

  /** Keeps a line for Log4j's start (bounded), and has it delivered then. */
  private void hold(Level level, String line) {
    if (held.size() < MAX_HELD && heldChars + line.length() <= MAX_HELD_CHARS) {
      held.add(new Held(level, line, System.currentTimeMillis()));
      heldChars += line.length();
    } else {
      overflowed = true;
    }
    if (!drainScheduled) {
      drainScheduled = true;
      Log4jStartup.onceStarted(this::drain);
    }
  }

  /**
   * Delivers whatever is still held, waiting for Log4j to start if need be: the program's output
   * has ended, and pmux may be about to exit.
   */
  void finish() {
    boolean holding;
    synchronized (this) {
      // Events alone wait for Log4j to start for another reason; they never start it.
      holding = (!held.isEmpty() || overflowed) && (holdingOutput || Log4jStartup.started());
    }
    if (holding) {
      Log4jStartup.logger(Log4jForwarder.class.getName());
      drain();
    }
  }

  private synchronized void drain() {
    List<Held> lines = new ArrayList<>(held);
    held.clear();
    heldChars = 0;
    heldEvents = 0;
    boolean lost = overflowed;
    overflowed = false;
    // Appenders may route on the program's name, which the pump threads carry; this may be
    // another thread (the one that started Log4j).
    String before = ThreadContext.get("process");
    ThreadContext.put("process", program);
    try {
      for (Held h : lines) {
        log(h.level(), new Stamped(h.line(), h.epochMillis()));
      }
    } finally {
      restore(before);
    }
    if (lost && wantsAny()) {
      warn(
          "lines of "
              + program
              + " beyond the first "
              + lines.size()
              + " that came while Log4j was starting did not reach it");
    }
  }

  private static void restore(@Nullable String process) {
    if (process == null) {
      ThreadContext.remove("process");
    } else {
      ThreadContext.put("process", process);
    }
  }

  private boolean wantsAny() {
    try {
      return logger().isEnabled(Level.INFO) || logger().isEnabled(Level.WARN);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void log(Level level, String line) {
    log(level, new SimpleMessage(line));
  }

  private void log(Level level, Message message) {
    try {
      Logger l = logger();
      if (l.isEnabled(level)) {
        // Appenders route on it (one file per program); one poller thread reads many programs.
        if (!program.equals(ThreadContext.get("process"))) {
          ThreadContext.put("process", program);
        }
        AppenderFailures.begin();
        l.log(level, message);
        written(AppenderFailures.end());
      }
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /**
   * Says when lines stop reaching an appender (the first line it fails to write) and when they
   * reach it again, with how many were dropped in between.
   */
  private synchronized void written(@Nullable String failure) {
    if (!watched) {
      // This program's route (if any) has its appender now.
      watched = true;
      AppenderFailures.watchAppenders();
    }
    if (saying) {
      return;
    }
    if (failure != null) {
      if (dropped++ == 0) {
        say("log file stopped taking lines (" + failure + "); counting what is dropped");
      }
    } else if (dropped > 0) {
      long count = dropped;
      dropped = 0;
      say(
          "log file takes lines again; "
              + count
              + (count == 1 ? " line was" : " lines were")
              + " dropped");
    }
  }

  private void say(String text) {
    saying = true;
    try {
      events.accept(text);
    } finally {
      saying = false;
    }
  }

  private Logger logger() {
    Logger l = logger;
    if (l == null) {
      l = Log4jStartup.logger("pmux.process." + program);
      AppenderFailures.watchAppenders();
      logger = l;
    }
    return l;
  }

  /** An appender that throws (ignoreExceptions="false") must not stop the pump: say so once. */
  private void failed(RuntimeException e) {
    if (!failureReported) {
      failureReported = true;
      warn("the lines of " + program + " cannot go to Log4j: " + e);
    }
  }

  private static void warn(String message) {
    try {
      Log4jStartup.logger(Log4jForwarder.class.getName()).warn(message);
    } catch (RuntimeException e) {
      System.err.println("pmux: " + message);
    }
  }
}
