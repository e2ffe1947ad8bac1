package dev.pmux.jmx;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Registers pmux's MXBeans when the JVM's platform MBean server is first built, not before: that
 * server, with the JDK's own MXBeans (JFR's among them), costs a few hundred classes and about a
 * tenth of a second of CPU, and most runs never see a JMX client. {@code pmux ctl} (the local
 * management agent it starts through the attach mechanism), a Java agent or a remote connector
 * builds it, through this builder ({@code javax.management.builder.initial}), and finds pmux's
 * beans in it.
 */
public final class OnDemandPlatformBeans extends MBeanServerBuilder {
  private static final String BUILDER_PROPERTY = "javax.management.builder.initial";
  private static final Object LOCK = new Object();
  private static @Nullable MBeanServer built; // guarded by LOCK
  private static @Nullable Registration registration; // guarded by LOCK

  /** What to register in the platform MBean server once it exists. */
  @FunctionalInterface
  public interface Registration {
    void register(MBeanServer server) throws JMException;
  }

  /** Used by the JDK through {@code javax.management.builder.initial}. */
  public OnDemandPlatformBeans() {}

  /**
   * Makes this the JVM's MBean server builder, unless the user chose one or a server exists already
   * (a Java agent built it before {@code main}); call first thing in {@code main}.
   */
  public static void install() {
    if (System.getProperty(BUILDER_PROPERTY) == null
        && MBeanServerFactory.findMBeanServer(null).isEmpty()) {
      reachableFromJvmThreads();
      System.setProperty(BUILDER_PROPERTY, OnDemandPlatformBeans.class.getName());
    }
  }

  /**
   * The JDK loads the builder through the context class loader of the thread that first asks for
   * the platform server; for {@code pmux ctl} that is the JVM's "Attach Listener", made by the
   * "Signal Dispatcher" thread with its (null: bootstrap) loader, which cannot see pmux's classes.
   * Those threads get pmux's loader, which their later children inherit.
   */
  private static void reachableFromJvmThreads() {
    ClassLoader pmux = OnDemandPlatformBeans.class.getClassLoader();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getContextClassLoader() == null
          && (t.getName().equals("Signal Dispatcher") || t.getName().equals("Attach Listener"))) {
        t.setContextClassLoader(pmux);
      }
    }
  }

  /**
   * Runs {@code registration} on the platform MBean server: now if it exists (or this builder is
   * not in use), else when it is first built.
   */
  public static void whenBuilt(Registration registration) throws JMException {
    MBeanServer server;
    synchronized (LOCK) {
      boolean onDemand =
          OnDemandPlatformBeans.class.getName().equals(System.getProperty(BUILDER_PROPERTY));
      MBeanServer existing = built;
      if (onDemand && existing == null) {
        OnDemandPlatformBeans.registration = registration;
        return;
      }
      server = existing != null ? existing : ManagementFactory.getPlatformMBeanServer();
    }
    registration.register(server);
  }

  @Override
  public MBeanServer newMBeanServer(
      String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
    MBeanServer server = super.newMBeanServer(defaultDomain, outer, delegate);
    MBeanServer platform = outer != null ? outer : server;
    Registration pending;
    synchronized (LOCK) {
      // pmux builds no MBean server of its own: the first one built is the platform's.
      if (built != null) {
        return server;
      }
      built = platform;
      pending = registration;
      registration = null;
    }
    if (pending != null) {
      try {
        pending.register(platform);
      } catch (JMException e) {
        System.err.println("pmux: cannot register pmux's MXBeans: " + e.getMessage());
      }
    }
    return server;
  }
}
