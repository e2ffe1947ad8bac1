package dev.pmux.supervisor;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How this pmux replaces itself with the installation now on disk, in the same process: a check of
 * that installation first, then the exec. Provided by the composition root, which knows the
 * installation, pmux's arguments and its run directory.
 */
public interface SelfReplacement {
  /** Null when the installation on disk starts, reads the configuration and can take over. */
  @Nullable String preflight();

  /** Where the state for the next pmux is written (in the private run directory). */
  Path stateFile();

  /** Facts of pmux itself for the next one (its version, its guardian, kept descriptors). */
  Map<String, String> extras();

  /** Descriptors of pmux itself that must live through the exec (beside the programs'). */
  Collection<Integer> keep();

  /**
   * Replaces this process with the new pmux, keeping {@code keep} open; returns only if that
   * failed, with why.
   */
  String exec(Collection<Integer> keep);
}
