#!/usr/bin/python3
"""python3-libvirt through vireo-proxyd behaves as with libvirt's in-process
test driver: the same scenario runs on both connections and every result,
error code, error origin and error message must be equal. Then domain event
callbacks through the proxy (virEventRegisterDefaultImpl + a thread running
virEventRunDefaultImpl)."""
import importlib.util
import os
import sys
import time

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

try:
    import libvirt
except ImportError:
    h.skip("python3-libvirt is not installed for %s" % sys.executable)
h.require_binaries("proxyd")
t = h.Tap()

DOM_XML = """<domain type='test'>
  <name>demo1</name>
  <uuid>4dea22b3-1d52-d8f3-2516-782e98a23fa0</uuid>
  <memory unit='KiB'>131072</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""
NET_XML = """<network>
  <name>net1</name>
  <uuid>8f6a8c35-7f4b-4f43-9a36-4b8e8a5e0c11</uuid>
  <bridge name='virbr9'/>
  <ip address='192.168.150.1' netmask='255.255.255.0'/>
</network>
"""
VOL_XML = """<volume>
  <name>v1.img</name>
  <capacity unit='M'>1</capacity>
</volume>
"""

# Silence libvirt's default error printing: errors are part of the results.
libvirt.registerErrorHandler(lambda ctx, err: None, None)


def scenario(conn):
    """Returns [(label, result)] where result is a value or an error triple."""
    out = []
    rec = h.recorder(libvirt, out)

    rec("getType", conn.getType)
    rec("getVersion", conn.getVersion)
    rec("getHostname", conn.getHostname)
    rec("getInfo", conn.getInfo)
    rec("getCapabilities", conn.getCapabilities)
    rec("getMaxVcpus", lambda: conn.getMaxVcpus(None))
    rec("listAllDomains", lambda: sorted((d.name(), d.ID()) for d in conn.listAllDomains(0)))
    rec("listDomainsID", conn.listDomainsID)
    rec("numOfDomains", conn.numOfDomains)
    rec("listDefinedDomains", conn.listDefinedDomains)
    test = conn.lookupByName("test")
    uuid = rec("UUIDString", test.UUIDString)
    rec("lookupByUUIDString", lambda: conn.lookupByUUIDString(uuid).name())
    rec("lookupByID", lambda: conn.lookupByID(1).name())
    rec("info (without CPU time)", lambda: test.info()[:4])
    rec("state", lambda: test.state(0))
    rec("XMLDesc", lambda: test.XMLDesc(0))
    rec("isActive", test.isActive)
    rec("isPersistent", test.isPersistent)
    rec("autostart", test.autostart)
    rec("maxMemory", test.maxMemory)
    rec("OSType", test.OSType)
    rec("hasManagedSaveImage", lambda: test.hasManagedSaveImage(0))
    # statistics and tunables (vcpu CPU times follow the clock: left out)
    rec("vcpus", lambda: ([v[:2] + v[3:] for v in test.vcpus()[0]], test.vcpus()[1]))
    rec("schedulerType", test.schedulerType)
    rec("schedulerParameters", test.schedulerParameters)
    rec("schedulerParametersFlags", lambda: test.schedulerParametersFlags(0))
    rec("memoryParameters", lambda: test.memoryParameters(0))
    rec("blkioParameters", lambda: test.blkioParameters(0))
    rec("memoryStats", test.memoryStats)
    rec("hostname", lambda: test.hostname(0))
    rec("hostname bad flags", lambda: test.hostname(4))
    rec("getTime", lambda: test.getTime(0))
    rec("getCellsFreeMemory", lambda: conn.getCellsFreeMemory(0, 8))
    rec("getCellsFreeMemory out of range", lambda: conn.getCellsFreeMemory(2, 8))
    rec("getCPUStats", lambda: conn.getCPUStats(-1, 0))
    rec("getCPUMap", lambda: conn.getCPUMap(0))
    # lifecycle
    dom = conn.defineXML(DOM_XML)
    rec("defineXML", lambda: (dom.name(), dom.ID(), dom.UUIDString()))
    rec("listDefinedDomains after define", conn.listDefinedDomains)
    rec("create", dom.create)
    rec("state after create", lambda: dom.state(0))
    rec("suspend", dom.suspend)
    rec("state after suspend", lambda: dom.state(0))
    rec("resume", dom.resume)
    rec("resume again", dom.resume)
    rec("destroy", dom.destroy)
    rec("state after destroy", lambda: dom.state(0))
    rec("vcpus inactive", dom.vcpus)
    rec("memoryStats inactive", dom.memoryStats)
    rec("getTime inactive", lambda: dom.getTime(0))
    rec("hostname inactive", lambda: dom.hostname(0))
    rec("destroy again", dom.destroy)
    rec("undefine", dom.undefine)
    rec("lookup undefined", lambda: conn.lookupByName("demo1").name())
    # mistakes
    rec("lookupByName nosuch", lambda: conn.lookupByName("nosuch").name())
    rec("lookupByID 99", lambda: conn.lookupByID(99).name())
    rec("lookupByUUIDString unknown",
        lambda: conn.lookupByUUIDString("11111111-2222-3333-4444-555555555555").name())
    rec("create running", test.create)
    rec("defineXML bad", lambda: conn.defineXML("<domain type='test'><name>x</name>").name())
    rec("defineXML duplicate uuid",
        lambda: conn.defineXML(DOM_XML.replace("demo1", "test")).name())
    # networks
    rec("listAllNetworks", lambda: sorted(n.name() for n in conn.listAllNetworks(0)))
    net = conn.networkLookupByName("default")
    rec("network XMLDesc", lambda: net.XMLDesc(0))
    rec("network bridgeName", net.bridgeName)
    rec("network isActive", net.isActive)
    rec("network autostart", net.autostart)
    n1 = conn.networkDefineXML(NET_XML)
    rec("networkDefineXML", n1.name)
    rec("network create", n1.create)
    rec("network isActive after create", n1.isActive)
    rec("network destroy", n1.destroy)
    rec("network undefine", n1.undefine)
    rec("networkLookupByName nosuch", lambda: conn.networkLookupByName("nosuch").name())
    # storage
    rec("listAllStoragePools", lambda: sorted(p.name() for p in conn.listAllStoragePools(0)))
    pool = conn.storagePoolLookupByName("default-pool")
    rec("pool info", pool.info)
    rec("pool XMLDesc", lambda: pool.XMLDesc(0))
    rec("pool isActive", pool.isActive)
    rec("pool listAllVolumes", lambda: sorted(v.name() for v in pool.listAllVolumes(0)))
    vol = pool.createXML(VOL_XML, 0)
    rec("vol createXML", vol.name)
    rec("vol info", vol.info)
    rec("vol path", vol.path)
    rec("vol key", vol.key)
    rec("vol XMLDesc", lambda: vol.XMLDesc(0))
    rec("storageVolLookupByPath", lambda: conn.storageVolLookupByPath(vol.path()).name())
    rec("vol delete", lambda: vol.delete(0))
    rec("storagePoolLookupByName nosuch", lambda: conn.storagePoolLookupByName("nosuch").name())
    return out


def run_events(uri):
    """Lifecycle callbacks on one connection for actions of another."""
    got = []
    a = libvirt.open(uri)
    b = libvirt.open(uri)
    cb = a.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                  lambda c, d, e, det, o: got.append((d.name(), e, det)), None)
    dom = b.defineXML(DOM_XML)
    dom.create()
    dom.suspend()
    dom.resume()
    dom.destroy()
    dom.undefine()
    end = time.time() + 20
    while len(got) < 6 and time.time() < end:
        time.sleep(0.05)
    a.domainEventDeregisterAny(cb)
    b.close()
    a.close()
    return got


h.start_libvirt_event_loop(libvirt)

oracle_conn = libvirt.open("test:///default")
want = scenario(oracle_conn)
oracle_conn.close()

with h.Root() as root:
    d = root.start("proxyd")
    conn = libvirt.open(root.uri())
    got = scenario(conn)
    conn.close()
    h.compare_results(t, got, want)

    events = run_events(root.uri())
    E = libvirt
    t.eq(events, [
        ("demo1", E.VIR_DOMAIN_EVENT_DEFINED, E.VIR_DOMAIN_EVENT_DEFINED_ADDED),
        ("demo1", E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED),
        ("demo1", E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED),
        ("demo1", E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED),
        ("demo1", E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED),
        ("demo1", E.VIR_DOMAIN_EVENT_UNDEFINED, E.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED),
    ], "domain event callbacks through the proxy")
    t.eq(d.stop(), 0, "proxyd stops cleanly")

t.done()
