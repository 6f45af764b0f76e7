/* core-rpc-handlers-legacy: the num_of_* / list_* procedures that virsh
 * falls back to when the list_all procedures fail, built on list_all. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include "core-error.h"
#include "core-rpc-protocol.h"
#include "core-rpc-session-priv.h"

#define LIST_DOMAINS_ACTIVE 1u
#define LIST_DOMAINS_INACTIVE 2u
/* networks and pools share these values */
#define LIST_OBJECTS_INACTIVE 1u
#define LIST_OBJECTS_ACTIVE 2u

#define REMOTE_LIST_MAX 16384

typedef enum {
    KIND_DOMAIN,
    KIND_NETWORK,
    KIND_POOL,
} ObjectKind;

static GPtrArray *
list_objects(CoreRpcCall *call, ObjectKind kind, guint flags, const char *api, GError **error)
{
    const CoreDriver *drv = call->driver;

    switch (kind) {
    case KIND_DOMAIN:
        if (drv->domain && drv->domain->list_all)
            return drv->domain->list_all(call->conn, flags, error);
        core_rpc_no_support(error, CORE_FROM_DOMAIN, api);
        return NULL;
    case KIND_NETWORK:
        if (drv->network && drv->network->list_all)
            return drv->network->list_all(call->conn, flags, error);
        core_rpc_no_support(error, CORE_FROM_NETWORK, api);
        return NULL;
    case KIND_POOL:
        if (drv->storage && drv->storage->pool_list_all)
            return drv->storage->pool_list_all(call->conn, flags, error);
        core_rpc_no_support(error, CORE_FROM_STORAGE, api);
        return NULL;
    }
    g_assert_not_reached();
}

static const char *
object_name(ObjectKind kind, gconstpointer obj)
{
    switch (kind) {
    case KIND_DOMAIN:
        return ((const CoreDomainRef *)obj)->name;
    case KIND_NETWORK:
        return ((const CoreNetworkRef *)obj)->name;
    case KIND_POOL:
        return ((const CorePoolRef *)obj)->name;
    }
    g_assert_not_reached();
}

static void
free_objects(ObjectKind kind, GPtrArray *list)
{
    GDestroyNotify fn = kind == KIND_DOMAIN    ? (GDestroyNotify)core_domain_ref_free
                        : kind == KIND_NETWORK ? (GDestroyNotify)core_network_ref_free
                                               : (GDestroyNotify)core_pool_ref_free;
    gsize n = 0;
    gpointer *items = g_ptr_array_steal(list, &n);

    for (gsize i = 0; i < n; i++)
        fn(items[i]);
    g_free(items);
    g_ptr_array_unref(list);
}

static gboolean
count_objects(CoreRpcCall *call, ObjectKind kind, guint flags, const char *api,
              gint32 *ret_num, GError **error)
{
    GPtrArray *list = list_objects(call, kind, flags, api, error);

    if (!list)
        return FALSE;
    *ret_num = (gint32)list->len;
    free_objects(kind, list);
    return TRUE;
}

static gboolean
check_max(int max, const char *what, GError **error)
{
    if (max > REMOTE_LIST_MAX)
        return core_error_set_full(error, CORE_FROM_RPC, CORE_ERR_RPC, "%s > %d", what,
                                   REMOTE_LIST_MAX);
    return TRUE;
}

static gboolean
list_names(CoreRpcCall *call, ObjectKind kind, guint flags, int maxnames, const char *api,
           char ***ret_names, guint *ret_len, GError **error)
{
    GPtrArray *list;
    guint n;

    if (!check_max(maxnames, "maxnames", error))
        return FALSE;
    if (!(list = list_objects(call, kind, flags, api, error)))
        return FALSE;
    n = MIN(list->len, (guint)MAX(maxnames, 0));
    *ret_names = g_new0(char *, n);
    for (guint i = 0; i < n; i++)
        (*ret_names)[i] = g_strdup(object_name(kind, list->pdata[i]));
    *ret_len = n;
    free_objects(kind, list);
    return TRUE;
}

