package dev.pmux.config;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dotenv format of {@code envFile}: every syntax feature, and every error with its line. */
class EnvFileTest {
  @TempDir Path tmp;

  private static Map<String, String> parse(String text) throws EnvFileException {
    return EnvFile.parse(text, "app.env");
  }

  private static String error(String text) {
    return requireNonNull(assertThrows(EnvFileException.class, () -> parse(text)).getMessage());
  }

  @Test
  void keyValue_inFileOrder() throws EnvFileException {
    Map<String, String> env = parse("B=2\nA=1\nC=3\n");
    assertEquals(List.of("B", "A", "C"), List.copyOf(env.keySet()));
    assertEquals(List.of("2", "1", "3"), List.copyOf(env.values()));
  }

  @Test
  void blankLinesAndComments_areIgnored() throws EnvFileException {
    assertEquals(
        Map.of("A", "1", "B", "2"),
        parse("\n# a comment\n   \n  # indented comment\nA=1\n\t\nB=2"));
    assertEquals(Map.of(), parse(""));
  }

  @Test
  void exportPrefix() throws EnvFileException {
    assertEquals(Map.of("A", "1", "B", "2"), parse("export A=1\nexport\tB=2\n"));
    assertEquals(Map.of("exportA", "1"), parse("exportA=1"));
  }

  @Test
  void keys_lettersDigitsUnderscoresDots() throws EnvFileException {
    assertEquals(
        Map.of("_A1", "x", "java.opts", "y", "a_b.c", "z"), parse("_A1=x\njava.opts=y\na_b.c=z"));
  }

  @Test
  void spacesAroundTheKeyAndEquals_areIgnored() throws EnvFileException {
    assertEquals(Map.of("A", "1"), parse("  A = 1  "));
  }

  @Test
  void unquoted_trailingSpaceTrimmed_inlineCommentAfterASpace() throws EnvFileException {
    Map<String, String> env =
        parse(
            "A=hello world   \nB=x # comment\nC=x#not-a-comment\nD=\nE= # only comment\n"
                + "F=#hash\nG=a=b=c\nH=\tx\t#c");
    assertEquals("hello world", env.get("A"));
    assertEquals("x", env.get("B"));
    assertEquals("x#not-a-comment", env.get("C"));
    assertEquals("", env.get("D"));
    assertEquals("", env.get("E"));
    assertEquals("#hash", env.get("F"));
    assertEquals("a=b=c", env.get("G"));
    assertEquals("x", env.get("H"));
  }

  @Test
  void unquoted_quotesInsideAreKept() throws EnvFileException {
    assertEquals(Map.of("A", "it's \"x\""), parse("A=it's \"x\""));
  }

  @Test
  void singleQuoted_isLiteral() throws EnvFileException {
    Map<String, String> env = parse("A='  a\\n $B # c  '\nB='' # empty\nC='x'#c");
    assertEquals("  a\\n $B # c  ", env.get("A"));
    assertEquals("", env.get("B"));
    assertEquals("x", env.get("C"));
  }

  @Test
  void doubleQuoted_escapes() throws EnvFileException {
    assertEquals("a\nb\tc\"d\\e$f # g", parse("A=\"a\\nb\\tc\\\"d\\\\e\\$f # g\"").get("A"));
    assertEquals("'single'", parse("A=\"'single'\"").get("A"));
  }

  @Test
  void doubleQuoted_spansLines() throws EnvFileException {
    Map<String, String> env =
        parse("KEY=\"-----BEGIN-----\nabc\n\n-----END-----\" # pem\nNEXT=1\n");
    assertEquals("-----BEGIN-----\nabc\n\n-----END-----", env.get("KEY"));
    assertEquals("1", env.get("NEXT"));
  }

  @Test
  void crlfLineEnds_andByteOrderMark() throws EnvFileException {
    Map<String, String> env = parse("\ufeffA=1\r\nB=\"x\r\ny\"\r\n");
    assertEquals(Map.of("A", "1", "B", "x\ny"), env);
  }

  @Test
  void noInterpolation_valuesAreVerbatim() throws EnvFileException {
    Map<String, String> env =
        parse("A=$HOME\nB=${HOME}/x\nC=\"$HOME\"\nD='$HOME'\nE=~/x\nF=$(id -u)");
    assertEquals(
        Map.of(
            "A",
            "$HOME",
            "B",
            "${HOME}/x",
            "C",
            "$HOME",
            "D",
            "$HOME",
            "E",
            "~/x",
            "F",
            "$(id -u)"),
        env);
  }

  @Test
  void repeatedKey_keepsItsPlace_takesTheLastValue() throws EnvFileException {
    Map<String, String> env = parse("A=1\nB=2\nA=3\n");
    assertEquals(List.of("A", "B"), List.copyOf(env.keySet()));
    assertEquals("3", env.get("A"));
  }

  @Test
  void missingEquals() {
    assertEquals(
        "app.env:3: missing '=', expected KEY=VALUE, was \"JUST_A_NAME\"",
        error("A=1\n\nJUST_A_NAME\n"));
    assertEquals("app.env:1: missing '=', expected KEY=VALUE, was \"export A\"", error("export A"));
  }

