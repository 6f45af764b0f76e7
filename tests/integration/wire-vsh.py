#!/usr/bin/python3
"""Vireo's own vsh through vireo-proxyd prints what stock virsh prints with
libvirt's in-process test driver (the client library's remote driver, the
proxy and the server together)."""
import importlib.util
import os
import re
import subprocess

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

VSH = os.path.join(h.BUILD, "tools", "vsh", "vsh")
h.require_virsh()
h.require_binaries("proxyd")
if not os.access(VSH, os.X_OK):
    h.skip("vsh is not built (%s)" % VSH)
t = h.Tap()

CASES = [
    "list --all",
    "dominfo test",
    "domstate test --reason",
    "suspend test; domstate test; resume test; domstate test",
    "net-list --all",
    "pool-list --all",
    "vol-list default-pool",
    "nodeinfo",
    "dominfo nosuch",
]
CPU_RE = re.compile(r"^(CPU time:\s+)\S+$", re.M)


def vsh(uri, cmd):
    p = subprocess.run([VSH, "-c", uri, cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=60)
    return p.returncode, CPU_RE.sub(r"\1<cpu>", p.stdout), p.stderr


with h.Root() as root:
    d = root.start("proxyd")
    for cmd in CASES:
        st, out, err = h.virsh("test:///default", cmd)
        want = (st, CPU_RE.sub(r"\1<cpu>", out), err)
        t.eq(vsh(root.uri(), cmd), want, "vsh '%s' through proxyd" % cmd)
    t.eq(d.stop(), 0, "proxyd stops cleanly")

t.done()
