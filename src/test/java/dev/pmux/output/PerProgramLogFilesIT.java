package dev.pmux.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The commented per-program log file example of the shipped conf/log4j2.xml works once enabled. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PerProgramLogFilesIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  /**
   * Does what the comment tells a user to do: uncomment the appender and its ref, raise the level.
   */
  private static String enableExample(String shipped) {
    Matcher appender =
        Pattern.compile(
                "<!--(?:(?!-->).)*?(<Routing name=\"PerProgram\">.*?</Routing>)\\s*-->",
                Pattern.DOTALL)
            .matcher(shipped);
    assertThat(appender.find()).as("the shipped example appender").isTrue();
    String enabled = appender.replaceFirst(Matcher.quoteReplacement(appender.group(1)));
    assertThat(enabled)
        .contains(
            "<!-- <AppenderRef ref=\"PerProgram\"/> -->",
            "<Logger name=\"pmux.process\" level=\"off\"");
    return enabled
        .replace("<!-- <AppenderRef ref=\"PerProgram\"/> -->", "<AppenderRef ref=\"PerProgram\"/>")
        .replace(
            "<Logger name=\"pmux.process\" level=\"off\"",
            "<Logger name=\"pmux.process\" level=\"info\"");
  }

  /**
   * pmux on {@code config}, with {@code log4j} as its Log4j configuration, logging to {@code logs}.
   */
  private PmuxProcess start(Path config, Path log4j, Path logs) throws IOException {
    return PmuxProcess.start(
        config,
        leaks.environment(),
        tmp,
        "-Dlog4j2.configurationFile=" + log4j,
        "-Dpmux.logs=" + logs);
  }

  @Test
  void eachProgramGetsItsOwnFile_andTheMergedStreamIsUnchanged() throws Exception {
    Path log4j =
        Files.writeString(
            tmp.resolve("log4j2.xml"), enableExample(Files.readString(Path.of("conf/log4j2.xml"))));
    Path config =
        Files.writeString(
            tmp.resolve("pmux.yml"),
            """
            processes:
              - name: web
                cmd: /bin/sh
                args: ["-c", "echo web-out; echo web-err >&2"]
                noRestartOn: [0]
              - name: db
                cmd: /bin/echo
                args: [db-out]
                noRestartOn: [0]
            """);
    Path logs = tmp.resolve("logs");
    try (PmuxProcess pmux = start(config, log4j, logs)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(pmux.stdout()).contains("web  › web-out\n", "db   › db-out\n");
      assertThat(pmux.stderr()).contains("web  » web-err\n").doesNotContain("ERROR");
    }
    String web = Files.readString(logs.resolve("web.log"));
    assertThat(web)
        .contains("INFO web-out", "WARN web-err")
        .as("pmux's events about web")
        .contains("INFO ~ starting process\n", "INFO ~ exit code: 0\n");
    assertThat(Files.readString(logs.resolve("db.log")))
        .contains("INFO db-out", "INFO ~ starting process\n")
        .doesNotContain("web");
    // The time as pmux.out has it with the shipped timeFormat (2006-01-02T15:04:05.000Z07:00).
    assertThat(web.lines())
        .allMatch(
            line ->
                line.matches(
                    "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)"
                        + " (INFO|WARN) .*"));
  }

  /** A program that prints nothing still gets its exits and restarts in its file. */
  @Test
  void aSilentCrashingProgram_getsItsExitsAndRestartsInItsFile() throws Exception {
    Path log4j =
        Files.writeString(
            tmp.resolve("log4j2.xml"), enableExample(Files.readString(Path.of("conf/log4j2.xml"))));
    Path config =
        Files.writeString(
            tmp.resolve("pmux.yml"),
            """
            processes:
              - {name: talker, cmd: /bin/sh, args: ["-c", "echo hello; exec sleep 1000"]}
              - {name: silent, cmd: /bin/sh, args: ["-c", "exit 3"], minWait: 50ms, maxWait: 50ms}
            """);
    Path logs = tmp.resolve("logs");
    Path silent = logs.resolve("silent.log");
    try (PmuxProcess pmux = start(config, log4j, logs)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Files.exists(silent)
                      && Files.readString(silent).contains("INFO ~ will restart process in 50ms"));
      pmux.signal("TERM");
      assertThat(pmux.exitsWithin(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(Files.readString(silent))
        .contains("INFO ~ starting process\n", "INFO ~ exited: process exited: exit status 3\n")
        .doesNotContain("hello");
    assertThat(Files.readString(logs.resolve("talker.log")))
        .contains("INFO hello\n", "INFO ~ sending interrupt signal\n")
        .doesNotContain("exit status 3");
  }

  @Test
  void oddNamesGetAFileOfTheirOwnDirectlyUnderLogs() throws Exception {
    Path log4j =
        Files.writeString(
            tmp.resolve("log4j2.xml"), enableExample(Files.readString(Path.of("conf/log4j2.xml"))));
    String[][] programs = {
      {"api/v1", "api~2fv1"},
      {"50%", "50~25"},
      {"50%i", "50~25i"},
      {"${HOME}", "~24~7bHOME~7d"},
      {"a b", "a~20b"}
    };
    StringBuilder yaml = new StringBuilder("processes:\n");
    for (String[] p : programs) {
      yaml.append("  - {name: '")
          .append(p[0])
          .append("', cmd: /bin/echo, args: ['line of ")
          .append(p[0])
          .append("'], noRestartOn: [0]}\n");
    }
    Path config = Files.writeString(tmp.resolve("pmux.yml"), yaml.toString());
    Path logs = tmp.resolve("logs");
    try (PmuxProcess pmux = start(config, log4j, logs)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(pmux.stderr()).doesNotContain("ERROR", "Exception");
    }
    try (var files = Files.list(logs)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(
              Arrays.stream(programs).map(p -> p[1] + ".log").toArray(String[]::new));
    }
    for (String[] p : programs) {
      assertThat(Files.readString(logs.resolve(p[1] + ".log")))
          .as(p[0])
          .contains(" INFO line of " + p[0] + "\n");
    }
  }

  /**
   * Log4j's start can take seconds on a loaded machine (here: a file appender on a FIFO that blocks
   * until a reader comes). Programs that end at once must not lose their lines to pmux's exit.
   */
  @Test
  void linesOfProgramsThatEndedWhileLog4jWasStarting_reachTheirFilesBeforePmuxExits()
      throws Exception {
    Path fifo = tmp.resolve("slow.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    String slow =
        "<File name=\"Slow\" fileName=\"" + fifo + "\"><PatternLayout pattern=\"%m%n\"/></File>";
    String xml =
        enableExample(Files.readString(Path.of("conf/log4j2.xml")))
            .replace("<Appenders>", "<Appenders>\n    " + slow)
            .replace(
                "<AppenderRef ref=\"Diagnostics\"/>",
                "<AppenderRef ref=\"Diagnostics\"/><AppenderRef ref=\"Slow\"/>");
    Path log4j = Files.writeString(tmp.resolve("log4j2.xml"), xml);
    Path config =
        Files.writeString(
            tmp.resolve("pmux.yml"),
            "processes:\n  - {name: quick, cmd: /bin/echo, args: [last words], noRestartOn: [0]}\n");
    Path logs = tmp.resolve("logs");
    try (PmuxProcess pmux = start(config, log4j, logs)) {
      pmux.awaitStdout("quick › last words", Duration.ofSeconds(20));
      // Longer than the 2 s + 2 s pmux waited before: Log4j is still opening the FIFO.
      assertThat(pmux.exitsWithin(Duration.ofSeconds(6))).as("pmux waits for Log4j").isFalse();
      Thread reader =
          new Thread(
              () -> {
                try (var in = Files.newInputStream(fifo)) {
                  in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                  // pmux exited: the FIFO's writer is gone.
                }
              });
      reader.setDaemon(true);
      reader.start();
      assertThat(pmux.awaitExit(Duration.ofSeconds(30))).isZero();
    }
    assertThat(Files.readString(logs.resolve("quick.log"))).contains(" INFO last words\n");
  }
}
