package dev.pmux.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last {@link #SIZE} exits of one program, newest last. */
final class ExitHistory {
  static final int SIZE = 20;

  private final Deque<ExitRecord> exits = new ArrayDeque<>(SIZE);

  synchronized void add(ExitRecord exit) {
    if (exits.size() == SIZE) {
      exits.removeFirst();
    }
    exits.addLast(exit);
  }

  /** Records an end of program {@code name}'s run, here and as a Flight Recorder event. */
  void record(
      String name,
      long pgid,
      int code,
      String signal,
      Duration took,
      long atMillis,
      boolean restarted,
      boolean stopped) {
    add(new ExitRecord(atMillis, code, signal, took.toMillis(), restarted));
    SupervisionEvents.exited(name, pgid, code, signal, took.toMillis(), stopped);
  }

  synchronized List<ExitRecord> list() {
    return List.copyOf(exits);
  }
}
