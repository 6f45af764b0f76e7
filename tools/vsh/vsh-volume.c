/* vsh-volume: storage volume commands (vol-list, vol-info, vol-create-as ...). */
#include "vsh.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* virsh's volume lookup: by name in --pool, then by key, then by path. */
static VireoStorageVol *
lookup_vol(VshCtl *ctl, const VshCmd *cmd, const char **ret_name)
{
    const char *name = vsh_opt_string(cmd, "vol");
    const char *poolname = vsh_opt_string(cmd, "pool");
    g_autoptr(VireoStoragePool) pool = NULL;
    VireoStorageVol *vol = NULL;
    GError *err = NULL;

    if (!name)
        return NULL;
    *ret_name = name;
    if (poolname) {
        if (!(pool = vsh_lookup_pool_by(ctl, poolname, VSH_BYUUID | VSH_BYNAME)))
            return NULL;
        if (vireo_storage_pool_is_active(pool, NULL) != 1) {
            vsh_error(ctl, "pool '%s' is not active", poolname);
            return NULL;
        }
        vol = vireo_storage_vol_lookup_by_name(pool, name, &err);
    }
    if (!vol) {
        g_clear_error(&err);
        vol = vireo_storage_vol_lookup_by_key(ctl->conn, name, &err);
    }
    if (!vol) {
        g_clear_error(&err);
        vol = vireo_storage_vol_lookup_by_path(ctl->conn, name, &err);
    }
    if (!vol) {
        if (poolname)
            vsh_error(ctl, "failed to get vol '%s'", name);
        else
            vsh_error(ctl, "failed to get vol '%s', specifying --pool might help", name);
        vsh_save_error(ctl, err);
    }
    return vol;
}

static const char *
vol_type_str(int type)
{
    static const char *const names[] = { "file", "block", "dir", "network", "netdir", "ploop" };

    return type >= 0 && type < (int)G_N_ELEMENTS(names) ? names[type] : "unknown";
}

static char *
pretty(guint64 val)
{
    const char *unit = NULL;
    double v = vsh_pretty_capacity(val, &unit);

    return g_strdup_printf("%.2f %s", v, unit);
}

static gint
vol_sort(gconstpointer a, gconstpointer b)
{
    return g_ascii_strcasecmp(vireo_storage_vol_get_name(*(VireoStorageVol *const *)a),
                              vireo_storage_vol_get_name(*(VireoStorageVol *const *)b));
}

static json_object *
vol_json(VireoStorageVol *vol)
{
    json_object *o = json_object_new_object();
    g_autofree char *path = vireo_storage_vol_get_path(vol, NULL);
    VireoStorageVolInfo info = { 0 };
    gboolean have = vireo_storage_vol_get_info(vol, &info, NULL);

    json_object_object_add(o, "name", json_object_new_string(vireo_storage_vol_get_name(vol)));
    json_object_object_add(o, "key", json_object_new_string(vireo_storage_vol_get_key(vol)));
    json_object_object_add(o, "pool", json_object_new_string(vireo_storage_vol_get_pool_name(vol)));
    json_object_object_add(o, "path", path ? json_object_new_string(path) : NULL);
    json_object_object_add(o, "type",
                           have ? json_object_new_string(vol_type_str(info.type)) : NULL);
    json_object_object_add(o, "capacity", have ? json_object_new_uint64(info.capacity) : NULL);
    json_object_object_add(o, "allocation", have ? json_object_new_uint64(info.allocation) : NULL);
    return o;
}

static gboolean
cmd_vol_list(VshCtl *ctl, const VshCmd *cmd)
{
    gboolean details = vsh_opt_bool(cmd, "details"), json = vsh_opt_bool(cmd, "json");
    g_autoptr(VireoStoragePool) pool = NULL;
    g_autoptr(GPtrArray) vols = NULL;
    g_autoptr(VshTable) tab = NULL;
    json_object *arr = NULL;
    GError *err = NULL;

    if (!(pool = vsh_lookup_pool(ctl, cmd, "pool", VSH_BYUUID | VSH_BYNAME, NULL)))
        return FALSE;
    if (!(vols = vireo_storage_pool_list_all_volumes(pool, 0, &err)))
        return vsh_fail(ctl, err);
    g_ptr_array_sort(vols, vol_sort);
    if (json)
        arr = json_object_new_array();
    else if (details)
        tab = vsh_table_new("Name", "Path", "Type", "Capacity", "Allocation", NULL);
    else
        tab = vsh_table_new("Name", "Path", NULL);
    for (guint i = 0; i < vols->len; i++) {
        VireoStorageVol *vol = vols->pdata[i];
        g_autofree char *path = NULL, *cap = NULL, *alloc = NULL;
        VireoStorageVolInfo info = { 0 };

        if (json) {
            json_object_array_add(arr, vol_json(vol));
            continue;
        }
        if (!(path = vireo_storage_vol_get_path(vol, &err)))
            return vsh_fail(ctl, err);
        if (!details) {
            vsh_table_add_row(tab, vireo_storage_vol_get_name(vol), path, NULL);
            continue;
        }
        if (!vireo_storage_vol_get_info(vol, &info, &err))
            return vsh_fail(ctl, err);
        cap = pretty(info.capacity);
        alloc = pretty(info.allocation);
        vsh_table_add_row(tab, vireo_storage_vol_get_name(vol), path, vol_type_str(info.type),
                          cap, alloc, NULL);
    }
    return vsh_list_print(ctl, arr, g_steal_pointer(&tab));
}

