package dev.pmux.exec;

import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import org.jspecify.annotations.Nullable;

/**
 * The descriptor numbers under JDK streams and streams over inherited descriptors, for what must
 * live through an upgrade's exec (the guardian's lifeline); needs java.io opened to pmux.
 */
public final class Descriptors {
  private static final @Nullable Field FILTERED_OUT =
      PipePoller.accessible(FilterOutputStream.class, "out");
  private static final @Nullable Field DESCRIPTOR =
      PipePoller.accessible(java.io.FileDescriptor.class, "fd");

  private Descriptors() {}

  /** The descriptor under {@code stream} (a JDK process pipe, a file stream); -1 when unknown. */
  public static int descriptorOf(OutputStream stream) {
    try {
      Object inner = stream;
      if (inner instanceof FilterOutputStream && FILTERED_OUT != null) {
        inner = FILTERED_OUT.get(inner);
      }
      if (inner instanceof FileOutputStream file && DESCRIPTOR != null) {
        return DESCRIPTOR.getInt(file.getFD());
      }
    } catch (IllegalAccessException | IOException e) {
      // Unknown: the caller decides without it.
    }
    return -1;
  }

  /** An output stream over descriptor {@code fd}, inherited through the exec. */
  public static @Nullable OutputStream outputOf(int fd) {
    Field descriptor = DESCRIPTOR;
    if (descriptor == null || fd < 0) {
      return null;
    }
    java.io.FileDescriptor fdObject = new java.io.FileDescriptor();
    try {
      descriptor.setInt(fdObject, fd);
    } catch (IllegalAccessException e) {
      return null;
    }
    return new FileOutputStream(fdObject);
  }
}
