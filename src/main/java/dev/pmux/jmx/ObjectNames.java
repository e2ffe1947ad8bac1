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
   * {@code pmux:type=Process,name=<name>}; pmux.yml restricts names so that a program's never needs
   * quoting. Any other text (from ctl, a script) is quoted, so that it names no bean instead of
   * being read as ObjectName syntax ({@code web,type=Supervisor}) or failing to parse.
   */
  public static ObjectName process(String program) {
    return name(
        DOMAIN
            + ":type=Process,name="
            + (needsQuoting(program) ? ObjectName.quote(program) : program));
  }

  private static boolean needsQuoting(String value) {
    return value.isEmpty() || value.chars().anyMatch(c -> ",=:\"*?\\\n".indexOf(c) >= 0);
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
