/* core-domain-os: <os>, <features>, <cpu> and <clock> of a domain. */
#define CORE_FROM_THIS CORE_FROM_DOMAIN

#include "core-domain-priv.h"

#include <string.h>

static const char *const os_types[] = { "hvm", "xen", "linux", "exe", "uml", "xenpvh", NULL };
static const char *const boot_devs[] = { "fd", "cdrom", "hd", "network", NULL };
static const char *const loader_types[] = { "rom", "pflash", NULL };

static const char *const feature_names[] = {
    "acpi", "apic", "pae", "hap", "viridian", "privnet", "pvspinlock", "pmu", "vmport", "smm",
    "vmcoreinfo", NULL,
};
G_STATIC_ASSERT(G_N_ELEMENTS(feature_names) == CORE_DOMAIN_FEATURE_LAST + 1);

/* Features libvirt knows but this model does not keep: dropped on parse
 * like unknown elements, instead of refused. */
static const char *const feature_dropped[] = {
    "hyperv", "kvm", "xen", "capabilities", "gic", "ioapic", "hpt", "htm", "nested-hv",
    "msrs", "ccf-assist", "cfpc", "sbbc", "ibs", "tcg", "async-teardown", "ras", "ps2", NULL,
};

static const char *const cpu_modes[] = {
    "custom", "host-model", "host-passthrough", "maximum", NULL,
};
static const char *const cpu_matches[] = { "minimum", "exact", "strict", NULL };
static const char *const cpu_checks[] = { "none", "partial", "full", NULL };
static const char *const cpu_fallbacks[] = { "allow", "forbid", NULL };
static const char *const cpu_policies[] = {
    "force", "require", "optional", "disable", "forbid", NULL,
};

static const char *const clock_offsets[] = {
    "utc", "localtime", "timezone", "variable", "absolute", NULL,
};
static const char *const clock_bases[] = { "utc", "localtime", NULL };
static const char *const timer_names[] = {
    "platform", "pit", "rtc", "hpet", "tsc", "kvmclock", "hypervclock", "armvtimer", NULL,
};
static const char *const timer_tickpolicies[] = {
    "delay", "catchup", "merge", "discard", NULL,
};
static const char *const timer_tracks[] = { "boot", "guest", "wall", "realtime", NULL };

/* ---- <os> ---- */

static gboolean
parse_os_loader(CoreDomainDefPriv *priv, const xmlNode *os, GError **error)
{
    xmlNode *loader = core_xml_child(os, "loader");
    xmlNode *nvram = core_xml_child(os, "nvram");

    if (loader) {
        priv->loader_path = core_xml_content(loader);
        if (!core_domain_prop_yesno(loader, "readonly", &priv->loader_readonly, error) ||
            !core_domain_prop_yesno(loader, "secure", &priv->loader_secure, error) ||
            !core_domain_prop_enum(loader, "type", loader_types, &priv->loader_type, error))
            return FALSE;
        if (!*priv->loader_path)
            g_clear_pointer(&priv->loader_path, g_free);
    }
    if (nvram) {
        priv->nvram_path = core_xml_content(nvram);
        priv->nvram_template = core_xml_prop(nvram, "template");
        if (!*priv->nvram_path)
            g_clear_pointer(&priv->nvram_path, g_free);
    }
    return TRUE;
}

static gboolean
parse_os_boot(CoreDomainDefPriv *priv, const xmlNode *os, GError **error)
{
    xmlNode *node;

    CORE_XML_CHILD_FOREACH (os, child) {
        char *dev = NULL;

        if (!core_xml_is(child, "boot") || priv->n_boot_devs >= G_N_ELEMENTS(priv->boot_devs))
            continue;
        if (!core_domain_prop_enum(child, "dev", boot_devs, &dev, error))
            return FALSE;
        if (!dev)
            return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                                  "missing boot device");
        priv->boot_devs[priv->n_boot_devs++] = dev;
    }
    if ((node = core_xml_child(os, "bootmenu"))) {
        if (!core_domain_prop_yesno(node, "enable", &priv->bootmenu_enable, error))
            return FALSE;
        priv->bootmenu_timeout = core_xml_prop(node, "timeout");
    }
    if ((node = core_xml_child(os, "bios"))) {
        if (!core_domain_prop_yesno(node, "useserial", &priv->bios_useserial, error))
            return FALSE;
        priv->bios_reboot_timeout = core_xml_prop(node, "rebootTimeout");
    }
    return TRUE;
}

