package dev.pmux.jmx;

/** pmux itself, at {@code pmux:type=Supervisor}: the set of programs and its configuration. */
public interface SupervisorMXBean {
  String[] getProcessNames();

  int getProcessCount();

  /** Programs whose process is alive now. */
  int getRunningCount();

  /** Seconds since pmux started. */
  double getUptimeSeconds();

  /** The pmux.yml in use, which {@link #reload()} reads again. */
  String getConfigFile();

  /** Starts every program that is not running. */
  String startAll();

  /** Stops every program; pmux keeps running. */
  String stopAll();

  /**
   * Reads pmux.yml again: new programs start, removed ones stop, changed ones restart, the others
   * keep running. An invalid file changes nothing and fails with its problems.
   */
  String reload();

  /** Stops every program and exits pmux, as SIGTERM does. */
  String shutdown();
}
