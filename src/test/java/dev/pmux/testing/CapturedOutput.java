package dev.pmux.testing;

import dev.pmux.output.LineFormat;
import dev.pmux.output.MergedOutput;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/** A {@link MergedOutput} writing into memory, for in-process tests that read what pmux printed. */
public final class CapturedOutput {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final MergedOutput merged =
      new MergedOutput(locked(out), locked(err), new LineFormat(null, Clock.systemUTC()), 200);

  private static OutputStream locked(ByteArrayOutputStream sink) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (sink) {
          sink.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (sink) {
          sink.write(b, off, len);
        }
      }
    };
  }

  public MergedOutput merged() {
    return merged;
  }

  public byte[] stdoutBytes() {
    synchronized (out) {
      return out.toByteArray();
    }
  }

  public String stdout() {
    return new String(stdoutBytes(), StandardCharsets.UTF_8);
  }

  public String stderr() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  public List<String> stderrLines() {
    return Arrays.asList(stderr().split("\n"));
  }

  public List<String> stdoutLines() {
    String s = stdout();
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
  }
}
