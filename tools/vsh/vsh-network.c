/* vsh-network: virtual network commands (net-list, net-info, ...). */
#include "vsh.h"

#include <string.h>

VireoNetwork *
vsh_lookup_network(VshCtl *ctl, const VshCmd *cmd, const char *optname, const char **ret_name)
{
    const char *name = vsh_opt_string(cmd, optname);
    VireoNetwork *net = NULL;
    GError *err = NULL;

    if (!name)
        return NULL;
    if (ret_name)
        *ret_name = name;
    if (strlen(name) == VIREO_UUID_STRING_BUFLEN - 1)
        net = vireo_network_lookup_by_uuid_string(ctl->conn, name, &err);
    if (!net) {
        g_clear_error(&err);
        net = vireo_network_lookup_by_name(ctl->conn, name, &err);
    }
    if (!net) {
        /* as virsh: the name lookup's error is reported after this line */
        vsh_error(ctl, "failed to get network '%s'", name);
        vsh_save_error(ctl, err);
    }
    return net;
}

static gint
net_sort(gconstpointer a, gconstpointer b)
{
    return g_ascii_strcasecmp(vireo_network_get_name(*(VireoNetwork *const *)a),
                              vireo_network_get_name(*(VireoNetwork *const *)b));
}

static const char *
yes_no(int v)
{
    return v ? "yes" : "no";
}

static gboolean
cmd_net_list(VshCtl *ctl, const VshCmd *cmd)
{
    gboolean by_name = vsh_opt_bool(cmd, "name"), by_uuid = vsh_opt_bool(cmd, "uuid");
    gboolean json = vsh_opt_bool(cmd, "json");
    g_autoptr(GPtrArray) nets = NULL;
    g_autoptr(VshTable) tab = NULL;
    json_object *arr = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (vsh_opt_bool(cmd, "table") + by_name + by_uuid > 1) {
        vsh_error(ctl, "%s", "Only one argument from --table, --name and --uuid may be specified.");
        return FALSE;
    }
    if (vsh_opt_bool(cmd, "inactive"))
        flags = VIREO_LIST_NETWORKS_INACTIVE;
    if (vsh_opt_bool(cmd, "all"))
        flags = VIREO_LIST_NETWORKS_INACTIVE | VIREO_LIST_NETWORKS_ACTIVE;
    if (!flags)
        flags = VIREO_LIST_NETWORKS_ACTIVE;
    if (vsh_opt_bool(cmd, "persistent"))
        flags |= VIREO_LIST_NETWORKS_PERSISTENT;
    if (vsh_opt_bool(cmd, "transient"))
        flags |= VIREO_LIST_NETWORKS_TRANSIENT;
    if (vsh_opt_bool(cmd, "autostart"))
        flags |= VIREO_LIST_NETWORKS_AUTOSTART;
    if (vsh_opt_bool(cmd, "no-autostart"))
        flags |= VIREO_LIST_NETWORKS_NO_AUTOSTART;
    if (!(nets = vireo_connect_list_all_networks(ctl->conn, flags, &err)))
        return vsh_fail(ctl, err);
    g_ptr_array_sort(nets, net_sort);
    if (json)
        arr = json_object_new_array();
    else if (!by_name && !by_uuid)
        tab = vsh_table_new("Name", "State", "Autostart", "Persistent", NULL);
    for (guint i = 0; i < nets->len; i++) {
        VireoNetwork *net = nets->pdata[i];
        char uuid[VIREO_UUID_STRING_BUFLEN];
        int active = vireo_network_is_active(net, NULL);
        int autostart = vireo_network_get_autostart(net, NULL);
        int persistent = vireo_network_is_persistent(net, NULL);
        const char *auto_str = autostart < 0 ? "no autostart" : yes_no(autostart);

        vireo_network_get_uuid_string(net, uuid);
        if (json) {
            json_object *o = json_object_new_object();

            json_object_object_add(o, "name", json_object_new_string(vireo_network_get_name(net)));
            json_object_object_add(o, "uuid", json_object_new_string(uuid));
            json_object_object_add(o, "active", json_object_new_boolean(active > 0));
            json_object_object_add(o, "autostart", json_object_new_boolean(autostart > 0));
            json_object_object_add(o, "persistent", json_object_new_boolean(persistent > 0));
            json_object_array_add(arr, o);
        } else if (by_name) {
            vsh_print(ctl, "%s\n", vireo_network_get_name(net));
        } else if (by_uuid) {
            vsh_print(ctl, "%s\n", uuid);
        } else {
            vsh_table_add_row(tab, vireo_network_get_name(net), active > 0 ? "active" : "inactive",
                              auto_str, yes_no(persistent > 0), NULL);
        }
    }
    return vsh_list_print(ctl, arr, g_steal_pointer(&tab));
}

