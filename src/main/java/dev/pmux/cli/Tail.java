package dev.pmux.cli;

import dev.pmux.jmx.ProcessMXBean;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code tail NAME [-n N] [-f]}: prints a program's last lines, and with -f, new ones as they come.
 */
final class Tail {
  private static final int FOLLOW_WINDOW = 1000;
  private static final long POLL_MILLIS = 500;

  private final ProcessMXBean program;
  private final PrintStream out;

  Tail(ProcessMXBean program, PrintStream out) {
    this.program = program;
    this.out = out;
  }

  int run(List<String> options) throws CtlException {
    int lines = 20;
    boolean follow = false;
    for (int i = 0; i < options.size(); i++) {
      switch (options.get(i)) {
        case "-f" -> follow = true;
        case "-n" -> {
          if (i + 1 >= options.size()) {
            throw new CtlException(CtlStatus.USAGE, "-n needs a number");
          }
          try {
            lines = Integer.parseInt(options.get(++i));
          } catch (NumberFormatException e) {
            throw new CtlException(CtlStatus.USAGE, "-n needs a number, was " + options.get(i));
          }
        }
        default -> throw new CtlException(CtlStatus.USAGE, "unknown tail option " + options.get(i));
      }
    }
    if (lines < 1) {
      throw new CtlException(CtlStatus.USAGE, "-n must be at least 1");
    }
    List<String> shown = Arrays.asList(program.tail(lines));
    shown.forEach(out::println);
    out.flush();
    while (follow) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CtlStatus.OK;
      }
      List<String> now = Arrays.asList(program.tail(FOLLOW_WINDOW));
      newLines(shown, now).forEach(out::println);
      out.flush();
      shown = now;
    }
    return CtlStatus.OK;
  }

  /**
   * The lines of {@code now} after the last place where the end of {@code before} appears in it;
   * all of {@code now} when that end is gone (more new lines than the window holds).
   */
  static List<String> newLines(List<String> before, List<String> now) {
    int m = Math.min(before.size(), 20);
    if (m == 0) {
      return now;
    }
    List<String> end = before.subList(before.size() - m, before.size());
    for (int j = now.size(); j >= m; j--) {
      if (now.subList(j - m, j).equals(end)) {
        return now.subList(j, now.size());
      }
    }
    return now;
  }
}
