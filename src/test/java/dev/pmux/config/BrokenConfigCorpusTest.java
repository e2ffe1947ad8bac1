package dev.pmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file of the broken corpus is refused with a message a user can act on, never a crash. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BrokenConfigCorpusTest {
  static final Path CORPUS = Path.of("src/test/resources/dev/pmux/config/broken");

  static List<Path> corpus() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(CORPUS)) {
      dir.forEach(files::add);
    }
    files.sort(null);
    return files;
  }

  @Test
  void theCorpusHasAtLeastThirtyCases() throws IOException {
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(30);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void isRefusedWithAClearMessage(Path file) {
    assertRefusedClearly(file);
  }

  private static void assertRefusedClearly(Path file) {
    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              ConfigException ce = (ConfigException) e;
              assertThat(ce.problems()).isNotEmpty();
              assertThat(ce.getMessage()).contains(file.getFileName().toString());
              assertThat(ce.getMessage()).doesNotContain("Exception", "\tat ", "null");
            });
  }

  @Test
  void aDirectoryIsRefused(@TempDir Path tmp) {
    assertRefusedClearly(tmp);
  }

  @Test
  void aMissingFileIsRefused(@TempDir Path tmp) {
    assertRefusedClearly(tmp.resolve("absent.yml"));
  }

  @Test
  void anUnreadableFileIsRefused(@TempDir Path tmp) throws IOException {
    // A socket cannot be read as a file, even by root (who reads any chmod 000 file).
    Path socket = tmp.resolve("pmux.yml");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      assertRefusedClearly(socket);
    }
  }

  @Test
  void aHugeFileIsRefusedWithoutReadingItAll(@TempDir Path tmp) throws IOException {
    Path huge = tmp.resolve("huge.yml");
    byte[] line =
        "# padding padding padding padding padding padding padding padding padding\n"
            .getBytes(StandardCharsets.UTF_8);
    try (var out = Files.newOutputStream(huge)) {
      for (int i = 0; i < 20 * 1024 * 1024 / line.length; i++) {
        out.write(line);
      }
    }
    assertRefusedClearly(huge);
  }

  private static String problemOf(Path file) {
    try {
      ConfigLoader.load(file);
    } catch (ConfigException e) {
      assertThat(e.problems()).hasSize(1);
      return e.problems().get(0);
    }
    throw new AssertionError(file + " was accepted");
  }

  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter(@TempDir Path tmp) throws Exception {
    Path fifo = tmp.resolve("pmux.yml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    // Opening a FIFO blocks until a writer comes, uninterruptibly: a separate thread keeps a
    // regression from hanging the build.
    String problem =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> problemOf(fifo), "pmux hung");
    assertThat(problem).isEqualTo(fifo + ": not a regular file but a FIFO, expected a YAML file");
  }

  @Test
  void devZeroIsRefusedWithoutReadingIt() {
    assertThat(problemOf(Path.of("/dev/zero")))
        .isEqualTo("/dev/zero: not a regular file but a character device, expected a YAML file");
  }

  @Test
  void aLinkToDevZeroIsRefused(@TempDir Path tmp) throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("pmux.yml"), Path.of("/dev/zero"));
    try {
      assertThat(problemOf(link))
          .isEqualTo(
              link
                  + ": not a regular file but a character device (/dev/zero), expected a YAML file");
    } finally {
      // Gone before JUnit cleans up, which warns about a link that leads out of its directory.
      Files.delete(link);
    }
  }

  @Test
  void aFileJustOverOneMebibyteIsRefusedNamingTheLimit(@TempDir Path tmp) throws IOException {
    Path big = Files.write(tmp.resolve("big.yml"), new byte[1024 * 1024 + 1]);
    assertThat(problemOf(big))
        .isEqualTo(big + ": too large (1048577 bytes), a config is at most 1 MiB (1048576 bytes)");
  }

  @Test
  void aDirectoryIsNamed(@TempDir Path tmp) {
    assertThat(problemOf(tmp)).isEqualTo(tmp + ": is a directory, expected a YAML file");
  }
}
