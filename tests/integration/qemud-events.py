#!/usr/bin/python3
"""The ordered lifecycle events of a vireo-qemud guest (real QEMU, TCG, the
tiny guest, through vireo-proxyd), as libvirtd 9.0's QEMU driver sends them
for the same guest: start gives RESUMED (unpaused, QEMU's RESUME after the
start-up pause) then STARTED (booted); suspend SUSPENDED (paused); resume
RESUMED (unpaused); destroy SHUTDOWN (host, QEMU's SHUTDOWN on the SIGTERM)
then STOPPED (destroyed); an ACPI shutdown the guest obeys SHUTDOWN (guest)
then STOPPED (shutdown)."""
import importlib.util
import os
import threading
import time

_spec = importlib.util.spec_from_file_location(
    "qcommon", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemud-common.py"))
q = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(q)
h = q.h

libvirt, kernel, initrd, t = q.start_test()

events = []
ev_lock = threading.Lock()


def on_lifecycle(conn, dom, event, detail, opaque):
    with ev_lock:
        events.append((dom.name(), event, detail))


def clear_events():
    with ev_lock:
        events.clear()


def take_events(count, timeout=20, settle=0.5):
    """The events of g1 once @count arrived (then @settle s more for any
    extra one), in order; clears them."""
    end = time.time() + timeout
    while time.time() < end:
        with ev_lock:
            if len([e for e in events if e[0] == "g1"]) >= count:
                break
        time.sleep(0.02)
    time.sleep(settle)
    with ev_lock:
        got = [e[1:] for e in events if e[0] == "g1"]
        events.clear()
    return got


E = libvirt
STARTED = [(E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED),
           (E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED)]

with q.QemuRoot() as root:
    root.start("qemud")
    root.start("proxyd")
    uri = root.qemu_uri("proxyd")

    h.start_libvirt_event_loop(libvirt)
    watcher = libvirt.open(uri)
    watcher.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
    conn = libvirt.open(uri)
    dom = conn.defineXML(q.domain_xml("g1", kernel, initrd))
    t.eq(take_events(1), [(E.VIR_DOMAIN_EVENT_DEFINED, E.VIR_DOMAIN_EVENT_DEFINED_ADDED)],
         "define: DEFINED (added)")

    dom.create()
    t.eq(take_events(2), STARTED, "start: RESUMED (unpaused), then STARTED (booted)")
    t.eq(dom.state(), [E.VIR_DOMAIN_RUNNING, E.VIR_DOMAIN_RUNNING_BOOTED], "running (booted)")
    serial = q.Serial(q.pty_of(dom.XMLDesc()))
    t.ok(serial.wait_for("TINYGUEST: BOOTED"), "the guest booted", serial.buf[-300:])

    dom.suspend()
    t.eq(take_events(1), [(E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED)],
         "suspend: SUSPENDED (paused)")
    dom.resume()
    t.eq(take_events(1), [(E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED)],
         "resume: RESUMED (unpaused)")

    dom.destroy()
    t.eq(take_events(2), [(E.VIR_DOMAIN_EVENT_SHUTDOWN, E.VIR_DOMAIN_EVENT_SHUTDOWN_HOST),
                          (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED)],
         "destroy: SHUTDOWN (host), then STOPPED (destroyed)")
    t.eq(dom.state(), [E.VIR_DOMAIN_SHUTOFF, E.VIR_DOMAIN_SHUTOFF_DESTROYED],
         "shut off (destroyed)")
    serial.close()

    # a paused guest destroyed: QEMU still reports the SIGTERM
    dom.create()
    t.eq(take_events(2), STARTED, "second start: RESUMED, then STARTED")
    dom.suspend()
    take_events(1)
    st, out, err = h.virsh(uri, "destroy g1")
    t.eq(st, 0, "virsh destroy of the paused guest", err)
    t.eq(take_events(2), [(E.VIR_DOMAIN_EVENT_SHUTDOWN, E.VIR_DOMAIN_EVENT_SHUTDOWN_HOST),
                          (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED)],
         "destroy while paused: SHUTDOWN (host), then STOPPED (destroyed)")

    dom.create()
    t.eq(take_events(2), STARTED, "third start: RESUMED, then STARTED")
    serial = q.Serial(q.pty_of(dom.XMLDesc()))
    t.ok(serial.wait_for("TINYGUEST: BOOTED"), "the guest booted again", serial.buf[-300:])
    dom.shutdown()
    t.ok(serial.wait_for("POWERBUTTON"), "the guest saw the ACPI power button")
    got = q.wait_state(dom.state, [E.VIR_DOMAIN_SHUTOFF, E.VIR_DOMAIN_SHUTOFF_SHUTDOWN])
    t.eq(got, [E.VIR_DOMAIN_SHUTOFF, E.VIR_DOMAIN_SHUTOFF_SHUTDOWN], "shut off (shutdown)")
    t.eq(take_events(2), [(E.VIR_DOMAIN_EVENT_SHUTDOWN, E.VIR_DOMAIN_EVENT_SHUTDOWN_GUEST),
                          (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN)],
         "ACPI shutdown: SHUTDOWN (guest), then STOPPED (shutdown)")
    serial.close()

    dom.undefine()
    conn.close()
    watcher.close()

t.done()
