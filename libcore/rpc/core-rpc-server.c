/* core-rpc-server: listeners, client limits and the worker pool; the
 * per-client I/O is in core-rpc-client.c. See core-rpc-server.h. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include "core-rpc-server.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "core-error.h"
#include "core-log.h"
#include "core-rpc-server-priv.h"

CORE_LOG_INIT("core.rpc.server");

typedef struct {
    CoreRpcServer *server;
    int fd;
    gboolean readonly;
    GSource *source;
    gpointer tag;
} CoreRpcListener;

typedef struct {
    CoreRpcClient *client;
    CoreRpcJob *job;
    GBytes *reply;
    gboolean close_after;
} CoreRpcWork;

/* ---- fd sources ------------------------------------------------------------------ */

typedef struct {
    GSource source;
    gpointer tag;
    CoreRpcFdFunc func;
    gpointer data;
} CoreRpcFdSource;

static gboolean
fd_source_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
    CoreRpcFdSource *s = (CoreRpcFdSource *)source;
    GIOCondition cond = g_source_query_unix_fd(source, s->tag);

    return s->func(s->data, cond);
}

static GSourceFuncs fd_source_funcs = {
    .dispatch = fd_source_dispatch,
};

GSource *
core_rpc_fd_source_new(int fd, GIOCondition cond, CoreRpcFdFunc func, gpointer data,
                       gpointer *ret_tag)
{
    GSource *source = g_source_new(&fd_source_funcs, sizeof(CoreRpcFdSource));
    CoreRpcFdSource *s = (CoreRpcFdSource *)source;

    s->func = func;
    s->data = data;
    s->tag = g_source_add_unix_fd(source, fd, cond);
    *ret_tag = s->tag;
    return source;
}

/* ---- server ---------------------------------------------------------------------- */

static void
worker_run(gpointer item, gpointer user_data);

CoreRpcServer *
core_rpc_server_new(GMainContext *ctx, const CoreRpcServerConfig *config,
                    CoreRpcDriverSelect select, gpointer select_data)
{
    CoreRpcServer *server = g_new0(CoreRpcServer, 1);

    server->ctx = ctx ? g_main_context_ref(ctx) : g_main_context_ref_thread_default();
    if (config)
        server->cfg = *config;
    if (!server->cfg.max_clients)
        server->cfg.max_clients = 5000;
    if (!server->cfg.max_anonymous)
        server->cfg.max_anonymous = 20;
    if (!server->cfg.max_workers)
        server->cfg.max_workers = 8;
    if (!server->cfg.keepalive_interval)
        server->cfg.keepalive_interval = 5;
    if (!server->cfg.keepalive_count)
        server->cfg.keepalive_count = 5;
    if (!server->cfg.max_queued_bytes)
        server->cfg.max_queued_bytes = 16 * 1024 * 1024;
    server->select = select;
    server->select_data = select_data;
    server->listeners = g_ptr_array_new();
    server->clients = g_hash_table_new(NULL, NULL);
    server->pool = g_thread_pool_new(worker_run, server, (gint)server->cfg.max_workers, FALSE,
                                     NULL);
    return server;
}

static void
listener_free(CoreRpcListener *l)
{
    g_source_destroy(l->source);
    g_source_unref(l->source);
    g_close(l->fd, NULL);
    g_free(l);
}

static void
collect_client(gpointer key, gpointer value, gpointer data)
{
    g_ptr_array_add(data, key);
}

