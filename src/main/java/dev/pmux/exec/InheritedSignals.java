package dev.pmux.exec;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The signals pmux inherited as ignored ({@code &} in a script ignores SIGINT, {@code nohup}
 * SIGHUP). The JVM silently refuses to handle a signal that is ignored when it starts, so pmux
 * gives such signals their default disposition back before it installs its handlers, as the Go
 * tool's signal handling does.
 */
public final class InheritedSignals {
  /** The signals whose inherited disposition matters to pmux, with their numbers. */
  public enum Name {
    HUP(1),
    INT(2),
    QUIT(3),
    TERM(15);

    private final int number;

    Name(int number) {
      this.number = number;
    }

    /** The signal's number on Linux. */
    public int number() {
      return number;
    }
  }

  /** The part of libc used here: {@code signal(2)}, where a null handler is SIG_DFL. */
  interface CLibrary extends Library {
    Pointer signal(int sig, @Nullable Pointer handler);
  }

  private InheritedSignals() {}

  /** The signals among {@link Name} that this process ignores (SigIgn in /proc/self/status). */
  public static Set<Name> ignored() {
    Set<Name> names = EnumSet.noneOf(Name.class);
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          for (Name name : Name.values()) {
            if ((mask & (1L << (name.number - 1))) != 0) {
              names.add(name);
            }
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Unknown: assume the defaults are in place.
    }
    return names;
  }

  /**
   * Gives {@code names} their default disposition back, where they are ignored; returns those it
   * could not restore. Loads libc only when there is something to restore.
   */
  public static Set<Name> restoreDefaults(Set<Name> names) {
    Set<Name> todo = EnumSet.noneOf(Name.class);
    todo.addAll(ignored());
    todo.retainAll(names);
    if (todo.isEmpty()) {
      return todo;
    }
    try {
      CLibrary libc = Native.load("c", CLibrary.class);
      Pointer failed = Pointer.createConstant(-1);
      todo.removeIf(name -> !failed.equals(libc.signal(name.number, null)));
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // Left ignored; the caller says so.
    }
    return todo;
  }
}
