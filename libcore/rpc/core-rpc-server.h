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

/* ---- administration (libvirt's admin program, core-daemon-admin-proto.c) ----
 * Snapshots and changes of the server's clients, limits and worker pool.
 * Clients and limits belong to the server's context: call these from a
 * callback running on it (the daemon's admin socket is served there).
 * core_rpc_server_get_workers() and core_rpc_server_set_max_workers() may
 * be called from any thread. */

/* virClientTransport: how a client is connected. */
#define CORE_RPC_CLIENT_TRANSPORT_UNIX 0

typedef struct {
    guint64 id;            /* from 1 in accept order, never reused by a server */
    gint64 timestamp;      /* when it connected, seconds since the epoch */
    int transport;         /* CORE_RPC_CLIENT_TRANSPORT_* */
    gboolean readonly;
    gboolean has_identity; /* uid, gid and pid are known (SO_PEERCRED) */
    guint32 uid;
    guint32 gid;
    gint32 pid;
} CoreRpcClientInfo;

/* Starts @info for a client just accepted on the UNIX socket @fd: connect
 * time now, transport UNIX and, when the kernel tells (SO_PEERCRED), the
 * peer's uid, gid and pid. The id and readonly flag are the caller's. */
void core_rpc_client_info_init(CoreRpcClientInfo *info, int fd);

/* GCompareFunc: CoreRpcClientInfo by ascending id. */
gint core_rpc_client_info_compare(gconstpointer a, gconstpointer b);

typedef struct {
    guint max_clients;
    guint n_clients;
    guint max_anonymous;   /* clients that have not opened a connection yet */
    guint n_anonymous;
} CoreRpcServerLimits;

typedef struct {
    guint max_workers;
    guint n_workers;       /* threads serving the pool now, busy or waiting */
    guint free_workers;    /* of those, the ones waiting for a job */
    guint queue_depth;     /* jobs waiting for a thread */
} CoreRpcWorkerStats;

/* (transfer full) The connected clients (CoreRpcClientInfo) by ascending id. */
GArray *core_rpc_server_list_clients(CoreRpcServer *server);

/* Fills @ret with client @id; FALSE when no such client is connected. */
gboolean core_rpc_server_get_client(CoreRpcServer *server, guint64 id, CoreRpcClientInfo *ret);

/* Drops client @id at once (its socket is closed, its jobs finish
 * unanswered); FALSE when no such client is connected. */
gboolean core_rpc_server_close_client(CoreRpcServer *server, guint64 id);

void core_rpc_server_get_limits(CoreRpcServer *server, CoreRpcServerLimits *ret);

/**
 * core_rpc_server_set_limits:
 * @max_clients, @max_anonymous: new limits, -1 keeps the current one
 * Applies at once: reaching the client limit stops accepting, raising it
 * resumes; a lower anonymous limit is enforced on the next accept.
 * Returns: FALSE with CORE_ERR_INVALID_ARG (nothing changed) when
 * @max_clients would be below @max_anonymous or @max_anonymous is 0.
 */
gboolean core_rpc_server_set_limits(CoreRpcServer *server, gint64 max_clients,
                                    gint64 max_anonymous, GError **error);

void core_rpc_server_get_workers(CoreRpcServer *server, CoreRpcWorkerStats *ret);

/* Sets the worker pool's thread limit (1 to G_MAXINT; CORE_ERR_INVALID_ARG
 * otherwise). Threads above a lowered limit end after their current job. */
gboolean core_rpc_server_set_max_workers(CoreRpcServer *server, guint max, GError **error);

G_END_DECLS
