package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmux.testing.PmuxProcess;
import dev.pmux.testing.ProcessLeaks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config file that is not a regular file (a FIFO, /dev/zero, a link to it, a directory) is
 * refused at start and at reload, through the real pmux: never a hang, never an OutOfMemoryError,
 * and a failed reload leaves the programs and later reloads alone.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConfigFileKindsIT {
  // As bin/pmux runs it: an OutOfMemoryError would end pmux and its programs.
  private static final String[] JVM = {"-XX:+ExitOnOutOfMemoryError"};
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  private void mkfifo(Path path) throws IOException, InterruptedException {
    assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor()).isZero();
  }

  private void assertRefusedAtStart(Path config, String problem) throws Exception {
    try (PmuxProcess pmux = PmuxProcess.start(config, leaks.environment(), tmp, JVM)) {
      assertThat(pmux.awaitExit(Duration.ofSeconds(15))).isEqualTo(2);
      assertThat(pmux.stderr())
          .isEqualTo(
              "pmux: invalid configuration " + config + ":\n  " + config + ": " + problem + "\n");
      assertThat(pmux.stdout()).isEmpty();
    }
  }

  @Test
  void aFifoDevZeroALinkToItOrADirectory_areRefusedAtStart() throws Exception {
    Path fifo = tmp.resolve("fifo.yml");
    mkfifo(fifo);
    assertRefusedAtStart(fifo, "not a regular file but a FIFO, expected a YAML file");
    assertRefusedAtStart(
        Path.of("/dev/zero"), "not a regular file but a character device, expected a YAML file");
    Path link = Files.createSymbolicLink(tmp.resolve("zero.yml"), Path.of("/dev/zero"));
    assertRefusedAtStart(
        link, "not a regular file but a character device (/dev/zero), expected a YAML file");
    Path dir = Files.createDirectory(tmp.resolve("dir.yml"));
    assertRefusedAtStart(dir, "is a directory, expected a YAML file");
    Files.delete(link);
  }

  @Test
  void reloadingAFifoOrALinkToDevZero_changesNothingAndLaterReloadsWork() throws Exception {
    Path config = tmp.resolve("pmux.yml");
    Files.writeString(config, "processes:\n  - {name: keep, cmd: sleep, args: [\"1000\"]}\n");
    try (PmuxProcess pmux = PmuxProcess.start(config, leaks.environment(), tmp, JVM)) {
      pmux.awaitStderr("keep ~ starting process\n", Duration.ofSeconds(20));

      Files.delete(config);
      mkfifo(config);
      pmux.signal("HUP");
      pmux.awaitStderr(
          "pmux ~ reload failed, nothing changed:\npmux ~   "
              + config
              + ": not a regular file but a FIFO, expected a YAML file\n",
          Duration.ofSeconds(10));

      Files.delete(config);
      Files.createSymbolicLink(config, Path.of("/dev/zero"));
      pmux.signal("HUP");
      pmux.awaitStderr(
          "pmux ~   "
              + config
              + ": not a regular file but a character device (/dev/zero), expected a YAML file\n",
          Duration.ofSeconds(10));
      assertThat(pmux.isAlive()).isTrue();

      Files.delete(config);
      Files.writeString(
          config,
          """
          processes:
            - {name: keep, cmd: sleep, args: ["1000"]}
            - {name: new, cmd: /bin/echo, args: [hi], noRestartOn: [0]}
          """);
      pmux.signal("HUP");
      pmux.awaitStderr(
          "pmux ~ reloaded " + config + ": added [new], changed [], removed []\n",
          Duration.ofSeconds(10));
      pmux.signal("TERM");
      assertThat(pmux.awaitExit(Duration.ofSeconds(10))).isZero();
      assertThat(pmux.stderr()).containsOnlyOnce("keep ~ starting process");
    }
  }
}
