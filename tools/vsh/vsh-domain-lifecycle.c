/* vsh-domain-lifecycle: define, create, start, destroy, shutdown, reboot,
 * suspend, resume, undefine and autostart, worded as virsh words them
 * (messages name the domain as the user typed it). */
#include "vsh.h"

#include <string.h>

#define DOM_ALL (VSH_BYID | VSH_BYUUID | VSH_BYNAME)
#define OPT_DOMAIN(help) { "domain", VSH_OT_DATA, VSH_OFLAG_REQ, help }

static gboolean
define_or_create(VshCtl *ctl, const VshCmd *cmd, gboolean create)
{
    static const VshOptFlag create_flags[] = {
        { "paused", 1 << 0 }, { "autodestroy", 1 << 1 }, { "validate", 1 << 4 },
        { "reset-nvram", 1 << 5 }, { NULL },
    };
    static const VshOptFlag define_flags[] = { { "validate", 1 << 0 }, { NULL } };
    const char *file = vsh_opt_string(cmd, "file");
    g_autofree char *xml = NULL;
    g_autoptr(VireoDomain) dom = NULL;
    GError *err = NULL;

    if (!(xml = vsh_read_file(ctl, file)))
        return FALSE;
    if (create)
        dom = vireo_domain_create_xml(ctl->conn, xml, vsh_opt_flags(cmd, create_flags), &err);
    else
        dom = vireo_domain_define_xml(ctl->conn, xml, vsh_opt_flags(cmd, define_flags), &err);
    if (!dom) {
        vsh_error(ctl, "Failed to %s domain from %s", create ? "create" : "define", file);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' %s from %s\n", vireo_domain_get_name(dom),
                    create ? "created" : "defined", file);
    return TRUE;
}

gboolean
vsh_cmd_define(VshCtl *ctl, const VshCmd *cmd)
{
    return define_or_create(ctl, cmd, FALSE);
}

static const char *const console_unsupported[] = { "console", "pass-fds", NULL };

gboolean
vsh_cmd_create(VshCtl *ctl, const VshCmd *cmd)
{
    if (!vsh_reject_unsupported(ctl, cmd, console_unsupported))
        return FALSE;
    return define_or_create(ctl, cmd, TRUE);
}

/* --mode for shutdown and reboot: a comma-separated list. */
static gboolean
parse_mode(VshCtl *ctl, const VshCmd *cmd, guint *ret_flags)
{
    static const char *const modes[] = { "acpi", "agent", "initctl", "signal", "paravirt" };
    const char *mode = vsh_opt_string(cmd, "mode");
    g_auto(GStrv) parts = NULL;

    *ret_flags = 0;
    if (!mode)
        return TRUE;
    parts = g_strsplit(mode, ",", -1);
    for (size_t i = 0; parts[i]; i++) {
        gsize j;

        for (j = 0; j < G_N_ELEMENTS(modes); j++) {
            if (strcmp(parts[i], modes[j]) == 0)
                break;
        }
        if (j == G_N_ELEMENTS(modes)) {
            vsh_error(ctl, "Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', "
                      "'signal', or 'paravirt'", parts[i]);
            return FALSE;
        }
        *ret_flags |= 1u << j;
    }
    return TRUE;
}

/* One verb acting on an existing domain: how virsh finds the domain, which
 * options become which flags, the API call and the words of its messages
 * ("Failed to <verb> domain 'x'", "Domain 'x' <done>"). */
typedef struct {
    const char *const *unsupported; /* options rejected first, or NULL */
    gboolean mode;                  /* --mode gives the flags (checked before lookup) */
    unsigned lookup;                /* VSH_BY* */
    gboolean inactive;              /* refuses a running domain */
    const VshOptFlag *flags;        /* or NULL */
    gboolean (*call)(VireoDomain *dom, guint flags, GError **error);
    const char *verb;
    const char *done;
} LifecycleVerb;

