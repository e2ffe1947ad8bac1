package dev.pmux.exec;

import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU seconds and resident bytes summed over every live process of one process group, read from
 * {@code /proc}: a program's cost includes what it forked.
 */
public record GroupUsage(double cpuSeconds, long residentBytes) {
  /** No process, no usage. */
  public static final GroupUsage NONE = new GroupUsage(0, 0);

  // Fresh enough for a person or a scrape; old enough that reading every program's usage at once
  // reads /proc once.
  private static final GroupUsageTable TABLE =
      new GroupUsageTable(Path.of("/proc"), System::nanoTime, Duration.ofMillis(500));

  /** The usage of process group {@code pgid}, at most half a second old; NONE when it is gone. */
  public static GroupUsage read(long pgid) {
    return TABLE.of(pgid);
  }
}
