/* vsh-domain: domain commands (list, dominfo, start, destroy, ...). */
#include "vsh.h"

#include <stdio.h>
#include <string.h>

/* ---- lookup ----------------------------------------------------------------- */

static gboolean
parse_id(const char *s, int *ret)
{
    char *end = NULL;
    gint64 v;

    if (!*s)
        return FALSE;
    v = g_ascii_strtoll(s, &end, 10);
    if (*end || v < G_MININT || v > G_MAXINT)
        return FALSE;
    *ret = (int)v;
    return TRUE;
}

VireoDomain *
vsh_lookup_domain(VshCtl *ctl, const VshCmd *cmd, const char *optname, unsigned flags,
                  const char **ret_name)
{
    const char *name = vsh_opt_string(cmd, optname);
    VireoDomain *dom = NULL;
    int id = -1;

    if (!name)
        return NULL;
    if (ret_name)
        *ret_name = name;
    if ((flags & VSH_BYID) && parse_id(name, &id) && id >= 0)
        dom = vireo_domain_lookup_by_id(ctl->conn, id, NULL);
    if (!dom && (flags & VSH_BYUUID) && strlen(name) == VIREO_UUID_STRING_BUFLEN - 1)
        dom = vireo_domain_lookup_by_uuid_string(ctl->conn, name, NULL);
    if (!dom && (flags & VSH_BYNAME))
        dom = vireo_domain_lookup_by_name(ctl->conn, name, NULL);
    /* as virsh: the lookup's own error is not shown */
    vsh_reset_error(ctl);
    if (!dom)
        vsh_error(ctl, "failed to get domain '%s'", name);
    return dom;
}

#define DOM_ALL (VSH_BYID | VSH_BYUUID | VSH_BYNAME)

/* ---- list ---------------------------------------------------------------------- */

static gint
domain_sort(gconstpointer a, gconstpointer b)
{
    VireoDomain *da = *(VireoDomain *const *)a;
    VireoDomain *db = *(VireoDomain *const *)b;
    int ida = vireo_domain_get_id(da), idb = vireo_domain_get_id(db);

    /* running ones first by id, then the others by name */
    if (ida < 0 && idb < 0)
        return g_ascii_strcasecmp(vireo_domain_get_name(da), vireo_domain_get_name(db));
    if (ida >= 0 && idb >= 0)
        return ida < idb ? -1 : ida > idb;
    return ida >= 0 ? -1 : 1;
}

static const struct {
    const char *opt;
    guint flag;
} list_filters[] = {
    { "persistent", VIREO_LIST_DOMAINS_PERSISTENT },
    { "transient", VIREO_LIST_DOMAINS_TRANSIENT },
    { "with-managed-save", VIREO_LIST_DOMAINS_MANAGEDSAVE },
    { "without-managed-save", VIREO_LIST_DOMAINS_NO_MANAGEDSAVE },
    { "autostart", VIREO_LIST_DOMAINS_AUTOSTART },
    { "no-autostart", VIREO_LIST_DOMAINS_NO_AUTOSTART },
    { "with-snapshot", VIREO_LIST_DOMAINS_HAS_SNAPSHOT },
    { "without-snapshot", VIREO_LIST_DOMAINS_NO_SNAPSHOT },
    { "with-checkpoint", 1 << 14 },
    { "without-checkpoint", 1 << 15 },
    { "state-running", VIREO_LIST_DOMAINS_RUNNING },
    { "state-paused", VIREO_LIST_DOMAINS_PAUSED },
    { "state-shutoff", VIREO_LIST_DOMAINS_SHUTOFF },
    { "state-other", VIREO_LIST_DOMAINS_OTHER },
};

#define STATE_FILTERS                                                                      \
    (VIREO_LIST_DOMAINS_RUNNING | VIREO_LIST_DOMAINS_PAUSED | VIREO_LIST_DOMAINS_SHUTOFF |  \
     VIREO_LIST_DOMAINS_OTHER)

