#!/usr/bin/env python3
"""gen-protocol.py: generates the C protocol code from a procedure description.

Usage: gen-protocol.py INPUT.def OUT.h OUT.c

The description format is documented at the top of remote-procs.def. The
output is deterministic (a golden test compares it byte for byte).
"""

import os
import re
import sys

# name -> (C type, put function, get function, minimum wire size)
SCALARS = {
    'int': ('gint32', 'core_xdr_put_int', 'core_xdr_get_int', 4),
    'uint': ('guint32', 'core_xdr_put_uint', 'core_xdr_get_uint', 4),
    'hyper': ('gint64', 'core_xdr_put_hyper', 'core_xdr_get_hyper', 8),
    'uhyper': ('guint64', 'core_xdr_put_uhyper', 'core_xdr_get_uhyper', 8),
    'double': ('double', 'core_xdr_put_double', 'core_xdr_get_double', 8),
}

# handle name -> (C struct type, free function, optional?)
HANDLES = {
    'domain': ('CoreDomainRef', 'core_domain_ref_free', False),
    'odomain': ('CoreDomainRef', 'core_domain_ref_free', True),
    'network': ('CoreNetworkRef', 'core_network_ref_free', False),
    'onetwork': ('CoreNetworkRef', 'core_network_ref_free', True),
    'pool': ('CorePoolRef', 'core_pool_ref_free', False),
    'opool': ('CorePoolRef', 'core_pool_ref_free', True),
    'vol': ('CoreVolRef', 'core_vol_ref_free', False),
}

TABLES = {
    'host': 'CoreHostOps',
    'domain': 'CoreDomainOps',
    'network': 'CoreNetworkOps',
    'storage': 'CoreStorageOps',
}

# Words whose spelling in libvirt's public API names is not plain Capitalized.
API_WORDS = {
    'XML': 'XML', 'UUID': 'UUID', 'URI': 'URI', 'ID': 'ID', 'CPU': 'CPU', 'NMI': 'NMI',
    'SCSI': 'SCSI', 'WWN': 'WWN', 'OS': 'OS', 'DHCP': 'DHCP', 'PM': 'PM',
    'FSTRIM': 'FSTrim', 'FSFREEZE': 'FSFreeze', 'FSTHAW': 'FSThaw', 'FSINFO': 'FSInfo',
    'IOTHREAD': 'IOThread', 'NWFILTER': 'NWFilter', 'NWFILTERS': 'NWFilters',
    'SEV': 'SEV', 'MAC': 'MAC',
}

# Error origins (virErrorDomain) of the public API families.
FROM_RULES = [
    ('NWFILTER', 33), ('NODE_DEVICE', 22), ('SECRET', 30), ('STORAGE', 18),
    ('NETWORK', 19), ('DOMAIN', 20),
]

FLAG_NAMES = {
    'ro': 'CORE_RPC_PROC_READONLY',
    'inline': 'CORE_RPC_PROC_INLINE',
    'noconn': 'CORE_RPC_PROC_NOCONN',
    'fds': 'CORE_RPC_PROC_FDS',
    'worker': 'CORE_RPC_PROC_WORKER',
}


class DefError(Exception):
    pass


def camel(name):
    return ''.join(p.capitalize() for p in name.lower().split('_'))


def api_name(name):
    return 'vir' + ''.join(API_WORDS.get(p, p.capitalize()) for p in name.split('_'))


def from_of(name):
    if 'INTERFACE' in name and 'DOMAIN_INTERFACE' not in name:
        return 26
    for word, num in FROM_RULES:
        if word in name:
            return num
    return 0