static gboolean
cmd_vol_info(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoStorageVol) vol = NULL;
    VireoStorageVolInfo info = { 0 };
    const char *name = NULL;
    GError *err = NULL;

    if (vsh_opt_bool(cmd, "physical")) {
        vsh_error(ctl, "%s", "option --physical is not supported by vsh");
        return FALSE;
    }
    if (!(vol = lookup_vol(ctl, cmd, &name)))
        return FALSE;
    if (vsh_opt_bool(cmd, "json")) {
        vsh_json_print(ctl, vol_json(vol));
        return TRUE;
    }
    vsh_print(ctl, "%-15s %s\n", "Name:", vireo_storage_vol_get_name(vol));
    if (!vireo_storage_vol_get_info(vol, &info, &err))
        return vsh_fail(ctl, err);
    vsh_print(ctl, "%-15s %s\n", "Type:", vol_type_str(info.type));
    vsh_print_size(ctl, "Capacity:", info.capacity, vsh_opt_bool(cmd, "bytes"), "bytes");
    vsh_print_size(ctl, "Allocation:", info.allocation, vsh_opt_bool(cmd, "bytes"), "bytes");
    return TRUE;
}

static gboolean
cmd_vol_dumpxml(VshCtl *ctl, const VshCmd *cmd)
{
    static const char *const unsupported[] = { "xpath", "wrap", NULL };
    g_autoptr(VireoStorageVol) vol = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL;
    GError *err = NULL;

    if (!vsh_reject_unsupported(ctl, cmd, unsupported))
        return FALSE;
    if (!(vol = lookup_vol(ctl, cmd, &name)))
        return FALSE;
    if (!(xml = vireo_storage_vol_get_xml_desc(vol, 0, &err)))
        return vsh_fail(ctl, err);
    vsh_print(ctl, "%s", xml);
    return TRUE;
}

/* A size with an optional unit suffix, as libvirt's scaled integers: none
 * or b/byte(s) = bytes, K/KiB = 1024, KB = 1000, ... up to E. On a bad
 * suffix or overflow the error libvirt raises is saved. */
static gboolean
parse_size(VshCtl *ctl, const char *str, guint64 *ret)
{
    static const char units[] = "kmgtpe";
    guint64 val, scale = 1;
    const char *suffix = NULL;
    char *end = NULL;

    if (!g_ascii_isdigit(*str))
        return FALSE;
    errno = 0;
    val = g_ascii_strtoull(str, &end, 10);
    if (errno)
        return FALSE;
    suffix = end;
    if (*suffix && g_ascii_strcasecmp(suffix, "b") != 0 &&
        g_ascii_strcasecmp(suffix, "byte") != 0 && g_ascii_strcasecmp(suffix, "bytes") != 0) {
        const char *u = strchr(units, g_ascii_tolower(*suffix));
        guint64 base = 0;

        if (!suffix[1] || g_ascii_strcasecmp(suffix + 1, "iB") == 0)
            base = 1024;
        else if (g_ascii_tolower(suffix[1]) == 'b' && !suffix[2])
            base = 1000;
        if (!base || !u || !*suffix) {
            vsh_save_error(ctl, g_error_new(VIREO_ERROR, VIREO_ERROR_INVALID_ARG,
                                            "invalid argument: unknown suffix '%s'", suffix));
            return FALSE;
        }
        for (const char *p = units; p <= u; p++)
            scale *= base;
    }
    if (val > G_MAXUINT64 / scale) {
        vsh_save_error(ctl, g_error_new(VIREO_ERROR, 82,
                                        "numerical overflow: value too large: %" G_GUINT64_FORMAT
                                        "%s", val, suffix));
        return FALSE;
    }
    *ret = val * scale;
    return TRUE;
}

