package dev.pmux.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code processes[].dependsOn} entry by entry, then checks them across entries once all
 * names are known: every name is a process, and no process waits on itself, directly or through a
 * cycle.
 */
final class Dependencies {
  private final Problems problems;
  // By entry index: the path of its dependsOn and its names, null where an element was reported
  // already.
  private final Map<Integer, String> paths = new HashMap<>();
  private final Map<Integer, List<String>> namesByEntry = new HashMap<>();

  Dependencies(Problems problems) {
    this.problems = problems;
  }

  /**
   * The names of one entry, with the problems that need no other entry (types, duplicates, itself)
   * reported; null when it has any.
   *
   * @param name the entry's own name, or null when it has none that is valid
   */
  @Nullable List<String> read(RawMapping m, @Nullable String name, int index) {
    String path = m.path("dependsOn");
    List<String> given = m.strings("dependsOn", "a list of process names");
    if (given == null) {
      return null;
    }
    int before = problems.count();
    List<String> names = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      String dependency = given.get(i);
      names.add(
          dependency != null
                  && problem(path + "[" + i + "]", dependency, given.indexOf(dependency), i, name)
              ? null
              : dependency);
    }
    paths.put(index, path);
    namesByEntry.put(index, names);
    return problems.count() > before || names.contains(null) ? null : names;
  }

  /**
   * Reports what is wrong with one element, knowing only its own entry; whether there was anything.
   */
  private boolean problem(
      String path, String dependency, int firstIndex, int index, @Nullable String name) {
    if (dependency.isEmpty()) {
      problems.add(path, "must be a process name, was empty");
    } else if (name != null && dependency.equals(name)) {
      problems.add(path, Problems.quote(name) + " cannot depend on itself");
    } else if (firstIndex < index) {
      problems.add(
          path, Problems.quote(dependency) + " is already listed at dependsOn[" + firstIndex + "]");
    } else {
      return false;
    }
    return true;
  }

  /**
   * Reports names that are no process's and every dependency cycle found.
   *
   * @param indexByName the entries with a valid, unique name
   * @param givenNames every name written, valid or not, so that a bad name is not reported again
   *     where it is used
   */
  void check(Map<String, Integer> indexByName, Set<String> givenNames) {
    List<String> known =
        indexByName.entrySet().stream()
            .sorted(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .toList();
    Map<Integer, List<Integer>> edges = new HashMap<>();
    namesByEntry.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            entry -> {
              int index = entry.getKey();
              List<String> names = entry.getValue();
              List<Integer> targets = new ArrayList<>();
              for (int i = 0; i < names.size(); i++) {
                String dependency = names.get(i);
                if (dependency == null) {
                  continue;
                }
                Integer target = indexByName.get(dependency);
                if (target != null) {
                  targets.add(target);
                } else if (!givenNames.contains(dependency)) {
                  String hint = KeyHint.closest(dependency, known);
                  problems.add(
                      paths.get(index) + "[" + i + "]",
                      "no process named "
                          + Problems.quote(dependency)
                          + (hint == null ? "" : ", did you mean " + Problems.quote(hint) + "?"));
                }
              }
              edges.put(index, targets);
            });
    Map<Integer, String> nameByIndex = new HashMap<>();
    indexByName.forEach((name, index) -> nameByIndex.put(index, name));
    for (List<Integer> cycle : cycles(edges)) {
      problems.add(
          "processes",
          "dependency cycle "
              + cycle.stream().map(nameByIndex::get).collect(Collectors.joining(" -> ")));
    }
  }

  /**
   * The cycles closed by the back edges of a depth-first search in file order, each starting and
   * ending at its earliest entry, without repeats. Iterative: a long chain of dependencies must not
   * overflow the stack.
   */
  static Set<List<Integer>> cycles(Map<Integer, List<Integer>> edges) {
    Set<List<Integer>> cycles = new LinkedHashSet<>();
    Set<Integer> done = new HashSet<>();
    List<Integer> stack = new ArrayList<>();
    List<Integer> nextEdge = new ArrayList<>();
    Map<Integer, Integer> stackPosition = new HashMap<>();
    for (Integer root : edges.keySet().stream().sorted().toList()) {
      if (done.contains(root)) {
        continue;
      }
      stack.add(root);
      nextEdge.add(0);
      stackPosition.put(root, 0);
      while (!stack.isEmpty()) {
        int top = stack.size() - 1;
        Integer node = stack.get(top);
        List<Integer> targets = edges.getOrDefault(node, List.of());
        int edge = nextEdge.get(top);
        if (edge == targets.size()) {
          stack.remove(top);
          nextEdge.remove(top);
          stackPosition.remove(node);
          done.add(node);
          continue;
        }
        nextEdge.set(top, edge + 1);
        Integer target = targets.get(edge);
        Integer position = stackPosition.get(target);
        if (position != null) {
          cycles.add(closed(stack.subList(position, stack.size())));
        } else if (!done.contains(target)) {
          stackPosition.put(target, stack.size());
          stack.add(target);
          nextEdge.add(0);
        }
      }
    }
    return cycles;
  }

  /**
   * The cycle through {@code path}, rotated to start at its smallest index, with that index
   * repeated at the end.
   */
  private static List<Integer> closed(List<Integer> path) {
    int start = path.indexOf(path.stream().min(Integer::compare).orElseThrow());
    List<Integer> cycle = new ArrayList<>(path.size() + 1);
    for (int i = 0; i <= path.size(); i++) {
      cycle.add(path.get((start + i) % path.size()));
    }
    return cycle;
  }
}
