package dev.pmux.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailBufferTest {
  private static void append(TailBuffer tail, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    tail.append(b, 0, b.length);
  }

  @Test
  void returnsTheLastLinesOldestFirst() {
    TailBuffer tail = new TailBuffer(1024);
    append(tail, "a › one\na › two\n");
    append(tail, "a » three\n");
    assertThat(tail.lastLines(2)).containsExactly("a › two", "a » three");
    assertThat(tail.lastLines(10)).containsExactly("a › one", "a › two", "a » three");
  }

  @Test
  void emptyUntilSomethingIsWritten() {
    assertThat(new TailBuffer(1024).lastLines(5)).isEmpty();
  }

  @Test
  void forgetsOldLinesOnceFull_andNeverShowsACutLine() {
    TailBuffer tail = new TailBuffer(20);
    for (int i = 0; i < 10; i++) {
      append(tail, "line " + i + "\n");
    }
    // 20 bytes hold "line 7\nline 8\nline 9\n" (21 bytes) minus the first byte: line 7 is cut.
    assertThat(tail.lastLines(5)).containsExactly("line 8", "line 9");
  }

  @Test
  void aBatchLargerThanTheBufferKeepsItsEnd() {
    TailBuffer tail = new TailBuffer(16);
    append(tail, "x".repeat(100) + "\nlast\n");
    assertThat(tail.lastLines(3)).containsExactly("last");
  }

  @Test
  void zeroLinesKeepsNothing() {
    TailBuffer tail = TailBuffer.forLines(0);
    append(tail, "a\n");
    assertThat(tail.lastLines(5)).isEmpty();
  }
}
