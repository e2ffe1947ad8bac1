package dev.pmux.exec;

import com.sun.jna.Native;
import dev.pmux.log.Diagnostics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The file that is pmux's stdout and stderr ({@code logs/pmux.out} of {@code bin/pmux start}), kept
 * to a bounded size: once it holds {@code maxBytes}, it becomes {@code pmux.out.1} (the older ones
 * move up to {@code .keep}, the oldest beyond is removed) and a fresh file takes the place of
 * descriptors 1 and 2, so that whatever the JVM writes there follows (pmux's lines, the JVM's own
 * warnings, a thread dump). Size is counted on pmux's own writes, so a rotation comes within one
 * batch of lines of the bound.
 */
public final class RotatingOutputFile {
  /** The file to rotate, set by bin/pmux start; none: pmux writes to its descriptors as given. */
  public static final String PROPERTY = "pmux.out";

  private static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  private static final int DEFAULT_KEEP = 5;
  private static final int O_WRONLY = 1;
  private static final int O_CREAT = 0100;
  private static final int O_APPEND = 02000;
  private static final int O_CLOEXEC = 02000000;

  private final Path path;
  private final long maxBytes;
  private final int keep;
  private final AtomicLong size = new AtomicLong();
  private volatile boolean failed;

  RotatingOutputFile(Path path, long maxBytes, int keep) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.keep = keep;
    size.set(sizeOnDisk());
  }

  /**
   * The rotation {@code -Dpmux.out=FILE} asks for ({@code -Dpmux.out.maxBytes}, 10 MiB by default;
   * {@code -Dpmux.out.keep} older files, 5 by default); null when none is asked for.
   */
  public static @Nullable RotatingOutputFile fromProperties() {
    String file = System.getProperty(PROPERTY);
    if (file == null || file.isEmpty()) {
      return null;
    }
    long maxBytes = Math.max(1024, Long.getLong(PROPERTY + ".maxBytes", DEFAULT_MAX_BYTES));
    int keep = Math.max(1, Integer.getInteger(PROPERTY + ".keep", DEFAULT_KEEP));
    return new RotatingOutputFile(Path.of(file).toAbsolutePath(), maxBytes, keep);
  }

  /** {@code out} (a stream on descriptor 1 or 2), counting what it writes towards the bound. */
  public OutputStream counting(OutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        written(1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written(len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }
    };
  }

  private void written(long bytes) {
    if (size.addAndGet(bytes) >= maxBytes && !failed) {
      rotate();
    }
  }

  private synchronized void rotate() {
    // Another writer may have rotated meanwhile; the JVM's own writes count too.
    long now = sizeOnDisk();
    if (now < maxBytes || failed) {
      size.set(now);
      return;
    }
    try {
      Files.deleteIfExists(numbered(keep));
      for (int i = keep - 1; i >= 1; i--) {
        if (Files.exists(numbered(i))) {
          Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
      // Until the swap below, writes still go to the file just renamed: nothing is lost.
      int fd = Libc.open(path.toString(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
      if (fd < 0) {
        throw new IOException("cannot open " + path + ": errno " + Native.getLastError());
      }
      try {
        if (Libc.dup2(fd, 1) < 0 || Libc.dup2(fd, 2) < 0) {
          throw new IOException("cannot make " + path + " stdout and stderr");
        }
      } finally {
        Libc.close(fd);
      }
      size.set(0);
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      failed = true;
      Diagnostics.of(RotatingOutputFile.class)
          .warn("cannot rotate {} ({}); it grows from now on", path, e.toString());
    }
  }

  private Path numbered(int n) {
    return path.resolveSibling(path.getFileName() + "." + n);
  }

  private long sizeOnDisk() {
    try {
      return Files.size(path);
    } catch (IOException e) {
      // Missing (removed by someone): what comes now starts it again.
      return 0;
    }
  }

  /** The calls of libc that replace descriptors 1 and 2. */
  private static final class Libc {
    static native int open(String path, int flags, int mode);

    static native int dup2(int oldfd, int newfd);

    static native int close(int fd);

    static {
      Native.register(Libc.class, "c");
    }

    private Libc() {}
  }
}
