#!/usr/bin/python3
"""Domain title, description and <metadata> (virDomainSetMetadata,
virDomainGetMetadata, METADATA_CHANGE events): python3-libvirt runs the
same calls on libvirt's in-process test driver and on Vireo's through
vireo-proxyd; every result, error code, origin and message, every dumpxml
and every event must be equal."""
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

L = libvirt
DESC, TITLE, ELEM = (L.VIR_DOMAIN_METADATA_DESCRIPTION, L.VIR_DOMAIN_METADATA_TITLE,
                     L.VIR_DOMAIN_METADATA_ELEMENT)
CUR, LIVE, CONFIG = (L.VIR_DOMAIN_AFFECT_CURRENT, L.VIR_DOMAIN_AFFECT_LIVE,
                     L.VIR_DOMAIN_AFFECT_CONFIG)
NOVA = "http://openstack.org/xmlns/libvirt/nova/1.1"
OSINFO = "http://libosinfo.org/xmlns/libvirt/domain/1.0"

DOM_XML = """<domain type='test'>
  <name>meta1</name>
  <uuid>5c9a7f3e-2d51-4f0a-9d1e-0a4b3c2d1e0f</uuid>
  <title>first title</title>
  <metadata>
    <nova:instance xmlns:nova="%s">
      <nova:name>web-1</nova:name>
      <nova:flavor name="m1.small"><nova:memory>2048</nova:memory></nova:flavor>
    </nova:instance>
    <plain>dropped</plain>
  </metadata>
  <memory unit='KiB'>131072</memory>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
""" % NOVA

libvirt.registerErrorHandler(lambda ctx, err: None, None)


def scenario(conn):
    """[(label, result)]; a result is a value or an error triple."""
    out = []
    rec = h.recorder(libvirt, out)

    test = conn.lookupByName("test")
    # the running default domain: live and persistent definitions differ
    rec("get title (none)", lambda: test.metadata(TITLE, None, CUR))
    rec("get description (none)", lambda: test.metadata(DESC, None, CUR))
    rec("get element (none)", lambda: test.metadata(ELEM, NOVA, CUR))
    rec("set title", lambda: test.setMetadata(TITLE, "My title", None, None, CUR))
    rec("set description", lambda: test.setMetadata(DESC, "Some <desc> & \"x\"\nline2",
                                                     None, None, CUR))
    rec("get title", lambda: test.metadata(TITLE, None, CUR))
    rec("get title live", lambda: test.metadata(TITLE, None, LIVE))
    rec("get title config", lambda: test.metadata(TITLE, None, CONFIG))
    rec("get description", lambda: test.metadata(DESC, None, CUR))
    rec("set title config", lambda: test.setMetadata(TITLE, "cfg", None, None, CONFIG))
    rec("set description both", lambda: test.setMetadata(DESC, "both", None, None,
                                                          LIVE | CONFIG))
    rec("get title config after", lambda: test.metadata(TITLE, None, CONFIG))
    rec("get description config", lambda: test.metadata(DESC, None, CONFIG))
    rec("set element", lambda: test.setMetadata(
        ELEM, '<instance><name>web-1</name><flavor name="m1.small"/></instance>', "nova", NOVA,
        CUR))
    rec("set element 2", lambda: test.setMetadata(
        ELEM, '<libosinfo xmlns:o="http://other/"><os id="http://debian.org/debian/12"/>'
        '<o:x/></libosinfo>', "libosinfo", OSINFO, CUR))
    rec("get element", lambda: test.metadata(ELEM, NOVA, CUR))
    rec("get element 2", lambda: test.metadata(ELEM, OSINFO, CUR))
    rec("get element config", lambda: test.metadata(ELEM, NOVA, CONFIG))
    rec("dumpxml", lambda: test.XMLDesc(0))
    rec("dumpxml inactive", lambda: test.XMLDesc(L.VIR_DOMAIN_XML_INACTIVE))
    rec("replace element", lambda: test.setMetadata(ELEM, "<other>  <x/> </other>", "n",
                                                    NOVA, CUR))
    rec("get replaced", lambda: test.metadata(ELEM, NOVA, CUR))
    rec("dumpxml after replace", lambda: test.XMLDesc(0))
    rec("remove element", lambda: test.setMetadata(ELEM, None, None, NOVA, CUR))
    rec("remove element again", lambda: test.setMetadata(ELEM, None, None, NOVA, CUR))
    rec("get removed", lambda: test.metadata(ELEM, NOVA, CUR))
    rec("remove title", lambda: test.setMetadata(TITLE, None, None, None, CUR))
    rec("empty description", lambda: test.setMetadata(DESC, "", None, None, CUR))
    rec("get removed title", lambda: test.metadata(TITLE, None, CUR))
    rec("dumpxml after removals", lambda: test.XMLDesc(0))
    # mistakes the driver sees (the client library checks the others)
    rec("bad xml", lambda: test.setMetadata(ELEM, "<a>", "k", "http://u/", CUR))
    rec("empty xml", lambda: test.setMetadata(ELEM, "", "k", "http://u/", CUR))
    rec("bad key", lambda: test.setMetadata(ELEM, "<a/>", "1k", "http://u/", CUR))
    rec("prefix taken", lambda: test.setMetadata(
        ELEM, '<foo xmlns:k="http://zz/"><k:bar/></foo>', "k", "http://u/", CUR))
    rec("comment first", lambda: test.setMetadata(ELEM, "<!-- c --><a/>", "k", "http://u/",
                                                  CUR))
    rec("unknown type", lambda: test.setMetadata(9, "x", None, None, CUR))
    rec("get unknown type", lambda: test.metadata(9, None, CUR))
    rec("set bad flags", lambda: test.setMetadata(DESC, "x", None, None, 8))
    rec("get bad flags", lambda: test.metadata(DESC, None, 4))
    rec("get live and config", lambda: test.metadata(DESC, None, LIVE | CONFIG))
    rec("title with newline", lambda: test.setMetadata(TITLE, "a\nb", None, None, CUR))
    rec("element without uri", lambda: test.setMetadata(ELEM, "<a/>", "k", None, CUR))
    # a defined domain: inactive, then started (the live copy is parsed
    # again), then stopped
    dom = conn.defineXML(DOM_XML)
    rec("defined dumpxml", lambda: dom.XMLDesc(0))
    rec("defined get nova", lambda: dom.metadata(ELEM, NOVA, CUR))
    rec("defined get title", lambda: dom.metadata(TITLE, None, CUR))
    rec("inactive set live", lambda: dom.setMetadata(DESC, "x", None, None, LIVE))
    rec("inactive get live", lambda: dom.metadata(DESC, None, LIVE))
    rec("inactive set element", lambda: dom.setMetadata(ELEM, "<foo>\n  <x/>\n</foo>", "k",
                                                        "http://u/", CUR))
    rec("inactive dumpxml", lambda: dom.XMLDesc(0))
    rec("start", dom.create)
    rec("running dumpxml", lambda: dom.XMLDesc(0))
    rec("running set live", lambda: dom.setMetadata(ELEM, "<live/>", "l", "http://live/", LIVE))
    rec("running get live", lambda: dom.metadata(ELEM, "http://live/", LIVE))
    rec("running get config", lambda: dom.metadata(ELEM, "http://live/", CONFIG))
    rec("destroy", dom.destroy)
    rec("stopped dumpxml", lambda: dom.XMLDesc(0))
    rec("undefine", dom.undefine)
    rec("gone", lambda: dom.metadata(TITLE, None, CUR))
    # a transient domain has no config
    tr = conn.createXML(DOM_XML.replace("meta1", "meta2").replace("5c9a", "6c9a"), 0)
    rec("transient set config", lambda: tr.setMetadata(DESC, "x", None, None, CONFIG))
    rec("transient get config", lambda: tr.metadata(DESC, None, CONFIG))
    rec("transient set", lambda: tr.setMetadata(DESC, "x", None, None, CUR))
    rec("transient get", lambda: tr.metadata(DESC, None, CUR))
    rec("transient destroy", tr.destroy)
    return out


