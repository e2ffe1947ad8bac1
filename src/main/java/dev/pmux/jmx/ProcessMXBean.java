package dev.pmux.jmx;

/**
 * One supervised program, at {@code pmux:type=Process,name=<name>}. Attributes are point-in-time
 * values read without blocking supervision; operations request a transition and say what they did.
 * Every change of {@code State} emits an {@code AttributeChangeNotification}.
 */
public interface ProcessMXBean {
  String getName();

  /** STOPPED, STARTING, RUNNING, BACKOFF, STOPPING, EXITED or FATAL. */
  String getState();

  /** The state as supervisord numbers it: STOPPED 0 ... FATAL 200. */
  int getStateCode();

  /** Process id (and process group id) of the running program; -1 when none. */
  long getPid();

  boolean isRunning();

  /** Launches so far, automatic and operator-requested. */
  long getStartCount();

  /** Automatic restarts so far; operator actions never change it. */
  long getRestartCount();

  /** Exit code of the last run (128+N after death by signal N); -1 when none. */
  int getLastExitCode();

  /** Seconds since the current run started; 0 when not running. */
  double getUptimeSeconds();

  /** Epoch milliseconds of the last launch; 0 when never. */
  long getLastStartTime();

  /** Epoch milliseconds of the last exit; 0 when never. */
  long getLastExitTime();

  /** The delay before the pending automatic restart (BACKOFF, FATAL); 0 otherwise. */
  long getNextRestartDelayMillis();

  /** The command and its arguments, as configured. */
  String getCommand();

  /** CPU seconds used by the program's whole process group. */
  double getCpuSeconds();

  /** Resident memory of the program's whole process group, in bytes. */
  long getResidentBytes();

  /** Starts the program if it is not running; resets its backoff. */
  String start();

  /** Stops the program (stop signal to its group, SIGKILL after sigKillWait); it stays STOPPED. */
  String stop();

  /** Stops the program, then starts it again. */
  String restart();

  /** Sends a signal (INT, TERM, HUP, QUIT, USR1, USR2, KILL, ...) to the program's process group. */
  String signal(String name);

  /** The last {@code lines} lines the program printed, oldest first (at most tailLines). */
  String[] tail(int lines);
}
