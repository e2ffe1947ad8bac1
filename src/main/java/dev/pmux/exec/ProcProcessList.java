package dev.pmux.exec;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The process list read from {@code /proc}; signals through libc's {@code kill(2)}. */
final class ProcProcessList implements ProcessList {
  // Fields of /proc/PID/stat after "(comm)": state is the 1st, ppid the 2nd, pgrp the 3rd,
  // starttime the 20th.
  private static final int START_TIME = 19;

  /** The part of libc used here, bound directly. */
  static final class Libc {
    static native int kill(int pid, int sig);

    static {
      Native.register("c");
    }
  }

  @Override
  public @Nullable List<ProcessEntry> live() {
    List<ProcessEntry> live = new ArrayList<>();
    try (DirectoryStream<Path> procs =
        Files.newDirectoryStream(Path.of("/proc"), ProcTable::isPid)) {
      for (Path proc : procs) {
        ProcessEntry entry = read(proc);
        if (entry != null) {
          live.add(entry);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      return null; // No /proc, or not readable: nothing can be told.
    }
    return live;
  }

  @Override
  public @Nullable String variable(ProcessEntry process, String name) {
    byte[] env;
    try {
      env = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
    } catch (IOException e) {
      return null; // Gone, or not ours to read.
    }
    return ProcTable.value(env, (name + "=").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean signal(ProcessEntry process, int number) {
    ProcessEntry now = read(Path.of("/proc", Long.toString(process.pid())));
    if (now == null || now.startTicks() != process.startTicks() || process.pid() <= 1) {
      return false;
    }
    return Libc.kill((int) process.pid(), number) == 0;
  }

  private static @Nullable ProcessEntry read(Path proc) {
    String[] fields = ProcTable.statFields(proc);
    if (fields == null || fields.length <= START_TIME || fields[0].equals("Z")) {
      return null;
    }
    try {
      return new ProcessEntry(
          Long.parseLong(proc.getFileName().toString()),
          Long.parseLong(fields[1]),
          Long.parseLong(fields[2]),
          Long.parseLong(fields[START_TIME]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
