package dev.pmux.supervisor;

/**
 * An immutable, consistent view of one program at one moment; readers never block the state
 * machine. Times are epoch milliseconds (0: never); {@code pid} and {@code lastExitCode} are -1
 * when there is none; {@code lastError} says why the last launch failed (empty: it did not); {@code
 * restartDueNanos} is when the pending automatic restart is due, on the timeline's {@code nanoTime}
 * (0: none). Changes read as named steps.
 */
public record ProcessSnapshot(
    String name,
    ProcessState state,
    long pid,
    long startCount,
    long restartCount,
    int lastExitCode,
    String lastError,
    long lastStartTime,
    long lastExitTime,
    long nextRestartDelayMillis,
    long restartDueNanos,
    long runningSinceNanos) {

  static ProcessSnapshot initial(String name) {
    return new ProcessSnapshot(name, ProcessState.STOPPED, -1, 0, 0, -1, "", 0, 0, 0, 0, 0);
  }

  /** The same view in another state. */
  ProcessSnapshot in(ProcessState newState) {
    return new ProcessSnapshot(
        name,
        newState,
        pid,
        startCount,
        restartCount,
        lastExitCode,
        lastError,
        lastStartTime,
        lastExitTime,
        newState == ProcessState.BACKOFF ? nextRestartDelayMillis : 0,
        newState == ProcessState.BACKOFF ? restartDueNanos : 0,
        runningSinceNanos);
  }

  /** A run was launched: one more start, its pid, when. */
  ProcessSnapshot launched(long newPid, long atMillis, long atNanos) {
    return new ProcessSnapshot(
        name,
        state,
        newPid,
        startCount + 1,
        restartCount,
        lastExitCode,
        "",
        atMillis,
        lastExitTime,
        0,
        0,
        atNanos);
  }

  /** The run's main process ended with {@code code}. */
  ProcessSnapshot ended(int code, long atMillis) {
    return new ProcessSnapshot(
        name,
        state,
        -1,
        startCount,
        restartCount,
        code,
        lastError,
        lastStartTime,
        atMillis,
        0,
        0,
        0);
  }

  /** No process any more (a stop gave up on a leader that outlived SIGKILL). */
  ProcessSnapshot gone() {
    return new ProcessSnapshot(
        name,
        state,
        -1,
        startCount,
        restartCount,
        lastExitCode,
        lastError,
        lastStartTime,
        lastExitTime,
        0,
        0,
        0);
  }

  /** The launch failed for {@code reason}. */
  ProcessSnapshot launchFailed(String reason, long atMillis) {
    return new ProcessSnapshot(
        name,
        state,
        -1,
        startCount,
        restartCount,
        lastExitCode,
        reason,
        lastStartTime,
        atMillis,
        0,
        0,
        0);
  }

  /** A restart is due in {@code delayMillis}, at {@code dueNanos} on the timeline. */
  ProcessSnapshot restartIn(long delayMillis, long dueNanos) {
    return new ProcessSnapshot(
        name,
        state,
        pid,
        startCount,
        restartCount,
        lastExitCode,
        lastError,
        lastStartTime,
        lastExitTime,
        delayMillis,
        dueNanos,
        runningSinceNanos);
  }

  /** One more automatic restart. */
  ProcessSnapshot restarted() {
    return new ProcessSnapshot(
        name,
        state,
        pid,
        startCount,
        restartCount + 1,
        lastExitCode,
        lastError,
        lastStartTime,
        lastExitTime,
        nextRestartDelayMillis,
        restartDueNanos,
        runningSinceNanos);
  }
}
