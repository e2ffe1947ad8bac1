package dev.pmux.testing;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real pmux JVM started from the test classpath, with its stdout and stderr captured apart, byte
 * for byte, for end-to-end tests that send it real signals.
 */
public final class PmuxProcess implements AutoCloseable {
  private final Process process;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final Thread outPump;
  private final Thread errPump;

  private PmuxProcess(Process process) {
    this.process = process;
    this.outPump = pump(process.getInputStream(), stdout);
    this.errPump = pump(process.getErrorStream(), stderr);
  }

  /**
   * Starts {@code java [jvmOptions] ... dev.pmux.Main -c config} with {@code env} in {@code dir}.
   */
  public static PmuxProcess start(
      Path config, Map<String, String> env, Path dir, String... jvmOptions) throws IOException {
    return start(config, env, dir, false, jvmOptions);
  }

  /**
   * Like {@link #start(Path, Map, Path, String...)}; with {@code sigintIgnored}, pmux starts with
   * SIGINT ignored, as a job started with '&' from a script does.
   */
  public static PmuxProcess start(
      Path config, Map<String, String> env, Path dir, boolean sigintIgnored, String... jvmOptions)
      throws IOException {
    return startWrapped(
        sigintIgnored
            // As '&' in a script and nohup leave them: SIGINT and SIGHUP ignored.
            ? List.of("/bin/sh", "-c", "trap '' INT HUP; exec \"$@\"", "sh")
            : List.of(),
        config,
        env,
        dir,
        jvmOptions);
  }

  /** Starts pmux as {@link #start(Path, Map, Path, String...)} does, through {@code wrapper}. */
  public static PmuxProcess startWrapped(
      List<String> wrapper, Path config, Map<String, String> env, Path dir, String... jvmOptions)
      throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(command(config, jvmOptions));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(withRunDir(env, dir));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new PmuxProcess(builder.start());
  }

  /**
   * {@code env}, with a run directory of this pmux's own under {@code dir} unless it names one: one
   * pmux runs per run directory, and tests in parallel JVMs must not share the default one.
   */
  public static Map<String, String> withRunDir(Map<String, String> env, Path dir)
      throws IOException {
    if (env.containsKey("PMUX_RUN_DIR")) {
      return env;
    }
    Map<String, String> own = new HashMap<>(env);
    own.put("PMUX_RUN_DIR", Files.createTempDirectory(dir, "run-").toString());
    return own;
  }

  /**
   * {@code java -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
   * --add-opens=java.base/java.io=ALL-UNNAMED [jvmOptions] -cp <test class path> dev.pmux.Main -c
   * config}.
   */
  public static List<String> command(Path config, String... jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    // Tests check what pmux does, not how fast its JIT gets: C1 alone starts a JVM for less CPU.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    // As bin/pmux: the pipe poller reads children's pipes by their descriptors.
    command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.pmux.Main");
    command.add("-c");
    command.add(config.toString());
    return command;
  }

  /** Copies {@code in} into {@code sink} (locking it) on a daemon thread, until end of stream. */
  public static Thread pump(InputStream in, ByteArrayOutputStream sink) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  synchronized (sink) {
                    sink.write(buf, 0, n);
                  }
                }
              } catch (IOException e) {
                // pmux is gone.
              }
            },
            "pmux-test-capture");
    t.setDaemon(true);
    t.start();
    return t;
  }

  public long pid() {
    return process.pid();
  }

  /** Sends {@code signal} (e.g. "INT") to the pmux JVM. */
  public void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).start();
    kill.waitFor(5, TimeUnit.SECONDS);
  }

  /** Closes the read end of pmux's stdout, as {@code pmux | head -1} does once head is done. */
  public void closeStdout() throws IOException {
    process.getInputStream().close();
  }

  /** CPU time pmux has used so far, in clock ticks (from /proc). */
  public long cpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public byte[] stdoutBytes() {
    synchronized (stdout) {
      return stdout.toByteArray();
    }
  }

  public byte[] stderrBytes() {
    synchronized (stderr) {
      return stderr.toByteArray();
    }
  }

  public String stdout() {
    return new String(stdoutBytes(), StandardCharsets.UTF_8);
  }

  public String stderr() {
    return new String(stderrBytes(), StandardCharsets.UTF_8);
  }

  /** Waits until stderr contains {@code text}. */
  public void awaitStderr(String text, Duration within) {
    awaitOutput(() -> stderr().contains(text), "stderr to contain " + text, within);
  }

  /** Waits for {@code condition} on pmux's output; a timeout shows what pmux printed. */
  public void awaitOutput(Callable<Boolean> condition, String what, Duration within) {
    try {
      await().atMost(within).pollInterval(Duration.ofMillis(10)).until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "waited "
              + within
              + " for "
              + what
              + "\n--- stdout:\n"
              + tail(stdout())
              + "\n--- stderr:\n"
              + tail(stderr()),
          e);
    }
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
  }

  /** Waits until stdout contains {@code text}. */
  public void awaitStdout(String text, Duration within) {
    awaitOutput(() -> stdout().contains(text), "stdout to contain " + text, within);
  }

  /** Whether pmux exits within {@code within} (it is left running if not). */
  public boolean exitsWithin(Duration within) throws InterruptedException {
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits for pmux to exit and its output to be read; returns its exit status. */
  public int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "pmux did not exit within "
              + within
              + "; stderr so far:\n"
              + stderr()
              + "\n--- its threads:\n"
              + threadDump());
    }
    outPump.join(5000);
    errPump.join(5000);
    return process.exitValue();
  }

  private String threadDump() {
    try {
      Process jstack =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                  Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      byte[] out = jstack.getInputStream().readAllBytes();
      jstack.waitFor(10, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException | InterruptedException e) {
      return "(no thread dump: " + e + ")";
    }
  }

  /** SIGKILLs pmux if still running (the test's own last resort; children are checked apart). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // Torn down by a timeout: stop waiting and leave the interrupt for JUnit to see.
        Thread.currentThread().interrupt();
      }
    }
  }
}