static gboolean
run_verb(VshCtl *ctl, const VshCmd *cmd, const LifecycleVerb *v)
{
    g_autoptr(VireoDomain) dom = NULL;
    const char *name = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (v->unsupported && !vsh_reject_unsupported(ctl, cmd, v->unsupported))
        return FALSE;
    if (v->mode && !parse_mode(ctl, cmd, &flags))
        return FALSE;
    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", v->lookup, &name)))
        return FALSE;
    if (v->inactive && vireo_domain_get_id(dom) >= 0) {
        vsh_error(ctl, "%s", "Domain is already active");
        return FALSE;
    }
    if (v->flags)
        flags |= vsh_opt_flags(cmd, v->flags);
    if (!v->call(dom, flags, &err)) {
        vsh_error(ctl, "Failed to %s domain '%s'", v->verb, name);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' %s\n", name, v->done);
    return TRUE;
}

/* suspend and resume take no flags */
static gboolean
call_suspend(VireoDomain *dom, guint flags G_GNUC_UNUSED, GError **error)
{
    return vireo_domain_suspend(dom, error);
}

static gboolean
call_resume(VireoDomain *dom, guint flags G_GNUC_UNUSED, GError **error)
{
    return vireo_domain_resume(dom, error);
}

static const VshOptFlag start_flags[] = {
    { "paused", 1 << 0 }, { "autodestroy", 1 << 1 }, { "bypass-cache", 1 << 2 },
    { "force-boot", 1 << 3 }, { "reset-nvram", 1 << 5 }, { NULL },
};
static const VshOptFlag destroy_flags[] = {
    { "graceful", 1 << 0 }, { "remove-logs", 1 << 1 }, { NULL },
};
static const char *const undefine_unsupported[] = {
    "storage", "remove-all-storage", "delete-storage-volume-snapshots", "wipe-storage", NULL,
};
static const VshOptFlag undefine_flags[] = {
    { "managed-save", 1 << 0 }, { "snapshots-metadata", 1 << 1 }, { "nvram", 1 << 2 },
    { "keep-nvram", 1 << 3 }, { "checkpoints-metadata", 1 << 4 }, { "tpm", 1 << 5 },
    { "keep-tpm", 1 << 6 }, { NULL },
};

static const LifecycleVerb verb_start = {
    .unsupported = console_unsupported, .lookup = VSH_BYNAME | VSH_BYUUID, .inactive = TRUE,
    .flags = start_flags, .call = vireo_domain_create, .verb = "start", .done = "started",
};
static const LifecycleVerb verb_destroy = {
    .lookup = DOM_ALL, .flags = destroy_flags, .call = vireo_domain_destroy,
    .verb = "destroy", .done = "destroyed",
};
static const LifecycleVerb verb_shutdown = {
    .mode = TRUE, .lookup = DOM_ALL, .call = vireo_domain_shutdown,
    .verb = "shutdown", .done = "is being shutdown",
};
static const LifecycleVerb verb_reboot = {
    .mode = TRUE, .lookup = DOM_ALL, .call = vireo_domain_reboot,
    .verb = "reboot", .done = "is being rebooted",
};
static const LifecycleVerb verb_suspend = {
    .lookup = DOM_ALL, .call = call_suspend, .verb = "suspend", .done = "suspended",
};
static const LifecycleVerb verb_resume = {
    .lookup = DOM_ALL, .call = call_resume, .verb = "resume", .done = "resumed",
};
static const LifecycleVerb verb_undefine = {
    .unsupported = undefine_unsupported, .lookup = DOM_ALL, .flags = undefine_flags,
    .call = vireo_domain_undefine, .verb = "undefine", .done = "has been undefined",
};

gboolean
vsh_cmd_start(VshCtl *ctl, const VshCmd *cmd)
{
    return run_verb(ctl, cmd, &verb_start);
}

gboolean
vsh_cmd_destroy(VshCtl *ctl, const VshCmd *cmd)
{
    return run_verb(ctl, cmd, &verb_destroy);
}

gboolean
vsh_cmd_shutdown(VshCtl *ctl, const VshCmd *cmd)
{
    return run_verb(ctl, cmd, &verb_shutdown);
}

gboolean
vsh_cmd_reboot(VshCtl *ctl, const VshCmd *cmd)
{
    return run_verb(ctl, cmd, &verb_reboot);
}

gboolean
vsh_cmd_suspend(VshCtl *ctl, const VshCmd *cmd)
{
    return run_verb(ctl, cmd, &verb_suspend);
}

gboolean
vsh_cmd_resume(VshCtl *ctl, const VshCmd *cmd)
{
    return run_verb(ctl, cmd, &verb_resume);
}

gboolean
vsh_cmd_undefine(VshCtl *ctl, const VshCmd *cmd)
{
    return run_verb(ctl, cmd, &verb_undefine);
}

gboolean
vsh_cmd_autostart(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = NULL;
    gboolean enable = !vsh_opt_bool(cmd, "disable");
    const char *name = NULL;
    GError *err = NULL;

    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, &name)))
        return FALSE;
    if (!vireo_domain_set_autostart(dom, enable, &err)) {
        vsh_error(ctl, "Failed to %smark domain '%s' as autostarted", enable ? "" : "un", name);
        return vsh_fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' %smarked as autostarted\n", name, enable ? "" : "un");
    return TRUE;
}

