#!/usr/bin/python3
"""Per-domain job isolation in vireo-qemud (real QEMU, TCG, the tiny guest).

A guest whose QEMU does not answer QMP (SIGSTOP) keeps the call that waits
on it, as libvirt's QEMU driver does: that call holds the domain's job
until QEMU answers. Meanwhile calls on another guest, queries of the
stuck one and connection-level calls (list, define) answer at once; a
second modifying call on the stuck guest gives up after the job wait
(libvirt's 30 s; VIREO_QEMU_JOB_WAIT_MS shortens it here) with libvirt's
OPERATION_TIMEOUT "cannot acquire state change lock (held by
monitor=remoteDispatchDomainSuspend)"; virsh domcontrol shows the monitor
occupied. After SIGCONT the stuck call completes and the guest is fine;
destroy of a stuck guest works without waiting for the job."""
import importlib.util
import os
import re
import signal
import threading
import time

_spec = importlib.util.spec_from_file_location(
    "qcommon", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemud-common.py"))
q = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(q)
h = q.h

libvirt, kernel, initrd, t = q.start_test()

JOB_WAIT_MS = 2000
FAST = 2.0  # seconds a call that must not wait is allowed (a busy shared host)


def qemu_pid(root, name):
    with open(os.path.join(root.dir, "run", "vireo", "qemu", name + ".xml")) as f:
        return int(re.search(r"pid='(\d+)'", f.read()).group(1))


class Call(threading.Thread):
    """A libvirt call in a thread of its own: its result, error and duration."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self.fn, self.args = fn, args
        self.result = self.error = self.took = None
        self.start()

    def run(self):
        t0 = time.time()
        try:
            self.result = self.fn(*self.args)
        except libvirt.libvirtError as e:
            self.error = (e.get_error_code(), e.get_error_domain(), e.get_error_message())
        self.took = time.time() - t0


def timed_virsh(uri, cmd):
    t0 = time.time()
    st, out, err = h.virsh(uri, cmd)
    return st, out, err, time.time() - t0


with q.QemuRoot() as root:
    root.start("qemud", env={"VIREO_QEMU_JOB_WAIT_MS": str(JOB_WAIT_MS)})
    root.start("proxyd")
    uri = root.qemu_uri("proxyd")
    conn = libvirt.open(uri)
    doms, cons = {}, {}
    for name in ("j1", "j2"):
        doms[name] = conn.defineXML(q.domain_xml(name, kernel, initrd))
        doms[name].create()
        cons[name] = q.Serial(q.pty_of(doms[name].XMLDesc()))
    for name in ("j1", "j2"):
        t.ok(cons[name].wait_for("TINYGUEST: BOOTED"), "%s booted" % name)
    pid1 = qemu_pid(root, "j1")

    # ---- j1's QEMU stops answering; a suspend waits on it ----
    os.kill(pid1, signal.SIGSTOP)
    try:
        stuck = Call(libvirt.open(uri).lookupByName("j1").suspend)
        time.sleep(0.5)
        t.ok(stuck.is_alive(), "suspend of the stopped guest waits for QEMU")
        st, out, err, took = timed_virsh(uri, "domcontrol j1")
        t.ok(st == 0 and out.startswith("occupied (") and took < FAST,
             "virsh domcontrol: the monitor is occupied", out + err)

        # everything else answers at once
        other = libvirt.open(uri)
        for what, cmd, check in (
                ("virsh list", "list --all", lambda o: "j1" in o and "j2" in o),
                ("virsh dominfo of the stuck guest", "dominfo j1", lambda o: "running" in o),
                ("virsh dominfo of the other guest", "dominfo j2", lambda o: "running" in o),
                ("virsh suspend of the other guest", "suspend j2", lambda o: "suspended" in o),
                ("virsh resume of the other guest", "resume j2", lambda o: "resumed" in o)):
            st, out, err, took = timed_virsh(uri, cmd)
            t.ok(st == 0 and check(out) and took < FAST,
                 "%s answers (%.2fs)" % (what, took), out + err)
        t0 = time.time()
        j3 = other.defineXML(q.domain_xml("j3", kernel, initrd))
        t.ok(j3.name() == "j3" and time.time() - t0 < FAST,
             "define of a third guest (%.2fs)" % (time.time() - t0))
        t0 = time.time()
        names = sorted(d.name() for d in other.listAllDomains())
        t.ok(names == ["j1", "j2", "j3"] and time.time() - t0 < FAST,
             "listAllDomains from python3-libvirt", names)
        cons["j2"].buf = b""
        os.write(cons["j2"].fd, b"echo OTHER-$((6*7))\n")
        t.ok(cons["j2"].wait_for("OTHER-42", 10), "the other guest runs on")

        # a second change of the stuck guest gives up after the job wait
        second = Call(other.lookupByName("j1").resume)
        second.join(JOB_WAIT_MS / 1000 + 20)
        t.eq(second.error, (libvirt.VIR_ERR_OPERATION_TIMEOUT, libvirt.VIR_FROM_NONE,
                            "Timed out during operation: cannot acquire state change lock "
                            "(held by monitor=remoteDispatchDomainSuspend)"),
             "a second call on the stuck guest: libvirt's OPERATION_TIMEOUT")
        t.ok(second.took is not None and JOB_WAIT_MS / 1000 - 0.2 <= second.took < JOB_WAIT_MS /
             1000 + 5, "... after the job wait (%.2fs)" % (second.took or -1))
        st, out, err, took = timed_virsh(uri, "reboot j1")
        t.ok(st != 0 and "cannot acquire state change lock" in err,
             "virsh reboot of the stuck guest times out the same way", out + err)
        t.ok(stuck.is_alive(), "the first call still waits for QEMU")
    finally:
        os.kill(pid1, signal.SIGCONT)

    # ---- QEMU answers again: the waiting call completes ----
    stuck.join(20)
    t.ok(not stuck.is_alive() and stuck.error is None, "after SIGCONT the suspend completes",
         stuck.error)
    j1 = conn.lookupByName("j1")
    t.eq(j1.state(), [libvirt.VIR_DOMAIN_PAUSED, libvirt.VIR_DOMAIN_PAUSED_USER],
         "j1 paused (user), as asked")
    j1.resume()
    t.eq(j1.state(), [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_UNPAUSED],
         "j1 resumed")
    st, out, err = h.virsh(uri, "domcontrol j1")
    t.ok(st == 0 and out.strip() == "ok", "virsh domcontrol: ok again", out + err)
    cons["j1"].buf = b""
    os.write(cons["j1"].fd, b"echo BACK-$((6*7))\n")
    t.ok(cons["j1"].wait_for("BACK-42", 10), "j1's guest answers on its console")

    # ---- destroy does not wait for the job a stuck call holds ----
    os.kill(pid1, signal.SIGSTOP)
    stuck = Call(libvirt.open(uri).lookupByName("j1").reset)
    time.sleep(0.5)
    st, out, err, took = timed_virsh(uri, "destroy j1")
    t.ok(st == 0 and j1.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF,
         "destroy of the stuck guest (%.2fs)" % took, out + err)
    stuck.join(10)
    t.ok(not stuck.is_alive() and stuck.error is not None,
         "the stuck reset ends with an error once QEMU is gone", stuck.error)
    t.eq(j1.state(), [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED],
         "j1 shut off (destroyed)")
    t.eq(conn.lookupByName("j2").state()[0], libvirt.VIR_DOMAIN_RUNNING, "j2 still runs")
    t.eq(conn.getType(), "QEMU", "the daemon is unharmed")
    conn.close()

t.done()
