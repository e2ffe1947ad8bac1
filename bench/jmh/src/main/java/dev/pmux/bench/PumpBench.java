package dev.pmux.bench;

import dev.pmux.output.Channel;
import dev.pmux.output.LineFormat;
import dev.pmux.output.MergedOutput;
import dev.pmux.output.ProgramOutput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-line path of pmux in one thread: {@link ProgramOutput#pump} reads 64 KiB at a time
 * from a stream of 80-byte lines, frames, prefixes, batches, writes each batch to the merged stream
 * (here a discarding stream) and copies it into the tail buffer. Score: ns per line; compare with
 * {@code copierLoop}, the same job done the way bench/copier does it (the floor).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PumpBench {
  static final int LINES = 100_000;

  @Param({"false", "true"})
  boolean timestamps;

  byte[] data;
  Lines.Sink out;
  ProgramOutput program;

  @Setup(Level.Trial)
  public void setUp() {
    data = Lines.of(LINES, 80);
    out = new Lines.Sink();
    DateTimeFormatter time =
        timestamps ? DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX") : null;
    MergedOutput merged = new MergedOutput(out, new Lines.Sink(), new LineFormat(time, Clock.systemUTC()), 200);
    merged.format().widenFor(java.util.List.of("p0"));
    program = merged.program("p0");
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public long pump() throws IOException {
    program.pump(new ByteArrayInputStream(data), Channel.STDOUT);
    return out.bytes;
  }

  /** bench/copier's per-read loop: scan, prefix, copy into one batch, one write per read. */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public long copierLoop() throws IOException {
    InputStream in = new ByteArrayInputStream(data);
    byte[] prefix = "p0   › ".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] buf = new byte[64 * 1024];
    byte[] batch = new byte[2 * buf.length + 4096];
    int carried = 0;
    for (;;) {
      int n = in.read(buf, carried, buf.length - carried);
      if (n < 0) {
        break;
      }
      int end = carried + n;
      int size = 0;
      int start = 0;
      for (int i = 0; i < end; i++) {
        if (buf[i] == '\n') {
          int len = i + 1 - start;
          System.arraycopy(prefix, 0, batch, size, prefix.length);
          System.arraycopy(buf, start, batch, size + prefix.length, len);
          size += prefix.length + len;
          start = i + 1;
        }
      }
      carried = end - start;
      System.arraycopy(buf, start, buf, 0, carried);
      synchronized (this) {
        out.write(batch, 0, size);
      }
    }
    return out.bytes;
  }
}
