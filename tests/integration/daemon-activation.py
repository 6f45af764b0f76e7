#!/usr/bin/python3
"""Socket activation and readiness: vireo-proxyd started by
`systemd-socket-activate -l PATH` serves the socket it was given (matched by
name, or by path when unnamed), creates the sockets it was not given, never
removes the activated one, and reports READY=1 / STOPPING=1 on
NOTIFY_SOCKET."""
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import time

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

h.require_virsh()
h.require_binaries("proxyd")
activate = shutil.which("systemd-socket-activate")
if not activate:
    h.skip("systemd-socket-activate is not installed")
t = h.Tap()


def wait_path(path, timeout=10):
    end = time.time() + timeout
    while time.time() < end and not os.path.exists(path):
        time.sleep(0.02)
    return os.path.exists(path)


def activated(root, listen, names=None):
    os.makedirs(root.run_dir(), exist_ok=True)
    argv = [activate]
    for path in listen:
        argv += ["-l", path]
    for name in names or []:
        argv.append("--fdname=" + name)
    argv += [h.daemon_binary("proxyd"), "--root", root.dir]
    log = open(os.path.join(root.dir, "activate.log"), "w+")
    p = h.spawn(argv, stdout=log, stderr=subprocess.STDOUT)
    for path in listen:
        wait_path(path)
    return p, log


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        return p.wait(20)
    except subprocess.TimeoutExpired:
        p.kill()
        return None


# Named socket (as systemd names it after the unit).
with h.Root() as root:
    rw = root.sock("proxyd")
    p, log = activated(root, [rw], ["vireo-proxyd.socket"])
    st, out, err = h.virsh(root.uri(), "domstate test")
    t.eq((st, out), (0, "running\n\n"), "named activated socket serves", err)
    t.ok(wait_path(root.sock("proxyd", "ro")) and wait_path(root.sock("proxyd", "admin")),
         "sockets not passed by systemd are created")
    t.eq(stop(p), 0, "SIGTERM: exit 0")
    t.ok(os.path.exists(rw), "activated socket left for systemd to remove")
    t.ok(not os.path.exists(root.sock("proxyd", "ro")), "own sockets removed")

# Unnamed sockets matched by path: the read-only one stays read-only.
with h.Root() as root:
    rw, ro = root.sock("proxyd"), root.sock("proxyd", "ro")
    p, log = activated(root, [ro, rw])
    st, out, err = h.virsh(root.uri("proxyd", "ro"), "destroy test")
    t.ok(st == 1 and "forbidden" in err, "unnamed socket matched by path: -sock-ro read-only",
         err)
    st, out, err = h.virsh(root.uri(), "domstate test")
    t.eq((st, out), (0, "running\n\n"), "unnamed socket matched by path: -sock serves", err)
    t.eq(stop(p), 0, "SIGTERM: exit 0")

# sd_notify: READY=1 once serving, STOPPING=1 on the way out.
with h.Root() as root:
    notify_path = os.path.join(root.dir, "notify")
    ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ns.bind(notify_path)
    ns.settimeout(20)
    d = root.start("proxyd", env={"NOTIFY_SOCKET": notify_path})
    msgs = []
    try:
        while not any("READY=1" in m for m in msgs):
            msgs.append(ns.recv(4096).decode())
    except socket.timeout:
        pass
    t.ok(any("READY=1" in m for m in msgs), "READY=1 sent", msgs)
    d.stop()
    try:
        while not any("STOPPING=1" in m for m in msgs):
            msgs.append(ns.recv(4096).decode())
    except socket.timeout:
        pass
    t.ok(any("STOPPING=1" in m for m in msgs), "STOPPING=1 sent", msgs)
    ns.close()

t.done()
