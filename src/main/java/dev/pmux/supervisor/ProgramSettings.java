package dev.pmux.supervisor;

import dev.pmux.config.ProcessSpec;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * What a program runs with: its configuration from pmux.yml and the restart policy in force, tuned
 * by operators (never written back to pmux.yml). Readable at any time; written under the program's
 * lock.
 */
final class ProgramSettings {
  private volatile ProcessSpec spec;
  private volatile RestartPolicy policy;

  ProgramSettings(ProcessSpec spec) {
    this.spec = spec;
    this.policy = RestartPolicy.of(spec);
  }

  ProcessSpec spec() {
    return spec;
  }

  RestartPolicy policy() {
    return policy;
  }

  void tune(UnaryOperator<RestartPolicy> change) {
    policy = change.apply(policy);
  }

  /** Takes {@code next} for the next launch; the policy starts again from it. */
  void configure(ProcessSpec next) {
    spec = next;
    policy = RestartPolicy.of(next);
  }

  /** The SIGKILL deadline in force now (tuned or configured); never zero. */
  Duration killAfter() {
    Duration d = policy.sigKillWait();
    return d.isZero() ? Duration.ofMillis(1) : d;
  }
}
