package dev.pmux.jmx;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationEmitter;
import javax.management.StandardEmitterMBean;

/**
 * An MXBean whose MBeanInfo carries the {@link Description}s of its interface: JConsole and
 * VisualVM then explain every attribute, operation and parameter and show parameter names ({@code
 * signal(name)}) where plain MXBean introspection shows only the method name and {@code p0}.
 */
final class DescribedMBean<T> extends StandardEmitterMBean {
  private final Class<T> type;

  DescribedMBean(T implementation, Class<T> type, NotificationEmitter emitter) {
    super(implementation, type, true, emitter);
    this.type = type;
  }

  @Override
  protected String getDescription(MBeanInfo info) {
    Description d = type.getAnnotation(Description.class);
    return d != null ? d.value() : super.getDescription(info);
  }

  @Override
  protected String getDescription(MBeanAttributeInfo info) {
    return accessor(info)
        .map(m -> m.getAnnotation(Description.class))
        .map(Description::value)
        .orElseGet(() -> super.getDescription(info));
  }

  @Override
  protected String getDescription(MBeanOperationInfo info) {
    return operation(info)
        .map(m -> m.getAnnotation(Description.class))
        .map(Description::value)
        .orElseGet(() -> super.getDescription(info));
  }

  @Override
  protected int getImpact(MBeanOperationInfo info) {
    return operation(info).map(m -> m.isAnnotationPresent(ReadsOnly.class)).orElse(false)
        ? MBeanOperationInfo.INFO
        : MBeanOperationInfo.ACTION;
  }

  @Override
  protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int index) {
    return parameter(op, index)
        .map(Description::name)
        .filter(name -> !name.isEmpty())
        .orElseGet(() -> super.getParameterName(op, param, index));
  }

  @Override
  protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int index) {
    return parameter(op, index)
        .map(Description::value)
        .orElseGet(() -> super.getDescription(op, param, index));
  }

  /** The getter of an attribute (its setter when write-only). */
  private Optional<Method> accessor(MBeanAttributeInfo info) {
    String name = info.getName();
    return Arrays.stream(type.getMethods())
        .filter(m -> m.getParameterCount() == 0)
        .filter(m -> m.getName().equals("get" + name) || m.getName().equals("is" + name))
        .findFirst();
  }

  /** pmux's MBean interfaces never overload an operation: the name and arity find it. */
  private Optional<Method> operation(MBeanOperationInfo info) {
    return Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals(info.getName()))
        .filter(m -> m.getParameterCount() == info.getSignature().length)
        .findFirst();
  }

  private Optional<Description> parameter(MBeanOperationInfo op, int index) {
    return operation(op).map(m -> m.getParameters()[index].getAnnotation(Description.class));
  }
}
