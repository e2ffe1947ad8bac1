package dev.pmux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * With {@code -Dpmux.startup.trace=true}, prints to stderr how long since the JVM started and how
 * much CPU the process has used at each step of pmux's start-up, so that the cost of each step can
 * be measured in a whole process (BENCHMARKS.md). Costs nothing when off.
 */
final class StartupTrace {
  private static final boolean ON = Boolean.getBoolean("pmux.startup.trace");
  // Linux fixes USER_HZ at 100 for /proc.
  private static final double TICK_MS = 10;

  private StartupTrace() {}

  static void mark(String step) {
    if (!ON) {
      return;
    }
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      long cpuTicks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      long startTicks = Long.parseLong(f[19]);
      String uptime = Files.readString(Path.of("/proc/uptime"));
      double sinceBootMs = Double.parseDouble(uptime.substring(0, uptime.indexOf(' '))) * 1000;
      System.err.printf(
          "pmux-startup %6.0f ms wall %6.0f ms cpu  %s%n",
          sinceBootMs - startTicks * TICK_MS, cpuTicks * TICK_MS, step);
    } catch (IOException | RuntimeException e) {
      System.err.println("pmux-startup ? " + step);
    }
  }
}
