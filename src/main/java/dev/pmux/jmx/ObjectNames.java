package dev.pmux.jmx;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The names of pmux's MBeans, part of the JMX contract that clients such as {@code pmux ctl} rely
 * on: {@code pmux:type=Supervisor} and {@code pmux:type=Process,name=<name>}.
 */
public final class ObjectNames {
  /** JMX domain of every pmux MBean. */
  public static final String DOMAIN = "pmux";

  private ObjectNames() {}

  /** {@code pmux:type=Supervisor}. */
  public static ObjectName supervisor() {
    return name(DOMAIN + ":type=Supervisor");
  }

  /**
   * {@code pmux:type=Process,name=<name>}; names are restricted so that they never need quoting.
   */
  public static ObjectName process(String program) {
    return name(DOMAIN + ":type=Process,name=" + program);
  }

  /** {@code pmux:type=Process,name=*}: every program. */
  public static ObjectName everyProcess() {
    return name(DOMAIN + ":type=Process,name=*");
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("not a valid pmux MBean name: " + text, e);
    }
  }
}
