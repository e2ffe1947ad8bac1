package dev.pmux.supervisor;

/**
 * An immutable, consistent view of one program at one moment; readers never block the state
 * machine. Times are epoch milliseconds (0: never); {@code pid} and {@code lastExitCode} are -1
 * when there is none.
 */
public record ProcessSnapshot(
    String name,
    ProcessState state,
    long pid,
    long startCount,
    long restartCount,
    int lastExitCode,
    long lastStartTime,
    long lastExitTime,
    long nextRestartDelayMillis,
    long runningSinceNanos) {

  static ProcessSnapshot initial(String name) {
    return new ProcessSnapshot(name, ProcessState.STOPPED, -1, 0, 0, -1, 0, 0, 0, 0);
  }

  ProcessSnapshot with(ProcessState newState) {
    return new ProcessSnapshot(
        name,
        newState,
        pid,
        startCount,
        restartCount,
        lastExitCode,
        lastStartTime,
        lastExitTime,
        nextRestartDelayMillis,
        runningSinceNanos);
  }
}
