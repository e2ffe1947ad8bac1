package dev.pmux.jmx;

import java.security.Principal;
import org.jspecify.annotations.Nullable;

/**
 * A client of the Jolokia agent, as {@link JolokiaAuthenticator} let it in: the user it logged in
 * as (null without a password, {@code PMUX_JOLOKIA_AUTHENTICATE=false}) and the address it
 * connected from.
 */
record JolokiaClient(@Nullable String user, String address) implements Principal {
  @Override
  public String getName() {
    return user == null ? "anonymous" : user;
  }

  /** As the record of operator actions names it: {@code monitor (Jolokia 127.0.0.1)}. */
  @Override
  public String toString() {
    return getName() + " (Jolokia " + address + ")";
  }
}
