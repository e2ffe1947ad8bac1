package dev.pmux.supervisor;

import dev.pmux.config.ConfigException;
import dev.pmux.config.ConfigLoader;
import dev.pmux.config.PmuxConfig;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.output.MergedOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The set of supervised programs of one pmux: starts, stops and watches them together, and applies
 * a reloaded configuration (new programs start, removed ones stop, changed ones restart).
 */
public final class Supervisor {
  /** Told when a program joins or leaves the set (reload), e.g. to register its MXBean. */
  public interface MembershipListener {
    void added(SupervisedProgram program);

    void removed(SupervisedProgram program);
  }

  private final MergedOutput output;
  private final SupervisorRuntime runtime;
  private final List<MembershipListener> members = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> allExited = new CompletableFuture<>();
  // The last state each program's listeners were told. A notification comes after the event
  // lines of its transition; a snapshot is published before them.
  private final Map<SupervisedProgram, ProcessState> told = new ConcurrentHashMap<>();
  private final CompletableFuture<SupervisedProgram> essentialEnded = new CompletableFuture<>();
  private final long startedNanos;
  private volatile Map<String, SupervisedProgram> programs = Map.of();
  // Stops of programs a reload removed, by name: one brought back waits for its predecessor's.
  private final Map<String, CompletableFuture<Void>> leaving = new ConcurrentHashMap<>();
  private volatile PmuxConfig config;
  private volatile ReloadHistory reloads = ReloadHistory.NONE; // written under this
  private boolean closing; // guarded by this
  private boolean upgrading; // guarded by this
  private volatile @Nullable SelfReplacement replacement;

  /** Creates (but does not start) one {@link SupervisedProgram} per configured process. */
  public Supervisor(PmuxConfig config, MergedOutput output, SupervisorRuntime runtime) {
    this.output = output;
    this.runtime = runtime;
    this.config = config;
    this.startedNanos = runtime.timeline().nanoTime();
    output.format().widenFor(names(config));
    Map<String, SupervisedProgram> initial = new LinkedHashMap<>();
    for (ProcessSpec spec : config.processes()) {
      initial.put(spec.name(), newProgram(spec));
    }
    programs = initial;
  }

  private SupervisedProgram newProgram(ProcessSpec spec) {
    SupervisedProgram program = new SupervisedProgram(spec, output.program(spec.name()), runtime);
    program.addListener(
        (from, now) -> {
          told.put(program, now.state());
          checkAllExited();
        });
    program.addListener((from, now) -> checkEssential(program, now));
    return program;
  }

  /**
   * Completes with the first {@code essential} program that ended for good (EXITED, or given up
   * after {@code maxRestarts}): pmux then stops everything and exits with its exit code.
   */
  public CompletableFuture<SupervisedProgram> essentialEnded() {
    return essentialEnded;
  }

  private void checkEssential(SupervisedProgram program, ProcessSnapshot now) {
    boolean forGood = now.state() == ProcessState.EXITED || now.state() == ProcessState.FATAL;
    if (program.spec().essential() && forGood) {
      essentialEnded.complete(program);
    }
  }

  private static List<String> names(PmuxConfig config) {
    return config.processes().stream().map(ProcessSpec::name).toList();
  }

  public void addMembershipListener(MembershipListener listener) {
    members.add(listener);
  }

  public PmuxConfig config() {
    return config;
  }

  /** The programs, in configuration order. */
  public List<SupervisedProgram> programs() {
    return List.copyOf(programs.values());
  }

  public Optional<SupervisedProgram> program(String name) {
    return Optional.ofNullable(programs.get(name));
  }

  public double uptimeSeconds() {
    return (runtime.timeline().nanoTime() - startedNanos) / 1e9;
  }

  /**
   * Starts every program whose {@code autostart} is on (their launches run several at once on the
   * launch executor). A program with dependencies starts when all of them are ready; if one never
   * becomes ready, it is not started (and says why).
   */
  public void startAll() {
    for (SupervisedProgram program : programs.values()) {
      if (!program.spec().autostart()) {
        continue;
      }
      if (program.spec().dependsOn().isEmpty()) {
        program.start();
      } else {
        startWhenDependenciesReady(program);
      }
    }
  }

