"""Shared helpers of the daemon and wire integration tests.

Loaded by the test scripts with importlib (the file name has a dash so that
it sorts with the tests it serves). Starts Vireo daemons under a temporary
--root, runs stock virsh against them, prints TAP, and makes sure that no
process it started outlives the test.
"""
import atexit
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

BUILD = os.environ.get("VIREO_BUILD_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "build"))
SOURCE = os.environ.get("VIREO_SOURCE_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
VIRSH = "/usr/bin/virsh"

_procs = []


def _cleanup():
    for p in _procs:
        if p.poll() is None:
            try:
                p.kill()
                p.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                pass


atexit.register(_cleanup)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))


def skip(reason):
    """Exit 77 with the reason as the last line of stdout."""
    print("1..0 # SKIP " + reason)
    print(reason)
    sys.exit(77)


def daemon_binary(name):
    return os.path.join(BUILD, "daemons", name, "vireo-" + name)


def require_binaries(*names):
    for n in names:
        if not os.access(daemon_binary(n), os.X_OK):
            skip("vireo-%s is not built (%s)" % (n, daemon_binary(n)))


def require_virsh():
    if not os.access(VIRSH, os.X_OK):
        skip("stock virsh (%s) is not installed" % VIRSH)


def spawn(argv, **kw):
    """Popen that is killed at exit if still running."""
    p = subprocess.Popen(argv, **kw)
    _procs.append(p)
    return p


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            if diag:
                for line in str(diag).splitlines():
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def eq(self, got, want, name, extra=None):
        diag = "got:  %r\nwant: %r" % (got, want)
        if extra:
            diag += "\n" + str(extra)
        return self.ok(got == want, name, diag)

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


def can_connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        return True
    except OSError:
        return False
    finally:
        s.close()


class Root:
    """A temporary --root directory, removed at the end."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="vireo-t")
        self.daemons = []

    def run_dir(self):
        return os.path.join(self.dir, "run", "vireo")

    def sock(self, name, kind=""):
        return os.path.join(self.run_dir(), name + {"": "-sock", "ro": "-sock-ro",
                                                    "admin": "-admin-sock"}[kind])

    def uri(self, name="proxyd", kind="", scheme="test", path="/default"):
        return "%s+unix://%s?socket=%s" % (scheme, path, self.sock(name, kind))

    def write_config(self, name, text):
        path = os.path.join(self.dir, "etc", "vireo", name + ".conf")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def start(self, name, args=(), wait=True, env=None):
        d = Daemon(self, name, list(args), env)
        self.daemons.append(d)
        if wait:
            d.wait_ready()
        return d

    def close(self):
        for d in self.daemons:
            d.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Daemon:
    def __init__(self, root, name, args, env=None):
        self.root = root
        self.name = name
        self.log = open(os.path.join(root.dir, name + ".log"), "w+")
        argv = [daemon_binary(name), "--root", root.dir] + args
        e = dict(os.environ)
        e.pop("LISTEN_FDS", None)
        e.pop("LISTEN_PID", None)
        if env:
            e.update(env)
        self.proc = spawn(argv, stdout=self.log, stderr=subprocess.STDOUT, env=e)
        self.status = None

    def wait_ready(self, timeout=20):
        path = self.root.sock(self.name)
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("vireo-%s exited %d:\n%s" % (self.name, self.proc.returncode,
                                                               self.output()))
            if can_connect(path) and os.path.exists(self.root.sock(self.name, "admin")):
                return
            time.sleep(0.02)
        raise RuntimeError("vireo-%s did not start:\n%s" % (self.name, self.output()))

    def alive(self):
        return self.proc.poll() is None

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Stops the daemon; returns its exit status (None if it had to be killed)."""
        if self.status is not None or self.proc.returncode is not None:
            return self.proc.returncode
        try:
            self.proc.send_signal(sig)
            self.status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.status = None
        return self.status


def virsh(uri, cmd, timeout=60, readonly=False):
    """Runs stock virsh; returns (status, stdout, stderr)."""
    argv = [VIRSH]
    if readonly:
        argv.append("-r")
    argv += ["-c", uri, cmd]
    env = dict(os.environ)
    env["LC_ALL"] = "C.UTF-8"
    env.pop("VIRSH_DEFAULT_CONNECT_URI", None)
    env.pop("LIBVIRT_DEFAULT_URI", None)
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                       env=env, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


# ---- raw wire helpers ----------------------------------------------------------

REMOTE_PROG = 0x20008086


def frame(proc, serial, payload=b"", prog=REMOTE_PROG, mtype=0, status=0):
    body = struct.pack(">IIiiIi", prog, 1, proc, mtype, serial, status) + payload
    return struct.pack(">I", len(body) + 4) + body


def xdr_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def read_frame(sock, timeout=10):
    """Reads one frame; returns (header tuple, payload) or None on EOF."""
    sock.settimeout(timeout)

    def read_exact(n):
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    head = read_exact(4)
    if head is None:
        return None
    (length,) = struct.unpack(">I", head)
    rest = read_exact(length - 4)
    if rest is None:
        return None
    return struct.unpack(">IIiiIi", rest[:24]), rest[24:]


def raw_connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def raw_open(path, uri="test:///default"):
    """A raw client that did AUTH_LIST and CONNECT_OPEN; returns the socket."""
    s = raw_connect(path)
    s.sendall(frame(66, 0))
    read_frame(s)
    s.sendall(frame(1, 1, struct.pack(">I", 1) + xdr_string(uri) + struct.pack(">I", 0)))
    hdr, _ = read_frame(s)
    if hdr[5] != 0:
        raise RuntimeError("CONNECT_OPEN failed")
    return s


def start_libvirt_event_loop(libvirt):
    """Registers libvirt's default event implementation and runs it in a
    daemon thread: python3-libvirt's event callbacks need both."""
    libvirt.virEventRegisterDefaultImpl()
    thread = threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl()
                                              for _ in iter(int, 1)], daemon=True)
    thread.start()
    return thread


def recorder(libvirt, out):
    """rec(label, fn) for scenarios run against libvirt and against Vireo:
    calls fn and appends (label, its value) to @out, or (label, ("error",
    code, domain, message)) when it raises; returns the value (None on an
    error)."""
    def rec(label, fn):
        try:
            value = fn()
        except libvirt.libvirtError as e:
            value = ("error", e.get_error_code(), e.get_error_domain(), e.get_error_message())
        out.append((label, value))
        return value
    return rec


def compare_results(t, got, want):
    """One TAP check per (label, result) of @got against @want's."""
    t.eq(len(got), len(want), "same number of results")
    for (label, g), (_, w) in zip(got, want):
        t.eq(g, w, label)