class Type:
    """A field type: base (scalar, string, handle, struct ...) plus array info."""

    def __init__(self, text, structs):
        self.text = text
        self.array_max = None
        m = re.fullmatch(r'(\w+)(?:<(\d+)>|\[(\d+)\])?', text)
        if not m:
            raise DefError('bad type %r' % text)
        base, vmax, fixed = m.group(1), m.group(2), m.group(3)
        self.max = int(vmax) if vmax else None
        self.fixed = int(fixed) if fixed else None
        if base in ('opaque', 'chars'):
            if self.max is None:
                raise DefError('%s needs <MAX>' % base)
        elif base == 'char':
            if self.fixed is None:
                raise DefError('char needs [N]')
        elif self.fixed is not None:
            raise DefError('fixed arrays exist only for char: %r' % text)
        elif self.max is not None:
            self.array_max, self.max = self.max, None
        if base not in SCALARS and base not in HANDLES and base not in structs and \
                base not in ('string', 'ostring', 'uuid', 'typed_param', 'opaque', 'chars',
                             'char'):
            raise DefError('unknown type %r' % base)
        self.base = base
        self.struct = structs.get(base)

    # element-level helpers ------------------------------------------------
    def elem_ctype(self):
        b = self.base
        if b in SCALARS:
            return SCALARS[b][0]
        if b in ('string', 'ostring'):
            return 'char *'
        if b in HANDLES:
            return HANDLES[b][0] + ' *'
        if b == 'typed_param':
            return 'CoreTypedParam'
        if self.struct:
            return self.struct.ctype
        raise DefError('no element type for %r' % self.text)

    def elem_minsize(self):
        b = self.base
        if b in SCALARS:
            return SCALARS[b][3]
        return 4

    def elem_put(self, expr):
        """Encode call for one element held in lvalue @expr."""
        b = self.base
        if b in SCALARS:
            return '%s(w, %s, error)' % (SCALARS[b][1], expr)
        if b == 'string':
            return 'core_xdr_put_string(w, %s, error)' % expr
        if b == 'ostring':
            return 'core_xdr_put_ostring(w, %s, error)' % expr
        if b in HANDLES:
            return 'core_rpc_put_%s(w, %s, error)' % (b, expr)
        if b == 'typed_param':
            return 'core_rpc_put_typed_param(w, &%s, error)' % expr
        return '%s_encode(w, &%s, error)' % (self.struct.prefix, expr)

    def elem_get(self, expr):
        b = self.base
        if b in SCALARS:
            return '%s(r, &%s, error)' % (SCALARS[b][2], expr)
        if b == 'string':
            return 'core_xdr_get_string(r, &%s, error)' % expr
        if b == 'ostring':
            return 'core_xdr_get_ostring(r, &%s, error)' % expr
        if b in HANDLES:
            return 'core_rpc_get_%s(r, &%s, error)' % (b, expr)
        if b == 'typed_param':
            return 'core_rpc_get_typed_param(r, &%s, error)' % expr
        return '%s_decode(r, &%s, error)' % (self.struct.prefix, expr)

    def elem_clear(self, expr):
        """Statement freeing one element, or None."""
        b = self.base
        if b in ('string', 'ostring'):
            return 'g_free(%s);' % expr
        if b in HANDLES:
            return '%s(%s);' % (HANDLES[b][1], expr)
        if b == 'typed_param':
            return 'core_typed_param_clear(&%s);' % expr
        if self.struct:
            return '%s_clear(&%s);' % (self.struct.prefix, expr)
        return None

    # field-level -------------------------------------------------------------
    def decl(self, name):
        b = self.base
        if self.array_max is not None:
            return ['%s*%s;' % (ptr_space(self.elem_ctype()), name), 'guint %s_len;' % name]
        if b == 'uuid':
            return ['guint8 %s[CORE_UUID_LEN];' % name]
        if b == 'opaque':
            return ['guint8 *%s;' % name, 'guint %s_len;' % name]
        if b == 'char':
            return ['char %s[%d];' % (name, self.fixed)]
        if b == 'chars':
            return ['char *%s;' % name]
        return ['%s%s;' % (ptr_space(self.elem_ctype()), name)]

    def put(self, name):
        v = 'v->' + name
        b = self.base
        if self.array_max is not None:
            return ['if (!core_xdr_put_count(w, %s_len, %d, error))' % (v, self.array_max),
                    '    return FALSE;',
                    'for (guint i = 0; i < %s_len; i++) {' % v,
                    '    if (!%s)' % self.elem_put('%s[i]' % v),
                    '        return FALSE;',
                    '}']
        if b == 'uuid':
            call = 'core_xdr_put_opaque_fixed(w, %s, CORE_UUID_LEN, error)' % v
        elif b == 'opaque':
            call = 'core_xdr_put_opaque(w, %s, %s_len, %d, error)' % (v, v, self.max)
        elif b == 'char':
            call = 'core_rpc_put_char_fixed(w, %s, %d, error)' % (v, self.fixed)
        elif b == 'chars':
            call = 'core_rpc_put_char_var(w, %s, %d, error)' % (v, self.max)
        else:
            call = self.elem_put(v)
        return ['if (!%s)' % call, '    return FALSE;']

    def get(self, name):
        v = 'v->' + name
        b = self.base
        if self.array_max is not None:
            return ['{',
                    '    guint n;',
                    '',
                    '    if (!core_xdr_get_count(r, %d, %d, &n, error))' %
                    (self.array_max, self.elem_minsize()),
                    '        return FALSE;',
                    '    %s = g_new0(%s, n);' % (v, self.elem_ctype().rstrip()),
                    '    %s_len = n;' % v,
                    '    for (guint i = 0; i < n; i++) {',
                    '        if (!%s)' % self.elem_get('%s[i]' % v),
                    '            return FALSE;',
                    '    }',
                    '}']
        if b == 'uuid':
            call = 'core_xdr_get_opaque_fixed(r, %s, CORE_UUID_LEN, error)' % v
        elif b == 'opaque':
            call = 'core_xdr_get_opaque(r, %d, &%s, &%s_len, error)' % (self.max, v, v)
        elif b == 'char':
            call = 'core_rpc_get_char_fixed(r, %s, %d, error)' % (v, self.fixed)
        elif b == 'chars':
            call = 'core_rpc_get_char_var(r, %d, &%s, error)' % (self.max, v)
        else:
            call = self.elem_get(v)
        return ['if (!%s)' % call, '    return FALSE;']

    def clear(self, name):
        v = 'v->' + name
        b = self.base
        if self.array_max is not None:
            out = []
            c = self.elem_clear('%s[i]' % v)
            if c:
                out += ['for (guint i = 0; i < %s_len; i++)' % v, '    ' + c]
            out += ['g_free(%s);' % v]
            return out
        if b in ('opaque', 'chars'):
            return ['g_free(%s);' % v]
        if b in ('uuid', 'char'):
            return []
        c = self.elem_clear(v)
        return [c] if c else []


