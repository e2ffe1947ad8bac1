#!/usr/bin/env python3
"""Process-level benchmarks of pmux and pmux-compatible supervisors, side by side.

Runs every scenario for every tool, round-robin (the order rotates each repetition), and prints
medians with min-max and ratios. Dependency-free: python3 >= 3.8, gcc, a JDK (for the copier).
See bench/README.md. Every process started here is killed at the end of its run, whatever happens;
every wait has a deadline.

  bench.py --pmux bin/pmux --go /tmp/gopmux/pmux-go --supervisord          full run
  bench.py --quick --pmux bin/pmux --no-copier                            smoke run (seconds)
"""

import argparse
import atexit
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
CLK_TCK = os.sysconf("SC_CLK_TCK")
# The JVM options bin/pmux uses (DEFAULT_JVM_OPTS), so that the copier floor runs like pmux.
PMUX_JVM_OPTS = ["-Xms16m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+ExitOnOutOfMemoryError"]
BACKOFF_MS = 50

LIVE = set()  # Popen objects and pids still to clean up
STAMPED_PIDS = set()
GEN = None
COUNTER = None


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# tools


class Tool:
    """A supervisor to benchmark: how to write its config and how to start it."""

    def __init__(self, label, kind, command=None):
        self.label = label
        self.kind = kind  # pmux (pmux.yml), supervisord, copier
        self.command = command  # for pmux kind: a list with "{conf}" somewhere

    def prefix_mode(self):
        return "none" if self.kind == "supervisord" else "pmux"

    def can_restart(self):
        return self.kind == "pmux"

    def argv(self, conf):
        if self.kind == "supervisord":
            return [shutil.which("supervisord") or "supervisord", "-n", "-c", conf]
        return [a.replace("{conf}", conf) for a in self.command]

    def write_config(self, rundir, programs, restart=False):
        """programs: list of (name, argv). Returns the config file path."""
        if self.kind == "supervisord":
            return write_supervisord_conf(rundir, programs, restart)
        return write_pmux_yml(rundir, programs, restart)


def yq(s):
    return json.dumps(s)  # a JSON string is a valid YAML double-quoted scalar


def write_pmux_yml(rundir, programs, restart):
    path = os.path.join(rundir, "pmux.yml")
    with open(path, "w") as f:
        f.write("processes:\n")
        for name, argv in programs:
            f.write("  - name: %s\n" % name)
            f.write("    cmd: %s\n" % yq(argv[0]))
            f.write("    args: [%s]\n" % ", ".join(yq(a) for a in argv[1:]))
            f.write("    minWait: %dms\n    maxWait: %dms\n" % (BACKOFF_MS, BACKOFF_MS))
            f.write("    sigKillWait: 5s\n")
            if not restart:
                f.write("    noRestartOn: [0]\n")
    return path


def write_supervisord_conf(rundir, programs, restart):
    path = os.path.join(rundir, "supervisord.conf")
    with open(path, "w") as f:
        f.write("[supervisord]\nnodaemon=true\nsilent=true\nlogfile=%s\nlogfile_maxbytes=0\nloglevel=warn\n"
                "pidfile=%s\nminfds=8192\nminprocs=4096\n\n"
                % (os.path.join(rundir, "supervisord.log"), os.path.join(rundir, "supervisord.pid")))
        for name, argv in programs:
            f.write("[program:%s]\ncommand=%s\nautostart=true\nautorestart=%s\nstartsecs=0\n"
                    "stopsignal=INT\nstopwaitsecs=5\nstdout_logfile=/dev/stdout\n"
                    "stdout_logfile_maxbytes=0\nstderr_logfile=/dev/stderr\nstderr_logfile_maxbytes=0\n\n"
                    % (name, " ".join(shlex.quote(a) for a in argv), "true" if restart else "false"))
    return path


# ---------------------------------------------------------------------------------------------
# processes, stamps, /proc


def now_ns():
    return time.monotonic_ns()  # CLOCK_MONOTONIC, the clock gen stamps with


def read_stamps(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) == 6:
                    out.append((p[0], p[1], int(p[2]), int(p[3]), int(p[4]), int(p[5])))
                    STAMPED_PIDS.add(int(p[2]))
    except FileNotFoundError:
        pass
    return out


def proc_status(pid):
    d = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                d[k] = v.strip()
    except (FileNotFoundError, ProcessLookupError):
        pass
    return d