gboolean
core_domain_os_parse(CoreDomainDef *def, const xmlNode *os, GError **error)
{
    CoreDomainDefPriv *priv = def->priv;
    xmlNode *type = core_xml_child(os, "type");

    if (!type) {
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "an os <type> must be specified");
    }
    def->os_type = g_strstrip(core_xml_content(type));
    if (core_xml_enum_from_string(os_types, def->os_type) < 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown OS type '%s'",
                              def->os_type);
    def->os_arch = core_xml_prop(type, "arch");
    def->os_machine = core_xml_prop(type, "machine");
    if (!parse_os_loader(priv, os, error))
        return FALSE;
    priv->kernel = core_xml_child_content(os, "kernel");
    priv->initrd = core_xml_child_content(os, "initrd");
    priv->cmdline = core_xml_child_content(os, "cmdline");
    priv->dtb = core_xml_child_content(os, "dtb");
    return parse_os_boot(priv, os, error);
}

void
core_domain_os_format(CoreXmlWriter *w, const CoreDomainDef *def)
{
    const CoreDomainDefPriv *priv = def->priv;

    core_xml_writer_start(w, "os");
    core_xml_writer_start(w, "type");
    core_xml_writer_attr(w, "arch", def->os_arch);
    core_xml_writer_attr(w, "machine", def->os_machine);
    core_xml_writer_end_text(w, def->os_type);
    if (priv->loader_path || priv->loader_readonly || priv->loader_type) {
        core_xml_writer_start(w, "loader");
        core_xml_writer_attr(w, "readonly", priv->loader_readonly);
        core_xml_writer_attr(w, "secure", priv->loader_secure);
        core_xml_writer_attr(w, "type", priv->loader_type);
        if (priv->loader_path)
            core_xml_writer_end_text(w, priv->loader_path);
        else
            core_xml_writer_end(w);
    }
    if (priv->nvram_path || priv->nvram_template) {
        core_xml_writer_start(w, "nvram");
        core_xml_writer_attr(w, "template", priv->nvram_template);
        if (priv->nvram_path)
            core_xml_writer_end_text(w, priv->nvram_path);
        else
            core_xml_writer_end(w);
    }
    core_xml_writer_text_element(w, "kernel", priv->kernel);
    core_xml_writer_text_element(w, "initrd", priv->initrd);
    core_xml_writer_text_element(w, "cmdline", priv->cmdline);
    core_xml_writer_text_element(w, "dtb", priv->dtb);
    for (guint i = 0; i < priv->n_boot_devs; i++) {
        core_xml_writer_start(w, "boot");
        core_xml_writer_attr(w, "dev", priv->boot_devs[i]);
        core_xml_writer_end(w);
    }
    if (priv->bootmenu_enable || priv->bootmenu_timeout) {
        core_xml_writer_start(w, "bootmenu");
        core_xml_writer_attr(w, "enable", priv->bootmenu_enable);
        core_xml_writer_attr(w, "timeout", priv->bootmenu_timeout);
        core_xml_writer_end(w);
    }
    if (priv->bios_useserial || priv->bios_reboot_timeout) {
        core_xml_writer_start(w, "bios");
        core_xml_writer_attr(w, "useserial", priv->bios_useserial);
        core_xml_writer_attr(w, "rebootTimeout", priv->bios_reboot_timeout);
        core_xml_writer_end(w);
    }
    core_xml_writer_end(w);
}

/* ---- <features> ---- */

gboolean
core_domain_features_parse(CoreDomainDefPriv *priv, const xmlNode *node, GError **error)
{
    static const char *const states[] = { "on", "off", NULL };

    CORE_XML_CHILD_FOREACH (node, child) {
        const char *name = (const char *)child->name;
        int f = core_xml_enum_from_string(feature_names, name);
        g_autofree char *state = NULL;

        if (f < 0) {
            if (core_xml_enum_from_string(feature_dropped, name) >= 0)
                continue;
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unexpected feature '%s'",
                                  name);
        }
        if (!core_domain_prop_enum(child, "state", states, &state, error))
            return FALSE;
        if (!state)
            priv->features[f] = CORE_DOMAIN_FEATURE_STATE_PRESENT;
        else if (g_str_equal(state, "on"))
            priv->features[f] = CORE_DOMAIN_FEATURE_STATE_ON;
        else
            priv->features[f] = CORE_DOMAIN_FEATURE_STATE_OFF;
        /* a later <apic> replaces an earlier one's eoi, also by its absence */
        if (f == CORE_DOMAIN_FEATURE_APIC) {
            g_clear_pointer(&priv->apic_eoi, g_free);
            if (!core_domain_prop_onoff(child, "eoi", &priv->apic_eoi, error))
                return FALSE;
        }
    }
    return TRUE;
}

