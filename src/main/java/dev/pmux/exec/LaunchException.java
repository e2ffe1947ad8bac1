package dev.pmux.exec;

/** A program could not be started; the message reads like the Go tool's ("exec: ... not found"). */
public final class LaunchException extends Exception {
  private static final long serialVersionUID = 1L;

  public LaunchException(String message) {
    super(message);
  }

  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