static guint
list_flags(const VshCmd *cmd)
{
    guint flags = 0;

    if (vsh_opt_bool(cmd, "inactive"))
        flags = VIREO_LIST_DOMAINS_INACTIVE;
    if (vsh_opt_bool(cmd, "all"))
        flags = VIREO_LIST_DOMAINS_INACTIVE | VIREO_LIST_DOMAINS_ACTIVE;
    for (gsize i = 0; i < G_N_ELEMENTS(list_filters); i++) {
        if (vsh_opt_bool(cmd, list_filters[i].opt))
            flags |= list_filters[i].flag;
    }
    if (!(flags & (VIREO_LIST_DOMAINS_INACTIVE | VIREO_LIST_DOMAINS_ACTIVE | STATE_FILTERS)))
        flags |= VIREO_LIST_DOMAINS_ACTIVE;
    return flags;
}

/* The <title> of a domain, "" when it has none. (transfer full) */
static char *
domain_title(VireoDomain *dom)
{
    g_autofree char *xml = vireo_domain_get_xml_desc(dom, 0, NULL);
    const char *start = NULL, *end = NULL;

    if (!xml || !(start = strstr(xml, "<title>")) || !(end = strstr(start, "</title>")))
        return g_strdup("");
    start += strlen("<title>");
    return g_strndup(start, end - start);
}

static json_object *
domain_json(VireoDomain *dom, int state)
{
    json_object *o = json_object_new_object();
    char uuid[VIREO_UUID_STRING_BUFLEN];
    int id = vireo_domain_get_id(dom);

    vireo_domain_get_uuid_string(dom, uuid);
    json_object_object_add(o, "id", id >= 0 ? json_object_new_int(id) : NULL);
    json_object_object_add(o, "name", json_object_new_string(vireo_domain_get_name(dom)));
    json_object_object_add(o, "uuid", json_object_new_string(uuid));
    json_object_object_add(o, "state", json_object_new_string(vsh_domain_state_str(state)));
    return o;
}

static void
list_plain(VshCtl *ctl, const VshCmd *cmd, GPtrArray *doms)
{
    gboolean by_uuid = vsh_opt_bool(cmd, "uuid"), by_name = vsh_opt_bool(cmd, "name");
    gboolean by_id = vsh_opt_bool(cmd, "id");

    for (guint i = 0; i < doms->len; i++) {
        VireoDomain *dom = doms->pdata[i];
        int id = vireo_domain_get_id(dom);
        g_autoptr(GString) line = g_string_new(NULL);
        char uuid[VIREO_UUID_STRING_BUFLEN];

        if (by_id && !by_uuid && !by_name) {
            if (id >= 0)
                vsh_print(ctl, "%d\n", id);
            continue;
        }
        if (by_uuid) {
            vireo_domain_get_uuid_string(dom, uuid);
            g_string_append(line, uuid);
        }
        if (by_id) {
            if (line->len)
                g_string_append_c(line, ' ');
            if (id >= 0)
                g_string_append_printf(line, "%d", id);
            else
                g_string_append_c(line, '-');
        }
        if (by_name) {
            if (line->len)
                g_string_append_c(line, ' ');
            g_string_append(line, vireo_domain_get_name(dom));
        }
        vsh_print(ctl, "%s\n", line->str);
    }
}

static gboolean
cmd_list(VshCtl *ctl, const VshCmd *cmd)
{
    gboolean table = vsh_opt_bool(cmd, "table"), title = vsh_opt_bool(cmd, "title");
    gboolean json = vsh_opt_bool(cmd, "json"), managed = vsh_opt_bool(cmd, "managed-save");
    g_autoptr(GPtrArray) doms = NULL;
    g_autoptr(VshTable) tab = NULL;
    json_object *arr = NULL;
    GError *err = NULL;

    if (!vsh_opts_exclusive(ctl, cmd, "table", "name") ||
        !vsh_opts_exclusive(ctl, cmd, "table", "uuid") ||
        !vsh_opts_exclusive(ctl, cmd, "table", "id"))
        return FALSE;
    if (!(doms = vireo_connect_list_all_domains(ctl->conn, list_flags(cmd), &err))) {
        vsh_save_error(ctl, err);
        return FALSE;
    }
    g_ptr_array_sort(doms, domain_sort);
    if (!json && (vsh_opt_bool(cmd, "uuid") || vsh_opt_bool(cmd, "name") ||
                  vsh_opt_bool(cmd, "id"))) {
        list_plain(ctl, cmd, doms);
        return TRUE;
    }
    (void)table;
    if (json)
        arr = json_object_new_array();
    else if (title)
        tab = vsh_table_new("Id", "Name", "State", "Title", NULL);
    else
        tab = vsh_table_new("Id", "Name", "State", NULL);
    for (guint i = 0; i < doms->len; i++) {
        VireoDomain *dom = doms->pdata[i];
        int id = vireo_domain_get_id(dom), state = -1;
        g_autofree char *idstr = id >= 0 ? g_strdup_printf("%d", id) : g_strdup("-");
        g_autofree char *tstr = NULL;
        const char *sstr = NULL;

        if (!vireo_domain_get_state(dom, &state, NULL, NULL))
            state = -1;
        sstr = state < 0 ? "no state" : vsh_domain_state_str(state);
        if (managed && id < 0 && vireo_domain_has_managed_save_image(dom, 0, NULL) > 0)
            sstr = "saved";
        if (json) {
            json_object_array_add(arr, domain_json(dom, state));
        } else if (title) {
            tstr = domain_title(dom);
            vsh_table_add_row(tab, idstr, vireo_domain_get_name(dom), sstr, tstr, NULL);
        } else {
            vsh_table_add_row(tab, idstr, vireo_domain_get_name(dom), sstr, NULL);
        }
    }
    return vsh_list_print(ctl, arr, g_steal_pointer(&tab));
}


