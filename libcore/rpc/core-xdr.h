/* core-xdr: XDR (RFC 4506) encoding on a growable buffer and bounds-checked
 * decoding from a byte range, as libvirt's remote protocol uses it.
 *
 * Writers never fail for scalars; strings, opaques and arrays fail when they
 * exceed their declared maximum. Readers never read past their range: every
 * getter checks the remaining length first and fails with CORE_ERR_RPC.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* REMOTE_STRING_MAX / VIR_NET_MESSAGE_STRING_MAX */
#define CORE_XDR_STRING_MAX 4194304u

typedef struct {
    GByteArray *buf; /* (owned) */
} CoreXdrWriter;

typedef struct {
    const guint8 *data; /* (not owned) */
    gsize len;
    gsize pos;
} CoreXdrReader;

/* Initializes @w with an empty buffer; core_xdr_writer_clear() frees it. */
void core_xdr_writer_init(CoreXdrWriter *w);
void core_xdr_writer_clear(CoreXdrWriter *w);
/* (transfer full) The encoded bytes; @w is left empty and reusable. */
GBytes *core_xdr_writer_steal(CoreXdrWriter *w);
gsize core_xdr_writer_len(const CoreXdrWriter *w);
/* Grows @w by @n bytes and returns where they start, for the caller to fill
 * at once; valid until the next write to @w. */
guint8 *core_xdr_writer_reserve(CoreXdrWriter *w, gsize n);

gboolean core_xdr_put_int(CoreXdrWriter *w, gint32 v, GError **error);
gboolean core_xdr_put_uint(CoreXdrWriter *w, guint32 v, GError **error);
gboolean core_xdr_put_hyper(CoreXdrWriter *w, gint64 v, GError **error);
gboolean core_xdr_put_uhyper(CoreXdrWriter *w, guint64 v, GError **error);
gboolean core_xdr_put_double(CoreXdrWriter *w, double v, GError **error);
/* opaque x[@len]: the bytes and zero padding, no length word. */
gboolean core_xdr_put_opaque_fixed(CoreXdrWriter *w, const guint8 *data, gsize len,
                                   GError **error);
/* opaque x<@max>: length word, bytes, padding. Fails when @len > @max. */
gboolean core_xdr_put_opaque(CoreXdrWriter *w, const guint8 *data, gsize len, gsize max,
                             GError **error);
/* string x<CORE_XDR_STRING_MAX>; NULL is written as "". */
gboolean core_xdr_put_string(CoreXdrWriter *w, const char *s, GError **error);
/* Optional string (remote_string): 0, or 1 then the string. */
gboolean core_xdr_put_ostring(CoreXdrWriter *w, const char *s, GError **error);
/* Variable array count word; fails when @count > @max. */
gboolean core_xdr_put_count(CoreXdrWriter *w, gsize count, gsize max, GError **error);
/* Raw bytes without padding (stream data). */
void core_xdr_put_raw(CoreXdrWriter *w, const guint8 *data, gsize len);
/* Overwrites the 4 bytes at @offset with @v (length words). */
void core_xdr_patch_uint(CoreXdrWriter *w, gsize offset, guint32 v);

void core_xdr_reader_init(CoreXdrReader *r, const guint8 *data, gsize len);
gsize core_xdr_reader_remaining(const CoreXdrReader *r);
/* Fails (CORE_ERR_RPC) unless every byte was consumed. */
gboolean core_xdr_reader_finish(const CoreXdrReader *r, GError **error);

gboolean core_xdr_get_int(CoreXdrReader *r, gint32 *ret, GError **error);
gboolean core_xdr_get_uint(CoreXdrReader *r, guint32 *ret, GError **error);
gboolean core_xdr_get_hyper(CoreXdrReader *r, gint64 *ret, GError **error);
gboolean core_xdr_get_uhyper(CoreXdrReader *r, guint64 *ret, GError **error);
gboolean core_xdr_get_double(CoreXdrReader *r, double *ret, GError **error);
/* Reads exactly @len bytes (plus padding) into @ret. */
gboolean core_xdr_get_opaque_fixed(CoreXdrReader *r, guint8 *ret, gsize len, GError **error);
/* (transfer full) Variable opaque of at most @max bytes; *ret is NULL when empty. */
gboolean core_xdr_get_opaque(CoreXdrReader *r, gsize max, guint8 **ret, guint *ret_len,
                             GError **error);
/* (transfer full) NUL-terminated copy; embedded NULs are rejected. */
gboolean core_xdr_get_string(CoreXdrReader *r, char **ret, GError **error);
/* Like core_xdr_get_string(), but points into @r's data (not NUL-terminated;
 * *@ret_len bytes) instead of copying. */
gboolean core_xdr_get_string_view(CoreXdrReader *r, const char **ret, gsize *ret_len,
                                  GError **error);
/* (transfer full) *ret is NULL when the optional string is absent. */
gboolean core_xdr_get_ostring(CoreXdrReader *r, char **ret, GError **error);
/* Optional-value flag (0/1; anything else fails). */
gboolean core_xdr_get_present(CoreXdrReader *r, gboolean *ret, GError **error);
/* Array count: fails when above @max, or when @min_elem_size * count bytes
 * cannot possibly remain (so a hostile count never causes a big allocation). */
gboolean core_xdr_get_count(CoreXdrReader *r, gsize max, gsize min_elem_size, guint *ret,
                            GError **error);
/* Raw bytes without padding (stream data); (transfer none) pointer into the input. */
gboolean core_xdr_get_raw(CoreXdrReader *r, gsize len, const guint8 **ret, GError **error);

G_END_DECLS
