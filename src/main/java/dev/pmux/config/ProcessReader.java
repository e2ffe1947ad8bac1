package dev.pmux.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates {@code processes}: each entry's keys, then the rules between them and between
 * entries.
 */
final class ProcessReader {
  static final List<String> KEYS =
      List.of(
          "name",
          "cmd",
          "args",
          "env",
          "dir",
          "minWait",
          "maxWait",
          "sigKillWait",
          "noRestartOn",
          "no_restart_on",
          "autostart",
          "stopSignal",
          "dependsOn",
          "ready",
          "essential",
          "maxRestarts",
          "restartWindow",
          "envFile",
          "killMode");
  static final int MAX_NAME_LENGTH = 64;
  // An unquoted JMX ObjectName value cannot hold these; names are restricted rather than quoted
  // (see DESIGN 6).
  private static final String FORBIDDEN_IN_NAME = ",=:\"*?\\";

  private static final String STOP_SIGNALS =
      Stream.of(Signal.values())
          .filter(Signal::isStopSignal)
          .map(Signal::name)
          .collect(Collectors.joining(", "));

  private final Problems problems;
  private final Map<String, Integer> indexByName = new HashMap<>();
  private final Set<String> givenNames = new HashSet<>();
  private final Dependencies dependencies;

  ProcessReader(Problems problems) {
    this.problems = problems;
    this.dependencies = new Dependencies(problems);
  }

