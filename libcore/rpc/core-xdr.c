/* core-xdr: see core-xdr.h. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include "core-xdr.h"

#include <string.h>

#include "core-error.h"

static const guint8 zero_pad[4];

static gsize
pad_len(gsize len)
{
    return (4 - (len & 3)) & 3;
}

void
core_xdr_writer_init(CoreXdrWriter *w)
{
    w->buf = g_byte_array_sized_new(256);
}

void
core_xdr_writer_clear(CoreXdrWriter *w)
{
    if (w->buf)
        g_byte_array_unref(w->buf);
    w->buf = NULL;
}

GBytes *
core_xdr_writer_steal(CoreXdrWriter *w)
{
    GBytes *bytes = g_byte_array_free_to_bytes(w->buf);

    w->buf = g_byte_array_sized_new(256);
    return bytes;
}

gsize
core_xdr_writer_len(const CoreXdrWriter *w)
{
    return w->buf->len;
}

guint8 *
core_xdr_writer_reserve(CoreXdrWriter *w, gsize n)
{
    guint old = w->buf->len;

    g_byte_array_set_size(w->buf, old + (guint)n);
    return w->buf->data + old;
}

gboolean
core_xdr_put_uint(CoreXdrWriter *w, guint32 v, GError **error)
{
    guint32 be = GUINT32_TO_BE(v);

    memcpy(core_xdr_writer_reserve(w, 4), &be, 4);
    return TRUE;
}

gboolean
core_xdr_put_int(CoreXdrWriter *w, gint32 v, GError **error)
{
    return core_xdr_put_uint(w, (guint32)v, error);
}

gboolean
core_xdr_put_uhyper(CoreXdrWriter *w, guint64 v, GError **error)
{
    guint64 be = GUINT64_TO_BE(v);

    memcpy(core_xdr_writer_reserve(w, 8), &be, 8);
    return TRUE;
}

gboolean
core_xdr_put_hyper(CoreXdrWriter *w, gint64 v, GError **error)
{
    return core_xdr_put_uhyper(w, (guint64)v, error);
}

gboolean
core_xdr_put_double(CoreXdrWriter *w, double v, GError **error)
{
    guint64 bits;

    G_STATIC_ASSERT(sizeof(bits) == sizeof(v));
    memcpy(&bits, &v, sizeof(bits));
    return core_xdr_put_uhyper(w, bits, error);
}

gboolean
core_xdr_put_opaque_fixed(CoreXdrWriter *w, const guint8 *data, gsize len, GError **error)
{
    gsize pad = pad_len(len);
    guint8 *p = core_xdr_writer_reserve(w, len + pad);

    if (len)
        memcpy(p, data, len);
    memcpy(p + len, zero_pad, pad);
    return TRUE;
}

gboolean
core_xdr_put_opaque(CoreXdrWriter *w, const guint8 *data, gsize len, gsize max, GError **error)
{
    gsize pad = pad_len(len);
    guint32 be = GUINT32_TO_BE((guint32)len);
    guint8 *p;

    if (len > max || len > G_MAXUINT32)
        return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                      "Unable to encode message payload: data too long");
    p = core_xdr_writer_reserve(w, 4 + len + pad);
    memcpy(p, &be, 4);
    if (len)
        memcpy(p + 4, data, len);
    memcpy(p + 4 + len, zero_pad, pad);
    return TRUE;
}

gboolean
core_xdr_put_string(CoreXdrWriter *w, const char *s, GError **error)
{
    const char *str = s ? s : "";

    return core_xdr_put_opaque(w, (const guint8 *)str, strlen(str), CORE_XDR_STRING_MAX, error);
}

gboolean
core_xdr_put_ostring(CoreXdrWriter *w, const char *s, GError **error)
{
    core_xdr_put_uint(w, s ? 1 : 0, error);
    return s ? core_xdr_put_string(w, s, error) : TRUE;
}

gboolean
core_xdr_put_count(CoreXdrWriter *w, gsize count, gsize max, GError **error)
{
    if (count > max || count > G_MAXUINT32)
        return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                      "Unable to encode message payload: too many elements");
    return core_xdr_put_uint(w, (guint32)count, error);
}

void
core_xdr_put_raw(CoreXdrWriter *w, const guint8 *data, gsize len)
{
    if (len)
        g_byte_array_append(w->buf, data, len);
}

void
core_xdr_patch_uint(CoreXdrWriter *w, gsize offset, guint32 v)
{
    guint32 be = GUINT32_TO_BE(v);

    g_return_if_fail(offset + 4 <= w->buf->len);
    memcpy(w->buf->data + offset, &be, 4);
}

/* ---- reader ------------------------------------------------------------- */

void
core_xdr_reader_init(CoreXdrReader *r, const guint8 *data, gsize len)
{
    r->data = data;
    r->len = data ? len : 0;
    r->pos = 0;
}

gsize
core_xdr_reader_remaining(const CoreXdrReader *r)
{
    return r->len - r->pos;
}

static gboolean
decode_error(GError **error, const char *what)
{
    return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC, what);
}

gboolean
core_xdr_reader_finish(const CoreXdrReader *r, GError **error)
{
    if (r->pos != r->len)
        return decode_error(error, "Unable to decode message payload: trailing bytes");
    return TRUE;
}

