#!/usr/bin/python3
"""The systemd units of every daemon built here pass `systemd-analyze
verify` (with ExecStart pointing at the built binary) without a warning,
and name the sockets core_daemon_main() expects."""
import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

DAEMONS = ("proxyd", "testd")
h.require_binaries(*DAEMONS)
analyze = shutil.which("systemd-analyze")
if not analyze:
    h.skip("systemd-analyze is not installed")
probe = subprocess.run([analyze, "--version"], capture_output=True)
if probe.returncode != 0:
    h.skip("systemd-analyze cannot run here")
t = h.Tap()


def units_of(name):
    return ["vireo-%s.service" % name, "vireo-%s.socket" % name,
            "vireo-%s-ro.socket" % name, "vireo-%s-admin.socket" % name]


def read_unit(path):
    p = configparser.ConfigParser(strict=False, interpolation=None)
    p.optionxform = str
    p.read(path)
    return p


tmp = tempfile.mkdtemp(prefix="vireo-units")
try:
    for name in DAEMONS:
        built = os.path.join(h.BUILD, "daemons", name)
        paths = []
        for unit in units_of(name):
            src = os.path.join(built, unit)
            t.ok(os.path.exists(src), "%s generated" % unit)
            with open(src) as f:
                text = f.read()
            t.ok("@" not in text, "%s: every @var@ substituted" % unit, text)
            dst = os.path.join(tmp, unit)
            # Verify needs an existing executable: use the built one.
            text = re.sub(r"^ExecStart=\S+", "ExecStart=" + h.daemon_binary(name), text,
                          flags=re.M)
            with open(dst, "w") as f:
                f.write(text)
            paths.append(dst)
        p = subprocess.run([analyze, "verify", "--man=no"] + paths, capture_output=True,
                           universal_newlines=True, cwd=tmp)
        t.ok(p.returncode == 0 and not p.stderr.strip() and not p.stdout.strip(),
             "systemd-analyze verify vireo-%s units" % name, p.stdout + p.stderr)

        svc = read_unit(os.path.join(built, units_of(name)[0]))
        t.eq(svc.get("Service", "Type"), "notify", "vireo-%s.service is Type=notify" % name)
        want = {"": "%s-sock" % name, "-ro": "%s-sock-ro" % name,
                "-admin": "%s-admin-sock" % name}
        for suffix, sock in want.items():
            u = read_unit(os.path.join(built, "vireo-%s%s.socket" % (name, suffix)))
            t.eq(u.get("Socket", "ListenStream"), "/run/vireo/" + sock,
                 "vireo-%s%s.socket listens on /run/vireo/%s" % (name, suffix, sock))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
t.done()
