/* core-rpc-handlers: the procedures of remote-procs.def marked "call custom"
 * that are not about events: connection setup, the *_get_info conversions
 * and the legacy list procedures virsh falls back to. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include <string.h>

#include "core-error.h"
#include "core-log.h"
#include "core-rpc-protocol.h"
#include "core-rpc-session-priv.h"

CORE_LOG_INIT("core.rpc.handlers");

/* virConnectListAll*Flags bits used by the legacy list procedures. */
#define LIST_DOMAINS_ACTIVE 1u
#define LIST_DOMAINS_INACTIVE 2u
#define LIST_NETWORKS_INACTIVE 1u
#define LIST_NETWORKS_ACTIVE 2u
#define LIST_POOLS_INACTIVE 1u
#define LIST_POOLS_ACTIVE 2u

/* VIR_DRV_FEATURE_* numbers the RPC layer answers itself. */
#define FEATURE_FD_PASSING 8
#define FEATURE_TYPED_PARAM_STRING 9
#define FEATURE_PROGRAM_KEEPALIVE 10
#define FEATURE_REMOTE_EVENT_CALLBACK 14
#define FEATURE_REMOTE_CLOSE_CALLBACK 15

#define REMOTE_LIST_MAX 16384

static CoreRpcSession *
session_of(CoreRpcCall *call)
{
    return call->session;
}

gboolean
core_rpc_handle_connect_open(CoreRpcCall *call, gconstpointer args_, gpointer ret,
                             GError **error)
{
    const CoreRpcConnectOpenArgs *args = args_;
    CoreRpcSession *s = session_of(call);
    const char *uri = args->name ? args->name : "";
    const CoreDriver *driver;
    gpointer conn = NULL;
    guint flags;

    if (s->driver)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "connection already open");
    /* Only the read-only bit of the client's flags means something here; a
     * read-only socket forces it. */
    if (args->flags & 1)
        s->readonly = TRUE;
    flags = s->readonly ? 1 : 0;
    driver = s->hooks.select(uri, s->hooks.select_data, error);
    if (!driver)
        return FALSE;
    if (!driver->host || !driver->host->open)
        return core_error_set(error, CORE_ERR_NO_CONNECT, "driver '%s' cannot be opened",
                              driver->name);
    if (!driver->host->open(uri, flags, core_rpc_session_event_sink, s, &conn, error))
        return FALSE;
    s->driver = driver;
    s->conn = conn;
    CORE_DEBUG("opened '%s' with driver %s%s", uri, driver->name,
               s->readonly ? " (read-only)" : "");
    return TRUE;
}

gboolean
core_rpc_handle_connect_close(CoreRpcCall *call, gconstpointer args, gpointer ret,
                              GError **error)
{
    /* The server closes the socket after the reply; the driver connection
     * is closed when the session is freed. */
    return TRUE;
}

gboolean
core_rpc_handle_connect_supports_feature(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                         GError **error)
{
    const CoreRpcConnectSupportsFeatureArgs *args = args_;
    CoreRpcConnectSupportsFeatureRet *ret = ret_;
    CoreRpcSession *s = session_of(call);
    int r;

    if (args->feature == FEATURE_PROGRAM_KEEPALIVE) {
        s->keepalive = TRUE;
        ret->supported = 1;
        return TRUE;
    }
    if (!s->driver)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "hypervisor connection not open");
    switch (args->feature) {
    case FEATURE_FD_PASSING:
    case FEATURE_TYPED_PARAM_STRING:
    case FEATURE_REMOTE_EVENT_CALLBACK:
    case FEATURE_REMOTE_CLOSE_CALLBACK:
        ret->supported = 1;
        return TRUE;
    default:
        break;
    }
    if (!s->driver->host || !s->driver->host->supports_feature) {
        ret->supported = 0;
        return TRUE;
    }
    r = s->driver->host->supports_feature(s->conn, args->feature, error);
    if (r < 0)
        return FALSE;
    ret->supported = r;
    return TRUE;
}

