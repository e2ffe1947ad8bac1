package dev.pmux.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Fields of {@code /proc/<pid>/status}, for tests that must see what a process has set up. */
public final class ProcStatus {
  private ProcStatus() {}

  /** The value of {@code field} ({@code SigIgn}, {@code State}, ...), trimmed. */
  public static String field(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    throw new AssertionError("no " + field + " in /proc/" + pid + "/status");
  }

  /**
   * Whether the process ignores signal {@code number}; false once it is gone. A shell prints a
   * background job's pid before the job has ignored SIGINT: a test that signals it waits for this.
   */
  public static boolean ignores(long pid, int number) throws IOException {
    try {
      return (Long.parseUnsignedLong(field(pid, "SigIgn"), 16) & (1L << (number - 1))) != 0;
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
