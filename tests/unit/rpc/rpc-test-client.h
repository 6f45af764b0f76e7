/* rpc-test-client: a minimal blocking client for the RPC server tests: it
 * builds frames with the generated encoders and reads replies. */
#pragma once

#include <glib.h>

#include "core-rpc-message.h"
#include "core-rpc-proc.h"

typedef struct {
    CoreRpcHeader header;
    GBytes *packet;          /* whole frame */
    const guint8 *payload;   /* into packet */
    gsize payload_len;
} RpcTestFrame;

void rpc_test_frame_free(RpcTestFrame *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RpcTestFrame, rpc_test_frame_free)

/* Connects to @path (blocking, 5 s receive timeout). */
int rpc_test_connect(const char *path);
/* Writes all of @data; FALSE on error. */
gboolean rpc_test_write(int fd, const void *data, gsize len);
/* Sends a frame with @payload. */
gboolean rpc_test_send(int fd, guint32 prog, guint32 vers, int proc, int type, guint32 serial,
                       int status, const void *payload, gsize len);
/* Sends a CALL of the remote program with @args encoded by @proc's table. */
gboolean rpc_test_call(int fd, int proc, guint32 serial, gconstpointer args);
/* Reads one frame; NULL on EOF, error or timeout. */
RpcTestFrame *rpc_test_read(int fd);
/* Reads frames until a REPLY with @serial arrives (keepalive and event
 * messages are skipped). */
RpcTestFrame *rpc_test_reply(int fd, guint32 serial);
/* Decodes an OK reply into @ret (the proc's ret struct). */
void rpc_test_decode_ret(const RpcTestFrame *f, int proc, gpointer ret);
/* (transfer full) The error of an ERROR reply. */
GError *rpc_test_reply_error(const RpcTestFrame *f);
/* Calls @proc and asserts success, decoding into @ret (may be NULL). */
void rpc_test_call_ok(int fd, int proc, guint32 serial, gconstpointer args, gpointer ret);
/* Calls @proc and returns its error (asserting failure). */
GError *rpc_test_call_err(int fd, int proc, guint32 serial, gconstpointer args);
/* TRUE when the server closed the connection (EOF within the timeout). */
gboolean rpc_test_wait_eof(int fd);
/* AUTH_LIST then CONNECT_OPEN(@uri, @flags); serials 0 and 1. */
void rpc_test_open(int fd, const char *uri, guint flags);
