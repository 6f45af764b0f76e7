/* core-daemon-admin-proto: libvirt's admin program (0x06900690, version
 * 1) on NAME-admin-sock, so that stock virt-admin manages a Vireo daemon:
 * its servers, their clients, client limits and worker pool, the logging
 * outputs and filters, and the idle timeout.
 *
 * Procedure numbers, argument layouts, typed-parameter names and error
 * codes and messages are libvirt 9.0's (admin_protocol.x, the admin server
 * and virt-admin). The daemon's clients form the server named after the
 * program (see core-daemon-admin-priv.h); the settings procedures are in
 * core-daemon-admin-settings.c. Every call runs on the daemon's context,
 * where the RPC server's clients live, so nothing here takes a lock.
 */
#include "core-daemon-admin-priv.h"

#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "core-daemon-admin-proto.h"
#include "core-error.h"
#include "core-log.h"
#include "core-rpc-dispatch.h"

#define CORE_FROM_THIS CORE_FROM_ADMIN

CORE_LOG_INIT("core.daemon.admin");

/* Limits of admin_protocol.x. */
#define ADMIN_SERVER_LIST_MAX 16384
#define ADMIN_CLIENT_LIST_MAX 16384
#define ADMIN_CLIENT_INFO_PARAMETERS_MAX 64

/* ---- shared helpers (core-daemon-admin-proto.h) ---------------------------------- */

gboolean
core_daemon_admin_check_flags(guint32 flags, const char *func, GError **error)
{
    if (flags == 0)
        return TRUE;
    return core_error_set(error, CORE_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                          flags, func);
}

char *
core_daemon_admin_server_name(CoreDaemonAdminCall *call)
{
    CoreDaemon *daemon = core_daemon_admin_get_daemon(call->admin);

    return g_strdup_printf("vireo-%s", core_daemon_get_spec(daemon)->name);
}

gboolean
core_daemon_admin_find_server(CoreDaemonAdminCall *call, const char *name, gboolean dispatcher,
                              CoreAdminServer *ret, GError **error)
{
    g_autofree char *own = core_daemon_admin_server_name(call);

    if (strcmp(name, own) == 0) {
        *ret = CORE_ADMIN_SERVER_DAEMON;
        return TRUE;
    }
    if (strcmp(name, CORE_ADMIN_SERVER_ADMIN) == 0) {
        *ret = CORE_ADMIN_SERVER_ADMIN_SOCKET;
        return TRUE;
    }
    /* libvirt words it differently where the dispatcher reports it. */
    if (dispatcher)
        return core_error_set_full(error, CORE_FROM_RPC, CORE_ERR_NO_SERVER,
                                   "no server with matching name '%s' found", name);
    return core_error_set_full(error, CORE_FROM_RPC, CORE_ERR_NO_SERVER,
                               "No server named '%s'", name);
}

/* ---- connection ------------------------------------------------------------------ */

static gboolean
connect_open(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w, GError **error)
{
    guint32 flags;

    return core_xdr_get_uint(r, &flags, error) && core_xdr_reader_finish(r, error) &&
           core_daemon_admin_check_flags(flags, "adminDispatchConnectOpen", error);
}

static gboolean
connect_close(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w, GError **error)
{
    if (!core_xdr_reader_finish(r, error))
        return FALSE;
    call->close_after = TRUE;
    return TRUE;
}

static gboolean
connect_get_lib_version(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w,
                        GError **error)
{
    return core_xdr_reader_finish(r, error) &&
           core_xdr_put_uhyper(w, CORE_RPC_LIB_VERSION, error);
}

static gboolean
connect_list_servers(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w,
                     GError **error)
{
    g_autofree char *own = core_daemon_admin_server_name(call);
    guint32 need, flags;

    if (!core_xdr_get_uint(r, &need, error) || !core_xdr_get_uint(r, &flags, error) ||
        !core_xdr_reader_finish(r, error) ||
        !core_daemon_admin_check_flags(flags, "adminConnectListServers", error))
        return FALSE;
    /* servers<> (filled only when asked for), then their number */
    if (!core_xdr_put_count(w, need ? 2 : 0, ADMIN_SERVER_LIST_MAX, error))
        return FALSE;
    if (need && (!core_xdr_put_string(w, own, error) ||
                 !core_xdr_put_string(w, CORE_ADMIN_SERVER_ADMIN, error)))
        return FALSE;
    return core_xdr_put_uint(w, 2, error);
}

