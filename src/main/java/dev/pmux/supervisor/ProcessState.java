package dev.pmux.supervisor;

import java.util.Arrays;
import java.util.List;

/**
 * The state of one supervised program. Codes follow supervisord's numbering so that exporters can
 * graph them.
 */
public enum ProcessState {
  /** Not running and not going to run until an operator starts it. */
  STOPPED(0),
  /** Being launched. */
  STARTING(10),
  /** Its process is alive. */
  RUNNING(20),
  /**
   * It ended, or could not be launched (command not found, missing dir); a restart is scheduled.
   */
  BACKOFF(30),
  /** pmux signalled it to stop and waits for it to end. */
  STOPPING(40),
  /** It ended for good: a {@code noRestartOn} exit code, or autoRestart off. */
  EXITED(100),
  /**
   * pmux gave up ({@code maxRestarts} within {@code restartWindow}) until an operator starts it.
   */
  FATAL(200);

  private final int code;

  ProcessState(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Whether a program in this state may move to {@code next}: the state diagram's arrows. */
  public boolean canMoveTo(ProcessState next) {
    return switch (this) {
      case STOPPED, EXITED -> next == STARTING;
      case STARTING ->
          next == RUNNING || next == BACKOFF || next == EXITED || next == FATAL || next == STOPPING;
      case RUNNING -> next == STOPPING || next == BACKOFF || next == EXITED || next == FATAL;
      case BACKOFF, FATAL -> next == STARTING || next == STOPPED;
      case STOPPING -> next == STOPPED;
    };
  }

  /** The states with an arrow to this one. */
  public List<ProcessState> reachableFrom() {
    return Arrays.stream(values()).filter(s -> s.canMoveTo(this)).toList();
  }
}
