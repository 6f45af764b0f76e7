/* core-remote-custom: the remote driver's entries whose procedures are
 * "call custom" in remote-procs.def (their results do not map onto one
 * driver call by the generic rules), plus the locally answered get_uri.
 * Each still uses the generated codecs through core_remote_invoke().
 */
#define CORE_FROM_THIS CORE_FROM_REMOTE
#include <string.h>

#include "core-error.h"
#include "core-remote-priv.h"
#include "core-remote-stubs.h"
#include "core-rpc-protocol.h"

gboolean
core_remote_host_node_get_info(gpointer conn, CoreNodeInfo *ret, GError **error)
{
    CoreRpcNodeGetInfoRet out = { 0 };

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_NODE_GET_INFO, NULL, &out, error))
        return FALSE;
    G_STATIC_ASSERT(sizeof(ret->model) == sizeof(out.model));
    memcpy(ret->model, out.model, sizeof(ret->model));
    ret->memory_kib = out.memory;
    ret->cpus = out.cpus;
    ret->mhz = out.mhz;
    ret->nodes = out.nodes;
    ret->sockets = out.sockets;
    ret->cores = out.cores;
    ret->threads = out.threads;
    core_rpc_node_get_info_ret_clear(&out);
    return TRUE;
}

int
core_remote_host_supports_feature(gpointer conn, int feature, GError **error)
{
    CoreRpcConnectSupportsFeatureArgs in = { .feature = feature };
    CoreRpcConnectSupportsFeatureRet out = { 0 };

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, &in, &out,
                            error))
        return -1;
    return out.supported ? 1 : 0;
}

gboolean
core_remote_host_node_get_security_model(gpointer conn, CoreSecurityModel *ret, GError **error)
{
    CoreRpcNodeGetSecurityModelRet out = { 0 };

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_NODE_GET_SECURITY_MODEL, NULL, &out,
                            error))
        return FALSE;
    g_strlcpy(ret->model, out.model ? out.model : "", sizeof(ret->model));
    g_strlcpy(ret->doi, out.doi ? out.doi : "", sizeof(ret->doi));
    core_rpc_node_get_security_model_ret_clear(&out);
    return TRUE;
}

char *
core_remote_host_get_uri(gpointer conn, GError **error)
{
    CoreRemote *priv = conn;

    /* the URI the application opened, as libvirt's remote client answers
     * virConnectGetURI (CONNECT_GET_URI is only for URI-less opens) */
    return g_strdup(priv->uri);
}

static int
num_of(gpointer conn, int proc, GError **error)
{
    /* every CONNECT_NUM_OF_* reply is one int "num" */
    CoreRpcConnectNumOfDomainsRet out = { 0 };

    G_STATIC_ASSERT(sizeof(CoreRpcConnectNumOfDomainsRet) ==
                    sizeof(CoreRpcConnectNumOfDefinedDomainsRet));
    if (!core_remote_invoke(conn, proc, NULL, &out, error))
        return -1;
    return out.num;
}

int
core_remote_domain_num_of_domains(gpointer conn, GError **error)
{
    return num_of(conn, CORE_RPC_REMOTE_PROC_CONNECT_NUM_OF_DOMAINS, error);
}

int
core_remote_domain_num_of_defined_domains(gpointer conn, GError **error)
{
    return num_of(conn, CORE_RPC_REMOTE_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS, error);
}

gboolean
core_remote_domain_create(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error)
{
    CoreRpcDomainCreateWithFlagsArgs in = { 0 };
    CoreRpcDomainCreateWithFlagsRet out = { 0 };

    /* DOMAIN_CREATE without flags, as virsh sends it */
    if (flags == 0)
        return core_remote_proc_domain_create(conn, dom, 0, error);
    in.dom = (CoreDomainRef *)dom;
    in.flags = flags;
    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, &in, &out,
                            error))
        return FALSE;
    core_rpc_domain_create_with_flags_ret_clear(&out);
    return TRUE;
}

gboolean
core_remote_domain_get_info(gpointer conn, const CoreDomainRef *dom, CoreDomainInfo *ret,
                            GError **error)
{
    CoreRpcDomainGetInfoArgs in = { .dom = (CoreDomainRef *)dom };
    CoreRpcDomainGetInfoRet out = { 0 };

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_DOMAIN_GET_INFO, &in, &out, error))
        return FALSE;
    ret->state = (int)out.state;
    ret->max_mem_kib = out.maxMem;
    ret->memory_kib = out.memory;
    ret->nr_virt_cpu = out.nrVirtCpu;
    ret->cpu_time_ns = out.cpuTime;
    return TRUE;
}

