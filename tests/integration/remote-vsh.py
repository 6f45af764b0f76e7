#!/usr/bin/python3
"""vsh and stock virsh through vireo-proxyd, side by side.

Starts vireo-proxyd under a temporary --root and runs each command line
once as `virsh -c test+unix:///default?socket=SOCK ...` and once as
`vsh -c ...` with the same URI, so vsh goes through libvireo's remote
driver and virsh through libvirt's. stdout, stderr and the exit status
must be identical; dominfo's "CPU time:" is masked (wall clock). A few
extra checks cover what only vsh does (VIREO_ROOT socket resolution, the
error when no daemon listens), and `event --loop` of both tools must print
the same events for the same changes. Output is TAP.

The daemon's test:///default state lives while a connection is open and
changes with every case, so virsh and vsh each get their own daemon, held
open by a background `virsh event --loop` connection, and run the same
cases in the same order: both daemons then go through the same history
(domain IDs included). The cases are split into a few groups, each with
its own pair of daemons, run side by side; the socket path in the output
is shown as SOCK.

usage: remote-vsh.py VSH PROXYD [VIRSH]
"""
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

CASES = [
    # domains
    'list',
    'list --all',
    'list --inactive; list --name --all; list --uuid',
    'dominfo test; dominfo 1; dominfo 6695eb01-f6a4-8304-79aa-97f2502e193f',
    'domstate test; domstate test --reason',
    'domid test; domuuid test; domname 1',
    'dumpxml test; dumpxml --inactive test',
    'list --all; define dom-alpha.xml; start alpha; dominfo alpha; suspend alpha; '
    'domstate alpha --reason; resume alpha; domstate alpha --reason; destroy alpha; '
    'domstate alpha --reason; undefine alpha; list --all',
    'define dom-beta.xml; autostart Beta; dominfo Beta; list --all --autostart; '
    'autostart --disable Beta; list --all --no-autostart; undefine Beta',
    'create dom-alpha.xml; list; dumpxml alpha; destroy alpha; list --all',
    'define dom-alpha.xml; start alpha; undefine alpha; list --all; destroy alpha; list --all',
    'define dom-alpha.xml; start --paused alpha; domstate --reason alpha; destroy alpha; '
    'undefine alpha',
    # domains: errors, as the server words them
    'dominfo nosuch',
    'start test',
    'destroy nosuch; domid test',
    'suspend test; suspend test; resume test',
    'resume test',
    'define dom-bad.xml',
    'define not-xml.xml',
    'undefine nosuch; autostart nosuch; dumpxml nosuch',
    ['-r', 'suspend test; domstate test'],
    # networks
    'net-list; net-list --all; net-list --inactive; net-list --name --all; net-list --uuid --all',
    'net-info default; net-dumpxml default',
    'net-define net-n1.xml; net-list --all; net-info n1; net-start n1; net-start n1; '
    'net-autostart n1; net-list; net-autostart n1 --disable; net-dumpxml n1; net-destroy n1; '
    'net-undefine n1; net-list --all',
    'net-info nosuch; net-start nosuch',
    # storage pools and volumes
    'pool-list; pool-list --all; pool-list --details; pool-list --name; pool-list --uuid',
    'pool-info default-pool; pool-info default-pool --bytes; pool-dumpxml default-pool',
    'pool-define pool-p1.xml; pool-list --all; pool-list --all --details; pool-info p1; '
    'pool-start p1; pool-list --details; pool-dumpxml p1; pool-destroy p1; pool-destroy p1; '
    'pool-undefine p1; pool-list --all',
    'pool-info nosuch; pool-start default-pool; pool-undefine default-pool',
    'vol-list default-pool; vol-create-as default-pool v1 10M; '
    'vol-create-as default-pool v2 1G --format qcow2 --allocation 512K; vol-list default-pool; '
    'vol-list default-pool --details; vol-info v1 --pool default-pool; '
    'vol-info v2 default-pool --bytes; vol-dumpxml v1 --pool default-pool; '
    'vol-delete v1 --pool default-pool; vol-delete v2 --pool default-pool; '
    'vol-list default-pool',
    'vol-create-as default-pool v1 1M; vol-create-as default-pool v1 1M; '
    'vol-delete v1 --pool default-pool',
    'vol-info nosuch --pool default-pool; vol-list nosuch',
    # host and events
    'nodeinfo',
    'capabilities',
    'uri; hostname',
    'event --list',
    'event --all --timeout 1',
    'event --event lifecycle --timeout 1',
]