void
core_rpc_server_free(CoreRpcServer *server)
{
    g_autoptr(GPtrArray) clients = NULL;

    if (!server)
        return;
    for (guint i = 0; i < server->listeners->len; i++)
        listener_free(server->listeners->pdata[i]);
    g_ptr_array_unref(server->listeners);
    clients = g_ptr_array_new();
    g_hash_table_foreach(server->clients, collect_client, clients);
    for (guint i = 0; i < clients->len; i++) {
        CoreRpcClient *client = clients->pdata[i];

        core_rpc_client_ref(client);
        core_rpc_client_close(client);
        /* running jobs may still hold the client */
        client->server = NULL;
        core_rpc_client_unref(client);
    }
    /* Running jobs finish; their completions find client->server NULL. */
    g_thread_pool_free(server->pool, FALSE, TRUE);
    if (g_main_context_acquire(server->ctx)) {
        while (g_main_context_iteration(server->ctx, FALSE))
            ;
        g_main_context_release(server->ctx);
    }
    g_hash_table_unref(server->clients);
    g_main_context_unref(server->ctx);
    g_free(server);
}

static void
notify_count(CoreRpcServer *server)
{
    if (server->count_cb)
        server->count_cb(g_hash_table_size(server->clients), server->count_data);
}

/* Stops accepting while the client limit is reached: pending connections
 * wait in the listen backlog, as with libvirtd. The anonymous-client limit
 * does not stop accepting (see evict_anonymous()). */
static void
update_accepting(CoreRpcServer *server)
{
    gboolean full = g_hash_table_size(server->clients) >= server->cfg.max_clients;

    if (full == server->accept_suspended)
        return;
    server->accept_suspended = full;
    if (full)
        CORE_INFO("client limit reached, not accepting new clients for now");
    for (guint i = 0; i < server->listeners->len; i++) {
        CoreRpcListener *l = server->listeners->pdata[i];

        g_source_modify_unix_fd(l->source, l->tag, full ? 0 : G_IO_IN);
    }
}

/* At the anonymous-client limit the oldest client that has not opened a
 * connection yet is dropped to make room. Suspending accept() instead would
 * let any local user with access to the read-only socket (0666) block every
 * new client of the daemon by holding a few idle connections. */
static void
evict_anonymous(CoreRpcServer *server)
{
    GHashTableIter iter;
    gpointer key;
    CoreRpcClient *oldest = NULL;

    if (server->n_anonymous < server->cfg.max_anonymous)
        return;
    g_hash_table_iter_init(&iter, server->clients);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        CoreRpcClient *c = key;

        if (!c->opened && !c->dead && (!oldest || c->seq < oldest->seq))
            oldest = c;
    }
    if (!oldest)
        return;
    CORE_INFO("anonymous client limit reached, dropping the oldest client that has not "
              "opened a connection");
    core_rpc_client_close(oldest);
}

static gboolean
add_client(CoreRpcServer *server, int fd, gboolean readonly, const guint8 *pending,
           gsize pending_len, gboolean keepalive, GError **error)
{
    CoreRpcClient *client;
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
        return core_error_set_errno(error, errno, "cannot set up client socket");
    evict_anonymous(server);
    client = core_rpc_client_new(server, fd, readonly, pending, pending_len, keepalive);
    client->seq = server->next_seq++;
    client->info.id = ++server->next_id;
    g_hash_table_add(server->clients, client);
    server->n_anonymous++;
    update_accepting(server);
    notify_count(server);
    core_rpc_client_start(client);
    return TRUE;
}

static gboolean
listener_ready(gpointer data, GIOCondition cond)
{
    CoreRpcListener *l = data;
    CoreRpcServer *server = l->server;

    while (!server->accept_suspended) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        g_autoptr(GError) err = NULL;

        if (fd < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                CORE_WARN("accept failed: %s, ignoring", g_strerror(errno));
            break;
        }
        if (!add_client(server, fd, l->readonly, NULL, 0, FALSE, &err)) {
            CORE_WARN("%s, ignoring", err->message);
            g_close(fd, NULL);
        }
    }
    return G_SOURCE_CONTINUE;
}

