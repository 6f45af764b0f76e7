#!/usr/bin/python3
"""core_daemon_main through vireo-testd: options, sockets and their modes,
pidfile lock, config file, signals, idle timeout, admin socket."""
import importlib.util
import os
import signal
import stat
import struct
import subprocess
import time

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

h.require_binaries("testd")
t = h.Tap()
BIN = h.daemon_binary("testd")


def run(args, timeout=20):
    p = subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


# ---- command line ----------------------------------------------------------
rc, out, err = run(["--help"])
t.ok(rc == 0 and "--root" in out and "--timeout" in out and "--session" in out and
     "--config" in out and "--verbose" in out and "testd-sock-ro" in out,
     "--help lists every option and the sockets", out + err)
rc, out, _ = run(["--version"])
t.ok(rc == 0 and out.startswith("vireo-testd "), "--version", out)
rc, _, err = run(["--no-such-option"])
t.ok(rc == 1 and "no-such-option" in err, "unknown option fails", err)
rc, _, err = run(["--timeout", "-1"])
t.ok(rc == 1 and "--timeout" in err, "negative --timeout fails", err)
rc, _, err = run(["--root", "/tmp", "--session"])
t.ok(rc == 1 and "--session" in err, "--root with --session fails", err)
rc, _, err = run(["stray"])
t.ok(rc == 1 and "stray" in err, "stray argument fails", err)

# ---- sockets, pidfile, second instance, SIGTERM -------------------------------
with h.Root() as root:
    d = root.start("testd")
    socks = {k: root.sock("testd", k) for k in ("", "ro", "admin")}
    t.eq([mode(socks[k]) for k in ("", "ro", "admin")], [0o600, 0o666, 0o600],
         "socket modes 0600, 0666, 0600")
    pidfile = os.path.join(root.run_dir(), "testd.pid")
    with open(pidfile) as f:
        t.eq(f.read().strip(), str(d.proc.pid), "pidfile holds the pid")
    t.ok(os.path.isdir(os.path.join(root.dir, "var", "lib", "vireo", "testd")),
         "state directory created under the root")

    rc, out, err = run(["--root", root.dir])
    t.ok(rc == 1 and "already running" in err and str(d.proc.pid) in err,
         "second instance under the same root names the running pid", err)
    t.ok(h.can_connect(socks[""]), "first instance still serves after the second one left")

    # The admin socket serves libvirt's admin program (daemon-admin.py has
    # the rest): CONNECT_OPEN succeeds, an unknown procedure is an RPC error.
    s = h.raw_connect(socks["admin"])
    s.sendall(h.frame(1, 7, struct.pack(">I", 0), prog=0x06900690))
    reply = h.read_frame(s)
    t.ok(reply is not None and reply[0][3] == 1 and reply[0][5] == 0,
         "admin program answers CONNECT_OPEN", reply)
    s.sendall(h.frame(999, 8, prog=0x06900690))
    reply = h.read_frame(s)
    code = struct.unpack(">i", reply[1][:4])[0] if reply else None
    t.ok(reply is not None and reply[0][5] == 1 and code == 39,
         "admin program: unknown procedure is VIR_ERR_RPC", reply)
    s.sendall(h.frame(1, 0, prog=0x6b656570, mtype=2))
    pong = h.read_frame(s)
    t.ok(pong is not None and pong[0][2] == 2, "admin socket answers keepalive PING", pong)
    s.close()

    rc = d.stop(signal.SIGTERM)
    t.eq(rc, 0, "SIGTERM: exit status 0")
    t.ok(not any(os.path.exists(p) for p in socks.values()) and not os.path.exists(pidfile),
         "SIGTERM: sockets and pidfile removed", os.listdir(root.run_dir()))

    d = root.start("testd")
    t.eq(d.stop(signal.SIGINT), 0, "SIGINT: exit status 0")

    # A daemon killed hard leaves its sockets; the next one replaces them.
    d = root.start("testd")
    d.stop(signal.SIGKILL)
    d = root.start("testd")
    t.ok(d.alive() and h.can_connect(socks[""]), "stale sockets of a killed daemon replaced")
    d.stop()

    # --timeout: exits by itself when idle, not while a client is connected.
    d = root.start("testd", ["--timeout", "1"])
    c = h.raw_open(socks[""])
    time.sleep(2.0)
    t.ok(d.alive(), "--timeout: stays while a client is connected")
    c.close()
    try:
        st = d.proc.wait(10)
    except subprocess.TimeoutExpired:
        st = None
    t.eq(st, 0, "--timeout: exits 0 once idle")
    t.ok(not os.path.exists(socks[""]), "--timeout: sockets removed")