void
core_domain_features_format(CoreXmlWriter *w, const CoreDomainDefPriv *priv)
{
    gboolean any = FALSE;

    for (guint f = 0; f < CORE_DOMAIN_FEATURE_LAST; f++)
        any = any || priv->features[f] != CORE_DOMAIN_FEATURE_STATE_ABSENT;
    if (!any)
        return;
    core_xml_writer_start(w, "features");
    for (guint f = 0; f < CORE_DOMAIN_FEATURE_LAST; f++) {
        if (priv->features[f] == CORE_DOMAIN_FEATURE_STATE_ABSENT)
            continue;
        core_xml_writer_start(w, feature_names[f]);
        if (priv->features[f] == CORE_DOMAIN_FEATURE_STATE_ON)
            core_xml_writer_attr(w, "state", "on");
        else if (priv->features[f] == CORE_DOMAIN_FEATURE_STATE_OFF)
            core_xml_writer_attr(w, "state", "off");
        if (f == CORE_DOMAIN_FEATURE_APIC)
            core_xml_writer_attr(w, "eoi", priv->apic_eoi);
        core_xml_writer_end(w);
    }
    core_xml_writer_end(w);
}

/* ---- <cpu> ---- */

static void
cpu_feature_free(CoreDomainCpuFeature *f)
{
    g_free(f->name);
    g_free(f->policy);
    g_free(f);
}

static gboolean
parse_cpu_topology(CoreDomainDefPriv *priv, const xmlNode *topo, GError **error)
{
    if (!topo)
        return TRUE;
    if (!core_domain_prop_uint(topo, "sockets", &priv->cpu_sockets, error) ||
        !core_domain_prop_uint(topo, "dies", &priv->cpu_dies, error) ||
        !core_domain_prop_uint(topo, "cores", &priv->cpu_cores, error) ||
        !core_domain_prop_uint(topo, "threads", &priv->cpu_threads, error))
        return FALSE;
    if (!priv->cpu_sockets || !priv->cpu_cores || !priv->cpu_threads) {
        return core_xml_error(error, CORE_FROM_CPU, CORE_ERR_XML_ERROR,
                              "Invalid CPU topology");
    }
    if (!priv->cpu_dies)
        priv->cpu_dies = 1;
    return TRUE;
}

static gboolean
parse_cpu_features(CoreDomainDefPriv *priv, const xmlNode *node, GError **error)
{
    CORE_XML_CHILD_FOREACH (node, child) {
        CoreDomainCpuFeature *f;
        g_autofree char *name = NULL;
        g_autofree char *policy = NULL;

        if (!core_xml_is(child, "feature"))
            continue;
        if (!core_domain_prop_enum(child, "policy", cpu_policies, &policy, error))
            return FALSE;
        name = core_xml_prop(child, "name");
        if (!name) {
            return core_xml_error(error, CORE_FROM_CPU, CORE_ERR_XML_ERROR,
                                  "Invalid CPU feature name");
        }
        f = g_new0(CoreDomainCpuFeature, 1);
        f->name = g_steal_pointer(&name);
        f->policy = policy ? g_steal_pointer(&policy) : g_strdup("require");
        g_ptr_array_add(priv->cpu_features, f);
    }
    return TRUE;
}

