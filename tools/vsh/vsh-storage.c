/* vsh-storage: storage pool and volume commands. */
#include "vsh.h"

#include <string.h>

VireoStoragePool *
vsh_lookup_pool_by(VshCtl *ctl, const char *name, unsigned flags)
{
    VireoStoragePool *pool = NULL;
    GError *err = NULL;

    if ((flags & VSH_BYUUID) && strlen(name) == VIREO_UUID_STRING_BUFLEN - 1)
        pool = vireo_storage_pool_lookup_by_uuid_string(ctl->conn, name, &err);
    if (!pool && (flags & VSH_BYNAME)) {
        g_clear_error(&err);
        pool = vireo_storage_pool_lookup_by_name(ctl->conn, name, &err);
    }
    if (!pool) {
        vsh_error(ctl, "failed to get pool '%s'", name);
        vsh_save_error(ctl, err);
    }
    return pool;
}

VireoStoragePool *
vsh_lookup_pool(VshCtl *ctl, const VshCmd *cmd, const char *optname, unsigned flags,
                const char **ret_name)
{
    const char *name = vsh_opt_string(cmd, optname);

    if (!name)
        return NULL;
    if (ret_name)
        *ret_name = name;
    return vsh_lookup_pool_by(ctl, name, flags);
}

#define POOL_BY (VSH_BYUUID | VSH_BYNAME)

static const char *
pool_state_str(int state)
{
    static const char *const names[] = { "inactive", "building", "running", "degraded",
                                         "inaccessible" };

    return state >= 0 && state < (int)G_N_ELEMENTS(names) ? names[state] : "unknown";
}

static char *
pretty(guint64 val)
{
    const char *unit = NULL;
    double v = vsh_pretty_capacity(val, &unit);

    return g_strdup_printf("%.2f %s", v, unit);
}

static const char *
yes_no(int v)
{
    return v ? "yes" : "no";
}

static gint
pool_sort(gconstpointer a, gconstpointer b)
{
    return g_ascii_strcasecmp(vireo_storage_pool_get_name(*(VireoStoragePool *const *)a),
                              vireo_storage_pool_get_name(*(VireoStoragePool *const *)b));
}

static const char *const pool_types[] = {
    "dir", "fs", "netfs", "logical", "disk", "iscsi", "scsi", "mpath", "rbd", "sheepdog",
    "gluster", "zfs", "vstorage", "iscsi-direct",
};

static gboolean
pool_list_flags(VshCtl *ctl, const VshCmd *cmd, guint *ret)
{
    const char *types = vsh_opt_string(cmd, "type");
    guint flags = 0;

    if (vsh_opt_bool(cmd, "inactive"))
        flags = VIREO_LIST_STORAGE_POOLS_INACTIVE;
    if (vsh_opt_bool(cmd, "all"))
        flags = VIREO_LIST_STORAGE_POOLS_INACTIVE | VIREO_LIST_STORAGE_POOLS_ACTIVE;
    if (!flags)
        flags = VIREO_LIST_STORAGE_POOLS_ACTIVE;
    if (vsh_opt_bool(cmd, "persistent"))
        flags |= VIREO_LIST_STORAGE_POOLS_PERSISTENT;
    if (vsh_opt_bool(cmd, "transient"))
        flags |= VIREO_LIST_STORAGE_POOLS_TRANSIENT;
    if (vsh_opt_bool(cmd, "autostart"))
        flags |= VIREO_LIST_STORAGE_POOLS_AUTOSTART;
    if (vsh_opt_bool(cmd, "no-autostart"))
        flags |= VIREO_LIST_STORAGE_POOLS_NO_AUTOSTART;
    if (types) {
        g_auto(GStrv) parts = g_strsplit(types, ",", -1);

        for (size_t i = 0; parts[i]; i++) {
            gsize j;

            for (j = 0; j < G_N_ELEMENTS(pool_types); j++) {
                if (strcmp(parts[i], pool_types[j]) == 0)
                    break;
            }
            if (j == G_N_ELEMENTS(pool_types)) {
                vsh_error(ctl, "%s", "Invalid pool type");
                return FALSE;
            }
            flags |= 1u << (6 + j);
        }
    }
    *ret = flags;
    return TRUE;
}

