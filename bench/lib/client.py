#!/usr/bin/python3
"""The Python client side of bench/run. The same code runs against libvirtd
and against Vireo: it only ever sees a libvirt URI (and the serving daemon's
pid, to read its CPU time and memory).

usage: client.py SUB ARGS...   (prints one JSON object as its last line)

  ping URI SECONDS              wait until URI answers getLibVersion
  rpc URI N REPS PID            N x getLibVersion, N x lookupByName('test')+info()
  define URI N REPS PID [VBENCH]
                                define / listAll (median of 100 calls) / XMLDesc /
                                undefine N domains; with VBENCH, also 100 listAll
                                calls from C (`vbench listall`) before XMLDesc
  concurrent URI CLIENTS CALLS REPS PID
                                CLIENTS processes x CALLS getLibVersion each
  events URI CONNS REPS PID     CONNS subscribed connections, time until all got
                                the lifecycle event of one define
  start URI REPS [WARMUP]       create() -> RUNNING -> destroy() of a tiny guest
                                (WARMUP 0: no uncounted first start)
  rawqemu REPS [WARMUP]         QEMU spawned by hand -> QMP query-status answered
"""
import json
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import cpu_seconds, now, rss_kib, threads_cpu_ms  # noqa: E402

try:
    import libvirt
except ImportError:
    if os.path.realpath(sys.executable) != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

libvirt.registerErrorHandler(lambda _ctx, _err: None, None)

TEST_XML = """<domain type='test'>
  <name>{name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>"""

# The tiny guest: TCG, 64 MiB, no disk, no NIC, no graphics.
QEMU_XML = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>
</domain>"""


LIST_CALLS = 100


def emit(obj):
    print(json.dumps(obj))
    sys.stdout.flush()


class DaemonCpu:
    """Daemon CPU seconds spent between start() and stop()."""

    def __init__(self, pid):
        self.pid = int(pid)

    def start(self):
        self.c0 = cpu_seconds(self.pid) if self.pid > 0 else 0.0

    def stop(self):
        return cpu_seconds(self.pid) - self.c0 if self.pid > 0 else None


class ThreadsCpu(DaemonCpu):
    """Like DaemonCpu, from the live threads' schedstat (ns resolution)."""

    def start(self):
        self.c0 = threads_cpu_ms(self.pid) / 1e3

    def stop(self):
        return threads_cpu_ms(self.pid) / 1e3 - self.c0


def per_call_us(seconds, calls):
    return None if seconds is None else seconds * 1e6 / calls


def cmd_ping(uri, seconds):
    deadline = now() + float(seconds)
    while True:
        try:
            c = libvirt.open(uri)
            c.getLibVersion()
            c.close()
            return emit({"ok": True})
        except libvirt.libvirtError as e:
            if now() > deadline:
                raise SystemExit("no answer from %s: %s" % (uri, e))
            time.sleep(0.005)


