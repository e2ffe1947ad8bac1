package dev.pmux.supervisor;

import dev.pmux.exec.HandedChild;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One program as the pmux before an upgrade hands it to the next: its state and counters, its tuned
 * settings, its running child (if any) with the start of an unfinished line on each stream, its
 * recent exits, and how long until a restart in BACKOFF is due.
 */
// The unfinished lines are raw bytes, written once and read once; no record equality is used.
@SuppressWarnings("ArrayRecordComponent")
public record HandedProgram(
    ProcessSnapshot snapshot,
    RestartPolicy policy,
    @Nullable HandedChild child,
    long startedNanos,
    byte[] stdoutUnfinished,
    byte[] stderrUnfinished,
    List<ExitRecord> exits,
    long restartInNanos,
    long backoffNanos) {

  public String name() {
    return snapshot.name();
  }
}
