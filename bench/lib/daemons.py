"""Starting and stopping the two sides of the comparison.

Libvirtd: Debian's /usr/sbin/libvirtd 9.0, run privately. It runs as root in
its own mount namespace where tmpfs instances hide /run, /var/lib,
/var/cache and /var/log, and directories of a temp dir are bind-mounted over
/etc/libvirt and the libvirt directories inside those tmpfs instances, so the
host's libvirt state is neither read nor written and no directory is created
on the host. Copies of /etc/passwd and /etc/group gain the 'libvirt-qemu'
account the QEMU driver resolves before reading qemu.conf. qemu.conf runs
QEMU as root, logs QEMU's output to files (no virtlogd here) and leaves the
host's cgroups alone. The daemon runs under bench/c/reaper.c (see there).

Vireo: vireo-proxyd (test driver in-process) under a temp --root; a second
root with vireo-testd and a vireo-proxyd routing test:/// to it measures the
proxy hop. vireo-qemud joins the first root when the build has it.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time

from common import alive, now, stop_pid

LIBVIRTD = "/usr/sbin/libvirtd"


class Daemon:
    """One running daemon started through `vbench coldstart` (which times
    process start to first answered call and stays its parent)."""

    def __init__(self, label, uri, argv, log, pidfile="-"):
        self.label, self.uri, self.argv, self.log, self.pidfile = label, uri, argv, log, pidfile
        self.pid = None
        self.proc = None
        self.cold_ms = None

    def start(self, vbench):
        if self.pidfile != "-" and os.path.exists(self.pidfile):
            os.unlink(self.pidfile)
        env = dict(os.environ, VBENCH_LOG=self.log)
        self.proc = subprocess.Popen([vbench, "coldstart", self.uri, self.pidfile, "--"] + self.argv,
                                     stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     env=env, text=True)
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            raise RuntimeError("%s did not start; see %s" % (self.label, self.log))
        info = json.loads(line)
        self.pid, self.cold_ms = int(info["pid"]), float(info["ms"])
        return self

    def stop(self):
        """Stops the daemon by its own pid; returns ms from SIGTERM to exit."""
        if not self.proc:
            return None
        ms = stop_pid(self.pid) if self.pid else None
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()        # vbench itself; its child is gone already
            self.proc.wait()
        self.proc.stdout.close()
        self.proc = None
        return ms


class Libvirtd:
    """A private libvirtd 9.0 (see the module comment)."""

    name = "libvirtd"

    def __init__(self, tools):
        self.dir = tempfile.mkdtemp(prefix="vireo-bench-libvirtd.")
        self.tools = tools
        d = self.dir
        for sub in ("sock", "etc", "run", "lib", "cache", "log"):
            os.mkdir(os.path.join(d, sub), 0o700)
        self.sock = os.path.join(d, "sock", "libvirt-sock")
        self.test_uri = "test+unix:///default?socket=" + self.sock
        self.qemu_uri = "qemu+unix:///system?socket=" + self.sock
        with open(os.path.join(d, "libvirtd.conf"), "w") as f:
            f.write('unix_sock_dir = "%s/sock"\n' % d
                    + 'unix_sock_group = "root"\nunix_sock_ro_perms = "0770"\n'
                    'unix_sock_rw_perms = "0770"\nunix_sock_admin_perms = "0700"\n'
                    'auth_unix_ro = "none"\nauth_unix_rw = "none"\n')
        with open(os.path.join(d, "etc", "qemu.conf"), "w") as f:
            f.write('user = "root"\ngroup = "root"\nstdio_handler = "file"\n'
                    'cgroup_controllers = [ ]\n')
        if os.path.exists("/etc/libvirt/libvirt.conf"):
            shutil.copy("/etc/libvirt/libvirt.conf", os.path.join(d, "etc"))
        self._account_files()
        self._write_launcher()

    def _account_files(self):
        d = self.dir
        for name, line in (("passwd", "libvirt-qemu:x:64055:64055:Libvirt Qemu:"
                            "/var/lib/libvirt:/usr/sbin/nologin\n"),
                           ("group", "libvirt-qemu:x:64055:\n")):
            with open("/etc/" + name) as f:
                text = f.read()
            if not any(ln.startswith("libvirt-qemu:") for ln in text.splitlines()):
                text += ("" if text.endswith("\n") else "\n") + line
            with open(os.path.join(d, name), "w") as f:
                f.write(text)

    def _write_launcher(self):
        d = self.dir
        self.pidfile = os.path.join(d, "libvirtd.pid")
        mounts = ["mount --bind {d}/passwd /etc/passwd", "mount --bind {d}/group /etc/group",
                  "mount --bind {d}/etc /etc/libvirt"]
        for top, sub in (("/run", "run"), ("/var/lib", "lib"), ("/var/cache", "cache"),
                         ("/var/log", "log")):
            mounts += ["mount -t tmpfs -o mode=0755 bench %s" % top,
                       "mkdir %s/libvirt" % top,
                       "mount --bind {d}/%s %s/libvirt" % (sub, top)]
        script = " &&\n".join(m.format(d=d) for m in mounts)
        script += (" &&\nexec %s --config %s/libvirtd.conf --pid-file %s\n"
                   % (LIBVIRTD, d, self.pidfile))
        self.launcher = os.path.join(d, "launch.sh")
        with open(self.launcher, "w") as f:
            f.write(script)

    def daemon(self):
        argv = [self.tools["reaper"], "unshare", "--mount", "--propagation", "private",
                "sh", self.launcher]
        return Daemon("libvirtd", self.test_uri, argv, os.path.join(self.dir, "libvirtd.log"),
                      self.pidfile)

    def version(self):
        p = subprocess.run([LIBVIRTD, "--version"], stdout=subprocess.PIPE, text=True)
        return p.stdout.strip()

    def cleanup(self, keep=False):
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)


class Vireo:
    """Vireo's daemons under temp --root directories."""

    name = "vireo"

    def __init__(self, build):
        self.build = build
        self.dir = tempfile.mkdtemp(prefix="vireo-bench-vireo.")
        self.root = os.path.join(self.dir, "main")
        self.hop_root = os.path.join(self.dir, "hop")
        self.proxyd = os.path.join(build, "daemons", "proxyd", "vireo-proxyd")
        self.testd = os.path.join(build, "daemons", "testd", "vireo-testd")
        self.qemud = os.path.join(build, "daemons", "qemud", "vireo-qemud")
        for r in (self.root, self.hop_root):
            os.makedirs(os.path.join(r, "etc", "vireo"))
        # The hop pair: the proxy hands test:/// connections to vireo-testd.
        with open(os.path.join(self.hop_root, "etc", "vireo", "proxyd.conf"), "w") as f:
            f.write("[routes]\ntest = testd\n")
        self.sock = self.socket(self.root, "proxyd")
        self.test_uri = "test+unix:///default?socket=" + self.sock
        self.qemu_uri = "qemu+unix:///system?socket=" + self.sock

    @staticmethod
    def socket(root, name):
        return os.path.join(root, "run", "vireo", name + "-sock")

    def has_qemud(self):
        return os.access(self.qemud, os.X_OK)

    def _daemon(self, root, exe, name, uri=None):
        uri = uri or "test+unix:///default?socket=" + self.socket(root, name)
        return Daemon("vireo-" + name, uri, [exe, "--root", root],
                      os.path.join(self.dir, "%s-%s.log" % (os.path.basename(root), name)))

    def daemon(self):
        return self._daemon(self.root, self.proxyd, "proxyd")

    def qemud_daemon(self):
        uri = "qemu+unix:///system?socket=" + self.socket(self.root, "qemud")
        return self._daemon(self.root, self.qemud, "qemud", uri)

    def hop_daemons(self):
        """(testd, proxyd routing test:/// to it), to be started in that order."""
        return (self._daemon(self.hop_root, self.testd, "testd"),
                self._daemon(self.hop_root, self.proxyd, "proxyd"))

    def hop_uris(self):
        return ("test+unix:///default?socket=" + self.socket(self.hop_root, "proxyd"),
                "test+unix:///default?socket=" + self.socket(self.hop_root, "testd"))

    def cleanup(self, keep=False):
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def wait_gone(pids, timeout=10.0):
    t0 = now()
    while any(alive(p) for p in pids) and now() - t0 < timeout:
        time.sleep(0.01)
