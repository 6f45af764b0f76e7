#!/usr/bin/python3
"""vireo-proxyd routes a connection to the daemon owning its URI.

With `[routes] test = testd` in proxyd.conf, test:///default opened through
the proxy is served by vireo-testd: both with the hand-off (the client
socket moves to testd over its admin socket) and with the byte relay
(`[proxy] handoff = false`), for stock virsh and python3-libvirt, on the
read-write and the read-only socket. A URI whose daemon does not run gets
VIR_ERR_NO_CONNECT naming the socket and the unit to start.
"""
import importlib.util
import os
import sys
import threading
import time

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

try:
    import libvirt
except ImportError:
    h.skip("python3-libvirt is not installed for %s" % sys.executable)
h.require_virsh()
h.require_binaries("proxyd", "testd")
t = h.Tap()
libvirt.registerErrorHandler(lambda ctx, err: None, None)
# An event loop makes the client negotiate keepalive before CONNECT_OPEN,
# which the hand-off and the relay must carry over to vireo-testd.
libvirt.virEventRegisterDefaultImpl()
threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)],
                 daemon=True).start()

DOM_XML = """<domain type='test'>
  <name>routed1</name>
  <uuid>0c4a2b1e-5d1f-4c8e-9a8b-3f2e1d0c9b8a</uuid>
  <memory unit='KiB'>131072</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def check_relay_bounds(root, proxyd):
    """A routed client that sends without reading costs the relay bounded
    memory, and the proxy keeps serving others meanwhile."""
    before = rss_kib(proxyd.proc.pid)
    hog = h.raw_open(root.sock("proxyd"))
    hog.setblocking(False)
    call = h.frame(7, 5)  # CONNECT_GET_CAPABILITIES
    end = time.time() + 2
    while time.time() < end:
        try:
            hog.send(call)
        except BlockingIOError:
            time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):
            break
    st, out, err = h.virsh(root.uri("proxyd"), "domstate test")
    t.eq((st, out), (0, "running\n\n"), "relay: others served while a client never reads", err)
    grown = rss_kib(proxyd.proc.pid) - before
    t.ok(grown < 16 * 1024, "relay: memory bounded (%d KiB more)" % grown)
    hog.close()


def check_mode(root, handoff):
    tag = "hand-off" if handoff else "relay"
    root.write_config("proxyd", "[proxy]\nhandoff = %s\n[routes]\ntest = testd\n"
                      % ("true" if handoff else "false"))
    testd = root.start("testd", ["--verbose"])
    proxyd = root.start("proxyd", ["--verbose"])

    # A domain defined through the proxy is seen on testd's own socket.
    routed = libvirt.open(root.uri("proxyd"))
    routed.defineXML(DOM_XML)
    direct = libvirt.open(root.uri("testd"))
    try:
        name = direct.lookupByName("routed1").name()
    except libvirt.libvirtError as e:
        name = str(e)
    t.eq(name, "routed1", "%s: object defined through the proxy lives in vireo-testd" % tag)

    # Later calls on the routed connection keep working (both directions).
    dom = routed.lookupByName("routed1")
    dom.create()
    t.eq(direct.lookupByName("routed1").state(0)[0], libvirt.VIR_DOMAIN_RUNNING,
         "%s: calls after the open reach vireo-testd" % tag)
    dom.destroy()
    dom.undefine()

    # Events through the routed connection.
    got = []
    cb = routed.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                       lambda c, d, e, det, o: got.append((d.name(), e)), None)
    dom = direct.defineXML(DOM_XML)
    dom.create()
    dom.destroy()
    dom.undefine()
    end = time.time() + 20
    while len(got) < 4 and time.time() < end:
        time.sleep(0.05)
    routed.domainEventDeregisterAny(cb)
    t.eq(got, [("routed1", libvirt.VIR_DOMAIN_EVENT_DEFINED),
               ("routed1", libvirt.VIR_DOMAIN_EVENT_STARTED),
               ("routed1", libvirt.VIR_DOMAIN_EVENT_STOPPED),
               ("routed1", libvirt.VIR_DOMAIN_EVENT_UNDEFINED)],
         "%s: events reach the routed connection" % tag)

    # Stock virsh through the proxy, routed.
    st, out, err = h.virsh(root.uri("proxyd"), "list --all; domstate test")
    want = h.virsh("test:///default", "list --all; domstate test")
    t.eq((st, out, err), want, "%s: virsh through the routed connection" % tag)

    # Read-only: routed to testd's read-only socket, writes refused there.
    ro = libvirt.openReadOnly(root.uri("proxyd", "ro"))
    try:
        ro.lookupByName("test").destroy()
        code = None
    except libvirt.libvirtError as e:
        code = e.get_error_code()
    t.eq(code, libvirt.VIR_ERR_OPERATION_DENIED, "%s: read-only stays read-only" % tag)
    t.eq(direct.lookupByName("test").state(0)[0], libvirt.VIR_DOMAIN_RUNNING,
         "%s: denied write left the domain running" % tag)
    ro.close()

    routed.close()
    direct.close()
    log = testd.output()
    if handoff:
        t.ok("adopted client" in log, "hand-off: vireo-testd adopted the client socket",
             log[-2000:])
    else:
        t.ok("relaying client" in proxyd.output(), "relay: vireo-proxyd relayed the bytes",
             proxyd.output()[-2000:])
        check_relay_bounds(root, proxyd)
    t.eq(proxyd.stop(), 0, "%s: proxyd stops cleanly" % tag)
    t.eq(testd.stop(), 0, "%s: testd stops cleanly" % tag)


with h.Root() as root:
    check_mode(root, True)
with h.Root() as root:
    check_mode(root, False)

# Hand-off configured but the target has no admin socket: relay instead.
with h.Root() as root:
    root.write_config("proxyd", "[routes]\ntest = testd\n")
    testd = root.start("testd")
    proxyd = root.start("proxyd", ["--verbose"])
    os.unlink(root.sock("testd", "admin"))
    st, out, err = h.virsh(root.uri("proxyd"), "domstate test")
    t.eq((st, out), (0, "running\n\n"), "no admin socket: falls back to the relay", err)
    proxyd.stop()
    testd.stop()

# --timeout counts relayed connections as activity.
with h.Root() as root:
    root.write_config("proxyd", "[proxy]\nhandoff = false\n[routes]\ntest = testd\n")
    testd = root.start("testd")
    proxyd = root.start("proxyd", ["--timeout", "1"])
    c = libvirt.open(root.uri("proxyd"))
    time.sleep(2.5)
    t.ok(proxyd.alive() and c.lookupByName("test").isActive() == 1,
         "--timeout: proxyd stays while it relays a connection")
    c.close()
    try:
        st = proxyd.proc.wait(10)
    except Exception:
        st = None
    t.eq(st, 0, "--timeout: proxyd exits once the relayed connection is gone")
    testd.stop()

# Target daemon not running: NO_CONNECT naming the socket and the unit.
with h.Root() as root:
    proxyd = root.start("proxyd")
    for scheme, name in (("qemu", "qemud"), ("network", "networkd"), ("lxc", "lxcd")):
        try:
            libvirt.open("%s+unix:///system?socket=%s" % (scheme, root.sock("proxyd")))
            err = None
        except libvirt.libvirtError as e:
            err = (e.get_error_code(), e.get_error_message())
        path = os.path.join(root.run_dir(), name + "-sock")
        t.ok(err is not None and err[0] == libvirt.VIR_ERR_NO_CONNECT and path in err[1] and
             "vireo-%s" % name in err[1], "%s:///system without vireo-%s: NO_CONNECT" %
             (scheme, name), err)
    st, out, err = h.virsh("qemu+unix:///system?socket=" + root.sock("proxyd"), "list")
    t.ok(st == 1 and os.path.join(root.run_dir(), "qemud-sock") in err,
         "virsh names the missing socket", err)
    t.ok(proxyd.alive(), "proxyd still up after refused routes")
    # test:/// itself is still served in-process.
    st, out, err = h.virsh(root.uri("proxyd"), "domstate test")
    t.eq((st, out), (0, "running\n\n"), "test:/// served in-process by default")
    t.eq(proxyd.stop(), 0, "proxyd stops cleanly")

t.done()
