package dev.pmux.log;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Starts Log4j once, on its own thread, and hands out loggers only after it has read its
 * configuration: its few hundred milliseconds of start-up stay off pmux's, and no logger is taken
 * from a half-started Log4j (which would drop lines at the default level).
 */
public final class Log4jStartup {
  private static final CompletableFuture<Void> STARTED = new CompletableFuture<>();
  private static final AtomicBoolean BEGUN = new AtomicBoolean();

  private Log4jStartup() {}

  /** Starts Log4j in the background, unless that is under way already; returns at once. */
  public static void begin() {
    if (BEGUN.compareAndSet(false, true)) {
      Thread starter =
          new Thread(
              () -> {
                try {
                  LogManager.getContext(false);
                } finally {
                  STARTED.complete(null);
                }
              },
              "pmux-log4j-start");
      starter.setDaemon(true);
      starter.start();
    }
  }

  /**
   * Waits (at most {@code millis}) for a start under way to finish: a JVM that exits while Log4j
   * starts would print Log4j's complaints about it.
   */
  public static void awaitStarted(long millis) {
    if (BEGUN.get()) {
      try {
        STARTED.get(millis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // Exit all the same.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether Log4j has started, so that {@link #logger} returns at once. */
  public static boolean started() {
    return STARTED.isDone();
  }

  /** Runs {@code action} once Log4j has started (at once if it has), on the starting thread. */
  public static void whenStarted(Runnable action) {
    begin();
    onceStarted(action);
  }

  /** Like {@link #whenStarted}, without starting Log4j: for whatever starts it. */
  public static void onceStarted(Runnable action) {
    var unused = STARTED.thenRun(action);
  }

  /** The logger {@code name}, waiting for Log4j to have started. */
  public static Logger logger(String name) {
    begin();
    STARTED.join();
    return LogManager.getLogger(name);
  }
}
