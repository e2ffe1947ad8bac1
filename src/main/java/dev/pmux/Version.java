package dev.pmux;

import dev.pmux.exec.CommonsExecLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code pmux version}: pmux's version and the commit it was built from (written into the jar at
 * build time), the Java that runs it, and how pmux would launch programs here. The argument is the
 * JAVA_HOME the launcher used, if any.
 */
public final class Version {
  private Version() {}

  public static void main(String[] args) {
    Properties build = build();
    String javaHome = args.length > 0 && !args[0].isEmpty() ? args[0] : null;
    System.out.println(
        String.join(
            "\n",
            "pmux "
                + build.getProperty("version", "unknown")
                + " (commit "
                + build.getProperty("commit", "unknown")
                + ")",
            "Java "
                + System.getProperty("java.version")
                + " ("
                + System.getProperty("java.vendor")
                + ") at "
                + System.getProperty("java.home"),
            "JAVA_HOME " + (javaHome != null ? javaHome : "is not set (java found on PATH)"),
            "launcher " + CommonsExecLauncher.choice(System.getenv())));
  }

  /** This pmux's version, as in {@code 0.1.0 (commit abc1234)}. */
  static String current() {
    Properties build = build();
    return build.getProperty("version", "unknown")
        + " (commit "
        + build.getProperty("commit", "unknown")
        + ")";
  }

  private static Properties build() {
    Properties build = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/dev/pmux/build.properties")) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      // Unknown, then.
    }
    return build;
  }
}