static gboolean
cmd_vol_create_as(VshCtl *ctl, const VshCmd *cmd)
{
    const char *name = vsh_opt_string(cmd, "name");
    const char *cap_str = vsh_opt_string(cmd, "capacity");
    const char *alloc_str = vsh_opt_string(cmd, "allocation");
    const char *format = vsh_opt_string(cmd, "format");
    g_autoptr(VireoStoragePool) pool = NULL;
    g_autoptr(VireoStorageVol) vol = NULL;
    g_autoptr(GString) xml = NULL;
    guint64 cap = 0, alloc = 0;
    GError *err = NULL;

    if (vsh_opt_bool(cmd, "backing-vol") || vsh_opt_bool(cmd, "backing-vol-format")) {
        vsh_error(ctl, "%s", "backing volumes are not supported by vsh");
        return FALSE;
    }
    if (!(pool = vsh_lookup_pool(ctl, cmd, "pool", VSH_BYUUID | VSH_BYNAME, NULL)))
        return FALSE;
    if (!parse_size(ctl, cap_str, &cap)) {
        vsh_error(ctl, "Malformed size %s", cap_str);
        return FALSE;
    }
    if (alloc_str && !parse_size(ctl, alloc_str, &alloc)) {
        vsh_error(ctl, "Malformed size %s", alloc_str);
        return FALSE;
    }
    xml = g_string_new("<volume>\n");
    g_string_append_printf(xml, "  <name>%s</name>\n", name);
    g_string_append_printf(xml, "  <capacity>%" G_GUINT64_FORMAT "</capacity>\n", cap);
    if (alloc_str)
        g_string_append_printf(xml, "  <allocation>%" G_GUINT64_FORMAT "</allocation>\n", alloc);
    if (format)
        g_string_append_printf(xml, "  <target>\n    <format type='%s'/>\n  </target>\n", format);
    g_string_append(xml, "</volume>\n");
    if (vsh_opt_bool(cmd, "print-xml")) {
        vsh_print(ctl, "%s", xml->str);
        return TRUE;
    }
    if (!(vol = vireo_storage_vol_create_xml(pool, xml->str,
                                             vsh_opt_bool(cmd, "prealloc-metadata") ? 1 : 0,
                                             &err))) {
        vsh_error(ctl, "Failed to create vol %s", name);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Vol %s created\n", name);
    return TRUE;
}

static gboolean
cmd_vol_delete(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoStorageVol) vol = NULL;
    const char *name = NULL;
    GError *err = NULL;

    if (!(vol = lookup_vol(ctl, cmd, &name)))
        return FALSE;
    if (!vireo_storage_vol_delete(vol, vsh_opt_bool(cmd, "delete-snapshots") ? 2 : 0, &err)) {
        vsh_error(ctl, "Failed to delete vol %s", name);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Vol %s deleted\n", name);
    return TRUE;
}

#define OPT_VOL { "vol", VSH_OT_DATA, VSH_OFLAG_REQ, "vol name, key or path" }
#define OPT_VPOOL { "pool", VSH_OT_STRING, 0, "pool name or uuid" }

static const VshOptDef opts_vol_list[] = {
    { "pool", VSH_OT_DATA, VSH_OFLAG_REQ, "pool name or uuid" },
    { "details", VSH_OT_BOOL, 0, "display extended details for volumes" },
    VSH_OPT_JSON,
    { NULL },
};

static const VshOptDef opts_vol_info[] = {
    OPT_VOL,
    OPT_VPOOL,
    { "bytes", VSH_OT_BOOL, 0, "sizes are represented in bytes rather than pretty units" },
    { "physical", VSH_OT_BOOL, 0, "return the physical size of the volume in allocation field" },
    VSH_OPT_JSON,
    { NULL },
};

static const VshOptDef opts_vol_dumpxml[] = {
    OPT_VOL,
    OPT_VPOOL,
    { "xpath", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

static const VshOptDef opts_vol_create_as[] = {
    {"pool", VSH_OT_DATA, VSH_OFLAG_REQ, "pool name"},
    {"name", VSH_OT_DATA, VSH_OFLAG_REQ, "name of the volume"},
    {"capacity", VSH_OT_DATA, VSH_OFLAG_REQ, "size of the vol, as scaled integer (default bytes)"},
    {"allocation", VSH_OT_STRING, 0, "initial allocation size, as scaled integer (default bytes)"},
    {"format", VSH_OT_STRING, 0, "file format type raw,bochs,qcow,qcow2,qed,vmdk"},
    {"backing-vol", VSH_OT_STRING, 0, "the backing volume if taking a snapshot"},
    {"backing-vol-format", VSH_OT_STRING, 0, "format of backing volume if taking a snapshot"},
    {"prealloc-metadata", VSH_OT_BOOL, 0,
     "preallocate metadata (for qcow2 instead of full allocation)"},
    {"print-xml", VSH_OT_BOOL, 0, "print XML document, but don't define/create"},
    {NULL},
};

static const VshOptDef opts_vol_delete[] = {
    OPT_VOL,
    OPT_VPOOL,
    { "delete-snapshots", VSH_OT_BOOL, 0,
      "delete snapshots associated with volume (must be supported by storage driver)" },
    { NULL },
};

const VshCmdDef vsh_volume_cmds[] = {
    { "vol-create-as", cmd_vol_create_as, opts_vol_create_as, "create a volume from a set of args",
      "Create a vol.", 0 },
    { "vol-delete", cmd_vol_delete, opts_vol_delete, "delete a vol", "Delete a given vol.", 0 },
    { "vol-dumpxml", cmd_vol_dumpxml, opts_vol_dumpxml, "vol information in XML",
      "Output the vol information as an XML dump to stdout.", 0 },
    { "vol-info", cmd_vol_info, opts_vol_info, "storage vol information",
      "Returns basic information about the storage vol.", 0 },
    { "vol-list", cmd_vol_list, opts_vol_list, "list vols", "Returns list of vols by pool.", 0 },
    { NULL },
};
