package dev.pmux.config;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A whole {@code pmux.yml}, validated and with defaults applied.
 *
 * @param source the file it was read from
 * @param timeFormat the Go layout as written, or null when lines carry no timestamp
 * @param timeFormatter {@code timeFormat} translated, or null when {@code timeFormat} is null
 * @param jmx empty when no remote connector is configured (no {@code jmx.port})
 */
public record PmuxConfig(
    Path source,
    @Nullable String timeFormat,
    @Nullable DateTimeFormatter timeFormatter,
    List<ProcessSpec> processes,
    int tailLines,
    Optional<JmxSpec> jmx) {

  public PmuxConfig {
    processes = List.copyOf(processes);
    Objects.requireNonNull(jmx, "jmx");
  }
}
