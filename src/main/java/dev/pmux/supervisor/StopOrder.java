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
    Map<String, Integer> depths = new HashMap<>();
    Map<Integer, List<String>> byDepth = new TreeMap<>(Comparator.reverseOrder());
    for (ProcessSpec spec : specs) {
      byDepth
          .computeIfAbsent(depth(spec, byName, depths, 0), d -> new ArrayList<>())
          .add(spec.name());
    }
    return List.copyOf(byDepth.values());
  }

  /**
   * How many dependencies deep a program is (0: it depends on nothing), each program's depth worked
   * out once ({@code known}): programs that share dependencies would otherwise walk them once per
   * path. Config rules out cycles; {@code guard} bounds the walk all the same.
   */
  private static int depth(
      ProcessSpec spec, Map<String, ProcessSpec> all, Map<String, Integer> known, int guard) {
    Integer cached = known.get(spec.name());
    if (cached != null) {
      return cached;
    }
    int depth = 0;
    for (String dep : spec.dependsOn()) {
      ProcessSpec d = all.get(dep);
      if (d != null && guard < all.size()) {
        depth = Math.max(depth, 1 + depth(d, all, known, guard + 1));
      }
    }
    known.put(spec.name(), depth);
    return depth;
  }
}