gboolean
core_remote_domain_get_security_label(gpointer conn, const CoreDomainRef *dom,
                                      CoreSecurityLabel *ret, GError **error)
{
    CoreRpcDomainGetSecurityLabelArgs in = { .dom = (CoreDomainRef *)dom };
    CoreRpcDomainGetSecurityLabelRet out = { 0 };

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL, &in, &out,
                            error))
        return FALSE;
    g_strlcpy(ret->label, out.label ? out.label : "", sizeof(ret->label));
    ret->enforcing = out.enforcing;
    core_rpc_domain_get_security_label_ret_clear(&out);
    return TRUE;
}

gboolean
core_remote_storage_pool_get_info(gpointer conn, const CorePoolRef *pool, CorePoolInfo *ret,
                                  GError **error)
{
    CoreRpcStoragePoolGetInfoArgs in = { .pool = (CorePoolRef *)pool };
    CoreRpcStoragePoolGetInfoRet out = { 0 };

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_STORAGE_POOL_GET_INFO, &in, &out, error))
        return FALSE;
    ret->state = (int)out.state;
    ret->capacity = out.capacity;
    ret->allocation = out.allocation;
    ret->available = out.available;
    return TRUE;
}

gboolean
core_remote_storage_vol_get_info(gpointer conn, const CoreVolRef *vol, CoreVolInfo *ret,
                                 GError **error)
{
    CoreRpcStorageVolGetInfoArgs in = { .vol = (CoreVolRef *)vol };
    CoreRpcStorageVolGetInfoRet out = { 0 };

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_STORAGE_VOL_GET_INFO, &in, &out, error))
        return FALSE;
    ret->type = out.type;
    ret->capacity = out.capacity;
    ret->allocation = out.allocation;
    return TRUE;
}

/* ---- statistics and tunables ------------------------------------------------- */

/* libvirt's limit of parameters in one typed-parameter reply */
#define REMOTE_PARAMS_MAX 16

int
core_remote_domain_get_vcpus(gpointer conn, const CoreDomainRef *dom, CoreVcpuInfo *info,
                             int maxinfo, guint8 *cpumaps, int maplen, GError **error)
{
    CoreRpcDomainGetVcpusArgs in = { .dom = (CoreDomainRef *)dom, .maxinfo = maxinfo,
                                     .maplen = cpumaps ? maplen : 0 };
    CoreRpcDomainGetVcpusRet out = { 0 };
    int n = -1;

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_DOMAIN_GET_VCPUS, &in, &out, error))
        return -1;
    if (out.info_len > (guint)maxinfo ||
        out.cpumaps_len > (guint)maxinfo * (guint)in.maplen) {
        core_error_set(error, CORE_ERR_RPC, "vcpu reply larger than asked for");
        goto out;
    }
    for (guint i = 0; i < out.info_len; i++) {
        info[i].number = out.info[i].number;
        info[i].state = out.info[i].state;
        info[i].cpu_time_ns = out.info[i].cpu_time;
        info[i].cpu = out.info[i].cpu;
    }
    if (cpumaps && out.cpumaps_len)
        memcpy(cpumaps, out.cpumaps, out.cpumaps_len);
    n = (int)out.info_len;
out:
    core_rpc_domain_get_vcpus_ret_clear(&out);
    return n;
}

gboolean
core_remote_domain_get_scheduler_parameters(gpointer conn, const CoreDomainRef *dom,
                                            guint flags, CoreTypedParam **ret_params,
                                            guint *ret_nparams, GError **error)
{
    CoreRpcDomainGetSchedulerParametersFlagsArgs in = { .dom = (CoreDomainRef *)dom,
                                                        .nparams = REMOTE_PARAMS_MAX,
                                                        .flags = flags };
    CoreRpcDomainGetSchedulerParametersFlagsRet out = { 0 };
    int proc = CORE_RPC_REMOTE_PROC_DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS;

    /* without flags, the procedure libvirt clients send for that call
     * (its args are a prefix of the _FLAGS ones, its ret the same) */
    G_STATIC_ASSERT(sizeof(CoreRpcDomainGetSchedulerParametersRet) == sizeof(out));
    if (flags == 0) {
        CoreRpcDomainGetSchedulerParametersArgs in0 = { .dom = (CoreDomainRef *)dom,
                                                        .nparams = REMOTE_PARAMS_MAX };

        if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_DOMAIN_GET_SCHEDULER_PARAMETERS,
                                &in0, &out, error))
            return FALSE;
    } else if (!core_remote_invoke(conn, proc, &in, &out, error)) {
        return FALSE;
    }
    *ret_params = g_steal_pointer(&out.params);
    *ret_nparams = out.params_len;
    return TRUE;
}

/* MEMORY_PARAMETERS and BLKIO_PARAMETERS share their args and ret layout. */
static gboolean
domain_params(gpointer conn, int proc, const CoreDomainRef *dom, guint flags,
              CoreTypedParam **ret_params, guint *ret_nparams, GError **error)
{
    CoreRpcDomainGetMemoryParametersArgs in = { .dom = (CoreDomainRef *)dom,
                                                .nparams = REMOTE_PARAMS_MAX, .flags = flags };
    CoreRpcDomainGetMemoryParametersRet out = { 0 };

    G_STATIC_ASSERT(sizeof(CoreRpcDomainGetBlkioParametersArgs) == sizeof(in));
    G_STATIC_ASSERT(sizeof(CoreRpcDomainGetBlkioParametersRet) == sizeof(out));
    if (!core_remote_invoke(conn, proc, &in, &out, error))
        return FALSE;
    *ret_params = g_steal_pointer(&out.params);
    *ret_nparams = out.params_len;
    return TRUE;
}