/* ---- dominfo, domstate, domid, domuuid, domname, dumpxml ---------------------- */

static void
dominfo_security(VshCtl *ctl, VireoDomain *dom, json_object *o, gboolean *ok)
{
    g_autofree VireoSecurityModel *model = g_new0(VireoSecurityModel, 1);
    g_autofree VireoSecurityLabel *label = NULL;
    GError *err = NULL;

    if (!vireo_node_get_security_model(ctl->conn, model, &err)) {
        if (err->code != VIREO_ERROR_NO_SUPPORT) {
            vsh_save_error(ctl, err);
            *ok = FALSE;
            return;
        }
        g_clear_error(&err);
        return;
    }
    if (!model->model[0])
        return;
    if (o) {
        json_object_object_add(o, "security_model", json_object_new_string(model->model));
        json_object_object_add(o, "security_doi", json_object_new_string(model->doi));
    } else {
        vsh_print(ctl, "%-15s %s\n", "Security model:", model->model);
        vsh_print(ctl, "%-15s %s\n", "Security DOI:", model->doi);
    }
    label = g_new0(VireoSecurityLabel, 1);
    if (!vireo_domain_get_security_label(dom, label, &err)) {
        vsh_save_error(ctl, err);
        *ok = FALSE;
        return;
    }
    if (!label->label[0])
        return;
    if (o) {
        json_object_object_add(o, "security_label", json_object_new_string(label->label));
        json_object_object_add(o, "security_enforcing", json_object_new_boolean(label->enforcing));
    } else {
        vsh_print(ctl, "%-15s %s (%s)\n", "Security label:", label->label,
                  label->enforcing ? "enforcing" : "disabled");
    }
}

static void
dominfo_json(VshCtl *ctl, VireoDomain *dom)
{
    json_object *o = json_object_new_object();
    g_autofree char *ostype = vireo_domain_get_os_type(dom, NULL);
    char uuid[VIREO_UUID_STRING_BUFLEN];
    VireoDomainInfo info = { 0 };
    int id = vireo_domain_get_id(dom), v;
    gboolean ok = TRUE;

    vireo_domain_get_uuid_string(dom, uuid);
    json_object_object_add(o, "id", id >= 0 ? json_object_new_int(id) : NULL);
    json_object_object_add(o, "name", json_object_new_string(vireo_domain_get_name(dom)));
    json_object_object_add(o, "uuid", json_object_new_string(uuid));
    json_object_object_add(o, "os_type", ostype ? json_object_new_string(ostype) : NULL);
    if (vireo_domain_get_info(dom, &info, NULL)) {
        json_object_object_add(o, "state",
                               json_object_new_string(vsh_domain_state_str(info.state)));
        json_object_object_add(o, "cpus", json_object_new_int(info.nr_virt_cpu));
        json_object_object_add(o, "cpu_time_ns", json_object_new_uint64(info.cpu_time_ns));
        json_object_object_add(o, "max_memory_kib", json_object_new_uint64(info.max_mem_kib));
        json_object_object_add(o, "used_memory_kib", json_object_new_uint64(info.memory_kib));
    }
    if ((v = vireo_domain_is_persistent(dom, NULL)) >= 0)
        json_object_object_add(o, "persistent", json_object_new_boolean(v));
    if ((v = vireo_domain_get_autostart(dom, NULL)) >= 0)
        json_object_object_add(o, "autostart", json_object_new_boolean(v));
    if ((v = vireo_domain_has_managed_save_image(dom, 0, NULL)) >= 0)
        json_object_object_add(o, "managed_save", json_object_new_boolean(v));
    dominfo_security(ctl, dom, o, &ok);
    vsh_reset_error(ctl);
    vsh_json_print(ctl, o);
}

