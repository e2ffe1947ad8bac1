package dev.pmux.cli;

/**
 * The exit statuses of {@code pmux ctl}: 0 done, 1 pmux refused or failed (unknown program, invalid
 * reload), 2 bad usage, 3 pmux not running or unreachable, 4 access denied.
 */
final class CtlStatus {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int UNREACHABLE = 3;
  static final int DENIED = 4;

  private CtlStatus() {}
}