def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = s[s.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def alive_gen(pid):
    """Whether pid is a live (not zombie) gen process of ours."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmd = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = s[s.rindex(")") + 2]
    return state != "Z" and GEN is not None and cmd.startswith(GEN.encode())


def kill_stamped():
    n = 0
    for pid in list(STAMPED_PIDS):
        if alive_gen(pid):
            n += 1
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return n


def cleanup():
    for p in list(LIVE):
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            p.kill()
            p.wait(timeout=5)
        except Exception:
            pass
        LIVE.discard(p)
    kill_stamped()


WORK = {"dir": None, "keep": False}


def on_signal(sig, frame):
    cleanup()
    if WORK["dir"] and not WORK["keep"]:
        shutil.rmtree(WORK["dir"], ignore_errors=True)
    sys.exit(130)


def start(argv, rundir, stdout):
    err = open(os.path.join(rundir, "stderr.txt"), "wb")
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err,
                         start_new_session=True, cwd=rundir)
    err.close()
    LIVE.add(p)
    return p


def finish(p, timeout):
    """Waits for p, SIGKILLing its group at the deadline; returns (exit code, timed out)."""
    try:
        rc = p.wait(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        rc = p.wait(timeout=10)
    LIVE.discard(p)
    return rc, timed_out


def stop(p, timeout=30):
    """SIGTERM to the tool; returns (seconds until it exited, exit code, timed out)."""
    t1 = now_ns()
    try:
        os.kill(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    rc, to = finish(p, timeout)
    return (now_ns() - t1) / 1e9, rc, to


# ---------------------------------------------------------------------------------------------
# scenarios; each returns a dict of metrics and a list of failed checks


def names(n):
    return ["p%d" % i for i in range(n)]


def width_for(ids):
    return max([5] + [len(i) + 1 for i in ids])


def throughput(tool, rundir, children, lines_each, sink, timeout, chunk=0):
    stamps = os.path.join(rundir, "stamps")
    ids = names(children)
    programs = [(i, [GEN, "lines", i, str(lines_each), stamps] + ([str(chunk)] if chunk else [])) for i in ids]
    conf = tool.write_config(rundir, programs)
    fails = []
    counter = None
    t0 = now_ns()
    if sink == "null":
        with open(os.devnull, "wb") as dn:
            p = start(tool.argv(conf), rundir, dn)
    else:
        p = start(tool.argv(conf), rundir, subprocess.PIPE)
        counter = subprocess.Popen([COUNTER, tool.prefix_mode(), str(width_for(ids))]
                                   + ["%s=%d" % (i, lines_each) for i in ids],
                                   stdin=p.stdout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        LIVE.add(counter)
        p.stdout.close()
    deadline = time.monotonic() + timeout
    all_exited_at = None
    while p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
        if all_exited_at is None:
            st = read_stamps(stamps)
            if sum(1 for s in st if s[0] == "exit") >= children:
                all_exited_at = time.monotonic()
        elif time.monotonic() - all_exited_at > 1.5:
            break  # supervisord does not exit when its programs do: stop it
    t_exit = now_ns()
    if p.poll() is None:
        _, rc, to = stop(p, timeout=30)
        if to:
            fails.append("did not stop")
    else:
        rc, _ = finish(p, 5)
    if rc != 0 and tool.kind != "supervisord":
        fails.append("exit status %s" % rc)
    m = {"wall_s": (t_exit - t0) / 1e9}
    if counter is not None:
        try:
            out, _ = counter.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            counter.kill()
            out, _ = counter.communicate()
        LIVE.discard(counter)
        res = dict(kv.split("=", 1) for kv in out.decode().split() if "=" in kv)
        for k in ("ok", "torn", "badprefix", "order", "lost", "foreign"):
            m["lines_" + k] = int(res.get(k, -1))
        if not out.decode().strip().endswith("PASS"):
            fails.append("counter: " + out.decode().strip())
    st = read_stamps(stamps)
    starts = [s for s in st if s[0] == "start"]
    ends = [s for s in st if s[0] == "end"]
    if len(starts) != children or len(ends) != children:
        fails.append("%d of %d generators finished" % (len(ends), children))
        return m, fails
    first = min(starts, key=lambda s: s[3])
    last = max(ends, key=lambda s: s[3])
    secs = (last[3] - first[3]) / 1e9
    total = children * lines_each
    m["Mlines_per_s"] = total / secs / 1e6
    if first[5] >= 0 and last[5] >= 0 and first[4] == last[4]:
        m["cpu_us_per_line"] = (last[5] - first[5]) / CLK_TCK / total * 1e6
    return m, fails


def fleet(tool, rundir, n, idle_window, timeout, settle):
    """n sleeping programs: launch to all running, RSS, threads, idle CPU, SIGTERM to exit."""
    stamps = os.path.join(rundir, "stamps")
    ids = names(n)
    conf = tool.write_config(rundir, [(i, [GEN, "sleep", i, stamps]) for i in ids])
    fails = []
    t0 = now_ns()
    with open(os.devnull, "wb") as dn:
        p = start(tool.argv(conf), rundir, dn)
    deadline = time.monotonic() + timeout
    first_start = {}
    while time.monotonic() < deadline and p.poll() is None:
        for s in read_stamps(stamps):
            if s[0] == "start" and s[1] not in first_start:
                first_start[s[1]] = s[3]
        if len(first_start) >= n:
            break
        time.sleep(0.005)
    m = {}
    if len(first_start) < n:
        fails.append("only %d of %d programs running" % (len(first_start), n))
        cleanup()
        return m, fails
    m["running_s"] = (max(first_start.values()) - t0) / 1e9
    time.sleep(settle)  # let start-up work (class loading, JIT) settle
    c0, w0 = cpu_ticks(p.pid), time.monotonic()
    time.sleep(idle_window)
    c1, w1 = cpu_ticks(p.pid), time.monotonic()
    status = proc_status(p.pid)
    m["rss_mib"] = int(status.get("VmRSS", "0 kB").split()[0]) / 1024
    m["threads"] = int(status.get("Threads", "0"))
    if c0 is not None and c1 is not None:
        m["idle_cpu_pct"] = (c1 - c0) / CLK_TCK / (w1 - w0) * 100
    secs, rc, to = stop(p, timeout=60)
    m["stop_s"] = secs
    if to:
        fails.append("did not exit within 60 s of SIGTERM")
    time.sleep(0.2)
    exits = {s[1] for s in read_stamps(stamps) if s[0] == "exit"}
    if len(exits) < n:
        fails.append("%d of %d programs saw the stop signal" % (len(exits), n))
    survivors = kill_stamped()
    if survivors:
        fails.append("%d programs outlived the supervisor" % survivors)
    if rc not in (0, None) and not (tool.kind == "copier" and rc == 143):
        fails.append("exit status %s" % rc)
    return m, fails


def once(tool, rundir, timeout):
    """One /bin/true program, whole process: fork of the supervisor to its exit, its CPU and peak RSS."""
    conf = tool.write_config(rundir, [("t", ["/bin/true"])])
    fails = []
    t0 = now_ns()
    with open(os.devnull, "wb") as dn:
        p = start(tool.argv(conf), rundir, dn)
    deadline = time.monotonic() + timeout
    ru = None
    while time.monotonic() < deadline:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            break
        ru = None
        time.sleep(0.002)
    m = {}
    if ru is None:
        fails.append("did not exit within %d s" % timeout)
        cleanup()
        return m, fails
    LIVE.discard(p)
    m["wall_s"] = (now_ns() - t0) / 1e9
    # wait4: the supervisor's own CPU and that of its reaped descendants (the program, setsid...).
    m["cpu_s"] = ru.ru_utime + ru.ru_stime
    m["maxrss_mib"] = ru.ru_maxrss / 1024
    if p.returncode != 0:
        fails.append("exit status %s" % p.returncode)
    return m, fails


def restarts(tool, rundir, programs, total, timeout):
    """Programs that exit at once (status 1); backoff fixed at BACKOFF_MS by minWait = maxWait."""
    stamps = os.path.join(rundir, "stamps")
    ids = names(programs)
    conf = tool.write_config(rundir, [(i, [GEN, "crash", i, stamps, "0", "1"]) for i in ids], restart=True)
    fails = []
    with open(os.devnull, "wb") as dn:
        p = start(tool.argv(conf), rundir, dn)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and p.poll() is None:
        if sum(1 for s in read_stamps(stamps) if s[0] == "start") >= total + programs:
            break
        time.sleep(0.02)
    stop(p, timeout=30)
    kill_stamped()
    by_id = {}
    for s in read_stamps(stamps):
        by_id.setdefault(s[1], []).append(s)
    over = []
    for evs in by_id.values():
        evs.sort(key=lambda s: s[3])
        for a, b in zip(evs, evs[1:]):
            if a[0] == "exit" and b[0] == "start":
                over.append((b[3] - a[3]) / 1e6 - BACKOFF_MS)
    with open(os.path.join(rundir, "stderr.txt"), "rb") as f:
        announced = f.read().count(b"will restart process in %dms" % BACKOFF_MS)
    m = {}
    if len(over) < total:
        fails.append("only %d of %d restarts seen" % (len(over), total))
    if not over:
        return m, fails
    over.sort()
    m["restarts"] = len(over)
    m["announced"] = announced
    m["over_p50_ms"] = over[len(over) // 2]
    m["over_p99_ms"] = over[min(len(over) - 1, int(len(over) * 0.99))]
    m["over_max_ms"] = over[-1]
    m["over_min_ms"] = over[0]
    return m, fails


# ---------------------------------------------------------------------------------------------
# driver


def build(work):
    global GEN, COUNTER
    cc = shutil.which("gcc") or shutil.which("cc")
    if not cc:
        sys.exit("bench: gcc is needed to build bench/generator/gen.c and bench/counter/counter.c")
    GEN = os.path.join(work, "gen")
    COUNTER = os.path.join(work, "counter")
    for src, out in ((os.path.join(BENCH, "generator", "gen.c"), GEN),
                     (os.path.join(BENCH, "counter", "counter.c"), COUNTER)):
        subprocess.run([cc, "-O2", "-Wall", "-o", out, src], check=True, timeout=120)


def build_copier(work):
    javac = shutil.which("javac")
    if not javac:
        sys.exit("bench: javac is needed for the copier (or pass --no-copier)")
    out = os.path.join(work, "copier")
    subprocess.run([javac, "-d", out, os.path.join(BENCH, "copier", "Copier.java")], check=True, timeout=120)
    return Tool("copier", "copier", [shutil.which("java") or "java"] + PMUX_JVM_OPTS
                + ["-cp", out, "Copier", "-c", "{conf}"])


def scenarios(a):
    q = a.quick
    lines = a.lines or (5000 if q else 2_000_000)
    s = [
        ("null1", "1 child, %d lines -> /dev/null" % lines,
         lambda t, d: throughput(t, d, 1, lines, "null", 180)),
        ("pipe1", "1 child, %d lines -> pipe -> counter" % lines,
         lambda t, d: throughput(t, d, 1, lines, "pipe", 180)),
        ("null4", "4 children x %d lines -> /dev/null" % (lines // 4),
         lambda t, d: throughput(t, d, 4, lines // 4, "null", 180)),
        ("pipe4", "4 children x %d lines -> pipe -> counter" % (lines // 4),
         lambda t, d: throughput(t, d, 4, lines // 4, "pipe", 180)),
        ("pipe4u", "4 children x %d lines in 4096-byte writes (lines split across writes) -> counter"
         % (lines // 4), lambda t, d: throughput(t, d, 4, lines // 4, "pipe", 180, 4096)),
        ("fleet10", "10 sleeping programs: start-up, RSS, stop",
         lambda t, d: fleet(t, d, 10, 0.2 if q else 1.0, 60, 0.2 if q else 1.0)),
        ("fleet100", "100 sleeping programs",
         lambda t, d: fleet(t, d, 100, 1.0, 60, 1.0)),
        ("fleet1000", "1,000 sleeping programs",
         lambda t, d: fleet(t, d, 1000, 3.0, 120, 2.0)),
        ("true1", "one /bin/true program: start -> exit of the whole process",
         lambda t, d: once(t, d, 60)),
        ("restart", "%d restarts (%d programs exiting at once, backoff %dms)"
         % (20 if q else a.restarts, a.restart_programs, BACKOFF_MS),
         lambda t, d: restarts(t, d, a.restart_programs, 20 if q else a.restarts, 120)),
    ]
    wanted = a.only.split(",") if a.only else (
        ["null1", "pipe1", "pipe4u", "fleet10", "restart"] if q else [x[0] for x in s])
    return [x for x in s if x[0] in wanted]


def fmt(v):
    if isinstance(v, float):
        return "%.3g" % v if abs(v) < 1000 else "%.0f" % v
    return str(v)


def summarize(results, tools, order):
    print()
    print("# medians [min-max] over repetitions; ratio = pmux / other (same run)")
    ref = "pmux" if "pmux" in tools else tools[0]
    for sc, desc in order:
        print("\n## %s: %s" % (sc, desc))
        metrics = []
        for t in tools:
            for k in results.get(sc, {}).get(t, {}):
                if k not in metrics:
                    metrics.append(k)
        head = "%-18s" % "metric" + "".join("%-26s" % t for t in tools)
        others = [t for t in tools if t != ref]
        head += "".join("%-14s" % ("%s/%s" % (ref, o)) for o in others)
        print(head)
        for k in metrics:
            row = "%-18s" % k
            med = {}
            for t in tools:
                vals = results.get(sc, {}).get(t, {}).get(k, [])
                if vals:
                    med[t] = statistics.median(vals)
                    row += "%-26s" % ("%s [%s-%s]" % (fmt(med[t]), fmt(min(vals)), fmt(max(vals))))
                else:
                    row += "%-26s" % "-"
            for o in others:
                if ref in med and o in med and med[o]:
                    row += "%-14s" % ("%.2f" % (med[ref] / med[o]))
                else:
                    row += "%-14s" % "-"
            print(row)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pmux", help="pmux launcher (bin/pmux): run as 'PMUX run -c CONF'")
    ap.add_argument("--go", help="Go pmux binary: run as 'GO -c CONF'")
    ap.add_argument("--supervisord", action="store_true", help="also run supervisord (from PATH)")
    ap.add_argument("--no-copier", action="store_true", help="skip the minimal JVM copier (the floor)")
    ap.add_argument("--tool", action="append", default=[], metavar="LABEL=CMD",
                    help="another pmux-compatible command; {conf} is replaced by the pmux.yml path")
    ap.add_argument("--quick", action="store_true", help="smoke run: few lines, 1 repetition")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--lines", type=int, default=0, help="lines for the 1-child runs (default 2,000,000)")
    ap.add_argument("--restarts", type=int, default=1000)
    ap.add_argument("--restart-programs", type=int, default=10,
                    help="programs restarting side by side in the restart scenario (default 10)")
    ap.add_argument("--only", help="comma-separated scenarios: null1,pipe1,null4,pipe4,pipe4u,fleet10,"
                                   "fleet100,fleet1000,true1,restart")
    ap.add_argument("--json", help="write raw results here")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    a = ap.parse_args()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    atexit.register(cleanup)
    work = tempfile.mkdtemp(prefix="pmux-bench-")
    WORK.update(dir=work, keep=a.keep)
    build(work)
    tools = []
    if a.pmux:
        tools.append(Tool("pmux", "pmux", [os.path.abspath(a.pmux), "run", "-c", "{conf}"]))
    if a.go:
        tools.append(Tool("go", "pmux", [os.path.abspath(a.go), "-c", "{conf}"]))
    for spec in a.tool:
        label, _, cmd = spec.partition("=")
        tools.append(Tool(label, "pmux", shlex.split(cmd)))
    if not a.no_copier:
        tools.append(build_copier(work))
    if a.supervisord:
        if not shutil.which("supervisord"):
            sys.exit("bench: supervisord not on PATH (apt-get install -y supervisor)")
        tools.append(Tool("supervisord", "supervisord"))
    if not tools:
        sys.exit("bench: nothing to run; give --pmux, --go, --tool or leave the copier on")
    reps = 1 if a.quick else a.reps
    labels = [t.label for t in tools]
    results, raw, passed, failed = {}, [], 0, 0
    t_start = time.monotonic()
    order = []
    for sc, desc, fn in scenarios(a):
        order.append((sc, desc))
        for rep in range(reps):
            rot = tools[rep % len(tools):] + tools[:rep % len(tools)]
            for tool in rot:
                if sc == "restart" and not tool.can_restart():
                    continue
                rundir = os.path.join(work, "%s-%s-%d" % (sc, tool.label, rep))
                os.makedirs(rundir)
                t0 = time.monotonic()
                try:
                    m, fails = fn(tool, rundir)
                except Exception as e:  # a broken run is a failed check, not a crashed harness
                    m, fails = {}, ["harness error: %r" % e]
                finally:
                    cleanup()
                for k, v in m.items():
                    results.setdefault(sc, {}).setdefault(tool.label, {}).setdefault(k, []).append(v)
                raw.append({"scenario": sc, "tool": tool.label, "rep": rep, "metrics": m, "fails": fails})
                # supervisord tears and loses lines by design: its line checks are reported, not failed
                hard = [f for f in fails if not (tool.kind == "supervisord" and f.startswith("counter"))]
                if hard:
                    failed += 1
                else:
                    passed += 1
                log("%-9s %-12s rep %d  %5.1fs  %s%s" % (
                    sc, tool.label, rep, time.monotonic() - t0,
                    " ".join("%s=%s" % (k, fmt(v)) for k, v in m.items()),
                    ("  FAILED: " + "; ".join(fails)) if fails else ""))
    summarize(results, labels, order)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"tools": labels, "results": results, "runs": raw}, f, indent=1)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        log("work directory kept: " + work)
    print("\nbench: %d passed, %d failed in %.1fs" % (passed, failed, time.monotonic() - t_start))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
