#!/usr/bin/python3
"""Compares vsh with stock virsh on libvirt's in-process test driver.

Each case is one command line, run once as `virsh -c test:///default ...`
and once as `vsh -c test:///default ...` from tests/data/vsh (so relative
file names print the same). stdout, stderr and the exit status must be
identical; the only masked value is dominfo's "CPU time:" (it derives from
the wall clock). Output is TAP, one line per case.

usage: vsh-virsh-compare.py VSH [VIRSH]
"""
import concurrent.futures
import os
import re
import subprocess
import sys

URI = 'test:///default'

# A case is a string (one argument: a ';'-separated command line, virsh's
# shell-like tokenizer) or a list (separate argv words, one command).
CASES = [
    # domains: queries
    'list',
    'list --all',
    'list --inactive',
    'list --name --all',
    'list --uuid',
    'list --state-running; list --state-paused; list --state-shutoff',
    'define dom-alpha.xml; define dom-beta.xml; list --all; list --name --uuid --id --all; '
    'list --id --all; list --title --all; list --persistent; list --state-shutoff',
    'dominfo test; dominfo 1; dominfo 6695eb01-f6a4-8304-79aa-97f2502e193f',
    'domstate test; domstate test --reason; domstate --reason --domain=test',
    'domid test; domid 6695eb01-f6a4-8304-79aa-97f2502e193f; domid 1',
    'domuuid test; domuuid 1; domname 1; domname 6695eb01-f6a4-8304-79aa-97f2502e193f; domname test',
    'dumpxml test; dumpxml --inactive test',
    # domains: lifecycle sequences
    'list --all; define dom-alpha.xml; start alpha; dominfo alpha; suspend alpha; '
    'domstate alpha --reason; resume alpha; domstate alpha --reason; destroy alpha; '
    'domstate alpha --reason; undefine alpha; list --all',
    'define dom-alpha.xml; domid alpha; start alpha; domid alpha; shutdown alpha; '
    'domstate --reason alpha; start --paused alpha; domstate --reason alpha; reboot alpha; '
    'destroy alpha; dominfo alpha',
    'define dom-beta.xml; autostart Beta; dominfo Beta; list --all --autostart; '
    'autostart --disable Beta; list --all --no-autostart; undefine Beta',
    'create dom-alpha.xml; list; dumpxml alpha; destroy alpha; list --all',
    'define dom-alpha.xml; start alpha; undefine alpha; list --all; destroy alpha; list --all',
    # domains: errors
    'dominfo nosuch',
    'start test',
    'destroy nosuch; domid test',
    'define dom-alpha.xml; destroy alpha',
    'suspend test; suspend test',
    'resume test',
    'define dom-alpha.xml; shutdown alpha; reboot alpha',
    'define dom-bad.xml',
    'define not-xml.xml',
    'create missing-file.xml',
    'undefine nosuch; autostart nosuch; dumpxml nosuch',
    # parser and shell errors
    'bogus',
    'list; bogus',
    'list --bogus',
    'dominfo',
    'dominfo test extra',
    'list --all=yes',
    'domstate --domain',
    'domid "test',
    'domid te\\',
    "domid 'test",
    'domid test; dominfo nosuch; domid test',
    ' ; ; domid test',
    'list --table --name',
    'list --uuid --table',
    'quit; list',
    'help bogus',
    ['list', '--all'],
    ['dominfo', 'test'],
    ['list', ';', 'domid', 'test'],
    ['-q', 'list --all; domid test; dominfo nosuch'],
    ['-r', 'suspend test; domstate test'],
    # networks
    'net-list; net-list --all; net-list --inactive; net-list --name --all; net-list --uuid --all',
    'net-info default; net-dumpxml default',
    'net-define net-n1.xml; net-list --all; net-info n1; net-start n1; net-start n1; '
    'net-autostart n1; net-list; net-autostart n1 --disable; net-dumpxml n1; net-destroy n1; '
    'net-undefine n1; net-list --all',
    'net-info nosuch; net-start nosuch',
    'net-undefine default; net-destroy default; net-list --all',
    'net-list --name --uuid',
    'net-define dom-bad.xml',
    # storage pools and volumes
    'pool-list; pool-list --all; pool-list --details; pool-list --name; pool-list --uuid',
    'pool-info default-pool; pool-info default-pool --bytes; pool-dumpxml default-pool',
    'pool-define pool-p1.xml; pool-list --all; pool-list --all --details; pool-info p1; '
    'pool-start p1; pool-list --details; pool-dumpxml p1; pool-destroy p1; pool-destroy p1; '
    'pool-undefine p1; pool-list --all',
    'pool-info nosuch; pool-start default-pool; pool-undefine default-pool',
    'pool-list --details --name',
    'vol-list default-pool; vol-create-as default-pool v1 10M; '
    'vol-create-as default-pool v2 1G --format qcow2 --allocation 512K; vol-list default-pool; '
    'vol-list default-pool --details; vol-info v1 --pool default-pool; '
    'vol-info v2 default-pool --bytes; vol-dumpxml v1 --pool default-pool; '
    'vol-delete v1 --pool default-pool; vol-list default-pool',
    'vol-create-as default-pool v1 5G --print-xml --format qcow2 --allocation 0',
    'vol-create-as default-pool v1 10X; vol-create-as default-pool v1 abc',
    'vol-create-as default-pool v1 20000000E',
    'vol-create-as default-pool v1 1M; vol-create-as default-pool v1 1M',
    'vol-info nosuch; vol-info nosuch --pool default-pool; vol-list nosuch',
    'vol-delete nosuch --pool default-pool; vol-dumpxml nosuch',
    # title, description, metadata (--edit runs tests/data/vsh/editor.sh)
    'desc test; desc test --title; desc test hello  world; desc test; '
    'desc test --title "my  title"; desc --title test; desc test --config; '
    'desc test --live --config',
    'desc test --config new cfg; desc test --config; desc test; desc --title --config test; '
    'desc test ""; desc test --title ""; desc test --current --live; desc nosuch',
    'desc test --title "a\nb"; desc test --live --config both; desc test --config',
    'metadata test http://x/; metadata test http://x/ --set "<a/>"',
    'metadata test http://x/ --key k --set "<a><b/></a>"; metadata test http://x/; '
    'metadata test http://x/ --config; metadata test http://x/ --live; dumpxml test; '
    'metadata test http://x/ --remove; metadata test http://x/ --remove; '
    'metadata test http://x/; dumpxml test',
    'metadata test http://x/ --key k --set "<a"',
    'metadata test http://x/ --key k --set "<a/>" --remove',
    'metadata test http://x/ --edit --set "<a/>"; metadata test http://x/ --edit --remove',
    'metadata test http://x/ --key "" --set "<a/>"; metadata test "" --key k; '
    'metadata test http://x/ --key k --set ""',
    'metadata test --key k --set "<a/>"',
    'metadata nosuch http://x/; metadata test http://x/ --key 1k --set "<a/>"; '
    'metadata test http://x/ --live --config; metadata test http://x/ --current --config',
    'metadata test http://x/ k "<a/>"; metadata test http://x/ --key k2 --set "<b/>" --config; '
    'metadata test http://x/ --config; dumpxml --inactive test',
    'define dom-meta.xml; dumpxml meta; desc meta; desc meta --title; '
    'metadata meta http://openstack.org/xmlns/libvirt/nova/1.1; '
    'metadata meta http://libosinfo.org/xmlns/libvirt/domain/1.0',
    'define dom-alpha.xml; metadata alpha http://x/ --live; desc alpha --live; desc alpha new; '
    'start alpha; desc alpha; desc alpha --config; desc alpha --live running; '
    'dumpxml alpha; destroy alpha; desc alpha',
    'metadata test http://x/ --key k --edit; metadata test http://x/; '
    'metadata test http://x/ --key k --edit; metadata test http://x/ --edit',
    'desc test --edit; desc test; desc test --title --edit; desc test --title; '
    'desc test --title --edit',
    ['-q', 'desc test hi; desc test --title; metadata test http://x/ --key k --set "<a/>"; '
     'metadata test http://x/ --remove'],
    # host
    'nodeinfo',
    'capabilities',
    'uri; hostname',
    'event --list',
    'event --all --timeout 1',
    'event --event lifecycle --timeout 1',
    'event',
]

