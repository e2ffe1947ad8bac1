package dev.pmux.supervisor;

import dev.pmux.config.ProcessSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order in which a shutdown stops programs: in layers, dependents before what they depend on,
 * so that a program never loses a dependency while it is still running.
 */
final class StopOrder {
  private StopOrder() {}

  /**
   * The names of {@code specs} in layers to stop one after the other, deepest in {@code dependsOn}
   * first; the programs of one layer stop together. A dependency missing from {@code specs} is
   * ignored.
   */
  static List<List<String>> layers(Collection<ProcessSpec> specs) {
    Map<String, ProcessSpec> byName = new HashMap<>();
    specs.forEach(s -> byName.put(s.name(), s));
    Map<Integer, List<String>> byDepth = new TreeMap<>(Comparator.reverseOrder());
    for (ProcessSpec spec : specs) {
      byDepth.computeIfAbsent(depth(spec, byName, 0), d -> new ArrayList<>()).add(spec.name());
    }
    return List.copyOf(byDepth.values());
  }

  /**
   * How many dependencies deep a program is (0: it depends on nothing). Config rules out cycles;
   * {@code guard} bounds the walk all the same.
   */
  private static int depth(ProcessSpec spec, Map<String, ProcessSpec> all, int guard) {
    int depth = 0;
    for (String dep : spec.dependsOn()) {
      ProcessSpec d = all.get(dep);
      if (d != null && guard < all.size()) {
        depth = Math.max(depth, 1 + depth(d, all, guard + 1));
      }
    }
    return depth;
  }
}
