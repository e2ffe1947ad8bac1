package dev.pmux.exec;

import dev.pmux.config.Signal;
import java.util.concurrent.CompletableFuture;

/**
 * Signals whole process groups; the seam that state-machine tests replace with a recording fake.
 */
public interface ProcessGroupKiller {
  /**
   * Signals every process of group {@code pgid}. Returns false when the group no longer exists,
   * which is not an error: it has already ended.
   */
  boolean signal(long pgid, Signal signal);

  /**
   * Whether group {@code pgid} still has a live process; zombies waiting for a slow init to reap
   * them do not count.
   */
  boolean groupAlive(long pgid);

  /**
   * Whether group {@code pgid} has any process, zombies included: what {@code kill(-pgid, 0)}
   * tells, without a look at {@code /proc}. False means the group is empty; true needs a reading of
   * the process list to tell a live member from a zombie (see {@link ProgramTree#membersSince}).
   */
  default boolean groupExists(long pgid) {
    return groupAlive(pgid);
  }

  /**
   * {@link #groupAlive} answered when a look is done: at once for a group; after a reading of the
   * process list shared with other stops where the answer needs one (a stop's whole tree).
   */
  default CompletableFuture<Boolean> checkAlive(long pgid) {
    return CompletableFuture.completedFuture(groupAlive(pgid));
  }
}