gboolean
core_rpc_handle_auth_list(CoreRpcCall *call, gconstpointer args, gpointer ret_, GError **error)
{
    CoreRpcAuthListRet *ret = ret_;

    /* REMOTE_AUTH_NONE: access control is the socket's permissions. */
    ret->types = g_new0(gint32, 1);
    ret->types_len = 1;
    return TRUE;
}

gboolean
core_rpc_handle_connect_is_secure(CoreRpcCall *call, gconstpointer args, gpointer ret_,
                                  GError **error)
{
    CoreRpcConnectIsSecureRet *ret = ret_;

    /* Only local UNIX sockets are served. */
    ret->secure = 1;
    return TRUE;
}

gboolean
core_rpc_handle_connect_get_lib_version(CoreRpcCall *call, gconstpointer args, gpointer ret_,
                                        GError **error)
{
    CoreRpcConnectGetLibVersionRet *ret = ret_;

    ret->lib_ver = CORE_RPC_LIB_VERSION;
    return TRUE;
}

gboolean
core_rpc_handle_connect_register_close_callback(CoreRpcCall *call, gconstpointer args,
                                                gpointer ret, GError **error)
{
    session_of(call)->close_callback = TRUE;
    return TRUE;
}

gboolean
core_rpc_handle_connect_unregister_close_callback(CoreRpcCall *call, gconstpointer args,
                                                  gpointer ret, GError **error)
{
    session_of(call)->close_callback = FALSE;
    return TRUE;
}

/* ---- *_get_info conversions ----------------------------------------------------- */

gboolean
core_rpc_handle_node_get_info(CoreRpcCall *call, gconstpointer args, gpointer ret_,
                              GError **error)
{
    CoreRpcNodeGetInfoRet *ret = ret_;
    const CoreHostOps *ops = call->driver->host;
    CoreNodeInfo info = { { 0 } };

    if (!ops || !ops->node_get_info)
        return core_rpc_no_support(error, CORE_FROM_NONE, "virNodeGetInfo");
    if (!ops->node_get_info(call->conn, &info, error))
        return FALSE;
    G_STATIC_ASSERT(sizeof(ret->model) == sizeof(info.model));
    memcpy(ret->model, info.model, sizeof(ret->model));
    ret->memory = info.memory_kib;
    ret->cpus = info.cpus;
    ret->mhz = info.mhz;
    ret->nodes = info.nodes;
    ret->sockets = info.sockets;
    ret->cores = info.cores;
    ret->threads = info.threads;
    return TRUE;
}

gboolean
core_rpc_handle_domain_get_info(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                GError **error)
{
    const CoreRpcDomainGetInfoArgs *args = args_;
    CoreRpcDomainGetInfoRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;
    CoreDomainInfo info = { 0 };

    if (!ops || !ops->get_info)
        return core_rpc_no_support(error, CORE_FROM_DOMAIN, "virDomainGetInfo");
    if (!ops->get_info(call->conn, args->dom, &info, error))
        return FALSE;
    ret->state = (guint32)info.state;
    ret->maxMem = info.max_mem_kib;
    ret->memory = info.memory_kib;
    ret->nrVirtCpu = info.nr_virt_cpu;
    ret->cpuTime = info.cpu_time_ns;
    return TRUE;
}

gboolean
core_rpc_handle_storage_pool_get_info(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                      GError **error)
{
    const CoreRpcStoragePoolGetInfoArgs *args = args_;
    CoreRpcStoragePoolGetInfoRet *ret = ret_;
    const CoreStorageOps *ops = call->driver->storage;
    CorePoolInfo info = { 0 };

    if (!ops || !ops->pool_get_info)
        return core_rpc_no_support(error, CORE_FROM_STORAGE, "virStoragePoolGetInfo");
    if (!ops->pool_get_info(call->conn, args->pool, &info, error))
        return FALSE;
    ret->state = (guint32)info.state;
    ret->capacity = info.capacity;
    ret->allocation = info.allocation;
    ret->available = info.available;
    return TRUE;
}

