package dev.pmux.jmx;

import java.util.Date;

/** pmux itself, at {@code pmux:type=Supervisor}: the set of programs and its configuration. */
@Description("pmux itself: the set of programs it supervises and its configuration file")
public interface SupervisorMXBean {
  @Description("The names of the programs, in configuration order")
  String[] getProcessNames();

  @Description("How many programs pmux supervises")
  int getProcessCount();

  @Description("Programs that are RUNNING now")
  int getRunningCount();

  @Description("Seconds since pmux started, to the millisecond")
  double getUptimeSeconds();

  @Description("How long pmux has been up, in whole seconds as pmux.yml writes durations (47m24s)")
  String getUptime();

  @Description("When pmux started")
  Date getStartDate();

  @Description("Epoch milliseconds when pmux started (StartDate: as a date)")
  long getStartTime();

  @Description("Reloads of pmux.yml so far (SIGHUP and reload() alike), failed ones included")
  long getReloadCount();

  @Description("Reloads of pmux.yml so far that failed and changed nothing")
  long getReloadFailureCount();

  @Description("Whether the last reload succeeded; true before the first")
  boolean isLastReloadSucceeded();

  @Description("Epoch milliseconds of the last reload; 0 before the first")
  long getLastReloadTime();

  @Description("The pmux.yml in use, which reload() reads again")
  String getConfigFile();

  @Description("Starts every program that is not running")
  String startAll();

  @Description("Stops every program; pmux keeps running")
  String stopAll();

  @Description(
      "Reads pmux.yml again: new programs start, removed ones stop, changed ones restart, the others"
          + " keep running. An invalid file changes nothing and fails with its problems")
  String reload();

  @Description("Stops every program and exits pmux, as SIGTERM does")
  String shutdown();

  @Description(
      "Replaces pmux with the installation now on disk (new jars, new Java) in the same process,"
          + " without stopping a program; checks it first and fails, changing nothing, if it would"
          + " not start. On success the connection drops and the new pmux answers again")
  String upgrade();
}
