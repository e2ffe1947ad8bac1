package dev.pmux.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a dotenv file ({@code processes[].envFile}): one {@code KEY=VALUE} a line, in the file's
 * order.
 *
 * <ul>
 *   <li>Blank lines and lines starting with {@code #} are ignored; a line may start with {@code
 *       export }.
 *   <li>KEY matches {@code [A-Za-z_][A-Za-z0-9_.]*}; spaces around {@code =} are ignored.
 *   <li>An unquoted value ends at the line's end or at a {@code #} after a space or tab (a
 *       comment), and loses its surrounding spaces: {@code A=x#y} is {@code x#y}, {@code A=x #y} is
 *       {@code x}.
 *   <li>A single-quoted value is literal and ends on its line: {@code 'a\n$B'} is those six
 *       characters.
 *   <li>A double-quoted value knows the escapes {@code \n \t \" \\ \$} (any other is an error) and
 *       may span lines until its closing quote. After a closing quote only spaces and a comment may
 *       follow.
 *   <li>Nothing is interpolated: {@code $HOME} stays {@code $HOME}, as pmux passes args verbatim.
 *   <li>A key given twice keeps its first position and takes its last value.
 * </ul>
 */
public final class EnvFile {
  // Far above what an environment can hold (Linux's ARG_MAX is 2 MiB for args and environment
  // together).
  static final long MAX_BYTES = 4L * 1024 * 1024;
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
  private static final String ESCAPES = "\\n \\t \\\" \\\\ \\$";

  private final String file;
  private final String[] lines;
  private final Map<String, String> values = new LinkedHashMap<>();
  private int index; // the line being read, from 0

  private EnvFile(String text, String file) {
    this.file = file;
    this.lines = (text.startsWith("\ufeff") ? text.substring(1) : text).split("\r?\n", -1);
  }

  /**
   * Reads the file (UTF-8) now; call it at each start, so that an edit takes effect at the next
   * one.
   *
   * @return the variables in the file's order, a modifiable copy
   * @throws EnvFileException when the file is missing, unreadable, not UTF-8, or not valid dotenv
   */
  public static Map<String, String> read(Path file) throws EnvFileException {
    String name = file.toString();
    byte[] bytes;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        throw new EnvFileException(name, 0, "is a directory, expected an env file", null);
      }
      if (!attributes.isRegularFile()) {
        // A FIFO would block the start until someone writes to it.
        throw new EnvFileException(name, 0, "not a regular file", null);
      }
      if (attributes.size() > MAX_BYTES) {
        throw new EnvFileException(
            name,
            0,
            "too large ("
                + attributes.size()
                + " bytes), an env file is at most "
                + MAX_BYTES
                + " bytes",
            null);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new EnvFileException(name, 0, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new EnvFileException(name, 0, "permission denied", e);
    } catch (IOException e) {
      throw new EnvFileException(name, 0, "cannot read: " + e.getMessage(), e);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(in)
              .toString();
      return parse(text, name);
    } catch (CharacterCodingException e) {
      throw new EnvFileException(
          name, 0, "not valid UTF-8 (first bad byte at offset " + in.position() + ")", e);
    }
  }

  /** Parses dotenv text; {@code fileNameForMessages} starts each error message. */
  static Map<String, String> parse(String text, String fileNameForMessages)
      throws EnvFileException {
    EnvFile envFile = new EnvFile(text, fileNameForMessages);
    for (; envFile.index < envFile.lines.length; envFile.index++) {
      envFile.assignment(envFile.lines[envFile.index]);
    }
    return envFile.values;
  }

  private void assignment(String line) throws EnvFileException {
    String s = line.stripLeading();
    if (s.isEmpty() || s.startsWith("#")) {
      return;
    }
    if (s.startsWith("export ") || s.startsWith("export\t")) {
      s = s.substring("export".length()).stripLeading();
    }
    int eq = s.indexOf('=');
    if (eq < 0) {
      throw problem("missing '=', expected KEY=VALUE, was " + Problems.quote(line));
    }
    String key = s.substring(0, eq).strip();
    if (!KEY.matcher(key).matches()) {
      throw problem(
          "invalid variable name "
              + Problems.quote(key)
              + ", expected a letter or '_', then letters, digits, '_' or '.'");
    }
    String raw = s.substring(eq + 1);
    String rest = raw.stripLeading();
    String value;
    if (rest.startsWith("'")) {
      int close = rest.indexOf('\'', 1);
      if (close < 0) {
        throw problem("unterminated single quote in the value of " + key);
      }
      value = rest.substring(1, close);
      afterClosingQuote(rest.substring(close + 1), key);
    } else if (rest.startsWith("\"")) {
      value = doubleQuoted(rest, key);
    } else {
      value = unquoted(raw);
    }
    if (value.indexOf('\0') >= 0) {
      throw problem("the value of " + key + " contains a NUL character");
    }
    values.put(key, value);
  }

  /**
   * The text after {@code =} up to a comment ({@code #} after a space or tab), without surrounding
   * spaces.
   */
  private static String unquoted(String raw) {
    for (int i = 1; i < raw.length(); i++) {
      char before = raw.charAt(i - 1);
      if (raw.charAt(i) == '#' && (before == ' ' || before == '\t')) {
        return raw.substring(0, i).strip();
      }
    }
    return raw.strip();
  }

  /**
   * The value from the opening quote at the start of {@code rest} to the closing one, maybe lines
   * further down.
   */
  private String doubleQuoted(String rest, String key) throws EnvFileException {
    int startLine = index;
    StringBuilder value = new StringBuilder();
    String text = rest;
    int i = 1;
    while (true) {
      if (i == text.length()) {
        if (index + 1 == lines.length) {
          index = startLine;
          throw problem("unterminated double quote in the value of " + key);
        }
        value.append('\n');
        text = lines[++index];
        i = 0;
        continue;
      }
      char c = text.charAt(i++);
      if (c == '"') {
        afterClosingQuote(text.substring(i), key);
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char escaped = i < text.length() ? text.charAt(i++) : '\n';
      switch (escaped) {
        case 'n' -> value.append('\n');
        case 't' -> value.append('\t');
        case '"', '\\', '$' -> value.append(escaped);
        default ->
            throw problem(
                "unknown escape "
                    + (escaped == '\n' ? "\\ at the end of a line" : "\\" + escaped)
                    + " in the value of "
                    + key
                    + ", expected one of "
                    + ESCAPES);
      }
    }
  }

  private void afterClosingQuote(String after, String key) throws EnvFileException {
    String s = after.strip();
    if (!s.isEmpty() && !s.startsWith("#")) {
      throw problem("unexpected text after the closing quote of " + key + ": " + Problems.quote(s));
    }
  }

  private EnvFileException problem(String message) {
    return new EnvFileException(file, index + 1, message, null);
  }
}
