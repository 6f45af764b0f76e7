/* proxyd-route: see proxyd-route.h. */
#include "proxyd-route.h"

#include <glib/gstdio.h>
#include <string.h>

#include "core-daemon-handoff.h"
#include "core-daemon-wire.h"
#include "core-error.h"
#include "core-log.h"
#include "proxyd-relay.h"

#define CORE_FROM_THIS CORE_FROM_REMOTE

CORE_LOG_INIT("proxyd.route");

#define LOCAL "local"
#define HANDOFF_TIMEOUT_MS 5000

/* Schemes [routes] may name, with the daemon serving each by default
 * (NULL: served in-process). */
static const struct {
    const char *scheme;
    const char *daemon;
} default_routes[] = {
    { "qemu", "qemud" },         { "lxc", "lxcd" },         { "xen", "xend" },
    { "network", "networkd" },   { "storage", "storaged" }, { "nwfilter", "nwfilterd" },
    { "nodedev", "nodedevd" },   { "interface", NULL },     { "secret", NULL },
    { "test", NULL },
};

struct _ProxydRouter {
    CoreDaemon *daemon;
    GHashTable *routes; /* scheme -> daemon short name */
    gboolean handoff;
    GPtrArray *relays;   /* ProxydRelay */
    GPtrArray *handoffs; /* PendingHandoff */
};

typedef struct {
    ProxydRouter *router;
    CoreDaemonHandoff *handoff;
    int client_fd;
    int target_fd;
    GBytes *pending;
    gboolean keepalive;
} PendingHandoff;

const char *
proxyd_router_lookup(ProxydRouter *router, const char *scheme)
{
    return g_hash_table_lookup(router->routes, scheme);
}

/* ---- relays ------------------------------------------------------------------- */

static void
relay_closed(ProxydRelay *relay, gpointer data)
{
    ProxydRouter *router = data;

    CORE_DEBUG("relay ended");
    g_ptr_array_remove_fast(router->relays, relay);
    core_daemon_release(router->daemon);
}

static void
start_relay(ProxydRouter *router, int client_fd, int target_fd, const guint8 *pending,
            gsize pending_len, gboolean keepalive)
{
    ProxydRelay *relay = proxyd_relay_new(core_daemon_get_context(router->daemon), client_fd,
                                          target_fd, pending, pending_len, keepalive,
                                          relay_closed, router);

    core_daemon_hold(router->daemon);
    g_ptr_array_add(router->relays, relay);
}

/* ---- hand-off ------------------------------------------------------------------ */

static void
pending_free(PendingHandoff *p)
{
    core_daemon_handoff_cancel(p->handoff);
    if (p->client_fd >= 0)
        g_close(p->client_fd, NULL);
    if (p->target_fd >= 0)
        g_close(p->target_fd, NULL);
    g_bytes_unref(p->pending);
    core_daemon_release(p->router->daemon);
    g_free(p);
}

static void
handoff_done(const GError *error, gboolean may_retry, gpointer data)
{
    PendingHandoff *p = data;
    ProxydRouter *router = p->router;

    p->handoff = NULL;
    if (!error) {
        CORE_DEBUG("client handed off");
    } else if (may_retry) {
        gsize len = 0;
        const guint8 *bytes = g_bytes_get_data(p->pending, &len);

        CORE_INFO("hand-off failed (%s), relaying instead", error->message);
        start_relay(router, p->client_fd, p->target_fd, bytes, len, p->keepalive);
        p->client_fd = -1;
        p->target_fd = -1;
    } else {
        CORE_WARN("hand-off failed (%s), dropping the client", error->message);
    }
    g_ptr_array_remove_fast(router->handoffs, p);
}

static gboolean
start_handoff(ProxydRouter *router, const char *target, int client_fd, int target_fd,
              gboolean readonly, const guint8 *pending, gsize pending_len, gboolean keepalive)
{
    g_autofree char *admin = core_daemon_paths_socket_of(core_daemon_get_paths(router->daemon),
                                                         target, CORE_DAEMON_SOCK_ADMIN);
    g_autoptr(GError) error = NULL;
    guint32 flags = (readonly ? CORE_WIRE_HANDOFF_FLAG_READONLY : 0) |
                    (keepalive ? CORE_WIRE_HANDOFF_FLAG_KEEPALIVE : 0);
    PendingHandoff *p = g_new0(PendingHandoff, 1);

    p->router = router;
    p->client_fd = client_fd;
    p->target_fd = target_fd;
    p->pending = g_bytes_new(pending, pending_len);
    p->keepalive = keepalive;
    p->handoff = core_daemon_handoff_start(core_daemon_get_context(router->daemon), admin,
                                           client_fd, flags, pending, pending_len,
                                           HANDOFF_TIMEOUT_MS, handoff_done, p, &error);
    if (!p->handoff) {
        CORE_DEBUG("no hand-off (%s), relaying", error->message);
        p->client_fd = p->target_fd = -1;
        g_bytes_unref(p->pending);
        g_free(p);
        return FALSE;
    }
    core_daemon_hold(router->daemon);
    g_ptr_array_add(router->handoffs, p);
    return TRUE;
}

