/* core-remote-conn: the client end of one libvirt-protocol connection.
 *
 * A reader thread owns the receiving side: it matches replies to pending
 * calls by serial, answers keepalive PINGs, sends PINGs when the line is
 * idle (once started) and hands MESSAGE packets (events) to the event
 * function. Calls may be made from any thread and may overlap.
 *
 * Streams (PROTOCOL.md 7): a stream is bound to the serial of the call that
 * opens it before that call goes out, so that no STREAM packet following
 * the reply is lost. The reader queues incoming data on the stream; the
 * stream's functions send data, finish or abort from any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoreRemoteConn CoreRemoteConn;

/* Called on the reader thread for every MESSAGE packet that is not
 * keepalive; @payload is (transfer none) and valid during the call only. */
typedef void (*CoreRemoteEventFunc)(guint32 prog, gint32 proc, const guint8 *payload,
                                    gsize len, gpointer data);

/* Connects to the UNIX socket @path. On failure CORE_ERR_NO_CONNECT naming
 * the path and the reason. (transfer full) */
CoreRemoteConn *core_remote_conn_connect(const char *path, GError **error);

/* Adopts a connected socket @fd (tests: one end of a socketpair). */
CoreRemoteConn *core_remote_conn_new_from_fd(int fd);

/* Must be set before the first call if events are wanted. */
void core_remote_conn_set_event_func(CoreRemoteConn *conn, CoreRemoteEventFunc func,
                                     gpointer data);

/* Sends a CALL of @prog/@proc with @args (nullable: empty payload) and waits
 * for its REPLY. On an OK reply *ret_payload (nullable) receives the reply
 * payload; on an ERROR reply @error is the decoded remote error with every
 * field (code, origin, level, str1-3, int1-2); a dead connection fails
 * with CORE_ERR_RPC. */
gboolean core_remote_conn_call(CoreRemoteConn *conn, guint32 prog, gint32 proc, GBytes *args,
                               GBytes **ret_payload, GError **error);

/* Starts client-side keepalive: PING after @interval seconds of silence,
 * the connection is closed after @count unanswered PINGs. */
void core_remote_conn_start_keepalive(CoreRemoteConn *conn, guint interval, guint count);

/* TRUE until the peer closed or the keepalive gave up. */
gboolean core_remote_conn_is_alive(CoreRemoteConn *conn);

typedef struct _CoreRemoteStream CoreRemoteStream;

/* core_remote_conn_call() of a procedure that opens a stream (console,
 * upload, download...). On success returns the stream (transfer full),
 * bound to the call's serial; NULL with @error as core_remote_conn_call().
 * The stream must be freed before @conn. */
CoreRemoteStream *core_remote_conn_call_stream(CoreRemoteConn *conn, guint32 prog, gint32 proc,
                                               GBytes *args, GBytes **ret_payload,
                                               GError **error);

/* Waits for data of @st and copies up to @len bytes of it into @buf.
 * Returns the byte count, 0 at the end of the stream (the server's empty
 * CONTINUE, its OK, or after finish/abort), -1 with @error on a server
 * error (its remote_error) or a dead connection (CORE_ERR_RPC). */
gssize core_remote_stream_recv(CoreRemoteStream *st, guint8 *buf, gsize len, GError **error);

/* Like core_remote_stream_recv() but waits at most @timeout_ms (-1: no
 * limit); returns -2 without setting @error when nothing came in time. */
gssize core_remote_stream_recv_timeout(CoreRemoteStream *st, guint8 *buf, gsize len,
                                       int timeout_ms, GError **error);

/* Sends @len bytes as STREAM CONTINUE packets (chunked). Fails with the
 * error the server reported on the stream, CORE_ERR_RPC when the
 * connection is gone, CORE_ERR_OPERATION_INVALID after finish/abort. */
gboolean core_remote_stream_send(CoreRemoteStream *st, const guint8 *data, gsize len,
                                 GError **error);

/* Sends the client's finish (empty STREAM OK) and waits up to @timeout_ms
 * (-1: no limit) for the server's confirmation. FALSE with @error when the
 * server reported an error, the connection died, or no confirmation came
 * in time (CORE_ERR_RPC). */
gboolean core_remote_stream_finish(CoreRemoteStream *st, int timeout_ms, GError **error);

/* Sends the client's abort (empty STREAM ERROR); does not wait: queued
 * packets and a confirmation the server may send are dropped. */
gboolean core_remote_stream_abort(CoreRemoteStream *st, GError **error);

/* TRUE once the server ended the stream (EOF, OK or ERROR), the client
 * finished or aborted it, or the connection died. */
gboolean core_remote_stream_is_ended(CoreRemoteStream *st);

/* Unbinds @st from its connection (later packets of its serial are
 * dropped) and frees it. Does not send anything. */
void core_remote_stream_free(CoreRemoteStream *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreRemoteStream, core_remote_stream_free)

/* Closes the socket, fails pending calls, joins the reader thread. */
void core_remote_conn_free(CoreRemoteConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreRemoteConn, core_remote_conn_free)

G_END_DECLS
