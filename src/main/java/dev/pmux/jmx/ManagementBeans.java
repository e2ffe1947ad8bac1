package dev.pmux.jmx;

import dev.pmux.log.Diagnostics;
import dev.pmux.output.MergedOutput;
import dev.pmux.supervisor.SupervisedProgram;
import dev.pmux.supervisor.Supervisor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers pmux's MXBeans and keeps them in step with the supervised set: one per program,
 * registered before it first starts and unregistered when a reload drops it.
 */
public final class ManagementBeans implements Supervisor.MembershipListener, AutoCloseable {
  private final MBeanServer server;
  private final Supervisor supervisor;
  private final MergedOutput output;
  private final Runnable shutdown;
  private final Map<String, ProcessView> views = new ConcurrentHashMap<>();

  /**
   * Beans for {@code supervisor} on {@code server}; {@code output} carries pmux's record of
   * operator actions, {@code shutdown} backs the shutdown() operation.
   */
  public ManagementBeans(
      MBeanServer server, Supervisor supervisor, MergedOutput output, Runnable shutdown) {
    this.server = server;
    this.supervisor = supervisor;
    this.output = output;
    this.shutdown = shutdown;
  }

  /** Registers the supervisor and every program, and follows reloads from now on. */
  public void registerAll() throws JMException {
    SupervisorView view = new SupervisorView(supervisor, output, shutdown);
    server.registerMBean(
        new DescribedMBean<>(view, SupervisorMXBean.class, view), ObjectNames.supervisor());
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
      unregister(ObjectNames.process(program.name()));
    }
    ProcessView view = new ProcessView(program);
    server.registerMBean(
        new DescribedMBean<>(view, ProcessMXBean.class, view), ObjectNames.process(program.name()));
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
      unregister(ObjectNames.process(program.name()));
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
          unregister(ObjectNames.process(name));
        });
    views.clear();
    unregister(ObjectNames.supervisor());
  }
}
