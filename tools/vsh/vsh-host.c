/* vsh-host: host commands (nodeinfo, capabilities, version, uri, hostname). */
#include "vsh.h"

#include "vireo-config.h"

static gboolean
cmd_nodeinfo(VshCtl *ctl, const VshCmd *cmd)
{
    VireoNodeInfo info = { 0 };
    GError *err = NULL;

    if (!vireo_node_get_info(ctl->conn, &info, &err)) {
        vsh_error(ctl, "%s", "failed to get node information");
        vsh_save_error(ctl, err);
        return FALSE;
    }
    if (vsh_opt_bool(cmd, "json")) {
        json_object *o = json_object_new_object();

        json_object_object_add(o, "cpu_model", json_object_new_string(info.model));
        json_object_object_add(o, "cpus", json_object_new_int(info.cpus));
        json_object_object_add(o, "mhz", json_object_new_int(info.mhz));
        json_object_object_add(o, "sockets", json_object_new_int(info.sockets));
        json_object_object_add(o, "cores_per_socket", json_object_new_int(info.cores));
        json_object_object_add(o, "threads_per_core", json_object_new_int(info.threads));
        json_object_object_add(o, "numa_cells", json_object_new_int(info.nodes));
        json_object_object_add(o, "memory_kib", json_object_new_uint64(info.memory_kib));
        vsh_json_print(ctl, o);
        return TRUE;
    }
    vsh_print(ctl, "%-20s %s\n", "CPU model:", info.model);
    vsh_print(ctl, "%-20s %d\n", "CPU(s):", info.cpus);
    if (info.mhz)
        vsh_print(ctl, "%-20s %d MHz\n", "CPU frequency:", info.mhz);
    vsh_print(ctl, "%-20s %d\n", "CPU socket(s):", info.sockets);
    vsh_print(ctl, "%-20s %d\n", "Core(s) per socket:", info.cores);
    vsh_print(ctl, "%-20s %d\n", "Thread(s) per core:", info.threads);
    vsh_print(ctl, "%-20s %d\n", "NUMA cell(s):", info.nodes);
    vsh_print(ctl, "%-20s %" G_GUINT64_FORMAT " KiB\n", "Memory size:", info.memory_kib);
    return TRUE;
}

static gboolean
cmd_capabilities(VshCtl *ctl, const VshCmd *cmd)
{
    g_autofree char *caps = NULL;
    GError *err = NULL;

    if (!(caps = vireo_connect_get_capabilities(ctl->conn, &err))) {
        vsh_error(ctl, "%s", "failed to get capabilities");
        vsh_save_error(ctl, err);
        return FALSE;
    }
    vsh_print(ctl, "%s\n", caps);
    return TRUE;
}

static char *
version_str(guint64 v)
{
    return g_strdup_printf("%u.%u.%u", (unsigned)(v / 1000000), (unsigned)(v / 1000 % 1000),
                           (unsigned)(v % 1000));
}

static gboolean
cmd_version(VshCtl *ctl, const VshCmd *cmd)
{
    gboolean daemon = vsh_opt_bool(cmd, "daemon");
    g_autofree char *lib = version_str(vireo_get_lib_version());
    g_autofree char *type = NULL, *hv = NULL;
    guint64 hv_version = 0;
    GError *err = NULL;

    if (!(type = vireo_connect_get_type(ctl->conn, &err))) {
        vsh_error(ctl, "%s", "failed to get hypervisor type");
        vsh_save_error(ctl, err);
        return FALSE;
    }
    if (!vireo_connect_get_version(ctl->conn, &hv_version, &err)) {
        vsh_error(ctl, "%s", "failed to get the hypervisor version");
        vsh_save_error(ctl, err);
        return FALSE;
    }
    hv = version_str(hv_version);
    if (vsh_opt_bool(cmd, "json")) {
        json_object *o = json_object_new_object();

        json_object_object_add(o, "library", json_object_new_string(lib));
        json_object_object_add(o, "hypervisor_type", json_object_new_string(type));
        json_object_object_add(o, "hypervisor_version",
                               hv_version ? json_object_new_string(hv) : NULL);
        if (daemon)
            json_object_object_add(o, "daemon", json_object_new_string(lib));
        vsh_json_print(ctl, o);
        return TRUE;
    }
    /* vsh and libvireo report their own version, never libvirt's */
    vsh_print(ctl, "Compiled against library: vireo %s\n", VIREO_VERSION);
    vsh_print(ctl, "Using library: vireo %s\n", lib);
    vsh_print(ctl, "Using API: %s %s\n", type, lib);
    if (hv_version == 0)
        vsh_print(ctl, "Cannot extract running %s hypervisor version\n", type);
    else
        vsh_print(ctl, "Running hypervisor: %s %s\n", type, hv);
    if (daemon)
        vsh_print(ctl, "Running against daemon: %s\n", lib);
    return TRUE;
}

static gboolean
cmd_uri(VshCtl *ctl, const VshCmd *cmd)
{
    g_autofree char *uri = NULL;
    GError *err = NULL;

    if (!(uri = vireo_connect_get_uri(ctl->conn, &err))) {
        vsh_error(ctl, "%s", "failed to get URI");
        vsh_save_error(ctl, err);
        return FALSE;
    }
    vsh_print(ctl, "%s\n", uri);
    return TRUE;
}

static gboolean
cmd_hostname(VshCtl *ctl, const VshCmd *cmd)
{
    g_autofree char *name = NULL;
    GError *err = NULL;

    if (!(name = vireo_connect_get_hostname(ctl->conn, &err))) {
        vsh_error(ctl, "%s", "failed to get hostname");
        vsh_save_error(ctl, err);
        return FALSE;
    }
    vsh_print(ctl, "%s\n", name);
    return TRUE;
}


static const VshOptDef opts_nodeinfo[] = { VSH_OPT_JSON, { NULL } };
static const VshOptDef opts_version[] = {
    { "daemon", VSH_OT_BOOL, 0, "report daemon version too" },
    VSH_OPT_JSON,
    { NULL },
};

const VshCmdDef vsh_host_cmds[] = {
    {"capabilities", cmd_capabilities, NULL, "capabilities",
     "Returns capabilities of hypervisor/driver.", 0},
    {"hostname", cmd_hostname, NULL, "print the hypervisor hostname", "", 0},
    {"nodeinfo", cmd_nodeinfo, opts_nodeinfo, "node information",
     "Returns basic information about the node.", 0},
    {"uri", cmd_uri, NULL, "print the hypervisor canonical URI", "", 0},
    {"version", cmd_version, opts_version, "show version",
     "Display the system version information.", 0},
    {NULL},
};