  /** Starts {@code program} once every program it depends on is ready; says why if one never is. */
  private void startWhenDependenciesReady(SupervisedProgram program) {
    List<String> deps = program.spec().dependsOn();
    var unused =
        CompletableFuture.allOf(
                deps.stream().map(this::readiness).toArray(CompletableFuture[]::new))
            .whenComplete(
                (ok, failure) -> {
                  if (failure == null) {
                    program.start();
                  } else {
                    program.refuseStart(
                        "waiting for "
                            + String.join(", ", deps)
                            + ": "
                            + rootCause(failure).getMessage());
                  }
                });
  }

  private CompletableFuture<Void> readiness(String name) {
    SupervisedProgram dep = programs.get(name);
    return dep == null
        ? CompletableFuture.failedFuture(new IllegalStateException("no program " + name))
        : dep.whenReady();
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t != t.getCause()) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Stops every program, in parallel but in reverse order of {@code dependsOn}: programs that
   * others depend on stop after those others; completes once all are stopped.
   */
  public CompletableFuture<Void> stopAll() {
    Map<String, SupervisedProgram> now = programs;
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    for (List<String> layer :
        StopOrder.layers(now.values().stream().map(SupervisedProgram::spec).toList())) {
      done =
          done.thenCompose(
              v ->
                  CompletableFuture.allOf(
                      layer.stream()
                          .map(name -> Objects.requireNonNull(now.get(name)).stop())
                          .toArray(CompletableFuture[]::new)));
    }
    return done;
  }

  /**
   * Stops every program for good: no start, restart or reload takes effect afterwards (one in
   * progress finishes first, so that whatever it started is stopped too).
   */
  public CompletableFuture<Void> shutdown() {
    synchronized (this) {
      closing = true;
      programs.values().forEach(SupervisedProgram::close);
    }
    return stopAll();
  }

  /** SIGKILLs every program's process group at once, taking no lock. */
  public void killAll() {
    // One moment for all: the first reading of the process list then serves every program.
    long since = runtime.tree().now();
    programs.values().forEach(p -> p.kill(since));
  }

  /**
   * Completes when every program has EXITED (ended with a {@code noRestartOn} code), the moment the
   * Go tool exits by itself.
   */
  public CompletableFuture<Void> allExited() {
    return allExited;
  }

  /** Makes {@link #upgrade()} possible: how this pmux replaces itself. */
  public void allowUpgrade(SelfReplacement how) {
    replacement = how;
  }

  /**
   * Replaces this pmux with the installation now on disk without stopping a program: checks it
   * first (nothing changes if it would not start), then hands every program over and execs it in
   * this same process. Returns only if the upgrade was refused or failed, by an exception that says
   * why; the programs are untouched then.
   */
  public void upgrade() {
    SelfReplacement how = replacement;
    if (how == null) {
      throw new IllegalStateException("this pmux cannot upgrade itself (not started by bin/pmux)");
    }
    if (!runtime.handsOver()) {
      throw new IllegalStateException(
          "programs started by the JDK launcher cannot be handed over: restart pmux instead");
    }
    synchronized (this) {
      if (closing) {
        throw new IllegalStateException("pmux is shutting down");
      }
      if (upgrading) {
        throw new IllegalStateException("an upgrade is already under way");
      }
      upgrading = true;
    }
    try {
      String problem = how.preflight();
      if (problem != null) {
        throw new IllegalStateException("upgrade refused: " + problem);
      }
      new ProgramsHandOver(output, how).handOver(programs());
    } finally {
      synchronized (this) {
        upgrading = false;
      }
    }
  }

