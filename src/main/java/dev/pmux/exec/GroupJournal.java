package dev.pmux.exec;

import dev.pmux.log.Diagnostics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The process groups this pmux has started and not yet seen end, in {@code pmux-<pid>.groups} under
 * the run directory: an append-only journal ({@code + pgid} / {@code - pgid}) that the {@link
 * Guardian} reads when pmux dies, and that the next pmux reads if the guardian died too.
 */
public final class GroupJournal implements AutoCloseable {
  private static final String PREFIX = "pmux-";
  private static final String SUFFIX = ".groups";

  private final Path file;
  private final Set<Long> live = new LinkedHashSet<>();
  private @Nullable BufferedWriter writer;
  private int lines;

  private GroupJournal(Path file) throws IOException {
    this(file, StandardOpenOption.CREATE_NEW);
  }

  private GroupJournal(Path file, StandardOpenOption how) throws IOException {
    this.file = file;
    this.writer = open(file, how);
  }

  /**
   * This pmux's journal as the pmux before an upgrade (the same process) left it: its live groups
   * read back, new lines appended.
   */
  public static GroupJournal resume(Path runDir) throws IOException {
    Path file = runDir.resolve(PREFIX + ProcessHandle.current().pid() + SUFFIX);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return new GroupJournal(file);
    }
    GroupJournal journal = new GroupJournal(file, StandardOpenOption.APPEND);
    synchronized (journal) {
      journal.live.addAll(replay(file));
      journal.lines = journal.live.size();
    }
    return journal;
  }

  /** Creates this pmux's journal in {@code runDir} (made owner-only if pmux creates it). */
  public static GroupJournal create(Path runDir) throws IOException {
    return new GroupJournal(runDir.resolve(PREFIX + ProcessHandle.current().pid() + SUFFIX));
  }

  /** The run directory: created owner-only when missing; checked as {@link PrivateDirectory}. */
  public static Path prepareRunDir(Path dir) throws IOException {
    return PrivateDirectory.prepare(dir, "run directory");
  }

  private static BufferedWriter open(Path file, StandardOpenOption how) throws IOException {
    return Files.newBufferedWriter(
        file, StandardCharsets.US_ASCII, how, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  public Path file() {
    return file;
  }

  /**
   * Records a newly started group; flushed before returning, so a crash right after still finds it.
   */
  public synchronized void started(long pgid) {
    if (live.add(pgid)) {
      append("+ " + pgid);
    }
  }

  /** Records that group {@code pgid} has no process left. */
  public synchronized void ended(long pgid) {
    if (live.remove(pgid)) {
      append("- " + pgid);
    }
  }

  private void append(String line) {
    BufferedWriter out = writer;
    if (out == null) {
      return;
    }
    try {
      out.write(line);
      out.newLine();
      out.flush();
      if (++lines > 2 * live.size() + 1000) {
        compact(out);
      }
    } catch (IOException e) {
      Diagnostics.of(GroupJournal.class).warn("cannot write {}: {}", file, e.getMessage());
    }
  }

  /** Rewrites the journal with only the live groups, so a long crash loop cannot grow it. */
  private void compact(BufferedWriter current) throws IOException {
    current.close();
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter out = open(temp, StandardOpenOption.CREATE)) {
      for (long pgid : live) {
        out.write("+ " + pgid);
        out.newLine();
      }
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    writer = open(file, StandardOpenOption.APPEND);
    lines = live.size();
  }

  /**
   * SIGKILLs the recorded groups that still have a process of this pmux (carrying its {@code
   * PMUX_PID}); returns them.
   */
  public synchronized List<Long> killSurvivors(ProcessGroupKiller killer) {
    try {
      Set<Long> alive =
          ProcTable.groupsWithVariable(live, "PMUX_PID=" + ProcessHandle.current().pid());
      alive.forEach(pgid -> killer.signal(pgid, dev.pmux.config.Signal.KILL));
      return List.copyOf(alive);
    } catch (IOException e) {
      Diagnostics.of(GroupJournal.class)
          .warn("cannot check for surviving process groups: {}", e.getMessage());
      return List.of();
    }
  }

  /** Removes the journal: every group has been stopped (a graceful exit). */
  @Override
  public synchronized void close() {
    try {
      if (writer != null) {
        writer.close();
        writer = null;
      }
      Files.deleteIfExists(file);
    } catch (IOException e) {
      Diagnostics.of(GroupJournal.class).warn("cannot remove {}: {}", file, e.getMessage());
    }
  }

  /**
   * Kills what pmux instances that died without cleaning up left behind: for each journal in {@code
   * runDir} whose pmux is gone, every recorded group that still has a process carrying that pmux's
   * {@code PMUX_PID} (so a group id reused by an unrelated process is left alone). Returns the
   * groups killed.
   */
  public static List<Long> reapOrphans(Path runDir, ProcessGroupKiller killer) {
    List<Long> killed = new ArrayList<>();
    try (DirectoryStream<Path> journals = Files.newDirectoryStream(runDir, PREFIX + "*" + SUFFIX)) {
      for (Path journal : journals) {
        String name = journal.getFileName().toString();
        long owner;
        try {
          owner = Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
          continue;
        }
        if (owner == ProcessHandle.current().pid() || isLivePmux(owner)) {
          continue;
        }
        Set<Long> groups = replay(journal);
        for (long pgid : ProcTable.groupsWithVariable(groups, "PMUX_PID=" + owner)) {
          killer.signal(pgid, dev.pmux.config.Signal.KILL);
          killed.add(pgid);
        }
        Files.deleteIfExists(journal);
      }
    } catch (IOException e) {
      Diagnostics.of(GroupJournal.class)
          .warn("cannot look for orphans in {}: {}", runDir, e.getMessage());
    }
    return killed;
  }

  private static boolean isLivePmux(long pid) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .flatMap(h -> h.info().commandLine())
        .map(cmd -> cmd.contains("dev.pmux.Main"))
        .orElse(false);
  }

  static Set<Long> replay(Path journal) throws IOException {
    Set<Long> groups = new LinkedHashSet<>();
    for (String line : Files.readAllLines(journal, StandardCharsets.US_ASCII)) {
      String[] parts = line.trim().split(" ", -1);
      if (parts.length != 2) {
        continue;
      }
      try {
        long pgid = Long.parseLong(parts[1]);
        if (parts[0].equals("+")) {
          groups.add(pgid);
        } else if (parts[0].equals("-")) {
          groups.remove(pgid);
        }
      } catch (NumberFormatException e) {
        // A torn last line from a crash: skip it.
      }
    }
    return groups;
  }
}
