#!/usr/bin/python3
"""`virsh event --all --loop` through vireo-proxyd receives the lifecycle
events that a second client causes (network events likewise with
`virsh net-event`)."""
import importlib.util
import os
import subprocess
import threading
import time

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

h.require_virsh()
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


class Watcher:
    """A background `virsh <args> --loop` collecting its output lines."""

    def __init__(self, uri, args):
        self.lines = []
        self.proc = h.spawn([h.VIRSH, "-c", uri] + args + ["--loop", "--timeout", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, count, timeout=20):
        end = time.time() + timeout
        while time.time() < end and len(self.events()) < count:
            time.sleep(0.05)
        return self.events()

    def events(self):
        return [line for line in self.lines if line.startswith("event ")]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def registered(watcher, uri, probe_cmds, first_line, timeout=20):
    """Repeats a harmless action until the watcher saw its event: only then
    do we know its registration is in place."""
    end = time.time() + timeout
    while time.time() < end:
        for cmd in probe_cmds:
            h.virsh(uri, cmd)
        if any(first_line in line for line in watcher.events()):
            return True
        time.sleep(0.1)
    return False


with h.Root() as root:
    path = os.path.join(root.dir, "dom.xml")
    with open(path, "w") as f:
        f.write(DOM_XML)
    d = root.start("proxyd")
    uri = root.uri()

    w = Watcher(uri, ["event", "--all"])
    t.ok(registered(w, uri, ["suspend test", "resume test"], "Suspended"),
         "event watcher registered", w.lines)
    base = len(w.events())
    st, out, err = h.virsh(uri, "define %s; start demo1; suspend demo1; resume demo1; "
                                "destroy demo1; undefine demo1" % path)
    t.eq(st, 0, "second client ran its commands")
    got = w.wait_for(base + 6)[base:]
    t.eq(got, [
        "event 'lifecycle' for domain 'demo1': Defined Added",
        "event 'lifecycle' for domain 'demo1': Started Booted",
        "event 'lifecycle' for domain 'demo1': Suspended Paused",
        "event 'lifecycle' for domain 'demo1': Resumed Unpaused",
        "event 'lifecycle' for domain 'demo1': Stopped Destroyed",
        "event 'lifecycle' for domain 'demo1': Undefined Removed",
    ], "lifecycle events of another client's actions")
    w.stop()

    nw = Watcher(uri, ["net-event", "--event", "lifecycle"])
    t.ok(registered(nw, uri, ["net-destroy default", "net-start default"], "Stopped"),
         "network event watcher registered", nw.lines)
    base = len(nw.events())
    h.virsh(uri, "net-destroy default; net-start default")
    got = nw.wait_for(base + 2)[base:]
    t.eq(got, ["event 'lifecycle' for network default: Stopped",
               "event 'lifecycle' for network default: Started"],
         "network lifecycle events of another client's actions")
    nw.stop()
    t.eq(d.stop(), 0, "proxyd stops cleanly")

t.done()
