package dev.pmux.supervisor;

import dev.pmux.config.ConfigException;
import dev.pmux.exec.DaemonThreads;
import dev.pmux.output.MergedOutput;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reloads pmux.yml when asked by SIGHUP, one reload at a time on its own thread; a storm of
 * requests while one is pending collapses into that one.
 */
public final class ReloadRequests {
  private final Supervisor supervisor;
  private final MergedOutput output;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(DaemonThreads.named("pmux-reload"));

  public ReloadRequests(Supervisor supervisor, MergedOutput output) {
    this.supervisor = supervisor;
    this.output = output;
  }

  /** Schedules a reload unless one is already waiting to run; returns at once. */
  public void request() {
    if (pending.compareAndSet(false, true)) {
      worker.execute(this::reload);
    }
  }

  private void reload() {
    pending.set(false);
    try {
      output.event("pmux", "reloaded " + supervisor.config().source() + ": " + supervisor.reload());
    } catch (ConfigException e) {
      output.event("pmux", "reload failed, nothing changed:");
      e.problems().forEach(problem -> output.event("pmux", "  " + problem));
    } catch (RuntimeException e) {
      output.event("pmux", "reload failed, nothing changed: " + e);
    }
  }
}