  /**
   * Takes over the programs of the pmux before an upgrade ({@code handed}) instead of starting
   * them; a program new in the configuration starts as {@link #startAll()} would start it, and one
   * that the configuration no longer has is stopped.
   */
  public void adoptAll(UpgradeState handed) {
    Map<String, HandedProgram> byName = new LinkedHashMap<>();
    handed.programs().forEach(h -> byName.put(h.name(), h));
    for (SupervisedProgram program : programs.values()) {
      HandedProgram h = byName.remove(program.name());
      if (h != null) {
        program.adopt(h);
      } else if (program.spec().autostart()) {
        program.start();
      }
    }
    // Gone from pmux.yml since the old pmux read it: its group is stopped, not adopted.
    byName.values().stream()
        .map(HandedProgram::child)
        .filter(Objects::nonNull)
        .forEach(child -> runtime.killer().signal(child.pid(), Signal.TERM));
  }

  /** Reads the configuration file again and applies it; an invalid file changes nothing. */
  public ReloadResult reload() throws ConfigException {
    boolean succeeded = false;
    try {
      ReloadResult result = reload(ConfigLoader.load(config.source()));
      succeeded = true;
      return result;
    } finally {
      recordReload(succeeded);
    }
  }

  private synchronized void recordReload(boolean succeeded) {
    reloads = reloads.after(succeeded, System.currentTimeMillis());
  }

  /** The reloads of the configuration file so far (SIGHUP and JMX alike). */
  public ReloadHistory reloads() {
    return reloads;
  }

  /**
   * Applies {@code next}: programs it adds start (if autostarted), programs it drops stop and
   * leave, programs whose settings changed restart with them, the others keep running untouched.
   * Top-level settings other than {@code processes} take effect at the next start of pmux.
   */
  public synchronized ReloadResult reload(PmuxConfig next) {
    if (closing) {
      throw new IllegalStateException("pmux is shutting down");
    }
    if (upgrading) {
      throw new IllegalStateException("pmux is upgrading itself");
    }
    Map<String, SupervisedProgram> current = programs;
    Map<String, SupervisedProgram> updated = new LinkedHashMap<>();
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    output.format().widenFor(names(next));
    for (ProcessSpec spec : next.processes()) {
      SupervisedProgram existing = current.get(spec.name());
      if (existing == null) {
        updated.put(spec.name(), newProgram(spec));
        added.add(spec.name());
      } else {
        if (!existing.spec().equals(spec)) {
          changed.add(spec.name());
        }
        updated.put(spec.name(), existing);
      }
    }
    for (SupervisedProgram old : current.values()) {
      if (!updated.containsKey(old.name())) {
        removed.add(old.name());
      }
    }
    programs = updated;
    config = next;

    for (String name : removed) {
      SupervisedProgram old = Objects.requireNonNull(current.get(name));
      CompletableFuture<Void> stopped = old.stop();
      leaving.put(name, stopped);
      var unused =
          stopped.thenRun(
              () -> {
                leaving.remove(name, stopped);
                told.remove(old);
                members.forEach(m -> m.removed(old));
              });
    }
    for (String name : changed) {
      SupervisedProgram program = Objects.requireNonNull(updated.get(name));
      var unused = program.reconfigure(specOf(next, name));
    }
    for (String name : added) {
      SupervisedProgram program = Objects.requireNonNull(updated.get(name));
      members.forEach(m -> m.added(program));
      if (program.spec().autostart()) {
        // A program brought back while its predecessor still stops starts once that stop is over
        // (with killMode: tree the two would otherwise take each other's processes for their own).
        var unused =
            leaving
                .getOrDefault(name, CompletableFuture.completedFuture(null))
                .thenRun(() -> startWhenDependenciesReady(program));
      }
    }
    return new ReloadResult(added, changed, removed);
  }

  private static ProcessSpec specOf(PmuxConfig config, String name) {
    return config.processes().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * Completes {@link #allExited} once every program's listeners were told it EXITED: by then its
   * last lines are out, so that pmux's own last line cannot overtake them.
   */
  private void checkAllExited() {
    Map<String, SupervisedProgram> now = programs;
    if (!now.isEmpty() && now.values().stream().allMatch(p -> told.get(p) == ProcessState.EXITED)) {
      allExited.complete(null);
    }
  }

  /** What a reload did, by program name. */
  public record ReloadResult(List<String> added, List<String> changed, List<String> removed) {
    @Override
    public String toString() {
      return "added " + added + ", changed " + changed + ", removed " + removed;
    }
  }
}