/* ---- the open hook -------------------------------------------------------------- */

/* (transfer full) The lowercase driver part of @uri's scheme, NULL if none. */
static char *
uri_driver(const char *uri)
{
    gsize len = strcspn(uri, ":");

    if (uri[len] != ':' || len == 0)
        return NULL;
    len = MIN(len, strcspn(uri, "+"));
    return g_ascii_strdown(uri, (gssize)len);
}

static gboolean
open_hook(CoreRpcServer *server, int client_fd, gboolean readonly, const char *uri,
          const guint8 *pending, gsize pending_len, gboolean keepalive, gpointer data,
          GError **error)
{
    ProxydRouter *router = data;
    const CoreDaemonPaths *paths = core_daemon_get_paths(router->daemon);
    g_autofree char *driver = uri ? uri_driver(uri) : NULL;
    const char *target = driver ? proxyd_router_lookup(router, driver) : NULL;
    g_autofree char *path = NULL;
    g_autoptr(GError) local = NULL;
    int target_fd;

    if (!target)
        return FALSE;
    path = core_daemon_paths_socket_of(paths, target,
                                       readonly ? CORE_DAEMON_SOCK_RO : CORE_DAEMON_SOCK_RW);
    target_fd = core_daemon_connect_unix(path, &local);
    if (target_fd < 0) {
        g_autofree char *hint = core_daemon_paths_start_hint(paths, target);
        g_autofree char *msg = g_strdup_printf("vireo-%s is not running: %s (%s)", target,
                                               local->message, hint);

        return core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_NO_CONNECT, msg);
    }
    CORE_DEBUG("routing '%s' to vireo-%s", uri, target);
    if (!router->handoff || !start_handoff(router, target, client_fd, target_fd, readonly,
                                           pending, pending_len, keepalive))
        start_relay(router, client_fd, target_fd, pending, pending_len, keepalive);
    return TRUE;
}

/* ---- configuration ---------------------------------------------------------------- */

static gboolean
valid_daemon_name(const char *name)
{
    if (!*name || strlen(name) > 64)
        return FALSE;
    for (const char *p = name; *p; p++) {
        if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '_' && *p != '-')
            return FALSE;
    }
    return TRUE;
}

static gboolean
load_routes(ProxydRouter *router, const CoreConfig *file, GError **error)
{
    const char *known[G_N_ELEMENTS(default_routes) + 1] = { NULL };

    for (gsize i = 0; i < G_N_ELEMENTS(default_routes); i++)
        known[i] = default_routes[i].scheme;
    if (!core_config_check_keys(file, "routes", known, error))
        return FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(default_routes); i++) {
        g_autofree char *value = NULL;

        if (!core_config_get_string(file, "routes", known[i], default_routes[i].daemon, &value,
                                    error))
            return FALSE;
        if (!value || strcmp(value, LOCAL) == 0)
            continue;
        if (!valid_daemon_name(value))
            return core_error_set_full(error, CORE_FROM_CONF, CORE_ERR_CONF_SYNTAX,
                                       "%s: [routes] %s: '%s' is not a daemon short name "
                                       "(such as qemud) or 'local'",
                                       core_config_get_name(file), known[i], value);
        g_hash_table_insert(router->routes, g_strdup(known[i]), g_steal_pointer(&value));
    }
    return TRUE;
}

ProxydRouter *
proxyd_router_new(CoreDaemon *daemon, GError **error)
{
    const CoreConfig *file = core_daemon_get_config(daemon)->file;
    static const char *const proxy_keys[] = { "handoff", NULL };
    ProxydRouter *router = g_new0(ProxydRouter, 1);

    router->daemon = daemon;
    router->routes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    router->relays = g_ptr_array_new_with_free_func((GDestroyNotify)proxyd_relay_free);
    router->handoffs = g_ptr_array_new_with_free_func((GDestroyNotify)pending_free);
    if (!core_config_check_keys(file, "proxy", proxy_keys, error) ||
        !core_config_get_bool(file, "proxy", "handoff", TRUE, &router->handoff, error) ||
        !load_routes(router, file, error)) {
        proxyd_router_free(router);
        return NULL;
    }
    core_rpc_server_set_open_hook(core_daemon_get_server(daemon), open_hook, router);
    return router;
}

void
proxyd_router_free(ProxydRouter *router)
{
    if (!router)
        return;
    /* Relays release their hold as they go; the daemon is stopping anyway. */
    for (guint i = 0; i < router->relays->len; i++)
        core_daemon_release(router->daemon);
    g_ptr_array_unref(router->relays);
    g_ptr_array_unref(router->handoffs);
    g_hash_table_unref(router->routes);
    g_free(router);
}