static gboolean
cmd_net_info(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoNetwork) net = vsh_lookup_network(ctl, cmd, "network", NULL);
    g_autofree char *bridge = NULL;
    char uuid[VIREO_UUID_STRING_BUFLEN];
    int active, persistent, autostart;

    if (!net)
        return FALSE;
    vireo_network_get_uuid_string(net, uuid);
    active = vireo_network_is_active(net, NULL);
    persistent = vireo_network_is_persistent(net, NULL);
    autostart = vireo_network_get_autostart(net, NULL);
    bridge = vireo_network_get_bridge_name(net, NULL);
    if (vsh_opt_bool(cmd, "json")) {
        json_object *o = json_object_new_object();

        json_object_object_add(o, "name", json_object_new_string(vireo_network_get_name(net)));
        json_object_object_add(o, "uuid", json_object_new_string(uuid));
        json_object_object_add(o, "active", json_object_new_boolean(active > 0));
        json_object_object_add(o, "persistent", json_object_new_boolean(persistent > 0));
        json_object_object_add(o, "autostart", json_object_new_boolean(autostart > 0));
        json_object_object_add(o, "bridge", bridge ? json_object_new_string(bridge) : NULL);
        vsh_json_print(ctl, o);
        return TRUE;
    }
    vsh_print(ctl, "%-15s %s\n", "Name:", vireo_network_get_name(net));
    vsh_print(ctl, "%-15s %s\n", "UUID:", uuid);
    if (active >= 0)
        vsh_print(ctl, "%-15s %s\n", "Active:", yes_no(active));
    vsh_print(ctl, "%-15s %s\n", "Persistent:", persistent < 0 ? "unknown" : yes_no(persistent));
    vsh_print(ctl, "%-15s %s\n", "Autostart:", autostart < 0 ? "no autostart" : yes_no(autostart));
    if (bridge)
        vsh_print(ctl, "%-15s %s\n", "Bridge:", bridge);
    return TRUE;
}

static gboolean
cmd_net_dumpxml(VshCtl *ctl, const VshCmd *cmd)
{
    static const char *const unsupported[] = { "xpath", "wrap", NULL };
    g_autoptr(VireoNetwork) net = NULL;
    g_autofree char *xml = NULL;
    GError *err = NULL;

    if (!vsh_reject_unsupported(ctl, cmd, unsupported))
        return FALSE;
    if (!(net = vsh_lookup_network(ctl, cmd, "network", NULL)))
        return FALSE;
    if (!(xml = vireo_network_get_xml_desc(net, vsh_opt_bool(cmd, "inactive") ? 1 : 0, &err)))
        return vsh_fail(ctl, err);
    vsh_print(ctl, "%s", xml);
    return TRUE;
}

