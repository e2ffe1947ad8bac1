package dev.pmux.exec;

/**
 * CPU seconds and resident bytes summed over every live process of one process group, read from
 * {@code /proc}: a program's cost includes what it forked.
 */
public record GroupUsage(double cpuSeconds, long residentBytes) {
  /** No process, no usage. */
  public static final GroupUsage NONE = new GroupUsage(0, 0);
}
