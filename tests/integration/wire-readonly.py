#!/usr/bin/python3
"""vireo-proxyd's read-only socket serves every query and refuses every write
procedure with VIR_ERR_OPERATION_DENIED, leaving the object unchanged (also
when the client did not ask for a read-only connection)."""
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
h.require_binaries("proxyd")
t = h.Tap()
libvirt.registerErrorHandler(lambda ctx, err: None, None)

DOM_XML = """<domain type='test'>
  <name>demo1</name>
  <memory unit='KiB'>131072</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""
NET_XML = "<network><name>net1</name><bridge name='virbr9'/></network>"
VOL_XML = "<volume><name>v1.img</name><capacity>1048576</capacity></volume>"


def snapshot(conn):
    test = conn.lookupByName("test")
    net = conn.networkLookupByName("default")
    pool = conn.storagePoolLookupByName("default-pool")
    return (sorted((d.name(), d.ID(), d.state(0)[0]) for d in conn.listAllDomains(0)),
            test.info()[:4], test.autostart(), test.XMLDesc(0),
            sorted((n.name(), n.isActive()) for n in conn.listAllNetworks(0)),
            net.autostart(),
            sorted((p.name(), p.isActive()) for p in conn.listAllStoragePools(0)),
            sorted(v.name() for v in pool.listAllVolumes(0)))


def writes(conn):
    test = conn.lookupByName("test")
    net = conn.networkLookupByName("default")
    pool = conn.storagePoolLookupByName("default-pool")
    vols = pool.listAllVolumes(0)
    ops = [
        ("destroy", test.destroy),
        ("suspend", test.suspend),
        ("shutdown", test.shutdown),
        ("reboot", lambda: test.reboot(0)),
        ("undefine", test.undefine),
        ("setAutostart", lambda: test.setAutostart(1)),
        ("setMemoryFlags", lambda: test.setMemoryFlags(65536, 0)),
        ("setVcpusFlags", lambda: test.setVcpusFlags(1, 0)),
        ("defineXML", lambda: conn.defineXML(DOM_XML)),
        ("createXML", lambda: conn.createXML(DOM_XML, 0)),
        ("network destroy", net.destroy),
        ("network undefine", net.undefine),
        ("network setAutostart", lambda: net.setAutostart(0)),
        ("networkDefineXML", lambda: conn.networkDefineXML(NET_XML)),
        ("pool destroy", pool.destroy),
        ("pool refresh", lambda: pool.refresh(0)),
        ("pool createXML volume", lambda: pool.createXML(VOL_XML, 0)),
    ]
    if vols:
        ops.append(("vol delete", lambda: vols[0].delete(0)))
    return ops


with h.Root() as root:
    d = root.start("proxyd")
    # Keeps the test driver's state alive between the connections below.
    rw = libvirt.open(root.uri())
    before = snapshot(rw)
    for opener, tag in ((libvirt.openReadOnly, "read-only open"), (libvirt.open, "plain open")):
        ro = opener(root.uri("proxyd", "ro"))
        t.eq(snapshot(ro), before, "%s on -sock-ro: queries answer" % tag)
        for name, op in writes(ro):
            try:
                op()
                err = None
            except libvirt.libvirtError as e:
                err = e.get_error_code()
            t.eq(err, libvirt.VIR_ERR_OPERATION_DENIED, "%s: %s denied" % (tag, name))
        ro.close()
        t.eq(snapshot(rw), before, "%s: nothing changed" % tag)
    rw.close()

    uri = root.uri("proxyd", "ro")
    for cmd in ("destroy test", "suspend test", "net-destroy default",
                "pool-destroy default-pool", "autostart test"):
        st, out, err = h.virsh(uri, cmd)
        t.ok(st == 1 and "forbidden" in err, "virsh '%s' on -sock-ro refused" % cmd, err)
    st, out, err = h.virsh(uri, "domstate test; net-list --all")
    want = h.virsh("test:///default", "domstate test; net-list --all")
    t.eq((st, out, err), want, "virsh queries on -sock-ro answer")
    t.eq(d.stop(), 0, "proxyd stops cleanly")

t.done()
