package dev.pmux;

import dev.pmux.exec.PidFile;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** pmux's command line: {@code [-c FILE] [--pid-file FILE] [-h]}. */
record Arguments(
    @Nullable String config, @Nullable PidFile pidFile, boolean help, boolean preflight) {
  static final String USAGE = "usage: pmux [-c FILE] [--pid-file FILE]";

  /** Reads {@code args}; a mistake is an IllegalArgumentException whose message ends in usage. */
  static Arguments parse(String[] args) {
    String config = null;
    PidFile pidFile = null;
    boolean preflight = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-c", "--config" -> config = value(args, ++i);
        case "--pid-file" -> pidFile = new PidFile(Path.of(value(args, ++i)));
        // bin/pmux upgrade's check of an installation: read the config, start nothing.
        case "--preflight" -> preflight = true;
        case "-h", "--help" -> {
          return new Arguments(config, pidFile, true, preflight);
        }
        default ->
            throw new IllegalArgumentException("unknown argument: " + args[i] + "\n" + USAGE);
      }
    }
    return new Arguments(config, pidFile, false, preflight);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(USAGE);
    }
    return args[i];
  }
}
