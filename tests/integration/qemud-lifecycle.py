#!/usr/bin/python3
"""vireo-qemud with real QEMU (TCG) and the tiny guest, driven by stock virsh
and python3-libvirt through vireo-proxyd: define, start, the guest's
console output, suspend/resume, dominfo, dumpxml, shutdown (the guest
powers off), destroy, undefine, lifecycle events seen by a second client,
and libvirt's error codes for the usual mistakes."""
import importlib.util
import os
import pty as ptymod
import select
import subprocess
import threading
import time

_spec = importlib.util.spec_from_file_location(
    "qcommon", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemud-common.py"))
q = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(q)
h = q.h

libvirt, kernel, initrd, t = q.start_test()

UUID1 = "6a1f0d8e-3c1b-4f0e-9d7a-2b5c8e9f0a11"
XML1 = q.domain_xml("g1", kernel, initrd, uuid=UUID1)

events = []
ev_lock = threading.Lock()


def on_lifecycle(conn, dom, event, detail, opaque):
    with ev_lock:
        events.append((dom.name(), event, detail))


def wait_event(want, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        with ev_lock:
            if want in events:
                return True
        time.sleep(0.02)
    return False


def virsh_console(uri, name, send, want, timeout=20):
    """Runs `virsh console` on a pty, types @send, reads until @want, leaves
    with ^]. Returns what virsh printed."""
    pid, fd = ptymod.fork()
    if pid == 0:
        os.execv(h.VIRSH, [h.VIRSH, "-c", uri, "console", name, "--force"])
    out = b""
    sent = False
    end = time.time() + timeout
    try:
        while want not in out and time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.5)
            if r:
                try:
                    out += os.read(fd, 4096)
                except OSError:
                    break
            if not sent and b"Escape character" in out:
                time.sleep(0.2)
                os.write(fd, send)
                sent = True
        os.write(fd, b"\x1d")
        end = time.time() + 5
        while time.time() < end and os.waitpid(pid, os.WNOHANG)[0] == 0:
            time.sleep(0.05)
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except OSError:
            pass
        os.close(fd)
    return out


def vsh_console(uri, name, send, want, timeout=20):
    """Runs `vsh console` with pipes (no terminal), writes @send, reads until
    @want, leaves with ^]. Returns (exit status or None, output)."""
    p = subprocess.Popen([VSH, "-c", uri, "console", name, "--force"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = b""
    sent = False
    end = time.time() + timeout
    try:
        while want not in out and time.time() < end:
            r, _, _ = select.select([p.stdout], [], [], 0.5)
            if r:
                chunk = os.read(p.stdout.fileno(), 4096)
                if not chunk:
                    break
                out += chunk
            if not sent and b"Escape character" in out:
                time.sleep(0.2)
                p.stdin.write(send)
                p.stdin.flush()
                sent = True
        p.stdin.write(b"\x1d")
        p.stdin.flush()
        status = p.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        status = None
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return status, out


VSH = os.path.join(h.BUILD, "tools", "vsh", "vsh")


def err_code(fn, *args):
    try:
        fn(*args)
    except libvirt.libvirtError as e:
        return e.get_error_code(), e.get_error_message()
    return None, None


with q.QemuRoot() as root:
    root.start("qemud")
    root.start("proxyd")
    uri = root.qemu_uri("proxyd")

    h.start_libvirt_event_loop(libvirt)
    watcher = libvirt.open(uri)
    watcher.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
    conn = libvirt.open(uri)
    t.eq(conn.getType(), "QEMU", "connection type through the proxy")
    for i in range(2):
        st, out, err = h.virsh(uri, "capabilities")
        t.ok(st == 0 and "<domain type='qemu'" in out and
             "canonical='pc-i440fx-" in out, "virsh capabilities (%d)" % i, out + err)

    xmlpath = os.path.join(root.dir, "g1.xml")
    with open(xmlpath, "w") as f:
        f.write(XML1)
    st, out, err = h.virsh(uri, " ".join(["define", xmlpath]))
    t.eq(st, 0, "virsh define", err)
    t.ok(wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_DEFINED, 0)), "DEFINED event seen")

    t0 = time.time()
    st, out, err = h.virsh(uri, " ".join(["start", "g1"]))
    t.eq(st, 0, "virsh start", err)
    dom = conn.lookupByName("g1")
    xml = dom.XMLDesc()
    pty = q.pty_of(xml)
    t.ok(pty and pty.startswith("/dev/pts/"), "live XML names the serial pty", xml)
    t.ok("id='%d'" % dom.ID() in xml, "live XML carries the id")
    t.ok("<alias name='serial0'/>" in xml, "live XML carries the device aliases", xml)
    st, out, err = h.virsh(uri, "dumpxml g1")
    t.ok(st == 0 and "<alias name='serial0'/>" in out, "virsh dumpxml shows the aliases",
         out + err)
    st, out, err = h.virsh(uri, "dumpxml g1 --inactive")
    t.ok(st == 0 and "<alias" not in out, "virsh dumpxml --inactive has no aliases", out + err)
    serial = q.Serial(pty)
    t.ok(serial.wait_for("TINYGUEST: BOOTED"), "console output seen on the serial pty",
         serial.buf[-500:])
    print("# boot took %.2fs" % (time.time() - t0))
    t.ok(wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_STARTED, 0)), "STARTED event seen")
    t.eq(dom.state(), [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED],
         "state running (booted)")

    # stock virsh console (on a terminal of its own) and a libvirt stream
    serial.close()
    out = virsh_console(uri, "g1", b"echo VIRSH-$((20+3))\r", b"VIRSH-23")
    t.ok(b"VIRSH-23" in out, "virsh console: a command and its output", out[-300:])
    stream = conn.newStream(0)
    dom.openConsole(None, stream, 0)
    stream.send(b"echo STREAM-$((30+4))\n")
    got = b""
    end = time.time() + 20
    while b"STREAM-34" not in got and time.time() < end:
        got += stream.recv(4096)
    t.ok(b"STREAM-34" in got, "python3-libvirt console stream", got[-300:])
    stream.finish()
    if os.access(VSH, os.X_OK):
        st, out = vsh_console(uri, "g1", b"echo VSHCONSOLE-$((40+5))\n", b"VSHCONSOLE-45")
        t.ok(out.startswith(b"Connected to domain 'g1'\nEscape character is ^] (Ctrl + ])\n")
             and b"VSHCONSOLE-45" in out, "vsh console: greeting, a command and its output",
             out[-300:])
        t.eq(st, 0, "vsh console leaves with ^] and exit status 0")
    else:
        print("# vsh is not built: its console is not checked")
    serial = q.Serial(pty)

    st, out, err = h.virsh(uri, " ".join(["dominfo", "g1"]))
    t.ok(st == 0 and "running" in out and "131072 KiB" in out, "virsh dominfo", out + err)
    st, out, err = h.virsh(uri, "domcapabilities")
    t.ok(st == 0 and "<domain>qemu</domain>" in out and "<mode name='custom' supported='yes'>"
         in out, "virsh domcapabilities", out[:300] + err)
    st, out, err = h.virsh(uri, "domcontrol g1")
    t.ok(st == 0 and out.strip() == "ok", "virsh domcontrol", out + err)
    st, out, err = h.virsh(uri, " ".join(["list"]))
    t.ok(st == 0 and "g1" in out and "running" in out, "virsh list", out + err)

    st, out, err = h.virsh(uri, " ".join(["suspend", "g1"]))
    t.eq(st, 0, "virsh suspend", err)
    t.eq(dom.state(), [libvirt.VIR_DOMAIN_PAUSED, libvirt.VIR_DOMAIN_PAUSED_USER], "paused (user)")
    st, out, err = h.virsh(uri, " ".join(["resume", "g1"]))
    t.eq(st, 0, "virsh resume", err)
    t.eq(dom.state(), [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_UNPAUSED],
         "running (unpaused)")
    t.ok(wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_SUSPENDED, 0)) and
         wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_RESUMED, 0)), "SUSPENDED and RESUMED events")

    # mistakes: libvirt's codes, the daemon unharmed
    t.eq(err_code(dom.create)[0], libvirt.VIR_ERR_OPERATION_INVALID, "starting a running guest")
    t.eq(err_code(conn.defineXML, "<domain type='qemu'><name>x</name>")[0],
         libvirt.VIR_ERR_XML_DETAIL, "malformed XML")
    code, msg = err_code(conn.defineXML, q.domain_xml("noemu", kernel, initrd,
                                                      extra="<emulator>/nonexistent/qemu</emulator>"))
    t.ok(code == libvirt.VIR_ERR_SYSTEM_ERROR and "/nonexistent/qemu" in msg,
         "a missing QEMU binary", "%s %s" % (code, msg))
    t.eq(err_code(conn.defineXML, XML1.replace("<name>g1", "<name>other"))[0],
         libvirt.VIR_ERR_OPERATION_FAILED, "same UUID, other name")
    t.eq(err_code(conn.defineXML, q.domain_xml("g1", kernel, initrd))[0],
         libvirt.VIR_ERR_OPERATION_FAILED, "same name, other UUID")

    t0 = time.time()
    st, out, err = h.virsh(uri, " ".join(["shutdown", "g1"]))
    t.eq(st, 0, "virsh shutdown", err)
    t.ok(serial.wait_for("POWERBUTTON"), "the guest saw the power button")
    got = q.wait_state(dom.state, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN])
    t.eq(got, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN],
         "the guest powered off: shut off (shutdown)")
    print("# shutdown took %.2fs" % (time.time() - t0))
    serial.close()
    t.ok(wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_SHUTDOWN, 1)), "SHUTDOWN (guest) event")
    t.ok(wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_STOPPED, 0)), "STOPPED (shutdown) event")
    t.eq(q.qemu_pids(root), [], "no status file left")

    t.eq(err_code(dom.destroy)[0], libvirt.VIR_ERR_OPERATION_INVALID, "destroying a stopped guest")
    st, out, err = h.virsh(uri, " ".join(["start", "g1"]))
    t.eq(st, 0, "second start", err)
    # the guest powers itself off: events and reason as for a shutdown
    serial = q.Serial(q.pty_of(dom.XMLDesc()))
    t.ok(serial.wait_for("TINYGUEST: BOOTED"), "booted again")
    with ev_lock:
        events.clear()
    os.write(serial.fd, b"poweroff -f\n")
    got = q.wait_state(dom.state, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN])
    t.eq(got, [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN],
         "guest-initiated power-off: shut off (shutdown)")
    t.ok(wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_SHUTDOWN, 1)) and
         wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_STOPPED, 0)),
         "guest-initiated power-off: SHUTDOWN and STOPPED events")
    serial.close()
    with open(os.path.join(root.dir, "var", "log", "vireo", "qemu", "g1.log")) as f:
        log = f.read()
    t.ok("-name guest=g1" in log and "starting up" in log and "char device redirected" in log,
         "the domain log has the command line and QEMU's messages", log[-500:])
    st, out, err = h.virsh(uri, "start g1")
    t.eq(st, 0, "third start", err)

    st, out, err = h.virsh(uri, " ".join(["destroy", "g1"]))
    t.eq(st, 0, "virsh destroy", err)
    t.eq(dom.state(), [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED],
         "shut off (destroyed)")
    t.ok(wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_STOPPED, 1)), "STOPPED (destroyed) event")

    # QEMU's own failure, quoted
    bad = conn.defineXML(q.domain_xml("nokernel", "/nonexistent/vmlinuz", initrd))
    code, msg = err_code(bad.create)
    t.ok(code == libvirt.VIR_ERR_INTERNAL_ERROR and msg and "/nonexistent/vmlinuz" in msg,
         "a missing kernel: QEMU's message", "%s %s" % (code, msg))
    t.eq(bad.isActive(), 0, "the failed guest is not active")
    bad.undefine()
    kvm = conn.defineXML(q.domain_xml("kvmguest", kernel, initrd, virt="kvm"))
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        code, msg = err_code(kvm.create)
        t.eq(code, libvirt.VIR_ERR_CONFIG_UNSUPPORTED, "type='kvm' refused without KVM", msg)
    kvm.undefine()

    # a transient guest goes away when it stops; its serial port writes a file
    sfile = os.path.join(root.dir, "trans-serial.log")
    tdom = conn.createXML(q.domain_xml("trans", kernel, initrd, serial=
                                       "<serial type='file'><source path='%s'/></serial>" % sfile),
                          0)
    t.eq(tdom.isPersistent(), 0, "create: transient")
    end = time.time() + 30
    while time.time() < end:
        if os.path.exists(sfile) and b"TINYGUEST: BOOTED" in open(sfile, "rb").read():
            break
        time.sleep(0.1)
    t.ok(os.path.exists(sfile) and b"TINYGUEST: BOOTED" in open(sfile, "rb").read(),
         "serial file output")
    tdom.destroy()
    t.eq(err_code(conn.lookupByName, "trans")[0], libvirt.VIR_ERR_NO_DOMAIN,
         "the transient guest is gone after destroy")

    st, out, err = h.virsh(uri, " ".join(["undefine", "g1"]))
    t.eq(st, 0, "virsh undefine", err)
    t.ok(wait_event(("g1", libvirt.VIR_DOMAIN_EVENT_UNDEFINED, 0)), "UNDEFINED event seen")
    t.eq(err_code(conn.lookupByName, "g1")[0], libvirt.VIR_ERR_NO_DOMAIN, "g1 is gone")
    t.eq(conn.getType(), "QEMU", "the daemon is unharmed")
    conn.close()
    watcher.close()

t.done()
