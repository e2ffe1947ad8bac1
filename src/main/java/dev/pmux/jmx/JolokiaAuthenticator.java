package dev.pmux.jmx;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Properties;
import java.util.Set;
import javax.security.auth.Subject;
import org.jspecify.annotations.Nullable;

/**
 * The login of pmux's Jolokia agent ({@code authClass} in the options bin/pmux writes): checks the
 * one user and password of {@code PMUX_JOLOKIA_PASSWORD_FILE}, or lets everyone in when the options
 * name no user ({@code PMUX_JOLOKIA_AUTHENTICATE=false}, loopback only), and hands who came from
 * where to the operation, so that the record of operator actions names them.
 */
public final class JolokiaAuthenticator extends BasicAuthenticator {
  /** The system property that names the agent's options file; bin/pmux sets it. */
  static final String OPTIONS_PROPERTY = "pmux.jolokia.options";

  // Jolokia's JolokiaHttpHandler runs the request as the Subject under this exchange attribute
  // (its ConfigKey.JAAS_SUBJECT_REQUEST_ATTRIBUTE), so Caller finds it as it finds a JMX user. The
  // JDK keeps exchange attributes per HttpContext, not per exchange: bin/pmux runs the agent with
  // its single-thread executor, so each request sets the attribute before it reads it back.
  static final String SUBJECT_ATTRIBUTE = "org.jolokia.jaasSubject";

  private static final String REALM = "jolokia";

  private final @Nullable String user;
  private final byte[] password;

  /**
   * Reads {@code user} and {@code password} from the options file that {@value #OPTIONS_PROPERTY}
   * names; Jolokia calls this when it starts, and does not start when it throws.
   */
  public JolokiaAuthenticator() throws IOException {
    this(options(System.getProperty(OPTIONS_PROPERTY)));
  }

  /** With Jolokia's options {@code user} and {@code password}; no user lets everyone in. */
  JolokiaAuthenticator(Properties options) {
    super(REALM, StandardCharsets.UTF_8);
    this.user = options.getProperty("user");
    String secret = options.getProperty("password");
    if (user != null && (user.isEmpty() || secret == null || secret.isEmpty())) {
      throw new IllegalArgumentException("the Jolokia options name a user without a password");
    }
    this.password = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
  }

  private static Properties options(@Nullable String file) throws IOException {
    if (file == null) {
      throw new IllegalStateException(
          "no -D" + OPTIONS_PROPERTY + ": pmux's Jolokia login needs the agent's options file");
    }
    Properties options = new Properties();
    // Jolokia reads the same file as a Properties file, backslash escapes included.
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      options.load(in);
    }
    return options;
  }

  @Override
  public Result authenticate(HttpExchange exchange) {
    Result result;
    if (user == null) {
      result = new Success(new HttpPrincipal("anonymous", REALM));
    } else {
      try {
        result = super.authenticate(exchange);
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        // Not Base64, or no colon: the JDK's parser throws instead of refusing.
        result = new Failure(401);
      }
    }
    if (result instanceof Success) {
      InetSocketAddress from = exchange.getRemoteAddress();
      JolokiaClient client = new JolokiaClient(user, from.getAddress().getHostAddress());
      exchange.setAttribute(
          SUBJECT_ATTRIBUTE, new Subject(true, Set.of(client), Set.of(), Set.of()));
    }
    return result;
  }

  @Override
  public boolean checkCredentials(String givenUser, String givenPassword) {
    // Both compared in full, in time that does not tell how much of the password matched.
    boolean userMatches = givenUser.equals(user);
    boolean passwordMatches =
        MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
    return userMatches && passwordMatches;
  }
}
