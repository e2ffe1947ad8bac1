package dev.pmux.jmx;

import dev.pmux.config.GoDuration;
import dev.pmux.config.ProcessSpec;
import dev.pmux.config.Signal;
import dev.pmux.exec.ExitStatus;
import dev.pmux.exec.GroupUsage;
import dev.pmux.supervisor.ExitRecord;
import dev.pmux.supervisor.ProcessSnapshot;
import dev.pmux.supervisor.ProcessState;
import dev.pmux.supervisor.RestartPolicy;
import dev.pmux.supervisor.StateListener;
import dev.pmux.supervisor.SupervisedProgram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/** The MXBean of one program: a thin view over its {@link SupervisedProgram}. */
public final class ProcessView extends NotificationBroadcasterSupport implements ProcessMXBean {
  private static final MBeanNotificationInfo[] NOTIFICATIONS = {
    new MBeanNotificationInfo(
        new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
        AttributeChangeNotification.class.getName(),
        "The State attribute changed"),
    new MBeanNotificationInfo(
        new String[] {OPERATOR_ACTION},
        Notification.class.getName(),
        "An operator asked for an action: its event line, e.g. 'stop requested by local'")
  };

  /** How long an operator's start waits for the fork to come back before it answers. */
  private static final long LAUNCH_BOUND_SECONDS = 10;

  private final SupervisedProgram program;
  // The name, not this object: a remote listener receives the source, and a view is no
  // Serializable.
  private final ObjectName source;
  private final AtomicLong sequence = new AtomicLong();
  private final StateListener stateNotifier = this::notifyStateChange;

