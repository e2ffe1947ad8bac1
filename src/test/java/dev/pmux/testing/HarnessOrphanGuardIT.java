package dev.pmux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pmux.exec.Child;
import dev.pmux.exec.CommonsExecLauncher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A test JVM that dies mid-test takes the programs it supervised with it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HarnessOrphanGuardIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  @TempDir Path tmp;

  /** Stands for a test JVM: launches a program in its own group as the harness does, then waits. */
  public static final class TestJvm {
    private TestJvm() {}

    public static void main(String[] args) throws Exception {
      Child child =
          HarnessOrphanGuard.guarded(CommonsExecLauncher.forEnvironment(System.getenv()))
              .launch(Specs.program("db", "sleep", "60").build());
      System.out.println("launched " + child.pid());
      System.out.flush();
      Thread.sleep(60_000);
    }
  }

  @Test
  void aTestJvmThatIsSigkilled_leavesNoProgramRunning() throws Exception {
    killMidTest(Process::destroyForcibly);
  }

  @Test
  void aTestJvmThatIsTerminated_leavesNoProgramRunning() throws Exception {
    long program = killMidTest(Process::destroy);
    // Its shutdown hook did it, not the guardian.
    assertThat(Files.readString(tmp.resolve("stderr")))
        .contains("killed process groups that survived the stop: [" + program + "]");
  }

  /** Returns the pid of the program the test JVM launched. */
  private long killMidTest(Consumer<Process> kill) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The guard's directory, which a SIGKILLed JVM cannot remove, goes with the test's.
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                TestJvm.class.getName())
            .redirectError(tmp.resolve("stderr").toFile());
    builder.environment().putAll(leaks.environment());
    Process jvm = builder.start();
    try {
      String line;
      try (var out =
          new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
        line = out.readLine();
      }
      assertThat(line).startsWith("launched ");
      long program = Long.parseLong(line.substring("launched ".length()));
      assertThat(ProcessLeaks.running(program)).isTrue();

      kill.accept(jvm);

      assertThat(jvm.waitFor(20, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(leaks.marked()).isEmpty());
      return program;
    } finally {
      jvm.destroyForcibly();
    }
  }
}
