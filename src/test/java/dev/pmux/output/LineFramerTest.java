package dev.pmux.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {
  private final List<byte[]> lines = new ArrayList<>();
  private final LineFramer.LineSink sink =
      (b, off, len) -> lines.add(Arrays.copyOfRange(b, off, off + len));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private List<String> texts() {
    return lines.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
  }

  private void feed(LineFramer framer, String chunk) {
    byte[] b = bytes(chunk);
    framer.feed(b, 0, b.length, sink);
  }

  @Test
  void splitsAtNewlines() {
    LineFramer framer = new LineFramer();
    feed(framer, "one\ntwo\n\nthree\n");
    assertThat(texts()).containsExactly("one", "two", "", "three");
    assertThat(framer.pending()).isZero();
  }

  @Test
  void joinsALineSplitAcrossReads() {
    LineFramer framer = new LineFramer();
    feed(framer, "hel");
    feed(framer, "lo wo");
    feed(framer, "rld\nnext");
    assertThat(texts()).containsExactly("hello world");
    feed(framer, "\n");
    assertThat(texts()).containsExactly("hello world", "next");
  }

  @Test
  void keepsCarriageReturnsAsTheyAre() {
    LineFramer framer = new LineFramer();
    feed(framer, "crlf\r\nlone\rcr\nend\r");
    framer.finish(sink);
    assertThat(texts()).containsExactly("crlf\r", "lone\rcr", "end\r");
  }

  @Test
  void finishEmitsAFinalLineWithoutNewline() {
    LineFramer framer = new LineFramer();
    feed(framer, "done\npartial");
    framer.finish(sink);
    assertThat(texts()).containsExactly("done", "partial");
    framer.finish(sink);
    assertThat(lines).hasSize(2);
  }

  @Test
  void passesInvalidUtf8ByteForByte() {
    LineFramer framer = new LineFramer();
    byte[] raw = {(byte) 0xff, (byte) 0xfe, ' ', 'o', 'k', '\n', (byte) 0xc3, '\n', 0, 1, '\n'};
    framer.feed(raw, 0, raw.length, sink);
    assertThat(lines.get(0)).containsExactly((byte) 0xff, (byte) 0xfe, ' ', 'o', 'k');
    assertThat(lines.get(1)).containsExactly((byte) 0xc3);
    assertThat(lines.get(2)).containsExactly(0, 1);
  }

  @Test
  void cutsLongLinesInOneRead() {
    LineFramer framer = new LineFramer(4);
    feed(framer, "abcdefghij\nabcd\n");
    assertThat(texts()).containsExactly("abcd", "efgh", "ij", "abcd");
  }

  @Test
  void cutsLongLinesAcrossReadsWithoutAnEmptyPiece() {
    LineFramer framer = new LineFramer(4);
    feed(framer, "ab");
    feed(framer, "cd");
    feed(framer, "\n");
    assertThat(texts()).containsExactly("abcd");
    feed(framer, "xyz");
    feed(framer, "12345");
    feed(framer, "6\n");
    assertThat(texts()).containsExactly("abcd", "xyz1", "2345", "6");
  }

  @Test
  void cutsAt64KiBByDefaultAndHoldsNoMoreThanThat() {
    LineFramer framer = new LineFramer();
    byte[] chunk = new byte[10_000];
    Arrays.fill(chunk, (byte) 'x');
    for (int i = 0; i < 100; i++) {
      framer.feed(chunk, 0, chunk.length, sink);
      assertThat(framer.pending()).isLessThanOrEqualTo(LineFramer.MAX_LINE);
    }
    framer.finish(sink);
    assertThat(lines)
        .allSatisfy(l -> assertThat(l.length).isLessThanOrEqualTo(LineFramer.MAX_LINE));
    assertThat(lines.stream().mapToInt(l -> l.length).sum()).isEqualTo(1_000_000);
    assertThat(lines.get(0)).hasSize(LineFramer.MAX_LINE);
  }

  @Test
  void aLineOfExactlyTheLimitIsOneLine() {
    LineFramer framer = new LineFramer();
    byte[] line = new byte[LineFramer.MAX_LINE + 1];
    Arrays.fill(line, (byte) 'y');
    line[LineFramer.MAX_LINE] = '\n';
    framer.feed(line, 0, 1000, sink);
    framer.feed(line, 1000, line.length - 1000, sink);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).hasSize(LineFramer.MAX_LINE);
  }
}