gboolean
core_rpc_server_add_listener(CoreRpcServer *server, int fd, gboolean readonly, GError **error)
{
    CoreRpcListener *l;
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        core_error_set_errno(error, errno, "cannot set up listening socket");
        g_close(fd, NULL);
        return FALSE;
    }
    l = g_new0(CoreRpcListener, 1);
    l->server = server;
    l->fd = fd;
    l->readonly = readonly;
    l->source = core_rpc_fd_source_new(fd, server->accept_suspended ? 0 : G_IO_IN,
                                       listener_ready, l, &l->tag);
    g_source_attach(l->source, server->ctx);
    g_ptr_array_add(server->listeners, l);
    return TRUE;
}

gboolean
core_rpc_server_add_client_fd_full(CoreRpcServer *server, int fd, gboolean readonly,
                                   const guint8 *pending, gsize pending_len, gboolean keepalive,
                                   GError **error)
{
    if (!add_client(server, fd, readonly, pending, pending_len, keepalive, error)) {
        g_close(fd, NULL);
        return FALSE;
    }
    return TRUE;
}

gboolean
core_rpc_server_add_client_fd(CoreRpcServer *server, int fd, gboolean readonly,
                              const guint8 *pending, gsize pending_len, GError **error)
{
    return core_rpc_server_add_client_fd_full(server, fd, readonly, pending, pending_len, FALSE,
                                              error);
}

void
core_rpc_server_set_open_hook(CoreRpcServer *server, CoreRpcOpenHook hook, gpointer data)
{
    server->open_hook = hook;
    server->open_hook_data = data;
}

guint
core_rpc_server_client_count(CoreRpcServer *server)
{
    return g_hash_table_size(server->clients);
}

void
core_rpc_server_set_client_count_cb(CoreRpcServer *server,
                                    void (*cb)(guint count, gpointer data), gpointer data)
{
    server->count_cb = cb;
    server->count_data = data;
}

void
core_rpc_server_client_opened(CoreRpcServer *server, CoreRpcClient *client)
{
    if (server->n_anonymous > 0)
        server->n_anonymous--;
    update_accepting(server);
}

void
core_rpc_server_client_gone(CoreRpcServer *server, CoreRpcClient *client)
{
    if (!g_hash_table_remove(server->clients, client))
        return;
    if (!client->opened && server->n_anonymous > 0)
        server->n_anonymous--;
    update_accepting(server);
    notify_count(server);
}

/* ---- worker pool ------------------------------------------------------------------- */

static gboolean
work_done(gpointer data)
{
    CoreRpcWork *work = data;

    /* The job first: job_done may free the session it points to, and the
     * session must count the job as finished before job_done reads the
     * client's next requests. */
    core_rpc_job_free(work->job);
    core_rpc_client_job_done(work->client, g_steal_pointer(&work->reply), work->close_after);
    core_rpc_client_unref(work->client);
    g_free(work);
    return G_SOURCE_REMOVE;
}

static void
worker_run(gpointer item, gpointer user_data)
{
    CoreRpcWork *work = item;
    CoreRpcServer *server = user_data;
    GSource *done;

    g_atomic_int_inc(&server->busy_workers);
    work->reply = core_rpc_job_run(work->job, &work->close_after);
    g_atomic_int_add(&server->busy_workers, -1);
    done = g_idle_source_new();
    g_source_set_priority(done, G_PRIORITY_DEFAULT);
    g_source_set_callback(done, work_done, work, NULL);
    g_source_attach(done, server->ctx);
    g_source_unref(done);
}

void
core_rpc_server_submit(CoreRpcServer *server, CoreRpcClient *client, CoreRpcJob *job)
{
    CoreRpcWork *work = g_new0(CoreRpcWork, 1);

    core_rpc_client_ref(client);
    work->client = client;
    work->job = job;
    client->in_flight++;
    g_thread_pool_push(server->pool, work, NULL);
}

/* ---- administration --------------------------------------------------------------- */

