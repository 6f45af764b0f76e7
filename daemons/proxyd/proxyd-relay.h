/* proxyd-relay: byte relay between a client and the daemon owning its URI.
 *
 * The proxy answered the client's handshake (AUTH_LIST, and the keepalive
 * feature probe) itself, so the relay first replays that handshake to the
 * target and swallows the target's answers, then forwards the client's
 * CONNECT_OPEN frame and everything after it, both ways, through bounded
 * buffers: a side that does not read stops the other side from being read.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ProxydRelay ProxydRelay;

/* Called once when the relay ends (either side closed or failed); the
 * callee frees the relay with proxyd_relay_free(). */
typedef void (*ProxydRelayClosed)(ProxydRelay *relay, gpointer data);

/**
 * proxyd_relay_new:
 * @ctx: context the relay runs on
 * @client_fd, @target_fd: (transfer full) connected sockets
 * @pending, @pending_len: client bytes already read, CONNECT_OPEN first (copied)
 * @keepalive: the client negotiated keepalive with the proxy
 * Returns: (transfer full) the running relay.
 */
ProxydRelay *proxyd_relay_new(GMainContext *ctx, int client_fd, int target_fd,
                              const guint8 *pending, gsize pending_len, gboolean keepalive,
                              ProxydRelayClosed closed, gpointer data);
/* Closes both sockets; never calls @closed. */
void proxyd_relay_free(ProxydRelay *relay);

G_END_DECLS