static gboolean
connect_lookup_server(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w,
                      GError **error)
{
    g_autofree char *name = NULL;
    CoreAdminServer srv;
    guint32 flags;

    return core_xdr_get_string(r, &name, error) && core_xdr_get_uint(r, &flags, error) &&
           core_xdr_reader_finish(r, error) &&
           core_daemon_admin_find_server(call, name, FALSE, &srv, error) &&
           core_daemon_admin_check_flags(flags, "adminConnectLookupServer", error) &&
           core_xdr_put_string(w, name, error);
}

static gboolean
connect_set_daemon_timeout(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w,
                           GError **error)
{
    guint32 timeout, flags;

    if (!core_xdr_get_uint(r, &timeout, error) || !core_xdr_get_uint(r, &flags, error) ||
        !core_xdr_reader_finish(r, error) ||
        !core_daemon_admin_check_flags(flags, "adminConnectSetDaemonTimeout", error))
        return FALSE;
    CORE_INFO("idle timeout set to %u seconds through the admin socket", timeout);
    core_daemon_set_timeout(core_daemon_admin_get_daemon(call->admin), timeout);
    return TRUE;
}

/* ---- clients --------------------------------------------------------------------- */

/* admin_nonnull_client: the server, id, connect time and transport. */
static gboolean
put_client(CoreXdrWriter *w, const char *server, const CoreRpcClientInfo *info, GError **error)
{
    return core_xdr_put_string(w, server, error) && core_xdr_put_uhyper(w, info->id, error) &&
           core_xdr_put_hyper(w, info->timestamp, error) &&
           core_xdr_put_uint(w, (guint32)info->transport, error);
}

/* Reads an admin_nonnull_client; only its server and id identify it. */
static gboolean
get_client(CoreXdrReader *r, char **ret_server, guint64 *ret_id, GError **error)
{
    gint64 timestamp;
    guint32 transport;

    return core_xdr_get_string(r, ret_server, error) && core_xdr_get_uhyper(r, ret_id, error) &&
           core_xdr_get_hyper(r, &timestamp, error) && core_xdr_get_uint(r, &transport, error);
}

static GArray *
list_clients(CoreDaemonAdminCall *call, CoreAdminServer srv)
{
    CoreDaemon *daemon = core_daemon_admin_get_daemon(call->admin);

    if (srv == CORE_ADMIN_SERVER_DAEMON)
        return core_rpc_server_list_clients(core_daemon_get_server(daemon));
    return core_daemon_admin_list_conns(call->admin);
}

/* Finds client @id of @srv; NO_CLIENT with the wording of the caller
 * (@dispatcher: the one libvirt's dispatcher uses) when it is gone. */
static gboolean
find_client(CoreDaemonAdminCall *call, CoreAdminServer srv, guint64 id, gboolean dispatcher,
            CoreRpcClientInfo *ret, GError **error)
{
    CoreDaemon *daemon = core_daemon_admin_get_daemon(call->admin);
    gboolean found = srv == CORE_ADMIN_SERVER_DAEMON
                         ? core_rpc_server_get_client(core_daemon_get_server(daemon), id, ret)
                         : core_daemon_admin_get_conn(call->admin, id, ret);

    if (found)
        return TRUE;
    if (dispatcher)
        return core_error_set_full(error, CORE_FROM_ADMIN, CORE_ERR_NO_CLIENT,
                                   "no client with matching id '%" G_GUINT64_FORMAT "' found",
                                   id);
    return core_error_set_full(error, CORE_FROM_RPC, CORE_ERR_NO_CLIENT,
                               "No client with matching ID '%" G_GUINT64_FORMAT "'", id);
}

static gboolean
server_list_clients(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w,
                    GError **error)
{
    g_autofree char *name = NULL;
    g_autoptr(GArray) list = NULL;
    CoreAdminServer srv;
    guint32 need, flags;

    if (!core_xdr_get_string(r, &name, error) || !core_xdr_get_uint(r, &need, error) ||
        !core_xdr_get_uint(r, &flags, error) || !core_xdr_reader_finish(r, error) ||
        !core_daemon_admin_find_server(call, name, FALSE, &srv, error) ||
        !core_daemon_admin_check_flags(flags, "adminServerListClients", error))
        return FALSE;
    list = list_clients(call, srv);
    if (list->len > ADMIN_CLIENT_LIST_MAX)
        return core_error_set_full(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                   "Too many clients '%u' for limit '%d'", list->len,
                                   ADMIN_CLIENT_LIST_MAX);
    if (!core_xdr_put_count(w, need ? list->len : 0, ADMIN_CLIENT_LIST_MAX, error))
        return FALSE;
    for (guint i = 0; need && i < list->len; i++) {
        if (!put_client(w, name, &g_array_index(list, CoreRpcClientInfo, i), error))
            return FALSE;
    }
    return core_xdr_put_uint(w, list->len, error);
}

