package dev.pmux.exec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * pmux's run directory, private to its user, held by one pmux at a time: a lock on {@code
 * pmux.lock} there, taken before anything starts and held for the JVM's whole life, so that any
 * number of pmux started at the same moment with one run directory leave exactly one running. The
 * kernel drops the lock when the JVM ends, however it ends; children never hold it (record locks
 * are not inherited).
 */
public final class RunDirectory {
  static final String LOCK_FILE = "pmux.lock";
  private static final long HOLDER_WAIT_NANOS = 500_000_000;
  // A channel that becomes unreachable is closed by its cleaner, and the lock with it.
  private static final List<RunDirectory> HELD = new CopyOnWriteArrayList<>();

  private final Path path;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private RunDirectory(Path path, FileChannel lockChannel, FileLock lock) {
    this.path = path;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Where pmux keeps its state: $PMUX_RUN_DIR, else $PMUX_HOME/run, else a temp dir of its user.
   */
  public static Path locate(Map<String, String> env) {
    String explicit = env.get("PMUX_RUN_DIR");
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit).toAbsolutePath();
    }
    String home = env.get("PMUX_HOME");
    if (home != null && !home.isEmpty()) {
      return Path.of(home, "run").toAbsolutePath();
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "pmux-" + System.getProperty("user.name"));
  }

  /**
   * Makes {@code dir} (owner-only) if missing, checks that no other user can replace files in it
   * and takes its lock; the exception's message says what to do when it is not private or another
   * pmux holds it.
   */
  public static synchronized RunDirectory claim(Path dir) throws IOException {
    Path path = PrivateDirectory.prepare(dir, "run directory");
    Path lockFile = path.resolve(LOCK_FILE);
    if (HELD.stream().anyMatch(held -> held.path.equals(path))) {
      // Held by this JVM: opening and closing the file again would drop the lock (POSIX).
      throw alreadyRunning(Long.toString(ProcessHandle.current().pid()), path);
    }
    FileChannel channel =
        FileChannel.open(
            lockFile,
            Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw alreadyRunning(holder, path);
    }
    // Who holds it, for the message of the next one that tries.
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
        0);
    RunDirectory claimed = new RunDirectory(path, channel, lock);
    HELD.add(claimed);
    return claimed;
  }

  private static IOException alreadyRunning(String holder, Path path) {
    return new IOException(
        "already running"
            + (holder.isEmpty() ? "" : " (pid " + holder + ")")
            + " with run directory "
            + path
            + "; stop it first, or give this one a run directory of its own (PMUX_RUN_DIR)");
  }

  /**
   * The holder's pid from the lock file; a holder that took the lock a moment ago may not have
   * written it yet, so this looks again for up to half a second.
   */
  private static String holder(FileChannel channel) throws IOException {
    long deadline = System.nanoTime() + HOLDER_WAIT_NANOS;
    for (; ; ) {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
      if (text.endsWith("\n") || System.nanoTime() > deadline) {
        return text.replaceAll("[^0-9]", "");
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  public Path path() {
    return path;
  }

  /** Whether this pmux still holds the directory (true until the JVM ends). */
  public boolean held() {
    return lock.isValid() && lockChannel.isOpen();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
