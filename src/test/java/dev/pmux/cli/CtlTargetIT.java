package dev.pmux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.testing.ProcessLeaks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pmux ctl} never attaches to a process that is not a pmux JVM of its own user: attaching
 * sends SIGQUIT, which kills an ordinary program (a reused pid in a stale pid file, a mistyped
 * --pid). Also: connection failures and bad --jmx values give one line and the documented status.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CtlTargetIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  @SuppressWarnings("NullAway.Init") // set by the test's first step, before any use
  private Process bystander;

  @AfterEach
  void stopBystander() throws InterruptedException {
    if (bystander != null) {
      bystander.descendants().forEach(ProcessHandle::destroyForcibly);
      bystander.destroyForcibly();
      bystander.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private Process start(String... command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(leaks.environment());
    bystander = builder.redirectErrorStream(true).start();
    return bystander;
  }

  private static CtlException refusal(String... args) {
    PrintStream out = new PrintStream(new ByteArrayOutputStream());
    try {
      new Ctl(out).run(args);
    } catch (CtlException e) {
      return e;
    }
    throw new AssertionError("ctl did not refuse " + List.of(args));
  }

  @Test
  void aStalePidFileNamingAnotherProgram_leavesItAliveAndExitsThree() throws Exception {
    Process sleeper = start("sleep", "1000");
    Path pidFile = Files.writeString(tmp.resolve("pmux.pid"), sleeper.pid() + "\n");

    CtlException e = refusal("--pid-file", pidFile.toString(), "list");

    assertThat(e.status()).isEqualTo(CtlStatus.UNREACHABLE);
    assertThat(e.getMessage())
        .isEqualTo(
            "pmux is not running: pid "
                + sleeper.pid()
                + " is not pmux (sleep 1000); nothing was sent to it");
    // A SIGQUIT would have ended it at once (status 131); it is still there a moment later.
    assertThat(sleeper.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void aMistypedPid_isRefusedAtOnce() throws Exception {
    Process sleeper = start("sleep", "1000");
    long started = System.nanoTime();

    CtlException e = refusal("--pid", Long.toString(sleeper.pid()), "stop", "--all");

    // At once: not after the 10 s an attach to a stranger used to wait.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(e.status()).isEqualTo(CtlStatus.UNREACHABLE);
    assertThat(sleeper.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void aProcessOfAnotherUser_isRefusedEvenIfItNamesPmux() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root to run as another user");
    Process other =
        start(
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "bash",
            "-c",
            "sleep 1000; :",
            PmuxJvm.MAIN_CLASS);
    Path proc = Path.of("/proc", Long.toString(other.pid()));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ((Integer) Files.getAttribute(proc, "unix:uid")) == 65534);

    CtlException e = refusal("--pid", Long.toString(other.pid()), "list");

    assertThat(e.status()).isEqualTo(CtlStatus.UNREACHABLE);
    assertThat(e.getMessage())
        .isEqualTo(
            "pid "
                + other.pid()
                + " runs as uid 65534, not as this user (uid 0): not attaching;"
                + " run pmux ctl as the user that runs pmux");
    assertThat(other.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void aPidThatIsGone_saysPmuxIsNotRunning() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor(10, TimeUnit.SECONDS);

    CtlException e = refusal("--pid", Long.toString(done.pid()), "list");

    assertThat(e.status()).isEqualTo(CtlStatus.UNREACHABLE);
    assertThat(e.getMessage()).isEqualTo("pmux is not running (pid " + done.pid() + " is gone)");
  }

  @Test
  void badJmxValuesAreUsageErrors() {
    for (String value : List.of("127.0.0.1:badport", "127.0.0.1:99999", "127.0.0.1", "::1:9010")) {
      CtlException e = refusal("--jmx", value, "list");
      assertThat(e.status()).as(value).isEqualTo(CtlStatus.USAGE);
      assertThat(e.getMessage())
          .isEqualTo(
              "--jmx needs HOST:PORT (a port from 1 to 65535; [::1]:PORT for IPv6), was '"
                  + value
                  + "'");
    }
    assertThat(refusal("--pid", "0", "list").status()).isEqualTo(CtlStatus.USAGE);
  }

  @Test
  void connectionFailuresAreOneLine() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    CtlException refused = refusal("--jmx", "127.0.0.1:" + closedPort, "list");
    assertThat(refused.status()).isEqualTo(CtlStatus.UNREACHABLE);
    assertThat(refused.getMessage())
        .isEqualTo("cannot reach pmux at 127.0.0.1:" + closedPort + ": Connection refused");

    CtlException unknown = refusal("--jmx", "nohost.invalid:9010", "list");
    assertThat(unknown.status()).isEqualTo(CtlStatus.UNREACHABLE);
    assertThat(unknown.getMessage())
        .isEqualTo("cannot reach pmux at nohost.invalid:9010: unknown host nohost.invalid");
  }

  @Test
  void aPasswordFileProblemIsAUsageError() {
    CtlException e =
        refusal(
            "--jmx",
            "127.0.0.1:9",
            "--user",
            "control",
            "--password-file",
            tmp.resolve("missing").toString(),
            "list");
    assertThat(e.status()).isEqualTo(CtlStatus.USAGE);
    assertThat(e.getMessage()).startsWith("cannot read password file ").doesNotContain("\n");
  }
}