gboolean
core_domain_cpu_parse(CoreDomainDefPriv *priv, const xmlNode *node, GError **error)
{
    xmlNode *model = core_xml_child(node, "model");
    g_autofree char *mode = core_xml_prop(node, "mode");

    if (mode && core_xml_enum_from_string(cpu_modes, mode) < 0) {
        return core_error_set_full(error, CORE_FROM_CPU, CORE_ERR_CONFIG_UNSUPPORTED,
                                   "Invalid mode attribute '%s'", mode);
    }
    if (!core_domain_prop_enum(node, "match", cpu_matches, &priv->cpu_match, error) ||
        !core_domain_prop_enum(node, "check", cpu_checks, &priv->cpu_check, error) ||
        !core_domain_prop_onoff(node, "migratable", &priv->cpu_migratable, error))
        return FALSE;
    if (model) {
        priv->cpu_model = g_strstrip(core_xml_content(model));
        if (!core_domain_prop_enum(model, "fallback", cpu_fallbacks, &priv->cpu_model_fallback,
                                   error))
            return FALSE;
    }
    priv->cpu_vendor = core_xml_child_content(node, "vendor");
    if (!parse_cpu_topology(priv, core_xml_child(node, "topology"), error) ||
        !parse_cpu_features(priv, node, error))
        return FALSE;
    /* a plain <cpu> with a model is a custom CPU; libvirt then spells out
     * the match and fallback it assumes */
    if (!mode && (priv->cpu_model || priv->cpu_features->len > 0))
        mode = g_strdup("custom");
    if (g_strcmp0(mode, "custom") == 0) {
        if (!priv->cpu_match)
            priv->cpu_match = g_strdup("exact");
        if (priv->cpu_model && !priv->cpu_model_fallback)
            priv->cpu_model_fallback = g_strdup("allow");
    }
    priv->cpu_mode = mode ? g_steal_pointer(&mode) : g_strdup("");
    return TRUE;
}

void
core_domain_cpu_format(CoreXmlWriter *w, const CoreDomainDefPriv *priv)
{
    if (!priv->cpu_mode)
        return;
    core_xml_writer_start(w, "cpu");
    core_xml_writer_attr(w, "mode", *priv->cpu_mode ? priv->cpu_mode : NULL);
    core_xml_writer_attr(w, "match", priv->cpu_match);
    core_xml_writer_attr(w, "check", priv->cpu_check);
    core_xml_writer_attr(w, "migratable", priv->cpu_migratable);
    if (priv->cpu_model) {
        core_xml_writer_start(w, "model");
        core_xml_writer_attr(w, "fallback", priv->cpu_model_fallback);
        core_xml_writer_end_text(w, priv->cpu_model);
    }
    core_xml_writer_text_element(w, "vendor", priv->cpu_vendor);
    if (priv->cpu_sockets) {
        core_xml_writer_start(w, "topology");
        core_xml_writer_attrf(w, "sockets", "%u", priv->cpu_sockets);
        core_xml_writer_attrf(w, "dies", "%u", priv->cpu_dies);
        core_xml_writer_attrf(w, "cores", "%u", priv->cpu_cores);
        core_xml_writer_attrf(w, "threads", "%u", priv->cpu_threads);
        core_xml_writer_end(w);
    }
    for (guint i = 0; i < priv->cpu_features->len; i++) {
        const CoreDomainCpuFeature *f = g_ptr_array_index(priv->cpu_features, i);

        core_xml_writer_start(w, "feature");
        core_xml_writer_attr(w, "policy", f->policy);
        core_xml_writer_attr(w, "name", f->name);
        core_xml_writer_end(w);
    }
    core_xml_writer_end(w);
}

/* ---- <clock> ---- */

static void
timer_free(CoreDomainTimerDef *t)
{
    g_free(t->name);
    g_free(t->present);
    g_free(t->tickpolicy);
    g_free(t->track);
    g_free(t->frequency);
    g_free(t);
}

static gboolean
parse_timer(CoreDomainDefPriv *priv, const xmlNode *node, GError **error)
{
    g_autofree char *name = core_xml_prop(node, "name");
    g_autofree char *tick = core_xml_prop(node, "tickpolicy");
    g_autofree char *track = core_xml_prop(node, "track");
    CoreDomainTimerDef *t;

    if (!name || core_xml_enum_from_string(timer_names, name) < 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown timer name '%s'",
                              name ? name : "");
    if (tick && core_xml_enum_from_string(timer_tickpolicies, tick) < 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "unknown timer tickpolicy '%s'", tick);
    if (track && core_xml_enum_from_string(timer_tracks, track) < 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown timer track '%s'",
                              track);
    t = g_new0(CoreDomainTimerDef, 1);
    g_ptr_array_add(priv->timers, t);
    t->name = g_steal_pointer(&name);
    t->tickpolicy = g_steal_pointer(&tick);
    t->track = g_steal_pointer(&track);
    t->frequency = core_xml_prop(node, "frequency");
    return core_domain_prop_yesno(node, "present", &t->present, error);
}

