package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoryTest {
  private static final int NOBODY = 65534;
  @TempDir Path tmp;

  private static void chmod(Path path, String permissions) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
  }

  private static boolean root() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
  }

  @Test
  void missingDirectory_isCreatedOwnerOnly() throws IOException {
    Path dir = PrivateDirectory.prepare(tmp.resolve("a/run"), "run directory");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
  }

  @Test
  void ownDirectoryNotWritableByOthers_isAccepted() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("run"));
    chmod(dir, "rwxr-xr-x");
    assertThat(PrivateDirectory.prepare(dir, "run directory")).isEqualTo(dir);
  }

  @Test
  void groupWritableDirectory_isRefusedWithTheFix() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("run"));
    chmod(dir, "rwxrwxr-x");
    assertThatThrownBy(() -> PrivateDirectory.prepare(dir, "run directory"))
        .hasMessage(
            "run directory "
                + dir
                + " can be written by group or others, who could replace pmux's files in it; run"
                + " chmod go-w "
                + dir);
  }

  @Test
  void worldWritableStickyDirectory_isRefusedToo() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("run"));
    chmod(dir, "rwxrwxrwx");
    assertThatThrownBy(() -> PrivateDirectory.check(dir, "logs directory"))
        .hasMessageStartingWith("logs directory " + dir + " can be written by group or others");
  }

  @Test
  void symbolicLink_isRefused() throws IOException {
    Path real = Files.createDirectory(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("run"), real);
    assertThatThrownBy(() -> PrivateDirectory.prepare(link, "run directory"))
        .hasMessageContaining("is not a directory (or is a symbolic link)");
  }

  @Test
  void directoryInsideOneOthersCanWrite_isRefused() throws IOException {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    chmod(shared, "rwxrwxr-x");
    Path dir = Files.createDirectory(shared.resolve("run"));
    chmod(dir, "rwx------");
    assertThatThrownBy(() -> PrivateDirectory.prepare(dir, "run directory"))
        .hasMessageContaining("lies in " + shared + ", which group or others can write");
  }

  @Test
  void directoryInsideAStickyOneLikeTmp_isAccepted() throws IOException {
    Path sticky = Files.createDirectory(tmp.resolve("sticky"));
    Files.setAttribute(sticky, "unix:mode", 01777);
    Path dir = Files.createDirectory(sticky.resolve("run"));
    chmod(dir, "rwx------");
    assertThat(PrivateDirectory.prepare(dir, "run directory")).isEqualTo(dir);
  }

  @Test
  void directoryOfAnotherUser_isRefused() throws IOException {
    assumeTrue(root(), "needs root to give a directory to another user");
    Path dir = Files.createDirectory(tmp.resolve("run"));
    chmod(dir, "rwx------");
    Files.setAttribute(dir, "unix:uid", NOBODY);
    assertThatThrownBy(() -> PrivateDirectory.prepare(dir, "run directory"))
        .hasMessageContaining("is owned by uid " + NOBODY + ", not by pmux's user (uid 0)")
        .hasMessageEndingWith("chown 0 " + dir);
  }

  @Test
  void directoryInsideOneAnotherUserOwns_isRefused() throws IOException {
    assumeTrue(root(), "needs root to give a directory to another user");
    Path theirs = Files.createDirectory(tmp.resolve("theirs"));
    Files.setAttribute(theirs, "unix:uid", NOBODY);
    Path dir = Files.createDirectory(theirs.resolve("run"));
    assertThatThrownBy(() -> PrivateDirectory.prepare(dir, "run directory"))
        .hasMessageContaining("lies in " + theirs + ", which uid " + NOBODY + " owns");
  }
}
