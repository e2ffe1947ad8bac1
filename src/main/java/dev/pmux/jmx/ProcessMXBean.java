package dev.pmux.jmx;

import java.util.Date;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One supervised program, at {@code pmux:type=Process,name=<name>}. Attributes are point-in-time
 * values read without blocking supervision; operations request a transition and say what they did.
 * Every change of {@code State} emits an {@code AttributeChangeNotification}, every operator action
 * a {@code pmux.operator} notification.
 */
@Description(
    "One program that pmux supervises. Attributes are point-in-time values; Snapshot reads them all"
        + " at one moment. Operations request a change and say what they did.")
public interface ProcessMXBean {
  /** The type of the notification of an operator action; its message is the event line. */
  String OPERATOR_ACTION = "pmux.operator";

  @Description("The program's name in pmux.yml")
  String getName();

  @Description("STOPPED, STARTING, RUNNING, BACKOFF, STOPPING, EXITED or FATAL")
  String getState();

  @Description(
      "Every state with 1 for the current one and 0 for the others: one series per state for"
          + " Prometheus, so that alerts compare with 1 instead of a state's number")
  Map<String, Integer> getStates();

  @Description(
      "The state as supervisord numbers it: STOPPED 0, STARTING 10, RUNNING 20, BACKOFF 30,"
          + " STOPPING 40, EXITED 100, FATAL 200")
  int getStateCode();

  @Description("Process id (and process group id) of the running program; -1 when none")
  long getPid();

  @Description("Whether the program is RUNNING")
  boolean isRunning();

  @Description("Launches so far, automatic and operator-requested")
  long getStartCount();

  @Description("Automatic restarts so far; operator actions never change it")
  long getRestartCount();

  @Description("Exit code of the last run (128+N after death by signal N); -1 when none")
  int getLastExitCode();

  @Description(
      "Why the last launch failed (command not found, not executable, missing dir); empty when it"
          + " did not. Such a program is BACKOFF and retried, not FATAL")
  String getLastError();

  @Description("Seconds since the current run started, to the millisecond; 0 when not running")
  double getUptimeSeconds();

  @Description(
      "How long the current run has been up, in whole seconds as pmux.yml writes durations"
          + " (47m24s, 26h3m0s); empty when not running")
  String getUptime();

  @Description("Epoch milliseconds of the last launch; 0 when never (LastStartDate: as a date)")
  long getLastStartTime();

  @Description("When the program was last launched; empty when never")
  @Nullable Date getLastStartDate();

  @Description("Epoch milliseconds of the last exit; 0 when never (LastExitDate: as a date)")
  long getLastExitTime();

  @Description("When the program last ended; empty when never")
  @Nullable Date getLastExitDate();

  @Description(
      "The whole delay pmux chose before the pending automatic restart (BACKOFF); 0 otherwise."
          + " NextRestartInMillis: the time left of it")
  long getNextRestartDelayMillis();

  @Description(
      "Milliseconds left until the pending automatic restart (BACKOFF; 0 when it is due now);"
          + " -1 when none is pending")
  long getNextRestartInMillis();

  @Description(
      "The command and its arguments as configured, each quoted as a shell needs it ('a b'),"
          + " so that one can tell where each ends")
  String getCommand();

  @Description("CPU seconds used by the program's whole process group")
  double getCpuSeconds();

  @Description("Resident memory of the program's whole process group, in bytes")
  long getResidentBytes();

  @Description(
      "Every field above read at one moment: what pmux ctl prints, and what a script should read"
          + " when fields must agree with each other")
  ProcessStatus getSnapshot();

  @Description(
      "The last exits, newest first: when (exitedAt, exitTime in epoch ms), exitCode (128+N after"
          + " signal N), signal (its name, or empty), ranForMillis, restarted (whether pmux"
          + " restarted it afterwards)")
  List<ExitRow> getRecentExits();

  @Description("Whether the current run passed its ready: check (without one: while running)")
  boolean isReady();

  @Description(
      "Epoch milliseconds since when the current run is ready; 0 when it is not (ReadyDate: as a date)")
  long getReadyTime();

  @Description("Since when the current run is ready; empty when it is not")
  @Nullable Date getReadyDate();

  @Description("Shortest restart delay in milliseconds, in force now; writable (not saved)")
  long getMinWaitMillis();

  void setMinWaitMillis(long millis);

  @Description("Longest restart delay in milliseconds, in force now; writable (not saved)")
  long getMaxWaitMillis();

  void setMaxWaitMillis(long millis);

  @Description("Milliseconds from the stop signal to SIGKILL, in force now; writable (not saved)")
  long getSigKillWaitMillis();

  void setSigKillWaitMillis(long millis);

  @Description("Whether the program restarts after it ends; writable (not saved to pmux.yml)")
  boolean isAutoRestart();

  void setAutoRestart(boolean on);

  @Description("The next automatic restart waits minWait again, whatever came before")
  String resetBackoff();

  @Description("Starts the program now: skips a pending restart delay, or starts it if stopped")
  String startNow();

  @Description("Starts the program if it is not running; resets its backoff")
  String start();

  @Description(
      "Stops the program (stop signal to its process group, SIGKILL after sigKillWait); it stays"
          + " STOPPED until started")
  String stop();

  @Description("Stops the program, then starts it again")
  String restart();

  @Description("Sends a signal to the program's process group")
  String signal(
      @Description(
              name = "name",
              value = "INT, TERM, HUP, QUIT, USR1, USR2, KILL, ... (SIG optional)")
          String name);

  @ReadsOnly
  @Description("The last lines the program printed (output and events), oldest first")
  String[] tail(
      @Description(
              name = "lines",
              value = "How many lines, at most tailLines (default 200); 0 or less: all of them")
          int lines);
}
