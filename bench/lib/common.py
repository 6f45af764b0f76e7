"""Small helpers shared by bench/run and the client programs (stdlib only)."""
import json
import os
import signal
import statistics
import subprocess
import time

now = time.perf_counter
PY = "/usr/bin/python3"          # the interpreter with python3-libvirt
HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def cpu_seconds(pid):
    """utime+stime of every thread of PID in seconds (/proc/PID/stat)."""
    with open("/proc/%d/stat" % int(pid)) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def threads_cpu_ms(pid):
    """On-CPU time of PID's live threads in ms, with nanosecond resolution
    (/proc/PID/task/*/schedstat), None when it cannot be read. Exited
    threads and child processes are not in it."""
    total = 0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                total += int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e6


def rss_kib(pid):
    """VmRSS of PID in KiB, None when it cannot be read."""
    try:
        with open("/proc/%d/status" % int(pid)) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def alive(pid):
    """True while PID exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % int(pid)) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop_pid(pid, timeout=20.0):
    """SIGTERM to PID, SIGKILL after TIMEOUT seconds; returns the ms it took."""
    t0 = now()
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return 0.0
    while alive(pid) and now() - t0 < timeout:
        time.sleep(0.002)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)
        while alive(pid) and now() - t0 < timeout + 5:
            time.sleep(0.01)
    return (now() - t0) * 1e3


def pin(pid, cpus):
    """Pins every current thread of PID to CPUS (a taskset list like '0')."""
    subprocess.run(["taskset", "-a", "-p", "-c", cpus, str(pid)],
                   stdout=subprocess.DEVNULL, check=True)


def all_cpus():
    return "0-%d" % (os.cpu_count() - 1)


def run_json(argv, cpus=None, timeout=600, env=None):
    """Runs a client program (optionally under taskset -c CPUS) and returns the
    JSON object on the last line of its stdout. Raises RuntimeError with its
    stderr when it fails."""
    if cpus is not None:
        argv = ["taskset", "-c", cpus] + list(argv)
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, env=env, text=True)
    lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
    if p.returncode != 0 or not lines:
        raise RuntimeError("%s failed (status %d): %s" % (
            os.path.basename(argv[0] if cpus is None else argv[3]), p.returncode,
            (p.stderr.strip().splitlines() or ["no output"])[-1]))
    return json.loads(lines[-1])


def client(sub, *args, cpus=None, timeout=600):
    """Runs bench/lib/client.py SUB ARGS... and returns its JSON answer."""
    return run_json([PY, os.path.join(HERE, "client.py"), sub] + [str(a) for a in args],
                    cpus=cpus, timeout=timeout)


def wait_socket_answers(uri, deadline_s=30.0):
    """Blocks until URI answers getLibVersion (through the Python binding in
    a child, so this process never loads libvirt)."""
    client("ping", uri, deadline_s, timeout=deadline_s + 10)
