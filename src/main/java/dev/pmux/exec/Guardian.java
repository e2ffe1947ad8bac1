package dev.pmux.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A tiny shell process that outlives pmux only to clean up after it: it holds the read end of a
 * pipe from pmux, and when pmux dies for any reason (SIGKILL, JVM crash) the kernel closes the
 * pipe; the guardian then SIGKILLs every process group left in pmux's {@link GroupJournal}. It runs
 * in its own session, deaf to the signals a terminal sends.
 */
public final class Guardian implements AutoCloseable {
  // $1: the journal. After a graceful exit pmux has removed it and there is nothing to do. Past
  // `cat`, only builtins of sh: under a process limit (ulimit -u) that pmux's programs use up, a
  // guardian cannot fork, and with awk and env kill it killed nothing. The journal goes only once
  // every recorded group was sent SIGKILL (rm is a fork: refused, it leaves the journal to the
  // next pmux, which kills only groups that still carry this pmux's PMUX_PID).
  private static final String SCRIPT =
      """
      trap '' INT TERM HUP QUIT PIPE
      cat >/dev/null 2>&1
      [ -f "$1" ] || exit 0
      live=' '
      while read -r op g; do
        case $g in ''|*[!0-9]*|0|1) continue ;; esac
        case $op in
          +) live="$live$g " ;;
          -) case $live in *" $g "*) live="${live%%" $g "*} ${live#*" $g "}" ;; esac ;;
        esac
      done < "$1"
      for g in $live; do kill -s KILL -- "-$g" 2>/dev/null; done
      rm -f "$1"
      """;

  private final long pid;
  private final OutputStream lifeline;
  private final CompletableFuture<?> exited;

  private Guardian(long pid, OutputStream lifeline, CompletableFuture<?> exited) {
    this.pid = pid;
    this.lifeline = lifeline;
    this.exited = exited;
  }

  /**
   * The guardian that the pmux before an upgrade started in this same process, whose lifeline is
   * descriptor {@code fd} (kept open through the exec); null when it is gone or the descriptor is
   * unusable.
   */
  public static @Nullable Guardian adopt(long pid, int fd) {
    OutputStream lifeline = Descriptors.outputOf(fd);
    java.util.Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (lifeline == null || handle.isEmpty()) {
      return null;
    }
    return new Guardian(pid, lifeline, handle.get().onExit());
  }

  /** The descriptor of this guardian's lifeline in pmux, to keep open through an upgrade. */
  public int lifelineDescriptor() {
    return Descriptors.descriptorOf(lifeline);
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
    Process process = builder.start();
    return new Guardian(process.pid(), process.getOutputStream(), process.onExit());
  }

  /** Completes when the guardian process has ended. */
  public CompletableFuture<?> exited() {
    return exited;
  }

  public long pid() {
    return pid;
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
