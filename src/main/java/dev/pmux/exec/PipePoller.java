package dev.pmux.exec;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.pmux.log.Diagnostics;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Reads any number of children's pipes with one thread: an {@code epoll(7)} loop through JNA over
 * the pipes' file descriptors, handing each read to the pipe's {@link Sink}. It takes a pipe over
 * from the JDK's {@link Process} stream (its descriptor is duplicated and the JDK's copy closed, so
 * the JDK's reaper never drains or closes it under the loop). Needs {@code --add-opens
 * java.base/java.io=ALL-UNNAMED} to see the descriptor; without it there is no poller. The loop's
 * thread ends when its last pipe has ended and starts again with the next one: a thread waiting in
 * native code would hold up the JVM's exit by 300 ms (HotSpot waits for such threads).
 */
public final class PipePoller {
  private static final int EPOLL_CLOEXEC = 0x80000;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLL_CTL_DEL = 2;
  private static final int EPOLLIN = 0x001;
  private static final int F_DUPFD_CLOEXEC = 1030;
  private static final int F_GETFL = 3;
  private static final int F_SETFL = 4;
  private static final int O_NONBLOCK = 0x800;
  private static final int EINTR = 4;
  private static final int EAGAIN = 11;
  // struct epoll_event is packed on x86-64 (12 bytes), naturally aligned elsewhere (16).
  private static final int EVENT_SIZE = Platform.isIntel() && Platform.is64Bit() ? 12 : 16;
  private static final int DATA_OFFSET = Platform.isIntel() && Platform.is64Bit() ? 4 : 8;
  private static final int MAX_EVENTS = 64;
  private static final int READ_SIZE = 64 * 1024;

  private static boolean bound; // guarded by PipePoller.class
  private static final @Nullable Field FILTERED = accessible(FilterInputStream.class, "in");
  private static final @Nullable Field DESCRIPTOR = accessible(FileDescriptor.class, "fd");

  /** Receives one pipe's bytes, on the loop's thread; must not keep {@code bytes}. */
  public interface Sink {
    void data(byte[] bytes, int offset, int length);

    /** The pipe reached its end (every writer closed it) or could not be read any more. */
    void end();
  }

  /** The part of libc used here, bound directly (a call costs far less than through a proxy). */
  static final class Libc {
    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epfd, int op, int fd, @Nullable Pointer event);

