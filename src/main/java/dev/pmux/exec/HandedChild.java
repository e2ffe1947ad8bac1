package dev.pmux.exec;

/**
 * A running child handed from one pmux to the next across an upgrade: its pid and the descriptors
 * that stay open through the exec (its pidfd and the read ends of its stdout and stderr pipes).
 */
public record HandedChild(long pid, int pidfd, int stdout, int stderr) {}
