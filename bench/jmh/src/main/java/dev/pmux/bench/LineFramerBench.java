package dev.pmux.bench;

import dev.pmux.output.LineFramer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link LineFramer#feed} on one 64 KiB read of whole lines (what a pump sees in a flood), against
 * the plain scan loop of bench/copier (the floor). Score: ns per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LineFramerBench {
  @Param({"80", "1000"})
  int lineLength;

  byte[] read;
  int lines;
  LineFramer framer;

  @Setup(Level.Trial)
  public void setUp() {
    lines = 64 * 1024 / lineLength;
    read = Lines.of(lines, lineLength);
    framer = new LineFramer();
  }

  @Benchmark
  public void framer(Blackhole bh) {
    framer.feed(read, 0, read.length, (b, off, len) -> bh.consume(len));
    bh.consume(lines);
  }

  /** The copier's loop: a byte-at-a-time scan for '\n', nothing else. */
  @Benchmark
  public void scanOnly(Blackhole bh) {
    byte[] buf = read;
    int start = 0;
    for (int i = 0; i < buf.length; i++) {
      if (buf[i] == '\n') {
        bh.consume(i + 1 - start);
        start = i + 1;
      }
    }
  }
}
