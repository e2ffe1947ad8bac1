package dev.pmux.config;

import org.jspecify.annotations.Nullable;

/**
 * An env file that cannot be used: {@code <file>:<line>: <problem>}, or {@code <file>: <problem>}
 * when the problem is the file as a whole (missing, unreadable, not UTF-8).
 */
public final class EnvFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String problem;

  EnvFileException(String file, int line, String problem, @Nullable Throwable cause) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /** The file as named in the message. */
  public String file() {
    return file;
  }

  /** The line the problem is on, counting from 1; 0 when it is about the whole file. */
  public int line() {
    return line;
  }

  /** The message without the file and line. */
  public String problem() {
    return problem;
  }
}
