#!/usr/bin/python3
"""Stock virsh through vireo-proxyd prints what virsh prints with libvirt's
own in-process test driver (test:///default), with the same exit status.

The daemon is restarted for every case: through a daemon the test driver's
state lives as long as the daemon, while `virsh -c test:///default` starts
from the default objects on every run.
"""
import concurrent.futures
import importlib.util
import os
import re

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
  <currentMemory unit='KiB'>131072</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""
NET_XML = """<network>
  <name>net1</name>
  <uuid>8f6a8c35-7f4b-4f43-9a36-4b8e8a5e0c11</uuid>
  <bridge name='virbr9'/>
  <ip address='192.168.150.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.150.2' end='192.168.150.254'/></dhcp>
  </ip>
</network>
"""
POOL_XML = """<pool type='dir'>
  <name>pool1</name>
  <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid>
  <target><path>/pool1-path</path></target>
</pool>
"""

CASES = [
    "list",
    "list --all",
    "list --all --name",
    "list --uuid",
    "list --inactive",
    "dominfo test",
    "domstate test --reason",
    "domid test; domuuid test; domname 1",
    "dumpxml test",
    "dumpxml test --inactive",
    "nodeinfo",
    "capabilities",
    "version",
    "hostname",
    "net-list --all",
    "net-info default",
    "net-dumpxml default",
    "pool-list --all",
    "pool-info default-pool",
    "pool-dumpxml default-pool",
    "vol-list default-pool",
    "define {dom}; list --all; start demo1; domstate demo1 --reason; suspend demo1; "
    "domstate demo1 --reason; resume demo1; dominfo demo1; destroy demo1; "
    "domstate demo1 --reason; undefine demo1; list --all",
    "suspend test; domstate test --reason; resume test; domstate test --reason",
    "shutdown test; domstate test --reason; start test; list --all",
    "destroy test; domstate test --reason; list --all",
    "autostart test; dominfo test; autostart --disable test; dominfo test",
    "create {dom}; list --all; destroy demo1; list --all",
    "net-define {net}; net-list --all; net-start net1; net-info net1; net-destroy net1; "
    "net-undefine net1; net-list --all",
    "net-destroy default; net-list --all; net-start default; net-list --all",
    "pool-define {pool}; pool-list --all; pool-start pool1; pool-info pool1; "
    "pool-destroy pool1; pool-undefine pool1; pool-list --all",
    "vol-create-as default-pool v1.img 1M; vol-list default-pool; "
    "vol-info v1.img --pool default-pool; vol-delete v1.img --pool default-pool; "
    "vol-list default-pool",
    # statistics and tunables
    "vcpuinfo test",
    "schedinfo test",
    "memtune test; memtune test --config; memtune test --live --config",
    "blkiotune test; blkiotune test --config",
    "dommemstat test; setmem test 1000000; dommemstat test",
    "domhostname test; domtime test",
    "freecell; freecell --all; freecell 1; freecell 5",
    "nodecpustats; nodecpustats 3; nodecpumap",
    "destroy test; dommemstat test; domhostname test; domtime test; memtune test; "
    "schedinfo test",
    # mistakes: same message, same status
    "dominfo nosuch",
    "start test",
    "destroy nosuch",
    "undefine nosuch",
    "net-info nosuch",
    "pool-info nosuch",
    "vol-info nosuch --pool default-pool",
    "define /nonexistent/dom.xml",
    "define {bad}",
    "suspend test; suspend test",
    "resume test",
    "net-start default",
    "create {dom}; create {dom}",
]

CPU_RE = re.compile(r"^(CPU time:\s+)\S+$", re.M)


def mask(text):
    return CPU_RE.sub(r"\1<cpu>", text)


def run_case(case, files):
    """One case on a fresh daemon under its own root."""
    cmd = case.format(**files)
    with h.Root() as root:
        d = root.start("proxyd")
        want = h.virsh("test:///default", cmd)
        got = h.virsh(root.uri("proxyd"), cmd)
        status = d.stop()
        log = d.output()
    want = (want[0], mask(want[1]), mask(want[2]))
    got = (got[0], mask(got[1]), mask(got[2]))
    return got, want, status, log


with h.Root() as data:
    files = {}
    for key, text in (("dom", DOM_XML), ("net", NET_XML), ("pool", POOL_XML),
                      ("bad", "<domain type='test'><name>x</name>")):
        files[key] = os.path.join(data.dir, key + ".xml")
        with open(files[key], "w") as f:
            f.write(text)
    # Cases are independent (one daemon each): run several at a time.
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda c: run_case(c, files), CASES))
    for case, (got, want, status, log) in zip(CASES, results):
        t.ok(got == want, "virsh '%s'" % case,
             "through proxyd: %r\nin-process:    %r" % (got, want))
        if status != 0:
            t.ok(False, "proxyd exit status after '%s'" % case, log[-3000:])

t.done()
