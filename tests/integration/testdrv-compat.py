#!/usr/bin/python3
"""Compares the in-memory test driver with libvirt's test:///default.

Runs one list of operations on libvirt's own test driver (through
python3-libvirt, in-process) and prints one line per operation: the value,
or the error code, origin and message. tests/unit/driver/testdrv-dump runs
the same list on core_test_driver and prints in the same format. The two
outputs must be identical.

Usage: testdrv-compat.py [--print] [DUMP_PROGRAM]
  --print   only print libvirt's output
With DUMP_PROGRAM the result is one TAP test; differences are listed as
TAP comments.
"""
import subprocess
import sys
import threading
import time

try:
    import libvirt
except ImportError:
    print("1..0 # SKIP python3-libvirt is not installed")
    sys.exit(77)

DOM_XML = ("<domain type='test'><name>demo1</name>"
           "<uuid>11111111-2222-3333-4444-555555555555</uuid>"
           "<memory>1048576</memory><vcpu>2</vcpu><os><type>hvm</type></os><devices>"
           "<interface type='network'><mac address='52:54:00:11:22:33'/>"
           "<source network='default'/></interface></devices></domain>")
DOM_XML_SAME_NAME = DOM_XML.replace("555555555555", "555555555556")
DOM_XML_SAME_UUID = DOM_XML.replace("demo1", "demo2")
TRANSIENT_XML = DOM_XML.replace("demo1", "tr1").replace("11111111", "77777777")
NET_XML = ("<network><name>net1</name><uuid>22222222-2222-3333-4444-555555555555</uuid>"
           "<bridge name='vbr1'/></network>")
NET2_XML = ("<network><name>net2</name><uuid>22222222-2222-3333-4444-666666666666</uuid>"
            "</network>")
POOL_XML = ("<pool type='dir'><name>p1</name><uuid>33333333-2222-3333-4444-555555555555</uuid>"
            "<target><path>/p1</path></target></pool>")
POOL2_XML = POOL_XML.replace("p1", "p2").replace("33333333", "44444444")
VOL_XML = ("<volume><name>v1.img</name><capacity unit='M'>10</capacity>"
           "<allocation unit='M'>5</allocation></volume>")
BIG_VOL_XML = ("<volume><name>big</name><capacity unit='T'>1</capacity>"
               "<allocation unit='G'>200</allocation></volume>")

out = []


def emit(label, value):
    out.append("%s: OK %s" % (label, value))


def run(label, func, fmt=str, message=True):
    try:
        value = func()
    except libvirt.libvirtError as e:
        msg = " %s" % e.get_error_message() if message else ""
        out.append("%s: ERR %d %d%s" % (label, e.get_error_code(), e.get_error_domain(), msg))
        return None
    emit(label, fmt(value))
    return value


def names(objs):
    return ",".join(sorted(o.name() for o in objs))


