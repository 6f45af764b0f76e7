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
