package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.UnpackedInstallation;
import dev.pmux.testing.UnpackedInstallation.Result;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * pmux through bin/pmux under a process limit ({@code prlimit --nproc}) that its programs use up,
 * as an unprivileged user of its own: a user id nobody else has, so that no other process on the
 * machine counts against the limit.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ProcessLimitIT {
  private static final int PROGRAMS = 100;
  private static final int NPROC = 60;

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  @Test
  void ctlUnderAProcessLimitThatProgramsUsedUp_neverEndsPmux_andAnswersOnceThreadsCanBeMade()
      throws Exception {
    String uid = secondUser();
    UnpackedInstallation installation = unpack(uid);
    Path err = tmp.resolve("pmux.err");
    Process pmux = startUnderLimit(uid, installation, err);
    try {
      // Launches now fail for want of processes, and are reported as they should be.
      awaitLaunchFailures(err);
      for (int i = 0; i < 2; i++) {
        long t0 = System.nanoTime();
        Result list = ctl(uid, installation, "list");
        System.out.printf(
            "[reliability] ctl list under the process limit: status %d in %.1f s, %d lines, %s%n",
            list.status(),
            (System.nanoTime() - t0) / 1e9,
            list.out().lines().count(),
            list.err().strip());
        // The answer or one line saying why there is none, never the end of pmux.
        if (list.status() != 0) {
          assertThat(list.err().strip()).startsWith("pmux ctl: ").doesNotContain("\n");
        }
        assertThat(pmux.isAlive()).as("pmux after ctl list %d: %s", i, tail(err)).isTrue();
      }

      // Room again: every program runs, and ctl answers.
      raiseLimit(uid, installation, pmux);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Result list = ctl(uid, installation, "list");
                return list.status() == 0
                    && list.out().lines().filter(l -> l.contains("RUNNING")).count() == PROGRAMS;
              });
      assertThat(pmux.isAlive()).isTrue();
    } finally {
      pmux.destroy();
      if (!pmux.waitFor(60, TimeUnit.SECONDS)) {
        pmux.destroyForcibly();
      }
    }
    assertThat(pmux.exitValue()).as(tail(err)).isZero();
  }

  /**
   * A guardian cannot fork under the limit (other processes of the user count against it too): it
   * must still SIGKILL every program of a pmux that was SIGKILLed.
   */
  @Test
  void sigkillOfPmuxWhoseUserIsOverTheGuardiansLimit_leavesNoProgram() throws Exception {
    String uid = secondUser();
    UnpackedInstallation installation = unpack(uid);
    Path err = tmp.resolve("pmux.err");
    Process pmux = startUnderLimit(uid, installation, err);
    try {
      awaitLaunchFailures(err);
      // pmux gets room, its guardian keeps the limit that the programs now exceed.
      raiseLimit(uid, installation, pmux);
      // Every program running, so no launch is under way (a child spawned and not yet journaled
      // when pmux dies is the next pmux's to stop, not the guardian's).
      await().atMost(Duration.ofSeconds(60)).until(() -> sleepsOf(uid) == PROGRAMS);
    } finally {
      pmux.destroyForcibly();
      pmux.waitFor(30, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> processesOf(uid) == 0);
  }

  private static String secondUser() throws Exception {
    Assumptions.assumeTrue(
        (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "needs root to act as a second user");
    return unusedUid();
  }

  /** bin/pmux run as {@code uid} with {@value #PROGRAMS} programs, under {@value #NPROC}. */
  /** Waits until pmux reports launches failing for want of processes. */
  private static void awaitLaunchFailures(Path err) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.readString(err).contains("resource temporarily unavailable"));
  }

  private Process startUnderLimit(String uid, UnpackedInstallation installation, Path err)
      throws Exception {
    StringBuilder yaml = new StringBuilder("processes:\n");
    for (int i = 1; i <= PROGRAMS; i++) {
      yaml.append("  - {name: p")
          .append(i)
          .append(", cmd: sleep, args: [\"1000\"], minWait: 100ms, maxWait: 500ms}\n");
    }
    Path config = Files.writeString(installation.home().resolve("many.yml"), yaml);
    assertThat(installation.run(List.of("chown", uid + ":" + uid, config.toString())).status())
        .isZero();
    return installation
        .processBuilder(
            asUser(
                uid,
                "prlimit",
                // The soft limit only: raising a hard one needs CAP_SYS_RESOURCE, which containers
                // lack even as root.
                "--nproc=" + NPROC + ":",
                installation.executable().toString(),
                "run",
                "-c",
                config.toString()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile())
        .start();
  }

  /** Raises the soft process limit of {@code pmux} to its hard one, as its own user. */
  private void raiseLimit(String uid, UnpackedInstallation installation, Process pmux)
      throws Exception {
    String hard =
        Files.readAllLines(Path.of("/proc", Long.toString(pmux.pid()), "limits")).stream()
            .filter(l -> l.startsWith("Max processes"))
            .map(l -> l.substring("Max processes".length()).trim().split("\\s+", -1)[1])
            .findFirst()
            .orElseThrow();
    Result raised =
        installation.run(
            asUser(uid, "prlimit", "--pid", Long.toString(pmux.pid()), "--nproc=" + hard + ":"));
    assertThat(raised.status()).as(raised.err()).isZero();
  }

  private static long sleepsOf(String uid) throws IOException {
    long count = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          if (Integer.toString((Integer) Files.getAttribute(proc, "unix:uid")).equals(uid)
              && Files.readString(proc.resolve("cmdline")).startsWith("sleep")) {
            count++;
          }
        } catch (IOException e) {
          // Gone meanwhile.
        }
      }
    }
    return count;
  }

  private static long processesOf(String uid) throws IOException {
    long count = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try {
          count +=
              Integer.toString((Integer) Files.getAttribute(proc, "unix:uid")).equals(uid) ? 1 : 0;
        } catch (IOException e) {
          // Gone meanwhile.
        }
      }
    }
    return count;
  }

  private Result ctl(String uid, UnpackedInstallation installation, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(installation.executable().toString(), "ctl"));
    command.addAll(List.of(args));
    return installation.run(asUser(uid, command.toArray(String[]::new)));
  }

  /** {@code command} run as {@code uid} through setpriv, with the test's directory as HOME. */
  private List<String> asUser(String uid, String... command) {
    List<String> all =
        new ArrayList<>(
            List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "env"));
    all.add("HOME=" + tmp);
    all.addAll(List.of(command));
    return all;
  }

  /**
   * The unpacked tar.gz, in the test's directory, owned by {@code uid}; its commands are marked as
   * ours and run from the test's directory.
   */
  private UnpackedInstallation unpack(String uid) throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path into = tmp.resolve("dist");
    UnpackedInstallation installation =
        UnpackedInstallation.unpack(into, tmp, leaks, Duration.ofSeconds(60));
    Map<String, String> env = installation.environment();
    env.remove("PMUX_RUN_DIR");
    // pmux's own launcher, not the JDK's fallback (three threads per program), in every execution.
    env.remove("PMUX_LAUNCHER");
    assertThat(installation.run(List.of("chown", "-R", uid + ":" + uid, into.toString())).status())
        .isZero();
    return installation;
  }

  /** A user id with no process on this machine, so that the limit counts pmux's alone. */
  private static String unusedUid() throws IOException {
    for (; ; ) {
      int uid = 40_000 + ThreadLocalRandom.current().nextInt(20_000);
      boolean used = false;
      try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
        for (Path proc : procs) {
          try {
            used |= (Integer) Files.getAttribute(proc, "unix:uid") == uid;
          } catch (IOException e) {
            // Gone meanwhile.
          }
        }
      }
      if (!used) {
        return Integer.toString(uid);
      }
    }
  }

  private static String tail(Path file) throws IOException {
    List<String> lines =
        Files.readString(file).lines().filter(l -> !l.contains("Failed to start thread")).toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