  /** The valid entries as specs; the problems of the others are reported. */
  List<ProcessSpec> read(List<ImmutableNode> entries) {
    List<ProcessSpec> specs = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String path = "processes[" + i + "]";
      ImmutableNode entry = entries.get(i);
      if (entry.getChildren().isEmpty()) {
        problems.add(
            path,
            "must be a mapping with at least name and cmd, was "
                + Problems.describe(List.of(entry)));
        continue;
      }
      ProcessSpec spec = readOne(new RawMapping(entry, path, problems), i);
      if (spec != null) {
        specs.add(spec);
      }
    }
    dependencies.check(indexByName, givenNames);
    return specs;
  }

  private @Nullable ProcessSpec readOne(RawMapping m, int index) {
    int before = problems.count();
    m.rejectUnknownKeys(KEYS);
    String name = name(m, index);
    String cmd = m.required("cmd", "the program to run");
    if (cmd != null && cmd.isBlank()) {
      problems.add(m.path("cmd"), "must not be empty, was " + Problems.quote(cmd));
    }
    List<String> args = args(m);
    Map<String, String> env = env(m);
    Path dir = m.pathValue("dir");
    Duration minWait = m.duration("minWait");
    Duration maxWait = m.duration("maxWait");
    Duration sigKillWait = m.duration("sigKillWait");
    Set<Integer> noRestartOn = noRestartOn(m);
    Boolean autostart = m.bool("autostart");
    Signal stopSignal = stopSignal(m);
    List<String> dependsOn = dependencies.read(m, name, index);
    Readiness ready = ReadinessReader.read(m);
    Boolean essential = m.bool("essential");
    int beforeMaxRestarts = problems.count();
    Integer maxRestarts =
        m.integer("maxRestarts", 0, Integer.MAX_VALUE, "an integer >= 0 (0: never give up)");
    Duration restartWindow = restartWindow(m, maxRestarts, problems.count() > beforeMaxRestarts);
    Path envFile = envFile(m);
    KillMode killMode = killMode(m);
    // name and cmd are null only when that has been reported.
    if (problems.count() > before || name == null || cmd == null) {
      return null;
    }
    ProcessSpec spec =
        Defaults.process(
            name,
            cmd,
            args,
            env,
            dir,
            minWait,
            maxWait,
            sigKillWait,
            noRestartOn,
            autostart,
            stopSignal,
            dependsOn,
            ready,
            essential,
            maxRestarts,
            restartWindow,
            envFile,
            killMode);
    if (spec.minWait().compareTo(spec.maxWait()) > 0) {
      // Point at the key the user wrote: maxWait when given, else minWait against the default
      // maxWait.
      if (maxWait != null && !maxWait.isZero()) {
        problems.add(
            m.path("maxWait"),
            "must be >= minWait ("
                + GoDuration.format(spec.minWait())
                + "), was "
                + GoDuration.format(spec.maxWait()));
      } else {
        problems.add(
            m.path("minWait"),
            "must be <= maxWait ("
                + GoDuration.format(spec.maxWait())
                + ", the default), was "
                + GoDuration.format(spec.minWait()));
      }
      return null;
    }
    return spec;
  }

  private @Nullable String name(RawMapping m, int index) {
    String name = m.required("name", "a unique name for the process");
    if (name == null) {
      return null;
    }
    String path = m.path("name");
    givenNames.add(name);
    if (name.isEmpty()) {
      problems.add(path, "must not be empty");
      return null;
    }
    int length = name.codePointCount(0, name.length());
    if (length > MAX_NAME_LENGTH) {
      problems.add(
          path,
          "must be at most "
              + MAX_NAME_LENGTH
              + " characters, was "
              + length
              + ": "
              + Problems.quote(name));
      return null;
    }
    if (name.codePoints()
        .anyMatch(c -> FORBIDDEN_IN_NAME.indexOf(c) >= 0 || Problems.isControl(c))) {
      problems.add(
          path,
          "must not contain any of , = : \" * ? \\ or control characters, was "
              + Problems.quote(name));
      return null;
    }
    Integer other = indexByName.putIfAbsent(name, index);
    if (other != null) {
      problems.add(
          path,
          "must be unique, "
              + Problems.quote(name)
              + " is also the name of processes["
              + other
              + "]");
      return null;
    }
    return name;
  }

  private @Nullable List<String> args(RawMapping m) {
    if (m.mappingGiven("args")) {
      problems.add(m.path("args"), "must be a list of strings, was a mapping");
      return null;
    }
    List<ImmutableNode> nodes = m.list("args");
    List<String> args = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      String text = m.element(m.path("args") + "[" + i + "]", nodes.get(i), "a string");
      if (text != null && text.indexOf('\0') >= 0) {
        problems.add(
            m.path("args") + "[" + i + "]",
            "must not contain a NUL character, was " + Problems.quote(text));
      }
      args.add(text == null ? "" : text);
    }
    return args;
  }

  private Map<String, String> env(RawMapping m) {
    RawMapping envMapping = m.mapping("env", "a mapping of variable names to values");
    Map<String, String> env = new LinkedHashMap<>();
    if (envMapping == null) {
      return env;
    }
    for (Map.Entry<String, List<ImmutableNode>> e : envMapping.entries().entrySet()) {
      String key = e.getKey();
      String path = envMapping.path(key);
      if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
        problems.add(
            m.path("env"),
            "variable names must be non-empty, without '=' or NUL, was " + Problems.quote(key));
        continue;
      }
      if (e.getValue().size() > 1) {
        problems.add(path, "must be a string, was a list");
        continue;
      }
      String value = m.element(path, e.getValue().get(0), "a string");
      if (value != null && value.indexOf('\0') >= 0) {
        problems.add(path, "must not contain a NUL character, was " + Problems.quote(value));
      }
      // A null value is the empty string, as yaml.v2 gives it to a map[string]string.
      env.put(key, value == null ? "" : value);
    }
    return env;
  }

  private @Nullable Set<Integer> noRestartOn(RawMapping m) {
    String key = "noRestartOn";
    if (m.has("no_restart_on")) {
      if (m.has(key)) {
        problems.add(m.path("no_restart_on"), "conflicts with noRestartOn, give only one of them");
        return null;
      }
      key = "no_restart_on";
    }
    if (m.mappingGiven(key)) {
      problems.add(m.path(key), "must be a list of exit codes, was a mapping");
      return null;
    }
    Set<Integer> codes = new LinkedHashSet<>();
    List<ImmutableNode> nodes = m.list(key);
    for (int i = 0; i < nodes.size(); i++) {
      String path = m.path(key) + "[" + i + "]";
      String text = m.element(path, nodes.get(i), "an integer exit code");
      if (text == null) {
        continue;
      }
      Integer code = RawMapping.parseInt(text);
      if (code == null) {
        problems.add(path, "must be an integer exit code, was " + Problems.quote(text));
      } else if (code < ProcessSpec.ANY_FAILURE || code > 255) {
        // -1 is the Go tool's code for every failure; keeping it runs Go configs unchanged.
        problems.add(path, "must be an exit code from 0 to 255 (or -1: any failure), was " + code);
      } else {
        codes.add(code);
      }
    }
    return codes;
  }

  private @Nullable Duration restartWindow(
      RawMapping m, @Nullable Integer maxRestarts, boolean maxRestartsReported) {
    Duration window = m.duration("restartWindow");
    if (window == null) {
      return null;
    }
    String path = m.path("restartWindow");
    if (window.isZero()) {
      problems.add(path, "must be > 0, was 0s");
    } else if (maxRestarts == null && !maxRestartsReported) {
      problems.add(path, "only applies with maxRestarts, which is not set");
    } else if (maxRestarts != null && maxRestarts == 0) {
      problems.add(path, "only applies with maxRestarts > 0, was maxRestarts: 0 (never give up)");
    }
    return window;
  }

  /**
   * Only the path: the file is read at each start, so that an edit takes effect at the next
   * restart.
   */
  private @Nullable Path envFile(RawMapping m) {
    String text = m.text("envFile", "a file path");
    if (text == null) {
      return null;
    }
    if (text.isBlank()) {
      problems.add(m.path("envFile"), "must be a file path, was " + Problems.quote(text));
      return null;
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      problems.add(
          m.path("envFile"),
          "must be a file path, was " + Problems.quote(text) + " (" + e.getReason() + ")");
      return null;
    }
  }

  private @Nullable KillMode killMode(RawMapping m) {
    String text = m.string("killMode", "tree or group");
    if (text == null) {
      return null;
    }
    KillMode mode = KillMode.parse(text).orElse(null);
    if (mode == null) {
      problems.add(
          m.path("killMode"),
          "must be tree (every descendant) or group (the process group only), was "
              + Problems.quote(text));
    }
    return mode;
  }

  private @Nullable Signal stopSignal(RawMapping m) {
    String text = m.string("stopSignal", "a signal name");
    if (text == null) {
      return null;
    }
    Signal signal = Signal.parse(text).filter(Signal::isStopSignal).orElse(null);
    if (signal == null) {
      problems.add(
          m.path("stopSignal"), "must be one of " + STOP_SIGNALS + ", was " + Problems.quote(text));
    }
    return signal;
  }
}