# ---- config file ------------------------------------------------------------------
with h.Root() as root:
    root.write_config("testd", "[daemon]\nunix_sock_rw_perms = 0660\n"
                      "unix_sock_ro_perms = \"0644\"\nunix_sock_group = 0\n"
                      "bind_libvirt_sockets = true\nlog_level = 2\n")
    d = root.start("testd")
    t.eq([mode(root.sock("testd")), mode(root.sock("testd", "ro"))], [0o660, 0o644],
         "config: socket modes")
    t.eq(os.stat(root.sock("testd")).st_gid, 0, "config: socket group")
    libvirt_sock = os.path.join(root.dir, "run", "libvirt", "libvirt-sock")
    t.ok(h.can_connect(libvirt_sock) and
         h.can_connect(os.path.join(root.dir, "run", "libvirt", "libvirt-sock-ro")),
         "bind_libvirt_sockets: libvirt-sock and libvirt-sock-ro served")
    c = h.raw_open(libvirt_sock)
    c.close()
    t.ok(True, "libvirt-sock accepts CONNECT_OPEN")
    if os.access(h.VIRSH, os.X_OK):
        st, out, err = h.virsh("test+unix:///default?socket=" + libvirt_sock, "domstate test")
        t.eq((st, out), (0, "running\n\n"), "virsh through libvirt-sock", err)
    t.eq(d.stop(), 0, "config: clean stop")
    t.ok(not os.path.exists(libvirt_sock), "libvirt-sock removed at exit")

    root.write_config("testd", "[daemon]\nunix_sock_rw_perm = 0660\n")
    rc, _, err = run(["--root", root.dir])
    t.ok(rc == 1 and "unix_sock_rw_perm" in err, "unknown config key is named", err)
    root.write_config("testd", "[daemon]\nunix_sock_rw_perms = 999\n")
    rc, _, err = run(["--root", root.dir])
    t.ok(rc == 1 and "unix_sock_rw_perms" in err, "bad octal mode is named", err)
    root.write_config("testd", "[daemon]\nunix_sock_group = no-such-group-x\n")
    rc, _, err = run(["--root", root.dir])
    t.ok(rc == 1 and "no-such-group-x" in err, "unknown group is named", err)
    rc, _, err = run(["--root", root.dir, "--config", os.path.join(root.dir, "missing.conf")])
    t.ok(rc == 1 and "missing.conf" in err, "--config FILE must exist", err)
    other = os.path.join(root.dir, "other.conf")
    with open(other, "w") as f:
        f.write("[daemon]\ntimeout = 1\n")
    d = root.start("testd", ["--config", other])
    try:
        st = d.proc.wait(10)
    except subprocess.TimeoutExpired:
        st = None
    t.eq(st, 0, "--config FILE is read (its timeout applies)")

# ---- the hand-off is refused to another user ------------------------------------
HANDOFF_AS_NOBODY = r"""
import socket, struct, sys
a, b = socket.socketpair()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
body = struct.pack(">IIiiIi", 0x56495245, 1, 1, 0, 0, 0) + struct.pack(">II", 0, 0)
socket.send_fds(s, [struct.pack(">I", len(body) + 4) + body], [b.fileno()])
reply = s.recv(4096)
print(struct.unpack(">i", reply[28:32])[0] if len(reply) >= 32 else "eof")
"""
if os.geteuid() == 0:
    with h.Root() as root:
        root.write_config("testd", "[daemon]\nunix_sock_admin_perms = 0666\n")
        d = root.start("testd")
        os.chmod(root.dir, 0o755)
        p = subprocess.run(["/usr/bin/python3", "-c", HANDOFF_AS_NOBODY,
                            root.sock("testd", "admin")], stdout=subprocess.PIPE,
                           universal_newlines=True, timeout=20,
                           preexec_fn=lambda: (os.setgid(65534), os.setuid(65534)))
        t.eq(p.stdout.strip(), "29", "hand-off from another user: OPERATION_DENIED")
        t.eq(d.stop(), 0, "testd stops cleanly after a refused hand-off")

# ---- session mode --------------------------------------------------------------------
with h.Root() as root:
    env = dict(os.environ)
    for var in ("XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[var] = os.path.join(root.dir, var.lower())
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
    p = h.spawn([BIN, "--session"], env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
    sock = os.path.join(env["XDG_RUNTIME_DIR"], "vireo", "testd-sock")
    end = time.time() + 20
    while time.time() < end and not h.can_connect(sock):
        time.sleep(0.02)
    t.ok(h.can_connect(sock), "--session: socket in $XDG_RUNTIME_DIR/vireo")
    t.ok(os.path.isdir(os.path.join(env["XDG_DATA_HOME"], "vireo", "testd")),
         "--session: state in $XDG_DATA_HOME/vireo/testd")
    p.send_signal(signal.SIGTERM)
    t.eq(p.wait(20), 0, "--session: clean stop")

t.done()
