package dev.pmux.config;

import java.util.Locale;
import java.util.Optional;

/** What a program's stop reaches: its whole process tree (systemd's way) or its process group. */
public enum KillMode {
  /**
   * Every descendant: the group, those that left it, and adopted orphans marked as the program's.
   */
  TREE,
  /** The process group only, as the Go tool does. */
  GROUP;

  /** The mode written {@code text} ({@code tree} or {@code group}, any case). */
  static Optional<KillMode> parse(String text) {
    for (KillMode mode : values()) {
      if (mode.name().equalsIgnoreCase(text.trim())) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  /** The name as written in {@code pmux.yml}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
