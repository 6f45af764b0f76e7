#!/usr/bin/python3
"""Title, description and <metadata> on vireo-qemud with a real guest (TCG):
virDomainSetMetadata / GetMetadata on the persistent definition (saved to
its file), on the live one of a running guest (saved in its status XML,
gone after the guest stops), both kept across a daemon restart; libvirt's
errors; METADATA_CHANGE events; stock virsh desc and metadata."""
import importlib.util
import os
import signal
import time

_spec = importlib.util.spec_from_file_location(
    "qcommon", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemud-common.py"))
q = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(q)
h = q.h

libvirt, kernel, initrd, t = q.start_test(proxyd=False)

L = libvirt
DESC, TITLE, ELEM = (L.VIR_DOMAIN_METADATA_DESCRIPTION, L.VIR_DOMAIN_METADATA_TITLE,
                     L.VIR_DOMAIN_METADATA_ELEMENT)
CUR, LIVE, CONFIG = L.VIR_DOMAIN_AFFECT_CURRENT, L.VIR_DOMAIN_AFFECT_LIVE, L.VIR_DOMAIN_AFFECT_CONFIG
NOVA = "http://openstack.org/xmlns/libvirt/nova/1.1"
NOVA_XML = """
  <metadata>
    <nova:instance xmlns:nova="%s">
      <nova:name>web-1</nova:name>
      <nova:flavor name="m1.small"><nova:memory>128</nova:memory></nova:flavor>
    </nova:instance>
  </metadata>""" % NOVA
NOVA_GOT = ('<instance>\n  <name>web-1</name>\n  <flavor name="m1.small">\n'
            '    <memory>128</memory>\n  </flavor>\n</instance>')
NOT_FOUND = ("error", L.VIR_ERR_NO_DOMAIN_METADATA, L.VIR_FROM_DOMAIN,
             "metadata not found: Requested metadata element is not present")
NOT_RUNNING = ("error", L.VIR_ERR_OPERATION_INVALID, L.VIR_FROM_DOMAIN,
               "Requested operation is not valid: domain is not running")

libvirt.registerErrorHandler(lambda ctx, err: None, None)
h.start_libvirt_event_loop(libvirt)


def call(fn):
    try:
        return fn()
    except libvirt.libvirtError as e:
        return ("error", e.get_error_code(), e.get_error_domain(), e.get_error_message())


def read(path):
    with open(path) as f:
        return f.read()


with q.QemuRoot() as root:
    d = root.start("qemud")
    uri = root.qemu_uri()
    conn = libvirt.open(uri)
    events = []
    conn.domainEventRegisterAny(
        None, L.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
        lambda c, dom, mtype, nsuri, o: events.append((dom.name(), mtype, nsuri)), None)
    xml = q.domain_xml("meta", kernel, initrd).replace("<vcpu>", NOVA_XML.strip() + "\n  <vcpu>")
    dom = conn.defineXML(xml)
    cfg = os.path.join(root.dir, "etc", "vireo", "qemu", "meta.xml")
    status = os.path.join(root.dir, "run", "vireo", "qemu", "meta.xml")

    # the persistent definition of a stopped guest
    t.eq(call(lambda: dom.metadata(ELEM, NOVA, CUR)), NOVA_GOT, "metadata of the defined XML")
    t.eq(call(lambda: dom.metadata(TITLE, None, CUR)), NOT_FOUND, "no title yet")
    t.eq(call(lambda: dom.setMetadata(TITLE, "Web server", None, None, CUR)), 0, "set the title")
    t.eq(call(lambda: dom.setMetadata(ELEM, "<app><tier>web</tier></app>", "app",
                                      "http://example.org/app", CONFIG)), 0,
         "set an element in the config")
    t.ok("<title>Web server</title>" in read(cfg) and
         '<app:app xmlns:app="http://example.org/app">' in read(cfg),
         "both are saved in the definition's file")
    t.eq(call(lambda: dom.setMetadata(DESC, "x", None, None, LIVE)), NOT_RUNNING,
         "the live definition of a stopped guest")
    t.eq(call(lambda: dom.metadata(DESC, None, LIVE)), NOT_RUNNING, "... also for reading")
    t.eq(call(lambda: dom.setMetadata(DESC, "x", None, None, 8)),
         ("error", L.VIR_ERR_INVALID_ARG, L.VIR_FROM_QEMU,
          "unsupported flags (0x8) in function qemuDomainSetMetadata"), "bad flags")
    t.eq(call(lambda: dom.setMetadata(ELEM, "<a>", "k", "http://u/", CUR)),
         ("error", L.VIR_ERR_XML_DETAIL, L.VIR_FROM_DOMAIN,
          "(metadata_xml):1: Premature end of data in tag a line 1\n<a>\n---^"), "bad XML")
    t.eq(call(lambda: dom.metadata(9, None, CUR)),
         ("error", L.VIR_ERR_INVALID_ARG, L.VIR_FROM_DOMAIN,
          "invalid argument: unknown metadata type '9'"), "unknown type")

    # a running guest: live and persistent definitions differ
    dom.create()
    serial = q.Serial(q.pty_of(dom.XMLDesc()))
    t.ok(serial.wait_for("TINYGUEST: BOOTED"), "the guest booted")
    t.eq(call(lambda: dom.metadata(TITLE, None, CUR)), "Web server", "the live copy has the title")
    t.eq(call(lambda: dom.setMetadata(DESC, "live only", None, None, CUR)), 0,
         "set the live description")
    t.eq(call(lambda: dom.setMetadata(ELEM, "<n>1</n>", "c", "http://example.org/cfg", CONFIG)),
         0, "set an element in the next config")
    t.eq(call(lambda: dom.metadata(DESC, None, CONFIG)), NOT_FOUND, "not in the config")
    t.eq(call(lambda: dom.metadata(ELEM, "http://example.org/cfg", LIVE)), NOT_FOUND,
         "not in the live definition")
    t.ok("<description>live only</description>" in read(status) and
         "<description>" not in read(cfg), "the status XML holds the live change, the file not")
    t.ok('<c:n xmlns:c="http://example.org/cfg">1</c:n>' in read(cfg),
         "the config change is saved")
    t.ok("<description>live only</description>" in dom.XMLDesc(0) and
         "<description>" not in dom.XMLDesc(L.VIR_DOMAIN_XML_INACTIVE), "dumpxml and --inactive")

    # virsh on the same guest
    _, out, _ = h.virsh(uri, "desc meta; desc meta --title; desc meta --config --title new; "
                  "metadata meta %s; metadata meta http://x/ --key x --set '<x/>'; "
                  "metadata meta http://x/" % NOVA)
    t.eq(out, "live only\nWeb server\nDomain title updated successfully\n" + NOVA_GOT +
         "\n\nMetadata modified\n\n<x/>\n\n", "virsh desc and metadata")

    # a daemon restart keeps both (the guest outlives the daemon)
    d.stop(signal.SIGTERM)
    d = root.start("qemud")
    conn2 = libvirt.open(uri)
    dom2 = conn2.lookupByName("meta")
    t.eq([call(lambda: dom2.metadata(DESC, None, CUR)), call(lambda: dom2.metadata(TITLE, None,
                                                                                   CONFIG))],
         ["live only", "new"], "live and config metadata after a daemon restart")
    t.eq(call(lambda: dom2.metadata(ELEM, "http://x/", LIVE)), "<x/>",
         "the live element after the restart")
    dom2.destroy()
    t.eq([call(lambda: dom2.metadata(DESC, None, CUR)), call(lambda: dom2.metadata(TITLE, None,
                                                                                   CUR)),
          call(lambda: dom2.metadata(ELEM, "http://example.org/cfg", CUR))],
         [NOT_FOUND, "new", "<n>1</n>"], "after the guest stopped, the config is the definition")
    serial.close()

    # a transient guest has no config
    tr = conn2.createXML(q.domain_xml("tr", kernel, initrd), 0)
    t.eq(call(lambda: tr.setMetadata(DESC, "x", None, None, CONFIG)),
         ("error", L.VIR_ERR_OPERATION_INVALID, L.VIR_FROM_DOMAIN,
          "Requested operation is not valid: transient domains do not have any persistent "
          "config"), "transient: no config to change")
    t.eq(call(lambda: tr.setMetadata(TITLE, "t", None, None, CUR)), 0, "transient: live change")
    tr.destroy()
    conn2.close()

    end = time.time() + 10
    while len(events) < 6 and time.time() < end:
        time.sleep(0.05)
    t.eq(events, [("meta", TITLE, None), ("meta", ELEM, "http://example.org/app"),
                  ("meta", DESC, None), ("meta", ELEM, "http://example.org/cfg"),
                  ("meta", TITLE, None), ("meta", ELEM, "http://x/")],
         "METADATA_CHANGE events of the first daemon, with type and namespace")
    conn.close()
    t.eq(d.stop(), 0, "qemud stops cleanly")

t.done()
