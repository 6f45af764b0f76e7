/* core-rpc-server: libvirt-protocol server over UNIX stream sockets.
 *
 * CONTRACT between the RPC layer and libcore/daemon (core_daemon_main) and
 * the proxy. One GMainContext owns all client I/O; blocking driver calls run
 * on a worker pool.
 */
#pragma once

#include <glib.h>

#include "core-driver.h"

G_BEGIN_DECLS

typedef struct _CoreRpcServer CoreRpcServer;
typedef struct _CoreRpcClient CoreRpcClient;

typedef struct {
    guint max_clients;        /* 0 = default (5000) */
    guint max_anonymous;      /* clients that have not opened yet; 0 = default (20) */
    guint max_workers;        /* 0 = default (8) */
    guint keepalive_interval; /* seconds, 0 = default 5 */
    guint keepalive_count;    /* 0 = default 5 */
    gsize max_queued_bytes;   /* per-client outgoing queue cap; 0 = default (16 MiB) */
} CoreRpcServerConfig;

/* Routes CONNECT_OPEN to a driver by URI. Return the driver to open
 * @uri with, or NULL with @error set (CORE_ERR_NO_CONNECT). The proxy uses
 * this to pick "test" in-process or to relay to another daemon. */
typedef const CoreDriver *(*CoreRpcDriverSelect)(const char *uri, gpointer user_data,
                                                 GError **error);

/* (transfer full) @ctx NULL = the thread-default/global default context. */
CoreRpcServer *core_rpc_server_new(GMainContext *ctx, const CoreRpcServerConfig *config,
                                   CoreRpcDriverSelect select, gpointer select_data);
void core_rpc_server_free(CoreRpcServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreRpcServer, core_rpc_server_free)

/* Starts accepting on listening socket @fd (ownership passes to the server).
 * Clients from a @readonly listener get read-only connections: procedures
 * not annotated read-only in the protocol description answer
 * CORE_ERR_OPERATION_DENIED. */
gboolean core_rpc_server_add_listener(CoreRpcServer *server, int fd, gboolean readonly,
                                      GError **error);

/* Adopts an already-connected client socket @fd (e.g. handed over by the
 * proxy with SCM_RIGHTS). @pending/@pending_len are bytes already read from
 * it that belong to the protocol stream (may be NULL/0). */
gboolean core_rpc_server_add_client_fd(CoreRpcServer *server, int fd, gboolean readonly,
                                       const guint8 *pending, gsize pending_len,
                                       GError **error);

/* Like core_rpc_server_add_client_fd(); @keepalive tells that the client
 * already negotiated keepalive (SUPPORTS_FEATURE 10) on the connection
 * before it was handed over, so the server PINGs it. */
gboolean core_rpc_server_add_client_fd_full(CoreRpcServer *server, int fd, gboolean readonly,
                                           const guint8 *pending, gsize pending_len,
                                           gboolean keepalive, GError **error);

/* Connection hand-off (the proxy's routing). Called on the server context
 * when a client sends CONNECT_OPEN, before any driver is selected.
 * @client_fd is the client's socket (transfer none unless TRUE is
 * returned), @pending holds the CONNECT_OPEN frame itself followed by any
 * further bytes already read from the client, @keepalive tells whether the
 * client negotiated keepalive (SUPPORTS_FEATURE 10) before opening.
 * Return TRUE: the hook took the socket (the server forgets the client
 * without closing the fd and without replying). Return FALSE with @error
 * set: the server replies that error to CONNECT_OPEN. Return FALSE without
 * error: the server opens the URI locally through its CoreRpcDriverSelect. */
typedef gboolean (*CoreRpcOpenHook)(CoreRpcServer *server, int client_fd, gboolean readonly,
                                    const char *uri, const guint8 *pending, gsize pending_len,
                                    gboolean keepalive, gpointer data, GError **error);
void core_rpc_server_set_open_hook(CoreRpcServer *server, CoreRpcOpenHook hook,
                                   gpointer data);

/* Number of connected clients (for idle timeouts). */
guint core_rpc_server_client_count(CoreRpcServer *server);

/* Called on the server's context whenever the client count changes. */
void core_rpc_server_set_client_count_cb(CoreRpcServer *server,
                                         void (*cb)(guint count, gpointer data),
                                         gpointer data);

G_END_DECLS
