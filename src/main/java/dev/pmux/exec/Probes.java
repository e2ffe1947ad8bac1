package dev.pmux.exec;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** One-shot readiness probes that touch the operating system: a TCP port, a command's exit. */
public final class Probes {
  private Probes() {}

  /** Whether something accepts TCP connections on 127.0.0.1:{@code port} now. */
  public static boolean portOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 250);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs {@code command} (as configured in pmux.yml: no shell) in {@code dir} with {@code env}
   * added, output discarded; true if it exits 0 within {@code timeoutMillis}. A command still
   * running then is killed.
   */
  public static boolean commandSucceeds(
      List<String> command, @Nullable Path dir, Map<String, String> env, long timeoutMillis) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    builder.environment().putAll(env);
    try {
      Process p = builder.start();
      if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
