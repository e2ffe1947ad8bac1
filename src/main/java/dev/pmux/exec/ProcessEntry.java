package dev.pmux.exec;

/**
 * One live process as {@code /proc/PID/stat} shows it; {@code startTicks} (its start time since
 * boot) tells it apart from a later process that reuses its pid.
 */
public record ProcessEntry(long pid, long ppid, long pgid, long startTicks) {}
