/* core-daemon-wire: the few frames the daemon layer builds itself.
 *
 * The RPC server (libcore/rpc) owns the protocol; the daemon layer only
 * needs to frame the admin socket's answers, the connection hand-off
 * between daemons and the handshake the proxy replays to a target daemon.
 * Framing as PROTOCOL.md §1: length word (counting itself), 24-byte header.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CORE_WIRE_PROG_REMOTE 0x20008086u
#define CORE_WIRE_PROG_ADMIN 0x06900690u
#define CORE_WIRE_PROG_KEEPALIVE 0x6b656570u
/* Vireo's own program, spoken only on NAME-admin-sock: proc 1 hands a
 * connected client socket over to the daemon (see docs/daemons.md). */
#define CORE_WIRE_PROG_HANDOFF 0x56495245u /* "VIRE" */
#define CORE_WIRE_HANDOFF_PROC_ADOPT 1
#define CORE_WIRE_HANDOFF_FLAG_READONLY 1u
#define CORE_WIRE_HANDOFF_FLAG_KEEPALIVE 2u

#define CORE_WIRE_TYPE_CALL 0
#define CORE_WIRE_TYPE_REPLY 1
#define CORE_WIRE_TYPE_MESSAGE 2
#define CORE_WIRE_STATUS_OK 0
#define CORE_WIRE_STATUS_ERROR 1

#define CORE_WIRE_HEADER_LEN 28u                  /* length word + header */
#define CORE_WIRE_FRAME_MAX (33554432u + 4u)      /* largest length word accepted */
#define CORE_WIRE_PROC_AUTH_LIST 66
#define CORE_WIRE_PROC_SUPPORTS_FEATURE 60
#define CORE_WIRE_PROC_CONNECT_OPEN 1
#define CORE_WIRE_FEATURE_KEEPALIVE 10
#define CORE_WIRE_KEEPALIVE_PING 1
#define CORE_WIRE_KEEPALIVE_PONG 2

typedef struct {
    guint32 len; /* whole frame, length word included */
    guint32 prog;
    guint32 vers;
    gint32 proc;
    gint32 type;
    guint32 serial;
    gint32 status;
} CoreWireHeader;

/* Reads the header at @buf (@avail >= CORE_WIRE_HEADER_LEN). FALSE when the
 * length word is out of bounds (the connection must be dropped). */
gboolean core_wire_parse_header(const guint8 *buf, gsize avail, CoreWireHeader *ret);

/* (transfer full) A new frame with header fields set and the length word
 * left for core_wire_frame_finish(). */
GByteArray *core_wire_frame_new(guint32 prog, guint32 vers, gint32 proc, gint32 type,
                                guint32 serial, gint32 status);
void core_wire_frame_finish(GByteArray *frame);

void core_wire_put_u32(GByteArray *frame, guint32 value);
/* Variable-length opaque or string: length, bytes, zero padding. */
void core_wire_put_opaque(GByteArray *frame, const void *data, gsize len);
/* remote_error for @error (code, origin, message, level, str1-3, int1-2). */
void core_wire_put_error(GByteArray *frame, const GError *error);

/* Bounded reader over a payload. */
typedef struct {
    const guint8 *data;
    gsize len;
    gsize pos;
} CoreWireReader;

gboolean core_wire_get_u32(CoreWireReader *r, guint32 *ret);
/* (transfer none) points into the reader's buffer. */
gboolean core_wire_get_opaque(CoreWireReader *r, gsize max, const guint8 **ret, gsize *ret_len);
/* Rebuilds the GError of a remote_error payload; NULL if malformed. */
GError *core_wire_get_error(CoreWireReader *r);

G_END_DECLS