def main():
    dump = None
    only_print = False
    for arg in sys.argv[1:]:
        if arg == "--print":
            only_print = True
        else:
            dump = arg

    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    libvirt.virEventRegisterDefaultImpl()
    c = libvirt.open("test:///default")
    events = []
    lock = threading.Lock()

    def add(ev):
        with lock:
            events.append(ev)

    c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                             lambda conn, d, e, det, o: add("dom %s %d %d %d" % (d.name(), d.ID(), e, det)),
                             None)
    c.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
                              lambda conn, n, e, det, o: add("net %s %d %d" % (n.name(), e, det)),
                              None)
    c.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                                  lambda conn, p, e, det, o: add("pool %s %d %d" % (p.name(), e, det)),
                                  None)
    c.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                                  lambda conn, p, o: add("refresh %s" % p.name()), None)
    loop = threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)],
                            daemon=True)
    loop.start()

    def flush_events(label):
        time.sleep(0.3)
        with lock:
            emit(label, ";".join(events))
            events.clear()

    # host
    run("type", c.getType)
    run("version", c.getVersion)
    run("uri", c.getURI)
    run("hostname", c.getHostname)
    run("maxvcpus", lambda: c.getMaxVcpus(None))
    run("nodeinfo", lambda: c.getInfo()[0:1] + c.getInfo()[2:])
    run("nodememory", lambda: c.getInfo()[1])
    run("freemem", c.getFreeMemory)
    run("sysinfo", lambda: c.getSysinfo(0), fmt=repr)
    run("sysinfo-badflag", lambda: c.getSysinfo(1))
    run("capabilities", c.getCapabilities, fmt=repr)

    # the default domain
    d = c.lookupByName("test")
    run("dom-id", d.ID)
    run("dom-uuid", d.UUIDString)
    run("dom-xml", lambda: d.XMLDesc(0), fmt=repr)
    run("dom-state", d.state)
    run("dom-info", lambda: d.info()[:4])
    run("dom-ostype", d.OSType)
    run("dom-persistent", d.isPersistent)
    run("dom-active", d.isActive)
    run("dom-updated", d.isUpdated)
    run("dom-maxmem", d.maxMemory)
    run("dom-managedsave", lambda: d.hasManagedSaveImage(0))
    run("dom-snapshots", lambda: d.snapshotNum(0))
    run("dom-vcpus", lambda: d.vcpusFlags(0))
    run("dom-vcpus-max", lambda: d.vcpusFlags(libvirt.VIR_DOMAIN_VCPU_MAXIMUM))
    run("lookup-missing", lambda: c.lookupByName("nope"))
    run("lookup-id", lambda: c.lookupByID(1).name())
    run("lookup-id-missing", lambda: c.lookupByID(99))
    run("lookup-uuid", lambda: c.lookupByUUIDString("6695eb01-f6a4-8304-79aa-97f2502e193f").name())
    run("lookup-uuid-missing", lambda: c.lookupByUUIDString("11111111-2222-3333-4444-000000000000"))

    # lifecycle of the default domain
    run("start-running", d.create)
    run("suspend", d.suspend)
    run("suspend-again", d.suspend)
    run("state-paused", d.state)
    run("resume", d.resume)
    run("resume-again", d.resume)
    run("state-resumed", d.state)
    run("reboot", lambda: d.reboot(0))
    run("state-rebooted", d.state)
    run("shutdown", d.shutdown)
    run("state-shutdown", d.state)
    run("id-shutdown", d.ID)
    run("shutdown-again", d.shutdown)
    run("destroy-off", d.destroy)
    run("suspend-off", d.suspend)
    run("resume-off", d.resume)
    run("reboot-off", lambda: d.reboot(0))
    run("setmem-live-off", lambda: d.setMemoryFlags(1024, libvirt.VIR_DOMAIN_AFFECT_LIVE))
    run("setmem-off", lambda: d.setMemoryFlags(1048576, 0))
    run("setmem-too-big", lambda: d.setMemoryFlags(99999999, 0))
    run("info-off", lambda: d.info()[:4])
    run("start", d.create)
    run("id-started", d.ID)
    run("state-started", d.state)
    run("info-started", lambda: d.info()[:4])
    run("setmem-live", lambda: d.setMemoryFlags(524288, libvirt.VIR_DOMAIN_AFFECT_LIVE))
    run("setmem-max-live", lambda: d.setMemoryFlags(524288, libvirt.VIR_DOMAIN_MEM_MAXIMUM))
    run("setmem-both", lambda: d.setMemoryFlags(524288, 3))
    run("info-setmem", lambda: d.info()[:4])
    run("setvcpus-too-many", lambda: d.setVcpusFlags(64, 0))
    run("setvcpus-over-max", lambda: d.setVcpusFlags(3, 0))
    run("setvcpus-1", lambda: d.setVcpusFlags(1, 0))
    run("vcpus-live", lambda: d.vcpusFlags(0))
    run("vcpus-config", lambda: d.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG))
    run("vcpus-both", lambda: d.vcpusFlags(3))
    run("setvcpus-zero", lambda: d.setVcpusFlags(0, 0))
    run("setvcpus-max-live", lambda: d.setVcpusFlags(2, libvirt.VIR_DOMAIN_VCPU_MAXIMUM |
                                                    libvirt.VIR_DOMAIN_AFFECT_LIVE))
    run("destroy", d.destroy)
    run("state-destroyed", d.state)
    run("info-destroyed", lambda: d.info()[:4])
    run("autostart", d.autostart)
    run("set-autostart", lambda: d.setAutostart(1))
    run("autostart-set", d.autostart)
    run("xml-badflag", lambda: d.XMLDesc(1 << 10))
    run("state-badflag", lambda: d.state(1))
    run("destroy-badflag", lambda: d.destroyFlags(1 << 5))
    run("undefine-badflag", lambda: d.undefineFlags(1 << 10))
    run("list-badflag", lambda: c.listAllDomains(1 << 20))
    flush_events("events-default-domain")

    # define / create / undefine
    run("define", lambda: c.defineXML(DOM_XML).name())
    run("define-again", lambda: c.defineXML(DOM_XML).name())
    run("define-same-name", lambda: c.defineXML(DOM_XML_SAME_NAME))
    run("define-same-uuid", lambda: c.defineXML(DOM_XML_SAME_UUID))
    run("define-not-xml", lambda: c.defineXML("<domain"), message=False)
    run("define-wrong-root", lambda: c.defineXML("<network/>"))
    e = c.lookupByName("demo1")
    run("demo-state", e.state)
    run("demo-id", e.ID)
    run("demo-xml", lambda: e.XMLDesc(0), fmt=repr)
    run("numdomains", c.numOfDomains)
    run("numdefined", c.numOfDefinedDomains)
    run("demo-createxml-inactive", lambda: c.createXML(DOM_XML_SAME_UUID))
    run("demo-start", e.create)
    run("demo-id-started", lambda: c.lookupByName("demo1").ID())
    run("demo-createxml-active", lambda: c.createXML(DOM_XML))
    run("demo-define-running", lambda: c.defineXML(DOM_XML).ID())
    run("demo-undefine-running", e.undefine)
    run("demo-persistent", e.isPersistent)
    run("demo-vcpus-config-transient", lambda: e.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG))
    run("demo-destroy", e.destroy)
    run("demo-gone", lambda: c.lookupByName("demo1"))
    run("demo-state-gone", e.state)
    run("transient-create", lambda: c.createXML(TRANSIENT_XML).ID())
    t = c.lookupByName("tr1")
    run("transient-persistent", t.isPersistent)
    run("transient-undefine", t.undefine)
    run("transient-shutdown", t.shutdown)
    run("transient-gone", lambda: c.lookupByName("tr1"))
    flush_events("events-define")

    # domain lists
    run("define-list", lambda: c.defineXML(DOM_XML).name())
    for flags in (0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 3, 48):
        run("list-%d" % flags, lambda: names(c.listAllDomains(flags)))
    run("undefine-list", lambda: c.lookupByName("demo1").undefine())

    # networks
    n = c.networkLookupByName("default")
    run("net-xml", lambda: n.XMLDesc(0), fmt=repr)
    run("net-uuid", n.UUIDString)
    run("net-bridge", n.bridgeName)
    run("net-active", n.isActive)
    run("net-persistent", n.isPersistent)
    run("net-autostart", n.autostart)
    run("net-lookup-missing", lambda: c.networkLookupByName("nope"))
    run("net-lookup-uuid-missing",
        lambda: c.networkLookupByUUIDString("22222222-2222-3333-4444-000000000000"))
    run("net-create-running", n.create)
    run("net-undefine-running", n.undefine)
    run("net-xml-badflag", lambda: n.XMLDesc(1))
    run("net-define", lambda: c.networkDefineXML(NET_XML).name())
    run("net-define-again", lambda: c.networkDefineXML(NET_XML).name())
    run("net-define-same-name", lambda: c.networkDefineXML(
        "<network><name>default</name><uuid>22222222-2222-3333-4444-777777777777</uuid></network>"))
    run("net-define-same-uuid", lambda: c.networkDefineXML(
        NET_XML.replace("net1", "xx")))
    m = c.networkLookupByName("net1")
    run("net1-active", m.isActive)
    run("net1-destroy-inactive", m.destroy)
    run("net1-create", m.create)
    run("net1-bridge", m.bridgeName)
    run("net1-destroy", m.destroy)
    run("net1-set-autostart", lambda: m.setAutostart(1))
    run("net1-autostart", m.autostart)
    for flags in (0, 1, 2, 4, 8, 16, 32):
        run("net-list-%d" % flags, lambda: names(c.listAllNetworks(flags)))
    run("net-list-badflag", lambda: c.listAllNetworks(1 << 10))
    run("net1-undefine", m.undefine)
    run("net1-undefine-again", m.undefine)
    run("net1-active-gone", m.isActive)
    run("net2-create", lambda: c.networkCreateXML(NET2_XML).name())
    t = c.networkLookupByName("net2")
    run("net2-persistent", t.isPersistent)
    run("net2-bridge", t.bridgeName)
    run("net2-undefine", t.undefine)
    run("net2-destroy", t.destroy)
    run("net2-gone", lambda: c.networkLookupByName("net2"))
    run("net-createxml-active", lambda: c.networkCreateXML(
        "<network><name>default</name><uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid></network>"))
    run("net-stop-default", n.destroy)
    run("net-start-default", n.create)
    flush_events("events-network")

    # pools and volumes
    p = c.storagePoolLookupByName("default-pool")
    run("pool-xml", lambda: p.XMLDesc(0), fmt=repr)
    run("pool-uuid", p.UUIDString)
    run("pool-info", p.info)
    run("pool-active", p.isActive)
    run("pool-persistent", p.isPersistent)
    run("pool-autostart", p.autostart)
    run("pool-numvols", p.numOfVolumes)
    run("pool-lookup-missing", lambda: c.storagePoolLookupByName("nope"))
    run("pool-create-running", p.create)
    run("pool-build-running", p.build)
    run("pool-delete-running", p.delete)
    run("pool-undefine-running", p.undefine)
    run("pool-refresh", p.refresh)
    run("vol-create", lambda: p.createXML(VOL_XML).name())
    run("vol-create-dup", lambda: p.createXML(VOL_XML))
    run("vol-create-big", lambda: p.createXML(BIG_VOL_XML))
    v = p.storageVolLookupByName("v1.img")
    run("vol-info", v.info)
    run("vol-path", v.path)
    run("vol-key", v.key)
    run("vol-xml", lambda: v.XMLDesc(0), fmt=repr)
    run("pool-info-vol", p.info)
    run("pool-numvols-vol", p.numOfVolumes)
    run("pool-listvols", lambda: names(p.listAllVolumes(0)))
    run("vol-by-key", lambda: c.storageVolLookupByKey("/default-pool/v1.img").name())
    run("vol-by-path", lambda: c.storageVolLookupByPath("/default-pool/v1.img").name())
    run("vol-by-key-missing", lambda: c.storageVolLookupByKey("/x"))
    run("vol-by-path-missing", lambda: c.storageVolLookupByPath("/x"))
    run("vol-by-name-missing", lambda: p.storageVolLookupByName("x"))
    run("vol-pool", lambda: v.storagePoolLookupByVolume().name())
    run("pool-define", lambda: c.storagePoolDefineXML(POOL_XML, 0).name())
    run("pool-define-same-name", lambda: c.storagePoolDefineXML(
        POOL_XML.replace("33333333", "55555555").replace("/p1", "/p5"), 0))
    run("pool-define-same-uuid", lambda: c.storagePoolDefineXML(
        POOL_XML.replace("p1", "zz"), 0))
    run("pool-define-same-path", lambda: c.storagePoolDefineXML(
        POOL2_XML.replace("/p2", "/default-pool"), 0))
    q = c.storagePoolLookupByName("p1")
    run("p1-info", q.info)
    run("p1-xml", lambda: q.XMLDesc(0), fmt=repr)
    run("p1-numvols", q.numOfVolumes)
    run("p1-listvols", lambda: q.listAllVolumes(0))
    run("p1-vol-create", lambda: q.createXML(VOL_XML))
    run("p1-refresh", q.refresh)
    run("p1-destroy", q.destroy)
    run("p1-build", q.build)
    run("p1-delete", q.delete)
    run("p1-create", q.create)
    run("p1-set-autostart", lambda: q.setAutostart(1))
    run("p1-autostart", q.autostart)
    for flags in (0, 1, 2, 4, 8, 16, 32, 64, 128):
        run("pool-list-%d" % flags, lambda: names(c.listAllStoragePools(flags)))
    run("pool-list-badflag", lambda: c.listAllStoragePools(1 << 25))
    run("p1-destroy-2", q.destroy)
    run("p1-undefine", q.undefine)
    run("p1-gone", q.info)
    run("p1-gone-uuid", q.isActive)
    run("p2-create", lambda: c.storagePoolCreateXML(POOL2_XML, 0).name())
    t = c.storagePoolLookupByName("p2")
    run("p2-persistent", t.isPersistent)
    run("p2-autostart", t.autostart)
    run("p2-set-autostart", lambda: t.setAutostart(1))
    run("p2-undefine", t.undefine)
    run("p2-destroy", t.destroy)
    run("p2-gone", lambda: c.storagePoolLookupByName("p2"))
    run("vol-delete", lambda: v.delete(0))
    run("vol-delete-again", lambda: v.delete(0))
    run("vol-info-gone", v.info)
    run("pool-info-end", p.info)
    flush_events("events-storage")

    c.close()
    text = "\n".join(out) + "\n"
    if only_print or not dump:
        sys.stdout.write(text)
        return 0
    ours = subprocess.run([dump], stdout=subprocess.PIPE, check=False)
    theirs_lines = text.splitlines()
    our_lines = ours.stdout.decode().splitlines()
    print("1..1")
    diffs = 0
    for i in range(max(len(theirs_lines), len(our_lines))):
        a = theirs_lines[i] if i < len(theirs_lines) else "<missing>"
        b = our_lines[i] if i < len(our_lines) else "<missing>"
        if a != b:
            diffs += 1
            print("# libvirt: %s" % a)
            print("# vireo:   %s" % b)
    if ours.returncode != 0:
        print("# %s exited with %d" % (dump, ours.returncode))
    ok = diffs == 0 and ours.returncode == 0
    print("%s 1 - %d operations, %d differ from libvirt's test:///default"
          % ("ok" if ok else "not ok", len(theirs_lines), diffs))
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
