#!/usr/bin/env python3
"""gen-remote-client.py: generates the remote driver's client stubs.

Usage: gen-remote-client.py INPUT.def OUT.h OUT.c

Reads the same procedure description as gen-protocol.py (whose parser it
loads as a module) and turns every "call ptr|int|bool|list TABLE.ENTRY(...)"
line into the client side of that entry: fill the procedure's args struct
from the entry's parameters, send the call, decode the ret struct and hand
the result back in the entry's shape.

Several procedures may serve one entry, some with literal arguments
(DOMAIN_DESTROY is domain.destroy(dom, 0), DOMAIN_DESTROY_FLAGS is
domain.destroy(dom, flags)). The generated entry sends the procedure whose
literals equal the caller's values (what libvirt clients send for the same
call) and otherwise the procedure carrying every parameter. An entry that
no procedure serves in full is not generated; its procedures get a caller
core_remote_proc_<name>() and the hand-written code completes the entry (as
it does for the "call custom" procedures and for LOCAL_ENTRIES).

Output: core_remote_<table>_<entry>() per generated entry, and per table a
macro CORE_REMOTE_GEN_<TABLE>_OPS with the designated initializers of the
generated entries, for the tables in core-remote-driver.c.
"""

import importlib.util
import os
import re
import sys

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('gen_protocol',
                                               os.path.join(_here, 'gen-protocol.py'))
gp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gp)

# C parameter type of an entry parameter carried by an args field of @base
PARAM_TYPES = {
    'int': 'int', 'uint': 'guint', 'hyper': 'gint64', 'uhyper': 'guint64',
    'double': 'double', 'string': 'const char *', 'ostring': 'const char *',
    'uuid': 'const guint8 *',
    'domain': 'const CoreDomainRef *', 'odomain': 'const CoreDomainRef *',
    'network': 'const CoreNetworkRef *', 'onetwork': 'const CoreNetworkRef *',
    'pool': 'const CorePoolRef *', 'opool': 'const CorePoolRef *',
    'vol': 'const CoreVolRef *',
}

# C type of an out parameter (pointer to it) for a ret field of @base
OUT_TYPES = {
    'int': 'int', 'uint': 'guint', 'hyper': 'gint64', 'uhyper': 'guint64', 'double': 'double',
}

RESERVED = {'conn', 'error', 'in', 'out', 'res', 'list'}

# Entries the client answers by itself although a procedure exists: the URI
# of a connection opened with a URI is the one the application gave
# ("test+unix:///default?socket=..."), as libvirt's remote client answers
# virConnectGetURI from its cache instead of calling CONNECT_GET_URI.
LOCAL_ENTRIES = {('host', 'get_uri')}


class Entry:
    def __init__(self, table, name):
        self.table = table
        self.name = name
        self.procs = []  # Proc with a driver call


def is_literal(a):
    return re.fullmatch(r'-?\d+', a) is not None


def ptr_space(ctype):
    return ctype if ctype.endswith('*') else ctype + ' '


def fields_of(fields):
    return dict((n, t) for t, n in (fields or []))


def collect(d):
    entries = {}
    for num in sorted(d.procs):
        p = d.procs[num]
        if p.kind != 'proc' or p.call[0] not in ('ptr', 'int', 'bool', 'list'):
            continue
        _, table, entry, _, _ = p.call
        key = (table, entry)
        if key in LOCAL_ENTRIES:
            continue
        if key not in entries:
            entries[key] = Entry(table, entry)
        entries[key].procs.append(p)
    return entries


def general_proc(e):
    for p in e.procs:
        if not any(is_literal(a) for a in p.call[3]):
            return p
    return None