CPU_TIME = re.compile(r'^(CPU time:\s+)\S+$', re.M)


def env_for(extra=None):
    env = dict(os.environ, LC_ALL='C')
    for name in ('VIREO_DEFAULT_URI', 'LIBVIRT_DEFAULT_URI', 'VIREO_ROOT'):
        env.pop(name, None)
    env.update(extra or {})
    return env


def run(prog, uri, case, cwd, extra_env=None, sock=None):
    argv = [prog]
    words = list(case) if isinstance(case, list) else [case]
    while len(words) > 1 and words[0] in ('-q', '-r'):
        argv.append(words.pop(0))
    argv += ['-c', uri] + words
    proc = subprocess.run(argv, cwd=cwd, env=env_for(extra_env), capture_output=True,
                          timeout=60)
    out = CPU_TIME.sub(r'\1<masked>', proc.stdout.decode('utf-8', 'replace'))
    err = proc.stderr.decode('utf-8', 'replace')
    if sock:
        out, err = out.replace(sock, 'SOCK'), err.replace(sock, 'SOCK')
    return out, err, proc.returncode


def diff(label, a, b):
    import difflib
    lines = difflib.unified_diff(a.splitlines(True), b.splitlines(True), 'virsh ' + label,
                                 'vsh ' + label)
    return ''.join('# ' + line if line.endswith('\n') else '# ' + line + '\n'
                   for line in lines)


