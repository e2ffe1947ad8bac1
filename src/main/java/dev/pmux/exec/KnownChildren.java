package dev.pmux.exec;

import dev.pmux.config.ProcessSpec;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Launcher} that remembers every child it starts until that child's exit has been
 * collected by whoever launched it, so that the {@link OrphanReaper} reaps only what nobody else
 * waits for: a child reaped by the wrong waiter loses its exit status.
 */
public final class KnownChildren implements Launcher {
  private final Launcher launcher;
  private final Set<Long> live = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();

  public KnownChildren(Launcher launcher) {
    this(launcher, List.of());
  }

  /**
   * With {@code handed}: children of the pmux before an upgrade, about to be taken over, that the
   * reaper must leave to their exit loop even if one of them ends before that.
   */
  public KnownChildren(Launcher launcher, Collection<Long> handed) {
    this.launcher = launcher;
    live.addAll(handed);
  }

  @Override
  public Child launch(ProcessSpec spec) throws LaunchException {
    // Between fork and the pid being known here the child is nobody's: the reaper waits meanwhile.
    inFlight.incrementAndGet();
    try {
      return known(launcher.launch(spec));
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public boolean handsOver() {
    return launcher.handsOver();
  }

  @Override
  public Child adopt(HandedChild handed) throws LaunchException {
    return known(launcher.adopt(handed));
  }

  private Child known(Child child) {
    long pid = child.pid();
    live.add(pid);
    var unused = child.exit().whenComplete((status, error) -> live.remove(pid));
    return child;
  }

  /** Whether {@code pid} is a child whose exit a launcher collects. */
  boolean owns(long pid) {
    return live.contains(pid);
  }

  /** Whether a launch is under way, whose child may exist before its pid is known here. */
  boolean launching() {
    return inFlight.get() > 0;
  }
}
