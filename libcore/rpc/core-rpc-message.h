/* core-rpc-message: the framing of libvirt's remote protocol.
 *
 * A packet is a 4-byte big-endian length (counting itself), a 24-byte
 * header (prog, vers, proc, type, serial, status) and the payload. Types
 * *_WITH_FDS carry a 4-byte FD count right after the header; the FDs
 * themselves follow the packet out of band, one dummy byte each.
 */
#pragma once

#include <glib.h>

#include "core-xdr.h"

G_BEGIN_DECLS

#define CORE_RPC_REMOTE_PROGRAM 0x20008086u
#define CORE_RPC_QEMU_PROGRAM 0x20008087u
#define CORE_RPC_LXC_PROGRAM 0x00068000u
#define CORE_RPC_ADMIN_PROGRAM 0x06900690u
#define CORE_RPC_KEEPALIVE_PROGRAM 0x6b656570u
#define CORE_RPC_PROTOCOL_VERSION 1u

#define CORE_RPC_KEEPALIVE_PING 1
#define CORE_RPC_KEEPALIVE_PONG 2

#define CORE_RPC_LEN_SIZE 4u
#define CORE_RPC_HEADER_SIZE 24u
/* Header + payload; the length word may be at most this + 4. */
#define CORE_RPC_MESSAGE_MAX 33554432u
#define CORE_RPC_PAYLOAD_MAX (CORE_RPC_MESSAGE_MAX - CORE_RPC_HEADER_SIZE)
/* Largest stream data chunk libvirtd sends per packet. */
#define CORE_RPC_STREAM_CHUNK_MAX 262120u
#define CORE_RPC_NUM_FDS_MAX 32u

typedef enum {
    CORE_RPC_CALL = 0,
    CORE_RPC_REPLY = 1,
    CORE_RPC_MESSAGE = 2,
    CORE_RPC_STREAM = 3,
    CORE_RPC_CALL_WITH_FDS = 4,
    CORE_RPC_REPLY_WITH_FDS = 5,
    CORE_RPC_STREAM_HOLE = 6,
} CoreRpcType;

typedef enum {
    CORE_RPC_STATUS_OK = 0,
    CORE_RPC_STATUS_ERROR = 1,
    CORE_RPC_STATUS_CONTINUE = 2,
} CoreRpcStatus;

typedef struct {
    guint32 prog;
    guint32 vers;
    gint32 proc;
    gint32 type;
    guint32 serial;
    gint32 status;
} CoreRpcHeader;

/* A decoded packet. @payload points into the caller's buffer (not owned):
 * for *_WITH_FDS types it starts after the FD count. */
typedef struct {
    CoreRpcHeader header;
    guint nfds;            /* FD count of *_WITH_FDS packets, else 0 */
    const guint8 *payload;
    gsize payload_len;
} CoreRpcMessage;

/* Checks a received length word: TRUE when 28 <= @len <= 32 MiB + 4. A
 * FALSE answer means the connection must be dropped without a reply. */
gboolean core_rpc_length_valid(guint32 len);

/* Decodes a whole packet (@data starts at the length word and holds @len
 * bytes). Fails with CORE_ERR_RPC when the length word disagrees with @len,
 * is out of range, or a *_WITH_FDS count is above the maximum. */
gboolean core_rpc_message_decode(const guint8 *data, gsize len, CoreRpcMessage *ret,
                                 GError **error);

/* Starts a packet in @w (which must be empty): length placeholder, header
 * and, when @nfds > 0 or the type is *_WITH_FDS, the FD count. */
void core_rpc_message_begin(CoreXdrWriter *w, const CoreRpcHeader *header, guint nfds);
/* Patches the length word. Fails (CORE_ERR_RPC) when the packet is larger
 * than the protocol allows. */
gboolean core_rpc_message_end(CoreXdrWriter *w, GError **error);

/* (transfer full) A complete packet with header @header and @payload. */
GBytes *core_rpc_message_build(const CoreRpcHeader *header, const guint8 *payload,
                               gsize payload_len, GError **error);

/* STREAM_HOLE payload: hyper length; unsigned int flags. */
gboolean core_rpc_stream_hole_encode(CoreXdrWriter *w, gint64 length, guint flags,
                                     GError **error);
gboolean core_rpc_stream_hole_decode(const guint8 *payload, gsize len, gint64 *ret_length,
                                     guint *ret_flags, GError **error);

/* (transfer none) "CALL", "REPLY", ... or "?" */
const char *core_rpc_type_name(int type);

G_END_DECLS
