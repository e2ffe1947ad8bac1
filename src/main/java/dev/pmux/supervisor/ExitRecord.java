package dev.pmux.supervisor;

/**
 * One past exit of a program: when (epoch ms), its exit code (128+N after signal N), the signal's
 * name or empty, how long the run lasted, and whether pmux restarted it afterwards.
 */
public record ExitRecord(
    long time, int exitCode, String signal, long ranForMillis, boolean restarted) {}
