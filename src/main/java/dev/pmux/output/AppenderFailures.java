package dev.pmux.output;

import java.lang.reflect.Field;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.ErrorHandler;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.routing.RoutingAppender;
import org.apache.logging.log4j.core.config.AppenderControl;
import org.jspecify.annotations.Nullable;

/**
 * Tells the thread that logs a program's line whether an appender failed to write it. An appender
 * that ignores exceptions (Log4j's default) hands a failed write (a full disk) only to its error
 * handler, which reports the first three and then one every five minutes, to Log4j's status logger:
 * the caller never learns. pmux puts its own handler in every appender, the per-program ones that a
 * {@code Routing} appender makes included, and that handler notes the failure of the event the
 * current thread is logging.
 */
final class AppenderFailures {
  private static final ThreadLocal<@Nullable String> CURRENT = new ThreadLocal<>();
  private static final @Nullable Field HANDLER = handlerField();

  private AppenderFailures() {}

  /** Forgets any failure noted on this thread: a line is about to be logged. */
  static void begin() {
    CURRENT.remove();
  }

  /** Why an appender failed to write the line logged since {@link #begin()}; null if none did. */
  static @Nullable String end() {
    String failure = CURRENT.get();
    CURRENT.remove();
    return failure;
  }

  /**
   * Puts pmux's handler in every appender of the current configuration that lacks it, those made by
   * Routing appenders so far included. Cheap: call after a program's first line (its route's
   * appender exists from then on).
   */
  static void watchAppenders() {
    Field field = HANDLER;
    if (field == null || !(LogManager.getContext(false) instanceof LoggerContext context)) {
      return;
    }
    for (Appender appender : context.getConfiguration().getAppenders().values()) {
      watch(field, appender);
      if (appender instanceof RoutingAppender routing) {
        for (Map.Entry<String, AppenderControl> routed : routing.getAppenders().entrySet()) {
          watch(field, routed.getValue().getAppender());
        }
      }
    }
  }

  private static void watch(Field field, Appender appender) {
    if (!(appender instanceof AbstractAppender) || appender.getHandler() instanceof Noting) {
      return;
    }
    try {
      // Log4j lets a handler be set only before an appender starts; routed ones start at once.
      field.set(appender, new Noting(appender));
    } catch (IllegalAccessException | RuntimeException e) {
      // Left as Log4j made it: its own reports remain.
    }
  }

  private static @Nullable Field handlerField() {
    try {
      Field field = AbstractAppender.class.getDeclaredField("handler");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Notes a failed event for its thread; other errors go to Log4j's own handler. */
  private static final class Noting implements ErrorHandler {
    private final String appender;
    private final boolean ignoresExceptions;
    private final ErrorHandler log4j;

    Noting(Appender appender) {
      this.appender = appender.getName();
      this.ignoresExceptions = appender.ignoreExceptions();
      this.log4j = appender.getHandler();
    }

    @Override
    public void error(String msg) {
      log4j.error(msg);
    }

    @Override
    public void error(String msg, @Nullable Throwable t) {
      log4j.error(msg, t);
    }

    @Override
    public void error(String msg, @Nullable LogEvent event, @Nullable Throwable t) {
      if (event == null || !ignoresExceptions) {
        // A throwing appender: the caller sees the exception and says so itself.
        log4j.error(msg, event, t);
        return;
      }
      // pmux says it, with a count, as its own line: no stack trace from the status logger.
      CURRENT.set("appender " + appender + ": " + reason(t, msg));
    }

    private static String reason(@Nullable Throwable t, String msg) {
      Throwable root = t;
      while (root != null && root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String text = root == null ? null : root.getMessage();
      return text == null || text.isBlank() ? msg : text.strip();
    }
  }
}