def ptr_space(ctype):
    return ctype if ctype.endswith('*') else ctype + ' '


class Struct:
    def __init__(self, name, cname, prefix):
        self.name = name
        self.ctype = cname
        self.prefix = prefix
        self.fields = []  # (Type, name)


class Proc:
    def __init__(self, kind, number, name, flags):
        self.kind = kind  # proc | event | unsupported
        self.number = number
        self.name = name
        self.flags = flags
        self.api = api_name(name)
        self.args = None
        self.ret = None
        self.msg = None
        self.call = None


class Description:
    def __init__(self):
        self.program = None
        self.structs = {}
        self.struct_order = []
        self.procs = {}


def parse(path):
    d = Description()
    cur_struct = None
    cur_proc = None
    with open(path, encoding='utf-8') as f:
        lines = f.readlines()
    for lineno, raw in enumerate(lines, 1):
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        words = line.split()
        try:
            if cur_struct is not None:
                if words == ['end']:
                    d.structs[cur_struct.name] = cur_struct
                    d.struct_order.append(cur_struct)
                    cur_struct = None
                elif len(words) == 2:
                    cur_struct.fields.append((Type(words[0], d.structs), words[1]))
                else:
                    raise DefError('expected "TYPE NAME" or "end"')
                continue
            head = words[0]
            if head == 'program':
                if len(words) != 4:
                    raise DefError('program NAME NUMBER VERSION')
                d.program = (words[1], int(words[2], 0), int(words[3], 0))
                cur_proc = None
            elif head == 'struct':
                if len(words) != 2 or words[1] in d.structs:
                    raise DefError('struct NAME (unique)')
                cur_struct = Struct(words[1], 'CoreRpc' + camel(words[1]),
                                    'core_rpc_' + words[1])
                cur_proc = None
            elif head in ('proc', 'event', 'unsupported'):
                num = int(words[1])
                if num in d.procs or num <= 0:
                    raise DefError('procedure number %d repeated or invalid' % num)
                p = Proc(head, num, words[2], [])
                for flag in words[3:]:
                    if flag.startswith('api='):
                        p.api = flag[4:]
                    elif flag in FLAG_NAMES and head == 'proc':
                        p.flags.append(flag)
                    else:
                        raise DefError('unknown flag %r' % flag)
                d.procs[num] = p
                cur_proc = p if head != 'unsupported' else None
            elif head in ('arg', 'ret', 'msg') and cur_proc is not None:
                if len(words) != 3:
                    raise DefError('%s TYPE NAME' % head)
                if (head == 'msg') != (cur_proc.kind == 'event'):
                    raise DefError('msg lines belong to events, arg/ret to procs')
                attr = {'arg': 'args', 'ret': 'ret', 'msg': 'msg'}[head]
                if getattr(cur_proc, attr) is None:
                    setattr(cur_proc, attr, [])
                getattr(cur_proc, attr).append((Type(words[1], d.structs), words[2]))
            elif head == 'call' and cur_proc is not None and cur_proc.kind == 'proc':
                cur_proc.call = parse_call(line[4:].strip())
            else:
                raise DefError('unexpected line')
        except (DefError, ValueError, IndexError) as e:
            raise SystemExit('%s:%d: %s' % (path, lineno, e))
    if cur_struct is not None:
        raise SystemExit('%s: struct %s has no end' % (path, cur_struct.name))
    if d.program is None:
        raise SystemExit('%s: no program line' % path)
    for p in d.procs.values():
        if p.kind == 'proc' and p.call is None:
            raise SystemExit('%s: proc %s has no call line' % (path, p.name))
        check_call(p)
    return d


