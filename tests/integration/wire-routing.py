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

DOM_XML = """<domain type='test'>
  <name>routed1</name>
  <uuid>0c4a2b1e-5d1f-4c8e-9a8b-3f2e1d0c9b8a</uuid>
  <memory unit='KiB'>131072</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""


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
