package dev.pmux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built {@code target/pmux-*-bin.tar.gz} unpacked as a user installs it, and the commands a
 * test runs against it ({@code bin/pmux} and others) with an environment the test controls, each
 * bounded in time, in the test's working directory.
 */
public final class UnpackedInstallation {
  /** What a command printed and how it ended. */
  public record Result(int status, String out, String err) {}

  private final Path home;
  private final Path workDir;
  private final Duration commandTimeout;
  private final Map<String, String> env;

  private UnpackedInstallation(
      Path home, Path workDir, Duration commandTimeout, Map<String, String> env) {
    this.home = home;
    this.workDir = workDir;
    this.commandTimeout = commandTimeout;
    this.env = env;
  }

  /**
   * Unpacks the tarball into the directory {@code into} (made if missing). Commands run in {@code
   * workDir}, each given {@code commandTimeout}, with the environment of {@code leaks} (so that
   * they are found if left behind) without PMUX_HOME and PMUX_CONF (so that bin/pmux finds its own
   * home and its conf/pmux.yml).
   */
  public static UnpackedInstallation unpack(
      Path into, Path workDir, ProcessLeaks leaks, Duration commandTimeout)
      throws IOException, InterruptedException {
    Map<String, String> env = leaks.environment();
    env.remove("PMUX_HOME");
    env.remove("PMUX_CONF");
    Files.createDirectories(into);
    List<String> tar =
        List.of("tar", "xzf", tarball().toAbsolutePath().toString(), "-C", into.toString());
    Result untarred = execute(tar, workDir, commandTimeout, env);
    assertThat(untarred.status()).as("%s: %s", tar, untarred.err()).isZero();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(into, "pmux-*")) {
      return new UnpackedInstallation(dirs.iterator().next(), workDir, commandTimeout, env);
    }
  }

  /**
   * Like {@link #unpack}, into a directory where an earlier test may have unpacked one: that one is
   * removed, but the class-data archives (CDS, AOT) that its runs made in run/ are carried over to
   * the new one. They are tied to the jars' paths, so at the same path they spare every test the
   * slow first start (about 1.5 s of CPU) that a user meets once.
   */
  public static UnpackedInstallation unpackAgain(
      Path into, Path workDir, ProcessLeaks leaks, Duration commandTimeout)
      throws IOException, InterruptedException {
    Path archives = Files.createDirectories(into.resolve("archives"));
    Path previous = null;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(into, "pmux-*")) {
      for (Path dir : dirs) {
        previous = dir;
      }
    }
    if (previous != null) {
      moveArchives(previous.resolve("run"), archives);
      List<String> rm = List.of("rm", "-rf", previous.toString());
      Result removed = execute(rm, workDir, commandTimeout, leaks.environment());
      assertThat(removed.status()).as("%s: %s", rm, removed.err()).isZero();
    }
    UnpackedInstallation installation = unpack(into, workDir, leaks, commandTimeout);
    moveArchives(archives, Files.createDirectories(installation.home.resolve("run")));
    return installation;
  }

  /** The one {@code pmux-*-bin.tar.gz} the build made in target/. */
  private static Path tarball() throws IOException {
    try (DirectoryStream<Path> found =
        Files.newDirectoryStream(Path.of("target"), "pmux-*-bin.tar.gz")) {
      return found.iterator().next();
    }
  }

  /** The pmux-VERSION directory: bin/, conf/, lib/, and run/ and logs/ once pmux made them. */
  public Path home() {
    return home;
  }

  /** The installation's bin/pmux. */
  public Path executable() {
    return home.resolve("bin/pmux");
  }

  /** The environment of every later command, this installation's own, for the test to change. */
  public Map<String, String> environment() {
    return env;
  }

  /** run/pmux.pid, which a started pmux writes and a stopped one removes. */
  public Path pidFile() {
    return home.resolve("run/pmux.pid");
  }

  /** The pid that run/pmux.pid names. */
  public long pid() throws IOException {
    return Long.parseLong(Files.readString(pidFile()).strip());
  }

  /** Runs {@code bin/pmux args...} to its end. */
  public Result pmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable().toString());
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs {@code command} to its end; fails the test when it takes longer than allowed. */
  public Result run(List<String> command) throws IOException, InterruptedException {
    return execute(command, workDir, commandTimeout, env);
  }

  /**
   * A command with this installation's environment and working directory, for the test to start.
   */
  public ProcessBuilder processBuilder(List<String> command) {
    return builder(command, workDir, env);
  }

  /**
   * Moves the class-data archives out of run/ into {@code to}, leaving the home as the tarball has
   * it: the next run is a first run again.
   */
  public void forgetArchives(Path to) throws IOException {
    moveArchives(home.resolve("run"), Files.createDirectories(to));
  }

  /**
   * Stops a pmux that was started and not stopped ({@code bin/pmux stop SECONDS} if run/pmux.pid is
   * there), for a test's clean-up; what is left after it is {@link ProcessLeaks}'s to find.
   */
  public void stopIfRunning(int seconds) throws IOException, InterruptedException {
    if (Files.exists(pidFile())) {
      pmux("stop", Integer.toString(seconds));
    }
  }

  private static void moveArchives(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (DirectoryStream<Path> found = Files.newDirectoryStream(from, "*.{jsa,aot}")) {
      for (Path archive : found) {
        Files.move(archive, to.resolve(archive.getFileName()));
      }
    }
  }

  /** Runs {@code command} to its end, its output in files of {@code workDir}. */
  private static Result execute(
      List<String> command, Path workDir, Duration timeout, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = builder(command, workDir, env);
    Path out = Files.createTempFile(workDir, "out", ".txt");
    Path err = Files.createTempFile(workDir, "err", ".txt");
    Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static ProcessBuilder builder(
      List<String> command, Path workDir, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder;
  }
}
