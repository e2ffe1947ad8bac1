package dev.pmux.jmx;

import dev.pmux.config.ConfigException;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.ProcessState;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;

/** The MXBean of pmux itself: a thin view over the {@link Supervisor}. */
public final class SupervisorView extends NotificationBroadcasterSupport
    implements SupervisorMXBean {
  private static final String PMUX = "pmux";
  private static final MBeanNotificationInfo[] NOTIFICATIONS = {
    new MBeanNotificationInfo(
        new String[] {ProcessMXBean.OPERATOR_ACTION},
        Notification.class.getName(),
        "An operator asked for an action: its event line, e.g. 'reload requested by local'")
  };

  private final Supervisor supervisor;
  private final MergedOutput output;
  private final Runnable shutdown;
  private final long startedAt;
  private final AtomicLong sequence = new AtomicLong();

  /** {@code shutdown} runs pmux's graceful exit, the same as SIGTERM. */
  SupervisorView(Supervisor supervisor, MergedOutput output, Runnable shutdown) {
    super(NOTIFICATIONS);
    this.supervisor = supervisor;
    this.output = output;
    this.shutdown = shutdown;
    this.startedAt =
        System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(uptimeNanos(supervisor));
  }

  private static long uptimeNanos(Supervisor supervisor) {
    return (long) (supervisor.uptimeSeconds() * 1e9);
  }

  /** Prints {@code pmux ~ <text>} and tells JMX listeners, for the record of operator actions. */
  private void record(String text) {
    output.event(PMUX, text);
    sendNotification(
        new Notification(
            ProcessMXBean.OPERATOR_ACTION,
            ObjectNames.supervisor(),
            sequence.incrementAndGet(),
            System.currentTimeMillis(),
            text));
  }

  private void requested(String action) {
    record(action + " requested by " + Caller.describe());
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
    return TimeUnit.NANOSECONDS.toMillis(uptimeNanos(supervisor)) / 1000.0;
  }

  @Override
  public String getUptime() {
    return ProcessView.wholeSeconds(uptimeNanos(supervisor));
  }

  @Override
  @SuppressWarnings("JavaUtilDate") // see ProcessView.date
  public Date getStartDate() {
    return new Date(startedAt);
  }

  @Override
  public long getStartTime() {
    return startedAt;
  }

  @Override
  public long getReloadCount() {
    return supervisor.reloads().count();
  }

  @Override
  public long getReloadFailureCount() {
    return supervisor.reloads().failures();
  }

  @Override
  public boolean isLastReloadSucceeded() {
    return supervisor.reloads().lastSucceeded();
  }

  @Override
  public long getLastReloadTime() {
    return supervisor.reloads().lastTime();
  }

  @Override
  public String getConfigFile() {
    return supervisor.config().source().toString();
  }

  @Override
  public String startAll() {
    requested("startAll");
    long started = supervisor.programs().stream().filter(SupervisedProgram::start).count();
    return "started " + started + " of " + getProcessCount();
  }

  @Override
  public String stopAll() {
    requested("stopAll");
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

  /** Leaves the same lines as a reload by SIGHUP, after the record of who asked. */
  @Override
  public String reload() {
    requested("reload");
    try {
      String done = "reloaded " + supervisor.config().source() + ": " + supervisor.reload();
      output.event(PMUX, done);
      return done;
    } catch (ConfigException e) {
      output.event(PMUX, "reload failed, nothing changed:");
      e.problems().forEach(problem -> output.event(PMUX, "  " + problem));
      // A standard exception type, so that any JMX client can show the problems.
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  @Override
  public String shutdown() {
    requested("shutdown");
    shutdown.run();
    return "shutting down";
  }

  /** Returns only if the upgrade was refused or failed; on success this process is a new pmux. */
  @Override
  public String upgrade() {
    requested("upgrade");
    try {
      supervisor.upgrade();
    } catch (IllegalStateException e) {
      output.event(PMUX, String.valueOf(e.getMessage()));
      throw e;
    }
    return "upgrade did not happen";
  }
}
