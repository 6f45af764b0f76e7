#!/usr/bin/python3
"""Stock virt-admin against a Vireo daemon's NAME-admin-sock (libvirt's admin
program): servers, worker pool, clients and their identity, disconnecting a
client, client limits, logging outputs and filters, the idle timeout, bad
input with libvirt's error codes and messages, and a peer of another user."""
import importlib.util
import os
import pwd
import grp
import socket
import struct
import subprocess
import sys
import time

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

VIRT_ADMIN = "/usr/bin/virt-admin"
ADMIN_PROG = 0x06900690

try:
    import libvirt
except ImportError:
    h.skip("python3-libvirt is not installed for %s" % sys.executable)
h.require_binaries("testd")
h.require_virsh()
if not os.access(VIRT_ADMIN, os.X_OK):
    h.skip("stock virt-admin (%s) is not installed" % VIRT_ADMIN)
t = h.Tap()
SERVER = "vireo-testd"
# The disconnected client's error is checked, not printed.
libvirt.registerErrorHandler(lambda ctx, err: None, None)


def admin_uri(root):
    return "libvirtd:///system?socket=" + root.sock("testd", "admin")


def virt_admin(root, *args, preexec=None, home=None):
    """Runs stock virt-admin; returns (status, stdout, stderr)."""
    env = dict(os.environ)
    env["LC_ALL"] = "C.UTF-8"
    env.pop("LIBVIRT_ADMIN_DEFAULT_URI", None)
    if home:
        env["HOME"] = home
        for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
            env.pop(var, None)
    p = subprocess.run([VIRT_ADMIN, "-c", admin_uri(root)] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, env=env,
                       universal_newlines=True, preexec_fn=preexec)
    return p.returncode, p.stdout, p.stderr


def table(out):
    """Rows of a virt-admin table (after the dashes line), split on blanks."""
    lines = out.splitlines()
    start = next((i + 1 for i, l in enumerate(lines) if l.startswith("---")), len(lines))
    return [l.split() for l in lines[start:] if l.strip()]


def fields(out):
    """'key : value' lines of virt-admin as a dict."""
    d = {}
    for line in out.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            d[k.strip()] = v.strip()
    return d


def ok_run(name, res, want_out=None):
    rc, out, err = res
    cond = rc == 0 and (want_out is None or want_out in out)
    t.ok(cond, name, "status %d\nstdout: %s\nstderr: %s" % (rc, out, err))
    return out


def err_run(name, res, want_err):
    rc, out, err = res
    t.ok(rc == 1 and want_err in err, name,
         "status %d\nstdout: %s\nstderr: %s\nwanted in stderr: %s" % (rc, out, err, want_err))


def server_clients(root, server=SERVER):
    return [r[0] for r in table(virt_admin(root, "srv-clients-list", server)[1])]


def unanswered(sock, wait):
    """TRUE when nothing (not even EOF) arrives on @sock within @wait seconds."""
    sock.settimeout(wait)
    try:
        sock.recv(1, socket.MSG_PEEK)
        return False
    except socket.timeout:
        return True


