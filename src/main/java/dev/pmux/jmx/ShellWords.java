package dev.pmux.jmx;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Words written as a POSIX shell reads them back: a word of only safe characters as it is, any
 * other in single quotes, control characters as bash's {@code $'...'} escapes, so that one can tell
 * where each argument ends (and paste the line into a shell).
 */
final class ShellWords {
  private ShellWords() {}

  static String join(List<String> words) {
    return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
  }

  static String quote(String word) {
    if (!word.isEmpty() && word.chars().allMatch(ShellWords::safe)) {
      return word;
    }
    if (word.chars().anyMatch(Character::isISOControl)) {
      return ansiC(word);
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** What a shell never splits or expands in an unquoted word (as Python's shlex.quote). */
  private static boolean safe(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "@%+=:,./_-".indexOf(c) >= 0;
  }

  /** bash's $'...': a newline or tab in an argument stays on one line, and visible. */
  private static String ansiC(String word) {
    StringBuilder out = new StringBuilder(word.length() + 8).append("$'");
    word.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                default -> {
                  if (Character.isISOControl(c)) {
                    out.append(String.format("\\x%02x", c));
                  } else {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    return out.append('\'').toString();
  }
}
