package dev.pmux.testing;

import dev.pmux.config.KillMode;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Readiness;
import dev.pmux.config.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A {@link ProcessSpec} builder for tests, starting from the Go tool's defaults. */
public final class Specs {
  private String name;
  private String cmd;
  private List<String> args = List.of();
  private Map<String, String> env = Map.of();
  private @Nullable Path dir;
  private Duration minWait = Duration.ofSeconds(1);
  private Duration maxWait = Duration.ofSeconds(64);
  private Duration sigKillWait = Duration.ofSeconds(10);
  private Set<Integer> noRestartOn = Set.of();
  private boolean autostart = true;
  private Signal stopSignal = Signal.INT;
  private List<String> dependsOn = List.of();
  private @Nullable Readiness ready;
  private boolean essential;
  private int maxRestarts;
  private Duration restartWindow = Duration.ofSeconds(60);
  private @Nullable Path envFile;
  private KillMode killMode = KillMode.TREE;

  private Specs(String name, String cmd, String... args) {
    this.name = name;
    this.cmd = cmd;
    this.args = List.of(args);
  }

  public static Specs program(String name, String cmd, String... args) {
    return new Specs(name, cmd, args);
  }

  /** A {@code /bin/sh -c script} program. */
  public static Specs shell(String name, String script) {
    return new Specs(name, "/bin/sh", "-c", script);
  }

  public Specs env(Map<String, String> env) {
    this.env = env;
    return this;
  }

  public Specs dir(Path dir) {
    this.dir = dir;
    return this;
  }

  public Specs waits(Duration min, Duration max) {
    this.minWait = min;
    this.maxWait = max;
    return this;
  }

  public Specs sigKillWait(Duration d) {
    this.sigKillWait = d;
    return this;
  }

  public Specs noRestartOn(Integer... codes) {
    this.noRestartOn = Set.of(codes);
    return this;
  }

  public Specs autostart(boolean on) {
    this.autostart = on;
    return this;
  }

  public Specs stopSignal(Signal s) {
    this.stopSignal = s;
    return this;
  }

  public Specs dependsOn(String... names) {
    this.dependsOn = List.of(names);
    return this;
  }

  /**
   * A readiness check, e.g. {@code Readiness.log(Pattern.compile("listening"),
   * Duration.ofSeconds(5))}.
   */
  public Specs ready(Readiness ready) {
    this.ready = ready;
    return this;
  }

  public Specs essential(boolean on) {
    this.essential = on;
    return this;
  }

  /** Give up after {@code max} restarts within {@code window}; 0 never gives up. */
  public Specs maxRestarts(int max, Duration window) {
    this.maxRestarts = max;
    this.restartWindow = window;
    return this;
  }

  public Specs killMode(KillMode mode) {
    this.killMode = mode;
    return this;
  }

  public Specs envFile(Path file) {
    this.envFile = file;
    return this;
  }

  public ProcessSpec build() {
    return new ProcessSpec(
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
  }
}