with h.Root() as root:
    d = root.start("testd")
    rw_uri = root.uri("testd", scheme="test")
    ro_uri = root.uri("testd", "ro", scheme="test")

    # ---- servers, version, worker pool --------------------------------------------
    out = ok_run("srv-list", virt_admin(root, "srv-list"))
    t.eq([r[1] for r in table(out)], [SERVER, "admin"], "srv-list names the daemon and admin")
    ok_run("version: the daemon reports libvirt 9.0.0", virt_admin(root, "version"),
           "Running against daemon: 9.0.0")

    info = fields(ok_run("srv-threadpool-info", virt_admin(root, "srv-threadpool-info", SERVER)))
    t.eq(sorted(info), sorted(["minWorkers", "maxWorkers", "nWorkers", "freeWorkers",
                               "prioWorkers", "jobQueueDepth"]), "threadpool parameter names")
    t.eq((info.get("minWorkers"), info.get("maxWorkers"), info.get("prioWorkers")),
         ("0", "8", "0"), "threadpool: no minimum, 8 workers at most, no priority workers")
    ok_run("srv-threadpool-set --max-workers 3",
           virt_admin(root, "srv-threadpool-set", SERVER, "--max-workers", "3"))
    info = fields(virt_admin(root, "srv-threadpool-info", SERVER)[1])
    t.eq(info.get("maxWorkers"), "3", "the new worker limit reads back")
    err_run("min above max refused as libvirt does",
            virt_admin(root, "srv-threadpool-set", SERVER, "--min-workers", "30"),
            "error: invalid argument: minWorkers cannot be larger than maxWorkers")
    err_run("max 0 refused as libvirt does",
            virt_admin(root, "srv-threadpool-set", SERVER, "--max-workers", "0"),
            "error: invalid argument: maxWorkers must not be switched from zero to non-zero "
            "and vice versa")
    err_run("a minimum of workers is not supported",
            virt_admin(root, "srv-threadpool-set", SERVER, "--min-workers", "2"),
            "error: argument unsupported: minWorkers must be 0")
    info = fields(virt_admin(root, "srv-threadpool-info", "admin")[1])
    t.eq(info.get("maxWorkers"), "0", "the admin server answers on the main loop: no workers")

    # ---- clients ------------------------------------------------------------------
    t.eq(server_clients(root), [], "no clients yet")
    a = libvirt.open(rw_uri)
    b = libvirt.openReadOnly(ro_uri)
    v = h.spawn([h.VIRSH, "-r", "-c", ro_uri], stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline and len(server_clients(root)) < 3:
        time.sleep(0.05)
    rows = table(virt_admin(root, "srv-clients-list", SERVER)[1])
    t.eq([(r[1], len(r)) for r in rows], [("unix", 4)] * 3,
         "srv-clients-list: three unix clients with their connect time", rows)
    ids = [r[0] for r in rows]
    infos = [fields(virt_admin(root, "client-info", SERVER, i)[1]) for i in ids]
    me = pwd.getpwuid(os.getuid()).pw_name
    mygroup = grp.getgrgid(os.getgid()).gr_name
    t.eq([(i.get("readonly"), i.get("unix_process_id")) for i in infos],
         [("no", str(os.getpid())), ("yes", str(os.getpid())), ("yes", str(v.pid))],
         "client-info: read-only flag and process of each client", infos)
    t.eq({(i.get("transport"), i.get("unix_user_id"), i.get("unix_user_name"),
           i.get("unix_group_id"), i.get("unix_group_name")) for i in infos},
         {("unix", str(os.getuid()), me, str(os.getgid()), mygroup)},
         "client-info: transport and user/group of the peer")
    t.ok(all("sock_addr" not in i for i in infos), "no sock_addr for local clients (as libvirt)")

    ok_run("client-disconnect", virt_admin(root, "client-disconnect", SERVER, ids[0]),
           "Client '%s' disconnected" % ids[0])
    try:
        a.listAllDomains()
        victim = "still served"
    except libvirt.libvirtError as e:
        victim = e.get_error_code()
    t.ok(victim in (libvirt.VIR_ERR_SYSTEM_ERROR, libvirt.VIR_ERR_RPC,
                    libvirt.VIR_ERR_INTERNAL_ERROR), "the disconnected client's socket is closed",
         victim)
    t.eq([dom.name() for dom in b.listAllDomains()], ["test"], "another client is unhurt")
    t.eq(server_clients(root), ids[1:], "the disconnected client is gone from the list")

    # ---- bad input: libvirt's codes and messages ----------------------------------
    err_run("unknown server", virt_admin(root, "srv-clients-list", "nope"),
            "error: Server not found: No server named 'nope'")
    err_run("unknown client", virt_admin(root, "client-info", SERVER, "9999"),
            "error: Client not found: No client with matching ID '9999'")
    err_run("disconnect an unknown client", virt_admin(root, "client-disconnect", SERVER, ids[0]),
            "error: Client not found: No client with matching ID '%s'" % ids[0])
    err_run("no TLS: libvirt's error", virt_admin(root, "server-update-tls", SERVER),
            "error: internal error: no tls service found, unable to update tls files")
    s = h.raw_connect(root.sock("testd", "admin"))
    s.sendall(h.frame(1, 1, struct.pack(">I", 4), prog=ADMIN_PROG))
    hdr, body = h.read_frame(s)
    t.eq((hdr[5], struct.unpack(">i", body[:4])[0]), (1, 8), "CONNECT_OPEN with flags: INVALID_ARG")
    s.sendall(h.frame(3, 2, b"junk", prog=ADMIN_PROG))
    hdr, body = h.read_frame(s)
    t.eq((hdr[5], struct.unpack(">i", body[:4])[0]), (1, 39), "trailing bytes: VIR_ERR_RPC")
    s.sendall(h.frame(3, 3, prog=ADMIN_PROG))
    hdr, body = h.read_frame(s)
    t.eq((hdr[5], struct.unpack(">Q", body[:8])[0]), (0, 9000000), "the connection still serves")
    # Its own id from SERVER_LIST_CLIENTS("admin"), then CLIENT_CLOSE on itself:
    # answered, then closed.
    s.sendall(h.frame(8, 4, h.xdr_string("admin") + struct.pack(">II", 1, 0), prog=ADMIN_PROG))
    hdr, body = h.read_frame(s)
    count = struct.unpack(">I", body[:4])[0]
    name_len = struct.unpack(">I", body[4:8])[0]
    own = struct.unpack(">Q", body[8 + (name_len + 3) // 4 * 4:][:8])[0]
    t.eq((hdr[5], count), (0, 1), "SERVER_LIST_CLIENTS of admin: the raw connection alone")
    s.sendall(h.frame(11, 5, h.xdr_string("admin") + struct.pack(">QqII", own, 0, 0, 0),
                      prog=ADMIN_PROG))
    hdr, _ = h.read_frame(s)
    t.ok(hdr[5] == 0 and h.read_frame(s) is None,
         "CLIENT_CLOSE of its own connection: answered, then closed")
    s.close()
    s = h.raw_connect(root.sock("testd", "admin"))
    s.sendall(h.frame(2, 1, prog=ADMIN_PROG))
    hdr, _ = h.read_frame(s)
    t.ok(hdr[5] == 0 and h.read_frame(s) is None, "CONNECT_CLOSE: answered, then closed")
    s.close()

    # ---- client limits ------------------------------------------------------------
    lim = fields(ok_run("srv-clients-info", virt_admin(root, "srv-clients-info", SERVER)))
    t.eq(lim, {"nclients_max": "5000", "nclients": "2", "nclients_unauth_max": "20",
               "nclients_unauth": "0"}, "srv-clients-info: limits and counts")
    ok_run("srv-clients-set", virt_admin(root, "srv-clients-set", SERVER, "--max-clients", "3",
                                         "--max-unauth-clients", "2"))
    lim = fields(virt_admin(root, "srv-clients-info", SERVER)[1])
    t.eq((lim.get("nclients_max"), lim.get("nclients_unauth_max")), ("3", "2"),
         "the new limits read back")
    err_run("unauth limit above the client limit refused as libvirt does",
            virt_admin(root, "srv-clients-set", SERVER, "--max-unauth-clients", "5"),
            "error: invalid argument: The overall maximum number of clients waiting for "
            "authentication must not be less than the overall maximum number of clients")
    third = h.raw_connect(root.sock("testd"))
    deadline = time.time() + 10
    while time.time() < deadline and len(server_clients(root)) < 3:
        time.sleep(0.05)
    fourth = h.raw_connect(root.sock("testd"))
    fourth.sendall(h.frame(66, 0))
    t.ok(unanswered(fourth, 0.5), "at the client limit a new client waits")
    ok_run("raise the limit", virt_admin(root, "srv-clients-set", SERVER, "--max-clients", "10"))
    t.ok(h.read_frame(fourth) is not None, "once the limit is raised the waiting client is served")
    lim = fields(virt_admin(root, "srv-clients-info", SERVER)[1])
    t.eq((lim.get("nclients"), lim.get("nclients_unauth")), ("4", "2"),
         "clients that did not open count as unauthenticated")
    third.close()
    fourth.close()

    # ---- logging ------------------------------------------------------------------
    out = ok_run("daemon-log-outputs", virt_admin(root, "daemon-log-outputs"))
    t.eq(out.strip(), "Logging outputs: 1:stderr", "default output: stderr, every level")
    out = ok_run("daemon-log-filters", virt_admin(root, "daemon-log-filters"))
    t.eq(out.strip(), "Logging filters:", "no filters by default")
    logfile = os.path.join(root.dir, "admin-debug.log")
    ok_run("set outputs", virt_admin(root, "daemon-log-outputs", "1:file:%s 3:stderr" % logfile))
    out = virt_admin(root, "daemon-log-outputs")[1]
    t.eq(out.strip(), "Logging outputs: 1:file:%s 3:stderr" % logfile, "outputs read back")
    ok_run("set filters", virt_admin(root, "daemon-log-filters", "1:core.rpc 3:+core.daemon"))
    out = virt_admin(root, "daemon-log-filters")[1]
    t.eq(out.strip(), "Logging filters: 1:core.rpc 3:core.daemon",
         "filters read back ('+' dropped as libvirt does)")
    h.virsh(rw_uri, "list --all")
    with open(logfile) as f:
        text = f.read()
    t.ok(" debug core.rpc." in text, "debug messages of core.rpc reach the file output", text)
    t.ok(" debug core.rpc." not in d.output(), "stderr at level 3 takes no debug messages")
    err_run("syslog output refused", virt_admin(root, "daemon-log-outputs", "1:syslog:vireo"),
            "error: unsupported configuration: log output '1:syslog:vireo': syslog is not "
            "supported, use journald")
    err_run("bad output level", virt_admin(root, "daemon-log-outputs", "5:stderr"),
            "error: invalid argument: Invalid log priority '5' for log output '5:stderr'")
    err_run("bad output destination", virt_admin(root, "daemon-log-outputs", "1:tape"),
            "error: invalid argument: Invalid log destination 'tape' for log output '1:tape'")
    err_run("an output file that cannot be opened",
            virt_admin(root, "daemon-log-outputs", "1:file:/nonexistent/dir/x.log"),
            "error: cannot open log file '/nonexistent/dir/x.log': No such file or directory")
    ok_run("a later output to the same place wins",
           virt_admin(root, "daemon-log-outputs",
                      "1:stderr 4:file:%s 3:stderr 2:file:%s" % (logfile, logfile)))
    t.eq(virt_admin(root, "daemon-log-outputs")[1].strip(),
         "Logging outputs: 3:stderr 2:file:%s" % logfile, "outputs read back without duplicates")
    err_run("bad filter", virt_admin(root, "daemon-log-filters", "x:core"),
            "error: invalid argument: Invalid priority 'x' for filter 'x:core'")
    err_run("malformed filter", virt_admin(root, "daemon-log-filters", "1"),
            "error: invalid argument: Malformed format for filter '1'")
    t.eq(virt_admin(root, "daemon-log-filters")[1].strip(),
         "Logging filters: 1:core.rpc 3:core.daemon", "refused filters change nothing")
    ok_run("reset outputs", virt_admin(root, "daemon-log-outputs", ""))
    ok_run("reset filters", virt_admin(root, "daemon-log-filters", ""))
    t.eq((virt_admin(root, "daemon-log-outputs")[1].strip(),
          virt_admin(root, "daemon-log-filters")[1].strip()),
         ("Logging outputs: 1:stderr", "Logging filters:"), "defaults are back")

    # ---- the admin server ----------------------------------------------------------
    rows = table(virt_admin(root, "srv-clients-list", "admin")[1])
    t.eq(len(rows), 1, "the admin server lists the virt-admin connection itself", rows)
    lim = fields(virt_admin(root, "srv-clients-info", "admin")[1])
    t.eq((lim.get("nclients_max"), lim.get("nclients")), ("5000", "1"),
         "the admin server's limits")

    a.close()
    b.close()
    v.stdin.close()
    v.wait(10)
    t.eq(d.stop(), 0, "the daemon stops cleanly after all this")

# ---- a client handed over by the proxy ---------------------------------------------
with h.Root() as root:
    root.write_config("proxyd", "[proxy]\nhandoff = true\n[routes]\ntest = testd\n")
    d = root.start("testd")
    proxyd = root.start("proxyd")
    c = libvirt.open(root.uri("proxyd"))
    rows = table(virt_admin(root, "srv-clients-list", SERVER)[1])
    info = fields(virt_admin(root, "client-info", SERVER, rows[0][0])[1]) if rows else {}
    t.eq((len(rows), info.get("unix_process_id"), info.get("readonly")),
         (1, str(os.getpid()), "no"),
         "a handed-over client is the process that connected to the proxy", rows)
    c.close()
    t.eq((proxyd.stop(), d.stop()), (0, 0), "proxy and target stop cleanly")

# ---- daemon-timeout --------------------------------------------------------------
with h.Root() as root:
    d = root.start("testd")
    ok_run("daemon-timeout --timeout 1", virt_admin(root, "daemon-timeout", "--timeout", "1"))
    try:
        status = d.proc.wait(10)
    except subprocess.TimeoutExpired:
        status = None
    t.eq(status, 0, "the daemon exits once idle for the new timeout")

# ---- another user ----------------------------------------------------------------
if os.geteuid() == 0:
    with h.Root() as root:
        root.write_config("testd", "[daemon]\nunix_sock_admin_perms = 0666\n")
        d = root.start("testd")
        os.chmod(root.dir, 0o755)

        def as_nobody():
            os.setgid(65534)
            os.setuid(65534)

        err_run("a peer of another user is refused",
                virt_admin(root, "srv-list", preexec=as_nobody, home=root.dir),
                "error: operation forbidden: Disallowing client")
        t.eq(d.stop(), 0, "the daemon stops cleanly")

t.done()
