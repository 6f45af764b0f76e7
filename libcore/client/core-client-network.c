/* core-client-network: VireoNetwork handles and the network calls. */
#define CORE_FROM_THIS CORE_FROM_NETWORK
#include "core-client-priv.h"

VireoNetwork *
core_client_network_new(VireoConnect *conn, CoreNetworkRef *ref)
{
    VireoNetwork *net = g_new0(VireoNetwork, 1);

    g_atomic_ref_count_init(&net->ref);
    net->conn = vireo_connect_ref(conn);
    net->ref_ = ref;
    return net;
}

VireoNetwork *
vireo_network_ref(VireoNetwork *net)
{
    g_return_val_if_fail(net, NULL);
    g_atomic_ref_count_inc(&net->ref);
    return net;
}

void
vireo_network_unref(VireoNetwork *net)
{
    if (!net || !g_atomic_ref_count_dec(&net->ref))
        return;
    core_network_ref_free(net->ref_);
    vireo_connect_unref(net->conn);
    g_free(net);
}

VireoConnect *
vireo_network_get_connect(VireoNetwork *net)
{
    g_return_val_if_fail(net, NULL);
    return net->conn;
}

const char *
vireo_network_get_name(VireoNetwork *net)
{
    g_return_val_if_fail(net, NULL);
    return net->ref_->name;
}

const guint8 *
vireo_network_get_uuid(VireoNetwork *net)
{
    g_return_val_if_fail(net, NULL);
    return net->ref_->uuid;
}

void
vireo_network_get_uuid_string(VireoNetwork *net, char *buf)
{
    g_return_if_fail(net && buf);
    core_client_uuid_format(net->ref_->uuid, buf);
}

static VireoNetwork *
wrap(VireoConnect *conn, CoreNetworkRef *ref)
{
    return ref ? core_client_network_new(conn, ref) : NULL;
}

GPtrArray *
vireo_connect_list_all_networks(VireoConnect *conn, guint flags, GError **error)
{
    g_autoptr(GPtrArray) refs = NULL;
    g_autofree gpointer *items = NULL;
    gsize n = 0;
    GPtrArray *out = NULL;

    g_return_val_if_fail(conn, NULL);
    CORE_CLIENT_NEED(conn, network, list_all, CORE_FROM_THIS, "virConnectListAllNetworks",
                     error, NULL);
    if (!(refs = conn->drv->network->list_all(conn->conn, flags, error)))
        return NULL;
    items = g_ptr_array_steal(refs, &n);
    out = g_ptr_array_new_full(n, (GDestroyNotify)vireo_network_unref);
    for (gsize i = 0; i < n; i++)
        g_ptr_array_add(out, core_client_network_new(conn, items[i]));
    return out;
}

VireoNetwork *
vireo_network_lookup_by_name(VireoConnect *conn, const char *name, GError **error)
{
    g_return_val_if_fail(conn && name, NULL);
    CORE_CLIENT_NEED(conn, network, lookup_by_name, CORE_FROM_THIS, "virNetworkLookupByName",
                     error, NULL);
    return wrap(conn, conn->drv->network->lookup_by_name(conn->conn, name, error));
}

VireoNetwork *
vireo_network_lookup_by_uuid(VireoConnect *conn, const guint8 *uuid, GError **error)
{
    g_return_val_if_fail(conn && uuid, NULL);
    CORE_CLIENT_NEED(conn, network, lookup_by_uuid, CORE_FROM_THIS, "virNetworkLookupByUUID",
                     error, NULL);
    return wrap(conn, conn->drv->network->lookup_by_uuid(conn->conn, uuid, error));
}

VireoNetwork *
vireo_network_lookup_by_uuid_string(VireoConnect *conn, const char *uuid, GError **error)
{
    guint8 raw[CORE_UUID_LEN];

    g_return_val_if_fail(conn && uuid, NULL);
    if (!core_client_uuid_parse(uuid, raw, error))
        return NULL;
    return vireo_network_lookup_by_uuid(conn, raw, error);
}

