package dev.pmux.jmx;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What JConsole and VisualVM show for an attribute (on its getter), an operation or a parameter; on
 * a parameter, {@link #name()} is the name they show instead of {@code p0}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface Description {
  String value();

  /** A parameter's name; unused elsewhere. */
  String name() default "";
}
