/* core-network-conf: the virtual network model (XML <-> struct).
 * CONTRACT fields/functions below stay; further fields are added as needed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoreNetworkDef CoreNetworkDef;

struct _CoreNetworkDef {
    char *name;
    guint8 uuid[16];
    char *bridge;        /* <bridge name='...'>, NULL if absent */
    char *forward_mode;  /* "nat", "route", "open", "bridge", NULL = isolated */
    gpointer priv;       /* the rest (mtu, ip, dhcp, dns, ...) */
};

CoreNetworkDef *core_network_def_parse_string(const char *xml, guint flags, GError **error);
char *core_network_def_format(const CoreNetworkDef *def, guint flags);
CoreNetworkDef *core_network_def_copy(const CoreNetworkDef *def);
void core_network_def_free(CoreNetworkDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreNetworkDef, core_network_def_free)

G_END_DECLS
