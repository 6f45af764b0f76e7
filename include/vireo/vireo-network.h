/* vireo-network.h: virtual networks. */
#pragma once

#if !defined(VIREO_INSIDE) && !defined(VIREO_COMPILATION)
#error "Only <vireo/vireo.h> can be included directly."
#endif

#include <vireo/vireo-common.h>

G_BEGIN_DECLS

/* virConnectListAllNetworksFlags values */
typedef enum {
    VIREO_LIST_NETWORKS_INACTIVE = 1 << 0,
    VIREO_LIST_NETWORKS_ACTIVE = 1 << 1,
    VIREO_LIST_NETWORKS_PERSISTENT = 1 << 2,
    VIREO_LIST_NETWORKS_TRANSIENT = 1 << 3,
    VIREO_LIST_NETWORKS_AUTOSTART = 1 << 4,
    VIREO_LIST_NETWORKS_NO_AUTOSTART = 1 << 5,
} VireoListNetworksFlags;

VireoNetwork *vireo_network_ref(VireoNetwork *net);
void vireo_network_unref(VireoNetwork *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VireoNetwork, vireo_network_unref)
/* (transfer none) */
VireoConnect *vireo_network_get_connect(VireoNetwork *net);
/* (transfer none) */
const char *vireo_network_get_name(VireoNetwork *net);
/* (transfer none) 16 raw bytes */
const guint8 *vireo_network_get_uuid(VireoNetwork *net);
void vireo_network_get_uuid_string(VireoNetwork *net, char *buf);

/* (element-type VireoNetwork) (transfer full) */
GPtrArray *vireo_connect_list_all_networks(VireoConnect *conn, guint flags, GError **error);
VireoNetwork *vireo_network_lookup_by_name(VireoConnect *conn, const char *name,
                                           GError **error);
VireoNetwork *vireo_network_lookup_by_uuid(VireoConnect *conn, const guint8 *uuid,
                                           GError **error);
VireoNetwork *vireo_network_lookup_by_uuid_string(VireoConnect *conn, const char *uuid,
                                                  GError **error);
VireoNetwork *vireo_network_define_xml(VireoConnect *conn, const char *xml, guint flags,
                                       GError **error);
VireoNetwork *vireo_network_create_xml(VireoConnect *conn, const char *xml, guint flags,
                                       GError **error);
gboolean vireo_network_undefine(VireoNetwork *net, GError **error);
gboolean vireo_network_create(VireoNetwork *net, GError **error);
gboolean vireo_network_destroy(VireoNetwork *net, GError **error);
/* (transfer full) */
char *vireo_network_get_xml_desc(VireoNetwork *net, guint flags, GError **error);
/* (transfer full) */
char *vireo_network_get_bridge_name(VireoNetwork *net, GError **error);
int vireo_network_get_autostart(VireoNetwork *net, GError **error);
gboolean vireo_network_set_autostart(VireoNetwork *net, gboolean autostart, GError **error);
int vireo_network_is_active(VireoNetwork *net, GError **error);
int vireo_network_is_persistent(VireoNetwork *net, GError **error);

G_END_DECLS
