package dev.pmux.config;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The remote JMX connector: one port for registry and RMI server, bound to {@code host}; files in
 * the JDK's jmxremote formats.
 *
 * @param passwordFile null when none is configured
 * @param accessFile null when none is configured
 * @param ssl null for a plain connector
 */
public record JmxSpec(
    String host,
    int port,
    @Nullable Path passwordFile,
    @Nullable Path accessFile,
    boolean authenticate,
    @Nullable SslSpec ssl) {

  public JmxSpec {
    Objects.requireNonNull(host, "host");
  }
}