static gboolean
cmd_net_define(VshCtl *ctl, const VshCmd *cmd)
{
    const char *file = vsh_opt_string(cmd, "file");
    g_autoptr(VireoNetwork) net = NULL;
    g_autofree char *xml = NULL;
    GError *err = NULL;

    if (!(xml = vsh_read_file(ctl, file)))
        return FALSE;
    if (!(net = vireo_network_define_xml(ctl->conn, xml, vsh_opt_bool(cmd, "validate") ? 1 : 0,
                                         &err))) {
        vsh_error(ctl, "Failed to define network from %s", file);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Network %s defined from %s\n", vireo_network_get_name(net), file);
    return TRUE;
}

typedef gboolean (*NetOp)(VireoNetwork *net, GError **error);

static gboolean
net_simple(VshCtl *ctl, const VshCmd *cmd, NetOp op, const char *verb, const char *done)
{
    g_autoptr(VireoNetwork) net = NULL;
    const char *name = NULL;
    GError *err = NULL;

    if (!(net = vsh_lookup_network(ctl, cmd, "network", &name)))
        return FALSE;
    if (!op(net, &err)) {
        vsh_error(ctl, "Failed to %s network %s", verb, name);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Network %s %s\n", name, done);
    return TRUE;
}

static gboolean
cmd_net_start(VshCtl *ctl, const VshCmd *cmd)
{
    return net_simple(ctl, cmd, vireo_network_create, "start", "started");
}

static gboolean
cmd_net_destroy(VshCtl *ctl, const VshCmd *cmd)
{
    return net_simple(ctl, cmd, vireo_network_destroy, "destroy", "destroyed");
}

static gboolean
cmd_net_undefine(VshCtl *ctl, const VshCmd *cmd)
{
    return net_simple(ctl, cmd, vireo_network_undefine, "undefine",
                      "has been undefined");
}

static gboolean
cmd_net_autostart(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoNetwork) net = NULL;
    gboolean enable = !vsh_opt_bool(cmd, "disable");
    const char *name = NULL;
    GError *err = NULL;

    if (!(net = vsh_lookup_network(ctl, cmd, "network", &name)))
        return FALSE;
    if (!vireo_network_set_autostart(net, enable, &err)) {
        vsh_error(ctl, enable ? "failed to mark network %s as autostarted"
                              : "failed to unmark network %s as autostarted", name);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, enable ? "Network %s marked as autostarted\n"
                                : "Network %s unmarked as autostarted\n", name);
    return TRUE;
}

#define OPT_NETWORK { "network", VSH_OT_DATA, VSH_OFLAG_REQ, "network name or uuid" }

static const VshOptDef opts_net_list[] = {
    { "inactive", VSH_OT_BOOL, 0, "list inactive networks" },
    { "all", VSH_OT_BOOL, 0, "list inactive & active networks" },
    { "persistent", VSH_OT_BOOL, 0, "list persistent networks" },
    { "transient", VSH_OT_BOOL, 0, "list transient networks" },
    { "autostart", VSH_OT_BOOL, 0, "list networks with autostart enabled" },
    { "no-autostart", VSH_OT_BOOL, 0, "list networks with autostart disabled" },
    { "uuid", VSH_OT_BOOL, 0, "list uuid's only" },
    { "name", VSH_OT_BOOL, 0, "list network names only" },
    { "table", VSH_OT_BOOL, 0, "list table (default)" },
    VSH_OPT_JSON,
    { NULL },
};

static const VshOptDef opts_net_info[] = { OPT_NETWORK, VSH_OPT_JSON, { NULL } };
static const VshOptDef opts_net_simple[] = { OPT_NETWORK, { NULL } };

static const VshOptDef opts_net_dumpxml[] = {
    OPT_NETWORK,
    { "inactive", VSH_OT_BOOL, 0, "show inactive defined XML" },
    { "xpath", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static const VshOptDef opts_net_define[] = {
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML network description" },
    { "validate", VSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static const VshOptDef opts_net_autostart[] = {
    OPT_NETWORK,
    { "disable", VSH_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};

const VshCmdDef vsh_network_cmds[] = {
    { "net-autostart", cmd_net_autostart, opts_net_autostart, "autostart a network",
      "Configure a network to be automatically started at boot.", 0 },
    { "net-define", cmd_net_define, opts_net_define, "define an inactive persistent virtual "
      "network or modify an existing persistent one from an XML file",
      "Define or modify a persistent virtual network.", 0 },
    { "net-destroy", cmd_net_destroy, opts_net_simple, "destroy (stop) a network",
      "Forcefully stop a given network.", 0 },
    { "net-dumpxml", cmd_net_dumpxml, opts_net_dumpxml, "network information in XML",
      "Output the network information as an XML dump to stdout.", 0 },
    { "net-info", cmd_net_info, opts_net_info, "network information",
      "Returns basic information about the network", 0 },
    { "net-list", cmd_net_list, opts_net_list, "list networks", "Returns list of networks.", 0 },
    { "net-start", cmd_net_start, opts_net_simple, "start a (previously defined) inactive network",
      "Start a network.", 0 },
    { "net-undefine", cmd_net_undefine, opts_net_simple, "undefine a persistent network",
      "Undefine the configuration for a persistent network.", 0 },
    { NULL },
};