  @Test
  void badKey() {
    assertEquals(
        "app.env:2: invalid variable name \"1A\", expected a letter or '_', then letters, digits, '_' or "
            + "'.'",
        error("A=1\n1A=2"));
    assertEquals(
        "app.env:1: invalid variable name \"MY-VAR\", expected a letter or '_', then letters, digits, '_' "
            + "or '.'",
        error("MY-VAR=x"));
    assertEquals(
        "app.env:1: invalid variable name \"\", expected a letter or '_', then letters, digits, '_' or '.'",
        error("=x"));
    assertEquals(
        "app.env:1: invalid variable name \"A B\", expected a letter or '_', then letters, digits, '_' or "
            + "'.'",
        error("A B=x"));
  }

  @Test
  void unterminatedSingleQuote_namesItsLine() {
    assertEquals(
        "app.env:2: unterminated single quote in the value of B", error("A=1\nB='abc\nC='x'"));
  }

  @Test
  void unterminatedDoubleQuote_namesTheLineWhereItStarted() {
    assertEquals(
        "app.env:2: unterminated double quote in the value of B",
        error("A=1\nB=\"abc\nC=x\nD=y\n"));
    assertEquals("app.env:1: unterminated double quote in the value of A", error("A=\"abc\\\""));
  }

  @Test
  void textAfterTheClosingQuote() {
    assertEquals(
        "app.env:1: unexpected text after the closing quote of A: \"b\"", error("A='a' b"));
    assertEquals(
        "app.env:3: unexpected text after the closing quote of A: \"x # y\"",
        error("A=\"1\n2\n3\"x # y"));
    assertEquals(
        "app.env:1: unexpected text after the closing quote of A: \"'c'\"", error("A=\"b\"'c'"));
  }

  @Test
  void unknownEscape_namesItsLine() {
    assertEquals(
        "app.env:2: unknown escape \\q in the value of A, expected one of \\n \\t \\\" \\\\ \\$",
        error("A=\"line1\n\\q\""));
    assertEquals(
        "app.env:1: unknown escape \\ at the end of a line in the value of A, expected one of "
            + "\\n \\t \\\" \\\\ \\$",
        error("A=\"x\\\ny\""));
  }

  @Test
  void nulCharacter() {
    assertEquals("app.env:1: the value of A contains a NUL character", error("A=a\0b"));
  }

  @Test
  void exception_carriesFileLineAndProblem() {
    EnvFileException e = assertThrows(EnvFileException.class, () -> parse("A=1\nB"));
    assertEquals("app.env", e.file());
    assertEquals(2, e.line());
    assertEquals("missing '=', expected KEY=VALUE, was \"B\"", e.problem());
  }

  @Test
  void read_aFile() throws IOException, EnvFileException {
    Path file = tmp.resolve("app.env");
    Files.writeString(file, "# settings\nexport PORT=8080\nGREETING=\"h\u00e9llo\"\n");
    assertEquals(Map.of("PORT", "8080", "GREETING", "h\u00e9llo"), EnvFile.read(file));
  }

  @Test
  void read_errorsNameTheFile() throws IOException {
    Path file = tmp.resolve("app.env");
    Files.writeString(file, "A=1\nB='x\n");
    assertEquals(
        file + ":2: unterminated single quote in the value of B",
        assertThrows(EnvFileException.class, () -> EnvFile.read(file)).getMessage());
  }

  @Test
  void read_missingFile() {
    Path file = tmp.resolve("absent.env");
    EnvFileException e = assertThrows(EnvFileException.class, () -> EnvFile.read(file));
    assertEquals(file + ": no such file", e.getMessage());
    assertEquals(0, e.line());
  }

  @Test
  void read_directory() {
    assertEquals(
        tmp + ": is a directory, expected an env file",
        assertThrows(EnvFileException.class, () -> EnvFile.read(tmp)).getMessage());
  }

  @Test
  void read_notUtf8() throws IOException {
    Path file = tmp.resolve("latin1.env");
    Files.write(file, "A=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(
        file + ": not valid UTF-8 (first bad byte at offset 5)",
        assertThrows(EnvFileException.class, () -> EnvFile.read(file)).getMessage());
  }

  @Test
  void read_tooLarge() throws IOException {
    Path file = tmp.resolve("huge.env");
    Files.write(file, new byte[(int) EnvFile.MAX_BYTES + 1]);
    assertEquals(
        file + ": too large (4194305 bytes), an env file is at most 4194304 bytes",
        assertThrows(EnvFileException.class, () -> EnvFile.read(file)).getMessage());
  }

  @Test
  void read_notARegularFile_isRefusedRatherThanBlockingOnAFifo() throws Exception {
    Path fifo = tmp.resolve("fifo.env");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor());
    assertEquals(
        fifo + ": not a regular file",
        assertThrows(EnvFileException.class, () -> EnvFile.read(fifo)).getMessage());
  }

  @Test
  void read_isFreshEachTime() throws IOException, EnvFileException {
    Path file = tmp.resolve("app.env");
    Files.writeString(file, "A=1\n");
    assertEquals(Map.of("A", "1"), EnvFile.read(file));
    Files.writeString(file, "A=2\n");
    assertEquals(Map.of("A", "2"), EnvFile.read(file));
  }
}