CPU_TIME = re.compile(r'^(CPU time:\s+)\S+$', re.M)


def run(prog, case, cwd):
    argv = [prog]
    words = list(case) if isinstance(case, list) else [case]
    # global options of a list case come first
    while words and words[0].startswith('-') and len(words) > 1 and words[0] in ('-q', '-r'):
        argv.append(words.pop(0))
    argv += ['-c', URI] + words
    env = dict(os.environ, LC_ALL='C', EDITOR=os.path.join(cwd, 'editor.sh'))
    env.pop('VISUAL', None)
    env.pop('VIREO_DEFAULT_URI', None)
    env.pop('LIBVIRT_DEFAULT_URI', None)
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=30)
    out = CPU_TIME.sub(r'\1<masked>', proc.stdout.decode('utf-8', 'replace'))
    return out, proc.stderr.decode('utf-8', 'replace'), proc.returncode


def diff(label, a, b):
    import difflib
    lines = difflib.unified_diff(a.splitlines(True), b.splitlines(True), 'virsh ' + label,
                                 'vsh ' + label)
    return ''.join('# ' + line if line.endswith('\n') else '# ' + line + '\n'
                   for line in lines)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    vsh = os.path.abspath(sys.argv[1])
    virsh = sys.argv[2] if len(sys.argv) > 2 else '/usr/bin/virsh'
    src = os.environ.get('VIREO_SOURCE_ROOT',
                         os.path.join(os.path.dirname(__file__), '..', '..'))
    cwd = os.path.join(src, 'tests', 'data', 'vsh')
    if not os.path.exists(virsh):
        print('1..0 # SKIP stock virsh not installed')
        return 77
    print('1..%d' % len(CASES))
    failed = 0
    # every run is its own process with its own test driver state, so the
    # cases run side by side
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        wants = [pool.submit(run, virsh, case, cwd) for case in CASES]
        gots = [pool.submit(run, vsh, case, cwd) for case in CASES]
    for n, case in enumerate(CASES, 1):
        want = wants[n - 1].result()
        got = gots[n - 1].result()
        title = case if isinstance(case, str) else ' '.join(case)
        if want == got:
            print('ok %d - %s' % (n, title))
            continue
        failed += 1
        print('not ok %d - %s' % (n, title))
        if want[2] != got[2]:
            print('# exit status: virsh %d, vsh %d' % (want[2], got[2]))
        sys.stdout.write(diff('stdout', want[0], got[0]))
        sys.stdout.write(diff('stderr', want[1], got[1]))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
