package dev.pmux.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints every thread's stack when a test fails or times out: the evidence of a deadlock. */
public final class ThreadDumpOnFailure implements TestWatcher {
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    StringBuilder dump =
        new StringBuilder("thread dump after the failure of " + context.getDisplayName() + ":\n");
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      dump.append(info.toString());
    }
    long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
    dump.append(
        deadlocked == null
            ? "no deadlocked threads\n"
            : "DEADLOCKED threads: " + Arrays.toString(deadlocked) + "\n");
    System.err.println(dump);
  }
}
