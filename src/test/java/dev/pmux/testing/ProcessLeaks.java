package dev.pmux.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves behind any process it started. Every process a test starts carries
 * {@code PMUX_TEST_MARK=<mark>} in its environment (pass {@link #environment()} to pmux); after
 * each test, marked processes get a short time to end, then are SIGKILLed and reported.
 */
public final class ProcessLeaks implements AfterEachCallback {
  public static final String VARIABLE = "PMUX_TEST_MARK";

  private final String mark = UUID.randomUUID().toString();

  /** {@code VARIABLE=mark}, to add to the environment of everything the test starts. */
  public String mark() {
    return mark;
  }

  /** The test JVM's environment plus the mark. */
  public Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(VARIABLE, mark);
    return env;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    List<Long> alive = marked();
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      alive = marked();
    }
    if (!alive.isEmpty()) {
      List<String> described = new ArrayList<>();
      for (long pid : alive) {
        described.add(pid + " " + cmdline(pid));
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      fail("test left processes running: " + described);
    }
  }

  /** Live processes (not zombies) that carry this test's mark. */
  public List<Long> marked() throws IOException {
    List<Long> found = new ArrayList<>();
    String needle = VARIABLE + "=" + mark;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path dir : (Iterable<Path>) procs::iterator) {
        String name = dir.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String env =
              new String(Files.readAllBytes(dir.resolve("environ")), StandardCharsets.UTF_8);
          if (!env.contains(needle) || isZombie(dir)) {
            continue;
          }
          found.add(Long.parseLong(name));
        } catch (IOException | SecurityException e) {
          // The process ended while we looked, or is not ours to read.
        }
      }
    }
    return found;
  }

  /** Whether {@code pid} is a live process; a zombie waiting for a slow init to reap it is not. */
  public static boolean running(long pid) {
    Path dir = Path.of("/proc", Long.toString(pid));
    try {
      return !isZombie(dir);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isZombie(Path dir) throws IOException {
    String stat = Files.readString(dir.resolve("stat"));
    int close = stat.lastIndexOf(')');
    return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
  }

  private static String cmdline(long pid) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
              StandardCharsets.UTF_8)
          .replace('\0', ' ')
          .trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
