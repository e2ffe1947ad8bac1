package dev.pmux.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The children of this JVM from {@code /proc/self/task/TID/children} (every thread's: a child
 * belongs to the thread that forked it; orphans adopted as a subreaper to the main thread), reaped
 * with {@code waitpid} through JNA.
 */
final class ProcChildTable implements ChildTable {
  private static final int WNOHANG = 1;
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  @Override
  public Set<Long> children() {
    Set<Long> children = new HashSet<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String list;
        try {
          list = Files.readString(task.resolve("children"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          continue; // The thread ended meanwhile.
        }
        Matcher pids = DIGITS.matcher(list);
        while (pids.find()) {
          children.add(Long.parseLong(pids.group()));
        }
      }
    } catch (IOException e) {
      // No /proc: nothing to reap that can be seen.
    }
    return children;
  }

  @Override
  public boolean zombie(long pid) {
    String[] fields = ProcTable.statFields(Path.of("/proc", Long.toString(pid)));
    return fields != null && fields[0].equals("Z");
  }

  @Override
  public boolean reap(long pid) {
    return ChildLibc.waitpid((int) pid, new int[1], WNOHANG) == pid;
  }

  /**
   * Makes this process a child subreaper ({@code PR_SET_CHILD_SUBREAPER}): orphans of its
   * descendants are reparented to it instead of to init. False where the kernel refuses.
   */
  static boolean becomeSubreaper() {
    try {
      return ChildLibc.prctl(36, 1, 0, 0, 0) == 0;
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      return false;
    }
  }
}
