package dev.pmux.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.output.LineFramer;
import dev.pmux.testing.NumberedLines;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Scripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pmux JVM ({@code -Xmx64m}) whose output cannot go where it should, or comes in a form that
 * could blow its memory: a gigabyte without a newline, a stdout pipe nobody reads, a Log4j appender
 * on a full disk. Memory is read from {@code /proc/<pid>/status} of the pmux JVM.
 *
 * <p>The size of the newline-free output is {@code -Dpmux.soak.noNewlineBytes} (default 1 GB).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutputFailuresIT {
  private static final long MB = 1024 * 1024;

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private Map<String, String> environment() {
    Map<String, String> env = leaks.environment();
    env.put("PMUX_RUN_DIR", tmp.resolve("run").toString());
    return env;
  }

  private Path config(String yaml) throws IOException {
    return Files.writeString(tmp.resolve("pmux.yml"), yaml);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aGigabyteWithoutNewline_comesOutIn64KiBPiecesWithPmuxMemoryBounded() throws Exception {
    long total = Long.getLong("pmux.soak.noNewlineBytes", 1_000_000_000L);
    long pieces = (total + LineFramer.MAX_LINE - 1) / LineFramer.MAX_LINE;
    long lastPiece = total - (pieces - 1) * LineFramer.MAX_LINE;
    Path config =
        config(
            "processes:\n"
                + "  - {name: big, cmd: "
                + Scripts.path("no-newline.sh")
                + ", args: [\""
                + total
                + "\"], noRestartOn: [0]}\n"
                + "  - {name: idle, cmd: sleep, args: [\"1000\"]}\n");
    byte[] prefix = "big  › ".getBytes(StandardCharsets.UTF_8);
    AtomicLong lines = new AtomicLong();
    AtomicReference<String> problem = new AtomicReference<>();
    LineTap tap =
        new LineTap(
            (b, off, len, at) -> {
              long n = lines.incrementAndGet();
              long want = n < pieces ? LineFramer.MAX_LINE : lastPiece;
              if (len != prefix.length + want
                  || !Arrays.equals(b, off, off + prefix.length, prefix, 0, prefix.length)
                  || !allX(b, off + prefix.length, off + len)) {
                problem.compareAndSet(
                    null, "line " + n + ": " + len + " bytes, expected " + (prefix.length + want));
              }
            });
    try (PmuxJvm pmux = PmuxJvm.start(config, environment(), tmp, ProcessBuilder.Redirect.PIPE)) {
      long t0 = System.nanoTime();
      Thread reader = LineTap.pump(pmux.stdout(), tap, "pmux-stdout-counter");
      pmux.awaitStderr("big  ~ exit code: 0\n", Duration.ofSeconds(150));
      await().atMost(Duration.ofSeconds(10)).until(() -> lines.get() >= pieces);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long peak = pmux.statusBytes("VmHWM");
      long rss = pmux.statusBytes("VmRSS");
      System.out.printf(
          "[reliability] %d bytes without newline: %d lines of 64 KiB in %.1f s (%.0f MB/s); pmux peak RSS (VmHWM) %d MB, RSS now %d MB%n",
          total, lines.get(), seconds, total / 1e6 / seconds, peak / MB, rss / MB);
      assertThat(problem.get()).isNull();
      assertThat(lines.get()).isEqualTo(pieces);
      assertThat(peak).as("peak RSS of the pmux JVM (-Xmx64m), bytes").isLessThan(250 * MB);

      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(10))).isZero();
      reader.join(5000);
      assertThat(lines.get()).as("nothing after the big program's pieces").isEqualTo(pieces);
      assertThat(pmux.stderr()).endsWith("pmux ~ exited gracefully, ciao!\n");
    }
  }

  private static boolean allX(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 'x') {
        return false;
      }
    }
    return true;
  }

  @Test
  void stdoutAPipeNobodyReads_memoryStaysFlatStderrFlowsAndSigtermStillExits() throws Exception {
    Path config =
        config(
            """
            processes:
              - {name: flood, cmd: yes, args: ["a line nobody will read, again and again"]}
              - name: beat
                cmd: /bin/sh
                args: ["-c", "i=0; while :; do i=$((i+1)); echo beat $i >&2; sleep 0.05; done"]
            """);
    // ProcessBuilder's default pipe, never read: once its 64 KiB are full, pmux's writes block.
    try (PmuxJvm pmux = PmuxJvm.start(config, environment(), tmp, ProcessBuilder.Redirect.PIPE)) {
      pmux.awaitStderr("beat  » beat 10\n", Duration.ofSeconds(20));
      int firstBeat = lastBeat(pmux.stderr());
      long rss0 = pmux.statusBytes("VmRSS");
      long cpu0 = pmux.cpuTicks();
      long t0 = System.nanoTime();
      // About 3 s of beats (one per 50 ms plus the cost of forking sleep).
      await().atMost(Duration.ofSeconds(15)).until(() -> lastBeat(pmux.stderr()) >= firstBeat + 50);
      long rss1 = pmux.statusBytes("VmRSS");
      long cpu1 = pmux.cpuTicks();
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "[reliability] unread stdout pipe: over %.1f s, %d beats on stderr, pmux RSS %d -> %d MB (%+d KB), %d CPU ticks%n",
          seconds,
          lastBeat(pmux.stderr()) - firstBeat,
          rss0 / MB,
          rss1 / MB,
          (rss1 - rss0) / 1024,
          cpu1 - cpu0);
      // The heap is capped (-Xmx64m) and fills up to its cap while lines flow, so RSS growth over a
      // few seconds says nothing; what would betray unbounded buffering is a JVM far past its cap
      // (or one dead of OutOfMemoryError), the same bound as the gigabyte-line test.
      assertThat(rss1).as("RSS of pmux, bytes").isLessThan(250 * MB);
      assertBeatsInOrder(pmux.stderr());
      assertThat(pmux.isAlive()).isTrue();

      long t1 = System.nanoTime();
      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(10))).isZero();
      Duration exit = Duration.ofNanos(System.nanoTime() - t1);
      System.out.printf(
          "[reliability] unread stdout pipe: SIGTERM to exit %d ms%n", exit.toMillis());
      assertThat(exit).isLessThan(Duration.ofSeconds(5));
      assertThat(pmux.stderr())
          .contains("flood ~ sending interrupt signal\n", "beat  ~ stopped process handler\n")
          .endsWith("pmux  ~ exited gracefully, ciao!\n");
    }
  }

  private static final Pattern BEAT = Pattern.compile("^beat  » beat (\\d+)$", Pattern.MULTILINE);

  private static int lastBeat(String stderr) {
    Matcher m = BEAT.matcher(stderr);
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  private static void assertBeatsInOrder(String stderr) {
    Matcher m = BEAT.matcher(stderr);
    int expected = 1;
    while (m.find()) {
      assertThat(Integer.parseInt(m.group(1))).as("beat number").isEqualTo(expected++);
    }
  }

  /**
   * A log4j2.xml sending every program line (logger pmux.process) to a File appender on /dev/full.
   */
  private Path fullDiskLog4j(boolean ignoreExceptions) throws IOException {
    return Files.writeString(
        tmp.resolve("log4j2-full-disk.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<Configuration status=\"warn\" shutdownHook=\"disable\">\n"
            + "  <Appenders>\n"
            + "    <Console name=\"Diagnostics\" target=\"SYSTEM_ERR\">\n"
            + "      <PatternLayout pattern=\"pmux: %level %logger{1}: %msg%n\"/>\n"
            + "    </Console>\n"
            + "    <File name=\"FullDisk\" fileName=\"/dev/full\" ignoreExceptions=\""
            + ignoreExceptions
            + "\">\n"
            + "      <PatternLayout pattern=\"%d{ISO8601} %level [%X{process}] %msg%n\"/>\n"
            + "    </File>\n"
            + "  </Appenders>\n"
            + "  <Loggers>\n"
            + "    <Logger name=\"pmux.process\" level=\"info\" additivity=\"false\">\n"
            + "      <AppenderRef ref=\"FullDisk\"/>\n"
            + "    </Logger>\n"
            + "    <Root level=\"warn\">\n"
            + "      <AppenderRef ref=\"Diagnostics\"/>\n"
            + "    </Root>\n"
            + "  </Loggers>\n"
            + "</Configuration>\n");
  }

  @Test
  void log4jFileAppenderOnAFullDisk_neitherStopsSupervisionNorFloodsStderr() throws Exception {
    Path log4j = fullDiskLog4j(true);
    Path config =
        config(
            """
            processes:
              - name: ticker
                cmd: /bin/sh
                args: ["-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.01; done"]
            """);
    NumberedLines ticks = new NumberedLines("ticker › tick ");
    LineTap tap = new LineTap(ticks::line);
    try (PmuxJvm pmux =
        PmuxJvm.start(
            config,
            environment(),
            tmp,
            ProcessBuilder.Redirect.PIPE,
            "-Dlog4j2.configurationFile=" + log4j)) {
      Thread reader = LineTap.pump(pmux.stdout(), tap, "pmux-stdout-ticks");
      await().atMost(Duration.ofSeconds(20)).until(() -> ticks.count() >= 10);
      // Log4j starts at the first line and then delivers the lines held meanwhile at once: any
      // complaints come as a burst. Wait for pmux's word, and until no more come for 250 ms.
      String stopped =
          "ticker ~ log file stopped taking lines (appender FullDisk: No space left on device);"
              + " counting what is dropped\n";
      pmux.awaitStderr(stopped, Duration.ofSeconds(10));
      AtomicInteger seen = new AtomicInteger(-1);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                int reports = appenderReports(pmux.stderr()).size();
                return reports == seen.getAndSet(reports);
              });
      long t0 = System.nanoTime();
      long first = ticks.count();
      int reportsBefore = appenderReports(pmux.stderr()).size();
      // About 2 s of ticks (one per 10 ms plus the cost of forking sleep), every one a failed
      // write.
      await().atMost(Duration.ofSeconds(15)).until(() -> ticks.count() >= first + 120);
      double seconds = (System.nanoTime() - t0) / 1e9;
      String stderr = pmux.stderr();
      List<String> reports = appenderReports(stderr);
      System.out.printf(
          "[reliability] log4j appender on /dev/full: %d lines reached stdout in %.1f s; the appender problem reported %d times"
              + " (%d before that window, %d stderr lines with stack traces)%n",
          ticks.count() - first, seconds, reports.size(), reportsBefore, stderr.split("\n").length);
      assertThat(ticks.problem()).isNull();
      assertThat(pmux.isAlive()).isTrue();
      assertThat(stderr)
          .as("pmux says it once, as the program's own line")
          .containsOnlyOnce(stopped);
      assertThat(reports)
          .as("Log4j's own reports about the appender, if any, on stderr:%n%s", stderr)
          .allMatch(OutputFailuresIT::isFullDiskReport);
      assertThat(reports).as("reports of the failing appender").hasSizeLessThanOrEqualTo(5);
      assertThat(reports)
          .as("reports while it kept failing, after the first ones")
          .hasSize(reportsBefore);

      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(10))).isZero();
      reader.join(5000);
      assertThat(pmux.stderr())
          .endsWith("ticker ~ stopped process handler\npmux   ~ exited gracefully, ciao!\n");
    }
  }

  /**
   * Regression: an appender that throws (ignoreExceptions="false", as under a Failover appender)
   * used to end the program's output pump; its lines vanished and, once the pipe was full, the
   * child blocked forever in write(2) while pmux reported it RUNNING.
   */
  @Test
  void log4jAppenderThatThrows_doesNotStopTheOutputPump() throws Exception {
    Path log4j = fullDiskLog4j(false);
    int lines = 100_000;
    Path config =
        config(
            "processes:\n"
                + "  - name: strict\n"
                + "    cmd: /bin/sh\n"
                + "    args: [\"-c\", \"seq "
                + lines
                + "; echo done >&2; exec sleep 1000\"]\n");
    NumberedLines seen = new NumberedLines("strict › ");
    LineTap tap = new LineTap(seen::line);
    try (PmuxJvm pmux =
        PmuxJvm.start(
            config,
            environment(),
            tmp,
            ProcessBuilder.Redirect.PIPE,
            "-Dlog4j2.configurationFile=" + log4j)) {
      Thread reader = LineTap.pump(pmux.stdout(), tap, "pmux-stdout-strict");
      pmux.awaitStderr("strict ~ starting process\n", Duration.ofSeconds(20));
      try {
        // seq only gets to "done" if pmux keeps draining its stdout.
        pmux.awaitStderr("strict » done\n", Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.count() >= lines);
      } finally {
        System.out.printf(
            "[reliability] throwing log4j appender: %d of %d lines reached pmux's stdout%n",
            seen.count(), lines);
      }
      assertThat(seen.problem()).isNull();
      assertThat(seen.count()).isEqualTo(lines);
      String cannot =
          "pmux: WARN Log4jForwarder: the lines of strict cannot go to Log4j:"
              + " org.apache.logging.log4j.core.appender.AppenderLoggingException:"
              + " Error writing to stream /dev/full\n";
      // Lines that came while Log4j was starting reach the appender once it has started.
      pmux.awaitStderr(cannot, Duration.ofSeconds(10));
      String stderr = pmux.stderr();
      List<String> reports = appenderReports(stderr);
      assertThat(reports)
          .as("pmux says once that the lines cannot go to Log4j; stderr:%n%s", stderr)
          .containsOnlyOnce(cannot.strip());
      assertThat(reports)
          .as(
              "everything else on stderr is Log4j's own report about the appender; stderr:%n%s",
              stderr)
          .filteredOn(r -> !r.startsWith("pmux: WARN Log4jForwarder: "))
          .isNotEmpty()
          .allMatch(OutputFailuresIT::isFullDiskReport);

      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(10))).isZero();
      reader.join(5000);
    }
  }

  /** Whether {@code report} is one of Log4j's own lines about the appender on /dev/full. */
  private static boolean isFullDiskReport(String report) {
    return report.endsWith(" ERROR Unable to write to stream /dev/full for appender FullDisk")
        || report.endsWith(" ERROR An exception occurred processing Appender FullDisk");
  }

  /** The header line of each problem Log4j reports on stderr (its stack traces left out). */
  private static List<String> appenderReports(String stderr) {
    return Arrays.stream(stderr.split("\n"))
        .filter(l -> l.contains(" ERROR ") || l.contains(" WARN "))
        .toList();
  }
}
