package dev.pmux.supervisor;

import dev.pmux.config.PmuxConfig;
import dev.pmux.config.ProcessSpec;
import dev.pmux.output.MergedOutput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The set of supervised programs of one pmux: starts, stops and watches them together. */
public final class Supervisor {
  private final Map<String, SupervisedProgram> programs = new LinkedHashMap<>();
  private final CompletableFuture<Void> allExited = new CompletableFuture<>();

  /** Creates (but does not start) one {@link SupervisedProgram} per configured process. */
  public Supervisor(PmuxConfig config, MergedOutput output, SupervisorRuntime runtime) {
    output.format().widenFor(config.processes().stream().map(ProcessSpec::name).toList());
    for (ProcessSpec spec : config.processes()) {
      SupervisedProgram program =
          new SupervisedProgram(spec, output.program(spec.name()), runtime);
      program.addListener((from, now) -> checkAllExited());
      programs.put(spec.name(), program);
    }
  }

  /** The programs, in configuration order. */
  public List<SupervisedProgram> programs() {
    return Collections.unmodifiableList(new ArrayList<>(programs.values()));
  }

  public Optional<SupervisedProgram> program(String name) {
    return Optional.ofNullable(programs.get(name));
  }

  /** Starts every program whose {@code autostart} is on. */
  public void startAll() {
    for (SupervisedProgram program : programs.values()) {
      if (program.spec().autostart()) {
        program.start();
      }
    }
  }

  /** Stops every program in parallel; completes once all are stopped. */
  public CompletableFuture<Void> stopAll() {
    return CompletableFuture.allOf(
        programs.values().stream().map(SupervisedProgram::stop).toArray(CompletableFuture[]::new));
  }

  /** SIGKILLs every program's process group at once, taking no lock. */
  public void killAll() {
    programs.values().forEach(SupervisedProgram::kill);
  }

  /**
   * Completes when every program has EXITED (ended with a {@code noRestartOn} code), the moment
   * the Go tool exits by itself.
   */
  public CompletableFuture<Void> allExited() {
    return allExited;
  }

  private void checkAllExited() {
    if (programs.values().stream().allMatch(p -> p.snapshot().state() == ProcessState.EXITED)) {
      allExited.complete(null);
    }
  }
}
