package dev.pmux.output;

/** Where a line of the merged stream comes from, with the separator the Go tool prints for it. */
public enum Channel {
  /** A program's standard output, written to pmux's stdout. */
  STDOUT("›"),
  /** A program's standard error, written to pmux's stderr. */
  STDERR("»"),
  /** pmux's own events about a program, written to pmux's stderr. */
  EVENT("~");

  private final String separator;

  Channel(String separator) {
    this.separator = separator;
  }

  public String separator() {
    return separator;
  }

  boolean toStdout() {
    return this == STDOUT;
  }
}
