/* vsh-domain-lifecycle: define, create, start, destroy, shutdown, reboot,
 * suspend, resume, undefine and autostart, worded as virsh words them
 * (messages name the domain as the user typed it). */
#include "vsh.h"

#include <string.h>

#define DOM_ALL (VSH_BYID | VSH_BYUUID | VSH_BYNAME)
#define OPT_DOMAIN(help) { "domain", VSH_OT_DATA, VSH_OFLAG_REQ, help }

static gboolean
fail(VshCtl *ctl, GError *err)
{
    vsh_save_error(ctl, err);
    return FALSE;
}

static gboolean
define_or_create(VshCtl *ctl, const VshCmd *cmd, gboolean create)
{
    const char *file = vsh_opt_string(cmd, "file");
    g_autofree char *xml = NULL;
    g_autoptr(VireoDomain) dom = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!(xml = vsh_read_file(ctl, file)))
        return FALSE;
    if (create) {
        if (vsh_opt_bool(cmd, "paused"))
            flags |= 1 << 0;
        if (vsh_opt_bool(cmd, "autodestroy"))
            flags |= 1 << 1;
        if (vsh_opt_bool(cmd, "validate"))
            flags |= 1 << 4;
        if (vsh_opt_bool(cmd, "reset-nvram"))
            flags |= 1 << 5;
        dom = vireo_domain_create_xml(ctl->conn, xml, flags, &err);
    } else {
        if (vsh_opt_bool(cmd, "validate"))
            flags |= 1 << 0;
        dom = vireo_domain_define_xml(ctl->conn, xml, flags, &err);
    }
    if (!dom) {
        vsh_error(ctl,
                  create ? "Failed to create domain from %s" : "Failed to define domain from %s",
                  file);
        return fail(ctl, err);
    }
    vsh_print_extra(ctl, create ? "Domain '%s' created from %s\n" : "Domain '%s' defined from %s\n",
                    vireo_domain_get_name(dom), file);
    return TRUE;
}

gboolean
vsh_cmd_define(VshCtl *ctl, const VshCmd *cmd)
{
    return define_or_create(ctl, cmd, FALSE);
}

gboolean
vsh_cmd_create(VshCtl *ctl, const VshCmd *cmd)
{
    static const char *const unsupported[] = { "console", "pass-fds", NULL };

    if (!vsh_reject_unsupported(ctl, cmd, unsupported))
        return FALSE;
    return define_or_create(ctl, cmd, TRUE);
}

gboolean
vsh_cmd_start(VshCtl *ctl, const VshCmd *cmd)
{
    static const char *const unsupported[] = { "console", "pass-fds", NULL };
    g_autoptr(VireoDomain) dom = NULL;
    const char *name = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!vsh_reject_unsupported(ctl, cmd, unsupported))
        return FALSE;
    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", VSH_BYNAME | VSH_BYUUID, &name)))
        return FALSE;
    if (vireo_domain_get_id(dom) >= 0) {
        vsh_error(ctl, "%s", "Domain is already active");
        return FALSE;
    }
    if (vsh_opt_bool(cmd, "paused"))
        flags |= 1 << 0;
    if (vsh_opt_bool(cmd, "autodestroy"))
        flags |= 1 << 1;
    if (vsh_opt_bool(cmd, "bypass-cache"))
        flags |= 1 << 2;
    if (vsh_opt_bool(cmd, "force-boot"))
        flags |= 1 << 3;
    if (vsh_opt_bool(cmd, "reset-nvram"))
        flags |= 1 << 5;
    if (!vireo_domain_create(dom, flags, &err)) {
        vsh_error(ctl, "Failed to start domain '%s'", name);
        return fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' started\n", name);
    return TRUE;
}

gboolean
vsh_cmd_destroy(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = NULL;
    const char *name = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, &name)))
        return FALSE;
    if (vsh_opt_bool(cmd, "graceful"))
        flags |= 1 << 0;
    if (vsh_opt_bool(cmd, "remove-logs"))
        flags |= 1 << 1;
    if (!vireo_domain_destroy(dom, flags, &err)) {
        vsh_error(ctl, "Failed to destroy domain '%s'", name);
        return fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' destroyed\n", name);
    return TRUE;
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

gboolean
vsh_cmd_shutdown(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = NULL;
    const char *name = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!parse_mode(ctl, cmd, &flags))
        return FALSE;
    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, &name)))
        return FALSE;
    if (!vireo_domain_shutdown(dom, flags, &err)) {
        vsh_error(ctl, "Failed to shutdown domain '%s'", name);
        return fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' is being shutdown\n", name);
    return TRUE;
}

gboolean
vsh_cmd_reboot(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = NULL;
    const char *name = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!parse_mode(ctl, cmd, &flags))
        return FALSE;
    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, &name)))
        return FALSE;
    if (!vireo_domain_reboot(dom, flags, &err)) {
        vsh_error(ctl, "Failed to reboot domain '%s'", name);
        return fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' is being rebooted\n", name);
    return TRUE;
}

gboolean
vsh_cmd_suspend(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = NULL;
    const char *name = NULL;
    GError *err = NULL;

    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, &name)))
        return FALSE;
    if (!vireo_domain_suspend(dom, &err)) {
        vsh_error(ctl, "Failed to suspend domain '%s'", name);
        return fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' suspended\n", name);
    return TRUE;
}

gboolean
vsh_cmd_resume(VshCtl *ctl, const VshCmd *cmd)
{
    g_autoptr(VireoDomain) dom = NULL;
    const char *name = NULL;
    GError *err = NULL;

    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, &name)))
        return FALSE;
    if (!vireo_domain_resume(dom, &err)) {
        vsh_error(ctl, "Failed to resume domain '%s'", name);
        return fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' resumed\n", name);
    return TRUE;
}

gboolean
vsh_cmd_undefine(VshCtl *ctl, const VshCmd *cmd)
{
    static const char *const unsupported[] = {
        "storage", "remove-all-storage", "delete-storage-volume-snapshots", "wipe-storage",
        NULL,
    };
    static const struct {
        const char *opt;
        guint flag;
    } map[] = {
        { "managed-save", 1 << 0 }, { "snapshots-metadata", 1 << 1 }, { "nvram", 1 << 2 },
        { "keep-nvram", 1 << 3 },   { "checkpoints-metadata", 1 << 4 }, { "tpm", 1 << 5 },
        { "keep-tpm", 1 << 6 },
    };
    g_autoptr(VireoDomain) dom = NULL;
    const char *name = NULL;
    GError *err = NULL;
    guint flags = 0;

    if (!vsh_reject_unsupported(ctl, cmd, unsupported))
        return FALSE;
    if (!(dom = vsh_lookup_domain(ctl, cmd, "domain", DOM_ALL, &name)))
        return FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(map); i++) {
        if (vsh_opt_bool(cmd, map[i].opt))
            flags |= map[i].flag;
    }
    if (!vireo_domain_undefine(dom, flags, &err)) {
        vsh_error(ctl, "Failed to undefine domain '%s'", name);
        return fail(ctl, err);
    }
    vsh_print_extra(ctl, "Domain '%s' has been undefined\n", name);
    return TRUE;
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
        vsh_error(ctl, enable ? "Failed to mark domain '%s' as autostarted"
                              : "Failed to unmark domain '%s' as autostarted", name);
        return fail(ctl, err);
    }
    vsh_print_extra(ctl, enable ? "Domain '%s' marked as autostarted\n"
                                : "Domain '%s' unmarked as autostarted\n", name);
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
