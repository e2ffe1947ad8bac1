package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.testing.ProcessLeaks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  /** What a command printed and how it ended. */
  private record Result(int status, String out, String err) {}

  @Test
  void ctlUnderAProcessLimitThatProgramsUsedUp_neverEndsPmux_andAnswersOnceThreadsCanBeMade()
      throws Exception {
    String uid = secondUser();
    Path home = unpack(uid);
    Path err = tmp.resolve("pmux.err");
    Process pmux = startUnderLimit(uid, home, err);
    try {
      // Launches now fail for want of processes, and are reported as they should be.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(err).contains("resource temporarily unavailable"));
      for (int i = 0; i < 2; i++) {
        long t0 = System.nanoTime();
        Result list = ctl(uid, home, "list");
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
      raiseLimit(uid, pmux);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Result list = ctl(uid, home, "list");
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
    Path home = unpack(uid);
    Path err = tmp.resolve("pmux.err");
    Process pmux = startUnderLimit(uid, home, err);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(err).contains("resource temporarily unavailable"));
      // pmux gets room, its guardian keeps the limit that the programs now exceed.
      raiseLimit(uid, pmux);
      // Every program running, so no launch is under way (a child spawned and not yet journaled
      // when pmux dies is the next pmux's to stop, not the guardian's).
      await().atMost(Duration.ofSeconds(60)).until(() -> sleepsOf(uid) == PROGRAMS);
    } finally {
      pmux.destroyForcibly();
      pmux.waitFor(30, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> processesOf(uid) == 0);
  }

  private String secondUser() throws Exception {
    Assumptions.assumeTrue(
        "0".equals(run(List.of("id", "-u")).out().trim()), "needs root to act as a second user");
    return unusedUid();
  }

  /** bin/pmux run as {@code uid} with {@value #PROGRAMS} programs, under {@value #NPROC}. */
  private Process startUnderLimit(String uid, Path home, Path err) throws Exception {
    StringBuilder yaml = new StringBuilder("processes:\n");
    for (int i = 1; i <= PROGRAMS; i++) {
      yaml.append("  - {name: p")
          .append(i)
          .append(", cmd: sleep, args: [\"1000\"], minWait: 100ms, maxWait: 500ms}\n");
    }
    Path config = Files.writeString(home.resolve("many.yml"), yaml);
    assertThat(run(List.of("chown", uid + ":" + uid, config.toString())).status()).isZero();
    return builder(
            uid,
            "prlimit",
            // The soft limit only: raising a hard one needs CAP_SYS_RESOURCE, which containers
            // lack even as root.
            "--nproc=" + NPROC + ":",
            home.resolve("bin/pmux").toString(),
            "run",
            "-c",
            config.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile())
        .start();
  }

  /** Raises the soft process limit of {@code pmux} to its hard one, as its own user. */
  private void raiseLimit(String uid, Process pmux) throws Exception {
    String hard =
        Files.readAllLines(Path.of("/proc", Long.toString(pmux.pid()), "limits")).stream()
            .filter(l -> l.startsWith("Max processes"))
            .map(l -> l.substring("Max processes".length()).trim().split("\\s+", -1)[1])
            .findFirst()
            .orElseThrow();
    Result raised =
        run(builder(uid, "prlimit", "--pid", Long.toString(pmux.pid()), "--nproc=" + hard + ":"));
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

  private Result ctl(String uid, Path home, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/pmux").toString(), "ctl"));
    command.addAll(List.of(args));
    return run(builder(uid, command.toArray(String[]::new)));
  }

  /** A command run as {@code uid} through setpriv, from the test's directory, marked as ours. */
  private ProcessBuilder builder(String uid, String... command) {
    List<String> all =
        new ArrayList<>(
            List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "env"));
    all.add("HOME=" + tmp);
    all.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(all).directory(tmp.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(leaks.environment());
    env.remove("PMUX_HOME");
    env.remove("PMUX_CONF");
    env.remove("PMUX_RUN_DIR");
    // pmux's own launcher, not the JDK's fallback (three threads per program), in every execution.
    env.remove("PMUX_LAUNCHER");
    return builder;
  }

  private Result run(List<String> command) throws IOException, InterruptedException {
    return run(new ProcessBuilder(command).directory(tmp.toFile()));
  }

  private Result run(ProcessBuilder builder) throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + builder.command());
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** The unpacked tar.gz, in the test's directory, owned by {@code uid}. */
  private Path unpack(String uid) throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path tarball;
    try (DirectoryStream<Path> found =
        Files.newDirectoryStream(Path.of("target"), "pmux-*-bin.tar.gz")) {
      tarball = found.iterator().next();
    }
    Path into = Files.createDirectories(tmp.resolve("dist"));
    assertThat(
            run(List.of("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", into.toString()))
                .status())
        .isZero();
    assertThat(run(List.of("chown", "-R", uid + ":" + uid, into.toString())).status()).isZero();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(into, "pmux-*")) {
      return dirs.iterator().next();
    }
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
