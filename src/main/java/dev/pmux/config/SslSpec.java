package dev.pmux.config;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * TLS settings of the remote JMX connector: the key store that holds pmux's certificate and whether
 * clients must present one too.
 *
 * @param keyStorePassword null when the key store has none
 */
public record SslSpec(
    Path keyStore, @Nullable String keyStorePassword, String keyStoreType, boolean needClientAuth) {

  public SslSpec {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(keyStoreType, "keyStoreType");
  }

  /** Masks the password, so that logging a config never leaks it. */
  @Override
  public String toString() {
    return "SslSpec[keyStore="
        + keyStore
        + ", keyStorePassword="
        + (keyStorePassword == null ? "null" : "***")
        + ", keyStoreType="
        + keyStoreType
        + ", needClientAuth="
        + needClientAuth
        + "]";
  }
}