gboolean
core_rpc_handle_connect_num_of_domains(CoreRpcCall *call, gconstpointer args, gpointer ret_,
                                       GError **error)
{
    CoreRpcConnectNumOfDomainsRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;
    int r;

    if (ops && ops->num_of_domains) {
        if ((r = ops->num_of_domains(call->conn, error)) < 0)
            return FALSE;
        ret->num = r;
        return TRUE;
    }
    return count_objects(call, KIND_DOMAIN, LIST_DOMAINS_ACTIVE, "virConnectNumOfDomains",
                         &ret->num, error);
}

gboolean
core_rpc_handle_connect_num_of_defined_domains(CoreRpcCall *call, gconstpointer args,
                                               gpointer ret_, GError **error)
{
    CoreRpcConnectNumOfDefinedDomainsRet *ret = ret_;
    const CoreDomainOps *ops = call->driver->domain;
    int r;

    if (ops && ops->num_of_defined_domains) {
        if ((r = ops->num_of_defined_domains(call->conn, error)) < 0)
            return FALSE;
        ret->num = r;
        return TRUE;
    }
    return count_objects(call, KIND_DOMAIN, LIST_DOMAINS_INACTIVE,
                         "virConnectNumOfDefinedDomains", &ret->num, error);
}

gboolean
core_rpc_handle_connect_list_domains(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                     GError **error)
{
    const CoreRpcConnectListDomainsArgs *args = args_;
    CoreRpcConnectListDomainsRet *ret = ret_;
    GPtrArray *list;
    guint n;

    if (!check_max(args->maxids, "maxids", error))
        return FALSE;
    list = list_objects(call, KIND_DOMAIN, LIST_DOMAINS_ACTIVE, "virConnectListDomains", error);
    if (!list)
        return FALSE;
    n = MIN(list->len, (guint)MAX(args->maxids, 0));
    ret->ids = g_new0(gint32, n);
    for (guint i = 0; i < n; i++)
        ret->ids[i] = ((const CoreDomainRef *)list->pdata[i])->id;
    ret->ids_len = n;
    free_objects(KIND_DOMAIN, list);
    return TRUE;
}

gboolean
core_rpc_handle_connect_list_defined_domains(CoreRpcCall *call, gconstpointer args_,
                                             gpointer ret_, GError **error)
{
    const CoreRpcConnectListDefinedDomainsArgs *args = args_;
    CoreRpcConnectListDefinedDomainsRet *ret = ret_;

    return list_names(call, KIND_DOMAIN, LIST_DOMAINS_INACTIVE, args->maxnames,
                      "virConnectListDefinedDomains", &ret->names, &ret->names_len, error);
}

gboolean
core_rpc_handle_connect_num_of_networks(CoreRpcCall *call, gconstpointer args, gpointer ret_,
                                        GError **error)
{
    CoreRpcConnectNumOfNetworksRet *ret = ret_;

    return count_objects(call, KIND_NETWORK, LIST_OBJECTS_ACTIVE, "virConnectNumOfNetworks",
                         &ret->num, error);
}

gboolean
core_rpc_handle_connect_num_of_defined_networks(CoreRpcCall *call, gconstpointer args,
                                                gpointer ret_, GError **error)
{
    CoreRpcConnectNumOfDefinedNetworksRet *ret = ret_;

    return count_objects(call, KIND_NETWORK, LIST_OBJECTS_INACTIVE,
                         "virConnectNumOfDefinedNetworks", &ret->num, error);
}

gboolean
core_rpc_handle_connect_list_networks(CoreRpcCall *call, gconstpointer args_, gpointer ret_,
                                      GError **error)
{
    const CoreRpcConnectListNetworksArgs *args = args_;
    CoreRpcConnectListNetworksRet *ret = ret_;

    return list_names(call, KIND_NETWORK, LIST_OBJECTS_ACTIVE, args->maxnames,
                      "virConnectListNetworks", &ret->names, &ret->names_len, error);
}

