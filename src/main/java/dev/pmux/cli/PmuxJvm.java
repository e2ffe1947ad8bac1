package dev.pmux.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The check made before attaching to a pid: the JDK's attach mechanism sends SIGQUIT, which kills a
 * process that is not a JVM, so ctl attaches only to a live pmux JVM of its own user.
 */
final class PmuxJvm {
  static final String MAIN_CLASS = "dev.pmux.Main";
  private static final int SHOWN_COMMAND_CHARS = 80;

  private PmuxJvm() {}

  /**
   * Returns normally only when {@code pid} is a live process of the current user whose command line
   * names pmux's main class; otherwise says why, with nothing sent to the process.
   */
  static void check(long pid) throws CtlException {
    Path proc = Path.of("/proc", Long.toString(pid));
    int owner;
    byte[] cmdline;
    try {
      owner = (Integer) Files.getAttribute(proc, "unix:uid");
      cmdline = Files.readAllBytes(proc.resolve("cmdline"));
    } catch (IOException e) {
      throw new CtlException(
          CtlStatus.UNREACHABLE, "pmux is not running (pid " + pid + " is gone)");
    }
    int self = currentUid();
    if (owner != self) {
      throw new CtlException(
          CtlStatus.UNREACHABLE,
          "pid "
              + pid
              + " runs as uid "
              + owner
              + ", not as this user (uid "
              + self
              + "): not attaching; run pmux ctl as the user that runs pmux");
    }
    List<String> args = arguments(cmdline);
    if (!args.contains(MAIN_CLASS)) {
      throw new CtlException(
          CtlStatus.UNREACHABLE,
          "pmux is not running: pid "
              + pid
              + " is not pmux ("
              + shown(args)
              + "); nothing was sent to it");
    }
  }

  private static int currentUid() throws CtlException {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      throw new CtlException(
          CtlStatus.UNREACHABLE, "cannot tell who runs pmux (no /proc here): " + e.getMessage());
    }
  }

  private static List<String> arguments(byte[] cmdline) {
    // A zombie or kernel thread has an empty command line: not pmux either way.
    return Arrays.asList(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
  }

  /** The command line for a message: one line, bounded. */
  private static String shown(List<String> args) {
    String text = String.join(" ", args).replaceAll("\\p{Cntrl}", "?").strip();
    if (text.isEmpty()) {
      return "no command line";
    }
    return text.length() <= SHOWN_COMMAND_CHARS
        ? text
        : text.substring(0, SHOWN_COMMAND_CHARS) + "...";
  }
}
