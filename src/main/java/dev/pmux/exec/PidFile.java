package dev.pmux.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * pmux's pid file, written once pmux is up (so that a service script can wait for it) and removed
 * at a graceful exit. Written to a fresh temporary file and moved into place: a reader never sees
 * half a pid, and a symlink planted at the path is replaced, not followed.
 */
public final class PidFile {
  private final Path path;
  private final String pid = Long.toString(ProcessHandle.current().pid());

  public PidFile(Path path) {
    this.path = path.toAbsolutePath();
  }

  /** Writes this JVM's pid; false when it cannot. */
  public boolean write() {
    try {
      Path dir = path.getParent();
      Files.createDirectories(dir);
      Path temp =
          Files.createTempFile(
              dir,
              ".pmux-pid",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
      Files.writeString(temp, pid + "\n", StandardCharsets.US_ASCII);
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the file if it is still ours. */
  public void delete() {
    try {
      if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
          && Files.readString(path).trim().equals(pid)) {
        Files.delete(path);
      }
    } catch (IOException e) {
      // Left behind: the service script treats a pid file whose process is gone as stale.
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
