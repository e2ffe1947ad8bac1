package dev.pmux.jmx;

import java.util.Date;

/**
 * One row of {@link ProcessMXBean#getRecentExits()}: a past exit of a program, with columns named
 * for people reading it in JConsole. {@code exitedAt} is {@code exitTime} (epoch ms) as a date;
 * {@code exitCode} is 128+N after death by signal N, whose name {@code signal} then holds (empty
 * otherwise).
 */
public record ExitRow(
    Date exitedAt,
    long exitTime,
    int exitCode,
    String signal,
    long ranForMillis,
    boolean restarted) {}
