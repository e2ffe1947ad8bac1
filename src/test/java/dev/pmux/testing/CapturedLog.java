package dev.pmux.testing;

import dev.pmux.log.Log4jStartup;
import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * What pmux code running inside the test JVM logs through one Log4j logger, kept for assertions
 * instead of going to the build output: a warning a test provokes on purpose is checked, not shown.
 */
public final class CapturedLog implements AutoCloseable {
  private final StringWriter text = new StringWriter();
  private final String name;
  private final LoggerContext context;
  private final WriterAppender appender;

  private CapturedLog(String name) {
    this.name = name;
    Log4jStartup.logger(name);
    context = (LoggerContext) LogManager.getContext(false);
    appender =
        WriterAppender.newBuilder()
            .setName("captured " + name)
            .setTarget(text)
            .setLayout(PatternLayout.newBuilder().setPattern("%level %msg%n").build())
            .build();
    appender.start();
    Configuration config = context.getConfiguration();
    config.addAppender(appender);
    LoggerConfig logger = new LoggerConfig(name, Level.ALL, false);
    logger.addAppender(appender, null, null);
    config.addLogger(name, logger);
    context.updateLoggers();
  }

  /**
   * Captures the logger of {@code owner} (as {@code Diagnostics.of(owner)} names it) until closed.
   */
  public static CapturedLog of(Class<?> owner) {
    return new CapturedLog(owner.getName());
  }

  /** The lines logged so far, each as {@code LEVEL message}. */
  public String text() {
    return text.toString();
  }

  @Override
  public void close() {
    context.getConfiguration().removeLogger(name);
    context.updateLoggers();
    appender.stop();
  }
}
