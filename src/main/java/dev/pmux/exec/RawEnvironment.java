package dev.pmux.exec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The environment a spawned child gets, as bytes: every variable of pmux's own raw environment
 * (libc's {@code environ}, so that a value that is not valid UTF-8 passes unchanged), except those
 * pmux sets or removes, which come from the {@code Map} that Commons Exec hands over.
 */
final class RawEnvironment {
  private final List<byte[]> inherited = new ArrayList<>();
  private final Map<String, String> jvm;

  private RawEnvironment(Map<String, String> jvm) {
    this.jvm = jvm;
    Pointer environ =
        NativeLibrary.getInstance("c").getGlobalVariableAddress("environ").getPointer(0);
    // A NULL-terminated array of C strings.
    for (int i = 0; environ != null; i++) {
      Pointer entry = environ.getPointer((long) i * Native.POINTER_SIZE);
      if (entry == null) {
        break;
      }
      inherited.add(entry.getByteArray(0, (int) entry.indexOf(0, (byte) 0)));
    }
  }

  /** pmux's environment now; read once, as the JDK reads its own once. */
  static RawEnvironment current() {
    return new RawEnvironment(System.getenv());
  }

  /**
   * The child's {@code envp} for {@code wanted}: the raw bytes of every inherited variable whose
   * value {@code wanted} leaves as the JVM decoded it, then every variable {@code wanted} adds or
   * changes; a variable {@code wanted} lacks is left out.
   */
  List<byte[]> envp(Map<String, String> wanted) {
    Map<String, String> pending = new HashMap<>(wanted);
    List<byte[]> envp = new ArrayList<>(wanted.size() + 8);
    for (byte[] entry : inherited) {
      int eq = indexOf(entry, (byte) '=');
      if (eq <= 0) {
        continue;
      }
      String name = new String(entry, 0, eq, StandardCharsets.UTF_8);
      if (!pending.containsKey(name)) {
        continue;
      }
      if (Objects.equals(pending.get(name), jvm.get(name))) {
        envp.add(entry);
        pending.remove(name);
      }
    }
    pending.forEach(
        (name, value) -> envp.add((name + "=" + value).getBytes(StandardCharsets.UTF_8)));
    return envp;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
