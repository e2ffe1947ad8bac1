package dev.pmux.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
  @Test
  void plainWordsStayAsTheyAre() {
    assertThat(ShellWords.join(List.of("/usr/bin/sleep", "1000", "--port=8080", "a@b:c,d%e+f")))
        .isEqualTo("/usr/bin/sleep 1000 --port=8080 a@b:c,d%e+f");
  }

  @Test
  void wordsAShellWouldSplitOrExpand_areSingleQuoted() {
    assertThat(ShellWords.join(List.of("sh", "-c", "echo $HOME; exit 1", "", "it's", "héllo")))
        .isEqualTo("sh -c 'echo $HOME; exit 1' '' 'it'\\''s' 'héllo'");
  }

  @Test
  void controlCharactersStayOnOneLine_asBashWritesThem() {
    assertThat(ShellWords.quote("a\nb\tc'd\\e\u0001")).isEqualTo("$'a\\nb\\tc\\'d\\\\e\\x01'");
  }

  @Test
  void whatTheShellReadsBack_isTheWordsGiven() throws Exception {
    List<String> words = List.of("printf", "%s|", "a b", "it's", "", "$x", "l1\nl2", "*");
    Process sh =
        new ProcessBuilder("bash", "-c", "eval \"$0\"", ShellWords.join(words))
            .redirectErrorStream(true)
            .start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).isZero();
    assertThat(out).isEqualTo("a b|it's||$x|l1\nl2|*|");
  }
}
