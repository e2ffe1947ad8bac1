package dev.pmux.supervisor;

/** Told of every state change of a program, in order, outside the program's lock. */
@FunctionalInterface
public interface StateListener {
  void stateChanged(ProcessState from, ProcessSnapshot now);
}