static void
pool_row(VshTable *tab, json_object *arr, VireoStoragePool *pool, gboolean details)
{
    VireoStoragePoolInfo info = { 0 };
    int autostart = vireo_storage_pool_get_autostart(pool, NULL);
    int persistent = vireo_storage_pool_is_persistent(pool, NULL);
    const char *auto_str = autostart < 0 ? "no autostart" : yes_no(autostart);
    const char *pers_str = persistent < 0 ? "unknown" : yes_no(persistent);
    g_autofree char *cap = NULL, *alloc = NULL, *avail = NULL;
    gboolean have_info = vireo_storage_pool_get_info(pool, &info, NULL);
    gboolean sized = have_info && (info.state == VIREO_STORAGE_POOL_RUNNING ||
                                   info.state == VIREO_STORAGE_POOL_DEGRADED);
    const char *state = !have_info ? "unknown"
                        : details  ? pool_state_str(info.state)
                        : vireo_storage_pool_is_active(pool, NULL) > 0 ? "active" : "inactive";

    if (arr) {
        json_object *o = json_object_new_object();
        char uuid[VIREO_UUID_STRING_BUFLEN];

        vireo_storage_pool_get_uuid_string(pool, uuid);
        json_object_object_add(o, "name",
                               json_object_new_string(vireo_storage_pool_get_name(pool)));
        json_object_object_add(o, "uuid", json_object_new_string(uuid));
        json_object_object_add(o, "state", json_object_new_string(pool_state_str(info.state)));
        json_object_object_add(o, "autostart", json_object_new_boolean(autostart > 0));
        json_object_object_add(o, "persistent", json_object_new_boolean(persistent > 0));
        json_object_object_add(o, "capacity", sized ? json_object_new_uint64(info.capacity) : NULL);
        json_object_object_add(o, "allocation",
                               sized ? json_object_new_uint64(info.allocation) : NULL);
        json_object_object_add(o, "available",
                               sized ? json_object_new_uint64(info.available) : NULL);
        json_object_array_add(arr, o);
        return;
    }
    if (!details) {
        vsh_table_add_row(tab, vireo_storage_pool_get_name(pool), state, auto_str, NULL);
        return;
    }
    cap = sized ? pretty(info.capacity) : g_strdup("-");
    alloc = sized ? pretty(info.allocation) : g_strdup("-");
    avail = sized ? pretty(info.available) : g_strdup("-");
    vsh_table_add_row(tab, vireo_storage_pool_get_name(pool), state, auto_str, pers_str, cap,
                      alloc, avail, NULL);
}

static gboolean
cmd_pool_list(VshCtl *ctl, const VshCmd *cmd)
{
    gboolean details = vsh_opt_bool(cmd, "details"), json = vsh_opt_bool(cmd, "json");
    gboolean by_name = vsh_opt_bool(cmd, "name"), by_uuid = vsh_opt_bool(cmd, "uuid");
    g_autoptr(GPtrArray) pools = NULL;
    g_autoptr(VshTable) tab = NULL;
    json_object *arr = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!vsh_opts_exclusive(ctl, cmd, "details", "uuid") ||
        !vsh_opts_exclusive(ctl, cmd, "details", "name") || !pool_list_flags(ctl, cmd, &flags))
        return FALSE;
    if (!(pools = vireo_connect_list_all_storage_pools(ctl->conn, flags, &err)))
        return vsh_fail(ctl, err);
    g_ptr_array_sort(pools, pool_sort);
    if (!json && (by_name || by_uuid)) {
        for (guint i = 0; i < pools->len; i++) {
            char uuid[VIREO_UUID_STRING_BUFLEN];

            vireo_storage_pool_get_uuid_string(pools->pdata[i], uuid);
            if (by_uuid)
                vsh_print(ctl, "%-36s%s", uuid, by_name ? " " : "");
            if (by_name)
                vsh_print(ctl, "%-20s", vireo_storage_pool_get_name(pools->pdata[i]));
            vsh_print(ctl, "\n");
        }
        return TRUE;
    }
    if (json)
        arr = json_object_new_array();
    else if (details)
        tab = vsh_table_new("Name", "State", "Autostart", "Persistent", "Capacity",
                            "Allocation", "Available", NULL);
    else
        tab = vsh_table_new("Name", "State", "Autostart", NULL);
    for (guint i = 0; i < pools->len; i++)
        pool_row(tab, arr, pools->pdata[i], details);
    return vsh_list_print(ctl, arr, g_steal_pointer(&tab));
}