gboolean
core_remote_domain_get_memory_parameters(gpointer conn, const CoreDomainRef *dom, guint flags,
                                         CoreTypedParam **ret_params, guint *ret_nparams,
                                         GError **error)
{
    return domain_params(conn, CORE_RPC_REMOTE_PROC_DOMAIN_GET_MEMORY_PARAMETERS, dom, flags,
                         ret_params, ret_nparams, error);
}

gboolean
core_remote_domain_get_blkio_parameters(gpointer conn, const CoreDomainRef *dom, guint flags,
                                        CoreTypedParam **ret_params, guint *ret_nparams,
                                        GError **error)
{
    return domain_params(conn, CORE_RPC_REMOTE_PROC_DOMAIN_GET_BLKIO_PARAMETERS, dom, flags,
                         ret_params, ret_nparams, error);
}

int
core_remote_domain_memory_stats(gpointer conn, const CoreDomainRef *dom, CoreMemoryStat *stats,
                                guint nr_stats, guint flags, GError **error)
{
    CoreRpcDomainMemoryStatsArgs in = { .dom = (CoreDomainRef *)dom, .maxStats = nr_stats,
                                        .flags = flags };
    CoreRpcDomainMemoryStatsRet out = { 0 };
    guint n;

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_DOMAIN_MEMORY_STATS, &in, &out, error))
        return -1;
    n = MIN(out.stats_len, nr_stats);
    for (guint i = 0; i < n; i++) {
        stats[i].tag = out.stats[i].tag;
        stats[i].val = out.stats[i].val;
    }
    core_rpc_domain_memory_stats_ret_clear(&out);
    return (int)n;
}

int
core_remote_host_node_get_cells_free_memory(gpointer conn, guint64 *ret, int start, int max,
                                            GError **error)
{
    CoreRpcNodeGetCellsFreeMemoryArgs in = { .startCell = start, .maxcells = max };
    CoreRpcNodeGetCellsFreeMemoryRet out = { 0 };
    guint n;

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_NODE_GET_CELLS_FREE_MEMORY, &in, &out,
                            error))
        return -1;
    n = MIN(out.cells_len, (guint)MAX(max, 0));
    if (n)
        memcpy(ret, out.cells, n * sizeof(*ret));
    core_rpc_node_get_cells_free_memory_ret_clear(&out);
    return (int)n;
}

gboolean
core_remote_host_node_get_cpu_stats(gpointer conn, int cpu, guint flags,
                                    CoreTypedParam **ret_params, guint *ret_nparams,
                                    GError **error)
{
    CoreRpcNodeGetCpuStatsArgs in = { .cpuNum = cpu, .nparams = REMOTE_PARAMS_MAX,
                                      .flags = flags };
    CoreRpcNodeGetCpuStatsRet out = { 0 };

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_NODE_GET_CPU_STATS, &in, &out, error))
        return FALSE;
    *ret_params = g_new0(CoreTypedParam, MAX(out.params_len, 1));
    for (guint i = 0; i < out.params_len; i++) {
        (*ret_params)[i].field = g_steal_pointer(&out.params[i].field);
        (*ret_params)[i].type = CORE_TYPED_PARAM_ULLONG;
        (*ret_params)[i].value.ul = out.params[i].value;
    }
    *ret_nparams = out.params_len;
    core_rpc_node_get_cpu_stats_ret_clear(&out);
    return TRUE;
}

int
core_remote_host_node_get_cpu_map(gpointer conn, guint8 **ret_map, guint *ret_online,
                                  guint flags, GError **error)
{
    CoreRpcNodeGetCpuMapArgs in = { .need_map = ret_map != NULL,
                                    .need_online = ret_online != NULL, .flags = flags };
    CoreRpcNodeGetCpuMapRet out = { 0 };
    int n;

    if (!core_remote_invoke(conn, CORE_RPC_REMOTE_PROC_NODE_GET_CPU_MAP, &in, &out, error))
        return -1;
    if (ret_map) {
        /* the caller may read (n + 7) / 8 bytes */
        gsize need = (gsize)(MAX(out.ret, 0) + 7) / 8;

        *ret_map = g_malloc0(MAX(need, out.cpumap_len) + 1);
        if (out.cpumap_len)
            memcpy(*ret_map, out.cpumap, out.cpumap_len);
    }
    if (ret_online)
        *ret_online = out.online;
    n = out.ret;
    core_rpc_node_get_cpu_map_ret_clear(&out);
    return n;
}
