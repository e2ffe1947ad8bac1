package dev.pmux.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.security.auth.Subject;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * pmux's Jolokia login over real HTTP, on the JDK's server as the agent runs it, with a handler
 * that does what Jolokia's JolokiaHttpHandler does with the login's Subject (runs the request as
 * it) and answers who {@link Caller} says asked. DistributionIT covers the real agent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JolokiaAuthenticatorTest {
  @TempDir Path tmp;
  private @Nullable HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private int serve(JolokiaAuthenticator login) throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/jolokia", JolokiaAuthenticatorTest::answerCaller).setAuthenticator(login);
    http.start();
    server = http;
    return http.getAddress().getPort();
  }

  @SuppressWarnings("removal") // as Jolokia 2.1 runs a request: Subject.doAs
  private static void answerCaller(HttpExchange exchange) throws IOException {
    Subject subject = (Subject) exchange.getAttribute(JolokiaAuthenticator.SUBJECT_ATTRIBUTE);
    String caller;
    try {
      caller =
          subject == null
              ? Caller.describe()
              : Subject.doAs(subject, (PrivilegedExceptionAction<String>) Caller::describe);
    } catch (java.security.PrivilegedActionException e) {
      throw new IOException(e);
    }
    byte[] body = caller.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String get(int port, @Nullable String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jolokia/"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  private static Properties options(@Nullable String user, @Nullable String password) {
    Properties options = new Properties();
    if (user != null) {
      options.setProperty("user", user);
    }
    if (password != null) {
      options.setProperty("password", password);
    }
    return options;
  }

  @Test
  void theRightPassword_namesTheUserAndTheClientAddress() throws Exception {
    int port = serve(new JolokiaAuthenticator(options("monitor", "s3cret \u00e9")));
    assertThat(get(port, basic("monitor:s3cret \u00e9")))
        .isEqualTo("200 monitor (Jolokia 127.0.0.1)");
  }

  @Test
  void aWrongPasswordOrUser_noneAndGarbage_areRefusedWith401() throws Exception {
    int port = serve(new JolokiaAuthenticator(options("monitor", "s3cret")));
    assertThat(get(port, basic("monitor:wrong"))).startsWith("401");
    assertThat(get(port, basic("other:s3cret"))).startsWith("401");
    assertThat(get(port, basic("monitor:s3cretX"))).startsWith("401");
    assertThat(get(port, null)).startsWith("401");
    assertThat(get(port, "Basic not-base64!")).startsWith("401");
    assertThat(get(port, basic("no colon"))).startsWith("401");
    assertThat(get(port, basic("monitor:s3cret")))
        .as("the right password after refused ones")
        .isEqualTo("200 monitor (Jolokia 127.0.0.1)");
  }

  @Test
  void withoutAUser_everyoneIsLetIn_asAnonymousFromTheirAddress() throws Exception {
    int port = serve(new JolokiaAuthenticator(options(null, null)));
    assertThat(get(port, null)).isEqualTo("200 anonymous (Jolokia 127.0.0.1)");
  }

  @Test
  void readsTheAgentsOptionsFile_asJolokiaReadsIt() throws Exception {
    Path file =
        Files.writeString(
            tmp.resolve("jolokia-agent.properties"),
            "port=8778\nuser=mon\\\\itor\npassword=pass word \\\\ with\n");
    String before = System.getProperty(JolokiaAuthenticator.OPTIONS_PROPERTY);
    System.setProperty(JolokiaAuthenticator.OPTIONS_PROPERTY, file.toString());
    try {
      int port = serve(new JolokiaAuthenticator());
      assertThat(get(port, basic("mon\\itor:pass word \\ with")))
          .isEqualTo("200 mon\\itor (Jolokia 127.0.0.1)");
    } finally {
      if (before == null) {
        System.clearProperty(JolokiaAuthenticator.OPTIONS_PROPERTY);
      } else {
        System.setProperty(JolokiaAuthenticator.OPTIONS_PROPERTY, before);
      }
    }
  }

  @Test
  void noOptionsFile_orAUserWithoutPassword_keepsJolokiaFromStarting() {
    String before = System.getProperty(JolokiaAuthenticator.OPTIONS_PROPERTY);
    System.clearProperty(JolokiaAuthenticator.OPTIONS_PROPERTY);
    try {
      assertThatThrownBy(JolokiaAuthenticator::new).hasMessageContaining("-Dpmux.jolokia.options");
    } finally {
      if (before != null) {
        System.setProperty(JolokiaAuthenticator.OPTIONS_PROPERTY, before);
      }
    }
    assertThatThrownBy(() -> new JolokiaAuthenticator(options("monitor", null)))
        .hasMessage("the Jolokia options name a user without a password");
  }
}
