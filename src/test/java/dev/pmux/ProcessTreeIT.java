package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * pmux owns its process tree: orphans of its programs come to it as their subreaper and are reaped,
 * never left zombies, and as a container's PID 1 it reaps and stops as it does elsewhere.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessTreeIT {
  // 200 short-lived orphans, then a long-lived one, then the program itself stays.
  private static final String ORPHANS =
      "processes:\n"
          + "  - name: forker\n"
          + "    cmd: bash\n"
          + "    args: ['-c', 'for i in $(seq 200); do (sleep 0.01 &); done;"
          + " (exec -a pmux-test-orphan sleep 1000 &); echo forked; trap \"exit 0\" INT;"
          + " sleep 1000 & wait']\n";

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private Path config() throws IOException {
    return Files.writeString(tmp.resolve("pmux.yml"), ORPHANS);
  }

  /** [ppid, state] of {@code pid}, or null when it is gone. */
  private static String @Nullable [] stat(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      return new String[] {f[1], f[0]};
    } catch (IOException e) {
      return null;
    }
  }

  /** The children of {@code parent} in state {@code state} (Z: zombies). */
  private static List<Long> children(long parent, String state) throws IOException {
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        long pid = Long.parseLong(p.getFileName().toString());
        String[] s = stat(pid);
        if (s != null && s[0].equals(Long.toString(parent)) && s[1].equals(state)) {
          found.add(pid);
        }
      }
    }
    return found;
  }

  private List<Long> longOrphans() throws IOException {
    List<Long> found = new ArrayList<>();
    for (long pid : leaks.marked()) {
      try {
        if (Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
            .startsWith("pmux-test-orphan")) {
          found.add(pid);
        }
      } catch (IOException e) {
        // Gone meanwhile.
      }
    }
    return found;
  }

  private void killLongOrphans() throws IOException {
    for (long pid : longOrphans()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void orphansOfAProgram_comeToPmuxAndAreReaped() throws Exception {
    try (PmuxProcess pmux = PmuxProcess.start(config(), leaks.environment(), tmp)) {
      pmux.awaitStdout("forker › forked\n", Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(10)).until(() -> longOrphans().size() == 1);
      long orphan = longOrphans().get(0);
      assertThat(stat(orphan)).as("the orphan's parent").startsWith(Long.toString(pmux.pid()));
      // Every short-lived orphan has ended by now or soon; none stays a zombie of pmux.
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> children(pmux.pid(), "Z").isEmpty());
      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(30))).isZero();
    } finally {
      killLongOrphans();
    }
  }

  /**
   * The reaper takes no child another waiter expects: 50 programs ending at once with status 7
   * (with the JDK's launcher, 50 JDK children) each report it, not a status lost to the reaper.
   */
  @Test
  void childrenThatEndAtOnce_keepTheirStatus_theReaperTakesNoneOfThem() throws Exception {
    StringBuilder yaml = new StringBuilder("processes:\n");
    for (int i = 0; i < 50; i++) {
      yaml.append("  - {name: p")
          .append(i < 10 ? "0" : "")
          .append(i)
          .append(", cmd: sh, args: ['-c', 'exit 7'], noRestartOn: [7]}\n");
    }
    Path config = Files.writeString(tmp.resolve("fifty.yml"), yaml.toString());
    try (PmuxProcess pmux = PmuxProcess.start(config, leaks.environment(), tmp)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(
              pmux.stderr()
                  .lines()
                  .filter(l -> l.endsWith("~ exited: process exited: exit status 7")))
          .hasSize(50);
    }
  }

  /** How this machine lets a test be PID 1 of a new pid namespace, or null where it refuses. */
  private static @Nullable List<String> unshare() throws Exception {
    for (List<String> wrapper :
        List.of(
            List.of("unshare", "--pid", "--fork", "--mount-proc"),
            List.of("unshare", "-r", "--pid", "--fork", "--mount-proc"))) {
      List<String> probe = new ArrayList<>(wrapper);
      probe.add("true");
      Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return wrapper;
      }
      p.destroyForcibly();
    }
    return null;
  }

  @Test
  void asPid1OfAContainer_pmuxReapsEveryOrphanAndStopsGracefullyOnSigterm() throws Exception {
    List<String> found = unshare();
    if (found == null) {
      System.err.println("ProcessTreeIT: skipped, this machine refuses every kind of unshare");
    }
    Assumptions.assumeTrue(found != null, "this machine refuses every kind of unshare");
    List<String> unshare = found == null ? List.of() : found;
    Map<String, String> env = leaks.environment();
    try (PmuxProcess wrapper = PmuxProcess.startWrapped(unshare, config(), env, tmp)) {
      wrapper.awaitStdout("forker › forked\n", Duration.ofSeconds(30));
      // unshare --fork waits for its child: pmux, PID 1 of the new namespace.
      long pmux =
          ProcessHandle.of(wrapper.pid()).orElseThrow().children().findFirst().orElseThrow().pid();
      assertThat(Files.readString(Path.of("/proc", Long.toString(pmux), "status")))
          .containsPattern("NSpid:\\s+" + pmux + "\\s+1\\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> longOrphans().size() == 1);
      assertThat(stat(longOrphans().get(0))).startsWith(Long.toString(pmux));
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> children(pmux, "Z").isEmpty());
      // SIGTERM from outside the namespace reaches PID 1 because pmux handles it.
      assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(pmux)).start().waitFor())
          .isZero();
      assertThat(wrapper.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(wrapper.stderr())
          .contains("forker ~ sending interrupt signal")
          .endsWith("pmux   ~ exited gracefully, ciao!\n");
      // The namespace ended with its PID 1: the kernel killed what was left in it.
      await().atMost(Duration.ofSeconds(10)).until(() -> longOrphans().isEmpty());
    } finally {
      killLongOrphans();
    }
  }
}
