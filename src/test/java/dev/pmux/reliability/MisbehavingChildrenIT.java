package dev.pmux.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.output.LineFormat;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.ProcessState;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.InProcessPmux;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Specs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children that do what well-behaved programs do not: close their stdout and carry on, crash in a
 * tight loop, leave a thousand grandchildren. In-process supervision of real children.
 *
 * <p>The crash loop is a soak: by default 2,000 restarts; the full run is {@code mvn -B verify
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=MisbehavingChildrenIT
 * -Dpmux.soak.restarts=10000}. The grandchildren count is {@code -Dpmux.soak.grandchildren}
 * (default 1,000).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MisbehavingChildrenIT {
  /** Threads that may come and go around a crash loop: the JDK's cached process-reaper threads. */
  private static final int THREAD_TOLERANCE = 4;

  /** File descriptors that may differ: the JDK and JUnit open and close a few of their own. */
  private static final int FD_TOLERANCE = 4;

  /** Heap (after a full GC) that may differ: class loading, JIT and JUnit bookkeeping. */
  private static final long HEAP_TOLERANCE = 4L * 1024 * 1024;

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  @Test
  void childClosesItsStdout_staysRunningShowsItsStderrAndStopsPromptly() throws Exception {
    CapturedOutput output = new CapturedOutput();
    try (InProcessPmux pmux =
        new InProcessPmux(
            output.merged(),
            leaks.environment(),
            tmp,
            Specs.shell("closer", "exec >&-; echo still-on-stderr >&2; sleep 1000")
                .sigKillWait(Duration.ofSeconds(10))
                .build())) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> output.stderr().contains("closer » still-on-stderr\n"));
      long pid = pmux.program("closer").snapshot().pid();
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  pmux.program("closer").snapshot().state() == ProcessState.RUNNING
                      && pmux.program("closer").snapshot().pid() == pid);

      long t0 = System.nanoTime();
      pmux.program("closer").stop().get(5, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.printf("[reliability] closed stdout: stop took %d ms%n", took.toMillis());
      assertThat(took).isLessThan(Duration.ofSeconds(5)); // sigKillWait is 10 s
      assertThat(pmux.program("closer").snapshot().state()).isEqualTo(ProcessState.STOPPED);
    }
    assertThat(output.stdout()).isEmpty();
    assertThat(output.stderrLines())
        .containsExactly(
            "closer ~ starting process",
            "closer » still-on-stderr",
            "closer ~ sending interrupt signal",
            "closer ~ exited: context canceled",
            "closer ~ stopped process handler");
  }

  @Test
  @Timeout(value = 600, unit = TimeUnit.SECONDS)
  void crashLoop_leavesNoThreadsFileDescriptorsOrHeapBehind() throws Exception {
    int restarts = Integer.getInteger("pmux.soak.restarts", 2000);
    // Warm-up: the JDK's process machinery (reaper threads, jspawnhelper, classes) starts lazily.
    crashLoop(50);
    awaitNoPmuxThreads();
    Counts before = Counts.now();

    long t0 = System.nanoTime();
    long events = crashLoop(restarts);
    double seconds = (System.nanoTime() - t0) / 1e9;

    awaitNoPmuxThreads();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                Counts.now().threads <= before.threads + THREAD_TOLERANCE
                    && Counts.openFds() <= before.fds + FD_TOLERANCE);
    Counts after = Counts.now();
    System.out.printf(
        "[reliability] crash loop: %d restarts of /bin/true in %.1f s = %.0f restarts/s (%d event lines); "
            + "threads %d -> %d, fds %d -> %d, heap after GC %.1f -> %.1f MB%n",
        restarts,
        seconds,
        restarts / seconds,
        events,
        before.threads,
        after.threads,
        before.fds,
        after.fds,
        before.heap / 1e6,
        after.heap / 1e6);
    assertThat(after.threads)
        .as("threads (tolerance %d)", THREAD_TOLERANCE)
        .isLessThanOrEqualTo(before.threads + THREAD_TOLERANCE);
    assertThat(after.fds)
        .as("open file descriptors (tolerance %d)", FD_TOLERANCE)
        .isLessThanOrEqualTo(before.fds + FD_TOLERANCE);
    assertThat(after.heap - before.heap)
        .as("heap growth after GC, bytes")
        .isLessThan(HEAP_TOLERANCE);
  }

  /**
   * Runs /bin/true with a 1 ms backoff until it has restarted {@code restarts} times; returns the
   * event lines printed.
   */
  private long crashLoop(int restarts) throws Exception {
    AtomicLong events = new AtomicLong();
    AtomicLong stdoutLines = new AtomicLong();
    // Counting sinks: the output of thousands of restarts must not itself fill the heap.
    MergedOutput counted =
        new MergedOutput(
            new LineTap((b, off, len, at) -> stdoutLines.incrementAndGet()),
            new LineTap((b, off, len, at) -> events.incrementAndGet()),
            new LineFormat(null, Clock.systemUTC()),
            200);
    try (InProcessPmux pmux =
        new InProcessPmux(
            counted,
            leaks.environment(),
            tmp,
            Specs.program("crash", "/bin/true")
                .waits(Duration.ofMillis(1), Duration.ofMillis(1))
                .build())) {
      await()
          .atMost(Duration.ofSeconds(550))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> pmux.program("crash").snapshot().restartCount() >= restarts);
    }
    assertThat(stdoutLines.get()).isZero();
    return events.get();
  }

  private static void awaitNoPmuxThreads() {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("pmux-")));
  }

  private record Counts(int threads, long fds, long heap) {
    static Counts now() throws IOException {
      int threads = ManagementFactory.getThreadMXBean().getThreadCount();
      long fds = openFds();
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      System.gc();
      return new Counts(threads, fds, memory.getHeapMemoryUsage().getUsed());
    }

    static long openFds() throws IOException {
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        return fds.count();
      }
    }
  }

  @Test
  void thousandGrandchildren_allDieSoonAfterSigKillWait() throws Exception {
    int grandchildren = Integer.getInteger("pmux.soak.grandchildren", 1000);
    Duration sigKillWait = Duration.ofSeconds(2);
    // The background sleeps ignore SIGINT: they live until the SIGKILL. The kernel alone takes
    // 0.4 s to kill and reap 1,000 of them on an idle 2-core machine, longer under load.
    Duration bound = sigKillWait.plusSeconds(3);
    CapturedOutput output = new CapturedOutput();
    try (InProcessPmux pmux =
        new InProcessPmux(
            output.merged(),
            leaks.environment(),
            tmp,
            Specs.shell(
                    "forker",
                    "for i in $(seq "
                        + grandchildren
                        + "); do sleep 1000 & done; echo spawned; wait")
                .sigKillWait(sigKillWait)
                .build())) {
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> output.stdout().contains("forker › spawned\n"));
      // The shell has forked them all; a few may still be on their way through exec.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> leaks.marked().size() >= grandchildren + 1);

      long t0 = System.nanoTime();
      pmux.program("forker")
          .stop()
          .get(sigKillWait.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
      long stopped = System.nanoTime() - t0;
      Duration left = bound.minusNanos(System.nanoTime() - t0);
      assertThat(left).as("time left of the bound once stop() is done").isPositive();
      await()
          .atMost(left.compareTo(Duration.ofMillis(50)) > 0 ? left : Duration.ofMillis(50))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> leaks.marked().isEmpty());
      long allDead = System.nanoTime() - t0;
      System.out.printf(
          "[reliability] %d grandchildren: stop() done in %d ms, every process gone %d ms after stop() (bound %d ms)%n",
          grandchildren, stopped / 1_000_000, allDead / 1_000_000, bound.toMillis());
    }
    assertThat(output.stderr())
        .contains("forker ~ sending interrupt signal\n", "forker ~ exited: context canceled\n");
  }
}
