package dev.pmux.supervisor;

import dev.pmux.exec.HandedChild;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * What one pmux hands to the next across an upgrade in place, as a properties file in the private
 * run directory: every program ({@link HandedProgram}) and the few facts of pmux itself ({@code
 * extras}: its version, its guardian, the descriptors kept open).
 */
public record UpgradeState(List<HandedProgram> programs, Map<String, String> extras) {
  /**
   * The environment variable that names the state file for {@code bin/pmux adopt}, which hands it
   * to the new JVM as a property (programs never see it).
   */
  public static final String VARIABLE = "PMUX_UPGRADE_STATE";

  private static final Base64.Encoder ENCODER = Base64.getEncoder();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  /** Writes this state to {@code file}, readable by pmux's user only. */
  public void write(Path file) throws IOException {
    Properties p = new Properties();
    extras.forEach((k, v) -> p.setProperty("pmux." + k, v));
    p.setProperty("programs", Integer.toString(programs.size()));
    for (int i = 0; i < programs.size(); i++) {
      put(p, "program." + i + ".", programs.get(i));
    }
    Files.deleteIfExists(file);
    try (Writer out =
        Files.newBufferedWriter(
            file,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
      p.store(out, "pmux upgrade in place: read once by the next pmux, then removed");
    }
  }

  /** Reads the state written by {@link #write}. */
  public static UpgradeState read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    try {
      Map<String, String> extras = new LinkedHashMap<>();
      for (String key : p.stringPropertyNames()) {
        if (key.startsWith("pmux.")) {
          extras.put(key.substring("pmux.".length()), p.getProperty(key));
        }
      }
      int count = Integer.parseInt(get(p, "programs"));
      List<HandedProgram> programs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        programs.add(program(p, "program." + i + "."));
      }
      return new UpgradeState(List.copyOf(programs), Map.copyOf(extras));
    } catch (RuntimeException e) {
      throw new IOException("unreadable upgrade state " + file + ": " + e, e);
    }
  }

  private static void put(Properties p, String at, HandedProgram h) {
    ProcessSnapshot s = h.snapshot();
    p.setProperty(at + "name", s.name());
    p.setProperty(at + "state", s.state().name());
    p.setProperty(at + "pid", Long.toString(s.pid()));
    p.setProperty(at + "startCount", Long.toString(s.startCount()));
    p.setProperty(at + "restartCount", Long.toString(s.restartCount()));
    p.setProperty(at + "lastExitCode", Integer.toString(s.lastExitCode()));
    p.setProperty(at + "lastError", s.lastError());
    p.setProperty(at + "lastStartTime", Long.toString(s.lastStartTime()));
    p.setProperty(at + "lastExitTime", Long.toString(s.lastExitTime()));
    p.setProperty(at + "nextRestartDelayMillis", Long.toString(s.nextRestartDelayMillis()));
    p.setProperty(at + "restartDueNanos", Long.toString(s.restartDueNanos()));
    p.setProperty(at + "runningSinceNanos", Long.toString(s.runningSinceNanos()));
    RestartPolicy r = h.policy();
    p.setProperty(at + "minWait", Long.toString(r.minWait().toNanos()));
    p.setProperty(at + "maxWait", Long.toString(r.maxWait().toNanos()));
    p.setProperty(at + "sigKillWait", Long.toString(r.sigKillWait().toNanos()));
    p.setProperty(at + "autoRestart", Boolean.toString(r.autoRestart()));
    HandedChild c = h.child();
    if (c != null) {
      p.setProperty(at + "child", c.pid() + " " + c.pidfd() + " " + c.stdout() + " " + c.stderr());
    }
    p.setProperty(at + "startedNanos", Long.toString(h.startedNanos()));
    p.setProperty(at + "stdoutUnfinished", ENCODER.encodeToString(h.stdoutUnfinished()));
    p.setProperty(at + "stderrUnfinished", ENCODER.encodeToString(h.stderrUnfinished()));
    p.setProperty(at + "restartInNanos", Long.toString(h.restartInNanos()));
    p.setProperty(at + "backoffNanos", Long.toString(h.backoffNanos()));
    p.setProperty(at + "exits", Integer.toString(h.exits().size()));
    for (int i = 0; i < h.exits().size(); i++) {
      ExitRecord e = h.exits().get(i);
      p.setProperty(
          at + "exit." + i,
          e.time()
              + " "
              + e.exitCode()
              + " "
              + e.ranForMillis()
              + " "
              + e.restarted()
              + " "
              + e.signal());
    }
  }

  private static HandedProgram program(Properties p, String at) {
    ProcessSnapshot snapshot =
        new ProcessSnapshot(
            get(p, at + "name"),
            ProcessState.valueOf(get(p, at + "state")),
            longOf(p, at + "pid"),
            longOf(p, at + "startCount"),
            longOf(p, at + "restartCount"),
            Integer.parseInt(get(p, at + "lastExitCode")),
            get(p, at + "lastError"),
            longOf(p, at + "lastStartTime"),
            longOf(p, at + "lastExitTime"),
            longOf(p, at + "nextRestartDelayMillis"),
            longOf(p, at + "restartDueNanos"),
            longOf(p, at + "runningSinceNanos"));
    RestartPolicy policy =
        new RestartPolicy(
            Duration.ofNanos(longOf(p, at + "minWait")),
            Duration.ofNanos(longOf(p, at + "maxWait")),
            Duration.ofNanos(longOf(p, at + "sigKillWait")),
            Boolean.parseBoolean(get(p, at + "autoRestart")));
    HandedChild child = null;
    String c = p.getProperty(at + "child");
    if (c != null) {
      List<Long> f = numbers(c, 4);
      child =
          new HandedChild(f.get(0), f.get(1).intValue(), f.get(2).intValue(), f.get(3).intValue());
    }
    List<ExitRecord> exits = new ArrayList<>();
    int count = Integer.parseInt(get(p, at + "exits"));
    for (int i = 0; i < count; i++) {
      String line = get(p, at + "exit." + i);
      List<String> f = words(line, 5);
      exits.add(
          new ExitRecord(
              Long.parseLong(f.get(0)),
              Integer.parseInt(f.get(1)),
              f.get(4),
              Long.parseLong(f.get(2)),
              Boolean.parseBoolean(f.get(3))));
    }
    return new HandedProgram(
        snapshot,
        policy,
        child,
        longOf(p, at + "startedNanos"),
        DECODER.decode(get(p, at + "stdoutUnfinished")),
        DECODER.decode(get(p, at + "stderrUnfinished")),
        List.copyOf(exits),
        longOf(p, at + "restartInNanos"),
        longOf(p, at + "backoffNanos"));
  }

  private static String get(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }

  private static long longOf(Properties p, String key) {
    return Long.parseLong(get(p, key));
  }

  private static List<Long> numbers(String text, int count) {
    List<Long> numbers = new ArrayList<>();
    for (String w : words(text, count)) {
      numbers.add(Long.parseLong(w));
    }
    return numbers;
  }

  /** The first {@code count - 1} space-separated words, then the rest (possibly empty). */
  private static List<String> words(String text, int count) {
    List<String> words = new ArrayList<>();
    int from = 0;
    while (words.size() < count - 1) {
      int space = text.indexOf(' ', from);
      if (space < 0) {
        throw new IllegalArgumentException("too few fields in '" + text + "'");
      }
      words.add(text.substring(from, space));
      from = space + 1;
    }
    words.add(text.substring(from));
    return words;
  }

  /** The extra named {@code key}; null when the old pmux did not write it. */
  public @Nullable String extra(String key) {
    return extras.get(key);
  }
}