def params(e, model):
    """[(ctype, name)] of the entry's parameters, as @model's call sees them."""
    kind, _, _, args, _ = model.call
    argf = fields_of(model.args)
    retf = fields_of(model.ret)
    out = []
    for i, a in enumerate(args):
        if a.startswith('&'):
            t = retf[a[1:]]
            if t.base not in OUT_TYPES or t.array_max is not None:
                raise SystemExit('%s: out parameter %s has no C type' % (model.name, a))
            out.append((OUT_TYPES[t.base] + ' *', 'ret_' + a[1:]))
        elif is_literal(a):
            out.append(('int' if a.startswith('-') else 'guint', 'arg%d' % i))
        else:
            t = argf[a]
            if t.base not in PARAM_TYPES or t.array_max is not None:
                raise SystemExit('%s: parameter %s has no C type' % (model.name, a))
            out.append((PARAM_TYPES[t.base], a))
    for _, n in out:
        if n in RESERVED:
            raise SystemExit('%s: parameter name %s collides with a local' % (model.name, n))
    return out


def result_type(p):
    kind, _, _, _, field = p.call
    if kind == 'bool':
        return 'gboolean', 'FALSE'
    if kind == 'int':
        return 'int', '-1'
    if kind == 'list':
        return 'GPtrArray *', 'NULL'
    t = fields_of(p.ret)[field]
    # NULL means failure for ptr entries: an optional result could not say
    # "nothing" on success
    if t.base == 'string':
        return 'char *', 'NULL'
    if t.base in gp.HANDLES and not gp.HANDLES[t.base][2]:
        return gp.HANDLES[t.base][0] + ' *', 'NULL'
    raise SystemExit('%s: result field %s has no C type' % (p.name, field))


def proto(name, rtype, plist):
    ps = ['gpointer conn'] + ['%s%s' % (ptr_space(c), n) for c, n in plist] + ['GError **error']
    return '%s%s(%s)' % (ptr_space(rtype), name, ', '.join(ps))


def definition(name, rtype, plist, static):
    ps = ['gpointer conn'] + ['%s%s' % (ptr_space(c), n) for c, n in plist] + ['GError **error']
    return [('static ' if static else '') + rtype, '%s(%s)' % (name, ', '.join(ps))]


def proc_body(p, plist):
    """Statements calling @p with the entry parameters @plist."""
    kind, _, _, args, field = p.call
    cname = 'CoreRpc' + gp.camel(p.name)
    prefix = 'core_rpc_' + p.name.lower()
    rtype, fail = result_type(p)
    argf = fields_of(p.args)
    retf = fields_of(p.ret)
    out = []
    if p.args:
        out.append('    %sArgs in = { 0 };' % cname)
    if p.ret:
        out.append('    %sRet out = { 0 };' % cname)
    if kind in ('ptr', 'int'):
        out.append('    %sres;' % ptr_space(rtype))
    if kind == 'list':
        out.append('    GPtrArray *list;')
    out.append('')
    for i, a in enumerate(args):
        pname = plist[i][1]
        if a.startswith('&') or is_literal(a):
            continue
        t = argf[a]
        if t.base == 'uuid':
            out.append('    memcpy(in.%s, %s, CORE_UUID_LEN);' % (a, pname))
        elif t.base in ('string', 'ostring'):
            out.append('    in.%s = (char *)%s;' % (a, pname))
        elif t.base in gp.HANDLES:
            out.append('    in.%s = (%s *)%s;' % (a, gp.HANDLES[t.base][0], pname))
        else:
            out.append('    in.%s = %s;' % (a, pname))
    if kind == 'list':
        out.append('    in.need_results = 1;')
    out += ['    if (!core_remote_invoke(conn, %d, %s, %s, error))' %
            (p.number, '&in' if p.args else 'NULL', '&out' if p.ret else 'NULL'),
            '        return %s;' % fail]
    if kind == 'ptr':
        out += ['    res = g_steal_pointer(&out.%s);' % field]
    elif kind == 'int':
        out += ['    res = out.%s;' % field]
    elif kind == 'list':
        free = gp.HANDLES[retf[field].base][1]
        out += ['    list = g_ptr_array_new_full(out.%s_len, (GDestroyNotify)%s);' % (field, free),
                '    for (guint i = 0; i < out.%s_len; i++)' % field,
                '        g_ptr_array_add(list, g_steal_pointer(&out.%s[i]));' % field]
    for i, a in enumerate(args):
        if a.startswith('&'):
            out.append('    *%s = out.%s;' % (plist[i][1], a[1:]))
    if p.ret:
        out.append('    %s_ret_clear(&out);' % prefix)
    out.append('    return %s;' % {'ptr': 'res', 'int': 'res', 'bool': 'TRUE',
                                   'list': 'list'}[kind])
    return out