def timed_series(fn, n, reps, dcpu):
    wall, cpu = [], []
    fn(max(1, n // 10))                          # warm-up
    for _ in range(reps):
        dcpu.start()
        t0 = now()
        fn(n)
        wall.append((now() - t0) * 1e6 / n)
        cpu.append(per_call_us(dcpu.stop(), n))
    return wall, cpu


def cmd_rpc(uri, n, reps, pid):
    n, reps = int(n), int(reps)
    conn = libvirt.open(uri)
    dcpu = DaemonCpu(pid)

    def libver(k):
        for _ in range(k):
            conn.getLibVersion()

    def lookup_info(k):
        for _ in range(k):
            conn.lookupByName("test").info()

    lv, lv_cpu = timed_series(libver, n, reps, dcpu)
    li, li_cpu = timed_series(lookup_info, max(1, n // 2), reps, dcpu)
    conn.close()
    emit({"getlibversion_us": lv, "getlibversion_daemon_cpu_us": lv_cpu,
          "lookup_info_us": li, "lookup_info_daemon_cpu_us": li_cpu})


def cmd_define(uri, n, reps, pid, vbench=None):
    n, reps = int(n), int(reps)
    conn = libvirt.open(uri)
    dcpu = DaemonCpu(pid)
    out = {k: [] for k in ("define_ms", "list_ms", "xmldesc_ms", "undefine_ms",
                           "define_cpu_ms", "list_cpu_ms", "xmldesc_cpu_ms",
                           "undefine_cpu_ms", "rss_after_define_kib",
                           "c_list_ms", "c_list_cpu_ms", "c_list_client_cpu_ms")}
    for cycle in range(reps):
        names = ["bench-%d-%d-%d" % (os.getpid(), cycle, i) for i in range(n)]
        xmls = [TEST_XML.format(name=nm) for nm in names]
        dcpu.start()
        t0 = now()
        doms = [conn.defineXML(x) for x in xmls]
        out["define_ms"].append((now() - t0) * 1e3)
        out["define_cpu_ms"].append(dcpu.stop() * 1e3)
        out["rss_after_define_kib"].append(rss_kib(pid))
        # One listAllDomains takes a few ms, below the 10 ms tick of the CPU
        # counters: time LIST_CALLS of them and report the per-call figures.
        times = []
        dcpu.start()
        for _ in range(LIST_CALLS):
            t0 = now()
            listed = conn.listAllDomains(0)
            times.append((now() - t0) * 1e3)
        out["list_ms"].append(sorted(times)[len(times) // 2])
        out["list_cpu_ms"].append(dcpu.stop() * 1e3 / LIST_CALLS)
        if len(listed) < n:
            raise SystemExit("listAllDomains returned %d < %d" % (len(listed), n))
        if vbench:
            # The same call from C (Debian's libvirt.so): without the cost
            # of 1000 Python objects per call, the server's share shows.
            r = json.loads(subprocess.run([vbench, "listall", uri, str(LIST_CALLS), "1", str(pid)],
                                          check=True, stdout=subprocess.PIPE, text=True).stdout)
            if r["result"] < n:
                raise SystemExit("vbench listall saw %d < %d domains" % (r["result"], n))
            out["c_list_ms"].append(r["ms_per_call"][0])
            out["c_list_cpu_ms"].append(r["daemon_cpu_ms_per_call"][0])
            out["c_list_client_cpu_ms"].append(r["client_cpu_ms_per_call"][0])
        dcpu.start()
        t0 = now()
        for d in doms:
            d.XMLDesc(0)
        out["xmldesc_ms"].append((now() - t0) * 1e3)
        out["xmldesc_cpu_ms"].append(dcpu.stop() * 1e3)
        dcpu.start()
        t0 = now()
        for d in doms:
            d.undefine()
        out["undefine_ms"].append((now() - t0) * 1e3)
        out["undefine_cpu_ms"].append(dcpu.stop() * 1e3)
        del doms, listed
    conn.close()
    emit(out)


def _conc_client(uri, calls, barrier, results):
    conn = libvirt.open(uri)
    conn.getLibVersion()
    barrier.wait()
    for _ in range(calls):
        conn.getLibVersion()
    results.put(os.getpid())
    conn.close()


def cmd_concurrent(uri, clients, calls, reps, pid):
    clients, calls, reps = int(clients), int(calls), int(reps)
    ctx = mp.get_context("fork")
    dcpu = DaemonCpu(pid)
    wall, cpu = [], []
    for _ in range(int(reps)):
        barrier, results = ctx.Barrier(clients + 1), ctx.Queue()
        procs = [ctx.Process(target=_conc_client, args=(uri, calls, barrier, results))
                 for _ in range(clients)]
        for p in procs:
            p.start()
        barrier.wait(timeout=120)            # every client is connected
        dcpu.start()
        t0 = now()
        for _ in procs:
            results.get(timeout=300)
        dt = now() - t0
        used = dcpu.stop()
        for p in procs:
            p.join()
        if any(p.exitcode for p in procs):
            raise SystemExit("a client process failed")
        wall.append(dt * 1e6 / (clients * calls))
        cpu.append(per_call_us(used, clients * calls))
    emit({"us_per_call": wall, "daemon_cpu_us_per_call": cpu})


def cmd_events(uri, conns, reps, pid):
    conns, reps = int(conns), int(reps)
    libvirt.virEventRegisterDefaultImpl()
    stop = [False]

    def loop():
        while not stop[0]:
            libvirt.virEventRunDefaultImpl()

    threading.Thread(target=loop, daemon=True).start()
    lock = threading.Lock()
    state = {"want": None, "got": 0, "done": threading.Event()}

    def on_event(_conn, dom, event, _detail, _opaque):
        with lock:
            if dom.name() == state["want"]:
                state["got"] += 1
                if state["got"] == conns:
                    state["done"].set()

    subs = []
    for _ in range(conns):
        c = libvirt.open(uri)
        c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_event, None)
        subs.append(c)
    trigger = libvirt.open(uri)
    # One fan-out costs less than the 10 ms tick of utime+stime: use the
    # threads' schedstat (ns) here.
    dcpu = ThreadsCpu(pid)
    wall, cpu = [], []
    for i in range(reps + 1):                    # the first round is a warm-up
        name = "bench-ev-%d-%d" % (os.getpid(), i)
        with lock:
            state.update(want=name, got=0)
            state["done"].clear()
        dcpu.start()
        t0 = now()
        dom = trigger.defineXML(TEST_XML.format(name=name))
        if not state["done"].wait(30):
            raise SystemExit("only %d of %d connections got the event" % (state["got"], conns))
        dt = now() - t0
        used = dcpu.stop()
        with lock:
            state["want"] = None
        dom.undefine()
        if i:
            wall.append(dt * 1e3)
            cpu.append(None if used is None else used * 1e3)
    for c in subs:
        c.close()
    trigger.close()
    stop[0] = True
    emit({"ms": wall, "daemon_cpu_ms": cpu})


def wait_state(dom, want, timeout=60.0):
    t_end = now() + timeout
    while now() < t_end:
        if dom.state()[0] == want:
            return now()
        time.sleep(0.0005)
    raise SystemExit("timeout waiting for domain state %d" % want)


def cmd_start(uri, reps, warmup="1"):
    conn = libvirt.open(uri)
    dom = conn.defineXML(QEMU_XML.format(name="bench-start-%d" % os.getpid()))
    runs = [None] if warmup == "0" else []
    try:
        for _ in range(int(reps) + (warmup != "0")):   # a first start is a warm-up
            t0 = now()
            dom.create()
            t1 = wait_state(dom, libvirt.VIR_DOMAIN_RUNNING)
            dom.destroy()
            runs.append((t1 - t0) * 1e3)
    finally:
        if dom.isActive():
            dom.destroy()
        dom.undefine()
        conn.close()
    emit({"cold_ms": runs[0], "ms": runs[1:]})


def raw_qemu_once(sock_path):
    t0 = now()
    p = subprocess.Popen(["/usr/bin/qemu-system-x86_64", "-machine", "pc", "-accel", "tcg",
                          "-m", "64", "-display", "none", "-no-user-config", "-nodefaults",
                          "-S", "-qmp", "unix:%s,server=on,wait=off" % sock_path],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while True:
            try:
                s.connect(sock_path)
                break
            except OSError:
                if p.poll() is not None:
                    raise SystemExit("qemu exited with status %d" % p.returncode)
                time.sleep(0.0002)
        f = s.makefile("rw")
        f.readline()                             # greeting
        for cmd in ("qmp_capabilities", "query-status"):
            f.write(json.dumps({"execute": cmd}) + "\n")
            f.flush()
            while "return" not in json.loads(f.readline()):
                pass
        dt = (now() - t0) * 1e3
        s.close()
        return dt
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait()


def cmd_rawqemu(reps, warmup="1"):
    d = tempfile.mkdtemp(prefix="vireo-bench-qmp.")
    try:
        runs = [None] if warmup == "0" else []
        for _ in range(int(reps) + (warmup != "0")):
            path = os.path.join(d, "qmp.sock")
            runs.append(raw_qemu_once(path))
            if os.path.exists(path):
                os.unlink(path)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    emit({"cold_ms": runs[0], "ms": runs[1:]})


COMMANDS = {"ping": cmd_ping, "rpc": cmd_rpc, "define": cmd_define,
            "concurrent": cmd_concurrent, "events": cmd_events, "start": cmd_start,
            "rawqemu": cmd_rawqemu}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
