/* core-remote-driver: see core-remote-driver.h.
 *
 * This file resolves URIs to sockets, runs the handshake, sends calls and
 * assembles the driver tables from the generated entries
 * (core-remote-stubs.c, from remote-procs.def) and the hand-written ones.
 */
#define CORE_FROM_THIS CORE_FROM_REMOTE
#include "core-remote-driver.h"

#include <string.h>
#include <unistd.h>

#include "core-error.h"
#include "core-log.h"
#include "core-remote-priv.h"
#include "core-remote-stubs.h"
#include "core-rpc-message.h"
#include "core-rpc-protocol.h"
#include "core-uri.h"

CORE_LOG_INIT("core.rpc.remote");

/* libvirt's VIR_DRV_FEATURE_* numbers the handshake asks about */
#define FEATURE_PROGRAM_KEEPALIVE 10
#define FEATURE_REMOTE_EVENT_CALLBACK 14
#define FEATURE_REMOTE_CLOSE_CALLBACK 15

/* What virsh runs: a PING after 5 s of silence, give up after 6 missed. */
#define KEEPALIVE_INTERVAL 5
#define KEEPALIVE_COUNT 6

#define REMOTE_AUTH_NONE 0
/* CONNECT_OPEN flag bits of the client (PROTOCOL.md 3.2) */
#define OPEN_FLAG_READONLY 1u
#define OPEN_FLAG_USER 2u

#define PROXY_NAME "proxyd"

/* URI driver scheme -> daemon short name; anything else goes to the proxy */
static const struct {
    const char *scheme;
    const char *daemon;
} daemon_names[] = {
    { "qemu", "qemud" },         { "lxc", "lxcd" },           { "xen", "xend" },
    { "network", "networkd" },   { "storage", "storaged" },   { "nwfilter", "nwfilterd" },
    { "nodedev", "nodedevd" },   { "test", PROXY_NAME },
};

static const char *
daemon_of(const char *driver)
{
    for (gsize i = 0; i < G_N_ELEMENTS(daemon_names); i++) {
        if (g_str_equal(daemon_names[i].scheme, driver))
            return daemon_names[i].daemon;
    }
    return PROXY_NAME;
}

/* The directory holding the daemons' sockets for @uri. */
static char *
run_dir_of(const CoreUri *uri)
{
    const char *root = g_getenv("VIREO_ROOT");

    if (root && *root)
        return g_build_filename(root, "run", "vireo", NULL);
    /* root always talks to the system daemons, as libvirt clients do */
    if (geteuid() == 0 || g_str_equal(uri->path, "/system"))
        return g_strdup("/run/vireo");
    return g_build_filename(g_get_user_runtime_dir(), "vireo", NULL);
}

char *
core_remote_socket_path(const char *uri, gboolean readonly, GError **error)
{
    g_autoptr(CoreUri) u = core_uri_parse(uri, error);
    g_autofree char *dir = NULL;
    g_autofree char *own = NULL;
    g_autofree char *proxy = NULL;
    const char *suffix = readonly ? "-sock-ro" : "-sock";
    const char *socket_param;
    const char *name;

    if (!u)
        return NULL;
    if (u->transport && !g_str_equal(u->transport, "unix")) {
        core_error_set(error, CORE_ERR_NO_CONNECT,
                       "transport '%s' of URI '%s' is not supported: only local UNIX "
                       "sockets are", u->transport, uri);
        return NULL;
    }
    if (u->host) {
        core_error_set(error, CORE_ERR_NO_CONNECT,
                       "URI '%s' names a host: only local UNIX sockets are supported", uri);
        return NULL;
    }
    socket_param = core_uri_get_param(u, "socket");
    if (socket_param && *socket_param)
        return g_strdup(socket_param);

    dir = run_dir_of(u);
    name = daemon_of(u->driver);
    own = g_strdup_printf("%s/%s%s", dir, name, suffix);
    if (g_str_equal(name, PROXY_NAME))
        return g_steal_pointer(&own);
    /* The daemon's own socket first: the proxy is a convenience, never a
     * requirement. When the daemon is not there, a running proxy may still
     * route to it. */
    proxy = g_strdup_printf("%s/%s%s", dir, PROXY_NAME, suffix);
    if (!g_file_test(own, G_FILE_TEST_EXISTS) && g_file_test(proxy, G_FILE_TEST_EXISTS))
        return g_steal_pointer(&proxy);
    return g_steal_pointer(&own);
}

