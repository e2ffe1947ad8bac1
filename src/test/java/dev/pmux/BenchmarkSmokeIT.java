package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.testing.ProcessLeaks;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A quick run of the benchmark harness against the built pmux, so that the harness cannot rot. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchmarkSmokeIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();

  @Test
  void quickHarnessRunPasses() throws Exception {
    boolean tools =
        new ProcessBuilder("sh", "-c", "command -v python3 && command -v gcc").start().waitFor()
            == 0;
    // CI installs both; elsewhere the smoke run needs them to be there.
    Assumptions.assumeTrue(
        tools || "true".equals(System.getenv("CI")), "python3 and gcc are needed");
    ProcessBuilder builder =
        new ProcessBuilder(
                "python3", "bench/harness/bench.py", "--quick", "--pmux", "bin/pmux", "--no-copier")
            .redirectErrorStream(true);
    builder.environment().putAll(leaks.environment());
    Process bench = builder.start();
    String out = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bench.waitFor(100, TimeUnit.SECONDS)).isTrue();
    assertThat(bench.exitValue()).as(out).isZero();
    assertThat(out).containsPattern("(?m)^bench: \\d+ passed, 0 failed");
  }
}
