package dev.pmux.exec;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the process table from {@code /proc}. */
final class ProcTable {
  private ProcTable() {}

  /**
   * Those of {@code groups} that have at least one live process whose environment holds {@code
   * variable} (e.g. {@code PMUX_PID=123}) exactly.
   */
  static Set<Long> groupsWithVariable(Set<Long> groups, String variable) throws IOException {
    Set<Long> found = new LinkedHashSet<>();
    if (groups.isEmpty()) {
      return found;
    }
    byte[] needle = variable.getBytes(StandardCharsets.UTF_8);
    try (DirectoryStream<Path> procs =
        Files.newDirectoryStream(Path.of("/proc"), ProcTable::isPid)) {
      for (Path proc : procs) {
        long pgid = processGroup(proc);
        if (pgid > 0
            && groups.contains(pgid)
            && !found.contains(pgid)
            && hasVariable(proc, needle)) {
          found.add(pgid);
        }
      }
    }
    return found;
  }

  /** Whether any live (not zombie) process belongs to group {@code pgid}. */
  static boolean hasLiveMember(long pgid) {
    // The leader is the usual member: look at it first, the whole table only if it is gone.
    if (processGroup(Path.of("/proc", Long.toString(pgid))) == pgid) {
      return true;
    }
    try (DirectoryStream<Path> procs =
        Files.newDirectoryStream(Path.of("/proc"), ProcTable::isPid)) {
      for (Path proc : procs) {
        if (processGroup(proc) == pgid) {
          return true;
        }
      }
    } catch (IOException e) {
      // Cannot tell: kill(2) said the group exists, so take it as alive.
      return true;
    }
    return false;
  }

  /** Whether the process at {@code proc} ignores signal {@code number} (SigIgn in its status). */
  static boolean ignores(Path proc, int number) {
    try {
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("SigIgn:")) {
          long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          return (mask & (1L << (number - 1))) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Gone, or unreadable: nothing to wait for.
    }
    return false;
  }

  static boolean isPid(Path p) {
    String name = p.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The process group of the process at {@code proc}; -1 when it is gone or a zombie. */
  static long processGroup(Path proc) {
    String[] fields = statFields(proc);
    try {
      return fields == null || fields[0].equals("Z") ? -1 : Long.parseLong(fields[2]);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * The fields of {@code /proc/<pid>/stat} after the command name (which may hold spaces): state,
   * ppid, pgrp, session, ...; null when the process is gone.
   */
  static String @Nullable [] statFields(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      int close = stat.lastIndexOf(')');
      return close < 0 ? null : stat.substring(close + 2).split(" ");
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean hasVariable(Path proc, byte[] needle) {
    byte[] env;
    try {
      env = Files.readAllBytes(proc.resolve("environ"));
    } catch (IOException e) {
      return false;
    }
    return holds(env, needle);
  }

  /** Whether the NUL-separated environment {@code env} holds the entry {@code needle} exactly. */
  static boolean holds(byte[] env, byte[] needle) {
    int start = 0;
    for (int i = 0; i <= env.length; i++) {
      if (i == env.length || env[i] == 0) {
        if (i - start == needle.length && Arrays.equals(env, start, i, needle, 0, needle.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  /**
   * The value of the entry of the NUL-separated environment {@code env} that starts with {@code
   * prefix} ({@code NAME=}), decoded as UTF-8; null when there is none.
   */
  static @Nullable String value(byte[] env, byte[] prefix) {
    int start = 0;
    for (int i = 0; i <= env.length; i++) {
      if (i == env.length || env[i] == 0) {
        if (i - start >= prefix.length
            && Arrays.equals(env, start, start + prefix.length, prefix, 0, prefix.length)) {
          return new String(env, start + prefix.length, i - start - prefix.length, UTF_8);
        }
        start = i + 1;
      }
    }
    return null;
  }
}
