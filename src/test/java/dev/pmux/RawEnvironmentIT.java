package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** pmux's environment reaches its programs as bytes, whatever they are. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawEnvironmentIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  @Test
  void anInheritedValueThatIsNotUtf8_reachesTheProgramUnchanged() throws Exception {
    assumeFalse(
        "jdk".equals(System.getenv("PMUX_LAUNCHER")),
        "the JDK's launcher re-encodes the environment (README: the fallback's limits)");
    Path config =
        Files.writeString(
            tmp.resolve("pmux.yml"),
            """
            processes:
              - name: env
                cmd: sh
                args: ['-c', 'printf %s "$RAW" | od -An -tx1']
                noRestartOn: [0]
            """);
    // Latin-1 bytes, invalid as UTF-8, set by a shell the way a user's environment may hold them.
    List<String> wrapper =
        List.of("/bin/sh", "-c", "RAW=$(printf 'caf\\351\\377'); export RAW; exec \"$@\"", "sh");
    try (PmuxProcess pmux = PmuxProcess.startWrapped(wrapper, config, leaks.environment(), tmp)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(pmux.stdout()).isEqualTo("env  ›  63 61 66 e9 ff\n");
    }
  }
}
