/* core-daemon-handoff: hands a connected client socket to another daemon
 * over that daemon's admin socket (the sending side of the hand-off program
 * described in core-daemon-admin.h and docs/daemons.md). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoreDaemonHandoff CoreDaemonHandoff;

/* Called once on the context the hand-off was started on. @error is NULL
 * when the target adopted the client; otherwise @may_retry tells whether
 * the target certainly did not keep the client (it refused, or the
 * connection broke before it answered) as opposed to a timeout. */
typedef void (*CoreDaemonHandoffDone)(const GError *error, gboolean may_retry, gpointer data);

/**
 * core_daemon_handoff_start:
 * @ctx: context for the asynchronous part (NULL: the global default)
 * @admin_path: the target's NAME-admin-sock
 * @client_fd: (transfer none) the client socket; a duplicate travels, the
 *   caller closes its copy once @done reports success
 * @flags: CORE_WIRE_HANDOFF_FLAG_READONLY / _KEEPALIVE
 * @pending, @pending_len: bytes already read from the client (copied)
 * @timeout_ms: how long to wait for the answer
 * Connects synchronously (a local socket either accepts or refuses at once)
 * and sends asynchronously.
 * Returns: (transfer none) the hand-off in flight, freed after @done ran;
 * NULL with CORE_ERR_SYSTEM_ERROR when the admin socket refuses (then
 * @done is never called).
 */
CoreDaemonHandoff *core_daemon_handoff_start(GMainContext *ctx, const char *admin_path,
                                             int client_fd, guint32 flags,
                                             const guint8 *pending, gsize pending_len,
                                             guint timeout_ms, CoreDaemonHandoffDone done,
                                             gpointer data, GError **error);

/* Abandons a hand-off in flight without calling its @done (at shutdown). */
void core_daemon_handoff_cancel(CoreDaemonHandoff *handoff);

/**
 * core_daemon_connect_unix:
 * Connects a non-blocking, close-on-exec UNIX stream socket to @path.
 * Returns: the fd or -1 with CORE_ERR_SYSTEM_ERROR "cannot connect to
 * '@path': <reason>".
 */
int core_daemon_connect_unix(const char *path, GError **error);

G_END_DECLS