/* ---- option tables (virsh's names, order and kinds) ---- */

const VshOptDef vsh_opts_define[] = {
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML domain description" },
    { "validate", VSH_OT_BOOL, 0, "validate the XML against the schema" },
    { NULL },
};

const VshOptDef vsh_opts_create[] = {
    { "file", VSH_OT_DATA, VSH_OFLAG_REQ, "file containing an XML domain description" },
    { "console", VSH_OT_BOOL, 0, "attach to console after creation" },
    { "paused", VSH_OT_BOOL, 0, "leave the guest paused after creation" },
    { "autodestroy", VSH_OT_BOOL, 0, "automatically destroy the guest when virsh disconnects" },
    { "pass-fds", VSH_OT_STRING, 0, "pass file descriptors N,M,... to the guest" },
    { "validate", VSH_OT_BOOL, 0, "validate the XML against the schema" },
    { "reset-nvram", VSH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template" },
    { NULL },
};

const VshOptDef vsh_opts_start[] = {
    OPT_DOMAIN("name of the inactive domain"),
    { "console", VSH_OT_BOOL, 0, "attach to console after creation" },
    { "paused", VSH_OT_BOOL, 0, "leave the guest paused after creation" },
    { "autodestroy", VSH_OT_BOOL, 0, "automatically destroy the guest when virsh disconnects" },
    { "bypass-cache", VSH_OT_BOOL, 0, "avoid file system cache when loading" },
    { "force-boot", VSH_OT_BOOL, 0, "force fresh boot by discarding any managed save" },
    { "pass-fds", VSH_OT_STRING, 0, "pass file descriptors N,M,... to the guest" },
    { "reset-nvram", VSH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template" },
    { NULL },
};

const VshOptDef vsh_opts_destroy[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "graceful", VSH_OT_BOOL, 0, "terminate gracefully" },
    { "remove-logs", VSH_OT_BOOL, 0, "remove domain logs" },
    { NULL },
};

const VshOptDef vsh_opts_shutdown[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "mode", VSH_OT_STRING, 0, "shutdown mode: acpi|agent|initctl|signal|paravirt" },
    { NULL },
};

const VshOptDef vsh_opts_reboot[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "mode", VSH_OT_STRING, 0, "shutdown mode: acpi|agent|initctl|signal|paravirt" },
    { NULL },
};

const VshOptDef vsh_opts_suspend[] = { OPT_DOMAIN("domain name, id or uuid"), { NULL } };
const VshOptDef vsh_opts_resume[] = { OPT_DOMAIN("domain name, id or uuid"), { NULL } };

const VshOptDef vsh_opts_undefine[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    {"managed-save", VSH_OT_BOOL, 0, "remove domain managed state file"},
    {"storage", VSH_OT_STRING, 0,
     "remove associated storage volumes (comma separated list of targets or source paths) "
     "(see domblklist)"},
    {"remove-all-storage", VSH_OT_BOOL, 0,
     "remove all associated storage volumes (use with caution)"},
    {"delete-storage-volume-snapshots", VSH_OT_BOOL, 0,
     "delete snapshots associated with volume(s), requires --remove-all-storage (must be "
     "supported by storage driver)"},
    {"wipe-storage", VSH_OT_BOOL, 0, "wipe data on the removed volumes"},
    {"snapshots-metadata", VSH_OT_BOOL, 0,
     "remove all domain snapshot metadata (vm must be inactive)"},
    {"checkpoints-metadata", VSH_OT_BOOL, 0,
     "remove all domain checkpoint metadata (vm must be inactive)"},
    {"nvram", VSH_OT_BOOL, 0, "remove nvram file"},
    {"keep-nvram", VSH_OT_BOOL, 0, "keep nvram file"},
    {"tpm", VSH_OT_BOOL, 0, "remove TPM state"},
    {"keep-tpm", VSH_OT_BOOL, 0, "keep TPM state"},
    {NULL},
};

const VshOptDef vsh_opts_autostart[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "disable", VSH_OT_BOOL, 0, "disable autostarting" },
    { NULL },
};
