package dev.pmux.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The CPU time and resident memory of every process group, from one pass over {@code /proc}, reused
 * while it is younger than its maximum age: a Prometheus scrape or a {@code pmux ctl list} asks for
 * every program's usage at once, and one pass per program made that cost grow with the square of
 * the number of processes.
 */
public final class GroupUsageTable {
  // Fresh enough for a person or a scrape; old enough that reading every program's usage at once
  // reads /proc once.
  private static final GroupUsageTable SYSTEM =
      new GroupUsageTable(Path.of("/proc"), System::nanoTime, Duration.ofMillis(500));

  // Linux fixes USER_HZ at 100 for /proc; the page size is 4 KiB on the platforms pmux targets.
  private static final double TICKS_PER_SECOND = 100.0;
  private static final long PAGE_SIZE = 4096;

  private final Path proc;
  private final LongSupplier nanoTime;
  private final long maxAgeNanos;
  private Map<Long, GroupUsage> groups = Map.of(); // guarded by this
  private long readAt; // guarded by this
  private boolean read; // guarded by this

  GroupUsageTable(Path proc, LongSupplier nanoTime, Duration maxAge) {
    this.proc = proc;
    this.nanoTime = nanoTime;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** The usage of process group {@code pgid}, at most half a second old; NONE when it is gone. */
  public static GroupUsage read(long pgid) {
    return SYSTEM.of(pgid);
  }

  /** The usage of process group {@code pgid}; NONE when it has no live process. */
  synchronized GroupUsage of(long pgid) {
    long now = nanoTime.getAsLong();
    if (!read || now - readAt > maxAgeNanos) {
      groups = readAll();
      readAt = now;
      read = true;
    }
    return groups.getOrDefault(pgid, GroupUsage.NONE);
  }

  private Map<Long, GroupUsage> readAll() {
    Map<Long, long[]> sums = new HashMap<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(proc, ProcTable::isPid)) {
      for (Path process : procs) {
        String[] fields = ProcTable.statFields(process);
        // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt
        // cmajflt utime stime ... rss is the 22nd of them.
        if (fields == null || fields.length < 22) {
          continue;
        }
        long[] sum = sums.computeIfAbsent(Long.parseLong(fields[2]), g -> new long[2]);
        sum[0] += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        sum[1] += Long.parseLong(fields[21]);
      }
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    Map<Long, GroupUsage> usage = new HashMap<>();
    sums.forEach(
        (pgid, sum) ->
            usage.put(pgid, new GroupUsage(sum[0] / TICKS_PER_SECOND, sum[1] * PAGE_SIZE)));
    return usage;
  }
}