def parse_call(text):
    if text in ('custom', 'none'):
        return (text, None, None, [], None)
    m = re.fullmatch(r'(ptr|int|bool|list)\s+(\w+)\.(\w+)\((.*)\)\s*(?:->\s*(\w+))?', text)
    if not m:
        raise DefError('bad call line %r' % text)
    kind, table, entry, arglist, field = m.groups()
    if table not in TABLES:
        raise DefError('unknown table %r' % table)
    args = [a.strip() for a in arglist.split(',')] if arglist.strip() else []
    if kind in ('ptr', 'int', 'list') and not field:
        raise DefError('%s calls need "-> FIELD"' % kind)
    return (kind, table, entry, args, field)


def check_call(p):
    if p.kind != 'proc':
        return
    kind, _, _, args, field = p.call
    argnames = {n for _, n in (p.args or [])}
    retnames = {n for _, n in (p.ret or [])}
    for a in args:
        if a.startswith('&'):
            if a[1:] not in retnames:
                raise SystemExit('proc %s: %s is not a ret field' % (p.name, a))
        elif not re.fullmatch(r'-?\d+', a) and a not in argnames:
            raise SystemExit('proc %s: %s is not an arg field' % (p.name, a))
    if field and field not in retnames:
        raise SystemExit('proc %s: %s is not a ret field' % (p.name, field))
    if kind == 'list' and ('need_results' not in argnames or 'ret' not in retnames):
        raise SystemExit('proc %s: list calls need need_results and ret' % p.name)


# ---- C output -------------------------------------------------------------------

def lower(p):
    return p.name.lower()


def struct_parts(d, p):
    """(suffix, fields) of the structs a procedure or event has."""
    parts = []
    for suffix, fields in (('args', p.args), ('ret', p.ret), ('msg', p.msg)):
        if fields:
            parts.append((suffix, fields))
    return parts


def codec_protos(ctype, prefix):
    return ['gboolean %s_encode(CoreXdrWriter *w, const %s *v, GError **error);' % (prefix, ctype),
            'gboolean %s_decode(CoreXdrReader *r, %s *v, GError **error);' % (prefix, ctype),
            'void %s_clear(%s *v);' % (prefix, ctype)]


def struct_typedef(ctype, fields):
    out = ['typedef struct {']
    for t, n in fields:
        out += ['    ' + x for x in t.decl(n)]
    out += ['} %s;' % ctype]
    return out


def codec_bodies(ctype, prefix, fields):
    out = ['gboolean', '%s_encode(CoreXdrWriter *w, const %s *v, GError **error)' % (prefix, ctype),
           '{']
    for t, n in fields:
        out += ['    ' + x for x in t.put(n)]
    out += ['    return TRUE;', '}', '',
            'gboolean', '%s_decode(CoreXdrReader *r, %s *v, GError **error)' % (prefix, ctype), '{']
    for t, n in fields:
        out += [('    ' + x) if x else '' for x in t.get(n)]
    out += ['    return TRUE;', '}', '', 'void', '%s_clear(%s *v)' % (prefix, ctype), '{']
    out += ['    if (!v)', '        return;']
    for t, n in fields:
        out += ['    ' + x for x in t.clear(n)]
    out += ['    memset(v, 0, sizeof(*v));', '}', '']
    return out


