"""One benchmark run: both sides' daemons, the measurement groups, and the
samples they collect.

Both sides run at the same time and each group alternates between them
(libvirtd first on even repeats, Vireo first on odd ones), so a change of
load on this shared machine hits both alike. Sequential RPC groups pin the
serving daemon (every thread, taskset -a) and the client to CPU 0: unpinned
latencies here are bimodal, pinned ones and the daemon's CPU time per call
are stable.
"""
import os
import time

import common
from daemons import Libvirtd, Vireo, wait_gone
from metrics import METRICS

CPU = "0"


class Params:
    def __init__(self, quick):
        self.rpc_n = 1000 if quick else 10000
        self.crpc_n = 2000 if quick else 20000
        self.define_n = 1000
        self.conc_clients, self.conc_calls = 64, (20 if quick else 100)
        self.conc_reps = 1
        self.conc_c_calls = 50 if quick else 500
        self.ev_conns, self.ev_reps = 100, (2 if quick else 4)
        self.start_reps = 2 if quick else 5
        self.hop_n = 2000 if quick else 5000


class Run:
    def __init__(self, tools, build, quick, reps, say):
        self.tools, self.quick, self.reps, self.say = tools, quick, reps, say
        self.p = Params(quick)
        self.lv = Libvirtd(tools)
        self.vi = Vireo(build)
        self.running = []            # every Daemon started and not yet stopped
        self.main = {}               # side -> its main Daemon
        self.values = {}

    # ---- bookkeeping ---------------------------------------------------------
    def add(self, metric, side, value):
        self.values.setdefault(metric, {}).setdefault(side, []).append(value)

    def note(self, metric, text):
        self.values.setdefault(metric, {})["note"] = text

    def start(self, daemon):
        self.running.append(daemon)
        return daemon.start(self.tools["vbench"])

    def stop(self, daemon):
        if daemon in self.running:
            self.running.remove(daemon)
            return daemon.stop()
        return None

    def cleanup(self, keep):
        for d in list(reversed(self.running)):
            try:
                self.stop(d)
            except Exception as e:  # keep stopping the others
                print("bench/run: stopping %s: %s" % (d.label, e))
        if keep:
            print("kept: %s %s" % (self.lv.dir, self.vi.dir))
        self.lv.cleanup(keep)
        self.vi.cleanup(keep)

    def sides(self, rep):
        order = [("libvirtd", self.lv), ("vireo", self.vi)]
        return order if rep % 2 == 0 else order[::-1]

    # ---- the run -------------------------------------------------------------
    def measure(self, groups, explicit=False):
        if self.quick and not explicit and "qemu" in groups:
            groups = [g for g in groups if g != "qemu"]
            for name in ("start_to_running_ms", "raw_qemu_qmp_ready_ms"):
                self.note(name, "n/a: not run with --quick (QEMU starts take seconds)")
        needs_main = [g for g in groups if g not in ("cold", "hop")]
        if needs_main:
            self.say("starting libvirtd and vireo-proxyd (fresh, for rss_1000)")
            for side, obj in (("libvirtd", self.lv), ("vireo", self.vi)):
                self.main[side] = self.start(obj.daemon())
        for g in groups:
            if g == "cold":          # fresh daemons only: the main ones go first
                for d in list(self.main.values()):
                    self.stop(d)
                self.main = {}
            self.say("%s (%d repeats)" % (g, self.reps))
            try:
                getattr(self, "group_" + g)()
            except Exception as e:
                print("bench/run: group %s failed: %s" % (g, e), flush=True)
                for name, (_u, group, _t, _w) in METRICS.items():
                    if group == g:
                        self.note(name, "failed: %s" % e)
            finally:
                for d in self.main.values():
                    try:
                        common.pin(d.pid, common.all_cpus())
                    except Exception as e:
                        print("bench/run: %s: %s" % (d.label, e))
        for d in list(self.main.values()):
            self.stop(d)
        return self.values

    def pinned(self):
        for d in self.main.values():
            common.pin(d.pid, CPU)

    def uri(self, obj):
        return obj.test_uri

    def group_define(self):
        self.pinned()
        for rep in range(self.reps):
            for side, obj in self.sides(rep):
                r = common.client("define", self.uri(obj), self.p.define_n, 1,
                                  self.main[side].pid, self.tools["vbench"], cpus=CPU)
                for key, src in (("define", "define"), ("list_all", "c_list"),
                                 ("list_all_1000_py", "list"), ("xmldesc", "xmldesc"),
                                 ("undefine", "undefine")):
                    if not key.endswith("_py"):
                        key += "_1000"
                    self.add("%s_ms" % key, side, r[src + "_ms"][0])
                    self.add("%s_daemon_cpu_ms" % key, side, r[src + "_cpu_ms"][0])
                self.add("list_all_1000_client_cpu_ms", side, r["c_list_client_cpu_ms"][0])
                if rep == 0:         # the first 1000 on a fresh daemon
                    self.add("rss_1000_kib", side, r["rss_after_define_kib"][0])

    def group_rpc(self):
        self.pinned()
        for rep in range(self.reps):
            for side, obj in self.sides(rep):
                r = common.client("rpc", self.uri(obj), self.p.rpc_n, 1,
                                  self.main[side].pid, cpus=CPU)
                for key in ("getlibversion", "lookup_info"):
                    self.add("rpc_%s_us" % key, side, r[key + "_us"][0])
                    self.add("rpc_%s_daemon_cpu_us" % key, side, r[key + "_daemon_cpu_us"][0])

    def c_rpc(self, uri, n, pid):
        return common.run_json([self.tools["vbench"], "rpc", uri, str(n), "1", str(pid)],
                               cpus=CPU)

    def group_crpc(self):
        self.pinned()
        for rep in range(self.reps):
            for side, obj in self.sides(rep):
                r = self.c_rpc(self.uri(obj), self.p.crpc_n, self.main[side].pid)
                self.add("c_rpc_getlibversion_us", side, r["us_per_call"][0])
                self.add("c_rpc_getlibversion_daemon_cpu_us", side,
                         r["daemon_cpu_us_per_call"][0])

    def group_events(self):
        self.pinned()
        for rep in range(self.reps):
            for side, obj in self.sides(rep):
                r = common.client("events", self.uri(obj), self.p.ev_conns, self.p.ev_reps,
                                  self.main[side].pid, cpus=CPU)
                for ms, cpu in zip(r["ms"], r["daemon_cpu_ms"]):
                    self.add("event_fanout_100_ms", side, ms)
                    self.add("event_fanout_100_daemon_cpu_ms", side, cpu)

    def group_concurrent(self):
        # Not pinned: 64 clients on both CPUs is the point of this one. The
        # C clients (vbench) show the server; the Python ones spend most of
        # the machine's CPU in the interpreter and are reported beside.
        for rep in range(self.reps):
            for side, obj in self.sides(rep):
                pid = self.main[side].pid
                r = common.run_json([self.tools["vbench"], "concurrent", self.uri(obj),
                                     str(self.p.conc_clients), str(self.p.conc_c_calls),
                                     str(pid)])
                self.add("concurrent_64_us_per_call", side, r["us_per_call"])
                self.add("concurrent_64_daemon_cpu_us", side, r["daemon_cpu_us_per_call"])
                r = common.client("concurrent", self.uri(obj), self.p.conc_clients,
                                  self.p.conc_calls, self.p.conc_reps, pid)
                for us, cpu in zip(r["us_per_call"], r["daemon_cpu_us_per_call"]):
                    self.add("concurrent_64_py_us_per_call", side, us)
                    self.add("concurrent_64_py_daemon_cpu_us", side, cpu)

    def group_hop(self):
        """Vireo through vireo-proxyd (routing test:/// to vireo-testd) over
        Vireo straight to vireo-testd's socket; libvirtd has a single hop.
        Wall time alternates via/direct in short runs; the CPU figure adds
        the proxy's CPU to the target's on the via path."""
        testd, proxyd = self.vi.hop_daemons()
        self.start(testd)
        self.start(proxyd)
        via, direct = self.vi.hop_uris()
        row = self.values.setdefault("proxy_hop_ratio", {})
        try:
            common.pin(testd.pid, CPU)
            common.pin(proxyd.pid, CPU)
            for rep in range(self.reps * 2):
                res = {}
                pair = [("via", via), ("direct", direct)]
                for label, uri in (pair if rep % 2 == 0 else pair[::-1]):
                    p0 = common.cpu_seconds(proxyd.pid)
                    r = self.c_rpc(uri, self.p.hop_n, testd.pid)
                    proxy_us = (common.cpu_seconds(proxyd.pid) - p0) * 1e6 / self.p.hop_n
                    res[label] = (r["us_per_call"][0], r["daemon_cpu_us_per_call"][0] + proxy_us)
                self.add("proxy_hop_ratio", "vireo", res["via"][0] / res["direct"][0])
                self.add("proxy_hop_ratio", "libvirtd", 1.0)
                self.add("proxy_hop_cpu_ratio", "vireo", res["via"][1] / res["direct"][1])
                self.add("proxy_hop_cpu_ratio", "libvirtd", 1.0)
                for k in ("via", "direct"):
                    row.setdefault(k, []).append(res[k][0])
        finally:
            self.stop(proxyd)
            self.stop(testd)

    def group_qemu(self):
        """Tiny guest start through each side, interleaved with QEMU started
        by hand (the floor), so that all three see the same load."""
        self.note("raw_qemu_qmp_ready_ms", "physical limit: QEMU started by hand, no daemon")
        row = self.values.setdefault("start_to_running_ms", {})
        sides = [("libvirtd", self.lv)]
        if self.vi.has_qemud():
            qemud = self.start(self.vi.qemud_daemon())
            common.pin(qemud.pid, common.all_cpus())
            sides.append(("vireo", self.vi))
        else:
            self.note("start_to_running_ms", "n/a for vireo: vireo-qemud is not built yet (%s)"
                      % os.path.relpath(self.vi.qemud, common.ROOT))
        for _side, obj in sides:         # first starts: capability probes, caches
            common.client("start", obj.qemu_uri, 0, timeout=900)
        common.client("rawqemu", 0)
        raws = []
        for rep in range(self.p.start_reps):
            raw = common.client("rawqemu", 1, "0")["ms"][0]
            raws.append(raw)
            self.add("raw_qemu_qmp_ready_ms", "vireo", raw)
            self.add("raw_qemu_qmp_ready_ms", "libvirtd", raw)
            for side, obj in (sides if rep % 2 == 0 else sides[::-1]):
                r = common.client("start", obj.qemu_uri, 1, "0", timeout=900)
                self.add("start_to_running_ms", side, r["ms"][0])
        row["raw"] = common.median(raws)

    def group_cold(self):
        """Fresh daemons: exec -> first answered call, VmRSS 1 s later."""
        for rep in range(self.reps):
            for side, obj in self.sides(rep):
                d = self.start(obj.daemon())
                self.add("cold_start_ms", side, d.cold_ms)
                self.add("cold_start_daemon_cpu_ms", side, common.threads_cpu_ms(d.pid))
                time.sleep(1.0)
                self.add("rss_idle_kib", side, common.rss_kib(d.pid))
                pid = d.pid
                self.stop(d)
                wait_gone([pid])