static gboolean
need(CoreXdrReader *r, gsize n, GError **error)
{
    if (n > core_xdr_reader_remaining(r))
        return decode_error(error, "Unable to decode message payload: truncated data");
    return TRUE;
}

gboolean
core_xdr_get_uint(CoreXdrReader *r, guint32 *ret, GError **error)
{
    guint32 be;

    if (!need(r, 4, error))
        return FALSE;
    memcpy(&be, r->data + r->pos, 4);
    r->pos += 4;
    *ret = GUINT32_FROM_BE(be);
    return TRUE;
}

gboolean
core_xdr_get_int(CoreXdrReader *r, gint32 *ret, GError **error)
{
    guint32 v;

    if (!core_xdr_get_uint(r, &v, error))
        return FALSE;
    *ret = (gint32)v;
    return TRUE;
}

gboolean
core_xdr_get_uhyper(CoreXdrReader *r, guint64 *ret, GError **error)
{
    guint64 be;

    if (!need(r, 8, error))
        return FALSE;
    memcpy(&be, r->data + r->pos, 8);
    r->pos += 8;
    *ret = GUINT64_FROM_BE(be);
    return TRUE;
}

gboolean
core_xdr_get_hyper(CoreXdrReader *r, gint64 *ret, GError **error)
{
    guint64 v;

    if (!core_xdr_get_uhyper(r, &v, error))
        return FALSE;
    *ret = (gint64)v;
    return TRUE;
}

gboolean
core_xdr_get_double(CoreXdrReader *r, double *ret, GError **error)
{
    guint64 bits;

    if (!core_xdr_get_uhyper(r, &bits, error))
        return FALSE;
    memcpy(ret, &bits, sizeof(*ret));
    return TRUE;
}

gboolean
core_xdr_get_opaque_fixed(CoreXdrReader *r, guint8 *ret, gsize len, GError **error)
{
    gsize padded = len + pad_len(len);

    if (padded < len || !need(r, padded, error))
        return FALSE;
    if (len)
        memcpy(ret, r->data + r->pos, len);
    r->pos += padded;
    return TRUE;
}

/* Validates a length word + padded body and returns a pointer to the body. */
static gboolean
get_var(CoreXdrReader *r, gsize max, const guint8 **ret, guint32 *ret_len, GError **error)
{
    guint32 len;
    gsize padded;

    if (!core_xdr_get_uint(r, &len, error))
        return FALSE;
    if (len > max) {
        r->pos -= 4;
        return decode_error(error, "Unable to decode message payload: length above maximum");
    }
    padded = (gsize)len + pad_len(len);
    if (!need(r, padded, error)) {
        r->pos -= 4;
        return FALSE;
    }
    *ret = r->data + r->pos;
    *ret_len = len;
    r->pos += padded;
    return TRUE;
}

gboolean
core_xdr_get_opaque(CoreXdrReader *r, gsize max, guint8 **ret, guint *ret_len, GError **error)
{
    const guint8 *p;
    guint32 len;

    if (!get_var(r, max, &p, &len, error))
        return FALSE;
    *ret = len ? g_memdup2(p, len) : NULL;
    *ret_len = len;
    return TRUE;
}

gboolean
core_xdr_get_string_view(CoreXdrReader *r, const char **ret, gsize *ret_len, GError **error)
{
    const guint8 *p;
    guint32 len;

    if (!get_var(r, CORE_XDR_STRING_MAX, &p, &len, error))
        return FALSE;
    if (len && memchr(p, 0, len))
        return decode_error(error, "Unable to decode message payload: NUL inside string");
    *ret = (const char *)p;
    *ret_len = len;
    return TRUE;
}

gboolean
core_xdr_get_string(CoreXdrReader *r, char **ret, GError **error)
{
    const char *p;
    gsize len;

    if (!core_xdr_get_string_view(r, &p, &len, error))
        return FALSE;
    *ret = g_strndup(p, len);
    return TRUE;
}

gboolean
core_xdr_get_present(CoreXdrReader *r, gboolean *ret, GError **error)
{
    guint32 flag;

    if (!core_xdr_get_uint(r, &flag, error))
        return FALSE;
    if (flag > 1)
        return decode_error(error, "Unable to decode message payload: bad optional flag");
    *ret = flag == 1;
    return TRUE;
}

gboolean
core_xdr_get_ostring(CoreXdrReader *r, char **ret, GError **error)
{
    gboolean present;

    if (!core_xdr_get_present(r, &present, error))
        return FALSE;
    if (!present) {
        *ret = NULL;
        return TRUE;
    }
    return core_xdr_get_string(r, ret, error);
}

gboolean
core_xdr_get_count(CoreXdrReader *r, gsize max, gsize min_elem_size, guint *ret,
                   GError **error)
{
    guint32 count;

    if (!core_xdr_get_uint(r, &count, error))
        return FALSE;
    if (count > max)
        return decode_error(error, "Unable to decode message payload: too many elements");
    if (min_elem_size && count > core_xdr_reader_remaining(r) / min_elem_size)
        return decode_error(error, "Unable to decode message payload: truncated array");
    *ret = count;
    return TRUE;
}

gboolean
core_xdr_get_raw(CoreXdrReader *r, gsize len, const guint8 **ret, GError **error)
{
    if (!need(r, len, error))
        return FALSE;
    *ret = r->data + r->pos;
    r->pos += len;
    return TRUE;
}