static gboolean
cmd_dominfo(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, NULL);
    g_autofree char *ostype = NULL;
    char uuid[VIREO_UUID_STRING_BUFLEN];
    VireoDomainInfo info = { 0 };
    GError *err = NULL;
    gboolean ok = TRUE;
    int id, v;

    if (!dom)
        return FALSE;
    if (vsh_opt_bool(cmd, "json")) {
        dominfo_json(ctl, dom);
        return TRUE;
    }
    id = vireo_domain_get_id(dom);
    if (id < 0)
        vsh_print(ctl, "%-15s %s\n", "Id:", "-");
    else
        vsh_print(ctl, "%-15s %d\n", "Id:", id);
    vsh_print(ctl, "%-15s %s\n", "Name:", vireo_domain_get_name(dom));
    vireo_domain_get_uuid_string(dom, uuid);
    vsh_print(ctl, "%-15s %s\n", "UUID:", uuid);
    if ((ostype = vireo_domain_get_os_type(dom, NULL)))
        vsh_print(ctl, "%-15s %s\n", "OS Type:", ostype);
    if (vireo_domain_get_info(dom, &info, &err)) {
        vsh_print(ctl, "%-15s %s\n", "State:", vsh_domain_state_str(info.state));
        vsh_print(ctl, "%-15s %u\n", "CPU(s):", info.nr_virt_cpu);
        if (info.cpu_time_ns != 0)
            vsh_print(ctl, "%-15s %.1fs\n", "CPU time:", info.cpu_time_ns / 1000000000.0);
        if (info.max_mem_kib != G_MAXUINT)
            vsh_print(ctl, "%-15s %" G_GUINT64_FORMAT " KiB\n", "Max memory:", info.max_mem_kib);
        else
            vsh_print(ctl, "%-15s %s\n", "Max memory:", "no limit");
        vsh_print(ctl, "%-15s %" G_GUINT64_FORMAT " KiB\n", "Used memory:", info.memory_kib);
    } else {
        vsh_save_error(ctl, g_steal_pointer(&err));
        ok = FALSE;
    }
    v = vireo_domain_is_persistent(dom, NULL);
    vsh_print(ctl, "%-15s %s\n", "Persistent:", v < 0 ? "unknown" : v ? "yes" : "no");
    if ((v = vireo_domain_get_autostart(dom, NULL)) >= 0)
        vsh_print(ctl, "%-15s %s\n", "Autostart:", v ? "enable" : "disable");
    v = vireo_domain_has_managed_save_image(dom, 0, NULL);
    vsh_print(ctl, "%-15s %s\n", "Managed save:", v < 0 ? "unknown" : v ? "yes" : "no");
    if (ok)
        dominfo_security(ctl, dom, NULL, &ok);
    return ok;
}

static gboolean
cmd_domstate(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, NULL);
    int state = 0, reason = 0;
    GError *err = NULL;

    if (!dom)
        return FALSE;
    if (!vireo_domain_get_state(dom, &state, &reason, &err)) {
        vsh_save_error(ctl, err);
        return FALSE;
    }
    if (vsh_opt_bool(cmd, "reason"))
        vsh_print(ctl, "%s (%s)\n", vsh_domain_state_str(state),
                  vsh_domain_reason_str(state, reason));
    else
        vsh_print(ctl, "%s\n", vsh_domain_state_str(state));
    return TRUE;
}

static gboolean
cmd_domid(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = vsh_lookup_domain(ctl, cmd, "domain", VSH_BYNAME | VSH_BYUUID,
                                                   NULL);
    int id;

    if (!dom)
        return FALSE;
    id = vireo_domain_get_id(dom);
    if (id < 0)
        vsh_print(ctl, "%s\n", "-");
    else
        vsh_print(ctl, "%d\n", id);
    return TRUE;
}

