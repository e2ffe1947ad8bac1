package dev.pmux.exec;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reaps the children that nobody else waits for: orphans of programs, which the kernel gives pmux
 * as their subreaper (or as a container's PID 1), so that none stays a zombie. A child is reaped by
 * its pid once it has been a zombie in two scans in a row and no launcher knows it; the JDK reaps
 * its own children at once and pmux's launchers are asked ({@link KnownChildren}), so neither ever
 * loses an exit status to this reaper. Never {@code waitpid(-1)}.
 */
public final class OrphanReaper {
  static final Duration PERIOD = Duration.ofMillis(250);

  private final ChildTable table;
  private final KnownChildren known;
  private final Timeline timeline;
  private final AtomicLong reaped = new AtomicLong();
  // Touched only by scans, which the timeline runs one at a time.
  private Set<Long> zombiesBefore = Set.of();

  OrphanReaper(ChildTable table, KnownChildren known, Timeline timeline) {
    this.table = table;
    this.known = known;
    this.timeline = timeline;
  }

  /**
   * Makes pmux a child subreaper and starts reaping on {@code timeline}; returns whether the kernel
   * made pmux a subreaper (without it, orphans go to init as before, and only a PID 1 pmux adopts
   * any).
   */
  public static boolean start(KnownChildren known, Timeline timeline) {
    boolean subreaper = ProcChildTable.becomeSubreaper();
    new OrphanReaper(new ProcChildTable(), known, timeline).scanAndReschedule();
    return subreaper;
  }

  /** How many orphans this reaper has reaped. */
  public long reaped() {
    return reaped.get();
  }

  private void scanAndReschedule() {
    try {
      scan();
    } finally {
      var unused = timeline.schedule(PERIOD, this::scanAndReschedule);
    }
  }

  /** One scan: reaps what was already a zombie nobody knows at the last scan. */
  void scan() {
    if (known.launching()) {
      // A child may exist whose pid its launcher does not know yet: decide at a later scan.
      zombiesBefore = Set.of();
      return;
    }
    Set<Long> zombies = new HashSet<>();
    for (long pid : table.children()) {
      if (known.owns(pid) || !table.zombie(pid)) {
        continue;
      }
      if (zombiesBefore.contains(pid)) {
        if (table.reap(pid)) {
          reaped.incrementAndGet();
        }
      } else {
        zombies.add(pid);
      }
    }
    zombiesBefore = zombies;
  }
}
