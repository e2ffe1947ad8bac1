package dev.pmux.testing;

import dev.pmux.config.PmuxConfig;
import dev.pmux.config.ProcessSpec;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Supervisor} wired as {@code Main} wires it (real launcher, group killer and SIGKILL
 * watchdog) but writing into a test's {@link MergedOutput}; closing it stops every program and
 * shuts down every executor it created, so that nothing of it outlives the test.
 */
public final class InProcessPmux implements AutoCloseable {
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final ExecutorService notifications = Executors.newSingleThreadExecutor();
  private final Supervisor supervisor;

  /** Starts {@code specs} with {@code environment} as the children's base environment. */
  public InProcessPmux(
      MergedOutput output, Map<String, String> environment, Path dir, ProcessSpec... specs) {
    scheduler.setRemoveOnCancelPolicy(true);
    PmuxConfig config =
        new PmuxConfig(dir.resolve("pmux.yml"), null, null, List.of(specs), 200, Optional.empty());
    supervisor =
        new Supervisor(config, output, RealRuntime.create(environment, scheduler, notifications));
    supervisor.startAll();
  }

  public Supervisor supervisor() {
    return supervisor;
  }

  public SupervisedProgram program(String name) {
    return supervisor.program(name).orElseThrow();
  }

  @Override
  public void close() throws ExecutionException, TimeoutException {
    try {
      try {
        supervisor.stopAll().get(20, TimeUnit.SECONDS);
      } finally {
        scheduler.shutdownNow();
        notifications.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        notifications.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      // Torn down by a timeout: stop waiting and leave the interrupt for JUnit to see.
      Thread.currentThread().interrupt();
    }
  }
}
