package dev.pmux.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A tiny shell process that outlives pmux only to clean up after it: it holds the read end of a
 * pipe from pmux, and when pmux dies for any reason (SIGKILL, JVM crash) the kernel closes the
 * pipe; the guardian then SIGKILLs every process group left in pmux's {@link GroupJournal}. It runs
 * in its own session, deaf to the signals a terminal sends.
 */
public final class Guardian implements AutoCloseable {
  // $1: the journal. After a graceful exit pmux has removed it and there is nothing to do.
  private static final String SCRIPT =
      """
      trap '' INT TERM HUP QUIT PIPE
      cat >/dev/null 2>&1
      [ -f "$1" ] || exit 0
      awk '$1=="+"{s[$2]=1} $1=="-"{delete s[$2]} END{for (g in s) print g}' "$1" |
        while read -r g; do env kill -s KILL -- "-$g" 2>/dev/null; done
      rm -f "$1"
      """;

  private final Process process;
  private final OutputStream lifeline;

  private Guardian(Process process) {
    this.process = process;
    this.lifeline = process.getOutputStream();
  }

  /** Starts the guardian of {@code journal}. */
  public static Guardian start(GroupJournal journal) throws IOException {
    Path setsid = Setsid.path();
    ProcessBuilder builder =
        new ProcessBuilder(
                setsid.toString(),
                "/bin/sh",
                "-c",
                SCRIPT,
                "pmux-guardian",
                journal.file().toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().remove("PMUX_PROCESS_NAME");
    return new Guardian(builder.start());
  }

  /** Completes when the guardian process has ended. */
  public CompletableFuture<Process> exited() {
    return process.onExit();
  }

  public long pid() {
    return process.pid();
  }

  /** Lets the guardian go: after a graceful exit it finds no journal and ends. */
  @Override
  public void close() {
    try {
      lifeline.close();
    } catch (IOException e) {
      // It sees end of file all the same when pmux exits.
    }
  }
}
