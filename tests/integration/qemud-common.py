"""Shared helpers of the vireo-qemud integration tests (real QEMU, TCG).

Loaded with importlib by the qemud-*.py tests. Builds (or reuses) the tiny
guest, keeps one capability cache for all tests so that QEMU is probed
once, writes guest definitions, reads a guest's serial pty, and kills every
QEMU a test started, even when the test fails (guests outlive vireo-qemud
by design, so stopping the daemon is not enough).
"""
import atexit
import glob
import importlib.util
import os
import select
import shutil
import signal
import subprocess
import sys
import time

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

QEMU = "/usr/bin/qemu-system-x86_64"
APPEND = ("console=ttyS0 panic=-1 quiet mitigations=off cryptomgr.notests no_timer_check "
          "i8042.noaux i8042.nokbd tsc=reliable lpj=5000000 8250.nr_uarts=1 tg.dhcp=0")
_roots = []


def _kill_guests():
    """Kills every QEMU whose command line names one of our roots."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().decode(errors="replace")
        except OSError:
            continue
        if "qemu-system" in cmd and any(r in cmd for r in _roots):
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass


atexit.register(_kill_guests)


def require_all():
    h.require_binaries("qemud")
    h.require_virsh()
    if not os.access(QEMU, os.X_OK):
        h.skip("%s is not installed" % QEMU)


def start_test(proxyd=True):
    """The common start of a qemud test: skips unless python3-libvirt, virsh,
    QEMU, vireo-qemud (and vireo-proxyd when @proxyd) and the tiny guest are
    there. Returns (the libvirt module, kernel, initrd, a new Tap)."""
    try:
        import libvirt
    except ImportError:
        h.skip("python3-libvirt is not installed for %s" % sys.executable)
    require_all()
    if proxyd:
        h.require_binaries("proxyd")
    kernel, initrd = tiny_guest()
    return libvirt, kernel, initrd, h.Tap()


def tiny_guest():
    """(kernel, initrd) of the cached tiny guest; skips when it cannot be built."""
    script = os.path.join(h.SOURCE, "tests", "tools", "make-tiny-guest.sh")
    p = subprocess.run([script, "-x"], capture_output=True, text=True)
    if p.returncode == 77:
        h.skip("tiny guest: " + p.stderr.strip().splitlines()[-1])
    if p.returncode != 0:
        raise RuntimeError("make-tiny-guest.sh failed: " + p.stderr)
    kv = dict(w.split("=", 1) for w in p.stdout.split())
    return kv["KERNEL"], kv["INITRD"]


def _shared_cache():
    return os.path.join(h.BUILD, "tests-qemud-caps-cache")


class QemuRoot(h.Root):
    """A --root with the shared capability cache copied in."""

    def __init__(self):
        super().__init__()
        _roots.append(self.dir)
        self.cache = os.path.join(self.dir, "var", "cache", "vireo", "qemu")
        if os.path.isdir(_shared_cache()):
            shutil.copytree(_shared_cache(), self.cache)

    def close(self):
        if os.path.isdir(self.cache):
            shutil.rmtree(_shared_cache(), ignore_errors=True)
            shutil.copytree(self.cache, _shared_cache(), dirs_exist_ok=True)
        for d in self.daemons:
            d.stop()
        _kill_guests()
        super().close()

    def qemu_uri(self, via="qemud"):
        return self.uri(via, scheme="qemu", path="/system")


PTY_SERIAL = """
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'/>"""


def domain_xml(name, kernel, initrd, uuid=None, virt="qemu", extra="", serial=PTY_SERIAL,
               lifecycle=""):
    return """<domain type='%s'>
  <name>%s</name>%s
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>%s</kernel>
    <initrd>%s</initrd>
    <cmdline>%s</cmdline>
  </os>
  <features><acpi/></features>%s
  <devices>%s%s
  </devices>
</domain>
""" % (virt, name, "\n  <uuid>%s</uuid>" % uuid if uuid else "", kernel, initrd, APPEND,
       lifecycle, serial, extra)


def pty_of(xml):
    import re
    m = re.search(r"<serial type='pty'>\s*<source path='([^']+)'", xml)
    return m.group(1) if m else None


class Serial:
    """Reads a guest's serial pty."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        self.buf = b""

    def wait_for(self, marker, timeout=30):
        end = time.time() + timeout
        while marker.encode() not in self.buf:
            left = end - time.time()
            if left <= 0:
                return False
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    self.buf += os.read(self.fd, 65536)
                except BlockingIOError:
                    pass
                except OSError:
                    return False
        return True

    def close(self):
        os.close(self.fd)


def wait_state(get_state, want, timeout=30):
    """Polls a state getter until it returns @want (tests only)."""
    end = time.time() + timeout
    got = None
    while time.time() < end:
        got = get_state()
        if got == want:
            return got
        time.sleep(0.05)
    return got


def qemu_pids(root):
    pids = []
    for path in glob.glob(os.path.join(root.dir, "run", "vireo", "qemu", "*.xml")):
        with open(path) as f:
            import re
            m = re.search(r"pid='(\d+)'", f.read())
            if m:
                pids.append(int(m.group(1)))
    return pids
