package dev.pmux.cli;

import dev.pmux.jmx.ObjectNames;
import dev.pmux.jmx.ProcessMXBean;
import dev.pmux.jmx.ProcessStatus;
import dev.pmux.jmx.SupervisorMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.management.InstanceNotFoundException;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import org.jspecify.annotations.Nullable;

/** {@code pmux ctl}: steers a running pmux over JMX; it ends with a {@link CtlStatus}. */
public final class Ctl {
  private static final Duration ATTACH_WAIT = Duration.ofSeconds(20);

  static final String HELP =
      """
      usage: pmux ctl [--pid-file FILE | --pid PID | --jmx HOST:PORT [--user U --password-file F]] VERB
      verbs:
        list                       every program: state, pid, uptime, restarts, last exit
        status NAME                one program in detail
        start|stop|restart NAME    one program, or --all
        signal NAME SIGNAL         send SIGNAL (TERM, HUP, USR1, ...) to its process group
        tail NAME [-n N] [-f]      its last N lines (default 20); -f keeps following
        reload                     read pmux.yml again
        upgrade                    replace pmux with the installation on disk, programs kept""";

  private final PrintStream out;

  Ctl(PrintStream out) {
    this.out = out;
  }

  private static final long UPGRADE_WAIT_NANOS = 60_000_000_000L;

  public static void main(String[] args) {
    int status;
    try {
      status = new Ctl(System.out).run(args);
    } catch (CtlException e) {
      System.err.println("pmux ctl: " + e.getMessage());
      status = e.status();
    }
    System.exit(status);
  }

  int run(String[] argv) throws CtlException {
    List<String> args = new ArrayList<>(Arrays.asList(argv));
    Long pid = null;
    Path pidFile = null;
    String jmx = null;
    String user = null;
    Path passwordFile = null;
    while (!args.isEmpty() && args.get(0).startsWith("--")) {
      String option = args.remove(0);
      switch (option) {
        case "--pid" -> pid = parsePid(value(args, option));
        case "--pid-file" -> pidFile = Path.of(value(args, option));
        case "--jmx" -> jmx = AgentConnection.hostPort(value(args, option));
        case "--user" -> user = value(args, option);
        case "--password-file" -> passwordFile = Path.of(value(args, option));
        case "--help" -> {
          out.println(HELP);
          return CtlStatus.OK;
        }
        default ->
            throw new CtlException(CtlStatus.USAGE, "unknown option " + option + "\n" + HELP);
      }
    }
    if (args.isEmpty()) {
      throw new CtlException(CtlStatus.USAGE, "no verb given\n" + HELP);
    }
    String verb = args.remove(0);
    Target target = new Target(pid, pidFile, jmx, user, passwordFile);
    if (verb.equals("upgrade")) {
      return upgrade(target);
    }
    try (AgentConnection connection = target.connect()) {
      return new Verbs(connection.mbeans(), out).run(verb, args);
    } catch (SecurityException e) {
      throw new CtlException(CtlStatus.DENIED, "access denied: " + e.getMessage());
    } catch (IOException | UndeclaredThrowableException e) {
      Throwable cause = e;
      if (e instanceof UndeclaredThrowableException u && u.getCause() != null) {
        cause = u.getCause();
      }
      throw new CtlException(
          CtlStatus.UNREACHABLE, "lost the connection to pmux: " + AgentConnection.oneLine(cause));
    }
  }

