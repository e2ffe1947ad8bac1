package dev.pmux.cli;

import dev.pmux.jmx.ProcessMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Renders programs for a person: a table for {@code list}, a block for {@code status}. */
final class ProcessTable {
  private static final String ROW = "%-20s %-9s %8s %10s %9s %10s%n";

  private ProcessTable() {}

  static String render(List<ProcessMXBean> programs) {
    StringBuilder text =
        new StringBuilder(
            String.format(ROW, "NAME", "STATE", "PID", "UPTIME", "RESTARTS", "LAST EXIT"));
    for (ProcessMXBean p : programs) {
      text.append(
          String.format(
              ROW,
              p.getName(),
              p.getState(),
              p.getPid() > 0 ? Long.toString(p.getPid()) : "-",
              p.isRunning() ? uptime(p.getUptimeSeconds()) : "-",
              p.getRestartCount(),
              p.getLastExitCode() >= 0 ? Integer.toString(p.getLastExitCode()) : "-"));
    }
    return text.toString();
  }

  static String detail(ProcessMXBean p) {
    return String.join(
            "\n",
            "name:        " + p.getName(),
            "state:       " + p.getState() + " (" + p.getStateCode() + ")",
            "pid:         " + (p.getPid() > 0 ? p.getPid() : "-"),
            "command:     " + p.getCommand(),
            "uptime:      " + (p.isRunning() ? uptime(p.getUptimeSeconds()) : "-"),
            "starts:      " + p.getStartCount(),
            "restarts:    " + p.getRestartCount(),
            "last exit:   "
                + (p.getLastExitCode() >= 0
                    ? p.getLastExitCode() + " at " + time(p.getLastExitTime())
                    : "-"),
            "last start:  " + time(p.getLastStartTime()),
            "next start:  "
                + (p.getNextRestartDelayMillis() > 0
                    ? "in " + p.getNextRestartDelayMillis() + "ms"
                    : "-"),
            "cpu:         " + String.format("%.2fs", p.getCpuSeconds()),
            "memory:      " + p.getResidentBytes() / 1024 + " KiB")
        + "\n";
  }

  /** Like {@code ps}: 59s, 12m03s, 5h02m, 3d04h. */
  static String uptime(double seconds) {
    Duration d = Duration.ofMillis((long) (seconds * 1000));
    if (d.toDays() > 0) {
      return String.format("%dd%02dh", d.toDays(), d.toHoursPart());
    }
    if (d.toHours() > 0) {
      return String.format("%dh%02dm", d.toHours(), d.toMinutesPart());
    }
    if (d.toMinutes() > 0) {
      return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
    return d.toSeconds() + "s";
  }

  private static String time(long epochMillis) {
    return epochMillis > 0 ? Instant.ofEpochMilli(epochMillis).toString() : "-";
  }
}
