#!/usr/bin/python3
"""Reboot and reset of vireo-qemud guests (real QEMU, TCG, the tiny guest),
driven by stock virsh and python3-libvirt through vireo-proxyd.

virsh reboot is libvirt's "fake reboot": an ACPI power button press, the
guest powers itself off, QEMU stops there (-no-shutdown) and is reset and
continued; the guest boots a second time in the same QEMU, with the same
id, and clients see REBOOT events and no lifecycle event (what libvirtd
9.0 shows for the same guest). virsh reset is a hard reset. Also: the
flags libvirt's QEMU driver refuses, a guest that ignores ACPI (the reboot
stays pending until it shuts down, across a daemon restart, even one that
happens while the guest shuts down), destroy and shutdown forgetting a
pending reboot, on_reboot destroy, and errors for a guest that is off."""
import importlib.util
import os
import re
import select
import signal
import threading
import time

_spec = importlib.util.spec_from_file_location(
    "qcommon", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemud-common.py"))
q = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(q)
h = q.h

libvirt, kernel, initrd, t = q.start_test()

BOOTED = b"TINYGUEST: BOOTED"
events = []
ev_lock = threading.Lock()


def on_lifecycle(conn, dom, event, detail, opaque):
    with ev_lock:
        events.append((dom.name(), "lifecycle", event, detail))


def on_reboot(conn, dom, opaque):
    with ev_lock:
        events.append((dom.name(), "reboot"))


def take_events(name, settle=0.3):
    """The events of @name received so far (after @settle s), in order; clears them."""
    time.sleep(settle)
    with ev_lock:
        got = [e[1:] for e in events if e[0] == name]
        events[:] = [e for e in events if e[0] != name]
    return got


def wait_events(name, want, timeout=20):
    """Waits until the events of @name include @want (a list, in order)."""
    end = time.time() + timeout
    while time.time() < end:
        with ev_lock:
            got = [e[1:] for e in events if e[0] == name]
        it = iter(got)
        if all(w in it for w in want):
            return True
        time.sleep(0.02)
    return False


class Console:
    """The guest's serial pty: counts boots, runs commands."""

    def __init__(self, dom):
        self.fd = os.open(q.pty_of(dom.XMLDesc()), os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        self.buf = b""

    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if r:
            try:
                self.buf += os.read(self.fd, 65536)
            except OSError:
                pass

    def wait(self, marker, count=1, timeout=30):
        end = time.time() + timeout
        while self.buf.count(marker) < count and time.time() < end:
            self.read(min(0.2, max(0, end - time.time())))
        return self.buf.count(marker) >= count

    def boots(self):
        self.read(0)
        return self.buf.count(BOOTED)

    def run(self, cmd):
        os.write(self.fd, cmd.encode() + b"\n")

    def close(self):
        os.close(self.fd)


def err_of(fn, *args):
    try:
        fn(*args)
    except libvirt.libvirtError as e:
        return e.get_error_code(), e.get_error_domain(), e.get_error_message()
    return None


def status_xml(root, name):
    path = os.path.join(root.dir, "run", "vireo", "qemu", name + ".xml")
    with open(path) as f:
        return f.read()


def qemu_pid(root, name):
    return int(re.search(r"pid='(\d+)'", status_xml(root, name)).group(1))


def kill_acpid(con):
    """Makes the guest ignore the power button (acpid starts again with
    every boot)."""
    n = con.buf.count(b"ACPID-42-GONE")
    con.run("killall acpid; echo ACPID-$((40+2))-GONE")
    return con.wait(b"ACPID-42-GONE", n + 1, timeout=10)


RUNNING = [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED]

with q.QemuRoot() as root:
    qd = root.start("qemud")
    root.start("proxyd")
    uri = root.qemu_uri("proxyd")

    h.start_libvirt_event_loop(libvirt)

    def watch():
        w = libvirt.open(uri)
        w.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
        w.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, on_reboot, None)
        return w

    watcher = watch()
    conn = libvirt.open(uri)
    dom = conn.defineXML(q.domain_xml("g1", kernel, initrd))
    dom.create()
    # g2 boots meanwhile: its on_reboot destroy turns a reboot into a shutdown
    d2 = conn.defineXML(q.domain_xml("g2", kernel, initrd,
                                     lifecycle="\n  <on_reboot>destroy</on_reboot>"))
    d2.create()
    con = Console(dom)
    con2 = Console(d2)
    t.ok(con.wait(BOOTED), "g1 booted", con.buf[-300:])
    domid, pid = dom.ID(), qemu_pid(root, "g1")
    take_events("g1")

    # ---- stock virsh reboot: a second boot in the same QEMU ----
    t0 = time.time()
    st, out, err = h.virsh(uri, "reboot g1")
    t.ok(st == 0 and "Domain 'g1' is being rebooted" in out, "virsh reboot", out + err)
    t.ok(con.wait(BOOTED, 2), "the guest booted a second time (console)", con.buf[-400:])
    print("# reboot to the second boot %.2fs" % (time.time() - t0))
    t.ok(b"POWERBUTTON" in con.buf, "... after the guest saw the ACPI power button")
    t.eq((dom.ID(), qemu_pid(root, "g1")), (domid, pid), "same id, same QEMU process")
    t.eq(dom.state(), RUNNING, "state running (booted), as before the reboot")
    got = take_events("g1")
    t.ok(got and all(e == ("reboot",) for e in got),
         "events: REBOOT only, no lifecycle event (libvirtd 9.0 shows the same)", got)
    t.ok("<fakereboot/>" not in status_xml(root, "g1"), "no reboot pending afterwards")
    st, out, err = h.virsh(uri, "domstate g1 --reason")
    t.ok(st == 0 and out.strip() == "running (booted)", "virsh domstate --reason", out + err)

    # ---- virsh reset: a hard reset ----
    n = con.boots()
    st, out, err = h.virsh(uri, "reset g1")
    t.ok(st == 0 and "Domain 'g1' was reset" in out, "virsh reset", out + err)
    t.ok(con.wait(BOOTED, n + 1), "reset: the guest booted again", con.buf[-300:])
    t.eq((dom.ID(), qemu_pid(root, "g1")), (domid, pid), "reset: same id, same QEMU process")
    t.eq(dom.state(), RUNNING, "reset: still running (booted)")
    got = take_events("g1")
    t.ok(got and all(e == ("reboot",) for e in got), "reset: REBOOT events only", got)

    # ---- flags and methods ----
    t.eq(err_of(dom.reboot, libvirt.VIR_DOMAIN_REBOOT_GUEST_AGENT),
         (libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
          "argument unsupported: QEMU guest agent is not configured"),
         "reboot --mode agent: no agent configured (libvirt's error)")
    for flag in (libvirt.VIR_DOMAIN_REBOOT_INITCTL, libvirt.VIR_DOMAIN_REBOOT_SIGNAL,
                 libvirt.VIR_DOMAIN_REBOOT_PARAVIRT, 32):
        t.eq(err_of(dom.reboot, flag),
             (libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
              "unsupported flags (0x%x) in function qemuDomainReboot" % flag),
             "reboot flag 0x%x refused as libvirt's QEMU driver does" % flag)
    st, out, err = h.virsh(uri, "reboot g1 --mode initctl")
    t.ok(st != 0 and "unsupported flags (0x4) in function qemuDomainReboot" in err,
         "virsh reboot --mode initctl", out + err)
    t.eq(err_of(dom.reset, 1)[:2], (libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU),
         "reset with a flag refused")

    # ---- a guest that ignores ACPI: the reboot stays pending ----
    t.ok(kill_acpid(con), "acpid stopped in the guest")
    n = con.boots()
    t.eq(err_of(dom.reboot, 0), None, "reboot of a guest without an ACPI handler succeeds")
    time.sleep(1)
    t.ok(con.boots() == n and dom.state() == RUNNING, "... nothing happens: still running")
    t.ok("<fakereboot/>" in status_xml(root, "g1"), "the pending reboot is in the status XML")
    watcher.close()
    conn.close()
    qd.stop()
    qd = root.start("qemud")
    t.ok("<fakereboot/>" in status_xml(root, "g1"), "it survives a daemon restart")
    # the daemon dies and the guest powers off meanwhile: the next daemon
    # finishes the reboot
    qd.stop(signal.SIGKILL)
    con.run("poweroff -f")
    time.sleep(1)
    t.eq(con.boots(), n, "the guest powered off while no daemon runs (QEMU waits)")
    qd = root.start("qemud")
    watcher = watch()
    conn = libvirt.open(uri)
    dom = conn.lookupByName("g1")
    t.ok(con.wait(BOOTED, n + 1), "the restarted daemon finished the pending reboot",
         con.buf[-300:])
    t.eq((dom.ID(), qemu_pid(root, "g1"), dom.state()), (domid, pid, RUNNING),
         "... same id, same QEMU, running")
    t.ok(q.wait_state(lambda: "<fakereboot/>" in status_xml(root, "g1"), False, 5) is False,
         "... and nothing is pending any more")

    # the guest's own power-off while a reboot is pending
    t.ok(kill_acpid(con), "acpid stopped again")
    n = con.boots()
    dom.reboot(0)
    take_events("g1")
    con.run("poweroff -f")
    t.ok(con.wait(BOOTED, n + 1), "the guest's own power-off became the pending reboot",
         con.buf[-300:])
    t.eq(dom.state(), RUNNING, "... running")
    t.ok(wait_events("g1", [("reboot",)]), "... REBOOT event")
    got = take_events("g1")
    t.ok(all(e == ("reboot",) for e in got), "... and no lifecycle event", got)

    # destroy forgets a pending reboot
    t.ok(kill_acpid(con), "acpid stopped once more")
    dom.reboot(0)
    st, out, err = h.virsh(uri, "destroy g1")
    t.eq(st, 0, "destroy while a reboot is pending", err)
    t.eq(dom.state(), [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED],
         "shut off (destroyed)")
    con.close()
    dom.create()
    con = Console(dom)
    t.ok(con.wait(BOOTED), "started again", con.buf[-300:])
    t.ok("<fakereboot/>" not in status_xml(root, "g1"), "no reboot pending in the new run")

    # a shutdown asked for after a reboot wins (the guest paused meanwhile)
    dom.suspend()
    t.eq(err_of(dom.reboot, libvirt.VIR_DOMAIN_REBOOT_GUEST_AGENT |
                libvirt.VIR_DOMAIN_REBOOT_ACPI_POWER_BTN), None,
         "reboot --mode agent,acpi of a paused guest is accepted (ACPI after the agent)")
    t.eq(dom.state()[0], libvirt.VIR_DOMAIN_PAUSED, "... it stays paused")
    dom.shutdown()
    take_events("g1")
    dom.resume()
    got = q.wait_state(dom.state, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN])
    t.eq(got, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN],
         "resumed, it powers off: the later shutdown won over the reboot")
    t.eq(con.boots(), 1, "... no second boot")
    con.close()

    # a guest that is off
    for name, fn in (("reboot", dom.reboot), ("reset", dom.reset)):
        t.eq(err_of(fn, 0), (libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_DOMAIN,
                             "Requested operation is not valid: domain is not running"),
             "%s of a guest that is off: libvirt's error" % name)
    t.eq(err_of(dom.reboot, libvirt.VIR_DOMAIN_REBOOT_GUEST_AGENT)[:2],
         (libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_QEMU),
         "reboot --mode agent of a guest that is off")

    # ---- on_reboot destroy: the reboot is a shutdown ----
    d2 = conn.lookupByName("g2")
    t.ok(con2.wait(BOOTED), "g2 (on_reboot destroy) booted", con2.buf[-300:])
    take_events("g2")
    st, out, err = h.virsh(uri, "reboot g2")
    t.eq(st, 0, "virsh reboot g2", err)
    got = q.wait_state(d2.state, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN])
    t.eq(got, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN],
         "on_reboot destroy: shut off (shutdown)")
    t.ok(wait_events("g2", [("lifecycle", libvirt.VIR_DOMAIN_EVENT_SHUTDOWN,
                             libvirt.VIR_DOMAIN_EVENT_SHUTDOWN_GUEST),
                            ("lifecycle", libvirt.VIR_DOMAIN_EVENT_STOPPED,
                             libvirt.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN)]),
         "... SHUTDOWN (guest) then STOPPED (shutdown), as libvirtd", take_events("g2", 0))
    t.eq(con2.boots(), 1, "... no second boot")
    con2.close()

    t.eq(conn.getType(), "QEMU", "the daemon is unharmed")
    conn.close()
    watcher.close()

t.done()