  /**
   * Asks pmux to upgrade itself; on success the connection drops while the new pmux starts in the
   * same process, and this waits until it answers (a new start time) to say so.
   */
  private int upgrade(Target target) throws CtlException {
    long before;
    Path pidFile = target.pidFile();
    FileTime written = pidFileTime(pidFile);
    try (AgentConnection connection = target.connect()) {
      SupervisorMXBean supervisor = supervisor(connection);
      before = supervisor.getStartTime();
      try {
        supervisor.upgrade();
        throw new CtlException(CtlStatus.FAILED, "upgrade did not happen");
      } catch (IllegalStateException e) {
        throw new CtlException(CtlStatus.FAILED, String.valueOf(e.getMessage()));
      } catch (UndeclaredThrowableException e) {
        // The connection dropped: the old pmux exec'd the new one.
      }
    } catch (SecurityException e) {
      throw new CtlException(CtlStatus.DENIED, "access denied: " + e.getMessage());
    } catch (IOException e) {
      // Closing a connection that the exec already cut.
      before = -1;
    }
    long deadline = System.nanoTime() + UPGRADE_WAIT_NANOS;
    String last = "no answer yet";
    while (System.nanoTime() - deadline < 0) {
      // The new pmux writes its pid file once its programs are taken over: attaching before that
      // would reach a JVM still starting.
      if (written != null && written.equals(pidFileTime(pidFile))) {
        last = "the new pmux has not written " + pidFile + " yet";
        pause();
        continue;
      }
      try (AgentConnection connection = target.connect()) {
        long started = supervisor(connection).getStartTime();
        if (started != before) {
          out.println(
              "upgraded: the new pmux answers ("
                  + supervisor(connection).getProcessCount()
                  + " programs)");
          return CtlStatus.OK;
        }
      } catch (CtlException | IOException | RuntimeException e) {
        last = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      pause();
    }
    throw new CtlException(
        CtlStatus.UNREACHABLE, "the upgraded pmux did not answer within 60s: " + last);
  }

  private static @Nullable FileTime pidFileTime(@Nullable Path pidFile) {
    try {
      return pidFile == null ? null : Files.getLastModifiedTime(pidFile);
    } catch (IOException e) {
      return null;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static SupervisorMXBean supervisor(AgentConnection connection) throws IOException {
    return JMX.newMXBeanProxy(
        connection.mbeans(), ObjectNames.supervisor(), SupervisorMXBean.class);
  }

  /** Which pmux a ctl talks to, as its options say, and how it gets in. */
  private record Target(
      @Nullable Long pid,
      @Nullable Path pidFile,
      @Nullable String jmx,
      @Nullable String user,
      @Nullable Path passwordFile) {
    AgentConnection connect() throws CtlException {
      if (jmx != null) {
        return AgentConnection.remote(jmx, user, passwordFile);
      }
      long local;
      if (pid != null) {
        local = pid;
      } else if (pidFile == null) {
        throw new CtlException(
            CtlStatus.USAGE, "say which pmux: --pid-file FILE, --pid PID or --jmx HOST:PORT");
      } else {
        try {
          local = parsePid(Files.readString(pidFile).trim());
        } catch (IOException e) {
          throw new CtlException(
              CtlStatus.UNREACHABLE, "pmux is not running (no pid file " + pidFile + ")");
        }
      }
      // Attaching sends SIGQUIT, which kills a process that is not a JVM: never to a stranger.
      PmuxJvm.check(local);
      return AgentConnection.local(local, ATTACH_WAIT);
    }
  }

  private static String value(List<String> args, String option) throws CtlException {
    if (args.isEmpty()) {
      throw new CtlException(CtlStatus.USAGE, option + " needs a value");
    }
    return args.remove(0);
  }

  private static long parsePid(String text) throws CtlException {
    try {
      long pid = Long.parseLong(text);
      if (pid > 0) {
        return pid;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new CtlException(CtlStatus.USAGE, "not a pid: " + text);
  }

  /** The verbs, over one connection. */
  private static final class Verbs {
    private final MBeanServerConnection mbeans;
    private final PrintStream out;

    Verbs(MBeanServerConnection mbeans, PrintStream out) {
      this.mbeans = mbeans;
      this.out = out;
    }

    int run(String verb, List<String> args) throws CtlException, IOException {
      SupervisorMXBean supervisor =
          JMX.newMXBeanProxy(mbeans, ObjectNames.supervisor(), SupervisorMXBean.class);
      switch (verb) {
        case "list" -> {
          List<ProcessStatus> rows = new ArrayList<>();
          for (String name : supervisor.getProcessNames()) {
            // A program dropped by a reload meanwhile is no longer listed.
            try {
              rows.add(process(name).getSnapshot());
            } catch (UndeclaredThrowableException e) {
              if (!(e.getCause() instanceof InstanceNotFoundException)) {
                throw e;
              }
            }
          }
          out.print(ProcessTable.render(rows));
          return CtlStatus.OK;
        }
        case "status" -> {
          ProcessStatus p = existing(one(args, verb)).getSnapshot();
          out.print(ProcessTable.detail(p));
          return p.running() ? CtlStatus.OK : CtlStatus.UNREACHABLE;
        }
        case "start", "stop", "restart" -> {
          String target = one(args, verb);
          List<String> names =
              target.equals("--all")
                  ? Arrays.asList(supervisor.getProcessNames())
                  : List.of(target);
          int status = CtlStatus.OK;
          for (String name : names) {
            ProcessMXBean p = existing(name);
            out.println(
                switch (verb) {
                  case "start" -> p.start();
                  case "stop" -> p.stop();
                  default -> p.restart();
                });
            // A start that left nothing running (pmux shutting down, a failed launch) failed.
            if (verb.equals("start") && !p.getSnapshot().running()) {
              status = CtlStatus.FAILED;
            }
          }
          return status;
        }
        case "signal" -> {
          if (args.size() != 2) {
            throw new CtlException(CtlStatus.USAGE, "usage: signal NAME SIGNAL");
          }
          try {
            out.println(existing(args.get(0)).signal(args.get(1)));
          } catch (IllegalArgumentException e) {
            throw new CtlException(CtlStatus.USAGE, String.valueOf(e.getMessage()));
          }
          return CtlStatus.OK;
        }
        case "tail" -> {
          return new Tail(existing(first(args, verb)), out).run(args.subList(1, args.size()));
        }
        case "reload" -> {
          try {
            out.println(supervisor.reload());
            return CtlStatus.OK;
          } catch (IllegalArgumentException e) {
            throw new CtlException(
                CtlStatus.FAILED, "reload refused, nothing changed:\n" + e.getMessage());
          } catch (IllegalStateException e) {
            throw new CtlException(CtlStatus.FAILED, "reload refused: " + e.getMessage());
          }
        }
        default -> throw new CtlException(CtlStatus.USAGE, "unknown verb " + verb + "\n" + HELP);
      }
    }

    private ProcessMXBean process(String name) {
      return JMX.newMXBeanProxy(mbeans, ObjectNames.process(name), ProcessMXBean.class);
    }

    private ProcessMXBean existing(String name) throws CtlException, IOException {
      if (!mbeans.isRegistered(ObjectNames.process(name))) {
        throw new CtlException(CtlStatus.FAILED, "no program named '" + name + "'");
      }
      return process(name);
    }

    private static String one(List<String> args, String verb) throws CtlException {
      if (args.size() != 1) {
        throw new CtlException(CtlStatus.USAGE, "usage: " + verb + " NAME");
      }
      return args.get(0);
    }

    private static String first(List<String> args, String verb) throws CtlException {
      if (args.isEmpty()) {
        throw new CtlException(CtlStatus.USAGE, "usage: " + verb + " NAME");
      }
      return args.get(0);
    }
  }
}
