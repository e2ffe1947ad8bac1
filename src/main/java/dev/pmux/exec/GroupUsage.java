package dev.pmux.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds and resident bytes summed over every live process of one process group, read from
 * {@code /proc}: a program's cost includes what it forked.
 */
public record GroupUsage(double cpuSeconds, long residentBytes) {
  /** No process, no usage. */
  public static final GroupUsage NONE = new GroupUsage(0, 0);

  // Linux fixes USER_HZ at 100 for /proc; the page size is 4 KiB on the platforms pmux targets.
  private static final double TICKS_PER_SECOND = 100.0;
  private static final long PAGE_SIZE = 4096;

  /** Reads the usage of process group {@code pgid} now; NONE when it has no process left. */
  public static GroupUsage read(long pgid) {
    double ticks = 0;
    long pages = 0;
    try (DirectoryStream<Path> procs =
        Files.newDirectoryStream(Path.of("/proc"), ProcTable::isPid)) {
      for (Path proc : procs) {
        String[] fields = ProcTable.statFields(proc);
        // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt
        // cmajflt utime stime ... rss is the 22nd of them.
        if (fields == null || fields.length < 22 || Long.parseLong(fields[2]) != pgid) {
          continue;
        }
        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        pages += Long.parseLong(fields[21]);
      }
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
    return new GroupUsage(ticks / TICKS_PER_SECOND, pages * PAGE_SIZE);
  }
}