gboolean
core_remote_invoke(gpointer conn, int proc, gconstpointer args, gpointer ret, GError **error)
{
    CoreRemote *priv = conn;
    const CoreRpcProcInfo *info = core_rpc_program_lookup(&core_rpc_remote_program, proc);
    g_autoptr(GBytes) in = NULL;
    g_autoptr(GBytes) out = NULL;
    CoreXdrReader r;
    gsize len = 0;
    const guint8 *data;

    g_return_val_if_fail(info && info->name, FALSE);
    if (args && info->args_size) {
        CoreXdrWriter w;

        core_xdr_writer_init(&w);
        if (!info->args_encode(&w, args, error)) {
            core_xdr_writer_clear(&w);
            return FALSE;
        }
        in = core_xdr_writer_steal(&w);
        core_xdr_writer_clear(&w);
    }
    if (!core_remote_conn_call(priv->rpc, CORE_RPC_REMOTE_PROGRAM, proc, in, &out, error))
        return FALSE;
    data = out ? g_bytes_get_data(out, &len) : NULL;
    core_xdr_reader_init(&r, data, len);
    if (ret && info->ret_size) {
        if (!info->ret_decode(&r, ret, error)) {
            info->ret_clear(ret);
            return FALSE;
        }
    }
    if (!core_xdr_reader_finish(&r, error)) {
        if (ret && info->ret_size)
            info->ret_clear(ret);
        return FALSE;
    }
    return TRUE;
}

static void
remote_free(CoreRemote *priv)
{
    if (!priv)
        return;
    core_remote_console_close_all(priv);
    core_remote_conn_free(priv->rpc);
    g_mutex_clear(&priv->lock);
    g_free(priv->uri);
    g_free(priv);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreRemote, remote_free)

/* AUTH_LIST: only "none" is spoken (UNIX sockets; SASL/polkit later). */
static gboolean
check_auth(CoreRemote *priv, GError **error)
{
    CoreRpcAuthListRet ret = { 0 };
    gboolean none;

    if (!core_remote_invoke(priv, CORE_RPC_REMOTE_PROC_AUTH_LIST, NULL, &ret, error))
        return FALSE;
    none = ret.types_len == 0;
    for (guint i = 0; i < ret.types_len; i++)
        none = none || ret.types[i] == REMOTE_AUTH_NONE;
    core_rpc_auth_list_ret_clear(&ret);
    if (!none)
        return core_error_set(error, CORE_ERR_AUTH_FAILED,
                              "the daemon requires an authentication method this client "
                              "does not support");
    return TRUE;
}

static gboolean
connect_open(CoreRemote *priv, GError **error)
{
    g_autoptr(CoreUri) u = core_uri_parse(priv->uri, error);
    g_autofree char *name = NULL;
    CoreRpcConnectOpenArgs args = { 0 };

    if (!u)
        return FALSE;
    name = core_uri_open_name(u);
    args.name = name;
    args.flags = (priv->flags & OPEN_FLAG_READONLY) | (geteuid() != 0 ? OPEN_FLAG_USER : 0);
    return core_remote_invoke(priv, CORE_RPC_REMOTE_PROC_CONNECT_OPEN, &args, NULL, error);
}

/* The sequence of PROTOCOL.md 3.3: AUTH_LIST, feature 10 (keepalive),
 * CONNECT_OPEN, features 14 and 15. */
static gboolean
handshake(CoreRemote *priv, GError **error)
{
    int r;

    if (!check_auth(priv, error))
        return FALSE;
    if ((r = core_remote_host_supports_feature(priv, FEATURE_PROGRAM_KEEPALIVE, error)) < 0)
        return FALSE;
    if (r > 0)
        core_remote_conn_start_keepalive(priv->rpc, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT);
    if (!connect_open(priv, error))
        return FALSE;
    if ((r = core_remote_host_supports_feature(priv, FEATURE_REMOTE_EVENT_CALLBACK, error)) < 0)
        return FALSE;
    priv->event_callbacks = r > 0;
    /* asked as virsh asks; the close callback itself is not used */
    return core_remote_host_supports_feature(priv, FEATURE_REMOTE_CLOSE_CALLBACK, error) >= 0;
}