static gboolean
cmd_domuuid(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = vsh_lookup_domain(ctl, cmd, "domain", VSH_BYID | VSH_BYNAME,
                                                   NULL);
    char uuid[VIREO_UUID_STRING_BUFLEN];

    if (!dom)
        return FALSE;
    vireo_domain_get_uuid_string(dom, uuid);
    vsh_print(ctl, "%s\n", uuid);
    return TRUE;
}

static gboolean
cmd_domname(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = vsh_lookup_domain(ctl, cmd, "domain", VSH_BYID | VSH_BYUUID,
                                                   NULL);

    if (!dom)
        return FALSE;
    vsh_print(ctl, "%s\n", vireo_domain_get_name(dom));
    return TRUE;
}

/* Options vsh accepts for virsh compatibility of the parser but cannot
 * honour yet: using one is an error, never silently ignored. */
gboolean
vsh_reject_unsupported(VshCtl *ctl, const VshCmd *cmd, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        if (vsh_opt_bool(cmd, names[i])) {
            vsh_error(ctl, "option --%s is not supported by vsh", names[i]);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
cmd_dumpxml(VshCtl *ctl, const VshCmd *cmd)
{
    static const char *const unsupported[] = { "xpath", "wrap", NULL };
    g_autoptr(VireoDomain) dom = NULL;
    g_autofree char *xml = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!vsh_reject_unsupported(ctl, cmd, unsupported))
        return FALSE;
    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, NULL)))
        return FALSE;
    if (vsh_opt_bool(cmd, "inactive"))
        flags |= VIREO_DOMAIN_XML_INACTIVE;
    if (vsh_opt_bool(cmd, "security-info"))
        flags |= VIREO_DOMAIN_XML_SECURE;
    if (vsh_opt_bool(cmd, "update-cpu"))
        flags |= VIREO_DOMAIN_XML_UPDATE_CPU;
    if (vsh_opt_bool(cmd, "migratable"))
        flags |= VIREO_DOMAIN_XML_MIGRATABLE;
    if (!(xml = vireo_domain_get_xml_desc(dom, flags, &err))) {
        vsh_save_error(ctl, err);
        return FALSE;
    }
    vsh_print(ctl, "%s", xml);
    return TRUE;
}

/* ---- command table ------------------------------------------------------------- */

#define OPT_DOMAIN(help) { "domain", VSH_OT_DATA, VSH_OFLAG_REQ, help }

static const VshOptDef opts_list[] = {
    { "inactive", VSH_OT_BOOL, 0, "list inactive domains" },
    { "all", VSH_OT_BOOL, 0, "list inactive & active domains" },
    { "transient", VSH_OT_BOOL, 0, "list transient domains" },
    { "persistent", VSH_OT_BOOL, 0, "list persistent domains" },
    { "with-snapshot", VSH_OT_BOOL, 0, "list domains with existing snapshot" },
    { "without-snapshot", VSH_OT_BOOL, 0, "list domains without a snapshot" },
    { "with-checkpoint", VSH_OT_BOOL, 0, "list domains with existing checkpoint" },
    { "without-checkpoint", VSH_OT_BOOL, 0, "list domains without a checkpoint" },
    { "state-running", VSH_OT_BOOL, 0, "list domains in running state" },
    { "state-paused", VSH_OT_BOOL, 0, "list domains in paused state" },
    { "state-shutoff", VSH_OT_BOOL, 0, "list domains in shutoff state" },
    { "state-other", VSH_OT_BOOL, 0, "list domains in other states" },
    { "autostart", VSH_OT_BOOL, 0, "list domains with autostart enabled" },
    { "no-autostart", VSH_OT_BOOL, 0, "list domains with autostart disabled" },
    { "with-managed-save", VSH_OT_BOOL, 0, "list domains with managed save state" },
    { "without-managed-save", VSH_OT_BOOL, 0, "list domains without managed save" },
    { "uuid", VSH_OT_BOOL, 0, "list uuid's only" },
    { "name", VSH_OT_BOOL, 0, "list domain names only" },
    { "id", VSH_OT_BOOL, 0, "list domain IDs only" },
    { "table", VSH_OT_BOOL, 0, "list table (default)" },
    { "managed-save", VSH_OT_BOOL, 0, "mark inactive domains with managed save state" },
    { "title", VSH_OT_BOOL, 0, "show domain title" },
    VSH_OPT_JSON,
    { NULL },
};