gboolean
core_domain_clock_parse(CoreDomainDefPriv *priv, const xmlNode *node, GError **error)
{
    g_autofree char *offset = core_xml_prop(node, "offset");

    if (offset && core_xml_enum_from_string(clock_offsets, offset) < 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown clock offset '%s'",
                              offset);
    priv->clock_offset = offset ? g_steal_pointer(&offset) : g_strdup("utc");
    if (g_str_equal(priv->clock_offset, "timezone")) {
        priv->clock_timezone = core_xml_prop(node, "timezone");
        if (!priv->clock_timezone)
            return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                                  "missing 'timezone' attribute for clock with offset='timezone'");
    } else if (g_str_equal(priv->clock_offset, "variable")) {
        priv->clock_adjustment = core_xml_prop(node, "adjustment");
        if (!core_domain_prop_enum(node, "basis", clock_bases, &priv->clock_basis, error))
            return FALSE;
        if (!priv->clock_adjustment)
            priv->clock_adjustment = g_strdup("0");
        if (!priv->clock_basis)
            priv->clock_basis = g_strdup("utc");
    } else if (g_str_equal(priv->clock_offset, "absolute")) {
        priv->clock_start = core_xml_prop(node, "start");
    } else if (g_str_equal(priv->clock_offset, "localtime")) {
        priv->clock_adjustment = core_xml_prop(node, "adjustment");
    }
    CORE_XML_CHILD_FOREACH (node, child) {
        if (core_xml_is(child, "timer") && !parse_timer(priv, child, error))
            return FALSE;
    }
    return TRUE;
}

void
core_domain_clock_format(CoreXmlWriter *w, const CoreDomainDefPriv *priv)
{
    core_xml_writer_start(w, "clock");
    core_xml_writer_attr(w, "offset", priv->clock_offset);
    core_xml_writer_attr(w, "timezone", priv->clock_timezone);
    core_xml_writer_attr(w, "adjustment", priv->clock_adjustment);
    core_xml_writer_attr(w, "basis", priv->clock_basis);
    core_xml_writer_attr(w, "start", priv->clock_start);
    for (guint i = 0; i < priv->timers->len; i++) {
        const CoreDomainTimerDef *t = g_ptr_array_index(priv->timers, i);

        core_xml_writer_start(w, "timer");
        core_xml_writer_attr(w, "name", t->name);
        core_xml_writer_attr(w, "present", t->present);
        core_xml_writer_attr(w, "tickpolicy", t->tickpolicy);
        core_xml_writer_attr(w, "track", t->track);
        core_xml_writer_attr(w, "frequency", t->frequency);
        core_xml_writer_end(w);
    }
    core_xml_writer_end(w);
}

void
core_domain_os_clear(CoreDomainDefPriv *priv)
{
    char **strs[] = {
        &priv->loader_path, &priv->loader_readonly, &priv->loader_secure, &priv->loader_type,
        &priv->nvram_path, &priv->nvram_template, &priv->kernel, &priv->initrd, &priv->cmdline,
        &priv->dtb, &priv->bootmenu_enable, &priv->bootmenu_timeout, &priv->bios_useserial,
        &priv->bios_reboot_timeout, &priv->apic_eoi, &priv->cpu_mode, &priv->cpu_match,
        &priv->cpu_check, &priv->cpu_migratable, &priv->cpu_model, &priv->cpu_model_fallback,
        &priv->cpu_vendor, &priv->clock_offset, &priv->clock_timezone, &priv->clock_adjustment,
        &priv->clock_basis, &priv->clock_start,
    };

    for (guint i = 0; i < G_N_ELEMENTS(strs); i++)
        g_clear_pointer(strs[i], g_free);
    for (guint i = 0; i < priv->n_boot_devs; i++)
        g_clear_pointer(&priv->boot_devs[i], g_free);
    priv->n_boot_devs = 0;
    for (guint i = 0; priv->cpu_features && i < priv->cpu_features->len; i++)
        cpu_feature_free(g_ptr_array_index(priv->cpu_features, i));
    g_clear_pointer(&priv->cpu_features, g_ptr_array_unref);
    for (guint i = 0; priv->timers && i < priv->timers->len; i++)
        timer_free(g_ptr_array_index(priv->timers, i));
    g_clear_pointer(&priv->timers, g_ptr_array_unref);
}