static gboolean
remote_open(const char *uri, guint flags, CoreEventSink sink, gpointer sink_data,
            gpointer *ret_conn, GError **error)
{
    g_autoptr(CoreRemote) priv = NULL;
    g_autofree char *path = core_remote_socket_path(uri, flags & OPEN_FLAG_READONLY, error);
    CoreRemoteConn *rpc;

    if (!path)
        return FALSE;
    CORE_DEBUG("opening '%s' on socket '%s'", uri, path);
    if (!(rpc = core_remote_conn_connect(path, error)))
        return FALSE;
    priv = g_new0(CoreRemote, 1);
    priv->rpc = rpc;
    priv->uri = g_strdup(uri);
    priv->flags = flags;
    priv->sink = sink;
    priv->sink_data = sink_data;
    g_mutex_init(&priv->lock);
    for (int i = 0; i < CORE_EVENT_LAST; i++)
        priv->callback_id[i] = -1;
    core_remote_conn_set_event_func(rpc, core_remote_event_received, priv);
    if (!handshake(priv, error))
        return FALSE;
    *ret_conn = g_steal_pointer(&priv);
    return TRUE;
}

static void
remote_close(gpointer conn)
{
    CoreRemote *priv = conn;
    g_autoptr(GError) err = NULL;

    if (!priv)
        return;
    core_remote_console_close_all(priv);
    /* The server drops the event registrations with the connection. */
    if (core_remote_conn_is_alive(priv->rpc) &&
        !core_remote_invoke(priv, CORE_RPC_REMOTE_PROC_CONNECT_CLOSE, NULL, NULL, &err))
        CORE_DEBUG("CONNECT_CLOSE failed: %s", err->message);
    /* joins the reader thread: the sink is not called after this */
    remote_free(priv);
}

static const CoreHostOps remote_host_ops = {
    CORE_REMOTE_GEN_HOST_OPS
    .open = remote_open,
    .close = remote_close,
    .get_uri = core_remote_host_get_uri,
    .node_get_info = core_remote_host_node_get_info,
    .supports_feature = core_remote_host_supports_feature,
    .event_enable = core_remote_event_enable,
    .node_get_security_model = core_remote_host_node_get_security_model,
    .node_get_cells_free_memory = core_remote_host_node_get_cells_free_memory,
    .node_get_cpu_stats = core_remote_host_node_get_cpu_stats,
    .node_get_cpu_map = core_remote_host_node_get_cpu_map,
};

static const CoreDomainOps remote_domain_ops = {
    CORE_REMOTE_GEN_DOMAIN_OPS
    .num_of_domains = core_remote_domain_num_of_domains,
    .num_of_defined_domains = core_remote_domain_num_of_defined_domains,
    .create = core_remote_domain_create,
    .get_info = core_remote_domain_get_info,
    .get_security_label = core_remote_domain_get_security_label,
    .get_vcpus = core_remote_domain_get_vcpus,
    .get_scheduler_parameters = core_remote_domain_get_scheduler_parameters,
    .get_memory_parameters = core_remote_domain_get_memory_parameters,
    .get_blkio_parameters = core_remote_domain_get_blkio_parameters,
    .memory_stats = core_remote_domain_memory_stats,
    .open_console = core_remote_domain_open_console,
};

static const CoreNetworkOps remote_network_ops = {
    CORE_REMOTE_GEN_NETWORK_OPS
};

static const CoreStorageOps remote_storage_ops = {
    CORE_REMOTE_GEN_STORAGE_OPS
    .pool_get_info = core_remote_storage_pool_get_info,
    .vol_get_info = core_remote_storage_vol_get_info,
};

static const char *const remote_schemes[] = { NULL };

const CoreDriver core_remote_driver = {
    .name = "remote",
    .schemes = remote_schemes,
    .host = &remote_host_ops,
    .domain = &remote_domain_ops,
    .network = &remote_network_ops,
    .storage = &remote_storage_ops,
};
