package dev.pmux.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.config.ProcessSpec;
import dev.pmux.testing.CapturedOutput;
import dev.pmux.testing.InProcessPmux;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many programs' pipes read by a fixed number of threads (two pollers, not two threads per
 * program), with every line of every program whole and in its program's order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolledPumpsIT {
  private static final int PROGRAMS = 40;
  private static final int LINES = 300;

  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  @Test
  @SuppressWarnings("try") // pmux only has to run while its output is read
  void manyProgramsShareTwoReaderThreads_everyLineWholeAndInOrder() throws Exception {
    CapturedOutput output = new CapturedOutput();
    List<ProcessSpec> specs = new ArrayList<>();
    for (int p = 0; p < PROGRAMS; p++) {
      // Lines of ~1 KiB written in two pieces, so that reads can end mid-line.
      specs.add(
          Specs.shell(
                  "p" + p,
                  "pad=$(printf '%0900d' 0); i=1; while [ $i -le "
                      + LINES
                      + " ]; do printf 'out %d %s' $i $pad; printf '\\n'; echo err $i >&2;"
                      + " i=$((i+1)); done; exec sleep 1000")
              .sigKillWait(Duration.ofSeconds(10))
              .build());
    }
    try (InProcessPmux pmux =
        new InProcessPmux(
            output.merged(), leaks.environment(), tmp, specs.toArray(ProcessSpec[]::new))) {
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> output.stdoutLines().size() >= PROGRAMS * LINES);
      List<String> readers =
          Thread.getAllStackTraces().keySet().stream()
              .map(Thread::getName)
              // Log4j's one-off starter thread may still be about: it reads no pipe.
              .filter(name -> name.startsWith("pmux-") && !name.equals("pmux-log4j-start"))
              // The exits of every child have one loop of their own.
              .filter(name -> !name.startsWith("pmux-exit"))
              // Nor do the readings of the process list for killMode tree.
              .filter(name -> !name.equals("pmux-tree"))
              .sorted()
              .toList();
      assertThat(readers).containsExactly("pmux-stderr", "pmux-stdout");
    }
    String pad = "0".repeat(900);
    for (int p = 0; p < PROGRAMS; p++) {
      String name = "p" + p;
      String prefix = String.format("%-5s› ", name);
      List<String> out = output.stdoutLines().stream().filter(l -> l.startsWith(prefix)).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= LINES; i++) {
        expected.add(prefix + "out " + i + " " + pad);
      }
      assertThat(out).as("stdout of %s", name).isEqualTo(expected);
      List<String> err =
          output.stderrLines().stream()
              .filter(l -> l.startsWith(String.format("%-5s» ", name)))
              .toList();
      assertThat(err).as("stderr of %s", name).hasSize(LINES);
      assertThat(err.get(LINES - 1)).endsWith("» err " + LINES);
    }
  }
}
