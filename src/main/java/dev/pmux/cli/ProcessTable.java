package dev.pmux.cli;

import dev.pmux.jmx.ProcessStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Renders programs for a person: a table for {@code list}, a block for {@code status}. Each program
 * comes from one snapshot, so its fields never mix moments.
 */
final class ProcessTable {
  private static final String ROW = "%-20s %-9s %8s %10s %9s %10s%n";
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private ProcessTable() {}

  static String render(List<ProcessStatus> programs) {
    StringBuilder text =
        new StringBuilder(
            String.format(ROW, "NAME", "STATE", "PID", "UPTIME", "RESTARTS", "LAST EXIT"));
    for (ProcessStatus p : programs) {
      text.append(
          String.format(
              ROW,
              p.name(),
              p.state(),
              p.pid() > 0 ? Long.toString(p.pid()) : "-",
              p.running() ? uptime(p.uptimeSeconds()) : "-",
              p.restartCount(),
              lastExit(p)));
    }
    return text.toString();
  }

  static String detail(ProcessStatus p) {
    return String.join(
            "\n",
            "name:        " + p.name(),
            "state:       " + p.state() + " (" + p.stateCode() + ")",
            "pid:         " + (p.pid() > 0 ? p.pid() : "-"),
            "command:     " + p.command(),
            "uptime:      " + (p.running() ? uptime(p.uptimeSeconds()) : "-"),
            "starts:      " + p.startCount(),
            "restarts:    " + p.restartCount(),
            "last exit:   "
                + (p.lastExitCode() >= 0 ? lastExit(p) + " at " + time(p.lastExitTime()) : "-"),
            "last error:  " + (p.lastError().isEmpty() ? "-" : p.lastError()),
            "last start:  " + time(p.lastStartTime()),
            "next start:  "
                + (p.nextRestartInMillis() >= 0
                    ? "in "
                        + restartWait(p.nextRestartInMillis())
                        + " (backoff "
                        + restartWait(p.nextRestartDelayMillis())
                        + ")"
                    : "-"),
            "cpu:         " + String.format("%.2fs", p.cpuSeconds()),
            "memory:      " + p.residentBytes() / 1024 + " KiB",
            "strays:      " + strays(p))
        + "\n";
  }

  /** The pids outside the program's group, space-separated; - when none. */
  static String strays(ProcessStatus p) {
    return p.strays().isEmpty()
        ? "-"
        : String.join(" ", p.strays().stream().map(String::valueOf).toList());
  }

  /** A death by signal as the signal's name (SIGKILL), else the exit code; - when none. */
  static String lastExit(ProcessStatus p) {
    if (p.lastExitCode() < 0) {
      return "-";
    }
    return p.lastExitSignal().isEmpty()
        ? Integer.toString(p.lastExitCode())
        : "SIG" + p.lastExitSignal();
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

  /** A restart's wait: under a second in milliseconds, else as {@link #uptime}. */
  static String restartWait(long millis) {
    return millis < 1000 ? millis + "ms" : uptime(millis / 1000.0);
  }

  /** In the local time zone, as a person reads a clock. */
  static String time(long epochMillis) {
    return epochMillis > 0
        ? LOCAL_TIME.format(Instant.ofEpochMilli(epochMillis).atZone(ZoneId.systemDefault()))
        : "-";
  }
}
