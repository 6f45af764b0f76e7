/* core-remote-conn: the client end of one libvirt-protocol connection.
 *
 * A reader thread owns the receiving side: it matches replies to pending
 * calls by serial, answers keepalive PINGs, sends PINGs when the line is
 * idle (once started) and hands MESSAGE packets (events) to the event
 * function. Calls may be made from any thread and may overlap.
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

/* Closes the socket, fails pending calls, joins the reader thread. */
void core_remote_conn_free(CoreRemoteConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreRemoteConn, core_remote_conn_free)

G_END_DECLS
