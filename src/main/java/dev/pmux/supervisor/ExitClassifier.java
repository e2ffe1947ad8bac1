package dev.pmux.supervisor;

import dev.pmux.config.ProcessSpec;

/** What follows the end of a run; a pure function of how it ended and the program's settings. */
final class ExitClassifier {
  /** What becomes of the program. */
  enum Outcome {
    /** pmux stopped it: it stays stopped. */
    STOPPED,
    /** It ended for good by its settings ({@code noRestartOn}, autoRestart off). */
    EXITED,
    /** It restarts after the backoff. */
    RESTART,
    /** It restarted too often within {@code restartWindow}: pmux gives up. */
    FATAL
  }

  private ExitClassifier() {}

  /**
   * Classifies an end: {@code exitCode} of the main process, or empty-handed ({@code launchFailed})
   * when it could not be started; {@code stopping} when pmux asked it to stop; {@code limitReached}
   * when {@code maxRestarts} is used up.
   */
  static Outcome classify(
      int exitCode,
      boolean launchFailed,
      boolean stopping,
      ProcessSpec spec,
      RestartPolicy policy,
      boolean limitReached) {
    if (stopping) {
      return Outcome.STOPPED;
    }
    boolean noRestart =
        launchFailed ? spec.noRestartAfterLaunchFailure() : spec.noRestartAfterExit(exitCode);
    if (noRestart || !policy.autoRestart()) {
      return Outcome.EXITED;
    }
    return limitReached ? Outcome.FATAL : Outcome.RESTART;
  }
}
