package dev.pmux;

import dev.pmux.exec.CommonsExecLauncher;
import dev.pmux.exec.HandOver;
import dev.pmux.exec.HandedChild;
import dev.pmux.exec.OrphanGuard;
import dev.pmux.exec.RunDirectory;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.HandedProgram;
import dev.pmux.supervisor.SelfReplacement;
import dev.pmux.supervisor.Supervisor;
import dev.pmux.supervisor.UpgradeState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * pmux's upgrade in place, both sides: the old pmux checks the installation on disk ({@code
 * bin/pmux preflight}) and execs {@code bin/pmux adopt} with its own arguments in this same
 * process; the new one finds the state the old one left (its file named by the property {@code
 * pmux.upgradeState}, which bin/pmux adopt makes of {@link UpgradeState#VARIABLE}) and takes the
 * programs over.
 */
final class InPlaceUpgrade implements SelfReplacement {
  private static final long PREFLIGHT_SECONDS = 60;
  private static final Pattern INHERITED_FD = Pattern.compile("^/proc/self/fd/(\\d+)(/|$)");

  private final Path script;
  private final List<String> args;
  private final Path runDir;
  private final OrphanGuard guard;

  private InPlaceUpgrade(Path script, List<String> args, Path runDir, OrphanGuard guard) {
    this.script = script;
    this.args = List.copyOf(args);
    this.runDir = runDir;
    this.guard = guard;
  }

  /**
   * Lets {@code supervisor} upgrade itself when bin/pmux started it (it names its installation in
   * {@code pmux.home}); else an upgrade says why it cannot.
   */
  static void allow(Supervisor supervisor, String[] args, OrphanGuard guard) {
    String home = System.getProperty("pmux.home");
    if (home != null) {
      supervisor.allowUpgrade(
          new InPlaceUpgrade(
              Path.of(home, "bin", "pmux"),
              List.of(args),
              RunDirectory.locate(System.getenv()),
              guard));
    }
  }

  /**
   * The state the pmux before an upgrade left for this one (bin/pmux adopt names it in {@code
   * pmux.upgradeState}), read once and removed; else null.
   */
  static @Nullable UpgradeState handed() throws IOException {
    String file = System.getProperty("pmux.upgradeState");
    if (file == null || file.isEmpty()) {
      return null;
    }
    Path path = Path.of(file);
    try {
      return UpgradeState.read(path);
    } finally {
      Files.deleteIfExists(path);
    }
  }

  /**
   * {@code pmux --preflight}: whether this installation, with this configuration (already read),
   * could take programs over; says so in one line and returns the exit status.
   */
  static int checkInstallation() {
    CommonsExecLauncher launcher = CommonsExecLauncher.forEnvironment(System.getenv());
    if (!launcher.handsOver()) {
      System.err.println(
          "pmux: this installation would launch with "
              + launcher.description()
              + ", which cannot take running programs over");
      return 1;
    }
    System.out.println(
        "pmux: pre-flight passed: pmux "
            + Version.current()
            + ", Java "
            + System.getProperty("java.version"));
    return 0;
  }

  /** Starts the programs, or takes them over from the pmux before an upgrade and says so. */
  static void startOrAdopt(
      Supervisor supervisor, @Nullable UpgradeState handed, MergedOutput output) {
    if (handed == null) {
      supervisor.startAll();
      return;
    }
    supervisor.adoptAll(handed);
    output.event("pmux", announcement(handed));
  }

  /** The guard taken over from the pmux before an upgrade (its journal and guardian). */
  static OrphanGuard resumeGuard(UpgradeState handed, Path runDir, MergedOutput output)
      throws IOException {
    return OrphanGuard.resume(
        runDir,
        Long.parseLong(String.valueOf(handed.extra("guardian.pid"))),
        Integer.parseInt(String.valueOf(handed.extra("guardian.lifeline"))),
        text -> output.event("pmux", text));
  }

  /** The pids of the running children handed over (none without an upgrade). */
  static List<Long> pids(@Nullable UpgradeState handed) {
    if (handed == null) {
      return List.of();
    }
    return handed.programs().stream()
        .map(HandedProgram::child)
        .filter(java.util.Objects::nonNull)
        .map(HandedChild::pid)
        .toList();
  }

  /** The line that says an upgrade happened. */
  static String announcement(UpgradeState handed) {
    long kept = handed.programs().stream().filter(p -> p.child() != null).count();
    return "upgraded "
        + handed.extra("version")
        + " -> "
        + Version.current()
        + ": "
        + kept
        + (kept == 1 ? " program kept" : " programs kept")
        + " running, "
        + handed.programs().size()
        + " taken over";
  }

  @Override
  public @Nullable String preflight() {
    if (!Files.isExecutable(script)) {
      return script + " is missing or not executable";
    }
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.add("preflight");
    command.addAll(args);
    try {
      Process check =
          new ProcessBuilder(command).redirectErrorStream(true).redirectInput(devNull()).start();
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      Thread reader =
          new Thread(
              () -> {
                try (InputStream in = check.getInputStream()) {
                  in.transferTo(said);
                } catch (IOException e) {
                  // Its exit status speaks all the same.
                }
              },
              "pmux-preflight");
      reader.setDaemon(true);
      reader.start();
      if (!check.waitFor(PREFLIGHT_SECONDS, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        return "the new installation did not answer within " + PREFLIGHT_SECONDS + "s";
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
      if (check.exitValue() == 0) {
        return null;
      }
      String last = lastLine(said.toString(StandardCharsets.UTF_8));
      return last.isEmpty() ? "the new installation exited with " + check.exitValue() : last;
    } catch (IOException e) {
      return "cannot run " + script + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public Path stateFile() {
    return runDir.resolve("upgrade-state.properties");
  }

  @Override
  public Map<String, String> extras() {
    Map<String, String> extras = new LinkedHashMap<>();
    extras.put("version", Version.current());
    OrphanGuard.GuardianHandle guardian = guard.guardian();
    extras.put("guardian.pid", Long.toString(guardian.pid()));
    extras.put("guardian.lifeline", Integer.toString(guardian.lifeline()));
    return extras;
  }

  @Override
  public Collection<Integer> keep() {
    Set<Integer> keep = new LinkedHashSet<>();
    keep.add(guard.guardian().lifeline());
    // The run directory's lock: closing its descriptor would drop the lock for a moment.
    keep.add(HandOver.openDescriptorOf(runDir.resolve("pmux.lock")));
    for (String arg : args) {
      Matcher fd = INHERITED_FD.matcher(arg);
      if (fd.find()) {
        keep.add(Integer.parseInt(fd.group(1)));
      }
    }
    keep.remove(-1);
    return keep;
  }

  @Override
  public String exec(Collection<Integer> keep) {
    List<String> argv = new ArrayList<>();
    argv.add(script.toString());
    argv.add("adopt");
    argv.addAll(args);
    // This JVM's attach socket would outlive it and turn the next one's first `pmux ctl` away
    // (the attach client connects to a socket file it finds instead of asking for a new one).
    Path attach = Path.of("/tmp", ".java_pid" + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(attach);
    } catch (IOException e) {
      return "cannot remove " + attach + ": " + e.getMessage();
    }
    Map<String, String> handing = new LinkedHashMap<>();
    handing.put(UpgradeState.VARIABLE, stateFile().toString());
    // The rotated pmux.out of `bin/pmux start` goes on rotating (descriptors 1 and 2 are kept).
    String out = System.getProperty("pmux.out");
    if (out != null) {
      handing.put("PMUX_UPGRADE_OUT", out);
    }
    return HandOver.exec(argv, handing, keep);
  }

  private static String lastLine(String text) {
    String trimmed = text.strip();
    int newline = trimmed.lastIndexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(newline + 1).strip();
  }

  private static java.io.File devNull() {
    return new java.io.File("/dev/null");
  }
}