def thunks(ctype, prefix):
    return ['static gboolean',
            '%s_encode_thunk(CoreXdrWriter *w, gconstpointer v, GError **error)' % prefix,
            '{', '    return %s_encode(w, v, error);' % prefix, '}', '',
            'static gboolean',
            '%s_decode_thunk(CoreXdrReader *r, gpointer v, GError **error)' % prefix,
            '{', '    return %s_decode(r, v, error);' % prefix, '}', '',
            'static void', '%s_clear_thunk(gpointer v)' % prefix,
            '{', '    %s_clear(v);' % prefix, '}', '']


def call_arg(a):
    if a.startswith('&'):
        return '&ret->' + a[1:]
    if re.fullmatch(r'-?\d+', a):
        return a
    return 'args->' + a


def handler_body(d, p):
    kind, table, entry, args, field = p.call
    prefix = 'core_rpc_' + lower(p)
    cname = 'CoreRpc' + camel(p.name)
    out = ['static gboolean',
           'handle_%s(CoreRpcCall *call, gconstpointer args_, gpointer ret_, GError **error)' %
           lower(p), '{']
    if kind == 'none':
        out += ['    return core_rpc_no_support(error, %d, "%s");' % (from_of(p.name), p.api),
                '}', '']
        return out
    uses_args = kind == 'list' or any(not a.startswith('&') and
                                      not re.fullmatch(r'-?\d+', a) for a in args)
    uses_ret = bool(field) or any(a.startswith('&') for a in args)
    if uses_args:
        out.append('    const %sArgs *args = args_;' % cname)
    if uses_ret:
        out.append('    %sRet *ret = ret_;' % cname)
    out.append('    const %s *ops = call->driver->%s;' % (TABLES[table], table))
    if kind == 'int':
        out.append('    int r;')
    if kind == 'list':
        out.append('    GPtrArray *list;')
    out += ['', '    if (!ops || !ops->%s)' % entry,
            '        return core_rpc_no_support(error, %d, "%s");' % (from_of(p.name), p.api)]
    cargs = ', '.join(['call->conn'] + [call_arg(a) for a in args] + ['error'])
    invoke = 'ops->%s(%s)' % (entry, cargs)
    if kind == 'ptr':
        out += ['    ret->%s = %s;' % (field, invoke), '    return ret->%s != NULL;' % field]
    elif kind == 'int':
        out += ['    r = %s;' % invoke, '    if (r < 0)', '        return FALSE;',
                '    ret->%s = r;' % field, '    return TRUE;']
    elif kind == 'bool':
        out += ['    return %s;' % invoke]
    elif kind == 'list':
        ftype = dict((n, t) for t, n in p.ret)[field]
        free = HANDLES[ftype.base][1]
        out += ['    list = %s;' % invoke, '    if (!list)', '        return FALSE;',
                '    return core_rpc_list_result(list, args->need_results,',
                '                                (gpointer **)&ret->%s, &ret->%s_len, &ret->ret,' %
                (field, field),
                '                                (GDestroyNotify)%s, error);' % free]
    out += ['}', '']
    return out


