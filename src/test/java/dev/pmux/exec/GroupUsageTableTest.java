package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupUsageTableTest {
  @TempDir Path proc;
  private final AtomicLong now = new AtomicLong();

  /** A /proc/PID/stat line: utime and stime in ticks, rss in pages; the name has a space. */
  private void process(long pid, long pgrp, long utime, long stime, long rssPages)
      throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(
        dir.resolve("stat"),
        pid
            + " (a name) S 1 "
            + pgrp
            + " 1 0 -1 4194560 100 0 0 0 "
            + utime
            + " "
            + stime
            + " 0 0 20 0 1 0 100 1000000 "
            + rssPages
            + " 18446744073709551615\n");
  }

  private GroupUsageTable table() {
    return new GroupUsageTable(proc, now::get, Duration.ofMillis(500));
  }

  @Test
  void sumsEveryMemberOfAGroup_andNothingOfOtherGroups() throws IOException {
    process(100, 100, 150, 50, 10);
    process(101, 100, 30, 20, 5);
    process(200, 200, 1000, 0, 99);
    GroupUsage usage = table().of(100);
    assertThat(usage.cpuSeconds()).isEqualTo(2.5);
    assertThat(usage.residentBytes()).isEqualTo(15 * 4096);
    assertThat(table().of(300)).isEqualTo(GroupUsage.NONE);
  }

  @Test
  void readsProcOnceForEveryGroupAskedWithinItsAge_andAfreshAfterIt() throws IOException {
    process(100, 100, 100, 0, 1);
    GroupUsageTable table = table();
    assertThat(table.of(100).cpuSeconds()).isEqualTo(1.0);
    process(100, 100, 300, 0, 1);
    process(200, 200, 100, 0, 1);
    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(table.of(100).cpuSeconds()).as("within its age").isEqualTo(1.0);
    assertThat(table.of(200)).as("the same pass").isEqualTo(GroupUsage.NONE);
    now.addAndGet(1);
    assertThat(table.of(100).cpuSeconds()).as("older than its age").isEqualTo(3.0);
    assertThat(table.of(200).cpuSeconds()).isEqualTo(1.0);
  }

  @Test
  void aProcessThatVanishesMidPass_isSkipped() throws IOException {
    process(100, 100, 100, 0, 1);
    Files.createDirectories(proc.resolve("101")); // gone: no stat file left
    Files.createDirectories(proc.resolve("self"));
    assertThat(table().of(100).cpuSeconds()).isEqualTo(1.0);
  }
}
