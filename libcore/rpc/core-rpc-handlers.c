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

/* ---- statistics and tunables ------------------------------------------------- */

/* libvirtd's limits for these replies (remote_protocol.x) */
#define REMOTE_VCPUINFO_MAX 16384
#define REMOTE_CPUMAPS_MAX 8388608
#define REMOTE_NODE_MAX_CELLS 1024
#define REMOTE_PARAMS_MAX 16
#define REMOTE_MEMORY_STATS_MAX 1024

/* Moves the first @want of @all (@n, transfer full) into *@ret and frees
 * the rest: a caller asking for fewer parameters gets the first ones. */
static void
take_params(CoreTypedParam *all, guint n, guint want, CoreTypedParam **ret, guint *ret_len)
{
    guint keep = MIN(n, want);

    for (guint i = keep; i < n; i++)
        core_typed_param_clear(&all[i]);
    if (keep == 0) {
        g_free(all);
        all = NULL;
    }
    *ret = all;
    *ret_len = keep;
}

gboolean
core_rpc_handle_domain_get_vcpus(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                 GError **error)
{
    const CoreRpcDomainGetVcpusArgs *args = args_;
    CoreRpcDomainGetVcpusRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;
    g_autofree CoreVcpuInfo *info = NULL;
    int n;

    if (!ops || !ops->get_vcpus)
        return core_rpc_no_support(error, CORE_FROM_DOMAIN, "virDomainGetVcpus");
    if (args->maxinfo < 0 || args->maxinfo > REMOTE_VCPUINFO_MAX)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "maxinfo > REMOTE_VCPUINFO_MAX");
    if (args->maplen < 0 ||
        (gint64)args->maxinfo * args->maplen > REMOTE_CPUMAPS_MAX)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                              "maxinfo * maplen > REMOTE_CPUMAPS_MAX");
    info = g_new0(CoreVcpuInfo, MAX(args->maxinfo, 1));
    ret->cpumaps_len = (guint)(args->maxinfo * args->maplen);
    ret->cpumaps = g_malloc0(MAX(ret->cpumaps_len, 1));
    n = ops->get_vcpus(call->conn, args->dom, info, args->maxinfo,
                       args->maplen > 0 ? ret->cpumaps : NULL, args->maplen, error);
    if (n < 0)
        return FALSE;
    ret->info = g_new0(CoreRpcVcpuInfo, MAX(n, 1));
    ret->info_len = (guint)n;
    for (int i = 0; i < n; i++) {
        ret->info[i].number = info[i].number;
        ret->info[i].state = info[i].state;
        ret->info[i].cpu_time = info[i].cpu_time_ns;
        ret->info[i].cpu = info[i].cpu;
    }
    return TRUE;
}

/* The typed-parameter getters of a domain: @nparams 0 asks for the count
 * (in *@ret_count when the reply has one). */
typedef gboolean (*DomainParamsFunc)(gpointer conn, const CoreDomainRef *dom, guint flags,
                                     CoreTypedParam **ret_params, guint *ret_nparams,
                                     GError **error);

static gboolean
domain_params(CoreRpcCall *call, DomainParamsFunc fn, const char *api,
              const CoreDomainRef *dom, int nparams, guint flags, CoreTypedParam **ret,
              guint *ret_len, gint32 *ret_count, GError **error)
{
    CoreTypedParam *all = NULL;
    guint n = 0;

    if (!fn)
        return core_rpc_no_support(error, CORE_FROM_DOMAIN, api);
    if (nparams < 0 || nparams > REMOTE_PARAMS_MAX)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "nparams too large");
    if (!fn(call->conn, dom, flags, &all, &n, error))
        return FALSE;
    if (ret_count && nparams == 0) {
        take_params(all, n, 0, ret, ret_len);
        *ret_count = (gint32)n;
        return TRUE;
    }
    take_params(all, n, (guint)nparams, ret, ret_len);
    if (ret_count)
        *ret_count = (gint32)*ret_len;
    return TRUE;
}

gboolean
core_rpc_handle_domain_get_scheduler_parameters(CoreRpcCall *call, gconstpointer args_,
                                                gpointer ret_, GError **error)
{
    const CoreRpcDomainGetSchedulerParametersArgs *args = args_;
    CoreRpcDomainGetSchedulerParametersRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;

    return domain_params(call, ops ? ops->get_scheduler_parameters : NULL,
                         "virDomainGetSchedulerParameters", args->dom, args->nparams, 0,
                         &ret->params, &ret->params_len, NULL, error);
}

gboolean
core_rpc_handle_domain_get_scheduler_parameters_flags(CoreRpcCall *call, gconstpointer args_,
                                                      gpointer ret_, GError **error)
{
    const CoreRpcDomainGetSchedulerParametersFlagsArgs *args = args_;
    CoreRpcDomainGetSchedulerParametersFlagsRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;

    return domain_params(call, ops ? ops->get_scheduler_parameters : NULL,
                         "virDomainGetSchedulerParametersFlags", args->dom, args->nparams,
                         args->flags, &ret->params, &ret->params_len, NULL, error);
}