def wait_for(path, proc, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


class Daemon:
    """vireo-proxyd under its own --root, held open by a virsh connection."""

    def __init__(self, proxyd, virsh, root):
        self.root = root
        os.makedirs(root)
        self.sock = os.path.join(root, 'run', 'vireo', 'proxyd-sock')
        self.uri = 'test+unix:///default?socket=' + self.sock
        self.log = open(os.path.join(root, 'proxyd.log'), 'w')
        self.proc = subprocess.Popen([proxyd, '--root', root], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env_for())
        self.holder = None
        if wait_for(self.sock, self.proc):
            self.holder = subprocess.Popen([virsh, '-c', self.uri, 'event', '--all', '--loop'],
                                           stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, env=env_for())

    def ready(self):
        return self.holder is not None

    def stop(self):
        for p in (self.holder, self.proc):
            if p and p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.log.close()


class Tap:
    def __init__(self, total):
        self.n = 0
        self.failed = 0
        print('1..%d' % total, flush=True)

    def check(self, ok, title, details=''):
        self.n += 1
        if not ok:
            self.failed += 1
        print('%s %d - %s' % ('ok' if ok else 'not ok', self.n, title))
        if not ok and details:
            sys.stdout.write(details)
        sys.stdout.flush()


def run_series(prog, daemon, cases, cwd):
    return [run(prog, daemon.uri, case, cwd, sock=daemon.sock) for case in cases]


def extra_checks(tap, vsh, daemon, cwd):
    root = daemon.root
    # no ?socket=: VIREO_ROOT finds the proxy's socket (test -> proxyd)
    out, err, rc = run(vsh, 'test+unix:///default', 'domstate test', cwd,
                       {'VIREO_ROOT': root})
    tap.check(rc == 0 and out.strip() == 'running', 'VIREO_ROOT resolves proxyd-sock',
              '# rc %d out %r err %r\n' % (rc, out, err))
    # read-only: the -sock-ro socket, writes denied
    out, err, rc = run(vsh, 'test+unix:///default', ['-r', 'suspend test'], cwd,
                       {'VIREO_ROOT': root})
    tap.check(rc == 1 and ('read only' in err.lower() or 'denied' in err.lower()),
              'VIREO_ROOT read-only open is denied writes', '# rc %d err %r\n' % (rc, err))
    # nothing listens: the error names the socket
    missing = os.path.join(root, 'nowhere-sock')
    out, err, rc = run(vsh, 'test+unix:///default?socket=' + missing, 'list', cwd)
    tap.check(rc == 1 and missing in err, 'no daemon: the error names the socket',
              '# rc %d err %r\n' % (rc, err))


EVENT_CHANGES = ('define dom-alpha.xml; start alpha; suspend alpha; resume alpha; '
                 'destroy alpha; undefine alpha')


def event_check(tap, vsh, virsh, pair, cwd):
    """`event --all --loop` of each tool on its daemon sees the same events."""
    listeners = []
    for prog, daemon in zip((virsh, vsh), pair):
        argv = [prog, '-c', daemon.uri, 'event', '--all', '--loop', '--timeout', '8']
        listeners.append(subprocess.Popen(argv, cwd=cwd, env=env_for(),
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    # time for both to register before anything changes
    time.sleep(3)
    for daemon in pair:
        run(virsh, daemon.uri, EVENT_CHANGES, cwd)
    outs = []
    for p in listeners:
        out, err = p.communicate(timeout=30)
        outs.append((out.decode(), err.decode(), p.returncode))
    ok = outs[0] == outs[1] and outs[0][0].count("for domain 'alpha'") == 6
    tap.check(ok, 'events through the daemon: ' + EVENT_CHANGES,
              diff('stdout', outs[0][0], outs[1][0]) + diff('stderr', outs[0][1], outs[1][1]))


GROUPS = 4


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    vsh = os.path.abspath(sys.argv[1])
    proxyd = os.path.abspath(sys.argv[2])
    virsh = sys.argv[3] if len(sys.argv) > 3 else '/usr/bin/virsh'
    src = os.environ.get('VIREO_SOURCE_ROOT',
                         os.path.join(os.path.dirname(__file__), '..', '..'))
    cwd = os.path.join(src, 'tests', 'data', 'vsh')
    if not os.path.exists(virsh):
        print('1..0 # SKIP stock virsh not installed')
        return 77
    top = tempfile.mkdtemp(prefix='vireo-remote-vsh-')
    daemons = []
    try:
        groups = [list(range(g, len(CASES), GROUPS)) for g in range(GROUPS)]
        pairs = []
        for g in range(GROUPS):
            pair = (Daemon(proxyd, virsh, os.path.join(top, 'g%d-virsh' % g)),
                    Daemon(proxyd, virsh, os.path.join(top, 'g%d-vsh' % g)))
            daemons += pair
            pairs.append(pair)
        if not all(d.ready() for d in daemons):
            print('1..0 # SKIP vireo-proxyd did not start')
            return 77
        results = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=2 * GROUPS) as pool:
            futures = {}
            for g, (dv, dn) in enumerate(pairs):
                cases = [CASES[i] for i in groups[g]]
                futures[(g, 'virsh')] = pool.submit(run_series, virsh, dv, cases, cwd)
                futures[(g, 'vsh')] = pool.submit(run_series, vsh, dn, cases, cwd)
            for g in range(GROUPS):
                wants = futures[(g, 'virsh')].result()
                gots = futures[(g, 'vsh')].result()
                for i, want, got in zip(groups[g], wants, gots):
                    results[i] = (want, got)
        tap = Tap(len(CASES) + 4)
        for i, case in enumerate(CASES):
            want, got = results[i]
            title = case if isinstance(case, str) else ' '.join(case)
            details = ''
            if want[2] != got[2]:
                details += '# exit status: virsh %d, vsh %d\n' % (want[2], got[2])
            details += diff('stdout', want[0], got[0]) + diff('stderr', want[1], got[1])
            tap.check(want == got, title, details)
        extra_checks(tap, vsh, pairs[0][1], cwd)
        event_check(tap, vsh, virsh, pairs[1], cwd)
        return 1 if tap.failed else 0
    finally:
        for d in daemons:
            d.stop()
        shutil.rmtree(top, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
