package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pmux.testing.ProcStatus;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Specs;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child as pmux's launcher starts it, with whichever launcher this run uses (the suite runs it
 * with both): its own session and group, default signal handling, stdin from /dev/null, its dir,
 * its exit status.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpawnIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private CommonsExecLauncher launcher() {
    return CommonsExecLauncher.forEnvironment(leaks.environment());
  }

  private static String out(Child child) throws Exception {
    // stderr is read too: a child must never block on a full pipe.
    var err = child.stderr();
    String text = new String(child.stdout().readAllBytes(), StandardCharsets.UTF_8);
    err.readAllBytes();
    return text;
  }

  @Test
  void aChild_leadsItsOwnSessionAndGroup_withNoSignalBlockedOrIgnored() throws Exception {
    CommonsExecLauncher launcher = launcher();
    Child child = launcher.launch(Specs.program("sleeper", "sleep", "1000").build());
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(child.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      assertThat(List.of(f[2], f[3])).as("pgrp, session").containsOnly(Long.toString(child.pid()));
      long blocked = Long.parseUnsignedLong(ProcStatus.field(child.pid(), "SigBlk"), 16);
      if (launcher.description().equals("posix_spawn")) {
        assertThat(blocked).as("blocked signals").isZero();
      } else {
        // The JDK's launcher passes its SIGQUIT block on (README: the fallback's limits).
        assertThat(blocked & ~(1L << 2)).as("blocked signals but QUIT").isZero();
      }
      long ignored = Long.parseUnsignedLong(ProcStatus.field(child.pid(), "SigIgn"), 16);
      // HUP 1, INT 2, QUIT 3, USR1 10, USR2 12, TERM 15: none ignored.
      for (int signal : new int[] {1, 2, 3, 10, 12, 15}) {
        assertThat(ignored & (1L << (signal - 1))).as("signal %d ignored", signal).isZero();
      }
      new LibcGroupKiller().signal(child.pid(), dev.pmux.config.Signal.TERM);
      assertThat(child.exit().get(10, TimeUnit.SECONDS).code()).isEqualTo(128 + 15);
    } finally {
      ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void stdinIsDevNull_dirIsHonoured_argv0IsCmdAsWritten_andTheExitCodeComesBack() throws Exception {
    CommonsExecLauncher launcher = launcher();
    Child child =
        launcher.launch(
            Specs.program(
                    "probe",
                    "sh",
                    "-c",
                    "readlink /proc/self/fd/0; pwd; echo \"$0\"; echo \"$PMUX_PROCESS_NAME\";"
                        + " exit 7")
                .dir(tmp)
                .build());
    // The JDK's launcher gives a pipe that pmux closed at once: end of file too.
    String stdin = launcher.description().equals("posix_spawn") ? "/dev/null" : "pipe:[";
    assertThat(out(child)).startsWith(stdin).endsWith("\n" + tmp.toRealPath() + "\nsh\nprobe\n");
    assertThat(child.exit().get(10, TimeUnit.SECONDS).code()).isEqualTo(7);
  }

  @Test
  void childrenThatExitAtOnce_areAllReported() throws Exception {
    CommonsExecLauncher launcher = launcher();
    List<Child> children = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      children.add(launcher.launch(Specs.program("t" + i, "true").build()));
    }
    for (Child child : children) {
      out(child);
      assertThat(child.exit().get(20, TimeUnit.SECONDS).code()).isZero();
    }
  }

  @Test
  @Tag("posix-spawn-only") // not in the jdk-launcher execution (pom.xml)
  void manyRunningChildren_needNoThreadEach() throws Exception {
    CommonsExecLauncher launcher = launcher();
    // Only where this machine falls back to the JDK's launcher, which takes a thread per child.
    assumeTrue(launcher.description().equals("posix_spawn"), "the JDK's launcher: a thread each");
    List<Child> children = new ArrayList<>();
    int before = ManagementFactory.getThreadMXBean().getThreadCount();
    try {
      for (int i = 0; i < 100; i++) {
        children.add(launcher.launch(Specs.program("s" + i, "sleep", "1000").build()));
      }
      // The exit loop and its reporter, whatever the number of children.
      assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThan(before + 5);
    } finally {
      LibcGroupKiller killer = new LibcGroupKiller();
      for (Child child : children) {
        killer.signal(child.pid(), dev.pmux.config.Signal.KILL);
      }
    }
    for (Child child : children) {
      assertThat(child.exit().get(20, TimeUnit.SECONDS).code()).isEqualTo(128 + 9);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> leaks.marked().isEmpty());
  }
}