VireoNetwork *
vireo_network_define_xml(VireoConnect *conn, const char *xml, guint flags, GError **error)
{
    g_return_val_if_fail(conn && xml, NULL);
    CORE_CLIENT_WRITABLE(conn, CORE_FROM_THIS, "virNetworkDefineXMLFlags", error, NULL);
    CORE_CLIENT_NEED(conn, network, define_xml, CORE_FROM_THIS, "virNetworkDefineXMLFlags",
                     error, NULL);
    return wrap(conn, conn->drv->network->define_xml(conn->conn, xml, flags, error));
}

VireoNetwork *
vireo_network_create_xml(VireoConnect *conn, const char *xml, guint flags, GError **error)
{
    g_return_val_if_fail(conn && xml, NULL);
    CORE_CLIENT_WRITABLE(conn, CORE_FROM_THIS, "virNetworkCreateXMLFlags", error, NULL);
    CORE_CLIENT_NEED(conn, network, create_xml, CORE_FROM_THIS, "virNetworkCreateXMLFlags",
                     error, NULL);
    return wrap(conn, conn->drv->network->create_xml(conn->conn, xml, flags, error));
}

#define NET_PRE(net, entry, api, writable, error, retval)                                   \
    g_return_val_if_fail(net, retval);                                                      \
    if (writable)                                                                           \
        CORE_CLIENT_WRITABLE((net)->conn, CORE_FROM_THIS, api, error, retval);              \
    CORE_CLIENT_NEED((net)->conn, network, entry, CORE_FROM_THIS, api, error, retval)

#define NET_DRV(net) ((net)->conn->drv->network)
#define NET_ARGS(net) (net)->conn->conn, (net)->ref_

gboolean
vireo_network_undefine(VireoNetwork *net, GError **error)
{
    NET_PRE(net, undefine, "virNetworkUndefine", TRUE, error, FALSE);
    return NET_DRV(net)->undefine(NET_ARGS(net), error);
}

gboolean
vireo_network_create(VireoNetwork *net, GError **error)
{
    NET_PRE(net, create, "virNetworkCreate", TRUE, error, FALSE);
    return NET_DRV(net)->create(NET_ARGS(net), error);
}

gboolean
vireo_network_destroy(VireoNetwork *net, GError **error)
{
    NET_PRE(net, destroy, "virNetworkDestroy", TRUE, error, FALSE);
    return NET_DRV(net)->destroy(NET_ARGS(net), error);
}

char *
vireo_network_get_xml_desc(VireoNetwork *net, guint flags, GError **error)
{
    NET_PRE(net, get_xml_desc, "virNetworkGetXMLDesc", FALSE, error, NULL);
    return NET_DRV(net)->get_xml_desc(NET_ARGS(net), flags, error);
}

char *
vireo_network_get_bridge_name(VireoNetwork *net, GError **error)
{
    NET_PRE(net, get_bridge_name, "virNetworkGetBridgeName", FALSE, error, NULL);
    return NET_DRV(net)->get_bridge_name(NET_ARGS(net), error);
}

int
vireo_network_get_autostart(VireoNetwork *net, GError **error)
{
    NET_PRE(net, get_autostart, "virNetworkGetAutostart", FALSE, error, -1);
    return NET_DRV(net)->get_autostart(NET_ARGS(net), error);
}

gboolean
vireo_network_set_autostart(VireoNetwork *net, gboolean autostart, GError **error)
{
    NET_PRE(net, set_autostart, "virNetworkSetAutostart", TRUE, error, FALSE);
    return NET_DRV(net)->set_autostart(NET_ARGS(net), autostart, error);
}

int
vireo_network_is_active(VireoNetwork *net, GError **error)
{
    NET_PRE(net, is_active, "virNetworkIsActive", FALSE, error, -1);
    return NET_DRV(net)->is_active(NET_ARGS(net), error);
}

int
vireo_network_is_persistent(VireoNetwork *net, GError **error)
{
    NET_PRE(net, is_persistent, "virNetworkIsPersistent", FALSE, error, -1);
    return NET_DRV(net)->is_persistent(NET_ARGS(net), error);
}