  ProcessView(SupervisedProgram program) {
    super(NOTIFICATIONS);
    this.program = program;
    this.source = ObjectNames.process(program.name());
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
            source,
            sequence.incrementAndGet(),
            System.currentTimeMillis(),
            program.name() + ": " + from + " -> " + now.state(),
            "State",
            String.class.getName(),
            from.name(),
            now.state().name()));
  }

  /** Prints {@code <name> ~ <text>} and tells JMX listeners, for the record of operator actions. */
  private void record(String text) {
    program.note(text);
    announce(text);
  }

  private void announce(String text) {
    sendNotification(
        new Notification(
            OPERATOR_ACTION, source, sequence.incrementAndGet(), System.currentTimeMillis(), text));
  }

  private void requested(String action) {
    record(action + " requested by " + Caller.describe());
  }

  /** Tuning prints its own line (e.g. "minWait set to 2s"); who asked is added to it. */
  private void tuned(UnaryOperator<RestartPolicy> change, String what) {
    String text = what + ", requested by " + Caller.describe();
    program.tune(change, text);
    announce(text);
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
  public Map<String, Integer> getStates() {
    ProcessState now = program.snapshot().state();
    Map<String, Integer> states = new LinkedHashMap<>();
    for (ProcessState state : ProcessState.values()) {
      states.put(state.name(), state == now ? 1 : 0);
    }
    return states;
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
  public String getLastError() {
    return program.snapshot().lastError();
  }

  @Override
  public int getLastExitCode() {
    return program.snapshot().lastExitCode();
  }

  @Override
  public double getUptimeSeconds() {
    return uptimeSeconds(program.snapshot());
  }

  @Override
  public String getUptime() {
    ProcessSnapshot s = program.snapshot();
    return s.runningSinceNanos() == 0
        ? ""
        : wholeSeconds(System.nanoTime() - s.runningSinceNanos());
  }

  /** A duration as pmux.yml writes one, cut to whole seconds: what a person reads at a glance. */
  static String wholeSeconds(long nanos) {
    return GoDuration.format(
        Duration.ofSeconds(TimeUnit.NANOSECONDS.toSeconds(Math.max(0, nanos))));
  }

  /** To the millisecond: JConsole shows every digit of a double. */
  private static double uptimeSeconds(ProcessSnapshot s) {
    if (s.runningSinceNanos() == 0) {
      return 0;
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.runningSinceNanos()) / 1000.0;
  }

  // JMX clients such as JConsole show a java.util.Date as a date; no java.time type is an open
  // type.
  @SuppressWarnings("JavaUtilDate")
  private static @Nullable Date date(long epochMillis) {
    return epochMillis > 0 ? new Date(epochMillis) : null;
  }

  @Override
  public @Nullable Date getLastStartDate() {
    return date(getLastStartTime());
  }

  @Override
  public @Nullable Date getLastExitDate() {
    return date(getLastExitTime());
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
  public long getNextRestartInMillis() {
    return restartInMillis(program.snapshot());
  }

  private static long restartInMillis(ProcessSnapshot s) {
    if (s.state() != ProcessState.BACKOFF) {
      return -1;
    }
    // Rounded up: 0 only once the restart is due.
    long left = s.restartDueNanos() - System.nanoTime();
    return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
  }

  @Override
  public String getCommand() {
    ProcessSpec spec = program.spec();
    List<String> words = new ArrayList<>(spec.args().size() + 1);
    words.add(spec.cmd());
    words.addAll(spec.args());
    return ShellWords.join(words);
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
  public ProcessStatus getSnapshot() {
    ProcessSnapshot s = program.snapshot();
    GroupUsage usage = program.usage();
    int code = s.lastExitCode();
    return new ProcessStatus(
        s.name(),
        s.state().name(),
        s.state().code(),
        s.pid(),
        s.state() == ProcessState.RUNNING,
        s.startCount(),
        s.restartCount(),
        code,
        signalName(code),
        s.lastError(),
        uptimeSeconds(s),
        s.lastStartTime(),
        date(s.lastStartTime()),
        s.lastExitTime(),
        date(s.lastExitTime()),
        s.nextRestartDelayMillis(),
        restartInMillis(s),
        getCommand(),
        usage.cpuSeconds(),
        usage.residentBytes(),
        program.strays());
  }

  /** The name of the signal a status of 128+N says the program died of, as ExitStatus reads it. */
  private static String signalName(int code) {
    return new ExitStatus(code).signal().map(Enum::name).orElse("");
  }

  @Override
  // JMX clients such as JConsole show a java.util.Date as a date; no java.time type is an open
  // type.
  @SuppressWarnings("JavaUtilDate")
  public List<ExitRow> getRecentExits() {
    List<ExitRecord> oldestFirst = program.recentExits();
    // JConsole opens an array on its first row: the newest exit is the one an operator looks for.
    return IntStream.range(0, oldestFirst.size())
        .mapToObj(i -> oldestFirst.get(oldestFirst.size() - 1 - i))
        .map(
            e ->
                new ExitRow(
                    new Date(e.time()),
                    e.time(),
                    e.exitCode(),
                    e.signal(),
                    e.ranForMillis(),
                    e.restarted()))
        .toList();
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
  public @Nullable Date getReadyDate() {
    return date(getReadyTime());
  }

  @Override
  public long getMinWaitMillis() {
    return program.policy().minWait().toMillis();
  }

  @Override
  public void setMinWaitMillis(long millis) {
    Duration d = Duration.ofMillis(millis);
    tuned(p -> p.withMinWait(d), "minWait set to " + GoDuration.format(d));
  }

  @Override
  public long getMaxWaitMillis() {
    return program.policy().maxWait().toMillis();
  }

  @Override
  public void setMaxWaitMillis(long millis) {
    Duration d = Duration.ofMillis(millis);
    tuned(p -> p.withMaxWait(d), "maxWait set to " + GoDuration.format(d));
  }

  @Override
  public long getSigKillWaitMillis() {
    return program.policy().sigKillWait().toMillis();
  }

  @Override
  public void setSigKillWaitMillis(long millis) {
    Duration d = Duration.ofMillis(millis);
    tuned(p -> p.withSigKillWait(d), "sigKillWait set to " + GoDuration.format(d));
  }

  @Override
  public boolean isAutoRestart() {
    return program.policy().autoRestart();
  }

  @Override
  public void setAutoRestart(boolean on) {
    tuned(p -> p.withAutoRestart(on), "autoRestart set to " + on);
  }

  @Override
  public String resetBackoff() {
    requested("reset backoff");
    program.resetBackoff();
    return program.name() + ": backoff reset";
  }

  @Override
  public String startNow() {
    return start();
  }

  @Override
  public String start() {
    requested("start");
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
    // A program that crashes at once was started all the same; a launch that failed was not.
    String failure = program.snapshot().lastError();
    return failure.isEmpty()
        ? program.name() + ": started"
        : program.name() + ": launch failed (" + failure + "), it is " + getState();
  }

  @Override
  public String stop() {
    requested("stop");
    ProcessState before = program.snapshot().state();
    if (before == ProcessState.STOPPED || before == ProcessState.EXITED) {
      return program.name() + ": already " + before;
    }
    return awaitStop(program.stop(), "stopped");
  }

  @Override
  public String restart() {
    requested("restart");
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
    requested("signal " + signal.name());
    return program.signal(signal)
        ? program.name() + ": sent " + signal.name()
        : program.name() + ": not running, nothing to signal";
  }

  @Override
  public String[] tail(int lines) {
    // JConsole offers 0 in the field: that, and less, asks for every line pmux keeps.
    List<String> last = program.tail(lines <= 0 ? Integer.MAX_VALUE : lines);
    return last.toArray(new String[0]);
  }
}
