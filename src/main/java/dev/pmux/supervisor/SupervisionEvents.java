package dev.pmux.supervisor;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * Flight Recorder events for what pmux does to its programs, so that a JDK Mission Control
 * recording shows launches, exits, backoffs and kills beside the JVM's own events. Each costs
 * nothing unless a recording is on: until Flight Recorder has been started (at JVM start or later
 * with {@code jcmd JFR.start}) the event classes are not even loaded, which would load and register
 * about a hundred JFR classes.
 */
final class SupervisionEvents {
  private SupervisionEvents() {}

  @Name("pmux.Launch")
  @Label("Program Launch")
  @Category({"pmux", "Supervision"})
  @Description("pmux started a run of a program")
  static final class Launch extends Event {
    @Label("Program")
    String program = "";

    @Label("Pid")
    long pid;
  }

  @Name("pmux.Exit")
  @Label("Program Exit")
  @Category({"pmux", "Supervision"})
  @Description("A run of a program ended")
  static final class Exit extends Event {
    @Label("Program")
    String program = "";

    @Label("Pid")
    long pid;

    @Label("Exit Code")
    int exitCode;

    @Label("Signal")
    String signal = "";

    @Label("Ran For")
    @Timespan(Timespan.MILLISECONDS)
    long ranFor;

    @Label("Stopped By pmux")
    boolean stoppedByPmux;
  }

  @Name("pmux.Backoff")
  @Label("Restart Backoff")
  @Category({"pmux", "Supervision"})
  @Description("pmux will restart a program after a delay")
  static final class Backoff extends Event {
    @Label("Program")
    String program = "";

    @Label("Delay")
    @Timespan(Timespan.MILLISECONDS)
    long delay;
  }

  @Name("pmux.Kill")
  @Label("Signal To Process Group")
  @Category({"pmux", "Supervision"})
  @Description("pmux signalled a program's process group")
  static final class Kill extends Event {
    @Label("Program")
    String program = "";

    @Label("Process Group")
    long pgid;

    @Label("Signal")
    String signal = "";
  }

  static void launched(String program, long pid) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    Launch e = new Launch();
    if (e.isEnabled()) {
      e.program = program;
      e.pid = pid;
      e.commit();
    }
  }

  static void exited(
      String program,
      long pid,
      int exitCode,
      String signal,
      long ranForMillis,
      boolean stoppedByPmux) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    Exit e = new Exit();
    if (e.isEnabled()) {
      e.program = program;
      e.pid = pid;
      e.exitCode = exitCode;
      e.signal = signal;
      e.ranFor = ranForMillis;
      e.stoppedByPmux = stoppedByPmux;
      e.commit();
    }
  }

  static void backoff(String program, long delayMillis) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    Backoff e = new Backoff();
    if (e.isEnabled()) {
      e.program = program;
      e.delay = delayMillis;
      e.commit();
    }
  }

  static void signalled(String program, long pgid, String signal) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    Kill e = new Kill();
    if (e.isEnabled()) {
      e.program = program;
      e.pgid = pgid;
      e.signal = signal;
      e.commit();
    }
  }
}
