package dev.pmux.config;

import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A {@link YAMLConfiguration} that keeps every scalar exactly as written ({@code 0755}, {@code
 * yes}, {@code 1e3}, {@code ${HOME}} stay strings, as Go's yaml.v2 gives them to string fields),
 * with limits against hostile input. Read its values from the node tree only: Configuration 2's
 * getters would interpolate {@code ${...}}.
 */
final class VerbatimYamlConfiguration extends YAMLConfiguration {
  static final int MAX_CODE_POINTS = 3 * 1024 * 1024;
  private static final int MAX_ALIASES = 50;
  private static final int MAX_DEPTH = 32;
  // Alias expansion is bounded by this too: the copy below turns shared subtrees into distinct
  // ones.
  private static final int MAX_VALUES = 100_000;

  /** Thrown for a document that parses but cannot be a config, with a message for users. */
  static final class ShapeException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    ShapeException(String message) {
      super(message);
    }
  }

  private Set<String> anchorKeys = Set.of();

  /**
   * The top-level keys whose value carries an anchor that an alias elsewhere refers to ({@code
   * defaults: &d {...}} with {@code <<: *d} in a process): keys that only hold shared values.
   */
  Set<String> anchorKeys() {
    return anchorKeys;
  }

  @Override
  public void read(Reader in) throws ConfigurationException {
    Object document;
    try {
      // Parsed once: the node graph tells which keys hold shared values, and is then built into
      // maps and lists.
      Node root = yaml().compose(in);
      anchorKeys = anchorKeys(root);
      document = root == null ? null : new NodeConstructor(loaderOptions()).construct(root);
    } catch (YAMLException e) {
      throw new ConfigurationException(e);
    } catch (IllegalArgumentException e) {
      // SnakeYAML lets this through, without position, for an explicit tag on a bad value such as
      // "!!int abc".
      throw new ShapeException(
          "a value with an explicit tag such as !!int cannot be read: " + e.getMessage());
    }
    if (document == null) {
      throw new ShapeException("the file is empty, expected a mapping with at least 'processes'");
    }
    if (!(document instanceof Map)) {
      throw new ShapeException(
          "the top level must be a mapping with at least 'processes', was "
              + (document instanceof List ? "a list" : "a single value"));
    }
    // Configuration 2 skips a collection whose identity hash it has seen before, so a rare hash
    // collision would
    // silently lose data; a fresh copy has fresh hashes.
    for (int attempt = 1; ; attempt++) {
      Copy copy = new Copy();
      @SuppressWarnings("unchecked")
      Map<String, Object> tree = (Map<String, Object>) copy.of(document, "", 0);
      load(tree);
      if (countNodes(getNodeModel().getNodeHandler().getRootNode()) == copy.nodes) {
        return;
      }
      if (attempt == 3) {
        throw new ShapeException("internal error: values were lost while loading the YAML tree");
      }
    }
  }

  private static Set<String> anchorKeys(Node root) {
    if (!(root instanceof MappingNode mapping)) {
      return Set.of();
    }
    // The composer hands out the anchored node itself wherever an alias names it.
    IdentityHashMap<Node, Integer> uses = new IdentityHashMap<>();
    countUses(root, uses);
    Set<String> keys = new HashSet<>();
    for (NodeTuple entry : mapping.getValue()) {
      Node value = entry.getValueNode();
      if (entry.getKeyNode() instanceof ScalarNode key
          && value.getAnchor() != null
          && uses.getOrDefault(value, 0) > 1) {
        keys.add(key.getValue());
      }
    }
    return keys;
  }

  private static void countUses(Node node, IdentityHashMap<Node, Integer> uses) {
    if (uses.merge(node, 1, Integer::sum) > 1) {
      return; // each subtree is walked once, however often it is referred to
    }
    if (node instanceof MappingNode mapping) {
      for (NodeTuple entry : mapping.getValue()) {
        countUses(entry.getKeyNode(), uses);
        countUses(entry.getValueNode(), uses);
      }
    } else if (node instanceof SequenceNode sequence) {
      for (Node element : sequence.getValue()) {
        countUses(element, uses);
      }
    }
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowRecursiveKeys(false);
    return options;
  }

  private static Yaml yaml() {
    LoaderOptions options = loaderOptions();
    DumperOptions dumper = new DumperOptions();
    return new Yaml(
        new SafeConstructor(options),
        new Representer(dumper),
        dumper,
        options,
        new NullOnlyResolver());
  }

  private static int countNodes(ImmutableNode node) {
    int n = 0;
    for (ImmutableNode child : node.getChildren()) {
      n += 1 + countNodes(child);
    }
    return n;
  }

  /** Builds maps, lists and strings from an already composed node graph, as {@code load} would. */
  private static final class NodeConstructor extends SafeConstructor {
    NodeConstructor(LoaderOptions options) {
      super(options);
      // What the Yaml facade would set from the options.
      setAllowDuplicateKeys(options.isAllowDuplicateKeys());
    }

    Object construct(Node root) {
      return constructDocument(root);
    }
  }

  /**
   * Resolves only nulls ({@code ~}, {@code null}, empty) and merge keys ({@code <<}, as yaml.v2
   * supports); every other plain scalar stays a string.
   */
  static final class NullOnlyResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }

  /**
   * Copies SnakeYAML's result into a fresh tree of strings, so that aliases become distinct
   * subtrees (Configuration 2 drops a collection it meets twice) and an empty list still leaves its
   * key in the node tree. Counts the node tree's expected size on the way.
   */
  private static final class Copy {
    int nodes;
    private int values;

    Object of(Object value, String path, int depth) throws ShapeException {
      if (depth > MAX_DEPTH) {
        throw new ShapeException(path + ": nested too deeply (an alias that contains itself?)");
      }
      if (++values > MAX_VALUES) {
        throw new ShapeException(
            "the document has more than " + MAX_VALUES + " values (alias expansion?)");
      }
      if (value instanceof Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String key = key(e.getKey(), path);
          String childPath = path.isEmpty() ? key : path + "." + key;
          Object child = of(e.getValue(), childPath, depth + 1);
          copy.put(key, child);
          nodes += child instanceof List<?> list ? list.size() : 1;
        }
        return copy;
      }
      if (value instanceof List<?> list) {
        if (list.isEmpty()) {
          return new LinkedHashMap<
              String, Object>(); // an empty mapping keeps the key visible, with no children
        }
        List<Object> copy = new ArrayList<>(list.size());
        for (Object element : list) {
          String elementPath = path + "[" + copy.size() + "]";
          if (element instanceof List<?>) {
            throw new ShapeException(elementPath + ": a list inside a list is not supported");
          }
          copy.add(of(element, elementPath, depth + 1));
        }
        return copy;
      }
      if (value == null || value instanceof String) {
        return value;
      }
      if (value instanceof Number || value instanceof Boolean) {
        return value.toString(); // only an explicit tag such as !!int gets here
      }
      throw new ShapeException(
          path
              + ": unsupported YAML value of type "
              + value.getClass().getSimpleName()
              + ", expected text");
    }

    private static String key(Object key, String path) throws ShapeException {
      if (key instanceof String s) {
        return s;
      }
      if (key == null) {
        return "";
      }
      if (key instanceof Number || key instanceof Boolean) {
        return key.toString();
      }
      throw new ShapeException(
          (path.isEmpty() ? "" : path + ": ") + "mapping keys must be plain text");
    }
  }
}