static const VshOptDef opts_dominfo[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    VSH_OPT_JSON,
    { NULL },
};

static const VshOptDef opts_domstate[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "reason", VSH_OT_BOOL, 0, "also print reason for the state" },
    { NULL },
};

static const VshOptDef opts_domid[] = { OPT_DOMAIN("domain name or uuid"), { NULL } };
static const VshOptDef opts_domuuid[] = { OPT_DOMAIN("domain id or name"), { NULL } };
static const VshOptDef opts_domname[] = { OPT_DOMAIN("domain id or uuid"), { NULL } };

static const VshOptDef opts_dumpxml[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "inactive", VSH_OT_BOOL, 0, "show inactive defined XML" },
    { "security-info", VSH_OT_BOOL, 0, "include security sensitive information in XML dump" },
    { "update-cpu", VSH_OT_BOOL, 0, "update guest CPU according to host CPU" },
    { "migratable", VSH_OT_BOOL, 0, "provide XML suitable for migrations" },
    { "xpath", VSH_OT_STRING, VSH_OFLAG_REQ_OPT, "xpath expression to filter the XML document" },
    { "wrap", VSH_OT_BOOL, 0, "wrap xpath results in an common root element" },
    { NULL },
};

const VshCmdDef vsh_domain_cmds[] = {
    {"autostart", vsh_cmd_autostart, vsh_opts_autostart, "autostart a domain",
     "Configure a domain to be automatically started at boot.", 0},
    {"console", vsh_cmd_console, vsh_opts_console, "connect to the guest console",
     "Connect the virtual serial console for the guest", 0},
    {"create", vsh_cmd_create, vsh_opts_create, "create a domain from an XML file",
     "Create a domain.", 0},
    {"define", vsh_cmd_define, vsh_opts_define,
     "define (but don't start) a domain from an XML file", "Define a domain.", 0},
    {"desc", vsh_cmd_desc, vsh_opts_desc, "show or set domain's description or title",
     "Allows setting or modifying the description or title of a domain.", 0},
    {"destroy", vsh_cmd_destroy, vsh_opts_destroy, "destroy (stop) a domain",
     "Forcefully stop a given domain, but leave its resources intact.", 0},
    {"dumpxml", cmd_dumpxml, opts_dumpxml, "domain information in XML",
     "Output the domain information as an XML dump to stdout.", 0},
    {"metadata", vsh_cmd_metadata, vsh_opts_metadata,
     "show or set domain's custom XML metadata", "Shows or modifies the XML metadata of a domain.",
     0},
    {"reboot", vsh_cmd_reboot, vsh_opts_reboot, "reboot a domain",
     "Run a reboot command in the target domain.", 0},
    {"resume", vsh_cmd_resume, vsh_opts_resume, "resume a domain",
     "Resume a previously suspended domain.", 0},
    {"shutdown", vsh_cmd_shutdown, vsh_opts_shutdown, "gracefully shutdown a domain",
     "Run shutdown in the target domain.", 0},
    {"start", vsh_cmd_start, vsh_opts_start, "start a (previously defined) inactive domain",
     "Start a domain, either from the last managedsave\n    state, or via a fresh boot if no "
     "managedsave state\n    is present.",
     0},
    {"suspend", vsh_cmd_suspend, vsh_opts_suspend, "suspend a domain", "Suspend a running domain.",
     0},
    {"undefine", vsh_cmd_undefine, vsh_opts_undefine, "undefine a domain",
     "Undefine an inactive domain, or convert persistent to transient.", 0},
    {NULL},
};

const VshCmdDef vsh_domain_monitor_cmds[] = {
    { "domid", cmd_domid, opts_domid, "convert a domain name or UUID to domain id", "", 0 },
    { "dominfo", cmd_dominfo, opts_dominfo, "domain information",
      "Returns basic information about the domain.", 0 },
    { "domname", cmd_domname, opts_domname, "convert a domain id or UUID to domain name", "",
      0 },
    { "domstate", cmd_domstate, opts_domstate, "domain state", "Returns state about a domain.",
      0 },
    { "domuuid", cmd_domuuid, opts_domuuid, "convert a domain name or id to domain UUID", "",
      0 },
    { "list", cmd_list, opts_list, "list domains", "Returns list of domains.", 0 },
    { NULL },
};
