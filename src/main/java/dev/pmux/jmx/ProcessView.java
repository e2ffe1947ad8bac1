package dev.pmux.jmx;

import dev.pmux.config.GoDuration;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.exec.GroupUsage;
import dev.pmux.supervisor.ExitRecord;
import dev.pmux.supervisor.ProcessSnapshot;
import dev.pmux.supervisor.ProcessState;
import dev.pmux.supervisor.StateListener;
import dev.pmux.supervisor.SupervisedProgram;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;

/** The MXBean of one program: a thin view over its {@link SupervisedProgram}. */
public final class ProcessView extends NotificationBroadcasterSupport implements ProcessMXBean {
  private static final MBeanNotificationInfo[] NOTIFICATIONS = {
    new MBeanNotificationInfo(
        new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
        AttributeChangeNotification.class.getName(),
        "The State attribute changed")
  };

  /** How long an operator's start waits for the fork to come back before it answers. */
  private static final long LAUNCH_BOUND_SECONDS = 10;

  private final SupervisedProgram program;
  private final AtomicLong sequence = new AtomicLong();
  private final StateListener stateNotifier = this::notifyStateChange;

  ProcessView(SupervisedProgram program) {
    super(NOTIFICATIONS);
    this.program = program;
  }

  SupervisedProgram program() {
    return program;
  }

  /** Starts emitting State notifications. */
  void attach() {
    program.addListener(stateNotifier);
  }

  void detach() {
    program.removeListener(stateNotifier);
  }

  private void notifyStateChange(ProcessState from, ProcessSnapshot now) {
    sendNotification(
        new AttributeChangeNotification(
            this,
            sequence.incrementAndGet(),
            System.currentTimeMillis(),
            program.name() + ": " + from + " -> " + now.state(),
            "State",
            String.class.getName(),
            from.name(),
            now.state().name()));
  }

  @Override
  public String getName() {
    return program.name();
  }

  @Override
  public String getState() {
    return program.snapshot().state().name();
  }

  @Override
  public int getStateCode() {
    return program.snapshot().state().code();
  }

  @Override
  public long getPid() {
    return program.snapshot().pid();
  }

  @Override
  public boolean isRunning() {
    return program.snapshot().state() == ProcessState.RUNNING;
  }

  @Override
  public long getStartCount() {
    return program.snapshot().startCount();
  }

  @Override
  public long getRestartCount() {
    return program.snapshot().restartCount();
  }

  @Override
  public int getLastExitCode() {
    return program.snapshot().lastExitCode();
  }

  @Override
  public double getUptimeSeconds() {
    ProcessSnapshot s = program.snapshot();
    return s.runningSinceNanos() == 0 ? 0 : (System.nanoTime() - s.runningSinceNanos()) / 1e9;
  }

  @Override
  public long getLastStartTime() {
    return program.snapshot().lastStartTime();
  }

  @Override
  public long getLastExitTime() {
    return program.snapshot().lastExitTime();
  }

  @Override
  public long getNextRestartDelayMillis() {
    return program.snapshot().nextRestartDelayMillis();
  }

  @Override
  public String getCommand() {
    ProcessSpec spec = program.spec();
    return spec.args().isEmpty() ? spec.cmd() : spec.cmd() + " " + String.join(" ", spec.args());
  }

  @Override
  public double getCpuSeconds() {
    return program.usage().cpuSeconds();
  }

  @Override
  public long getResidentBytes() {
    GroupUsage usage = program.usage();
    return usage.residentBytes();
  }

  @Override
  public SortedMap<Integer, ExitRecord> getRecentExits() {
    SortedMap<Integer, ExitRecord> table = new TreeMap<>();
    for (ExitRecord exit : program.recentExits()) {
      table.put(table.size() + 1, exit);
    }
    return table;
  }

  @Override
  public boolean isReady() {
    return program.readySince() > 0;
  }

  @Override
  public long getReadyTime() {
    return program.readySince();
  }

  @Override
  public long getMinWaitMillis() {
    return program.policy().minWait().toMillis();
  }

  @Override
  public void setMinWaitMillis(long millis) {
    Duration d = Duration.ofMillis(millis);
    program.tune(p -> p.withMinWait(d), "minWait set to " + GoDuration.format(d));
  }

  @Override
  public long getMaxWaitMillis() {
    return program.policy().maxWait().toMillis();
  }

  @Override
  public void setMaxWaitMillis(long millis) {
    Duration d = Duration.ofMillis(millis);
    program.tune(p -> p.withMaxWait(d), "maxWait set to " + GoDuration.format(d));
  }

  @Override
  public long getSigKillWaitMillis() {
    return program.policy().sigKillWait().toMillis();
  }

  @Override
  public void setSigKillWaitMillis(long millis) {
    Duration d = Duration.ofMillis(millis);
    program.tune(p -> p.withSigKillWait(d), "sigKillWait set to " + GoDuration.format(d));
  }

  @Override
  public boolean isAutoRestart() {
    return program.policy().autoRestart();
  }

  @Override
  public void setAutoRestart(boolean on) {
    program.tune(p -> p.withAutoRestart(on), "autoRestart set to " + on);
  }

  @Override
  public String resetBackoff() {
    program.resetBackoff();
    return program.name() + ": backoff reset";
  }

  @Override
  public String startNow() {
    return start();
  }

  @Override
  public String start() {
    if (!program.start()) {
      return program.name() + ": not started, it is " + getState();
    }
    try {
      program.launchSettled().get(LAUNCH_BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Answer with the state it is in.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String now = getState();
    return program.name() + ": started" + (now.equals("RUNNING") ? "" : ", it is " + now);
  }

  @Override
  public String stop() {
    ProcessState before = program.snapshot().state();
    if (before == ProcessState.STOPPED || before == ProcessState.EXITED) {
      return program.name() + ": already " + before;
    }
    return awaitStop(program.stop(), "stopped");
  }

  @Override
  public String restart() {
    CompletableFuture<Boolean> restarted = program.restart();
    return awaitStop(restarted, "restarted");
  }

  private String awaitStop(CompletableFuture<?> done, String what) {
    Duration bound = program.policy().sigKillWait().plusSeconds(5);
    try {
      Object result = done.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      if (Boolean.FALSE.equals(result)) {
        return program.name() + ": stopped, but something else started it meanwhile";
      }
      return program.name() + ": " + what;
    } catch (TimeoutException e) {
      return program.name() + ": still " + getState() + " after " + bound.toSeconds() + "s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return program.name() + ": interrupted while waiting, it is " + getState();
    } catch (Exception e) {
      throw new IllegalStateException(program.name() + ": " + e.getMessage());
    }
  }

  @Override
  public String signal(String name) {
    Signal signal =
        Signal.parse(name == null ? "" : name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown signal '"
                            + name
                            + "'; use one of "
                            + Arrays.stream(Signal.values())
                                .map(Enum::name)
                                .collect(Collectors.joining(", "))));
    return program.signal(signal)
        ? program.name() + ": sent " + signal.name()
        : program.name() + ": not running, nothing to signal";
  }

  @Override
  public String[] tail(int lines) {
    if (lines <= 0) {
      throw new IllegalArgumentException("lines must be at least 1, was " + lines);
    }
    List<String> last = program.tail(lines);
    return last.toArray(new String[0]);
  }
}