static gboolean
server_lookup_client(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w,
                     GError **error)
{
    g_autofree char *name = NULL;
    CoreRpcClientInfo info;
    CoreAdminServer srv;
    guint64 id;
    guint32 flags;

    return core_xdr_get_string(r, &name, error) && core_xdr_get_uhyper(r, &id, error) &&
           core_xdr_get_uint(r, &flags, error) && core_xdr_reader_finish(r, error) &&
           core_daemon_admin_find_server(call, name, FALSE, &srv, error) &&
           find_client(call, srv, id, FALSE, &info, error) &&
           core_daemon_admin_check_flags(flags, "adminServerLookupClient", error) &&
           put_client(w, name, &info, error);
}

/* The identity of a local client, as libvirt's admin server reports it. */
static void
add_identity(GArray *params, const CoreRpcClientInfo *info)
{
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    g_autofree char *buf = NULL;
    struct passwd pw, *pwp = NULL;
    struct group gr, *grp = NULL;

    if (!info->has_identity)
        return;
    size = MAX(MAX(size, sysconf(_SC_GETGR_R_SIZE_MAX)), 16384);
    buf = g_malloc((gsize)size);
    core_daemon_admin_param_int(params, "unix_user_id", (gint32)info->uid);
    if (getpwuid_r(info->uid, &pw, buf, (size_t)size, &pwp) == 0 && pwp)
        core_daemon_admin_param_string(params, "unix_user_name", pwp->pw_name);
    core_daemon_admin_param_int(params, "unix_group_id", (gint32)info->gid);
    if (getgrgid_r(info->gid, &gr, buf, (size_t)size, &grp) == 0 && grp)
        core_daemon_admin_param_string(params, "unix_group_name", grp->gr_name);
    core_daemon_admin_param_int(params, "unix_process_id", info->pid);
}

static gboolean
client_get_info(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w, GError **error)
{
    g_autoptr(GArray) params = core_daemon_admin_params_new();
    g_autofree char *name = NULL;
    CoreRpcClientInfo info;
    CoreAdminServer srv;
    guint64 id;
    guint32 flags;

    if (!get_client(r, &name, &id, error) || !core_xdr_get_uint(r, &flags, error) ||
        !core_xdr_reader_finish(r, error) ||
        !core_daemon_admin_find_server(call, name, TRUE, &srv, error) ||
        !find_client(call, srv, id, TRUE, &info, error) ||
        !core_daemon_admin_check_flags(flags, "adminClientGetInfo", error))
        return FALSE;
    core_daemon_admin_param_bool(params, "readonly", info.readonly);
    /* Every Vireo client is local (UNIX socket): no sock_addr, as libvirt. */
    add_identity(params, &info);
    return core_daemon_admin_put_params(w, params, ADMIN_CLIENT_INFO_PARAMETERS_MAX, error);
}

static gboolean
client_close(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w, GError **error)
{
    CoreDaemon *daemon = core_daemon_admin_get_daemon(call->admin);
    g_autofree char *name = NULL;
    CoreRpcClientInfo info;
    CoreAdminServer srv;
    guint64 id;
    guint32 flags;

    if (!get_client(r, &name, &id, error) || !core_xdr_get_uint(r, &flags, error) ||
        !core_xdr_reader_finish(r, error) ||
        !core_daemon_admin_find_server(call, name, FALSE, &srv, error) ||
        !find_client(call, srv, id, FALSE, &info, error) ||
        !core_daemon_admin_check_flags(flags, "adminClientClose", error))
        return FALSE;
    CORE_INFO("closing client %" G_GUINT64_FORMAT " of server '%s' through the admin socket",
              id, name);
    if (srv == CORE_ADMIN_SERVER_DAEMON)
        core_rpc_server_close_client(core_daemon_get_server(daemon), id);
    else
        core_daemon_admin_close_conn(call->admin, id);
    return TRUE;
}

static gboolean
server_update_tls_files(CoreDaemonAdminCall *call, CoreXdrReader *r, CoreXdrWriter *w,
                        GError **error)
{
    g_autofree char *name = NULL;
    CoreAdminServer srv;
    guint32 flags;

    if (!core_xdr_get_string(r, &name, error) || !core_xdr_get_uint(r, &flags, error) ||
        !core_xdr_reader_finish(r, error) ||
        !core_daemon_admin_find_server(call, name, FALSE, &srv, error) ||
        !core_daemon_admin_check_flags(flags, "adminServerUpdateTlsFiles", error))
        return FALSE;
    /* No Vireo server listens on TLS (yet): libvirt's answer for such a
     * server. */
    return core_error_set_full(error, CORE_FROM_RPC, CORE_ERR_INTERNAL_ERROR,
                               "no tls service found, unable to update tls files");
}

