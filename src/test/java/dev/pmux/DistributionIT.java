package dev.pmux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pmux.jmx.ProcessMXBean;
import dev.pmux.jmx.SupervisorMXBean;
import dev.pmux.testing.ProcessLeaks;
import dev.pmux.testing.UnpackedInstallation;
import dev.pmux.testing.UnpackedInstallation.Result;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar.gz as a user gets it: unpacked afresh for every test, driven through bin/pmux (start,
 * status, ctl, metrics, stop) and its failure cases.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DistributionIT {
  @RegisterExtension final ProcessLeaks leaks = new ProcessLeaks();
  // Unpacked at one path for the whole class: the class-data archives that the first runs make are
  // carried over to later tests (see UnpackedInstallation.unpackAgain). The tests of that first
  // run forget them.
  @TempDir static Path unpacked;
  @TempDir Path tmp;
  private UnpackedInstallation installation;
  private Path home;
  private Map<String, String> env;

  @BeforeEach
  void unpack() throws Exception {
    installation = UnpackedInstallation.unpackAgain(unpacked, tmp, leaks, Duration.ofSeconds(60));
    home = installation.home();
    env = installation.environment();
  }

  @AfterEach
  void stopPmux() throws Exception {
    if (installation != null) {
      installation.stopIfRunning(10);
    }
  }

  private Result pmux(String... args) throws IOException, InterruptedException {
    return installation.pmux(args);
  }

  private Result run(List<String> command) throws IOException, InterruptedException {
    return installation.run(command);
  }

  /** Leaves the home as the tarball has it: no archive of an earlier run. */
  private void forgetArchives() throws IOException {
    installation.forgetArchives(tmp.resolve("forgotten"));
  }

  private Path config(String yaml) throws IOException {
    return Files.writeString(tmp.resolve("pmux.yml"), yaml);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private static double metric(String page, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(page);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void tarballHoldsWhatUsersNeedAndNothingElse() throws Exception {
    assertThat(home.resolve("bin/pmux")).isExecutable();
    for (String f :
        List.of(
            "pmux.yml",
            "log4j2.xml",
            "jmx-exporter.yml",
            "pmux-alerts.yml",
            "jmxremote.access",
            "jmxremote.password.template",
            "jolokia-access.xml",
            "jolokia-access-control.xml",
            "pmux.service")) {
      assertThat(home.resolve("conf").resolve(f)).isRegularFile();
    }
    assertThat(home.resolve("README.md")).isRegularFile();
    assertThat(home.resolve("LICENSE")).isRegularFile();
    // README shows the screenshots: every image it names is in the tarball beside it.
    Matcher image =
        Pattern.compile("!\\[[^\\]]*\\]\\(([^)]+)\\)")
            .matcher(Files.readString(home.resolve("README.md")));
    int images = 0;
    while (image.find()) {
      assertThat(home.resolve(image.group(1))).as(image.group()).isRegularFile();
      images++;
    }
    assertThat(images).isPositive();
    List<String> jars = new ArrayList<>();
    try (DirectoryStream<Path> lib = Files.newDirectoryStream(home.resolve("lib"))) {
      lib.forEach(j -> jars.add(j.getFileName().toString()));
    }
    assertThat(jars)
        .anyMatch(j -> j.matches("pmux-.*\\.jar"))
        .anyMatch(j -> j.startsWith("jmx_prometheus_javaagent-"))
        .anyMatch(j -> j.matches("jolokia-agent-jvm-2\\.1\\..*-javaagent\\.jar"))
        .anyMatch(j -> j.startsWith("commons-exec-"))
        .noneMatch(j -> j.contains("junit") || j.contains("mockito") || j.contains("tests"));
    assertThat(jars).doesNotHaveDuplicates();
  }

  @Test
  void startStatusCtlMetricsStop_leaveNothingBehind() throws Exception {
    int metricsPort = freePort();
    env.put("PMUX_METRICS_PORT", Integer.toString(metricsPort));
    Path config =
        config(
            """
            processes:
              - {name: web, cmd: sleep, args: ["1000"]}
              - {name: crasher, cmd: /bin/sh, args: ["-c", "echo working; sleep 0.3; exit 3"], minWait: 200ms, maxWait: 200ms}
            """);
    Result start = pmux("start", "-c", config.toString());
    assertThat(start.status()).as(start.err()).isZero();
    assertThat(start.out()).startsWith("pmux started (pid ");
    assertThat(pmux("start", "-c", config.toString()).err()).contains("already running");

    Result status = pmux("status");
    assertThat(status.status()).isZero();
    assertThat(status.out()).startsWith("pmux is running (pid ");

    Result list = pmux("ctl", "list");
    assertThat(list.status()).as(list.err()).isZero();
    assertThat(list.out()).startsWith("NAME").contains("web").contains("crasher");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(scrape(metricsPort), "pmux_process_up{process=\"web\"}") == 1.0);
    String page = scrape(metricsPort);
    assertThat(metric(page, "pmux_process_state{process=\"web\",state=\"RUNNING\"}"))
        .isEqualTo(1.0);
    assertThat(metric(page, "pmux_process_state{process=\"web\",state=\"STOPPED\"}"))
        .isEqualTo(0.0);
    assertThat(metric(page, "pmux_process_state_code{process=\"web\"}")).isEqualTo(20.0);
    assertThat(metric(page, "pmux_process_last_exit_code{process=\"web\"}")).isEqualTo(-1.0);
    assertThat(metric(page, "pmux_process_uptime_seconds{process=\"web\"}"))
        .isGreaterThanOrEqualTo(0.0);
    assertThat(page).contains("jvm_memory_used_bytes");
    double restarts = metric(page, "pmux_process_restarts_total{process=\"crasher\"}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                metric(scrape(metricsPort), "pmux_process_restarts_total{process=\"crasher\"}")
                    > restarts);
    assertThat(metric(scrape(metricsPort), "pmux_process_last_exit_code{process=\"crasher\"}"))
        .isEqualTo(3.0);

    Result stop = pmux("ctl", "stop", "web");
    assertThat(stop.out()).isEqualTo("web: stopped\n");
    assertThat(metric(scrape(metricsPort), "pmux_process_up{process=\"web\"}")).isEqualTo(0.0);
    assertThat(metric(scrape(metricsPort), "pmux_process_state{process=\"web\",state=\"STOPPED\"}"))
        .isEqualTo(1.0);
    assertThat(pmux("ctl", "status", "web").out()).contains("state:       STOPPED (0)");
    assertThat(pmux("ctl", "start", "web").out()).isEqualTo("web: started\n");
    assertThat(pmux("ctl", "status", "web").status()).isZero();
    assertThat(pmux("ctl", "tail", "crasher", "-n", "50").out()).contains("crasher › working\n");
    Result unknown = pmux("ctl", "stop", "nope");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("no program named 'nope'");

    Result stopped = pmux("stop");
    assertThat(stopped.status()).isZero();
    assertThat(pmux("status").status()).isEqualTo(3);
    assertThat(pmux("ctl", "list").status()).isEqualTo(3);
    assertThat(Files.readString(home.resolve("logs/pmux.out")))
        .contains("pmux    ~ exited gracefully, ciao!");
    await().atMost(Duration.ofSeconds(5)).until(() -> leaks.marked().isEmpty());
  }

  @Test
  void everyNameTheConfigAccepts_hasItsSeries_andPromtoolFindsNothingToLint() throws Exception {
    int metricsPort = freePort();
    env.put("PMUX_METRICS_PORT", Integer.toString(metricsPort));
    List<String> names = List.of("a>b", "api/v1", "spa ce", "h\u00e9llo");
    StringBuilder yaml = new StringBuilder("processes:\n");
    for (String name : names) {
      yaml.append("  - {name: \"").append(name).append("\", cmd: sleep, args: [\"1000\"]}\n");
    }
    Result start = pmux("start", "-c", config(yaml.toString()).toString());
    assertThat(start.status()).as(start.err()).isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(scrape(metricsPort), "pmux_programs_running") == 4.0);
    String page = scrape(metricsPort);
    for (String name : names) {
      String process = "{process=\"" + name + "\"";
      assertThat(metric(page, "pmux_process_up" + process + "}")).as(name).isEqualTo(1.0);
      assertThat(metric(page, "pmux_process_state" + process + ",state=\"RUNNING\"}"))
          .as(name)
          .isEqualTo(1.0);
      assertThat(metric(page, "pmux_process_state" + process + ",state=\"FATAL\"}"))
          .as(name)
          .isEqualTo(0.0);
      assertThat(metric(page, "pmux_process_ready" + process + "}")).as(name).isEqualTo(1.0);
      assertThat(metric(page, "pmux_process_starts_total" + process + "}")).as(name).isEqualTo(1.0);
      assertThat(metric(page, "pmux_process_start_time_seconds" + process + "}"))
          .as(name)
          .isGreaterThan(1.7e9);
      assertThat(metric(page, "pmux_process_resident_memory_bytes" + process + "}"))
          .as(name)
          .isPositive();
      assertThat(metric(page, "pmux_process_cpu_seconds_total" + process + "}"))
          .as(name)
          .isGreaterThanOrEqualTo(0.0);
      assertThat(metric(page, "pmux_process_last_exit_time_seconds" + process + "}"))
          .as(name)
          .isEqualTo(0.0);
    }
    assertThat(metric(page, "pmux_programs")).isEqualTo(4.0);
    assertThat(metric(page, "pmux_start_time_seconds")).isGreaterThan(1.7e9);
    assertThat(metric(page, "pmux_reloads_total")).isEqualTo(0.0);
    assertThat(metric(page, "pmux_last_reload_success")).isEqualTo(1.0);
    // Only the names Prometheus users expect: the per-program series never pass for the JVM's.
    assertThat(page).doesNotContainPattern("(?m)^pmux\\S*_objectname");

    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      System.out.println("promtool not installed (Debian: apt-get install prometheus): not linted");
      return;
    }
    Path scraped = Files.writeString(tmp.resolve("metrics.txt"), page);
    Result lint =
        run(
            List.of(
                "/bin/sh",
                "-c",
                "\"$0\" check metrics < \"$1\"",
                promtool.toString(),
                scraped.toString()));
    assertThat(lint.status()).as(lint.out() + lint.err()).isZero();
    Result rules =
        run(
            List.of(
                promtool.toString(),
                "check",
                "rules",
                home.resolve("conf/pmux-alerts.yml").toString()));
    assertThat(rules.status()).as(rules.out() + rules.err()).isZero();
    assertThat(rules.out()).contains("SUCCESS: 4 rules found");
  }

  @Test
  void helpAndVersion_behaveLikeTheToolsPeopleKnow() throws Exception {
    for (String flag : List.of("--help", "-h", "help")) {
      Result help = pmux(flag);
      assertThat(help.status()).as(flag).isZero();
      assertThat(help.out())
          .startsWith("usage: pmux VERB [OPTIONS]\n")
          .contains("\n  run [-c FILE]  ")
          .contains("\n  start [-c FILE]  ")
          .contains("\n  stop [SECONDS]  ")
          .contains("\n  restart [-c FILE]  ")
          .contains("\n  status  ")
          .contains("\n  ctl [OPTIONS] VERB ...  ")
          .contains("\n  version  ");
    }
    for (String verb : List.of("run", "start", "stop", "restart", "status")) {
      Result help = pmux(verb, "--help");
      assertThat(help.status()).as(verb).isZero();
      assertThat(help.out()).as(verb).startsWith("usage: pmux " + verb).doesNotContain("pid-file");
    }
    assertThat(home.resolve("run/pmux.pid")).doesNotExist();
    assertThat(pmux("ctl", "--help").out()).startsWith("usage: pmux ctl");
    Result unknown = pmux("frobnicate");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("pmux: unknown verb 'frobnicate'\nusage: pmux VERB");

    for (String flag : List.of("version", "--version")) {
      Result version = pmux(flag);
      assertThat(version.status()).as(version.err()).isZero();
      assertThat(version.out())
          .matches(
              """
              pmux \\S+ \\(commit [0-9a-f]{12}\\)
              Java \\S+ \\(.+\\) at /\\S+
              JAVA_HOME is not set \\(java found on PATH\\)
              launcher (posix_spawn|jdk \\(PMUX_LAUNCHER=jdk\\))
              """);
      if (!"jdk".equals(System.getenv("PMUX_LAUNCHER"))) {
        assertThat(version.out()).endsWith("\nlauncher posix_spawn\n");
      }
    }
    env.put("PMUX_LAUNCHER", "jdk");
    assertThat(pmux("version").out()).endsWith("\nlauncher jdk (PMUX_LAUNCHER=jdk)\n");
    env.remove("PMUX_LAUNCHER");
    String javaHome = System.getProperty("java.home");
    env.put("JAVA_HOME", javaHome);
    assertThat(pmux("version").out()).contains("at " + javaHome + "\nJAVA_HOME " + javaHome + "\n");
  }

  @Test
  void aJavaHomeWithoutJava_isRefusedByName() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-a-jdk"));
    env.put("JAVA_HOME", empty.toString());
    for (String verb : List.of("run", "start", "version")) {
      Result r = pmux(verb);
      assertThat(r.status()).as(verb).isEqualTo(1);
      assertThat(r.err())
          .as(verb)
          .contains(
              "pmux: JAVA_HOME is set to '"
                  + empty
                  + "', which has no bin/java; point JAVA_HOME at a Java 17 or newer, or unset"
                  + " it to use java from PATH");
    }
  }

  @Test
  void aFailedStart_showsOnlyWhatThisAttemptWrote() throws Exception {
    Files.createDirectories(home.resolve("logs"));
    Files.writeString(home.resolve("logs/pmux.out"), "an old failure from last week\n".repeat(5));
    Path config = config("processes:\n  - {name: x, cmd: sleep, minWait: 5}\n");
    Result start = pmux("start", "-c", config.toString());
    assertThat(start.status()).isEqualTo(1);
    assertThat(start.err())
        .startsWith("pmux: failed to start; it wrote to " + home.resolve("logs/pmux.out") + ":\n")
        .contains("processes[0].minWait")
        .doesNotContain("an old failure");
  }

  @Test
  void runBesideAStartedPmux_isRefusedUnlessOnPurpose() throws Exception {
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    assertThat(pmux("start", "-c", config.toString()).status()).isZero();
    String pid = Files.readString(home.resolve("run/pmux.pid")).trim();
    Result second = pmux("run", "-c", config.toString());
    assertThat(second.status()).isEqualTo(1);
    assertThat(second.err())
        .contains("pmux of " + home + " is already running (pid " + pid + ", from 'pmux start')");

    Path other =
        Files.writeString(
            tmp.resolve("other.yml"),
            "processes:\n  - {name: once, cmd: /bin/echo, args: [other], noRestartOn: [0]}\n");
    env.put("PMUX_RUN_DIR", tmp.resolve("other-run").toString());
    Result onPurpose = pmux("run", "-c", other.toString());
    assertThat(onPurpose.status()).as(onPurpose.err()).isZero();
    assertThat(onPurpose.out()).contains("once › other");
    env.remove("PMUX_RUN_DIR");
  }

  @Test
  void theFirstCtlAfterAnInstall_printsOnlyItsAnswerOnStdout() throws Exception {
    assertThat(
            pmux(
                    "start",
                    "-c",
                    config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n")
                        .toString())
                .status())
        .isZero();
    assertThat(commandLineOf(installation.pid()))
        .as("VisualVM lists the JVM by this name")
        .contains("-Dvisualvm.display.name=pmux");
    forgetArchives();
    Result first = pmux("ctl", "list");
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out()).matches("(?s)NAME[^\n]*\nweb +RUNNING[^\n]*\n");
    Result second = pmux("ctl", "list");
    assertThat(second.out()).matches("(?s)NAME[^\n]*\nweb +RUNNING[^\n]*\n");
  }

  @Test
  void ctl_namesSignalDeaths_readsLocalTimes_andEveryActionIsOnTheRecord() throws Exception {
    Path config =
        config(
            "processes:\n"
                + "  - {name: web, cmd: sleep, args: [\"1000\"]}\n"
                + "  - {name: killed, cmd: /bin/sh, args: [\"-c\", \"kill -KILL $$\"],"
                + " minWait: 1h, maxWait: 1h}\n");
    assertThat(pmux("start", "-c", config.toString()).status()).isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> pmux("ctl", "list").out().contains("SIGKILL"));
    assertThat(pmux("ctl", "list").out())
        .containsPattern("(?m)^killed +BACKOFF +- +- +0 +SIGKILL$")
        .containsPattern("(?m)^web +RUNNING +\\d+ +\\d+s +0 +-$");
    assertThat(pmux("ctl", "status", "killed").out())
        .containsPattern("last exit:   SIGKILL at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\n")
        .as("each argument quoted as a shell needs it")
        .contains("command:     /bin/sh -c 'kill -KILL $$'\n")
        .as("the time left of the 1h backoff")
        .containsPattern("next start:  in 59m[0-5][0-9]s \\(backoff 1h00m\\)\n");

    assertThat(pmux("ctl", "stop", "web").out()).isEqualTo("web: stopped\n");
    Result reload = pmux("ctl", "reload");
    assertThat(reload.status()).as(reload.err()).isZero();
    String log = Files.readString(home.resolve("logs/pmux.out"));
    assertThat(log)
        .contains("web    ~ stop requested by local\nweb    ~ sending interrupt signal\n")
        .contains(
            "pmux   ~ reload requested by local\npmux   ~ reloaded "
                + config
                + ": added [], changed [], removed []\n");
  }

  @Test
  void theDemoShowsExponentialBackoff() throws Exception {
    assertThat(pmux("start").status()).isZero();
    Pattern wait = Pattern.compile("crasher +~ will restart process in ([0-9.]+)(ms|s)\n");
    List<Double> waits = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              waits.clear();
              Matcher m = wait.matcher(Files.readString(home.resolve("logs/pmux.out")));
              while (m.find()) {
                waits.add(Double.parseDouble(m.group(1)) / (m.group(2).equals("ms") ? 1000 : 1));
              }
              return waits.size() >= 3;
            });
    assertThat(waits.get(0)).isEqualTo(1.0);
    assertThat(waits.get(1)).isGreaterThan(waits.get(0));
    assertThat(waits.get(2)).isGreaterThan(waits.get(1));
  }

  /** Waits until Jolokia on {@code port} answers and reads program {@code web} as RUNNING. */
  private static void awaitWebRunningOverJolokia(int port) {
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                jolokia(port, "read/pmux:type=Process,name=web/State", null)
                    .contains("\"value\":\"RUNNING\""));
  }

  private static String jolokia(int port, String path, @Nullable String body) throws Exception {
    return jolokia(port, path, body, "monitor:s3cret \\ with spaces");
  }

  /** What Jolokia answers, as HTTP status and body; {@code credentials} USER:PASSWORD or null. */
  private static String jolokia(
      int port, String path, @Nullable String body, @Nullable String credentials) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jolokia/" + path));
    if (credentials != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    if (body != null) {
      request.POST(HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static String commandLineOf(long pid) throws IOException {
    return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
  }

  /** A Jolokia password file as an operator writes one: owner-only, a comment, one entry. */
  private Path jolokiaPasswordFile() throws IOException {
    Path file = tmp.resolve("jolokia.password");
    Files.writeString(file, "# USER PASSWORD\nmonitor s3cret \\ with spaces\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Test
  void jolokia_readsByDefault_executesOnlyWithTheControlPolicy_neverWritesTheJvm()
      throws Exception {
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    String stop =
        "{\"type\":\"exec\",\"mbean\":\"pmux:type=Process,name=web\",\"operation\":\"stop\"}";
    String jvmWrite =
        "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\","
            + "\"value\":true}";
    String jvmExec = "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}";
    env.put("PMUX_JOLOKIA_PASSWORD_FILE", jolokiaPasswordFile().toString());
    for (String policy : List.of("jolokia-access.xml", "jolokia-access-control.xml")) {
      int port = freePort();
      env.put("PMUX_JOLOKIA_PORT", Integer.toString(port));
      env.put("PMUX_JOLOKIA_POLICY", home.resolve("conf").resolve(policy).toString());
      assertThat(pmux("start", "-c", config.toString()).status()).isZero();
      awaitWebRunningOverJolokia(port);
      assertThat(jolokia(port, "read/java.lang:type=Runtime/Uptime", null))
          .contains("\"status\":200");
      assertThat(jolokia(port, "read/pmux:type=Process,name=web/State", null, null))
          .as("no credentials")
          .startsWith("401 ");
      assertThat(jolokia(port, "", stop, "monitor:wrong"))
          .as("a wrong password")
          .startsWith("401 ");
      String commandLine = commandLineOf(installation.pid());
      assertThat(commandLine)
          .as("the agent's options, password included, are not on its command line")
          .contains("jolokia-agent.properties")
          .doesNotContain("s3cret");
      assertThat(home.resolve("run/jolokia-agent.properties"))
          .as("the agent has read its options: the password is no longer on disk")
          .doesNotExist();
      assertThat(jolokia(port, "", jvmWrite)).contains("\"status\":403");
      assertThat(jolokia(port, "", jvmExec)).contains("\"status\":403");
      if (policy.equals("jolokia-access.xml")) {
        assertThat(jolokia(port, "", stop))
            .contains("\"status\":403")
            .contains("Operation stop forbidden");
        assertReadOnlyPolicyLimitsReadsAndAllowsTail(port);
      } else {
        assertThat(jolokia(port, "", stop)).contains("\"value\":\"web: stopped\"");
      }
      assertThat(pmux("stop").status()).isZero();
    }
    assertThat(Files.readString(home.resolve("logs/pmux.out")))
        .as("the record names the Jolokia user and the client's address")
        .contains("web  ~ stop requested by monitor (Jolokia 127.0.0.1)\n")
        .doesNotContain("requested by local");
  }

  /**
   * The read-only policy: pmux's and java.lang's attributes and tail, nothing else. Jolokia allows
   * whatever no section names, so the policy denies by name: every domain of the JVM and every pmux
   * operation must be covered, or a new one would be open.
   */
  private void assertReadOnlyPolicyLimitsReadsAndAllowsTail(int port) throws Exception {
    assertThat(jolokia(port, "exec/pmux:type=Process,name=web/tail/5", null))
        .contains("\"status\":200")
        .contains("~ starting process");
    assertThat(jolokia(port, "read/pmux:type=Supervisor/ProcessCount", null))
        .contains("\"status\":200");
    for (String read :
        List.of(
            "java.nio:type=BufferPool,name=direct/Count",
            "com.sun.management:type=HotSpotDiagnostic/DiagnosticOptions",
            "jdk.management.jfr:type=FlightRecorder/Recordings",
            "JMImplementation:type=MBeanServerDelegate/ImplementationName",
            "java.util.logging:type=Logging/LoggerNames")) {
      assertThat(jolokia(port, "read/" + read, null)).as(read).contains("\"status\":403");
    }
    for (String exec :
        List.of(
            "pmux:type=Supervisor/shutdown",
            "pmux:type=Supervisor/reload",
            "pmux:type=Supervisor/upgrade",
            "pmux:type=Process,name=web/signal/TERM",
            "com.sun.management:type=DiagnosticCommand/vmVersion")) {
      assertThat(jolokia(port, "exec/" + exec, null)).as(exec).contains("\"status\":403");
    }
    String policy = Files.readString(home.resolve("conf/jolokia-access.xml"));
    String denied = policy.substring(policy.indexOf("<deny>"));
    Matcher domains =
        Pattern.compile("\"([A-Za-z][^\":,]*):").matcher(jolokia(port, "search/*:*", null));
    while (domains.find()) {
      String domain = domains.group(1);
      if (!domain.equals("pmux") && !domain.equals("java.lang")) {
        assertThat(denied).as("domain " + domain).contains("<name>" + domain + ":*</name>");
      }
    }
    for (Class<?> bean : List.of(ProcessMXBean.class, SupervisorMXBean.class)) {
      for (Method m : bean.getMethods()) {
        String name = m.getName();
        if (!name.matches("(get|is|set)[A-Z].*") && !name.equals("tail")) {
          assertThat(denied)
              .as("operation " + name)
              .contains("<operation>" + name + "</operation>");
        }
      }
    }
  }

  @Test
  void jolokia_asksForAPasswordUnlessTurnedOffOnLoopback() throws Exception {
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    int port = freePort();
    env.put("PMUX_JOLOKIA_PORT", Integer.toString(port));
    Result refused = pmux("start", "-c", config.toString());
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err())
        .contains("PMUX_JOLOKIA_PORT is set but PMUX_JOLOKIA_PASSWORD_FILE is not");
    Path pw = jolokiaPasswordFile();
    Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
    env.put("PMUX_JOLOKIA_PASSWORD_FILE", pw.toString());
    assertThat(pmux("start", "-c", config.toString()).err())
        .contains("PMUX_JOLOKIA_PASSWORD_FILE " + pw + " can be read by others; chmod 600 it");
    env.remove("PMUX_JOLOKIA_PASSWORD_FILE");
    env.put("PMUX_JOLOKIA_AUTHENTICATE", "false");
    env.put("PMUX_JOLOKIA_HOST", "0.0.0.0");
    assertThat(pmux("start", "-c", config.toString()).err())
        .contains("PMUX_JOLOKIA_AUTHENTICATE=false is allowed on loopback only, not on 0.0.0.0");
    assertThat(pmux("status").status()).as("nothing was started").isEqualTo(3);
    env.remove("PMUX_JOLOKIA_HOST");
    env.put("PMUX_JOLOKIA_POLICY", home.resolve("conf/jolokia-access-control.xml").toString());
    Result open = pmux("start", "-c", config.toString());
    assertThat(open.status()).isZero();
    assertThat(open.err()).contains("asks for no password (PMUX_JOLOKIA_AUTHENTICATE=false)");
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                jolokia(port, "read/pmux:type=Process,name=web/State", null, null)
                    .contains("\"value\":\"RUNNING\""));
    assertThat(jolokia(port, "exec/pmux:type=Process,name=web/stop", null, null))
        .contains("\"value\":\"web: stopped\"");
    assertThat(pmux("stop").status()).isZero();
    assertThat(Files.readString(home.resolve("logs/pmux.out")))
        .as("without a password the record still names the client's address")
        .contains("web  ~ stop requested by anonymous (Jolokia 127.0.0.1)\n");
  }

  /**
   * Loopback is what a name resolves to, not how it is spelt: a name that starts with {@code 127.}
   * but does not resolve to loopback is refused, and so is one that resolves there through a hosts
   * file (in a private mount namespace, where the machine allows one) while a name that resolves to
   * loopback only is served.
   */
  @Test
  void jolokiaWithoutPassword_isRefusedOnANameThatDoesNotResolveToLoopbackOnly() throws Exception {
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    int port = freePort();
    env.put("PMUX_JOLOKIA_PORT", Integer.toString(port));
    env.put("PMUX_JOLOKIA_AUTHENTICATE", "false");
    env.put("PMUX_JOLOKIA_HOST", "127.attacker.invalid");
    Result unresolved = pmux("start", "-c", config.toString());
    assertThat(unresolved.status()).isEqualTo(1);
    assertThat(unresolved.err())
        .contains(
            "PMUX_JOLOKIA_AUTHENTICATE=false is allowed on loopback only, not on"
                + " 127.attacker.invalid (does not resolve)");
    assertThat(pmux("status").status()).as("nothing was started").isEqualTo(3);

    Path hosts =
        Files.writeString(
            tmp.resolve("hosts"),
            """
            127.0.0.1 localhost
            10.11.12.13 127.attacker.example
            127.0.0.1 both.example
            10.11.12.14 both.example
            127.0.0.1 loop.example
            """);
    Result probe = inPrivateHosts(hosts, List.of("getent", "ahosts", "127.attacker.example"));
    if (probe.status() != 0) {
      System.out.println("hosts-file cases skipped: no private mount namespace: " + probe.err());
      Assumptions.abort("no private mount namespace here: " + probe.err());
    }
    env.put("PMUX_JOLOKIA_HOST", "127.attacker.example");
    Result network = inPrivateHosts(hosts, List.of(pmuxPath(), "start", "-c", config.toString()));
    assertThat(network.status()).isEqualTo(1);
    assertThat(network.err()).contains("not on 127.attacker.example (resolves to 10.11.12.13)");
    env.put("PMUX_JOLOKIA_HOST", "both.example");
    assertThat(inPrivateHosts(hosts, List.of(pmuxPath(), "start", "-c", config.toString())).err())
        .as("one address off loopback is enough to refuse")
        .contains("not on both.example (resolves to 10.11.12.14 127.0.0.1)");
    assertThat(pmux("status").status()).as("nothing was started").isEqualTo(3);

    env.put("PMUX_JOLOKIA_HOST", "loop.example");
    Result served = inPrivateHosts(hosts, List.of(pmuxPath(), "start", "-c", config.toString()));
    assertThat(served.status()).as(served.err()).isZero();
    assertThat(served.err()).contains("Jolokia on loop.example:" + port + " asks for no password");
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                jolokia(port, "read/pmux:type=Process,name=web/State", null, null)
                    .contains("\"value\":\"RUNNING\""));
    assertThat(pmux("stop").status()).isZero();
  }

  private String pmuxPath() {
    return installation.executable().toString();
  }

  /** Runs {@code command} in a private mount namespace whose /etc/hosts is {@code hosts}. */
  private Result inPrivateHosts(Path hosts, List<String> command)
      throws IOException, InterruptedException {
    List<String> wrapped = new ArrayList<>();
    wrapped.addAll(
        List.of(
            "unshare",
            "-m",
            "sh",
            "-c",
            "mount --bind \"$0\" /etc/hosts && exec \"$@\"",
            hosts.toString()));
    wrapped.addAll(command);
    return run(wrapped);
  }

  @Test
  void fourStartsAtOnce_leaveOnePmuxThatStatusAndStopSee() throws Exception {
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    List<java.util.concurrent.Future<Result>> starts = new ArrayList<>();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 4; i++) {
        starts.add(pool.submit(() -> pmux("start", "-c", config.toString())));
      }
      List<Result> results = new ArrayList<>();
      for (var start : starts) {
        results.add(start.get(90, TimeUnit.SECONDS));
      }
      assertThat(results.stream().filter(r -> r.status() == 0)).as(results.toString()).hasSize(1);
      for (Result r : results) {
        if (r.status() != 0) {
          assertThat(r.err()).contains("pmux: already running (pid ");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Result status = pmux("status");
    assertThat(status.status()).isZero();
    String pid = Files.readString(home.resolve("run/pmux.pid")).trim();
    assertThat(status.out()).isEqualTo("pmux is running (pid " + pid + ")\n");
    assertThat(marked("dev.pmux.Main")).containsExactly(Long.parseLong(pid));
    await().atMost(Duration.ofSeconds(20)).until(() -> marked("sleep").size() == 1);
    assertThat(pmux("stop").status()).isZero();
    assertThat(pmux("status").status()).isEqualTo(3);
    await().atMost(Duration.ofSeconds(20)).until(() -> leaks.marked().isEmpty());
  }

  /** Live processes with this test's mark whose command line holds {@code text}. */
  private List<Long> marked(String text) throws IOException {
    List<Long> found = new ArrayList<>();
    for (long pid : leaks.marked()) {
      try {
        if (Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).contains(text)) {
          found.add(pid);
        }
      } catch (IOException e) {
        // Gone meanwhile.
      }
    }
    return found;
  }

  @Test
  void run_writesThePidFileThatStatusAndCtlUse() throws Exception {
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    ProcessBuilder builder =
        installation
            .processBuilder(
                List.of(installation.executable().toString(), "run", "-c", config.toString()))
            .redirectOutput(tmp.resolve("run.out").toFile())
            .redirectError(tmp.resolve("run.err").toFile());
    Process run = builder.start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.exists(home.resolve("run/pmux.pid")));
      assertThat(Files.readString(home.resolve("run/pmux.pid")).trim())
          .isEqualTo(Long.toString(run.pid()));
      assertThat(pmux("status").status()).isZero();
      Result list = pmux("ctl", "list");
      assertThat(list.status()).as(list.err()).isZero();
      assertThat(list.out()).contains("web");
      run.destroy();
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).isZero();
      assertThat(home.resolve("run/pmux.pid")).doesNotExist();
      assertThat(pmux("status").status()).isEqualTo(3);
    } finally {
      run.destroyForcibly();
    }
  }

  @Test
  void aRunDirOthersCanWrite_isRefusedBeforeAnythingIsWritten() throws Exception {
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    Path run = Files.createDirectories(home.resolve("run"));
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxr-x"));
    Result start = pmux("start", "-c", config.toString());
    assertThat(start.status()).isEqualTo(1);
    assertThat(start.err())
        .isEqualTo(
            "pmux: run directory "
                + run
                + " can be written by group or others, who could replace pmux's files in it; run"
                + " chmod go-w "
                + run
                + "\n");
    Result foreground = pmux("run", "-c", config.toString());
    assertThat(foreground.status()).isEqualTo(1);
    assertThat(foreground.err()).isEqualTo(start.err());
    assertThat(leaks.marked()).isEmpty();
  }

  /**
   * The attack of a shared run directory: its owner swaps the Jolokia agent's options (no password,
   * every address) in a loop while pmux starts. pmux refuses the directory, so the swap never
   * reaches an agent.
   */
  @Test
  void aRunDirOfAnotherUser_isRefusedWhileThatUserSwapsTheAgentsOptions() throws Exception {
    Assumptions.assumeTrue(
        "0".equals(run(List.of("id", "-u")).out().trim()), "needs root to act as a second user");
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    Path shared = tmp.resolve("shared-run");
    Files.createDirectories(shared);
    // The second user must reach it: the test's own directories are private.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(run(List.of("chown", "65534", shared.toString())).status()).isZero();
    int port = freePort();
    String swap =
        "while :; do printf 'host=0.0.0.0\\nport="
            + port
            + "\\ndiscoveryEnabled=false\\n' > \"$0/x\" && mv -f \"$0/x\""
            + " \"$0/jolokia-agent.properties\"; done";
    Process attacker =
        new ProcessBuilder(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "sh",
                "-c",
                swap,
                shared.toString())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.exists(shared.resolve("jolokia-agent.properties")));
      env.put("PMUX_RUN_DIR", shared.toString());
      env.put("PMUX_JOLOKIA_PORT", Integer.toString(port));
      env.put("PMUX_JOLOKIA_AUTHENTICATE", "false");
      Result start = pmux("start", "-c", config.toString());
      assertThat(start.status()).isEqualTo(1);
      assertThat(start.err())
          .startsWith(
              "pmux: run directory " + shared + " is owned by uid 65534, not by pmux's user");
      assertThat(leaks.marked()).isEmpty();
      try (java.net.Socket s = new java.net.Socket()) {
        assertThatThrownBy(
                () ->
                    s.connect(
                        new java.net.InetSocketAddress(
                            java.net.InetAddress.getLoopbackAddress(), port),
                        1000))
            .as("no agent listens")
            .isInstanceOf(IOException.class);
      }
    } finally {
      attacker.destroyForcibly();
      attacker.waitFor(10, TimeUnit.SECONDS);
      env.remove("PMUX_RUN_DIR");
    }
  }

  @Test
  void startWithABadConfig_failsAndSaysWhy() throws Exception {
    Path config = config("processes:\n  - {name: x, cmd: sleep, minWait: 5}\n");
    Result start = pmux("start", "-c", config.toString());
    assertThat(start.status()).isEqualTo(1);
    assertThat(start.err()).contains("failed to start").contains("processes[0].minWait");
    assertThat(pmux("status").status()).isEqualTo(3);
  }

  @Test
  void aStalePidFileIsCleanedAtStart_andReportedByStatus() throws Exception {
    Files.createDirectories(home.resolve("run"));
    // A pid that cannot be a running pmux: this test JVM's own is alive but is not pmux.
    Files.writeString(home.resolve("run/pmux.pid"), ProcessHandle.current().pid() + "\n");
    Result status = pmux("status");
    assertThat(status.status()).isEqualTo(1);
    assertThat(status.out()).contains("stale");
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    Result start = pmux("start", "-c", config.toString());
    assertThat(start.status()).as(start.err()).isZero();
    assertThat(start.err()).contains("replacing stale pid file");
    assertThat(Files.readString(home.resolve("run/pmux.pid")).trim())
        .isEqualTo(pmux("status").out().replaceAll("[^0-9]", ""));
    assertThat(pmux("stop").status()).isZero();
  }

  @Test
  void ctlWithAStalePidFileNamingAnotherProgram_sendsItNothing() throws Exception {
    Process bystander = new ProcessBuilder("sleep", "1000").start();
    try {
      Files.createDirectories(home.resolve("run"));
      Files.writeString(home.resolve("run/pmux.pid"), bystander.pid() + "\n");
      Result list = pmux("ctl", "list");
      assertThat(list.status()).isEqualTo(3);
      assertThat(list.err())
          .isEqualTo(
              "pmux ctl: pmux is not running: pid "
                  + bystander.pid()
                  + " is not pmux (sleep 1000); nothing was sent to it\n");
      assertThat(bystander.waitFor(300, TimeUnit.MILLISECONDS)).as("bystander ended").isFalse();
    } finally {
      bystander.destroyForcibly();
      bystander.waitFor(5, TimeUnit.SECONDS);
      Files.deleteIfExists(home.resolve("run/pmux.pid"));
    }
  }

  private static String hex(String text) {
    StringBuilder hex = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  @Test
  void bytesReachProgramsExactlyUnderAPosixLocale_andProgramsKeepTheUsersLocale() throws Exception {
    Assumptions.assumeTrue(
        "UTF-8".equals(System.getProperty("sun.jnu.encoding")),
        "the test JVM itself needs a UTF-8 locale to pass non-ASCII arguments");
    env.keySet().removeIf(k -> k.equals("LANG") || k.equals("LANGUAGE") || k.startsWith("LC_"));
    env.put("INHERITED", "h\u00e9llo \u65e5\u672c");
    Path dir = Files.createDirectories(tmp.resolve("d\u00efr w\u00f6rld"));
    Path script =
        Files.writeString(
            dir.resolve("sh\u00f6w.sh"),
            "#!/bin/sh\n"
                + "hex() { printf '%s' \"$1\" | od -An -v -tx1 | tr -d ' \\n'; }\n"
                + "echo \"cmd:$(hex \"$0\")\"\n"
                + "for a in \"$@\"; do echo \"arg:$(hex \"$a\")\"; done\n"
                + "echo \"env:$(hex \"$V\")\"\n"
                + "echo \"inherited:$(hex \"$INHERITED\")\"\n"
                + "echo \"pwd:$(hex \"$(pwd -P)\")\"\n"
                + "echo \"locale:LANG=${LANG-unset} LC_ALL=${LC_ALL-unset}"
                + " ${PMUX_FORCED_LC_ALL-}${PMUX_SAVED_LC_ALL-}\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    String arg1 = "h\u00e4llo w\u00f6rld";
    String arg2 = "\u65e5\u672c\u8a9e \u20ac";
    String value = "\u00fc\u00df \u2603";
    Path config = Files.createDirectories(tmp.resolve("c\u00f6nf")).resolve("pmux.yml");
    Files.writeString(
        config,
        "processes:\n"
            + "  - name: show\n"
            + "    cmd: \""
            + script
            + "\"\n"
            + "    args: [\""
            + arg1
            + "\", \""
            + arg2
            + "\"]\n"
            + "    env: {V: \""
            + value
            + "\"}\n"
            + "    dir: \""
            + dir
            + "\"\n"
            + "    noRestartOn: [0]\n",
        StandardCharsets.UTF_8);
    String expected =
        String.join(
            "\n",
            "show › cmd:" + hex(script.toString()),
            "show › arg:" + hex(arg1),
            "show › arg:" + hex(arg2),
            "show › env:" + hex(value),
            "show › inherited:" + hex(env.get("INHERITED")),
            "show › pwd:" + hex(dir.toRealPath().toString()),
            "show › locale:");
    // No locale at all, as in many container images; then one that is not UTF-8 either.
    for (String lcAll : new String[] {null, "C"}) {
      if (lcAll != null) {
        env.put("LC_ALL", lcAll);
      }
      Result run = pmux("run", "-c", config.toString());
      assertThat(run.status()).as(run.err()).isZero();
      assertThat(run.out())
          .as("LC_ALL=" + lcAll)
          .startsWith(expected)
          .endsWith("locale:LANG=unset LC_ALL=" + (lcAll == null ? "unset" : lcAll) + " \n");
      assertThat(run.err()).doesNotContain("Exception", "?");
    }
  }

  /**
   * A -c path that is not UTF-8 (a directory, or the file's own name) is read byte for byte under a
   * POSIX locale and a UTF-8 one, and a reload reads a new file moved to that name. The JVM cannot
   * name such a path: the shell makes it and passes it.
   */
  @Test
  void aConfigPathThatIsNotUtf8_isReadInEveryLocale_andReloaded() throws Exception {
    env.keySet().removeIf(k -> k.equals("LANG") || k.equals("LANGUAGE") || k.startsWith("LC_"));
    Path once =
        config("processes:\n  - {name: once, cmd: /bin/echo, args: [hi], noRestartOn: [0]}\n");
    String pmux = home.resolve("bin/pmux").toString();
    String make =
        """
        dir=$(printf '%s/conf-\\377\\376 x' "$1")
        mkdir -p "$dir" && cp "$2" "$dir/pmux.yml" && cp "$2" "$(printf '%s/pmux-\\377.yml' "$1")"
        """;
    assertThat(run(List.of("sh", "-c", make, "sh", tmp.toString(), once.toString())).status())
        .isZero();
    String inDir = "%s/conf-\\377\\376 x/pmux.yml";
    String named = "%s/pmux-\\377.yml";
    for (String lang : List.of("C", "C.UTF-8")) {
      env.put("LANG", lang);
      for (String path : List.of(inDir, named)) {
        Result run =
            run(
                List.of(
                    "sh",
                    "-c",
                    "exec \"$0\" run -c \"$(printf \"$2\" \"$1\")\"",
                    pmux,
                    tmp.toString(),
                    path));
        assertThat(run.status()).as(lang + " " + path + ": " + run.err()).isZero();
        assertThat(run.out()).as(lang + " " + path).isEqualTo("once › hi\n");
      }
    }
    env.put("LANG", "C");
    Path sleeper = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    Path two =
        Files.writeString(
            tmp.resolve("two.yml"),
            """
            processes:
              - {name: web, cmd: sleep, args: ["1000"]}
              - {name: two, cmd: sleep, args: ["1000"]}
            """);
    String startThenReplace =
        """
        dir=$(printf '%s/conf-\\377\\376 x' "$1")
        cp "$2" "$dir/pmux.yml" && "$0" start -c "$dir/pmux.yml" || exit 1
        cp "$3" "$dir/new.yml" && mv "$dir/new.yml" "$dir/pmux.yml"
        """;
    Result started =
        run(
            List.of(
                "sh",
                "-c",
                startThenReplace,
                pmux,
                tmp.toString(),
                sleeper.toString(),
                two.toString()));
    assertThat(started.status()).as(started.err()).isZero();
    Result reloaded = pmux("ctl", "reload");
    assertThat(reloaded.status()).as(reloaded.err()).isZero();
    assertThat(reloaded.out()).contains("added [two], changed [], removed []");
    assertThat(pmux("stop").status()).isZero();
  }

  @Test
  void aLog4jConfigurationInJavaOpts_winsOverTheShippedOne() throws Exception {
    Path custom = tmp.resolve("custom.log");
    Path log4j =
        Files.writeString(
            tmp.resolve("log4j2.xml"),
            "<Configuration status=\"warn\" shutdownHook=\"disable\">\n"
                + "  <Appenders><File name=\"f\" fileName=\""
                + custom
                + "\"><PatternLayout pattern=\"%X{process} %msg%n\"/></File></Appenders>\n"
                + "  <Loggers><Logger name=\"pmux.process\" level=\"info\" additivity=\"false\">"
                + "<AppenderRef ref=\"f\"/></Logger><Root level=\"warn\"/></Loggers>\n"
                + "</Configuration>\n");
    env.put("JAVA_OPTS", "-Dlog4j2.configurationFile=" + log4j);
    Path config =
        config("processes:\n  - {name: say, cmd: /bin/echo, args: [hello], noRestartOn: [0]}\n");
    Result run = pmux("run", "-c", config.toString());
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("say  › hello\n");
    // The program's line and pmux's events about it, each with the program's name to route on.
    assertThat(Files.readAllLines(custom))
        .containsSubsequence(
            "say ~ starting process", "say hello", "say ~ stopped process handler");
  }

  /**
   * logs/pmux.out of start stays bounded: it rotates past PMUX_OUT_MAX_KB, keeps PMUX_OUT_KEEP
   * older files, loses no line at a rotation, and what the JVM itself writes (a thread dump)
   * follows.
   */
  @Test
  void pmuxOutRotates_keepsTheNewestFiles_andLosesNoLine() throws Exception {
    Path config =
        config(
            """
            processes:
              - name: spew
                cmd: /bin/sh
                args: ["-c", "seq 1 8000 | sed 's/$/ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/'; echo spewed; exec sleep 1000"]
            """);
    Path logs = home.resolve("logs");
    Files.createDirectories(logs);
    Files.writeString(logs.resolve("pmux.out"), "from an earlier run\n");
    env.put("PMUX_OUT_MAX_KB", "64");
    env.put("PMUX_OUT_KEEP", "2");
    assertThat(pmux("start", "-c", config.toString()).status()).isZero();
    Path current = logs.resolve("pmux.out");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(current).contains("spew › spewed\n"));
    assertThat(logs.resolve("pmux.out.1")).exists();
    assertThat(logs.resolve("pmux.out.2")).exists();
    assertThat(logs.resolve("pmux.out.3")).as("PMUX_OUT_KEEP=2").doesNotExist();
    // Rotation is checked after each batch of lines: a file ends within one batch of the bound.
    for (String f : List.of("pmux.out", "pmux.out.1", "pmux.out.2")) {
      assertThat(Files.size(logs.resolve(f))).as(f).isLessThan(64 * 1024 + 4 * 64 * 1024);
    }
    // The kept files hold one unbroken run of lines, up to the last.
    List<Integer> numbers = new ArrayList<>();
    Pattern line = Pattern.compile("(?m)^spew +› (\\d+) a{40}$");
    for (String f : List.of("pmux.out.2", "pmux.out.1", "pmux.out")) {
      Matcher m = line.matcher(Files.readString(logs.resolve(f)));
      while (m.find()) {
        numbers.add(Integer.parseInt(m.group(1)));
      }
    }
    assertThat(numbers).isNotEmpty().endsWith(8000);
    int first = numbers.get(0);
    assertThat(numbers)
        .as("no line lost at a rotation")
        .isEqualTo(IntStream.rangeClosed(first, 8000).boxed().toList());
    assertThat(first).as("the oldest files are gone").isGreaterThan(1);

    long pid = installation.pid();
    assertThat(run(List.of("kill", "-QUIT", Long.toString(pid))).status()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(current).contains("Full thread dump"));
    assertThat(pmux("stop").status()).isZero();
    assertThat(Files.readString(current)).contains("pmux ~ exited gracefully, ciao!\n");
  }

  @Test
  void sigquitsThreadDumpGoesToStderr_andStdoutKeepsOnlyProgramLines() throws Exception {
    Path config =
        config(
            """
            processes:
              - {name: tick, cmd: /bin/sh, args: ["-c", "while :; do echo tick; sleep 0.05; done"]}
            """);
    Path out = tmp.resolve("run.out");
    Path err = tmp.resolve("run.err");
    ProcessBuilder builder =
        installation
            .processBuilder(
                List.of(installation.executable().toString(), "run", "-c", config.toString()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    Process pmux = builder.start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(out).contains("tick › tick\n"));
      assertThat(run(List.of("kill", "-QUIT", Long.toString(pmux.pid()))).status()).isZero();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(err).contains("Full thread dump"));
      assertThat(run(List.of("kill", "-TERM", Long.toString(pmux.pid()))).status()).isZero();
      assertThat(pmux.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(pmux.exitValue()).isZero();
    } finally {
      pmux.destroyForcibly();
      pmux.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(Files.readAllLines(out)).isNotEmpty().allMatch(line -> line.equals("tick › tick"));
  }

  @Test
  void missingOrOldJava_isExplained() throws Exception {
    env.put("PATH", "/usr/bin:/bin");
    Path fakeHome = Files.createDirectories(tmp.resolve("old-jdk/bin"));
    Path fakeJava = fakeHome.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\necho 'java version \"1.8.0_392\"' >&2\n");
    fakeJava.toFile().setExecutable(true);
    env.put("JAVA_HOME", tmp.resolve("old-jdk").toString());
    Result old = pmux("run");
    assertThat(old.status()).isEqualTo(1);
    assertThat(old.err()).contains("Java 17 or newer is needed").contains("1.8.0");

    Path emptyBin = Files.createDirectories(tmp.resolve("empty-bin"));
    for (String tool : List.of("sh", "dirname", "readlink", "sed", "head", "cut", "tr", "grep")) {
      Path real = Path.of("/usr/bin", tool);
      Files.createSymbolicLink(
          emptyBin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
    }
    env.put("PATH", emptyBin.toString());
    env.remove("JAVA_HOME");
    Result none = pmux("status");
    assertThat(none.status()).as("status needs no Java").isEqualTo(3);
    Result noJava = pmux("run");
    assertThat(noJava.status()).isEqualTo(1);
    assertThat(noJava.err()).contains("no Java found");
    // Links out of the temporary directory: removed here, so JUnit need not warn about them.
    try (DirectoryStream<Path> links = Files.newDirectoryStream(emptyBin)) {
      for (Path link : links) {
        Files.delete(link);
      }
    }
  }

  @Test
  void theFirstGracefulRunArchivesClassesAndLaterRunsUseThemSilently() throws Exception {
    forgetArchives();
    Path config =
        config("processes:\n  - {name: once, cmd: /bin/echo, args: [hi], noRestartOn: [0]}\n");
    Result first = pmux("run", "-c", config.toString());
    assertThat(first.status()).isZero();
    List<Path> archives = new ArrayList<>();
    try (DirectoryStream<Path> run = Files.newDirectoryStream(home.resolve("run"), "cds-*.jsa")) {
      run.forEach(archives::add);
    }
    assertThat(archives).hasSize(1);
    Result second = pmux("run", "-c", config.toString());
    assertThat(second.status()).isZero();
    assertThat(second.out()).isEqualTo("once › hi\n");
    assertThat(second.err()).isEqualTo(first.err()).doesNotContain("cds").doesNotContain("warning");
  }

  @Test
  void jarsReplacedInPlace_getANewArchiveInsteadOfAWarningAtEveryStart() throws Exception {
    Path config =
        config("processes:\n  - {name: once, cmd: /bin/echo, args: [hi], noRestartOn: [0]}\n");
    Result first = pmux("run", "-c", config.toString());
    assertThat(first.status()).isZero();
    Path jar;
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(home.resolve("lib"), "pmux-*.jar")) {
      jar = jars.iterator().next();
    }
    // An upgrade into the same lib/: same names, other files.
    Files.setLastModifiedTime(
        jar,
        FileTime.fromMillis(
            Files.getLastModifiedTime(jar).toMillis() + Duration.ofDays(1).toMillis()));
    Result upgraded = pmux("run", "-c", config.toString());
    Result later = pmux("run", "-c", config.toString());
    for (Result run : List.of(upgraded, later)) {
      assertThat(run.status()).isZero();
      assertThat(run.out()).isEqualTo("once › hi\n");
      assertThat(run.err()).isEqualTo(first.err()).doesNotContain("cds").doesNotContain("warning");
    }
    List<Path> archives = new ArrayList<>();
    try (DirectoryStream<Path> run = Files.newDirectoryStream(home.resolve("run"), "cds-*.jsa")) {
      run.forEach(archives::add);
    }
    assertThat(archives).as("the old archive and the new one").hasSize(2);
  }

  /**
   * On Java 25 and newer the first run makes an ahead-of-time cache, its progress on stderr (never
   * in the merged stdout), and later runs use it silently. Runs where a Java 25 is installed:
   * {@code -Dpmux.test.java25=/path/to/jdk}, by default the build machines' Temurin 25.
   */
  @Test
  void onJava25_theFirstRunMakesAnAheadOfTimeCacheThatLaterRunsUseSilently() throws Exception {
    Path jdk25 =
        Path.of(System.getProperty("pmux.test.java25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    Assumptions.assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), "no Java 25 at " + jdk25);
    env.put("JAVA_HOME", jdk25.toString());
    forgetArchives();
    Path config =
        config("processes:\n  - {name: once, cmd: /bin/echo, args: [hi], noRestartOn: [0]}\n");
    Result first = pmux("run", "-c", config.toString());
    assertThat(first.status()).isZero();
    assertThat(first.out()).isEqualTo("once › hi\n");
    List<Path> caches = new ArrayList<>();
    try (DirectoryStream<Path> run = Files.newDirectoryStream(home.resolve("run"), "aot-*.aot")) {
      run.forEach(caches::add);
    }
    assertThat(caches).hasSize(1);
    Result second = pmux("run", "-c", config.toString());
    assertThat(second.status()).isZero();
    assertThat(second.out()).isEqualTo("once › hi\n");
    assertThat(second.err())
        .isEqualTo(
            """
            once ~ starting process
            once ~ exit code: 0
            once ~ stopped process handler
            pmux ~ exited gracefully, ciao!
            """);
  }

  /**
   * Java 23 and newer have no Subject.getSubject: finding who asked for an operation must not make
   * the operation fail (on Java 25 every ctl and Jolokia action failed with
   * UnsupportedOperationException), and the record still names the Jolokia user.
   */
  @Test
  void onJava25_operatorActionsWork_andTheRecordNamesTheirCaller() throws Exception {
    Path jdk25 =
        Path.of(System.getProperty("pmux.test.java25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    Assumptions.assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), "no Java 25 at " + jdk25);
    env.put("JAVA_HOME", jdk25.toString());
    int port = freePort();
    env.put("PMUX_JOLOKIA_PORT", Integer.toString(port));
    env.put("PMUX_JOLOKIA_PASSWORD_FILE", jolokiaPasswordFile().toString());
    env.put("PMUX_JOLOKIA_POLICY", home.resolve("conf/jolokia-access-control.xml").toString());
    Path config = config("processes:\n  - {name: web, cmd: sleep, args: [\"1000\"]}\n");
    assertThat(pmux("start", "-c", config.toString()).status()).isZero();
    awaitWebRunningOverJolokia(port);
    assertThat(jolokia(port, "exec/pmux:type=Process,name=web/stop", null))
        .contains("\"value\":\"web: stopped\"");
    Result start = pmux("ctl", "start", "web");
    assertThat(start.status()).as(start.err()).isZero();
    assertThat(pmux("stop").status()).isZero();
    assertThat(Files.readString(home.resolve("logs/pmux.out")))
        .contains(
            "web  ~ stop requested by monitor (Jolokia 127.0.0.1)\n",
            "web  ~ start requested by local\n")
        .doesNotContain("Exception");
  }

  @Test
  void worksThroughASymlinkFromAnyDirectory() throws Exception {
    Path link = tmp.resolve("elsewhere/pmux");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, home.resolve("bin/pmux"));
    Path config =
        config("processes:\n  - {name: once, cmd: /bin/echo, args: [hi], noRestartOn: [0]}\n");
    Result run;
    try {
      run = run(List.of(link.toString(), "run", "-c", config.toString()));
    } finally {
      // The home lies outside this test's directory, where JUnit warns about a link into it.
      Files.delete(link);
    }
    assertThat(run.status()).isZero();
    assertThat(run.out()).isEqualTo("once › hi\n");
  }

  @Test
  void theScriptIsShellcheckClean() throws Exception {
    boolean present = run(List.of("sh", "-c", "command -v shellcheck")).status() == 0;
    // CI installs shellcheck; elsewhere the check runs when it is there.
    Assumptions.assumeTrue(
        present || "true".equals(System.getenv("CI")), "shellcheck is not installed");
    Result check = run(List.of("shellcheck", home.resolve("bin/pmux").toString()));
    assertThat(check.status()).as(check.out()).isZero();
  }
}
