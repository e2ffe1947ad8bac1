package dev.pmux.exec;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** Whether pmux's standard streams are terminals, that is whether a person is watching them. */
public final class Terminal {
  /** The part of libc used here. */
  interface CLibrary extends Library {
    int isatty(int fd);
  }

  private Terminal() {}

  /** Whether file descriptor {@code fd} (1 stdout, 2 stderr) is a terminal; false if unknown. */
  public static boolean isTerminal(int fd) {
    try {
      return Native.load("c", CLibrary.class).isatty(fd) == 1;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false;
    }
  }
}
