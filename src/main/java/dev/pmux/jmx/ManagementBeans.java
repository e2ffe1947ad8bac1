package dev.pmux.jmx;

import dev.pmux.log.Diagnostics;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers pmux's MXBeans and keeps them in step with the supervised set: one per program,
 * registered before it first starts and unregistered when a reload drops it.
 */
public final class ManagementBeans implements Supervisor.MembershipListener, AutoCloseable {
  /** JMX domain of every pmux MBean. */
  public static final String DOMAIN = "pmux";

  private final MBeanServer server;
  private final Supervisor supervisor;
  private final Runnable shutdown;
  private final Map<String, ProcessView> views = new ConcurrentHashMap<>();

  /**
   * Beans for {@code supervisor} on {@code server}; {@code shutdown} backs the shutdown()
   * operation.
   */
  public ManagementBeans(MBeanServer server, Supervisor supervisor, Runnable shutdown) {
    this.server = server;
    this.supervisor = supervisor;
    this.shutdown = shutdown;
  }

  /** {@code pmux:type=Supervisor}. */
  public static ObjectName supervisorName() {
    return name("pmux:type=Supervisor");
  }

  /**
   * {@code pmux:type=Process,name=<name>}; names are restricted so that they never need quoting.
   */
  public static ObjectName processName(String program) {
    return name("pmux:type=Process,name=" + program);
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("not a valid pmux MBean name: " + text, e);
    }
  }

  /** Registers the supervisor and every program, and follows reloads from now on. */
  public void registerAll() throws JMException {
    server.registerMBean(new SupervisorView(supervisor, shutdown), supervisorName());
    for (SupervisedProgram program : supervisor.programs()) {
      register(program);
    }
    supervisor.addMembershipListener(this);
  }

  private void register(SupervisedProgram program) throws JMException {
    // A reload can bring a program back while its namesake from an earlier reload is still
    // stopping: the new one takes the name.
    ProcessView previous = views.remove(program.name());
    if (previous != null) {
      previous.detach();
      unregister(processName(program.name()));
    }
    ProcessView view = new ProcessView(program);
    server.registerMBean(view, processName(program.name()));
    views.put(program.name(), view);
    view.attach();
  }

  @Override
  public void added(SupervisedProgram program) {
    try {
      register(program);
    } catch (JMException e) {
      Diagnostics.of(ManagementBeans.class)
          .error("cannot register the MXBean of {}", program.name(), e);
    }
  }

  @Override
  public void removed(SupervisedProgram program) {
    ProcessView view = views.get(program.name());
    // A later reload may have brought a new program of the same name: leave its bean alone.
    if (view != null && view.program() == program && views.remove(program.name(), view)) {
      view.detach();
      unregister(processName(program.name()));
    }
  }

  private void unregister(ObjectName name) {
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // Already gone.
    } catch (JMException e) {
      Diagnostics.of(ManagementBeans.class).warn("cannot unregister {}", name, e);
    }
  }

  /** Unregisters every pmux MBean. */
  @Override
  public void close() {
    views.forEach(
        (name, view) -> {
          view.detach();
          unregister(processName(name));
        });
    views.clear();
    unregister(supervisorName());
  }
}
