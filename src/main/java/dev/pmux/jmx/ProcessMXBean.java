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

  /**
   * The last 20 exits, oldest first, as a table (TabularData) keyed by number (1 = the oldest
   * shown), each row an exit: time (epoch ms), exitCode, signal (name, or empty), ranForMillis,
   * restarted.
   */
  java.util.SortedMap<Integer, dev.pmux.supervisor.ExitRecord> getRecentExits();

  /** Whether the current run passed its {@code ready:} check (without one: while running). */
  boolean isReady();

  /** Epoch milliseconds since when the current run is ready; 0 when it is not. */
  long getReadyTime();

  /** Shortest restart delay, in force now; writable (not saved to pmux.yml). */
  long getMinWaitMillis();

  void setMinWaitMillis(long millis);

  /** Longest restart delay, in force now; writable (not saved to pmux.yml). */
  long getMaxWaitMillis();

  void setMaxWaitMillis(long millis);

  /** Time from the stop signal to SIGKILL, in force now; writable (not saved to pmux.yml). */
  long getSigKillWaitMillis();

  void setSigKillWaitMillis(long millis);

  /** Whether the program restarts after it ends; writable (not saved to pmux.yml). */
  boolean isAutoRestart();

  void setAutoRestart(boolean on);

  /** The next automatic restart waits minWait again, whatever came before. */
  String resetBackoff();

  /**
   * Starts the program now: skips a pending restart delay, or starts it from STOPPED/EXITED/FATAL.
   */
  String startNow();

  /** Starts the program if it is not running; resets its backoff. */
  String start();

  /** Stops the program (stop signal to its group, SIGKILL after sigKillWait); it stays STOPPED. */
  String stop();

  /** Stops the program, then starts it again. */
  String restart();

  /**
   * Sends a signal (INT, TERM, HUP, QUIT, USR1, USR2, KILL, ...) to the program's process group.
   */
  String signal(String name);

  /** The last {@code lines} lines the program printed, oldest first (at most tailLines). */
  String[] tail(int lines);
}
