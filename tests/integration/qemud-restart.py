#!/usr/bin/python3
"""Restart safety of vireo-qemud with real QEMU (TCG): kill -9 of the daemon
while two guests run, a third guest dies while no daemon watches, a fourth
powers itself off meanwhile. After a restart the two are listed running,
stay operable (suspend/resume, console) and shut down cleanly; the dead
one is shut off (crashed) and the powered-off one shut off (shutdown).
Also: SIGTERM of the daemon leaves the guests running; autostart; a
daemon alone in its own mount and PID namespaces (unshare) with a client
on its socket."""
import importlib.util
import os
import shutil
import signal
import subprocess
import time

_spec = importlib.util.spec_from_file_location(
    "qcommon", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemud-common.py"))
q = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(q)
h = q.h

libvirt, kernel, initrd, t = q.start_test(proxyd=False)

NAMES = ["r1", "r2", "dies", "offs"]


def state(conn, name):
    return conn.lookupByName(name).state()


with q.QemuRoot() as root:
    d = root.start("qemud")
    uri = root.qemu_uri()
    conn = libvirt.open(uri)
    serials = {}
    for n in NAMES:
        dom = conn.defineXML(q.domain_xml(n, kernel, initrd))
        dom.create()
        serials[n] = q.Serial(q.pty_of(dom.XMLDesc()))
    conn.lookupByName("r1").setAutostart(1)
    for n in NAMES:
        t.ok(serials[n].wait_for("TINYGUEST: BOOTED"), "%s booted" % n)
    pids = dict((n, conn.lookupByName(n).XMLDesc()) for n in NAMES)
    qpids = q.qemu_pids(root)
    t.eq(len(qpids), 4, "four status files with pids")
    conn.close()

    # the daemon dies; one guest dies too, one powers itself off
    d.stop(signal.SIGKILL)
    t.ok(all(os.path.exists("/proc/%d" % p) for p in qpids), "guests outlive kill -9 of the daemon")
    with open(os.path.join(root.dir, "run", "vireo", "qemu", "dies.xml")) as f:
        import re
        dies_pid = int(re.search(r"pid='(\d+)'", f.read()).group(1))
    os.kill(dies_pid, signal.SIGKILL)
    os.write(serials["offs"].fd, b"poweroff -f\n")
    time.sleep(1)
    for n in ("dies", "offs"):
        serials[n].close()

    t0 = time.time()
    d = root.start("qemud")
    conn = libvirt.open(uri)
    print("# restart to first answer %.3fs" % (time.time() - t0))
    for n in ("r1", "r2"):
        t.eq(state(conn, n), [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED],
             "%s running after the restart" % n)
    t.ok("<alias name='serial0'/>" in conn.lookupByName("r1").XMLDesc(),
         "the device aliases survive the restart (status XML)")
    t.eq(state(conn, "dies")[0], libvirt.VIR_DOMAIN_SHUTOFF, "the killed guest is shut off")
    t.eq(state(conn, "dies")[1], libvirt.VIR_DOMAIN_SHUTOFF_CRASHED, "... reason crashed")
    got = q.wait_state(lambda: state(conn, "offs"),
                       [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN], 10)
    t.eq(got, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN],
         "the guest that powered off meanwhile: shut off (shutdown)")
    ids = sorted(conn.listDomainsID())
    t.eq(len(ids), 2, "two guests listed running", ids)
    t.eq(conn.lookupByName("r1").autostart(), 1, "autostart kept")

    # operable: the monitor is back
    r2 = conn.lookupByName("r2")
    r2.suspend()
    t.eq(r2.state()[0], libvirt.VIR_DOMAIN_PAUSED, "r2 suspended after the restart")
    r2.resume()
    t.eq(r2.state()[0], libvirt.VIR_DOMAIN_RUNNING, "r2 resumed")
    os.write(serials["r2"].fd, b"echo STILL-$((40+2))\n")
    t.ok(serials["r2"].wait_for("STILL-42"), "r2's console still answers")

    # SIGTERM of the daemon: guests keep running, found again
    t.eq(d.stop(), 0, "SIGTERM: the daemon exits 0")
    t.ok(all(os.path.exists("/proc/%d" % p) for p in q.qemu_pids(root)),
         "guests outlive a clean daemon stop")
    d = root.start("qemud")
    conn = libvirt.open(uri)
    t.eq(len(conn.listDomainsID()), 2, "both still running after a clean restart")

    for n in ("r1", "r2"):
        conn.lookupByName(n).shutdown()
    for n in ("r1", "r2"):
        got = q.wait_state(lambda: state(conn, n),
                           [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN])
        t.eq(got, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN],
             "%s shut down cleanly" % n)
    t.eq(q.qemu_pids(root), [], "no status file left")
    t.eq(sorted(d.name() for d in conn.listAllDomains()), sorted(NAMES), "no definition lost")
    conn.close()
    d.stop()

    # autostart: r1 starts with the daemon
    d = root.start("qemud")
    conn = libvirt.open(uri)
    got = q.wait_state(lambda: conn.lookupByName("r1").isActive(), 1, 20)
    t.eq(got, 1, "the autostart guest starts with the daemon")
    conn.lookupByName("r1").destroy()

    # on_poweroff restart: the guest powers off and comes back
    rs = conn.createXML(q.domain_xml("rs", kernel, initrd,
                                     lifecycle="\n  <on_poweroff>restart</on_poweroff>"), 0)
    ser = q.Serial(q.pty_of(rs.XMLDesc()))
    t.ok(ser.wait_for("TINYGUEST: BOOTED"), "on_poweroff restart: booted")
    pid1 = q.qemu_pids(root)
    os.write(ser.fd, b"poweroff -f\n")
    ser.close()
    end = time.time() + 20
    while time.time() < end and (q.qemu_pids(root) in ([], pid1)):
        time.sleep(0.05)
    st = q.wait_state(lambda: rs.state()[0], libvirt.VIR_DOMAIN_RUNNING, 10)
    t.ok(q.qemu_pids(root) not in ([], pid1) and st == libvirt.VIR_DOMAIN_RUNNING,
         "on_poweroff restart: a new QEMU runs the guest", (pid1, q.qemu_pids(root)))
    rs.destroy()
    conn.close()
    d.stop()

    # a container running just this driver: own mount and PID namespaces
    unshare = shutil.which("unshare")
    if unshare and os.geteuid() == 0:
        croot = q.QemuRoot()
        argv = [unshare, "--mount", "--pid", "--fork", "--kill-child",
                h.daemon_binary("qemud"), "--root", croot.dir]
        p = h.spawn(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.time() + 20
        while time.time() < end and not h.can_connect(croot.sock("qemud")):
            time.sleep(0.05)
        c = libvirt.open(croot.qemu_uri())
        dom = c.createXML(q.domain_xml("ns", kernel, initrd), 0)
        t.eq(dom.state()[0], libvirt.VIR_DOMAIN_RUNNING, "a guest in a namespaced qemud")
        dom.destroy()
        c.close()
        # unshare ignores SIGTERM while it waits: SIGKILL ends it, and with
        # --kill-child the daemon, the namespace's init, and all inside
        p.kill()
        p.wait(20)
        croot.close()
    else:
        t.ok(True, "# SKIP unshare needs root")

t.done()
