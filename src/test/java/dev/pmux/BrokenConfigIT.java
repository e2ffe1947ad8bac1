package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broken-config corpus through the real pmux: exit status 2, a message, no trace, nothing run.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokenConfigIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  @Test
  void everyBrokenFileExitsTwoWithAMessageAndStartsNothing() throws Exception {
    List<Path> corpus = new ArrayList<>();
    try (DirectoryStream<Path> dir =
        Files.newDirectoryStream(Path.of("src/test/resources/dev/pmux/config/broken"))) {
      dir.forEach(p -> corpus.add(p.toAbsolutePath()));
    }
    corpus.add(tmp); // a directory
    // Four JVMs at a time: the check is what pmux says, not how fast it starts.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (Path file : corpus) {
        results.add(pool.submit(() -> check(file)));
      }
      List<String> failures = new ArrayList<>();
      for (Future<String> result : results) {
        String failure = result.get(60, TimeUnit.SECONDS);
        if (failure != null) {
          failures.add(failure);
        }
      }
      assertThat(failures).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs pmux on {@code file}; null when it behaved, else what went wrong. */
  private @Nullable String check(Path file) throws Exception {
    try (PmuxProcess pmux = PmuxProcess.start(file, leaks.environment(), tmp)) {
      int status = pmux.awaitExit(Duration.ofSeconds(40));
      String err = pmux.stderr();
      if (status != 2
          || !err.startsWith("pmux: invalid configuration ")
          || err.contains("Exception")
          || err.contains("\tat ")
          || !pmux.stdout().isEmpty()) {
        return file.getFileName() + " -> status " + status + ": " + err;
      }
      return null;
    }
  }
}