gboolean
core_rpc_handle_connect_list_defined_networks(CoreRpcCall *call, gconstpointer args_,
                                              gpointer ret_, GError **error)
{
    const CoreRpcConnectListDefinedNetworksArgs *args = args_;
    CoreRpcConnectListDefinedNetworksRet *ret = ret_;

    return list_names(call, KIND_NETWORK, LIST_OBJECTS_INACTIVE, args->maxnames,
                      "virConnectListDefinedNetworks", &ret->names, &ret->names_len, error);
}

gboolean
core_rpc_handle_connect_num_of_storage_pools(CoreRpcCall *call, gconstpointer args,
                                             gpointer ret_, GError **error)
{
    CoreRpcConnectNumOfStoragePoolsRet *ret = ret_;

    return count_objects(call, KIND_POOL, LIST_OBJECTS_ACTIVE, "virConnectNumOfStoragePools",
                         &ret->num, error);
}

gboolean
core_rpc_handle_connect_num_of_defined_storage_pools(CoreRpcCall *call, gconstpointer args,
                                                     gpointer ret_, GError **error)
{
    CoreRpcConnectNumOfDefinedStoragePoolsRet *ret = ret_;

    return count_objects(call, KIND_POOL, LIST_OBJECTS_INACTIVE,
                         "virConnectNumOfDefinedStoragePools", &ret->num, error);
}

gboolean
core_rpc_handle_connect_list_storage_pools(CoreRpcCall *call, gconstpointer args_,
                                           gpointer ret_, GError **error)
{
    const CoreRpcConnectListStoragePoolsArgs *args = args_;
    CoreRpcConnectListStoragePoolsRet *ret = ret_;

    return list_names(call, KIND_POOL, LIST_OBJECTS_ACTIVE, args->maxnames,
                      "virConnectListStoragePools", &ret->names, &ret->names_len, error);
}

gboolean
core_rpc_handle_connect_list_defined_storage_pools(CoreRpcCall *call, gconstpointer args_,
                                                   gpointer ret_, GError **error)
{
    const CoreRpcConnectListDefinedStoragePoolsArgs *args = args_;
    CoreRpcConnectListDefinedStoragePoolsRet *ret = ret_;

    return list_names(call, KIND_POOL, LIST_OBJECTS_INACTIVE, args->maxnames,
                      "virConnectListDefinedStoragePools", &ret->names, &ret->names_len,
                      error);
}

gboolean
core_rpc_handle_storage_pool_list_volumes(CoreRpcCall *call, gconstpointer args_,
                                          gpointer ret_, GError **error)
{
    const CoreRpcStoragePoolListVolumesArgs *args = args_;
    CoreRpcStoragePoolListVolumesRet *ret = ret_;
    const CoreStorageOps *ops = call->driver->storage;
    gpointer *items;
    GPtrArray *list;
    gsize n = 0;
    guint keep;

    if (!check_max(args->maxnames, "maxnames", error))
        return FALSE;
    if (!ops || !ops->pool_list_all_volumes)
        return core_rpc_no_support(error, CORE_FROM_STORAGE, "virStoragePoolListVolumes");
    if (!(list = ops->pool_list_all_volumes(call->conn, args->pool, 0, error)))
        return FALSE;
    items = g_ptr_array_steal(list, &n);
    g_ptr_array_unref(list);
    keep = MIN((guint)n, (guint)MAX(args->maxnames, 0));
    ret->names = g_new0(char *, keep);
    ret->names_len = keep;
    for (gsize i = 0; i < n; i++) {
        CoreVolRef *vol = items[i];

        if (i < keep)
            ret->names[i] = g_strdup(vol->name);
        core_vol_ref_free(vol);
    }
    g_free(items);
    return TRUE;
}
