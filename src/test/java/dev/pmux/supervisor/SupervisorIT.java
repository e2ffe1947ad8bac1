package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.config.PmuxConfig;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.ProcStatus;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.RealRuntime;
import dev.pmux.testing.Scripts;
import dev.pmux.testing.Specs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Supervision of real child processes, in-process, reading what pmux prints. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SupervisorIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private final CapturedOutput output = new CapturedOutput();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private Supervisor supervisor;

  private Supervisor supervise(ProcessSpec... specs) {
    PmuxConfig config =
        new PmuxConfig(tmp.resolve("pmux.yml"), null, null, List.of(specs), 200, Optional.empty());
    SupervisorRuntime runtime = RealRuntime.create(leaks.environment(), scheduler);
    supervisor = new Supervisor(config, output.merged(), runtime);
    supervisor.startAll();
    return supervisor;
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (supervisor != null) {
      supervisor.stopAll().get(20, TimeUnit.SECONDS);
    }
    scheduler.shutdownNow();
  }

  private SupervisedProgram program(String name) {
    return supervisor.program(name).orElseThrow();
  }

  private void awaitState(String name, ProcessState state) {
    await().atMost(Duration.ofSeconds(10)).until(() -> program(name).snapshot().state() == state);
  }

  @Test
  void crashLoop_restartsWithGoBackoffAndPrintsItsEvents() {
    supervise(
        Specs.program("crash", Scripts.path("exit-with.sh"), "3")
            .waits(Duration.ofMillis(100), Duration.ofMillis(400))
            .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> program("crash").snapshot().startCount() >= 4);

    List<String> events = output.stderrLines();
    assertThat(events.get(0)).isEqualTo("crash ~ starting process");
    assertThat(events.get(1)).isEqualTo("crash ~ exited: process exited: exit status 3");
    assertThat(events.get(2)).isEqualTo("crash ~ will restart process in 100ms");
    List<Long> waits = new ArrayList<>();
    Matcher m = Pattern.compile("will restart process in (\\d+)ms").matcher(output.stderr());
    while (m.find()) {
      waits.add(Long.parseLong(m.group(1)));
    }
    // Each wait is 2*previous - run time: it grows, stays within [minWait, maxWait].
    assertThat(waits).hasSizeGreaterThanOrEqualTo(3);
    // 2*100ms - the run's length: its exact value depends on the machine's load (the formula
    // itself is pinned by BackoffTest and StateMachineTest, on a fake clock).
    assertThat(waits.get(1)).isBetween(100L, 200L);
    assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(100L, 400L));
    assertThat(output.stdout()).startsWith("crash › exit-with 3\n");
    ProcessSnapshot s = program("crash").snapshot();
    assertThat(s.restartCount()).isEqualTo(s.startCount() - 1);
    assertThat(s.lastExitCode()).isEqualTo(3);
  }

  @Test
  void restartWaitsAtLeastTheBackoff() {
    supervise(
        Specs.program("crash", Scripts.path("exit-with.sh"), "1")
            .waits(Duration.ofMillis(300), Duration.ofMillis(300))
            .build());
    // One snapshot gives an exit and its count; the next start is the one that count + 1 names
    // (under load a poll can miss a whole run: then measure the next pair).
    for (int pair = 0; pair < 5; pair++) {
      ProcessSnapshot exited =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> program("crash").snapshot(), s -> s.state() == ProcessState.BACKOFF);
      ProcessSnapshot restarted =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> program("crash").snapshot(), s -> s.startCount() > exited.startCount());
      if (restarted.startCount() == exited.startCount() + 1) {
        assertThat(restarted.lastStartTime() - exited.lastExitTime()).isGreaterThanOrEqualTo(295);
        return;
      }
    }
    throw new AssertionError("no restart seen right after the exit before it, five times");
  }

  @Test
  void noRestartOnCode_endsInExitedAndAllExitedCompletes() throws Exception {
    supervise(
        Specs.program("once", Scripts.path("exit-with.sh"), "0").noRestartOn(0).build(),
        Specs.program("three", Scripts.path("exit-with.sh"), "3").noRestartOn(3).build());
    supervisor.allExited().get(10, TimeUnit.SECONDS);
    assertThat(program("once").snapshot().state()).isEqualTo(ProcessState.EXITED);
    assertThat(program("three").snapshot().lastExitCode()).isEqualTo(3);
    // Two programs end at the same time: their events may interleave, each program's in order.
    assertThat(output.stderrLines())
        .containsSubsequence("once  ~ exit code: 0", "once  ~ stopped process handler")
        .containsSubsequence(
            "three ~ exited: process exited: exit status 3", "three ~ stopped process handler");
    assertThat(output.stderr()).doesNotContain("will restart");
  }

  @Test
  void goStyleMinusOne_endsRestartingOnAnyFailure() throws Exception {
    supervise(
        Specs.program("three", Scripts.path("exit-with.sh"), "3").noRestartOn(-1).build(),
        Specs.program("ghost", "does-not-exist-xyz").noRestartOn(-1).build());
    supervisor.allExited().get(10, TimeUnit.SECONDS);
    assertThat(output.stderrLines())
        .containsSubsequence(
            "three ~ exited: process exited: exit status 3", "three ~ stopped process handler")
        .containsSubsequence(
            "ghost ~ exited: starting process: exec: \"does-not-exist-xyz\": executable file not found in $PATH",
            "ghost ~ stopped process handler");
    assertThat(output.stderr()).doesNotContain("will restart");
  }

  @Test
  void autostartOff_waitsStoppedUntilStarted() throws Exception {
    supervise(
        Specs.program("later", "sleep", "1000").autostart(false).build(),
        Specs.program("now", Scripts.path("exit-with.sh"), "0").noRestartOn(0).build());
    awaitState("now", ProcessState.EXITED);
    assertThat(program("later").snapshot().state()).isEqualTo(ProcessState.STOPPED);
    assertThat(supervisor.allExited()).as("a stopped program keeps pmux running").isNotDone();
    assertThat(program("later").start()).isTrue();
    awaitState("later", ProcessState.RUNNING);
    assertThat(output.stderr()).contains("later ~ starting process");
  }

  @Test
  void stopOfAPromptChild_isQuickAndReadsLikeGo() throws Exception {
    supervise(Specs.program("sleeper", "sleep", "1000").build());
    awaitState("sleeper", ProcessState.RUNNING);
    long t0 = System.nanoTime();
    program("sleeper").stop().get(5, TimeUnit.SECONDS);
    // Quick means well before the default sigKillWait (10 s), whatever the machine's load.
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(output.stderrLines())
        .containsExactly(
            "sleeper ~ starting process",
            "sleeper ~ sending interrupt signal",
            "sleeper ~ exited: context canceled",
            "sleeper ~ stopped process handler");
    assertThat(program("sleeper").snapshot().state()).isEqualTo(ProcessState.STOPPED);
    assertThat(program("sleeper").snapshot().restartCount()).isZero();
  }

  @Test
  void stopRightAfterStart_reachesAChildThatDoesNotLeadItsGroupYet() throws Exception {
    // sigKillWait is long: a lost stop signal would show as a stop that takes 30 s.
    supervise(
        Specs.program("quick", "sleep", "1000")
            .autostart(false)
            .sigKillWait(Duration.ofSeconds(30))
            .build());
    for (int i = 0; i < 30; i++) {
      assertThat(program("quick").start()).isTrue();
      program("quick").stop().get(5, TimeUnit.SECONDS);
    }
    assertThat(output.stderr()).doesNotContain("sending killed signal");
  }

  @Test
  void stubbornChild_isKilledRightAfterSigKillWait() throws Exception {
    supervise(
        Specs.program("stubborn", Scripts.path("ignore-int.sh"))
            .sigKillWait(Duration.ofMillis(700))
            .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("ready"));
    long t0 = System.nanoTime();
    program("stubborn").stop().get(10, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    // Never before sigKillWait; "right after" is an outcome, not a narrow window: the lines below
    // say SIGKILL came, and when (after the stop signal) is pinned by StateMachineTest.
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(700))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(output.stderr())
        .contains(
            "stubborn ~ sending interrupt signal\n",
            "stubborn » ignoring INT\n",
            "stubborn ~ sending killed signal\nstubborn ~ exited: context canceled\nstubborn ~ stopped process handler\n");
  }

  @Test
  void stopSignalIsConfigurable() throws Exception {
    supervise(
        Specs.program("term", Scripts.path("ignore-int.sh"))
            .stopSignal(Signal.TERM)
            .sigKillWait(Duration.ofMillis(300))
            .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("ready"));
    program("term").stop().get(10, TimeUnit.SECONDS);
    assertThat(output.stderr())
        .contains("term ~ sending terminated signal\n", "term » ignoring TERM\n");
  }

  @Test
  void grandchildrenThatIgnoreTheStopSignal_getSigKillAfterSigKillWait_inTheGoToolsOrder()
      throws Exception {
    supervise(
        Specs.program("forker", Scripts.path("fork-grandchild.sh"))
            .sigKillWait(Duration.ofMillis(400))
            .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("grandchild "));
    Matcher m = Pattern.compile("grandchild (\\d+)").matcher(output.stdout());
    assertThat(m.find()).isTrue();
    long grandchild = Long.parseLong(m.group(1));
    assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive)).contains(true);
    // The shell prints the pid right after its fork: the job ignores SIGINT a moment later.
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcStatus.ignores(grandchild, 2));
    program("forker").stop().get(10, TimeUnit.SECONDS);
    assertThat(leaks.marked()).isEmpty();
    assertThat(output.stderrLines())
        .containsSubsequence(
            "forker ~ sending interrupt signal",
            "forker ~ sending killed signal",
            "forker ~ exited: context canceled",
            "forker ~ stopped process handler");
  }

  @Test
  void aProgramThatForksAwayAndExits_getsWhatItLeftStopped() throws Exception {
    supervise(
        Specs.shell("daemonizer", "sleep 1000 & echo \"left $!\"; exit 0")
            .sigKillWait(Duration.ofMillis(300))
            .noRestartOn(0)
            .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("left "));
    Matcher m = Pattern.compile("left (\\d+)").matcher(output.stdout());
    assertThat(m.find()).isTrue();
    long leftBehind = Long.parseLong(m.group(1));
    await().atMost(Duration.ofSeconds(3)).until(() -> !ProcessLeaks.running(leftBehind));
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () ->
                assertThat(output.stderr())
                    .contains(
                        "daemonizer ~ exit code: 0\n",
                        "daemonizer ~ its process group still has members: sending interrupt signal\n",
                        "daemonizer ~ sending killed signal to the rest of its process group\n"));
  }

  @Test
  void flightRecorderSeesLaunchesExitsBackoffsAndKills() throws Exception {
    Path recordingFile = tmp.resolve("pmux.jfr");
    try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
      for (String event : List.of("pmux.Launch", "pmux.Exit", "pmux.Backoff", "pmux.Kill")) {
        recording.enable(event);
      }
      recording.start();
      supervise(
          Specs.program("crash", Scripts.path("exit-with.sh"), "4")
              .waits(Duration.ofMillis(50), Duration.ofMillis(50))
              .build());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> program("crash").snapshot().startCount() >= 3);
      program("crash").stop().get(10, TimeUnit.SECONDS);
      recording.stop();
      recording.dump(recordingFile);
    }
    List<jdk.jfr.consumer.RecordedEvent> events =
        jdk.jfr.consumer.RecordingFile.readAllEvents(recordingFile);
    Map<String, Long> counts =
        events.stream()
            .collect(Collectors.groupingBy(e -> e.getEventType().getName(), Collectors.counting()));
    assertThat(counts.get("pmux.Launch")).isGreaterThanOrEqualTo(3);
    assertThat(counts.get("pmux.Exit")).isGreaterThanOrEqualTo(2);
    assertThat(counts.get("pmux.Backoff")).isGreaterThanOrEqualTo(2);
    jdk.jfr.consumer.RecordedEvent exit =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("pmux.Exit"))
            .findFirst()
            .orElseThrow();
    assertThat(exit.getString("program")).isEqualTo("crash");
    assertThat(exit.getInt("exitCode")).isEqualTo(4);
    List<ExitRecord> recent = program("crash").recentExits();
    assertThat(recent).isNotEmpty().allSatisfy(r -> assertThat(r.exitCode()).isIn(4, 130));
    assertThat(recent.get(0).restarted()).isTrue();
  }

  @Test
  void launchFailure_isBackoffAndRetried_withItsReason() {
    supervise(
        Specs.program("ghost", "does-not-exist-xyz")
            .waits(Duration.ofMillis(50), Duration.ofMillis(100))
            .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count(output.stderr(), "executable file not found") >= 3);
    assertThat(output.stderrLines().subList(0, 3))
        .containsExactly(
            "ghost ~ starting process",
            "ghost ~ exited: starting process: exec: \"does-not-exist-xyz\": executable file not found in $PATH",
            "ghost ~ will restart process in 50ms");
    assertThat(program("ghost").snapshot().startCount()).isZero();
    assertThat(program("ghost").snapshot().state())
        .isIn(ProcessState.BACKOFF, ProcessState.STARTING);
    assertThat(program("ghost").snapshot().lastError())
        .isEqualTo("exec: \"does-not-exist-xyz\": executable file not found in $PATH");
  }

  @Test
  void argumentListTooLong_isReportedInTheGoToolsWords() {
    supervise(
        Specs.program("big", "/bin/sh", "-c", "echo hi", "x".repeat(200_000))
            .noRestartOn(-1)
            .build());
    awaitState("big", ProcessState.EXITED);
    assertThat(output.stderrLines())
        .contains("big  ~ exited: starting process: fork/exec /bin/sh: argument list too long");
  }

  @Test
  void stopDuringBackoff_cancelsPendingRestart() throws Exception {
    supervise(
        Specs.program("crash", Scripts.path("exit-with.sh"), "1")
            .waits(Duration.ofMillis(500), Duration.ofMillis(500))
            .build());
    awaitState("crash", ProcessState.BACKOFF);
    program("crash").stop().get(5, TimeUnit.SECONDS);
    assertThat(program("crash").snapshot().state()).isEqualTo(ProcessState.STOPPED);
    long starts = program("crash").snapshot().startCount();
    // For longer than the cancelled backoff, nothing may start.
    await()
        .during(Duration.ofMillis(800))
        .atMost(Duration.ofSeconds(2))
        .until(() -> program("crash").snapshot().startCount() == starts);
    assertThat(output.stderr())
        .endsWith("crash ~ will restart process in 500ms\ncrash ~ stopped process handler\n");
  }

  @Test
  void environmentDirAndArgsReachTheChildVerbatim() throws Exception {
    supervise(
        Specs.program(
                "env",
                "/bin/sh",
                "-c",
                "echo \"$PMUX_PROCESS_NAME|$PMUX_PID|$FOO|$1|$(pwd)\"",
                "sh",
                "${HOME} $TARGET 'q' \"d\"")
            .env(Map.of("FOO", "bar baz"))
            .dir(tmp)
            .noRestartOn(0)
            .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("\n"));
    assertThat(output.stdout())
        .isEqualTo(
            "env  › env|"
                + ProcessHandle.current().pid()
                + "|bar baz|${HOME} $TARGET 'q' \"d\"|"
                + tmp.toRealPath()
                + "\n");
  }

  @Test
  void bytesPassThroughUnchanged_andAFinalPartialLineIsPrinted() throws Exception {
    supervise(
        Specs.program(
                "bytes",
                "/usr/bin/printf",
                "crlf line\\r\\n\\377\\376 ok\\ntab\\there\\n\\npartial")
            .noRestartOn(0)
            .build());
    supervisor.allExited().get(10, TimeUnit.SECONDS);
    byte[] expected =
        concat(
            "bytes › crlf line\r\n".getBytes(StandardCharsets.UTF_8),
            "bytes › ".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xff, (byte) 0xfe},
            " ok\nbytes › tab\there\nbytes › \nbytes › partial\n".getBytes(StandardCharsets.UTF_8));
    assertThat(output.stdoutBytes()).isEqualTo(expected);
  }

  @Test
  void aHugeLineWithoutNewline_comesOutIn64KiBPieces() throws Exception {
    supervise(Specs.shell("long", "head -c 200000 /dev/zero | tr '\\0' x").noRestartOn(0).build());
    supervisor.allExited().get(10, TimeUnit.SECONDS);
    List<String> lines = output.stdoutLines();
    assertThat(lines).hasSize(4);
    assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("long › ").matches("long › x+"));
    assertThat(lines.stream().map(l -> l.length() - "long › ".length()).toList())
        .containsExactly(65536, 65536, 65536, 200000 - 3 * 65536);
  }

  @Test
  void twoFloodingPrograms_neverInterleaveMidLineAndLoseNothing() throws Exception {
    int lines = 50_000;
    supervise(
        Specs.program("a", Scripts.path("spew.sh"), "a", Integer.toString(lines))
            .noRestartOn(0)
            .build(),
        Specs.program("b", Scripts.path("spew.sh"), "b", Integer.toString(lines))
            .noRestartOn(0)
            .build());
    supervisor.allExited().get(30, TimeUnit.SECONDS);
    Pattern whole = Pattern.compile("([ab])    › ([ab]) (\\d{8}) x{54}");
    int[] next = {1, 1};
    for (String line : output.stdoutLines()) {
      Matcher m = whole.matcher(line);
      assertThat(m.matches()).as("whole line: %s", line).isTrue();
      assertThat(m.group(2)).isEqualTo(m.group(1));
      int who = m.group(1).charAt(0) - 'a';
      assertThat(Integer.parseInt(m.group(3))).isEqualTo(next[who]++);
    }
    assertThat(next).containsExactly(lines + 1, lines + 1);
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static byte[] concat(byte[]... parts) {
    int size = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    byte[] all = new byte[size];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, i, p.length);
      i += p.length;
    }
    return all;
  }
}
