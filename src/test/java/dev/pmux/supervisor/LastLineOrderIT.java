package dev.pmux.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.config.PmuxConfig;
import dev.pmux.output.LineFormat;
import dev.pmux.output.MergedOutput;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.RealRuntime;
import dev.pmux.testing.Scripts;
import dev.pmux.testing.Specs;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * When every program has exited, pmux prints its last line: never before the programs' own last
 * lines, however late the thread that writes them gets the CPU.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LastLineOrderIT {
  private static final String LAST = "pmux ~ exited gracefully, ciao!";

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final CountDownLatch lastLineWritten = new CountDownLatch(1);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /**
   * Stderr as a slow terminal: the end of program "slow" is held up until pmux's last line was
   * written, or for 3 s if it never comes first.
   */
  private final OutputStream stderr =
      new OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          String text = new String(b, off, len, StandardCharsets.UTF_8);
          if (text.startsWith("slow ~ exited")) {
            try {
              lastLineWritten.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          synchronized (err) {
            err.write(b, off, len);
          }
          if (text.equals(LAST + "\n")) {
            lastLineWritten.countDown();
          }
        }
      };

  @Test
  void theLastLineComesAfterEveryProgramsOwnLastLines() throws Exception {
    MergedOutput output =
        new MergedOutput(
            OutputStream.nullOutputStream(), stderr, new LineFormat(null, Clock.systemUTC()), 200);
    PmuxConfig config =
        new PmuxConfig(
            tmp.resolve("pmux.yml"),
            null,
            null,
            List.of(
                Specs.program("slow", Scripts.path("exit-with.sh"), "3").noRestartOn(-1).build(),
                // Ends after "slow", while slow's last lines are held up.
                Specs.shell("fast", "sleep 1; exit 0").noRestartOn(0).build()),
            200,
            Optional.empty());
    Supervisor supervisor =
        new Supervisor(config, output, RealRuntime.create(leaks.environment(), scheduler));
    supervisor.startAll();
    // What Main does once every program has exited.
    supervisor.allExited().get(20, TimeUnit.SECONDS);
    output.event("pmux", "exited gracefully, ciao!");
    String printed;
    synchronized (err) {
      printed = err.toString(StandardCharsets.UTF_8);
    }
    assertThat(printed.split("\n"))
        .containsSubsequence(
            "slow ~ exited: process exited: exit status 3", "slow ~ stopped process handler", LAST)
        .endsWith(LAST);
  }
}
