/* core-daemon-wire: see core-daemon-wire.h. */
#include "core-daemon-wire.h"

#include <string.h>

#include "core-error.h"

static guint32
get_be32(const guint8 *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

gboolean
core_wire_parse_header(const guint8 *buf, gsize avail, CoreWireHeader *ret)
{
    g_return_val_if_fail(avail >= CORE_WIRE_HEADER_LEN, FALSE);
    ret->len = get_be32(buf);
    ret->prog = get_be32(buf + 4);
    ret->vers = get_be32(buf + 8);
    ret->proc = (gint32)get_be32(buf + 12);
    ret->type = (gint32)get_be32(buf + 16);
    ret->serial = get_be32(buf + 20);
    ret->status = (gint32)get_be32(buf + 24);
    return ret->len >= CORE_WIRE_HEADER_LEN && ret->len <= CORE_WIRE_FRAME_MAX;
}

void
core_wire_put_u32(GByteArray *frame, guint32 value)
{
    guint32 be = GUINT32_TO_BE(value);

    g_byte_array_append(frame, (const guint8 *)&be, 4);
}

void
core_wire_put_opaque(GByteArray *frame, const void *data, gsize len)
{
    static const guint8 zero[4] = { 0 };

    core_wire_put_u32(frame, (guint32)len);
    if (len)
        g_byte_array_append(frame, data, (guint)len);
    if (len % 4)
        g_byte_array_append(frame, zero, 4 - len % 4);
}

GByteArray *
core_wire_frame_new(guint32 prog, guint32 vers, gint32 proc, gint32 type, guint32 serial,
                    gint32 status)
{
    GByteArray *frame = g_byte_array_sized_new(64);

    core_wire_put_u32(frame, 0);
    core_wire_put_u32(frame, prog);
    core_wire_put_u32(frame, vers);
    core_wire_put_u32(frame, (guint32)proc);
    core_wire_put_u32(frame, (guint32)type);
    core_wire_put_u32(frame, serial);
    core_wire_put_u32(frame, (guint32)status);
    return frame;
}

void
core_wire_frame_finish(GByteArray *frame)
{
    guint32 be = GUINT32_TO_BE(frame->len);

    memcpy(frame->data, &be, 4);
}

static void
put_optional_string(GByteArray *frame, const char *s)
{
    core_wire_put_u32(frame, s ? 1 : 0);
    if (s)
        core_wire_put_opaque(frame, s, strlen(s));
}

void
core_wire_put_error(GByteArray *frame, const GError *error)
{
    const CoreErrorExtra *extra = core_error_get_extra(error);
    gboolean ours = extra != NULL;

    core_wire_put_u32(frame, ours ? (guint32)error->code : CORE_ERR_INTERNAL_ERROR);
    core_wire_put_u32(frame, ours ? (guint32)extra->from : CORE_FROM_NONE);
    put_optional_string(frame, error->message);
    core_wire_put_u32(frame, ours ? (guint32)extra->level : CORE_ERROR_LEVEL_ERROR);
    core_wire_put_u32(frame, 0); /* dom */
    put_optional_string(frame, ours ? extra->str1 : error->message);
    put_optional_string(frame, ours ? extra->str2 : NULL);
    put_optional_string(frame, ours ? extra->str3 : NULL);
    core_wire_put_u32(frame, (guint32)(ours ? extra->int1 : -1));
    core_wire_put_u32(frame, (guint32)(ours ? extra->int2 : -1));
    core_wire_put_u32(frame, 0); /* net */
}

gboolean
core_wire_get_u32(CoreWireReader *r, guint32 *ret)
{
    if (r->len - r->pos < 4)
        return FALSE;
    *ret = get_be32(r->data + r->pos);
    r->pos += 4;
    return TRUE;
}

gboolean
core_wire_get_opaque(CoreWireReader *r, gsize max, const guint8 **ret, gsize *ret_len)
{
    guint32 len;
    gsize padded;

    if (!core_wire_get_u32(r, &len) || len > max)
        return FALSE;
    padded = ((gsize)len + 3) & ~(gsize)3;
    if (r->len - r->pos < padded)
        return FALSE;
    *ret = r->data + r->pos;
    *ret_len = len;
    r->pos += padded;
    return TRUE;
}

static gboolean
get_optional_string(CoreWireReader *r, char **ret)
{
    guint32 present;
    const guint8 *data;
    gsize len;

    *ret = NULL;
    if (!core_wire_get_u32(r, &present) || present > 1)
        return FALSE;
    if (!present)
        return TRUE;
    if (!core_wire_get_opaque(r, 4194304, &data, &len))
        return FALSE;
    *ret = g_strndup((const char *)data, len);
    return TRUE;
}

GError *
core_wire_get_error(CoreWireReader *r)
{
    guint32 code, from, level, dom, int1, int2;
    g_autofree char *message = NULL;
    g_autofree char *str1 = NULL;
    g_autofree char *str2 = NULL;
    g_autofree char *str3 = NULL;

    if (!core_wire_get_u32(r, &code) || !core_wire_get_u32(r, &from) ||
        !get_optional_string(r, &message) || !core_wire_get_u32(r, &level) ||
        !core_wire_get_u32(r, &dom) || dom != 0 || !get_optional_string(r, &str1) ||
        !get_optional_string(r, &str2) || !get_optional_string(r, &str3) ||
        !core_wire_get_u32(r, &int1) || !core_wire_get_u32(r, &int2))
        return NULL;
    return core_error_new_wire((int)code, (int)from, (int)level, message ? message : "",
                               str1, str2, str3, (int)int1, (int)int2);
}