/* ---- dispatch ------------------------------------------------------------------- */

static const struct {
    gint32 proc;
    CoreDaemonAdminHandler handler;
} procs[] = {
    { CORE_ADMIN_PROC_CONNECT_OPEN, connect_open },
    { CORE_ADMIN_PROC_CONNECT_CLOSE, connect_close },
    { CORE_ADMIN_PROC_CONNECT_GET_LIB_VERSION, connect_get_lib_version },
    { CORE_ADMIN_PROC_CONNECT_LIST_SERVERS, connect_list_servers },
    { CORE_ADMIN_PROC_CONNECT_LOOKUP_SERVER, connect_lookup_server },
    { CORE_ADMIN_PROC_SERVER_GET_THREADPOOL_PARAMETERS, core_daemon_admin_get_threadpool },
    { CORE_ADMIN_PROC_SERVER_SET_THREADPOOL_PARAMETERS, core_daemon_admin_set_threadpool },
    { CORE_ADMIN_PROC_SERVER_LIST_CLIENTS, server_list_clients },
    { CORE_ADMIN_PROC_SERVER_LOOKUP_CLIENT, server_lookup_client },
    { CORE_ADMIN_PROC_CLIENT_GET_INFO, client_get_info },
    { CORE_ADMIN_PROC_CLIENT_CLOSE, client_close },
    { CORE_ADMIN_PROC_SERVER_GET_CLIENT_LIMITS, core_daemon_admin_get_client_limits },
    { CORE_ADMIN_PROC_SERVER_SET_CLIENT_LIMITS, core_daemon_admin_set_client_limits },
    { CORE_ADMIN_PROC_CONNECT_GET_LOGGING_OUTPUTS, core_daemon_admin_get_log_outputs },
    { CORE_ADMIN_PROC_CONNECT_GET_LOGGING_FILTERS, core_daemon_admin_get_log_filters },
    { CORE_ADMIN_PROC_CONNECT_SET_LOGGING_OUTPUTS, core_daemon_admin_set_log_outputs },
    { CORE_ADMIN_PROC_CONNECT_SET_LOGGING_FILTERS, core_daemon_admin_set_log_filters },
    { CORE_ADMIN_PROC_SERVER_UPDATE_TLS_FILES, server_update_tls_files },
    { CORE_ADMIN_PROC_CONNECT_SET_DAEMON_TIMEOUT, connect_set_daemon_timeout },
};

static CoreDaemonAdminHandler
find_handler(gint32 proc)
{
    for (guint i = 0; i < G_N_ELEMENTS(procs); i++) {
        if (procs[i].proc == proc)
            return procs[i].handler;
    }
    return NULL;
}

static gboolean
run_call(CoreDaemonAdminCall *call, const CoreWireHeader *h, CoreXdrReader *r,
         CoreXdrWriter *w, GError **error)
{
    CoreDaemonAdminHandler handler = find_handler(h->proc);

    /* libvirt refuses other users when they connect; the socket is 0600
     * unless configured otherwise. */
    if (!call->trusted)
        return core_error_set(error, CORE_ERR_OPERATION_DENIED,
                              "Disallowing client %d with uid %u", (int)call->peer.pid,
                              call->peer.uid);
    if (!handler)
        return core_error_set_full(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                   "unknown procedure: %d", h->proc);
    return handler(call, r, w, error);
}

GByteArray *
core_daemon_admin_proto_call(CoreDaemonAdminCall *call, const CoreWireHeader *h,
                             const guint8 *payload, gsize len)
{
    g_autoptr(GError) error = NULL;
    GByteArray *frame;
    CoreXdrReader r;
    CoreXdrWriter w;

    core_xdr_reader_init(&r, payload, len);
    core_xdr_writer_init(&w);
    if (run_call(call, h, &r, &w, &error)) {
        frame = core_wire_frame_new(h->prog, h->vers, h->proc, CORE_WIRE_TYPE_REPLY, h->serial,
                                    CORE_WIRE_STATUS_OK);
        g_byte_array_append(frame, w.buf->data, w.buf->len);
    } else {
        CORE_DEBUG("admin procedure %d failed: %s", h->proc, error->message);
        frame = core_wire_frame_new(h->prog, h->vers, h->proc, CORE_WIRE_TYPE_REPLY, h->serial,
                                    CORE_WIRE_STATUS_ERROR);
        core_wire_put_error(frame, error);
        /* A failed call closes nothing. */
        call->close_after = FALSE;
    }
    core_xdr_writer_clear(&w);
    return frame;
}