def gen_header(d, base):
    prog = d.program[0]
    guard_prefix = 'CORE_RPC_%s_PROC_' % prog
    out = ['/* Generated by gen-protocol.py from %s. Do not edit. */' % base,
           '#pragma once', '', '#include "core-rpc-proc.h"', '', 'G_BEGIN_DECLS', '',
           '#define CORE_RPC_%s_PROGRAM_NUMBER 0x%08xu' % (prog, d.program[1]),
           '#define CORE_RPC_%s_PROGRAM_VERSION %du' % (prog, d.program[2]),
           '#define CORE_RPC_%s_PROC_MAX %d' % (prog, max(d.procs) if d.procs else 0), '']
    for num in sorted(d.procs):
        out.append('#define %s%s %d' % (guard_prefix, d.procs[num].name, num))
    out.append('')
    for s in d.struct_order:
        out += struct_typedef(s.ctype, s.fields) + codec_protos(s.ctype, s.prefix) + ['']
    for num in sorted(d.procs):
        p = d.procs[num]
        for suffix, fields in struct_parts(d, p):
            ctype = 'CoreRpc%s%s' % (camel(p.name), suffix.capitalize())
            prefix = 'core_rpc_%s_%s' % (lower(p), suffix)
            out += struct_typedef(ctype, fields) + codec_protos(ctype, prefix) + ['']
    customs = [d.procs[n] for n in sorted(d.procs)
               if d.procs[n].kind == 'proc' and d.procs[n].call[0] == 'custom']
    if customs:
        out.append('/* Hand-written handlers of the procedures marked "call custom". */')
        for p in customs:
            out.append('gboolean core_rpc_handle_%s(CoreRpcCall *call, gconstpointer args, '
                       'gpointer ret,' % lower(p))
            out.append('    GError **error);')
        out.append('')
    out += ['/* The program: procs[N] describes procedure N (name NULL when unknown). */',
            'extern const CoreRpcProgram core_rpc_%s_program;' % prog.lower(), '',
            'G_END_DECLS', '']
    return '\n'.join(out)


def table_entry(p):
    out = ['    [%d] = {' % p.number,
           '        .name = "%s",' % p.name,
           '        .api = "%s",' % p.api,
           '        .from = %d,' % from_of(p.name)]
    flags = [FLAG_NAMES[f] for f in p.flags]
    if p.kind == 'event':
        flags.append('CORE_RPC_PROC_EVENT')
    if p.kind == 'unsupported':
        flags.append('CORE_RPC_PROC_UNSUPPORTED')
    out.append('        .flags = %s,' % (' | '.join(flags) if flags else '0'))
    for suffix, _ in struct_parts(None, p):
        ctype = 'CoreRpc%s%s' % (camel(p.name), suffix.capitalize())
        prefix = 'core_rpc_%s_%s' % (lower(p), suffix)
        key = 'args' if suffix in ('args', 'msg') else 'ret'
        out += ['        .%s_size = sizeof(%s),' % (key, ctype),
                '        .%s_encode = %s_encode_thunk,' % (key, prefix),
                '        .%s_decode = %s_decode_thunk,' % (key, prefix),
                '        .%s_clear = %s_clear_thunk,' % (key, prefix)]
    if p.kind == 'proc':
        if p.call[0] == 'custom':
            out.append('        .handler = core_rpc_handle_%s,' % lower(p))
        else:
            out.append('        .handler = handle_%s,' % lower(p))
    out.append('    },')
    return out


def gen_source(d, base, header):
    prog = d.program[0]
    out = ['/* Generated by gen-protocol.py from %s. Do not edit. */' % base,
           '#include "%s"' % header, '', '#include <string.h>', '']
    for s in d.struct_order:
        out += codec_bodies(s.ctype, s.prefix, s.fields)
    for num in sorted(d.procs):
        p = d.procs[num]
        for suffix, fields in struct_parts(d, p):
            ctype = 'CoreRpc%s%s' % (camel(p.name), suffix.capitalize())
            prefix = 'core_rpc_%s_%s' % (lower(p), suffix)
            out += codec_bodies(ctype, prefix, fields) + thunks(ctype, prefix)
    for num in sorted(d.procs):
        p = d.procs[num]
        if p.kind == 'proc' and p.call[0] != 'custom':
            out += handler_body(d, p)
    nprocs = (max(d.procs) + 1) if d.procs else 1
    out += ['static const CoreRpcProcInfo procs[%d] = {' % nprocs]
    for num in sorted(d.procs):
        out += table_entry(d.procs[num])
    out += ['};', '',
            'const CoreRpcProgram core_rpc_%s_program = {' % prog.lower(),
            '    .name = "%s",' % prog,
            '    .prog = 0x%08xu,' % d.program[1],
            '    .vers = %du,' % d.program[2],
            '    .nprocs = %d,' % nprocs,
            '    .procs = procs,',
            '};', '']
    return '\n'.join(out)


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    src, out_h, out_c = argv[1:]
    d = parse(src)
    base = os.path.basename(src)
    with open(out_h, 'w', encoding='utf-8') as f:
        f.write(gen_header(d, base))
    with open(out_c, 'w', encoding='utf-8') as f:
        f.write(gen_source(d, base, os.path.basename(out_h)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