def run_events(uri):
    """METADATA_CHANGE callbacks on one connection for calls on another."""
    got = []
    a = libvirt.open(uri)
    b = libvirt.open(uri)
    cb = a.domainEventRegisterAny(
        None, L.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
        lambda c, d, mtype, nsuri, o: got.append((d.name(), mtype, nsuri)), None)
    test = b.lookupByName("test")
    test.setMetadata(TITLE, "t", None, None, CUR)
    test.setMetadata(DESC, None, None, None, CUR)
    test.setMetadata(ELEM, "<a/>", "k", "http://e/", CONFIG)
    test.setMetadata(ELEM, None, None, "http://e/", CUR)
    try:
        test.setMetadata(ELEM, "<a", "k", "http://e/", CUR)
    except libvirt.libvirtError:
        pass
    end = time.time() + 20
    while len(got) < 4 and time.time() < end:
        time.sleep(0.05)
    time.sleep(0.2)
    a.domainEventDeregisterAny(cb)
    b.close()
    a.close()
    return got


def readonly_set(uri):
    c = libvirt.openReadOnly(uri)
    try:
        c.lookupByName("test").setMetadata(DESC, "x", None, None, CUR)
        return "set"
    except libvirt.libvirtError as e:
        return (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    finally:
        c.close()


h.start_libvirt_event_loop(libvirt)

oracle = libvirt.open("test:///default")
want = scenario(oracle)
oracle.close()
want_events = run_events("test:///default")
want_ro = readonly_set("test:///default")

with h.Root() as root:
    d = root.start("proxyd")
    conn = libvirt.open(root.uri())
    got = scenario(conn)
    conn.close()
    h.compare_results(t, got, want)
    events = run_events(root.uri())
    t.eq(events, want_events, "METADATA_CHANGE events as libvirt's")
    t.eq(events, [("test", TITLE, None), ("test", DESC, None), ("test", ELEM, "http://e/"),
                  ("test", ELEM, "http://e/")], "events carry type and namespace")
    t.eq(readonly_set(root.uri("proxyd", "ro")),
         want_ro, "read-only connections cannot set metadata")
    t.eq(d.stop(), 0, "proxyd stops cleanly")

t.done()
