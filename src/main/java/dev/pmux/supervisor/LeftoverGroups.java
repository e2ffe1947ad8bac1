package dev.pmux.supervisor;

import dev.pmux.config.Signal;
import dev.pmux.exec.ProcessGroupKiller;
import dev.pmux.exec.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a program's main processes left behind when they ended on their own (they forked and
 * exited): each such group gets the stop signal, and SIGKILL once sigKillWait has passed, so that
 * nothing piles up across restarts; a later stop of the program waits for them, keeping the grace
 * announced for them.
 */
final class LeftoverGroups implements GroupStop.Owner {
  private final Timeline timeline;
  private final Consumer<String> say;
  private final Set<GroupStop> stops = new HashSet<>(); // guarded by this
  private volatile List<Long> groups = List.of();

  /** {@code say} prints a line of the program's, in order with its other events (no lock held). */
  LeftoverGroups(Timeline timeline, Consumer<String> say) {
    this.timeline = timeline;
    this.say = say;
  }

  /**
   * Takes group {@code pgid} on, signalled through {@code killer} (the group, or its tree); returns
   * the signalling to do (after the program's lock), which the program announces first.
   */
  Runnable leave(long pgid, Signal signal, Duration sigKillWait, ProcessGroupKiller killer) {
    GroupStop left = new GroupStop(pgid, signal, sigKillWait, killer, timeline, this);
    synchronized (this) {
      stops.add(left);
      publish();
    }
    return () -> {
      left.begin();
      left.watch();
    };
  }

  /** {@code stopped}, completed only once every group left so far is over too. */
  synchronized CompletableFuture<Void> after(CompletableFuture<Void> stopped) {
    CompletableFuture<Void> all = stopped;
    for (GroupStop left : stops) {
      all = all.thenCombine(left.finished(), (a, b) -> null);
    }
    return all;
  }

  /** The process group ids, readable at any time (for a forced kill). */
  List<Long> groupIds() {
    return groups;
  }

  @Override
  public void killDue(GroupStop stop) {
    synchronized (this) {
      if (!stops.contains(stop)) {
        return;
      }
    }
    say.accept("sending " + Signal.KILL.goName() + " signal to the rest of its process group");
    stop.kill();
  }

  @Override
  public synchronized void emptied(GroupStop stop) {
    stops.remove(stop);
    publish();
  }

  private void publish() {
    List<Long> ids = new ArrayList<>();
    stops.forEach(g -> ids.add(g.pgid()));
    groups = List.copyOf(ids);
  }
}
