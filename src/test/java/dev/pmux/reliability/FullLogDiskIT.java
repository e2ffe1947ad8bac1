package dev.pmux.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.testing.NumberedLines;
import dev.pmux.testing.ProcessLeaks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-program log files (the shipped Routing and RollingFile example) on a real filesystem that
 * fills up and then gets space back: a small tmpfs, mounted as root (skipped with the reason
 * otherwise).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FullLogDiskIT {
  private static final Pattern WHOLE = Pattern.compile("\\S+ INFO tick (\\d+)");
  private static final Pattern RESUMED =
      Pattern.compile("ticker ~ log file takes lines again; (\\d+) lines? (was|were) dropped\n");

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  @Test
  void aLogFileOnAFullDisk_isSaidToStopAndResumeWithTheCount_andStdoutMissesNothing()
      throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Process mount =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=1m,mode=700", "tmpfs", logs.toString())
            .redirectErrorStream(true)
            .start();
    String refused = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(
        mount.waitFor() == 0, "needs to mount a small tmpfs (root): " + refused.strip());
    try {
      fillUpAndFree(logs);
    } finally {
      new ProcessBuilder("umount", "-l", logs.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void fillUpAndFree(Path logs) throws Exception {
    Path log4j = Files.writeString(tmp.resolve("log4j2.xml"), perProgramFiles(logs));
    Path config =
        Files.writeString(
            tmp.resolve("pmux.yml"),
            """
            processes:
              - name: ticker
                cmd: /bin/sh
                args: ["-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.005; done"]
            """);
    NumberedLines ticks = new NumberedLines("ticker › tick ");
    LineTap tap = new LineTap(ticks::line);
    Map<String, String> env = leaks.environment();
    env.put("PMUX_RUN_DIR", tmp.resolve("run").toString());
    Path file = logs.resolve("ticker.log");
    String dropped;
    try (PmuxJvm pmux =
        PmuxJvm.start(
            config,
            env,
            tmp,
            ProcessBuilder.Redirect.PIPE,
            "-Dlog4j2.configurationFile=" + log4j)) {
      Thread reader = LineTap.pump(pmux.stdout(), tap, "pmux-stdout-ticks");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.exists(file) && Files.size(file) > 0 && ticks.count() > 20);

      Path filler = logs.resolve("filler");
      fill(filler);
      pmux.awaitStderr(
          "ticker ~ log file stopped taking lines (appender file-ticker: No space left on device);"
              + " counting what is dropped\n",
          Duration.ofSeconds(20));
      long full = ticks.count();
      await().atMost(Duration.ofSeconds(20)).until(() -> ticks.count() > full + 50);
      Files.delete(filler);
      await().atMost(Duration.ofSeconds(20)).until(() -> RESUMED.matcher(pmux.stderr()).find());
      long back = ticks.count();
      await().atMost(Duration.ofSeconds(20)).until(() -> ticks.count() > back + 20);

      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(15))).isZero();
      reader.join(5000);
      String stderr = pmux.stderr();
      Matcher resumed = RESUMED.matcher(stderr);
      assertThat(resumed.find()).isTrue();
      dropped = resumed.group(1);
      assertThat(stderr).as("said once each").containsOnlyOnce("stopped taking lines");
      assertThat(resumed.find()).isFalse();
    }
    assertThat(ticks.problem()).as("the merged stdout, every line in order").isNull();

    byte[] bytes = Files.readAllBytes(file);
    int nul = 0;
    for (byte b : bytes) {
      nul += b == 0 ? 1 : 0;
    }
    assertThat(nul).as("NUL bytes in the recovered log file").isZero();
    List<Long> numbers = new ArrayList<>();
    List<String> torn = new ArrayList<>();
    new String(bytes, StandardCharsets.UTF_8)
        .lines()
        .forEach(
            line -> {
              Matcher m = WHOLE.matcher(line);
              if (line.contains(" ~ ")) {
                // pmux's own events about the program, which its file gets too.
                return;
              }
              if (m.matches()) {
                numbers.add(Long.parseLong(m.group(1)));
              } else {
                torn.add(line);
              }
            });
    long missing = 0;
    for (int i = 1; i < numbers.size(); i++) {
      assertThat(numbers.get(i))
          .as("ticks in the file, in order")
          .isGreaterThan(numbers.get(i - 1));
      missing += numbers.get(i) - numbers.get(i - 1) - 1;
    }
    System.out.printf(
        "[reliability] log file on a full tmpfs: %d whole lines in the file, %d missing, %s said"
            + " dropped, torn lines %s%n",
        numbers.size(), missing, dropped, torn);
    // A line cut short where the disk filled was dropped (its write failed) yet is partly in the
    // file, glued to the first line written after: that one is missing as a whole line too.
    assertThat(torn).as("lines cut short where the disk filled").hasSizeLessThanOrEqualTo(1);
    assertThat(missing)
        .as("lines missing from the file")
        .isEqualTo(Long.parseLong(dropped) + torn.size());
  }

  /** Writes {@code filler} until the filesystem refuses more. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      for (; ; ) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
  }

  /** The shipped per-program example (Routing to one RollingFile per program) in {@code logs}. */
  private static String perProgramFiles(Path logs) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <Configuration status="warn" shutdownHook="disable">
          <Appenders>
            <Console name="Diagnostics" target="SYSTEM_ERR">
              <PatternLayout pattern="pmux: %level %logger{1}: %msg%n"/>
            </Console>
            <Routing name="PerProgram">
              <Routes pattern="$${pmuxfile:process}">
                <Route>
                  <RollingFile name="file-${pmuxfile:process}"
                               fileName="LOGS/${pmuxfile:process}.log"
                               filePattern="LOGS/${pmuxfile:process}-%i.log.gz">
                    <PatternLayout pattern="%d{ISO8601} %level %msg%n"/>
                    <SizeBasedTriggeringPolicy size="10 MB"/>
                    <DefaultRolloverStrategy max="5"/>
                  </RollingFile>
                </Route>
              </Routes>
            </Routing>
          </Appenders>
          <Loggers>
            <Logger name="pmux.process" level="info" additivity="false">
              <AppenderRef ref="PerProgram"/>
            </Logger>
            <Root level="warn">
              <AppenderRef ref="Diagnostics"/>
            </Root>
          </Loggers>
        </Configuration>
        """
        .replace("LOGS", logs.toString());
  }
}