GArray *
core_rpc_server_list_clients(CoreRpcServer *server)
{
    GArray *list = g_array_sized_new(FALSE, FALSE, sizeof(CoreRpcClientInfo),
                                     g_hash_table_size(server->clients));
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init(&iter, server->clients);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        CoreRpcClient *client = key;

        g_array_append_val(list, client->info);
    }
    g_array_sort(list, core_rpc_client_info_compare);
    return list;
}

static CoreRpcClient *
find_client(CoreRpcServer *server, guint64 id)
{
    GHashTableIter iter;
    gpointer key;

    /* A linear scan: the admin program is rare, and an id index would cost
     * every accept. */
    g_hash_table_iter_init(&iter, server->clients);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        CoreRpcClient *client = key;

        if (client->info.id == id && !client->dead)
            return client;
    }
    return NULL;
}

gboolean
core_rpc_server_get_client(CoreRpcServer *server, guint64 id, CoreRpcClientInfo *ret)
{
    CoreRpcClient *client = find_client(server, id);

    if (!client)
        return FALSE;
    *ret = client->info;
    return TRUE;
}

gboolean
core_rpc_server_close_client(CoreRpcServer *server, guint64 id)
{
    CoreRpcClient *client = find_client(server, id);

    if (!client)
        return FALSE;
    core_rpc_client_close(client);
    return TRUE;
}

void
core_rpc_server_get_limits(CoreRpcServer *server, CoreRpcServerLimits *ret)
{
    ret->max_clients = server->cfg.max_clients;
    ret->n_clients = g_hash_table_size(server->clients);
    ret->max_anonymous = server->cfg.max_anonymous;
    ret->n_anonymous = server->n_anonymous;
}

gboolean
core_rpc_server_set_limits(CoreRpcServer *server, gint64 max_clients, gint64 max_anonymous,
                           GError **error)
{
    gint64 max = max_clients >= 0 ? max_clients : server->cfg.max_clients;
    gint64 anon = max_anonymous >= 0 ? max_anonymous : server->cfg.max_anonymous;

    if (max > G_MAXUINT || anon > G_MAXUINT)
        return core_error_set(error, CORE_ERR_INVALID_ARG, "client limit too large");
    if (max < anon)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "The overall maximum number of clients waiting for "
                              "authentication must not be less than the overall maximum "
                              "number of clients");
    /* evict_anonymous() makes room for a newcomer among the anonymous
     * clients: with no room at all it would drop every newcomer. */
    if (anon == 0)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "the limit of clients that have not opened a connection "
                              "must be at least 1");
    server->cfg.max_clients = (guint)max;
    server->cfg.max_anonymous = (guint)anon;
    update_accepting(server);
    return TRUE;
}

void
core_rpc_server_get_workers(CoreRpcServer *server, CoreRpcWorkerStats *ret)
{
    guint threads = g_thread_pool_get_num_threads(server->pool);
    gint busy = g_atomic_int_get(&server->busy_workers);
    guint n_busy = busy > 0 ? (guint)busy : 0;
    gint max = g_thread_pool_get_max_threads(server->pool);

    ret->max_workers = max > 0 ? (guint)max : 0;
    ret->n_workers = threads;
    /* The two counts are read apart: never report more busy than exist. */
    ret->free_workers = threads > n_busy ? threads - n_busy : 0;
    ret->queue_depth = g_thread_pool_unprocessed(server->pool);
}

gboolean
core_rpc_server_set_max_workers(CoreRpcServer *server, guint max, GError **error)
{
    g_autoptr(GError) local = NULL;

    if (max == 0 || max > G_MAXINT)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "the worker pool needs from 1 to %d threads, not %u", G_MAXINT,
                              max);
    if (!g_thread_pool_set_max_threads(server->pool, (gint)max, &local)) {
        g_propagate_error(error, core_error_from_gerror(local, CORE_FROM_THIS,
                                                        "cannot resize the worker pool"));
        return FALSE;
    }
    CORE_INFO("worker pool limit set to %u threads", max);
    return TRUE;
}
