package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandResolverTest {
  @TempDir Path tmp;

  private final CommandResolver resolver = new CommandResolver("/nonexistent-bin:/bin:/usr/bin");

  @Test
  void findsBareNamesOnPath() throws Exception {
    assertThat(resolver.resolve("sh", null).getFileName().toString()).isEqualTo("sh");
    assertThat(resolver.resolve("sh", null)).isAbsolute();
  }

  @Test
  void missingBareNameReadsLikeGo() {
    assertThatThrownBy(() -> resolver.resolve("does-not-exist-xyz", null))
        .isInstanceOf(LaunchException.class)
        .hasMessage("exec: \"does-not-exist-xyz\": executable file not found in $PATH");
  }

  @Test
  void missingPathReadsLikeGo() {
    assertThatThrownBy(() -> resolver.resolve("/nonexistent/bin/foo", null))
        .hasMessage("fork/exec /nonexistent/bin/foo: no such file or directory");
  }

  @Test
  void notExecutableReadsLikeGo() throws IOException {
    Path script =
        Files.createFile(
            tmp.resolve("notexec.sh"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    assertThatThrownBy(() -> resolver.resolve(script.toString(), null))
        .hasMessage("fork/exec " + script + ": permission denied");
  }

  @Test
  void missingDirectoryIsNamed() {
    assertThatThrownBy(() -> resolver.resolve("/bin/true", Path.of("/nonexistent-dir")))
        .hasMessage("chdir /nonexistent-dir: no such file or directory");
  }

  @Test
  void relativeCommandsResolveAgainstDir() throws Exception {
    Path script =
        Files.createFile(
            tmp.resolve("run.sh"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    assertThat(resolver.resolve("./run.sh", tmp)).isEqualTo(script);
  }
}
