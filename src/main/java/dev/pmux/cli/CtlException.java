package dev.pmux.cli;

/** A failure of {@code pmux ctl} with the exit status it ends with. */
final class CtlException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  CtlException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
