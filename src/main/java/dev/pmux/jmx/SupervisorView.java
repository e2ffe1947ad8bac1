package dev.pmux.jmx;

import dev.pmux.config.ConfigException;
import dev.pmux.supervisor.ProcessState;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The MXBean of pmux itself: a thin view over the {@link Supervisor}. */
public final class SupervisorView implements SupervisorMXBean {
  private final Supervisor supervisor;
  private final Runnable shutdown;

  /** {@code shutdown} runs pmux's graceful exit, the same as SIGTERM. */
  SupervisorView(Supervisor supervisor, Runnable shutdown) {
    this.supervisor = supervisor;
    this.shutdown = shutdown;
  }

  @Override
  public String[] getProcessNames() {
    return supervisor.programs().stream().map(SupervisedProgram::name).toArray(String[]::new);
  }

  @Override
  public int getProcessCount() {
    return supervisor.programs().size();
  }

  @Override
  public int getRunningCount() {
    return (int)
        supervisor.programs().stream()
            .filter(p -> p.snapshot().state() == ProcessState.RUNNING)
            .count();
  }

  @Override
  public double getUptimeSeconds() {
    return supervisor.uptimeSeconds();
  }

  @Override
  public String getConfigFile() {
    return supervisor.config().source().toString();
  }

  @Override
  public String startAll() {
    long started = supervisor.programs().stream().filter(SupervisedProgram::start).count();
    return "started " + started + " of " + getProcessCount();
  }

  @Override
  public String stopAll() {
    try {
      supervisor.stopAll().get(5, TimeUnit.MINUTES);
      return "stopped all";
    } catch (TimeoutException e) {
      return "still stopping";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while stopping";
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  @Override
  public String reload() {
    try {
      return "reloaded " + supervisor.config().source() + ": " + supervisor.reload();
    } catch (ConfigException e) {
      // A standard exception type, so that any JMX client can show the problems.
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  @Override
  public String shutdown() {
    shutdown.run();
    return "shutting down";
  }
}