    static native int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);

    static native long read(int fd, Pointer buf, long count);

    static native int close(int fd);

    static native int fcntl(int fd, int cmd, int arg);

    private Libc() {}
  }

  private final String name;
  private final int epfd;
  private final AtomicBoolean looping = new AtomicBoolean();
  private final Map<Integer, Sink> sinks = new ConcurrentHashMap<>();
  // Held while pipes are read, and by an upgrade from its pause to its exec or its resume.
  private final ReentrantLock reading = new ReentrantLock();
  private final Memory events = new Memory((long) EVENT_SIZE * MAX_EVENTS);
  private final Memory nativeBuffer = new Memory(READ_SIZE);
  private final byte[] buffer = new byte[READ_SIZE];

  private PipePoller(String name, int epfd) {
    this.name = name;
    this.epfd = epfd;
  }

  /**
   * A poller whose loop runs on a daemon thread called {@code name} while it has pipes; null when
   * this JVM cannot do it (no JNA, no epoll, java.io not opened to pmux), in which case callers
   * read with threads.
   */
  public static @Nullable PipePoller create(String name) {
    if (FILTERED == null || DESCRIPTOR == null || !Platform.isLinux() || Native.LONG_SIZE != 8) {
      return null;
    }
    try {
      bind();
      int epfd = Libc.epoll_create1(EPOLL_CLOEXEC);
      if (epfd < 0) {
        return null;
      }
      return new PipePoller(name, epfd);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return null;
    }
  }

  /**
   * Takes {@code stream} (a child's stdout or stderr from {@link Process}) over: from now on its
   * bytes go to {@code sink}, on the loop's thread, and the stream itself is closed. Returns false,
   * leaving the stream as it was, when it is not a pipe this poller can take (the JDK already
   * drained a dead child's pipe into memory, say): then read it as a stream.
   */
  public boolean adopt(InputStream stream, Sink sink) {
    int fd;
    // The JDK's reaper drains and closes the pipe when the child exits, holding this monitor.
    synchronized (stream) {
      int jdkFd = descriptor(stream);
      if (jdkFd < 0) {
        return false;
      }
      fd = Libc.fcntl(jdkFd, F_DUPFD_CLOEXEC, 3);
      if (fd < 0) {
        return false;
      }
      try {
        stream.close();
      } catch (IOException e) {
        Libc.close(fd);
        return false;
      }
    }
    int flags = Libc.fcntl(fd, F_GETFL, 0);
    Libc.fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    sinks.put(fd, sink);
    Memory event = new Memory(EVENT_SIZE);
    event.clear();
    event.setInt(0, EPOLLIN);
    event.setInt(DATA_OFFSET, fd);
    if (Libc.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, event) != 0) {
      sinks.remove(fd);
      Libc.close(fd);
      sink.end();
      return true;
    }
    if (looping.compareAndSet(false, true)) {
      DaemonThreads.named(name).newThread(this::loop).start();
    }
    return true;
  }

  static synchronized void bind() {
    if (!bound) {
      Native.register(Libc.class, "c");
      bound = true;
    }
  }

  /**
   * A stream over descriptor {@code fd}, which it owns from now on (closing it closes {@code fd});
   * null when java.io is not opened to pmux.
   */
  static @Nullable FileInputStream stream(int fd) {
    Field descriptor = DESCRIPTOR;
    if (descriptor == null) {
      return null;
    }
    FileDescriptor fdObject = new FileDescriptor();
    try {
      descriptor.setInt(fdObject, fd);
    } catch (IllegalAccessException e) {
      return null;
    }
    return new FileInputStream(fdObject);
  }

  /**
   * Stops reading until {@link #resume()} (on the same thread): bytes written meanwhile wait in the
   * pipes. Returns the pipes read now, descriptor to sink.
   */
  public Map<Integer, Sink> pause() {
    reading.lock();
    return Map.copyOf(sinks);
  }

  /** Reads again after {@link #pause()}. */
  public void resume() {
    reading.unlock();
  }

  /** How many pipes the loop reads now. */
  public int pipes() {
    return sinks.size();
  }

  private static int descriptor(InputStream stream) {
    Field filtered = FILTERED;
    Field descriptor = DESCRIPTOR;
    if (filtered == null || descriptor == null) {
      return -1;
    }
    try {
      Object in = stream instanceof FilterInputStream ? filtered.get(stream) : stream;
      if (!(in instanceof FileInputStream file)) {
        return -1;
      }
      FileDescriptor fd = file.getFD();
      return fd.valid() ? descriptor.getInt(fd) : -1;
    } catch (IOException | IllegalAccessException e) {
      return -1;
    }
  }

  private void loop() {
    for (; ; ) {
      int n = Libc.epoll_wait(epfd, events, MAX_EVENTS, -1);
      if (n < 0) {
        if (Native.getLastError() != EINTR) {
          Diagnostics.of(PipePoller.class)
              .error("epoll_wait failed with errno {}", Native.getLastError());
          looping.set(false);
          return;
        }
        continue;
      }

      reading.lock();
      try {
        for (int i = 0; i < n; i++) {
          readOnce(events.getInt((long) i * EVENT_SIZE + DATA_OFFSET));
        }
      } finally {
        reading.unlock();
      }
      if (sinks.isEmpty()) {
        looping.set(false);
        // A pipe adopted meanwhile saw the loop still running: take it back up.
        if (sinks.isEmpty() || !looping.compareAndSet(false, true)) {
          return;
        }
      }
    }
  }

  /** One read per readiness, so that a flood on one pipe never starves the others. */
  private void readOnce(int fd) {
    Sink sink = sinks.get(fd);
    if (sink == null) {
      return;
    }
    long got = Libc.read(fd, nativeBuffer, READ_SIZE);
    if (got < 0) {
      int errno = Native.getLastError();
      if (errno == EAGAIN || errno == EINTR) {
        return;
      }
    }
    if (got > 0) {
      nativeBuffer.read(0, buffer, 0, (int) got);
      try {
        sink.data(buffer, 0, (int) got);
        return;
      } catch (RuntimeException e) {
        Diagnostics.of(PipePoller.class).error("reading a pipe failed", e);
      }
    }
    Libc.epoll_ctl(epfd, EPOLL_CTL_DEL, fd, null);
    sinks.remove(fd);
    Libc.close(fd);
    try {
      sink.end();
    } catch (RuntimeException e) {
      Diagnostics.of(PipePoller.class).error("ending a pipe failed", e);
    }
  }

  /** A private field of the JDK made accessible; null when java.io is not opened to pmux. */
  static @Nullable Field accessible(Class<?> owner, String name) {
    try {
      Field field = owner.getDeclaredField(name);
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      // InaccessibleObjectException: java.io is not opened to pmux.
      return null;
    }
  }
}