static gboolean
vol_get_info(CoreRpcCall *call, const CoreVolRef *vol, const char *api, gint32 *ret_type,
             guint64 *ret_capacity, guint64 *ret_allocation, GError **error)
{
    const CoreStorageOps *ops = call->driver->storage;
    CoreVolInfo info = { 0 };

    if (!ops || !ops->vol_get_info)
        return core_rpc_no_support(error, CORE_FROM_STORAGE, api);
    if (!ops->vol_get_info(call->conn, vol, &info, error))
        return FALSE;
    *ret_type = info.type;
    *ret_capacity = info.capacity;
    *ret_allocation = info.allocation;
    return TRUE;
}

gboolean
core_rpc_handle_storage_vol_get_info(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                     GError **error)
{
    const CoreRpcStorageVolGetInfoArgs *args = args_;
    CoreRpcStorageVolGetInfoRet *ret = ret_;

    return vol_get_info(call, args->vol, "virStorageVolGetInfo", &ret->type, &ret->capacity,
                        &ret->allocation, error);
}

gboolean
core_rpc_handle_storage_vol_get_info_flags(CoreRpcCall *call, gconstpointer args_,
                                           gpointer ret_, GError **error)
{
    const CoreRpcStorageVolGetInfoFlagsArgs *args = args_;
    CoreRpcStorageVolGetInfoFlagsRet *ret = ret_;

    if (args->flags != 0)
        return core_error_set_full(error, CORE_FROM_STORAGE, CORE_ERR_INVALID_ARG,
                                   "unsupported flags (0x%x) in function %s", args->flags,
                                   "virStorageVolGetInfoFlags");
    return vol_get_info(call, args->vol, "virStorageVolGetInfoFlags", &ret->type,
                        &ret->capacity, &ret->allocation, error);
}

gboolean
core_rpc_handle_node_get_security_model(CoreRpcCall *call, gconstpointer args, gpointer ret_,
                                        GError **error)
{
    CoreRpcNodeGetSecurityModelRet *ret = ret_;
    const CoreHostOps *ops = call->driver->host;
    g_autofree CoreSecurityModel *model = g_new0(CoreSecurityModel, 1);

    if (!ops || !ops->node_get_security_model)
        return core_rpc_no_support(error, CORE_FROM_NONE, "virNodeGetSecurityModel");
    if (!ops->node_get_security_model(call->conn, model, error))
        return FALSE;
    ret->model = g_strndup(model->model, sizeof(model->model));
    ret->doi = g_strndup(model->doi, sizeof(model->doi));
    return TRUE;
}

gboolean
core_rpc_handle_domain_get_security_label(CoreRpcCall *call, gconstpointer args_,
                                          gpointer ret_, GError **error)
{
    const CoreRpcDomainGetSecurityLabelArgs *args = args_;
    CoreRpcDomainGetSecurityLabelRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;
    g_autofree CoreSecurityLabel *label = g_new0(CoreSecurityLabel, 1);

    if (!ops || !ops->get_security_label)
        return core_rpc_no_support(error, CORE_FROM_DOMAIN, "virDomainGetSecurityLabel");
    if (!ops->get_security_label(call->conn, args->dom, label, error))
        return FALSE;
    ret->label = g_strndup(label->label, sizeof(label->label));
    ret->enforcing = label->enforcing;
    return TRUE;
}

gboolean
core_rpc_handle_domain_create_with_flags(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                         GError **error)
{
    const CoreRpcDomainCreateWithFlagsArgs *args = args_;
    CoreRpcDomainCreateWithFlagsRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;

    if (!ops || !ops->create)
        return core_rpc_no_support(error, CORE_FROM_DOMAIN, "virDomainCreateWithFlags");
    if (!ops->create(call->conn, args->dom, args->flags, error))
        return FALSE;
    /* The reply carries the handle with the id the domain now has. */
    if (ops->lookup_by_uuid)
        ret->dom = ops->lookup_by_uuid(call->conn, args->dom->uuid, NULL);
    if (!ret->dom)
        ret->dom = core_domain_ref_copy(args->dom);
    return TRUE;
}
