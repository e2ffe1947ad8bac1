package dev.pmux.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.output.LineFormat;
import dev.pmux.output.LineFramer;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.ProcessState;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.InProcessPmux;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Scripts;
import dev.pmux.testing.Specs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What pmux prints is what its children wrote: random binary and invalid UTF-8 byte for byte, and
 * every line of a full-speed flood on stdout and stderr, whole and in order, without holding up the
 * lines of a quiet program meanwhile. In-process supervision of real children.
 *
 * <p>The flood size is {@code -Dpmux.soak.floodLines} (default 600,000 lines on each of stdout and
 * stderr), e.g. {@code mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=OutputFidelityIT -Dpmux.soak.floodLines=2000000}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutputFidelityIT {
  private static final long SEED = 20240611L;

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  @Test
  void randomBinaryOutput_comesOutByteIdentical() throws Exception {
    byte[] data = new byte[1024 * 1024];
    new Random(SEED).nextBytes(data);
    data[data.length - 1] = '.'; // a final line without newline, which pmux ends with one
    Path file = Files.write(tmp.resolve("random.bin"), data);
    assertThat(longestLine(data))
        .as("random data has no line pmux must cut")
        .isLessThanOrEqualTo(LineFramer.MAX_LINE);

    CapturedOutput output = new CapturedOutput();
    try (InProcessPmux pmux =
        new InProcessPmux(
            output.merged(),
            leaks.environment(),
            tmp,
            Specs.program("bin", "cat", file.toString()).noRestartOn(0).build())) {
      pmux.supervisor().allExited().get(20, TimeUnit.SECONDS);
    }

    byte[] out = output.stdoutBytes();
    byte[] prefix = "bin  › ".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream rejoined = new ByteArrayOutputStream();
    List<byte[]> lines = split(out);
    for (byte[] line : lines) {
      assertThat(startsWith(line, prefix)).as("every line starts with the prefix").isTrue();
      rejoined.write(line, prefix.length, line.length - prefix.length);
      rejoined.write('\n');
    }
    byte[] expected = new byte[data.length + 1];
    System.arraycopy(data, 0, expected, 0, data.length);
    expected[data.length] = '\n';
    assertThat(rejoined.toByteArray()).as("prefixes stripped, lines rejoined").isEqualTo(expected);
    System.out.printf(
        "[reliability] binary: %d random bytes (seed %d, %d lines) came out byte-identical%n",
        data.length, SEED, lines.size());
  }

  @Test
  void binaryLinesLongerThan64KiB_areCutIntoPiecesWithoutLosingAByte() throws Exception {
    Random random = new Random(SEED + 1);
    byte[] data = new byte[512 * 1024];
    random.nextBytes(data);
    // One run of 150,000 bytes without newline in the middle: it comes out in 64 KiB pieces.
    for (int i = 100_000; i < 250_000; i++) {
      while (data[i] == '\n') {
        data[i] = (byte) random.nextInt(256);
      }
    }
    data[data.length - 1] = '\n';
    Path file = Files.write(tmp.resolve("long-run.bin"), data);

    CapturedOutput output = new CapturedOutput();
    try (InProcessPmux pmux =
        new InProcessPmux(
            output.merged(),
            leaks.environment(),
            tmp,
            Specs.program("bin", "cat", file.toString()).noRestartOn(0).build())) {
      pmux.supervisor().allExited().get(20, TimeUnit.SECONDS);
    }

    byte[] prefix = "bin  › ".getBytes(StandardCharsets.UTF_8);
    byte[] expected = framedAsDesigned(data, prefix);
    assertThat(output.stdoutBytes()).isEqualTo(expected);
    assertThat(split(output.stdoutBytes()))
        .anyMatch(l -> l.length == prefix.length + LineFramer.MAX_LINE);
  }

  @Test
  void floodOnStdoutAndStderr_losesNothingAndDoesNotStallAQuietProgram() throws Exception {
    int floodLines = Integer.getInteger("pmux.soak.floodLines", 600_000);
    FloodCheck check = new FloodCheck();
    MergedOutput merged =
        new MergedOutput(
            new LineTap(check::stdoutLine),
            new LineTap(check::stderrLine),
            new LineFormat(null, Clock.systemUTC()),
            200);
    try (InProcessPmux pmux =
        new InProcessPmux(
            merged,
            leaks.environment(),
            tmp,
            Specs.program("flood", Scripts.path("flood-both.sh"), Integer.toString(floodLines))
                .noRestartOn(0)
                .build(),
            Specs.shell(
                    "tick",
                    "i=0; while :; do i=$((i+1)); echo \"tick $i\"; echo \"tock $i\" >&2; sleep 0.02; done")
                .build())) {
      await()
          .atMost(Duration.ofSeconds(45))
          .until(() -> pmux.program("flood").snapshot().state() == ProcessState.EXITED);
      // A tick that arrived after the flood closes the window in which gaps are measured.
      long floodEnd = check.floodLast();
      await().atMost(Duration.ofSeconds(5)).until(() -> check.lastTickNanos() > floodEnd);
    }

    assertThat(check.problem.get()).as("first out-of-order or malformed line").isNull();
    assertThat(check.outNext).as("stdout flood lines seen").isEqualTo(floodLines + 1);
    assertThat(check.errNext).as("stderr flood lines seen").isEqualTo(floodLines + 1);
    assertThat(check.tockNext).isGreaterThanOrEqualTo(check.tickNext - 2);

    long floodStart = check.floodFirst;
    long floodEnd = check.floodLast();
    List<Long> ticks = check.tickArrivals();
    long maxGap = 0;
    int during = 0;
    for (int i = 1; i < ticks.size(); i++) {
      long prev = ticks.get(i - 1);
      long at = ticks.get(i);
      if (at >= floodStart && prev <= floodEnd) {
        maxGap = Math.max(maxGap, at - prev);
      }
      if (at >= floodStart && at <= floodEnd) {
        during++;
      }
    }
    double seconds = (floodEnd - floodStart) / 1e9;
    System.out.printf(
        "[reliability] flood: %d+%d lines (%.1f MB) in %.2f s (%.0f lines/s); quiet program: %d lines during the flood, largest gap %d ms%n",
        floodLines,
        floodLines,
        floodLines * 2 * 69 / 1e6,
        seconds,
        floodLines * 2 / seconds,
        during,
        maxGap / 1_000_000);
    assertThat(Duration.ofNanos(maxGap))
        .as("largest gap between the quiet program's lines during the flood")
        // A stall would last as long as the flood; a loaded 2-core machine alone can pause a
        // thread for a second.
        .isLessThan(Duration.ofSeconds(3));
    if (seconds > 0.5) {
      assertThat(during).as("quiet lines that arrived during the flood").isPositive();
    }
  }

  /**
   * Checks the merged output of the flood test line by line as it arrives, keeping only counters.
   */
  // Each counter has one writer, its pump thread; volatile is for the test thread's reads.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private static final class FloodCheck {
    private static final String PAD = "x".repeat(54);
    final AtomicReference<String> problem = new AtomicReference<>();
    volatile int outNext = 1;
    volatile int errNext = 1;
    volatile int tickNext = 1;
    volatile int tockNext = 1;
    volatile long floodFirst;
    private volatile long floodLastOut;
    private volatile long floodLastErr;
    private final List<Long> tickArrivals = new ArrayList<>();

    synchronized List<Long> tickArrivals() {
      return List.copyOf(tickArrivals);
    }

    synchronized long lastTickNanos() {
      return tickArrivals.isEmpty() ? 0 : tickArrivals.get(tickArrivals.size() - 1);
    }

    long floodLast() {
      return Math.max(floodLastOut, floodLastErr);
    }

    void stdoutLine(byte[] b, int off, int len, long at) {
      String line = new String(b, off, len, StandardCharsets.UTF_8);
      if (line.startsWith("flood › ")) {
        expect(line, "flood › " + floodLine("out", outNext++));
        floodSeen(at);
        floodLastOut = at;
      } else if (line.startsWith("tick  › ")) {
        expect(line, "tick  › tick " + tickNext++);
        synchronized (this) {
          tickArrivals.add(at);
        }
      } else {
        report("unexpected stdout line: " + line);
      }
    }

    void stderrLine(byte[] b, int off, int len, long at) {
      String line = new String(b, off, len, StandardCharsets.UTF_8);
      if (line.startsWith("flood » ")) {
        expect(line, "flood » " + floodLine("err", errNext++));
        floodSeen(at);
        floodLastErr = at;
      } else if (line.startsWith("tick  » ")) {
        expect(line, "tick  » tock " + tockNext++);
      } else if (!line.startsWith("flood ~ ") && !line.startsWith("tick  ~ ")) {
        report("unexpected stderr line: " + line);
      }
    }

    private void floodSeen(long at) {
      if (floodFirst == 0) {
        floodFirst = at;
      }
    }

    private static String floodLine(String tag, int i) {
      String n = Integer.toString(i);
      return tag + " " + "0".repeat(Math.max(0, 8 - n.length())) + n + " " + PAD;
    }

    private void expect(String line, String expected) {
      if (!line.equals(expected)) {
        report("expected <" + expected + "> but was <" + line + ">");
      }
    }

    private void report(String what) {
      problem.compareAndSet(null, what);
    }
  }

  /** pmux's documented framing: lines split at \n, each longer than 64 KiB cut in 64 KiB pieces. */
  private static byte[] framedAsDesigned(byte[] data, byte[] prefix) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int start = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i < data.length && data[i] != '\n') {
        continue;
      }
      if (i == data.length && start == data.length) {
        break;
      }
      int length = i - start;
      do {
        int piece = Math.min(length, LineFramer.MAX_LINE);
        out.writeBytes(prefix);
        out.write(data, start, piece);
        out.write('\n');
        start += piece;
        length -= piece;
      } while (length > 0);
      start = i + 1;
    }
    return out.toByteArray();
  }

  private static int longestLine(byte[] data) {
    int longest = 0;
    int run = 0;
    for (byte b : data) {
      run = b == '\n' ? 0 : run + 1;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  private static List<byte[]> split(byte[] out) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == '\n') {
        byte[] line = new byte[i - start];
        System.arraycopy(out, start, line, 0, line.length);
        lines.add(line);
        start = i + 1;
      }
    }
    assertThat(start).as("output ends with a newline").isEqualTo(out.length);
    return lines;
  }

  private static boolean startsWith(byte[] line, byte[] prefix) {
    if (line.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (line[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
