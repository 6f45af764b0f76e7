/* core-rpc-server-priv: state shared by core-rpc-server.c (listeners,
 * limits, worker pool) and core-rpc-client.c (per-client I/O). Everything
 * here is owned by the server's GMainContext thread unless noted. */
#pragma once

#include "core-rpc-dispatch.h"
#include "core-rpc-server.h"

G_BEGIN_DECLS

/* Requests a client may have in the worker pool at once (libvirtd's
 * max_client_requests default). */
#define CORE_RPC_CLIENT_MAX_REQUESTS 5

struct _CoreRpcServer {
    GMainContext *ctx;
    CoreRpcServerConfig cfg;
    CoreRpcDriverSelect select;
    gpointer select_data;
    CoreRpcOpenHook open_hook;
    gpointer open_hook_data;
    void (*count_cb)(guint count, gpointer data);
    gpointer count_data;
    GPtrArray *listeners;  /* CoreRpcListener */
    GHashTable *clients;   /* set of CoreRpcClient */
    guint n_anonymous;     /* clients that have not opened a connection */
    guint64 next_seq;      /* accept order, to find the oldest anonymous client */
    guint64 next_id;       /* the last client id handed out */
    gboolean accept_suspended;
    GThreadPool *pool;
    gint busy_workers;     /* atomic: pool threads running a job */
};

struct _CoreRpcClient {
    gint refcount; /* atomic */
    CoreRpcServer *server; /* NULL once the server is gone */
    GMainContext *ctx;     /* the server's context (owned reference) */
    int fd;
    gboolean readonly;
    GSource *io;
    gpointer io_tag;
    GIOCondition io_cond;  /* last condition given to io_tag */
    gboolean in_io;        /* client_io is running (guards nested main loops) */
    CoreRpcSession *session;

    GByteArray *inbuf;
    gsize in_pos;
    GQueue in_fds;         /* received descriptors (GINT_TO_POINTER) */
    GBytes *fd_packet;     /* a *_WITH_FDS packet waiting for its descriptors */
    guint fd_bytes_left;   /* dummy bytes that still carry descriptors */

    GQueue outq;           /* GBytes */
    gsize out_offset;
    gsize out_bytes;

    /* Events queued by driver threads; protected by ev_lock. */
    GMutex ev_lock;
    GQueue ev_queue;
    gboolean ev_scheduled;
    gboolean ev_closed;

    guint in_flight;
    gboolean opened;
    gboolean closing;
    gboolean dead;
    gboolean handed_off;
    gboolean open_waits;   /* a CONNECT_OPEN for the open hook waits for the output to drain */

    guint64 seq;           /* accept order (CoreRpcServer.next_seq) */
    CoreRpcClientInfo info; /* what the admin program shows (id from 1) */
    gint64 last_rx;
    guint pings_unanswered;
    GSource *ka_timer;
};

/* core-rpc-client.c */
CoreRpcClient *core_rpc_client_new(CoreRpcServer *server, int fd, gboolean readonly,
                                   const guint8 *pending, gsize pending_len,
                                   gboolean keepalive);
/* Processes bytes given at creation (after the server registered it). */
void core_rpc_client_start(CoreRpcClient *client);
void core_rpc_client_ref(CoreRpcClient *client);
void core_rpc_client_unref(CoreRpcClient *client);
/* Drops the connection (closes the socket unless handed off); the client
 * is finalized once its worker jobs are done. */
void core_rpc_client_close(CoreRpcClient *client);
/* Queues a reply packet (transfer full) and updates the I/O watch. */
void core_rpc_client_queue(CoreRpcClient *client, GBytes *packet);
/* Called on the main loop when a worker finished @job of @client. */
void core_rpc_client_job_done(CoreRpcClient *client, GBytes *reply, gboolean close_after);
/* Re-evaluates reading/writing interest (after limits change). */
void core_rpc_client_update_io(CoreRpcClient *client);

/* core-rpc-server.c */
void core_rpc_server_client_opened(CoreRpcServer *server, CoreRpcClient *client);
void core_rpc_server_client_gone(CoreRpcServer *server, CoreRpcClient *client);
void core_rpc_server_submit(CoreRpcServer *server, CoreRpcClient *client, CoreRpcJob *job);

/* A GSource watching one fd whose condition can change (g_source_add_unix_fd). */
typedef gboolean (*CoreRpcFdFunc)(gpointer data, GIOCondition cond);
GSource *core_rpc_fd_source_new(int fd, GIOCondition cond, CoreRpcFdFunc func, gpointer data,
                                gpointer *ret_tag);

G_END_DECLS
