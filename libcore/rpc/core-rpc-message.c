/* core-rpc-message: see core-rpc-message.h. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include "core-rpc-message.h"

#include <string.h>

#include "core-error.h"

gboolean
core_rpc_length_valid(guint32 len)
{
    return len >= CORE_RPC_LEN_SIZE + CORE_RPC_HEADER_SIZE &&
           len <= CORE_RPC_MESSAGE_MAX + CORE_RPC_LEN_SIZE;
}

static gboolean
type_has_fds(gint32 type)
{
    return type == CORE_RPC_CALL_WITH_FDS || type == CORE_RPC_REPLY_WITH_FDS;
}

gboolean
core_rpc_message_decode(const guint8 *data, gsize len, CoreRpcMessage *ret, GError **error)
{
    CoreXdrReader r;
    CoreRpcHeader *h = &ret->header;
    guint32 word;

    memset(ret, 0, sizeof(*ret));
    core_xdr_reader_init(&r, data, len);
    if (!core_xdr_get_uint(&r, &word, error))
        return FALSE;
    if (word != len || !core_rpc_length_valid(word))
        return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                      "packet length word is invalid");
    if (!core_xdr_get_uint(&r, &h->prog, error) || !core_xdr_get_uint(&r, &h->vers, error) ||
        !core_xdr_get_int(&r, &h->proc, error) || !core_xdr_get_int(&r, &h->type, error) ||
        !core_xdr_get_uint(&r, &h->serial, error) || !core_xdr_get_int(&r, &h->status, error))
        return FALSE;
    if (type_has_fds(h->type)) {
        guint32 nfds;

        if (!core_xdr_get_uint(&r, &nfds, error))
            return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                          "Unable to decode number of FDs");
        if (nfds > CORE_RPC_NUM_FDS_MAX)
            return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                          "Too many FDs in message");
        ret->nfds = nfds;
    }
    ret->payload = data + r.pos;
    ret->payload_len = core_xdr_reader_remaining(&r);
    return TRUE;
}

void
core_rpc_message_begin(CoreXdrWriter *w, const CoreRpcHeader *header, guint nfds)
{
    g_return_if_fail(core_xdr_writer_len(w) == 0);
    core_xdr_put_uint(w, 0, NULL);
    core_xdr_put_uint(w, header->prog, NULL);
    core_xdr_put_uint(w, header->vers, NULL);
    core_xdr_put_int(w, header->proc, NULL);
    core_xdr_put_int(w, header->type, NULL);
    core_xdr_put_uint(w, header->serial, NULL);
    core_xdr_put_int(w, header->status, NULL);
    if (nfds > 0 || type_has_fds(header->type))
        core_xdr_put_uint(w, nfds, NULL);
}

gboolean
core_rpc_message_end(CoreXdrWriter *w, GError **error)
{
    gsize len = core_xdr_writer_len(w);

    if (!core_rpc_length_valid(len > G_MAXUINT32 ? G_MAXUINT32 : (guint32)len))
        return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                      "Unable to encode message: packet too large");
    core_xdr_patch_uint(w, 0, (guint32)len);
    return TRUE;
}

GBytes *
core_rpc_message_build(const CoreRpcHeader *header, const guint8 *payload, gsize payload_len,
                       GError **error)
{
    CoreXdrWriter w;
    GBytes *out = NULL;

    core_xdr_writer_init(&w);
    core_rpc_message_begin(&w, header, 0);
    core_xdr_put_raw(&w, payload, payload_len);
    if (core_rpc_message_end(&w, error))
        out = core_xdr_writer_steal(&w);
    core_xdr_writer_clear(&w);
    return out;
}

gboolean
core_rpc_stream_hole_encode(CoreXdrWriter *w, gint64 length, guint flags, GError **error)
{
    return core_xdr_put_hyper(w, length, error) && core_xdr_put_uint(w, flags, error);
}

gboolean
core_rpc_stream_hole_decode(const guint8 *payload, gsize len, gint64 *ret_length,
                            guint *ret_flags, GError **error)
{
    CoreXdrReader r;
    guint32 flags;

    core_xdr_reader_init(&r, payload, len);
    if (!core_xdr_get_hyper(&r, ret_length, error) || !core_xdr_get_uint(&r, &flags, error) ||
        !core_xdr_reader_finish(&r, error))
        return FALSE;
    *ret_flags = flags;
    return TRUE;
}

const char *
core_rpc_type_name(int type)
{
    static const char *const names[] = {
        "CALL", "REPLY", "MESSAGE", "STREAM", "CALL_WITH_FDS", "REPLY_WITH_FDS", "STREAM_HOLE",
    };

    if (type < 0 || type >= (int)G_N_ELEMENTS(names))
        return "?";
    return names[type];
}