gboolean
core_rpc_handle_domain_get_memory_parameters(CoreRpcCall *call, gconstpointer args_,
                                             gpointer ret_, GError **error)
{
    const CoreRpcDomainGetMemoryParametersArgs *args = args_;
    CoreRpcDomainGetMemoryParametersRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;

    return domain_params(call, ops ? ops->get_memory_parameters : NULL,
                         "virDomainGetMemoryParameters", args->dom, args->nparams, args->flags,
                         &ret->params, &ret->params_len, &ret->nparams, error);
}

gboolean
core_rpc_handle_domain_get_blkio_parameters(CoreRpcCall *call, gconstpointer args_,
                                            gpointer ret_, GError **error)
{
    const CoreRpcDomainGetBlkioParametersArgs *args = args_;
    CoreRpcDomainGetBlkioParametersRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;

    return domain_params(call, ops ? ops->get_blkio_parameters : NULL,
                         "virDomainGetBlkioParameters", args->dom, args->nparams, args->flags,
                         &ret->params, &ret->params_len, &ret->nparams, error);
}

gboolean
core_rpc_handle_domain_memory_stats(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                    GError **error)
{
    const CoreRpcDomainMemoryStatsArgs *args = args_;
    CoreRpcDomainMemoryStatsRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;
    g_autofree CoreMemoryStat *stats = NULL;
    int n;

    if (!ops || !ops->memory_stats)
        return core_rpc_no_support(error, CORE_FROM_DOMAIN, "virDomainMemoryStats");
    if (args->maxStats > REMOTE_MEMORY_STATS_MAX)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                              "maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX");
    stats = g_new0(CoreMemoryStat, MAX(args->maxStats, 1));
    n = ops->memory_stats(call->conn, args->dom, stats, args->maxStats, args->flags, error);
    if (n < 0)
        return FALSE;
    ret->stats = g_new0(CoreRpcDomainMemoryStat, MAX(n, 1));
    ret->stats_len = (guint)n;
    for (int i = 0; i < n; i++) {
        ret->stats[i].tag = stats[i].tag;
        ret->stats[i].val = stats[i].val;
    }
    return TRUE;
}

gboolean
core_rpc_handle_node_get_cells_free_memory(CoreRpcCall *call, gconstpointer args_,
                                           gpointer ret_, GError **error)
{
    const CoreRpcNodeGetCellsFreeMemoryArgs *args = args_;
    CoreRpcNodeGetCellsFreeMemoryRet *ret = ret_;
    const CoreHostOps *ops = call->driver->host;
    int n;

    if (!ops || !ops->node_get_cells_free_memory)
        return core_rpc_no_support(error, CORE_FROM_NONE, "virNodeGetCellsFreeMemory");
    if (args->maxcells < 0 || args->maxcells > REMOTE_NODE_MAX_CELLS)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                              "maxCells > REMOTE_NODE_MAX_CELLS");
    ret->cells = g_new0(guint64, MAX(args->maxcells, 1));
    n = ops->node_get_cells_free_memory(call->conn, ret->cells, args->startCell,
                                        args->maxcells, error);
    if (n < 0)
        return FALSE;
    ret->cells_len = (guint)n;
    return TRUE;
}

gboolean
core_rpc_handle_node_get_cpu_stats(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                   GError **error)
{
    const CoreRpcNodeGetCpuStatsArgs *args = args_;
    CoreRpcNodeGetCpuStatsRet *ret = ret_;
    const CoreHostOps *ops = call->driver->host;
    CoreTypedParam *all = NULL;
    guint n = 0;
    guint keep;

    if (!ops || !ops->node_get_cpu_stats)
        return core_rpc_no_support(error, CORE_FROM_NONE, "virNodeGetCPUStats");
    if (args->nparams < 0 || args->nparams > REMOTE_PARAMS_MAX)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "nparams too large");
    if (!ops->node_get_cpu_stats(call->conn, args->cpuNum, args->flags, &all, &n, error))
        return FALSE;
    /* nparams 0 asks for the count only */
    keep = MIN(n, (guint)args->nparams);
    ret->params = g_new0(CoreRpcNodeStat, MAX(keep, 1));
    ret->params_len = keep;
    for (guint i = 0; i < keep; i++) {
        ret->params[i].field = g_steal_pointer(&all[i].field);
        ret->params[i].value = all[i].value.ul;
    }
    ret->nparams = (gint32)(args->nparams == 0 ? n : keep);
    for (guint i = 0; i < n; i++)
        core_typed_param_clear(&all[i]);
    g_free(all);
    return TRUE;
}

gboolean
core_rpc_handle_node_get_cpu_map(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                 GError **error)
{
    const CoreRpcNodeGetCpuMapArgs *args = args_;
    CoreRpcNodeGetCpuMapRet *ret = ret_;
    const CoreHostOps *ops = call->driver->host;
    guint8 *map = NULL;
    guint online = 0;
    int n;

    if (!ops || !ops->node_get_cpu_map)
        return core_rpc_no_support(error, CORE_FROM_NONE, "virNodeGetCPUMap");
    n = ops->node_get_cpu_map(call->conn, args->need_map ? &map : NULL,
                              args->need_online ? &online : NULL, args->flags, error);
    if (n < 0)
        return FALSE;
    if (args->need_map) {
        ret->cpumap = map;
        ret->cpumap_len = (guint)(n + 7) / 8;
    }
    ret->online = online;
    ret->ret = n;
    return TRUE;
}