static gboolean
cmd_pool_info(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoStoragePool) pool = vsh_lookup_pool(ctl, cmd, "pool", POOL_BY, NULL);
    gboolean bytes = vsh_opt_bool(cmd, "bytes");
    char uuid[VIREO_UUID_STRING_BUFLEN];
    VireoStoragePoolInfo info = { 0 };
    GError *err = NULL;
    int v;

    if (!pool)
        return FALSE;
    if (vsh_opt_bool(cmd, "json")) {
        json_object *arr = json_object_new_array();

        pool_row(NULL, arr, pool, TRUE);
        vsh_json_print(ctl, json_object_get(json_object_array_get_idx(arr, 0)));
        json_object_put(arr);
        return TRUE;
    }
    vsh_print(ctl, "%-15s %s\n", "Name:", vireo_storage_pool_get_name(pool));
    vireo_storage_pool_get_uuid_string(pool, uuid);
    vsh_print(ctl, "%-15s %s\n", "UUID:", uuid);
    if (!vireo_storage_pool_get_info(pool, &info, &err))
        return vsh_fail(ctl, err);
    vsh_print(ctl, "%-15s %s\n", "State:", pool_state_str(info.state));
    v = vireo_storage_pool_is_persistent(pool, NULL);
    vsh_print(ctl, "%-15s %s\n", "Persistent:", v < 0 ? "unknown" : yes_no(v));
    v = vireo_storage_pool_get_autostart(pool, NULL);
    vsh_print(ctl, "%-15s %s\n", "Autostart:", v < 0 ? "no autostart" : yes_no(v));
    if (info.state == VIREO_STORAGE_POOL_RUNNING || info.state == VIREO_STORAGE_POOL_DEGRADED) {
        vsh_print_size(ctl, "Capacity:", info.capacity, bytes, NULL);
        vsh_print_size(ctl, "Allocation:", info.allocation, bytes, NULL);
        vsh_print_size(ctl, "Available:", info.available, bytes, NULL);
    }
    return TRUE;
}

static gboolean
cmd_pool_dumpxml(VshCtl *ctl, const VshCmd *cmd)
{
    static const char *const unsupported[] = { "xpath", "wrap", NULL };
    g_autoptr(VireoStoragePool) pool = NULL;
    g_autofree char *xml = NULL;
    GError *err = NULL;

    if (!vsh_reject_unsupported(ctl, cmd, unsupported))
        return FALSE;
    if (!(pool = vsh_lookup_pool(ctl, cmd, "pool", POOL_BY, NULL)))
        return FALSE;
    if (!(xml = vireo_storage_pool_get_xml_desc(pool, vsh_opt_bool(cmd, "inactive") ? 1 : 0,
                                                &err)))
        return vsh_fail(ctl, err);
    vsh_print(ctl, "%s", xml);
    return TRUE;
}

static gboolean
cmd_pool_define(VshCtl *ctl, const VshCmd *cmd)
{
    const char *file = vsh_opt_string(cmd, "file");
    g_autoptr(VireoStoragePool) pool = NULL;
    g_autofree char *xml = NULL;
    GError *err = NULL;

    if (!(xml = vsh_read_file(ctl, file)))
        return FALSE;
    if (!(pool = vireo_storage_pool_define_xml(ctl->conn, xml,
                                               vsh_opt_bool(cmd, "validate") ? 1 : 0, &err))) {
        vsh_error(ctl, "Failed to define pool from %s", file);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Pool %s defined from %s\n", vireo_storage_pool_get_name(pool), file);
    return TRUE;
}

static gboolean
cmd_pool_start(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoStoragePool) pool = NULL;
    const char *name = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!(pool = vsh_lookup_pool(ctl, cmd, "pool", POOL_BY, &name)))
        return FALSE;
    if (!vsh_opts_exclusive(ctl, cmd, "overwrite", "no-overwrite"))
        return FALSE;
    if (vsh_opt_bool(cmd, "build"))
        flags |= 1 << 0;
    if (vsh_opt_bool(cmd, "overwrite"))
        flags |= 1 << 1;
    if (vsh_opt_bool(cmd, "no-overwrite"))
        flags |= 1 << 2;
    if (!vireo_storage_pool_create(pool, flags, &err)) {
        vsh_error(ctl, "Failed to start pool %s", name);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Pool %s started\n", name);
    return TRUE;
}

