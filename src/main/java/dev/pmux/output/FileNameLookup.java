package dev.pmux.output;

import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.lookup.AbstractLookup;
import org.apache.logging.log4j.core.lookup.StrLookup;
import org.jspecify.annotations.Nullable;

/**
 * {@code ${pmuxfile:process}} in a Log4j configuration: the program's name (a thread context key)
 * made safe as part of a file name. A name may hold {@code /} (a directory), {@code %} (a pattern
 * in {@code filePattern}) or {@code ${...}} (a lookup); each byte outside {@code [A-Za-z0-9._-]} is
 * written as {@code ~XX} instead, so two names never share a file.
 */
@Plugin(name = "pmuxfile", category = StrLookup.CATEGORY)
public final class FileNameLookup extends AbstractLookup {

  @Override
  public @Nullable String lookup(@Nullable LogEvent event, String key) {
    String value =
        event != null && event.getContextData() != null
            ? event.getContextData().getValue(key)
            : ThreadContext.get(key);
    return value == null ? null : safe(value);
  }

  /** {@code name} with every byte but ASCII letters, digits, dot, dash and underscore escaped. */
  static String safe(String name) {
    StringBuilder safe = new StringBuilder(name.length());
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || (c == '.' && safe.length() > 0)
          || c == '-'
          || c == '_') {
        safe.append((char) c);
      } else {
        safe.append('~')
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      }
    }
    return safe.toString();
  }
}
