package dev.pmux.supervisor;

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

  synchronized List<ExitRecord> list() {
    return List.copyOf(exits);
  }
}