static gboolean
cmd_pool_destroy(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoStoragePool) pool = NULL;
    const char *name = NULL;
    GError *err = NULL;

    if (!(pool = vsh_lookup_pool(ctl, cmd, "pool", POOL_BY, &name)))
        return FALSE;
    if (!vireo_storage_pool_destroy(pool, &err)) {
        vsh_error(ctl, "Failed to destroy pool %s", name);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Pool %s destroyed\n", name);
    return TRUE;
}

static gboolean
cmd_pool_undefine(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoStoragePool) pool = NULL;
    const char *name = NULL;
    GError *err = NULL;

    if (!(pool = vsh_lookup_pool(ctl, cmd, "pool", POOL_BY, &name)))
        return FALSE;
    if (!vireo_storage_pool_undefine(pool, &err)) {
        vsh_error(ctl, "Failed to undefine pool %s", name);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Pool %s has been undefined\n", name);
    return TRUE;
}

#define OPT_POOL { "pool", VSH_OT_DATA, VSH_OFLAG_REQ, "pool name or uuid" }

static const VshOptDef opts_pool_list[] = {
    { "inactive", VSH_OT_BOOL, 0, "list inactive pools" },
    { "all", VSH_OT_BOOL, 0, "list inactive & active pools" },
    { "transient", VSH_OT_BOOL, 0, "list transient pools" },
    { "persistent", VSH_OT_BOOL, 0, "list persistent pools" },
    { "autostart", VSH_OT_BOOL, 0, "list pools with autostart enabled" },
    { "no-autostart", VSH_OT_BOOL, 0, "list pools with autostart disabled" },
    { "type", VSH_OT_STRING, 0, "only list pool of specified type(s) (if supported)" },
    { "details", VSH_OT_BOOL, 0, "display extended details for pools" },
    { "uuid", VSH_OT_BOOL, 0, "list UUID of active pools only" },
    { "name", VSH_OT_BOOL, 0, "list name of active pools only" },
    VSH_OPT_JSON,
    { NULL },
};

static const VshOptDef opts_pool_info[] = {
    OPT_POOL,
    { "bytes", VSH_OT_BOOL, 0, "Return pool info in bytes" },
    VSH_OPT_JSON,
    { NULL },
};

static const VshOptDef opts_pool_dumpxml[] = {
    OPT_POOL,
    { "inactive", VSH_OT_BOOL, 0, "show inactive defined XML" },
    { "xpath", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static const VshOptDef opts_pool_define[] = {
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML pool description" },
    { "validate", VSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

static const VshOptDef opts_pool_start[] = {
    OPT_POOL,
    { "build", VSH_OT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VSH_OT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VSH_OT_BOOL, 0, "overwrite any existing data" },
    { NULL },
};

static const VshOptDef opts_pool_simple[] = { OPT_POOL, { NULL } };

const VshCmdDef vsh_storage_cmds[] = {
    { "pool-define", cmd_pool_define, opts_pool_define,
      "define an inactive persistent storage pool or modify an existing persistent one from an "
      "XML file", "Define or modify a persistent storage pool.", 0 },
    { "pool-destroy", cmd_pool_destroy, opts_pool_simple, "destroy (stop) a pool",
      "Forcefully stop a given pool. Raw data in the pool is untouched", 0 },
    { "pool-dumpxml", cmd_pool_dumpxml, opts_pool_dumpxml, "pool information in XML",
      "Output the pool information as an XML dump to stdout.", 0 },
    { "pool-info", cmd_pool_info, opts_pool_info, "storage pool information",
      "Returns basic information about the storage pool.", 0 },
    { "pool-list", cmd_pool_list, opts_pool_list, "list pools", "Returns list of pools.", 0 },
    { "pool-start", cmd_pool_start, opts_pool_start, "start a (previously defined) inactive pool",
      "Start a pool.", 0 },
    { "pool-undefine", cmd_pool_undefine, opts_pool_simple, "undefine an inactive pool",
      "Undefine the configuration for an inactive pool.", 0 },
    { NULL },
};
