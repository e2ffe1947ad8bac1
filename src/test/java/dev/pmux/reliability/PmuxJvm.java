package dev.pmux.reliability;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real pmux JVM (as {@code dev.pmux.testing.PmuxProcess} starts it, {@code -Xmx64m}) whose stdout
 * goes wherever the test says — a file, {@code /dev/null}, or a pipe the test streams or leaves
 * unread — so that gigabytes of output never sit in the test's memory. Its stderr is captured in
 * memory.
 */
final class PmuxJvm implements AutoCloseable {
  private final Process process;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final Thread errPump;

  private PmuxJvm(Process process) {
    this.process = process;
    this.errPump = pump(process.getErrorStream(), stderr);
  }

  /**
   * Starts {@code java -Xmx64m [jvmOptions] -cp <test class path> dev.pmux.Main -c config} in
   * {@code dir} with exactly {@code env}, stdin from /dev/null and stdout to {@code stdout}.
   */
  static PmuxJvm start(
      Path config,
      Map<String, String> env,
      Path dir,
      ProcessBuilder.Redirect stdout,
      String... jvmOptions)
      throws IOException {
    List<String> command = dev.pmux.testing.PmuxProcess.command(config, jvmOptions);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(dev.pmux.testing.PmuxProcess.withRunDir(env, dir));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectOutput(stdout);
    return new PmuxJvm(builder.start());
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
    return dev.pmux.testing.PmuxProcess.pump(in, sink);
  }

  long pid() {
    return process.pid();
  }

  /** pmux's stdout, when it was started with {@link ProcessBuilder.Redirect#PIPE}. */
  InputStream stdout() {
    return process.getInputStream();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends {@code signal} (e.g. "TERM") to the pmux JVM. */
  void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
        .start()
        .waitFor(5, TimeUnit.SECONDS);
  }

  String stderr() {
    synchronized (stderr) {
      return stderr.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits until stderr contains {@code text}; a timeout shows what pmux printed on stderr. */
  void awaitStderr(String text, Duration within) {
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(10))
          .failFast("pmux exited", () -> !process.isAlive() && !stderr().contains(text))
          .until(() -> stderr().contains(text));
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      String err = stderr();
      throw new AssertionError(
          "waited "
              + within
              + " for stderr to contain "
              + text
              + "\n--- stderr:\n"
              + (err.length() <= 4000 ? err : "..." + err.substring(err.length() - 4000)),
          e);
    }
  }

  /** A field of /proc/<pid>/status given in kB (VmRSS, VmHWM, ...), in bytes. */
  long statusBytes(String field) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) * 1024;
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
  }

  /** CPU time pmux has used so far, in clock ticks (utime + stime from /proc). */
  long cpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** Waits for pmux to exit and its stderr to be read; returns its exit status. */
  int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "pmux did not exit within " + within + "; stderr so far:\n" + stderr());
    }
    errPump.join(5000);
    return process.exitValue();
  }

  /** SIGKILLs pmux if still running (the test's last resort; its children are checked apart). */
  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // Torn down by a timeout: stop waiting and leave the interrupt for JUnit to see.
        Thread.currentThread().interrupt();
      }
    }
    process.getInputStream().close();
  }
}
