package dev.pmux.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LaunchErrorTextTest {
  @Test
  void anExecFailureNamesTheCommandInTheGoToolsWords_notTheWrapper() {
    IOException jdk =
        new IOException("Cannot run program \"/usr/bin/setsid\": error=7, Argument list too long");
    assertThat(CommonsExecLauncher.goText(Path.of("/usr/bin/sh"), jdk))
        .isEqualTo("fork/exec /usr/bin/sh: argument list too long");
  }

  @Test
  void aMessageOfAnotherShapeIsKept() {
    assertThat(CommonsExecLauncher.goText(Path.of("/bin/x"), new IOException("odd")))
        .isEqualTo("odd");
  }
}
