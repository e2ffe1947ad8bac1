package dev.pmux.config;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Linux signals 1 to 31, each with its number and the name Go's {@code syscall.Signal.String()}
 * prints, so that event lines such as {@code sending interrupt signal} match the Go tool byte for
 * byte.
 */
public enum Signal {
  HUP(1, "hangup"),
  INT(2, "interrupt"),
  QUIT(3, "quit"),
  ILL(4, "illegal instruction"),
  TRAP(5, "trace/breakpoint trap"),
  ABRT(6, "aborted"),
  BUS(7, "bus error"),
  FPE(8, "floating point exception"),
  KILL(9, "killed"),
  USR1(10, "user defined signal 1"),
  SEGV(11, "segmentation fault"),
  USR2(12, "user defined signal 2"),
  PIPE(13, "broken pipe"),
  ALRM(14, "alarm clock"),
  TERM(15, "terminated"),
  STKFLT(16, "stack fault"),
  CHLD(17, "child exited"),
  CONT(18, "continued"),
  STOP(19, "stopped (signal)"),
  TSTP(20, "stopped"),
  TTIN(21, "stopped (tty input)"),
  TTOU(22, "stopped (tty output)"),
  URG(23, "urgent I/O condition"),
  XCPU(24, "CPU time limit exceeded"),
  XFSZ(25, "file size limit exceeded"),
  VTALRM(26, "virtual timer expired"),
  PROF(27, "profiling timer expired"),
  WINCH(28, "window changed"),
  IO(29, "I/O possible"),
  PWR(30, "power failure"),
  SYS(31, "bad system call");

  private final int number;
  private final String goName;

  Signal(int number, String goName) {
    this.number = number;
    this.goName = goName;
  }

  /** The Linux signal number. */
  public int number() {
    return number;
  }

  /**
   * What Go's {@code syscall.Signal.String()} prints on Linux, e.g. {@code "interrupt"} for INT.
   */
  public String goName() {
    return goName;
  }

  /** The signal with this Linux number, if it is one of 1..31. */
  public static Optional<Signal> byNumber(int n) {
    Signal[] all = values();
    return n >= 1 && n <= all.length ? Optional.of(all[n - 1]) : Optional.empty();
  }

  /**
   * Reads a signal name in any case, with or without the {@code SIG} prefix ({@code INT}, {@code
   * sigint}); numbers are not accepted, so that a config always says which signal it means.
   */
  public static Optional<Signal> parse(@Nullable String s) {
    if (s == null) {
      return Optional.empty();
    }
    String name = s.toUpperCase(Locale.ROOT);
    if (name.startsWith("SIG")) {
      name = name.substring(3);
    }
    for (Signal signal : values()) {
      if (signal.name().equals(name)) {
        return Optional.of(signal);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether this signal may be a program's {@code stopSignal}: INT, TERM, HUP, QUIT, USR1, USR2 or
   * KILL.
   */
  public boolean isStopSignal() {
    return switch (this) {
      case INT, TERM, HUP, QUIT, USR1, USR2, KILL -> true;
      default -> false;
    };
  }
}
