package dev.pmux.exec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory whose files only pmux's user can replace: owned by that user, not writable by group
 * or others, and reached through directories that only that user or root can change (sticky ones,
 * such as /tmp, allowed), as sshd's StrictModes checks a home directory. pmux keeps its pid file,
 * lock, journals, agent configs and logs in such directories only, so no other user can swap a file
 * between pmux writing it and pmux (or an agent) reading it.
 */
public final class PrivateDirectory {
  private static final int GROUP_OR_OTHERS_WRITE = 0022;
  private static final int STICKY = 01000;

  private PrivateDirectory() {}

  /**
   * Creates {@code dir} owner-only when it is missing (its parents as needed), then checks it; the
   * message of the exception names what is wrong and how to fix it. {@code what} names the
   * directory for the user ("run directory").
   */
  public static Path prepare(Path dir, String what) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(absolute.getParent());
      try {
        Files.createDirectory(
            absolute,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // Made meanwhile by another process: checked below like any existing one.
      }
    }
    check(absolute, what);
    return absolute;
  }

  /** Checks an existing {@code dir} as {@link #prepare} does, without creating anything. */
  public static void check(Path dir, String what) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          what + " " + absolute + " is not a directory (or is a symbolic link); give a real one");
    }
    // The directory of this process in /proc belongs to its effective user.
    int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    int owner = uid(absolute);
    if (owner != me) {
      throw new IOException(
          what
              + " "
              + absolute
              + " is owned by uid "
              + owner
              + ", not by pmux's user (uid "
              + me
              + "), who could replace pmux's files in it; use a directory of your own, or chown "
              + me
              + " "
              + absolute);
    }
    if ((mode(absolute) & GROUP_OR_OTHERS_WRITE) != 0) {
      throw new IOException(
          what
              + " "
              + absolute
              + " can be written by group or others, who could replace pmux's files in it; run"
              + " chmod go-w "
              + absolute);
    }
    for (Path parent = absolute.toRealPath().getParent();
        parent != null;
        parent = parent.getParent()) {
      int parentOwner = uid(parent);
      int parentMode = mode(parent);
      boolean foreign = parentOwner != me && parentOwner != 0;
      boolean shared = (parentMode & GROUP_OR_OTHERS_WRITE) != 0 && (parentMode & STICKY) == 0;
      if (foreign || shared) {
        throw new IOException(
            what
                + " "
                + absolute
                + " lies in "
                + parent
                + ", which "
                + (foreign ? "uid " + parentOwner + " owns" : "group or others can write")
                + ": they could move it aside and put their own in its place; use a directory"
                + " under one that only you or root can change");
      }
    }
  }

  private static int uid(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static int mode(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }
}