def literal_test(p, plist):
    conds = ['%s == %s' % (plist[i][1], a) for i, a in enumerate(p.call[3]) if is_literal(a)]
    return ' && '.join(conds)


def generate(d, base):
    entries = collect(d)
    h = ['/* Generated by gen-remote-client.py from %s. Do not edit. */' % base,
         '#pragma once', '', '#include "core-remote-priv.h"', '', 'G_BEGIN_DECLS', '']
    c = ['/* Generated by gen-remote-client.py from %s. Do not edit. */' % base,
         '#include "core-remote-stubs.h"', '', '#include <string.h>', '',
         '#include "core-rpc-protocol.h"', '']
    macros = dict((t, []) for t in gp.TABLES)
    for key in sorted(entries, key=lambda k: (list(gp.TABLES).index(k[0]), k[1])):
        e = entries[key]
        general = general_proc(e)
        if general is None:
            # completed by hand: one caller per procedure
            for p in e.procs:
                plist = params(e, p)
                rtype, _ = result_type(p)
                name = 'core_remote_proc_%s' % p.name.lower()
                h += ['/* %s as %s.%s(%s) */' % (p.name, e.table, e.name, ', '.join(p.call[3])),
                      proto(name, rtype, plist) + ';']
                c += definition(name, rtype, plist, False) + ['{'] + proc_body(p, plist) + \
                    ['}', '']
            continue
        plist = params(e, general)
        rtype, _ = result_type(general)
        name = 'core_remote_%s_%s' % (e.table, e.name)
        h.append(proto(name, rtype, plist) + ';')
        macros[e.table].append('.%s = %s,' % (e.name, name))
        specials = [p for p in e.procs if p is not general and
                    any(is_literal(a) for a in p.call[3])]
        for p in specials:
            pname = 'call_%s' % p.name.lower()
            c += definition(pname, rtype, plist, True) + ['{'] + proc_body(p, plist) + ['}', '']
        c += definition(name, rtype, plist, False) + ['{']
        for p in specials:
            args = ', '.join(['conn'] + [n for _, n in plist] + ['error'])
            c += ['    /* %s: %s */' % (literal_test(p, plist), p.name),
                  '    if (%s)' % literal_test(p, plist),
                  '        return call_%s(%s);' % (p.name.lower(), args)]
        body = proc_body(general, plist)
        if specials:
            # the general call's locals go into their own block after the tests
            body = ['    {'] + [('    ' + x) if x else '' for x in body] + ['    }']
        c += body + ['}', '']
    h.append('')
    for table in gp.TABLES:
        lines = macros[table]
        h.append('/* The generated entries of %s. */' % gp.TABLES[table])
        if not lines:
            h += ['#define CORE_REMOTE_GEN_%s_OPS' % table.upper(), '']
            continue
        h.append('#define CORE_REMOTE_GEN_%s_OPS \\' % table.upper())
        for i, line in enumerate(lines):
            h.append('    %s%s' % (line, ' \\' if i + 1 < len(lines) else ''))
        h.append('')
    h += ['G_END_DECLS', '']
    return '\n'.join(h), '\n'.join(c)


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    src, out_h, out_c = argv[1:]
    d = gp.parse(src)
    header, source = generate(d, os.path.basename(src))
    with open(out_h, 'w', encoding='utf-8') as f:
        f.write(header)
    with open(out_c, 'w', encoding='utf-8') as f:
        f.write(source)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
