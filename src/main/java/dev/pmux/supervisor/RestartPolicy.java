package dev.pmux.supervisor;

import dev.pmux.config.DurationBound;
import dev.pmux.config.GoDuration;
import dev.pmux.config.ProcessSpec;
import java.time.Duration;

/**
 * The settings of a program that an operator may change while it runs (over JMX), starting from its
 * configuration: restart delays, the SIGKILL deadline, whether it restarts at all. Changes are not
 * written back to pmux.yml; a reload that changes the program starts again from the file.
 */
public record RestartPolicy(
    Duration minWait, Duration maxWait, Duration sigKillWait, boolean autoRestart) {

  static RestartPolicy of(ProcessSpec spec) {
    return new RestartPolicy(spec.minWait(), spec.maxWait(), spec.sigKillWait(), true);
  }

  public RestartPolicy withMinWait(Duration d) {
    positive("minWait", d);
    if (d.compareTo(maxWait) > 0) {
      throw new IllegalArgumentException(
          "minWait must be <= maxWait ("
              + GoDuration.format(maxWait)
              + "), was "
              + GoDuration.format(d));
    }
    return new RestartPolicy(d, maxWait, sigKillWait, autoRestart);
  }

  public RestartPolicy withMaxWait(Duration d) {
    positive("maxWait", d);
    if (d.compareTo(minWait) < 0) {
      throw new IllegalArgumentException(
          "maxWait must be >= minWait ("
              + GoDuration.format(minWait)
              + "), was "
              + GoDuration.format(d));
    }
    return new RestartPolicy(minWait, d, sigKillWait, autoRestart);
  }

  public RestartPolicy withSigKillWait(Duration d) {
    positive("sigKillWait", d);
    return new RestartPolicy(minWait, maxWait, d, autoRestart);
  }

  public RestartPolicy withAutoRestart(boolean on) {
    return new RestartPolicy(minWait, maxWait, sigKillWait, on);
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + GoDuration.format(d));
    }
    String excess = DurationBound.excess(d);
    if (excess != null) {
      throw new IllegalArgumentException(name + " " + excess);
    }
  }
}
