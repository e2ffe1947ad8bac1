import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor of the pmux benchmarks: the least a JVM program must do to run N programs and merge
 * their stdout with pmux's prefixes. One thread per child's stdout, a 64 KiB read framed into whole
 * lines, each prefixed ({@code <name><pad>› }), one write per read under one lock (the same
 * contract as pmux: no line waits in a buffer, lines never interleave). No restarts, no JMX, no
 * logging framework, no configuration library. stderr is inherited unprefixed.
 *
 * <p>Usage: {@code java -cp DIR Copier -c pmux.yml}; reads only the subset of pmux.yml the
 * harness writes ({@code name:}, {@code cmd:}, {@code args: ["a", "b"]}, one key per line). Exits
 * 0 when every child has exited; on SIGTERM/SIGINT it sends SIGTERM to every child, waits, exits.
 */
public final class Copier {
  private static final byte[] SEP = "› ".getBytes(StandardCharsets.UTF_8);
  private static final Object LOCK = new Object();
  private static final OutputStream OUT = new FileOutputStream(FileDescriptor.out);

  record Program(String name, List<String> command) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("-c")) {
      System.err.println("usage: Copier -c pmux.yml");
      System.exit(2);
    }
    List<Program> programs = parse(Path.of(args[1]));
    int width = 5;
    for (Program p : programs) {
      width = Math.max(width, p.name().getBytes(StandardCharsets.UTF_8).length + 1);
    }
    List<Process> processes = new ArrayList<>();
    List<Thread> pumps = new ArrayList<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process p : processes) {
                    p.destroy();
                  }
                  for (Process p : processes) {
                    try {
                      p.waitFor();
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }));
    for (Program program : programs) {
      Process process =
          new ProcessBuilder(program.command())
              .redirectInput(new File("/dev/null"))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      processes.add(process);
      byte[] prefix = prefix(program.name(), width);
      Thread t = new Thread(() -> pump(process.getInputStream(), prefix), "pump-" + program.name());
      t.start();
      pumps.add(t);
    }
    for (Thread t : pumps) {
      t.join();
    }
    for (Process p : processes) {
      p.waitFor();
    }
  }

  private static byte[] prefix(String name, int width) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[Math.max(width, n.length) + SEP.length];
    System.arraycopy(n, 0, out, 0, n.length);
    for (int i = n.length; i < out.length - SEP.length; i++) {
      out[i] = ' ';
    }
    System.arraycopy(SEP, 0, out, out.length - SEP.length, SEP.length);
    return out;
  }

  private static void pump(InputStream in, byte[] prefix) {
    byte[] buf = new byte[64 * 1024];
    byte[] batch = new byte[2 * buf.length + 4096];
    int carried = 0; // bytes of an unfinished line at buf[0..carried)
    try {
      for (;;) {
        int n = in.read(buf, carried, buf.length - carried);
        if (n < 0) {
          break;
        }
        int end = carried + n;
        int size = 0;
        int start = 0;
        for (int i = 0; i < end; i++) {
          if (buf[i] == '\n') {
            int len = i + 1 - start;
            int need = prefix.length + len;
            if (size + need > batch.length) {
              batch = java.util.Arrays.copyOf(batch, Math.max(batch.length * 2, size + need));
            }
            System.arraycopy(prefix, 0, batch, size, prefix.length);
            System.arraycopy(buf, start, batch, size + prefix.length, len);
            size += need;
            start = i + 1;
          }
        }
        carried = end - start;
        if (carried == buf.length) { // a line longer than the buffer: pass it on in pieces
          System.arraycopy(prefix, 0, batch, size, prefix.length);
          System.arraycopy(buf, 0, batch, size + prefix.length, carried);
          size += prefix.length + carried;
          batch[size++] = '\n';
          carried = 0;
        } else {
          System.arraycopy(buf, start, buf, 0, carried);
        }
        write(batch, size);
      }
      if (carried > 0) {
        byte[] last = new byte[prefix.length + carried + 1];
        System.arraycopy(prefix, 0, last, 0, prefix.length);
        System.arraycopy(buf, 0, last, prefix.length, carried);
        last[last.length - 1] = '\n';
        write(last, last.length);
      }
    } catch (IOException e) {
      // The child is gone or our stdout is closed: nothing more to copy.
    }
  }

  private static void write(byte[] bytes, int size) throws IOException {
    if (size == 0) {
      return;
    }
    synchronized (LOCK) {
      OUT.write(bytes, 0, size);
    }
  }

  private static List<Program> parse(Path file) throws IOException {
    List<Program> programs = new ArrayList<>();
    String name = null;
    String cmd = null;
    List<String> argv = new ArrayList<>();
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.startsWith("- ")) {
        if (name != null) {
          programs.add(program(name, cmd, argv));
        }
        name = null;
        cmd = null;
        argv = new ArrayList<>();
        line = line.substring(2).strip();
      }
      if (line.startsWith("name:")) {
        name = unquote(line.substring(5).strip());
      } else if (line.startsWith("cmd:")) {
        cmd = unquote(line.substring(4).strip());
      } else if (line.startsWith("args:")) {
        String list = line.substring(5).strip();
        list = list.substring(1, list.length() - 1).strip(); // [ ... ]
        for (String a : list.isEmpty() ? new String[0] : list.split(",")) {
          argv.add(unquote(a.strip()));
        }
      }
    }
    if (name != null) {
      programs.add(program(name, cmd, argv));
    }
    return programs;
  }

  private static Program program(String name, String cmd, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(cmd);
    command.addAll(args);
    return new Program(name, command);
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }
}
