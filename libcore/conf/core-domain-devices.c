/* core-domain-devices: the <devices> list, device info (boot order,
 * address), controllers, watchdog, memballoon and rng, and the implicit
 * devices libvirt adds after parsing. */
#define CORE_FROM_THIS CORE_FROM_DOMAIN

#include "core-domain-priv.h"

#include <string.h>

static const char *const address_types[] = {
    "pci", "drive", "virtio-serial", "ccid", "usb", "spapr-vio", "virtio-s390", "ccw",
    "virtio-mmio", "isa", "dimm", "unassigned", NULL,
};
static const char *const controller_types[] = {
    "ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci", "xenbus", "isa", NULL,
};
static const char *const watchdog_models[] = { "i6300esb", "ib700", "diag288", "itco", NULL };
static const char *const watchdog_actions[] = {
    "reset", "shutdown", "poweroff", "pause", "dump", "none", "inject-nmi", NULL,
};
static const char *const balloon_models[] = {
    "virtio", "xen", "none", "virtio-transitional", "virtio-non-transitional", NULL,
};
static const char *const rng_models[] = {
    "virtio", "virtio-transitional", "virtio-non-transitional", NULL,
};
static const char *const rng_backends[] = { "random", "egd", "builtin", NULL };

/* ---- attribute helpers ---- */

gboolean
core_domain_prop_enum(const xmlNode *node, const char *name, const char *const *table,
                      char **ret, GError **error)
{
    int v;
    int rc = core_xml_prop_enum(node, name, table, CORE_FROM_XML, &v, error);

    if (rc < 0)
        return FALSE;
    *ret = rc > 0 ? g_strdup(table[v]) : NULL;
    return TRUE;
}

gboolean
core_domain_prop_enum_unsup(const xmlNode *node, const char *name, const char *const *table,
                            const char *fmt, char **ret, GError **error)
{
    g_autofree char *v = core_xml_prop(node, name);

    *ret = NULL;
    if (!v)
        return TRUE;
    if (core_xml_enum_from_string(table, v) < 0) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        g_autofree char *msg = g_strdup_printf(fmt, v);
#pragma GCC diagnostic pop
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "%s", msg);
    }
    *ret = g_steal_pointer(&v);
    return TRUE;
}

gboolean
core_domain_prop_uint(const xmlNode *node, const char *name, guint *ret, GError **error)
{
    guint64 v;
    int rc = core_xml_prop_uint(node, name, 10, G_MAXUINT, &v, error);

    if (rc < 0)
        return FALSE;
    if (rc > 0)
        *ret = (guint)v;
    return TRUE;
}

gboolean
core_domain_prop_int(const xmlNode *node, const char *name, int *ret, GError **error)
{
    g_autofree char *v = core_xml_prop(node, name);
    gint64 n;

    if (!v)
        return TRUE;
    if (!g_ascii_string_to_signed(v, 10, G_MININT, G_MAXINT, &n, NULL)) {
        return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                              "Invalid value for attribute '%s' in element '%s': '%s'. "
                              "Expected integer value",
                              name, (const char *)node->name, v);
    }
    *ret = (int)n;
    return TRUE;
}

gboolean
core_domain_prop_yesno(const xmlNode *node, const char *name, char **ret, GError **error)
{
    static const char *const yesno[] = { "yes", "no", NULL };

    return core_domain_prop_enum(node, name, yesno, ret, error);
}

gboolean
core_domain_prop_onoff(const xmlNode *node, const char *name, char **ret, GError **error)
{
    static const char *const onoff[] = { "on", "off", NULL };

    return core_domain_prop_enum(node, name, onoff, ret, error);
}

/* ---- addresses and device info ---- */

CoreDomainAddress *
core_domain_address_new(const char *type, const char *const *names, const char *const *values)
{
    CoreDomainAddress *addr = g_new0(CoreDomainAddress, 1);

    addr->type = g_strdup(type);
    addr->names = g_strdupv((char **)names);
    addr->values = g_strdupv((char **)values);
    return addr;
}

void
core_domain_address_free(CoreDomainAddress *addr)
{
    if (!addr)
        return;
    g_free(addr->type);
    g_strfreev(addr->names);
    g_strfreev(addr->values);
    g_free(addr);
}

/* pci: hex fields in libvirt's widths; the bounds are PCI's. */
static CoreDomainAddress *
parse_pci_address(const xmlNode *node, GError **error)
{
    static const char *const fields[] = { "domain", "bus", "slot", "function" };
    static const guint64 maxima[] = { 0xFFFF, 0xFF, 0x1F, 7 };
    static const char *const formats[] = { "0x%04x", "0x%02x", "0x%02x", "0x%x" };
    const char *names[6] = { NULL };
    char *values[6] = { NULL };
    g_autofree char *multi = NULL;
    CoreDomainAddress *addr;
    guint n = 0;

    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        guint64 v = 0;

        if (core_xml_prop_uint(node, fields[i], 0, G_MAXUINT, &v, error) < 0)
            goto fail;
        if (v > maxima[i]) {
            core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                           "Invalid PCI address %s='0x%" G_GINT64_MODIFIER "x', must be <= 0x%"
                           G_GINT64_MODIFIER "X", fields[i], v, maxima[i]);
            goto fail;
        }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        values[n] = g_strdup_printf(formats[i], (guint)v);
#pragma GCC diagnostic pop
        names[n++] = fields[i];
    }
    if (!core_domain_prop_onoff(node, "multifunction", &multi, error))
        goto fail;
    if (multi) {
        names[n] = "multifunction";
        values[n++] = g_steal_pointer(&multi);
    }
    addr = core_domain_address_new("pci", names, (const char *const *)values);
    for (guint i = 0; i < n; i++)
        g_free(values[i]);
    return addr;
fail:
    for (guint i = 0; i < n; i++)
        g_free(values[i]);
    return NULL;
}

static CoreDomainAddress *
parse_drive_address(const xmlNode *node, GError **error)
{
    static const char *const fields[] = { "controller", "bus", "target", "unit", NULL };
    char *values[5] = { NULL };
    CoreDomainAddress *addr = NULL;
    guint i;

    for (i = 0; fields[i]; i++) {
        guint64 v = 0;

        if (core_xml_prop_uint(node, fields[i], 10, G_MAXUINT, &v, error) < 0)
            break;
        values[i] = g_strdup_printf("%u", (guint)v);
    }
    if (!fields[i])
        addr = core_domain_address_new("drive", fields, (const char *const *)values);
    for (guint j = 0; j < i; j++)
        g_free(values[j]);
    return addr;
}

static CoreDomainAddress *
parse_address(const xmlNode *node, GError **error)
{
    g_autofree char *type = core_xml_prop(node, "type");
    g_autoptr(GPtrArray) names = NULL;
    g_autoptr(GPtrArray) values = NULL;

    if (!type) {
        core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                       "No type specified for device address");
        return NULL;
    }
    if (core_xml_enum_from_string(address_types, type) < 0) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown address type '%s'", type);
        return NULL;
    }
    if (g_str_equal(type, "pci"))
        return parse_pci_address(node, error);
    if (g_str_equal(type, "drive"))
        return parse_drive_address(node, error);
    names = g_ptr_array_new_with_free_func(g_free);
    values = g_ptr_array_new_with_free_func(g_free);
    for (xmlAttr *a = node->properties; a; a = a->next) {
        if (a->ns || g_str_equal((const char *)a->name, "type"))
            continue;
        g_ptr_array_add(names, g_strdup((const char *)a->name));
        g_ptr_array_add(values, core_xml_prop(node, (const char *)a->name));
    }
    g_ptr_array_add(names, NULL);
    g_ptr_array_add(values, NULL);
    return core_domain_address_new(type, (const char *const *)names->pdata,
                                   (const char *const *)values->pdata);
}

gboolean
core_domain_info_parse(const xmlNode *dev, CoreDomainDeviceInfo *info, GError **error)
{
    xmlNode *boot = core_xml_child(dev, "boot");
    xmlNode *addr = core_xml_child(dev, "address");
    xmlNode *alias = core_xml_child(dev, "alias");
    g_autofree char *order = NULL;

    if (boot) {
        order = core_xml_prop(boot, "order");
        if (!order)
            return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "missing boot order attribute");
        if (!core_domain_prop_uint(boot, "order", &info->boot_order, error))
            return FALSE;
        if (info->boot_order == 0) {
            return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                                  "Invalid value for attribute 'order' in element 'boot': "
                                  "Zero is not permitted");
        }
    }
    if (alias && !info->alias)
        info->alias = core_xml_prop(alias, "name");
    if (addr && !(info->address = parse_address(addr, error)))
        return FALSE;
    return TRUE;
}

void
core_domain_info_format(CoreXmlWriter *w, const CoreDomainDeviceInfo *info, guint flags)
{
    if (info->boot_order) {
        core_xml_writer_start(w, "boot");
        core_xml_writer_attrf(w, "order", "%u", info->boot_order);
        core_xml_writer_end(w);
    }
    /* libvirt: the alias is live data, between <boot> and <address> */
    if (info->alias && !(flags & CORE_DOMAIN_XML_INACTIVE)) {
        core_xml_writer_start(w, "alias");
        core_xml_writer_attr(w, "name", info->alias);
        core_xml_writer_end(w);
    }
    if (info->address) {
        core_xml_writer_start(w, "address");
        core_xml_writer_attr(w, "type", info->address->type);
        for (guint i = 0; info->address->names[i]; i++)
            core_xml_writer_attr(w, info->address->names[i], info->address->values[i]);
        core_xml_writer_end(w);
    }
}

void
core_domain_info_clear(CoreDomainDeviceInfo *info)
{
    g_clear_pointer(&info->alias, g_free);
    g_clear_pointer(&info->address, core_domain_address_free);
}

/* The CoreDomainDeviceInfo of each element of @list; @offset: where it
 * sits in the element struct. */
static void
drop_list_aliases(GPtrArray *list, gsize offset)
{
    for (guint i = 0; i < list->len; i++) {
        CoreDomainDeviceInfo *info = G_STRUCT_MEMBER_P(g_ptr_array_index(list, i), offset);

        g_clear_pointer(&info->alias, g_free);
    }
}

void
core_domain_devices_drop_aliases(CoreDomainDef *def)
{
    CoreDomainDefPriv *priv = def->priv;

    drop_list_aliases(priv->disks, G_STRUCT_OFFSET(CoreDomainDiskDef, info));
    drop_list_aliases(priv->controllers, G_STRUCT_OFFSET(CoreDomainControllerDef, info));
    drop_list_aliases(priv->nets, G_STRUCT_OFFSET(CoreDomainNetDef, info));
    drop_list_aliases(priv->serials, G_STRUCT_OFFSET(CoreDomainChrDef, info));
    drop_list_aliases(priv->consoles, G_STRUCT_OFFSET(CoreDomainChrDef, info));
    drop_list_aliases(priv->channels, G_STRUCT_OFFSET(CoreDomainChrDef, info));
    drop_list_aliases(priv->inputs, G_STRUCT_OFFSET(CoreDomainInputDef, info));
    drop_list_aliases(priv->videos, G_STRUCT_OFFSET(CoreDomainVideoDef, info));
    drop_list_aliases(priv->rngs, G_STRUCT_OFFSET(CoreDomainRngDef, info));
    if (priv->watchdog)
        g_clear_pointer(&priv->watchdog->info.alias, g_free);
    if (priv->memballoon)
        g_clear_pointer(&priv->memballoon->info.alias, g_free);
}

/* ---- controllers ---- */

static void
controller_free(CoreDomainControllerDef *ctl)
{
    if (!ctl)
        return;
    g_free(ctl->type);
    g_free(ctl->model);
    core_domain_info_clear(&ctl->info);
    g_free(ctl);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainControllerDef, controller_free)

static CoreDomainControllerDef *
controller_parse(const xmlNode *node, GError **error)
{
    g_autoptr(CoreDomainControllerDef) ctl = g_new0(CoreDomainControllerDef, 1);

    ctl->ports = -1;
    ctl->vectors = -1;
    if (!core_domain_prop_enum(node, "type", controller_types, &ctl->type, error) ||
        !core_domain_prop_int(node, "index", &ctl->index, error) ||
        !core_domain_prop_int(node, "ports", &ctl->ports, error) ||
        !core_domain_prop_int(node, "vectors", &ctl->vectors, error))
        return NULL;
    if (!ctl->type) {
        core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                       "Missing required attribute 'type' in element 'controller'");
        return NULL;
    }
    if (ctl->index < 0) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "Cannot parse controller index %d",
                       ctl->index);
        return NULL;
    }
    ctl->model = core_xml_prop(node, "model");
    if (!core_domain_info_parse(node, &ctl->info, error))
        return NULL;
    return g_steal_pointer(&ctl);
}

static void
controller_format(CoreXmlWriter *w, const CoreDomainControllerDef *ctl, guint flags)
{
    core_xml_writer_start(w, "controller");
    core_xml_writer_attr(w, "type", ctl->type);
    core_xml_writer_attrf(w, "index", "%d", ctl->index);
    core_xml_writer_attr(w, "model", ctl->model);
    if (ctl->ports >= 0)
        core_xml_writer_attrf(w, "ports", "%d", ctl->ports);
    if (ctl->vectors >= 0)
        core_xml_writer_attrf(w, "vectors", "%d", ctl->vectors);
    core_domain_info_format(w, &ctl->info, flags);
    core_xml_writer_end(w);
}

/* Inserts @ctl as libvirt does: before the first controller of its type
 * with a higher index, else after the last of its type, else at the end. */
static void
controller_insert(CoreDomainDefPriv *priv, CoreDomainControllerDef *ctl)
{
    int last_same = -1;

    for (guint i = 0; i < priv->controllers->len; i++) {
        CoreDomainControllerDef *c = g_ptr_array_index(priv->controllers, i);

        if (!g_str_equal(c->type, ctl->type))
            continue;
        if (c->index > ctl->index) {
            g_ptr_array_insert(priv->controllers, i, ctl);
            return;
        }
        last_same = i;
    }
    g_ptr_array_insert(priv->controllers, last_same >= 0 ? last_same + 1 : -1, ctl);
}

static gboolean
has_controller(const CoreDomainDefPriv *priv, const char *type, int index)
{
    for (guint i = 0; i < priv->controllers->len; i++) {
        const CoreDomainControllerDef *c = g_ptr_array_index(priv->controllers, i);

        if (g_str_equal(c->type, type) && c->index == index)
            return TRUE;
    }
    return FALSE;
}

static void
ensure_controller(CoreDomainDefPriv *priv, const char *type, int index)
{
    CoreDomainControllerDef *ctl;

    if (has_controller(priv, type, index))
        return;
    ctl = g_new0(CoreDomainControllerDef, 1);
    ctl->type = g_strdup(type);
    ctl->index = index;
    ctl->ports = -1;
    ctl->vectors = -1;
    controller_insert(priv, ctl);
}

/* ---- watchdog, memballoon, rng ---- */

static void
watchdog_free(CoreDomainWatchdogDef *wd)
{
    if (!wd)
        return;
    g_free(wd->model);
    g_free(wd->action);
    core_domain_info_clear(&wd->info);
    g_free(wd);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainWatchdogDef, watchdog_free)

static CoreDomainWatchdogDef *
watchdog_parse(const xmlNode *node, GError **error)
{
    g_autoptr(CoreDomainWatchdogDef) wd = g_new0(CoreDomainWatchdogDef, 1);

    wd->model = core_xml_prop(node, "model");
    if (!wd->model) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "watchdog must contain model name");
        return NULL;
    }
    if (core_xml_enum_from_string(watchdog_models, wd->model) < 0) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown watchdog model '%s'",
                       wd->model);
        return NULL;
    }
    if (!core_domain_prop_enum_unsup(node, "action", watchdog_actions,
                                     "unknown watchdog action '%s'", &wd->action, error))
        return NULL;
    if (!wd->action)
        wd->action = g_strdup("reset");
    if (!core_domain_info_parse(node, &wd->info, error))
        return NULL;
    return g_steal_pointer(&wd);
}

static void
balloon_free(CoreDomainMemballoonDef *mb)
{
    if (!mb)
        return;
    g_free(mb->model);
    g_free(mb->autodeflate);
    core_domain_info_clear(&mb->info);
    g_free(mb);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainMemballoonDef, balloon_free)

static CoreDomainMemballoonDef *
balloon_parse(const xmlNode *node, GError **error)
{
    g_autoptr(CoreDomainMemballoonDef) mb = g_new0(CoreDomainMemballoonDef, 1);
    xmlNode *stats = core_xml_child(node, "stats");

    if (!core_domain_prop_enum(node, "model", balloon_models, &mb->model, error) ||
        !core_domain_prop_onoff(node, "autodeflate", &mb->autodeflate, error))
        return NULL;
    if (!mb->model) {
        core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                       "Missing required attribute 'model' in element 'memballoon'");
        return NULL;
    }
    if (stats && !core_domain_prop_uint(stats, "period", &mb->stats_period, error))
        return NULL;
    if (!core_domain_info_parse(node, &mb->info, error))
        return NULL;
    return g_steal_pointer(&mb);
}

static void
rng_free(CoreDomainRngDef *rng)
{
    if (!rng)
        return;
    g_free(rng->model);
    g_free(rng->backend_model);
    g_free(rng->backend_path);
    core_domain_info_clear(&rng->info);
    g_free(rng);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainRngDef, rng_free)

static CoreDomainRngDef *
rng_parse(const xmlNode *node, GError **error)
{
    g_autoptr(CoreDomainRngDef) rng = g_new0(CoreDomainRngDef, 1);
    xmlNode *backend = core_xml_child(node, "backend");
    xmlNode *rate = core_xml_child(node, "rate");

    rng->model = core_xml_prop(node, "model");
    if (!rng->model || core_xml_enum_from_string(rng_models, rng->model) < 0) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown RNG model '%s'",
                       rng->model ? rng->model : "");
        return NULL;
    }
    if (!backend) {
        core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                       "missing RNG device backend");
        return NULL;
    }
    rng->backend_model = core_xml_prop(backend, "model");
    if (!rng->backend_model || core_xml_enum_from_string(rng_backends, rng->backend_model) < 0) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown RNG backend model '%s'",
                       rng->backend_model ? rng->backend_model : "");
        return NULL;
    }
    if (g_str_equal(rng->backend_model, "egd")) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "RNG backend 'egd' is not supported");
        return NULL;
    }
    if (g_str_equal(rng->backend_model, "random")) {
        rng->backend_path = g_strstrip(core_xml_content(backend));
        if (!*rng->backend_path)
            g_clear_pointer(&rng->backend_path, g_free);
        if (!rng->backend_path)
            rng->backend_path = g_strdup("/dev/random");
    }
    if (rate && (!core_domain_prop_uint(rate, "bytes", &rng->rate_bytes, error) ||
                 !core_domain_prop_uint(rate, "period", &rng->rate_period, error)))
        return NULL;
    if (!core_domain_info_parse(node, &rng->info, error))
        return NULL;
    return g_steal_pointer(&rng);
}

static void
rng_format(CoreXmlWriter *w, const CoreDomainRngDef *rng, guint flags)
{
    core_xml_writer_start(w, "rng");
    core_xml_writer_attr(w, "model", rng->model);
    if (rng->rate_bytes) {
        core_xml_writer_start(w, "rate");
        core_xml_writer_attrf(w, "bytes", "%u", rng->rate_bytes);
        if (rng->rate_period)
            core_xml_writer_attrf(w, "period", "%u", rng->rate_period);
        core_xml_writer_end(w);
    }
    core_xml_writer_start(w, "backend");
    core_xml_writer_attr(w, "model", rng->backend_model);
    if (rng->backend_path)
        core_xml_writer_end_text(w, rng->backend_path);
    else
        core_xml_writer_end(w);
    core_domain_info_format(w, &rng->info, flags);
    core_xml_writer_end(w);
}

static void
watchdog_balloon_format(CoreXmlWriter *w, const CoreDomainDefPriv *priv, guint flags)
{
    if (priv->watchdog) {
        core_xml_writer_start(w, "watchdog");
        core_xml_writer_attr(w, "model", priv->watchdog->model);
        core_xml_writer_attr(w, "action", priv->watchdog->action);
        core_domain_info_format(w, &priv->watchdog->info, flags);
        core_xml_writer_end(w);
    }
    if (priv->memballoon) {
        core_xml_writer_start(w, "memballoon");
        core_xml_writer_attr(w, "model", priv->memballoon->model);
        core_xml_writer_attr(w, "autodeflate", priv->memballoon->autodeflate);
        if (priv->memballoon->stats_period) {
            core_xml_writer_start(w, "stats");
            core_xml_writer_attrf(w, "period", "%u", priv->memballoon->stats_period);
            core_xml_writer_end(w);
        }
        core_domain_info_format(w, &priv->memballoon->info, flags);
        core_xml_writer_end(w);
    }
}

/* ---- the device list ---- */

/* Parses one child of <devices>; unknown elements are dropped. */
static gboolean
parse_device(CoreDomainDef *def, const xmlNode *node, GError **error)
{
    CoreDomainDefPriv *priv = def->priv;
    const char *name = (const char *)node->name;
    gpointer dev = NULL;
    GPtrArray *list = NULL;

    if (g_str_equal(name, "emulator")) {
        if (!priv->emulator)
            priv->emulator = core_xml_content(node);
        return TRUE;
    } else if (g_str_equal(name, "disk")) {
        if (!(dev = core_domain_disk_parse(node, error)))
            return FALSE;
        core_domain_disk_insert(priv->disks, dev);
        return TRUE;
    } else if (g_str_equal(name, "controller")) {
        if (!(dev = controller_parse(node, error)))
            return FALSE;
        controller_insert(priv, dev);
        return TRUE;
    } else if (g_str_equal(name, "interface")) {
        dev = core_domain_net_parse(node, error);
        list = priv->nets;
    } else if (g_str_equal(name, "serial")) {
        dev = core_domain_chr_parse(node, CORE_DOMAIN_CHR_SERIAL, error);
        list = priv->serials;
    } else if (g_str_equal(name, "console")) {
        dev = core_domain_chr_parse(node, CORE_DOMAIN_CHR_CONSOLE, error);
        list = priv->consoles;
    } else if (g_str_equal(name, "channel")) {
        dev = core_domain_chr_parse(node, CORE_DOMAIN_CHR_CHANNEL, error);
        list = priv->channels;
    } else if (g_str_equal(name, "input")) {
        dev = core_domain_input_parse(node, def->os_type, error);
        list = priv->inputs;
    } else if (g_str_equal(name, "graphics")) {
        dev = core_domain_graphics_parse(node, error);
        list = priv->graphics;
    } else if (g_str_equal(name, "video")) {
        dev = core_domain_video_parse(node, error);
        list = priv->videos;
    } else if (g_str_equal(name, "rng")) {
        dev = rng_parse(node, error);
        list = priv->rngs;
    } else if (g_str_equal(name, "watchdog")) {
        g_autoptr(CoreDomainWatchdogDef) wd = watchdog_parse(node, error);

        if (!wd)
            return FALSE;
        if (!priv->watchdog)
            priv->watchdog = g_steal_pointer(&wd);
        return TRUE;
    } else if (g_str_equal(name, "memballoon")) {
        g_autoptr(CoreDomainMemballoonDef) mb = balloon_parse(node, error);

        if (!mb)
            return FALSE;
        if (!priv->memballoon)
            priv->memballoon = g_steal_pointer(&mb);
        return TRUE;
    } else {
        return TRUE;
    }
    if (!dev)
        return FALSE;
    g_ptr_array_add(list, dev);
    return TRUE;
}

gboolean
core_domain_devices_parse(CoreDomainDef *def, const xmlNode *devices, GError **error)
{
    CORE_XML_CHILD_FOREACH (devices, child) {
        if (!parse_device(def, child, error))
            return FALSE;
    }
    return TRUE;
}

void
core_domain_devices_format(CoreXmlWriter *w, const CoreDomainDef *def, guint flags)
{
    const CoreDomainDefPriv *priv = def->priv;

    core_xml_writer_start(w, "devices");
    core_xml_writer_text_element(w, "emulator", priv->emulator);
    for (guint i = 0; i < priv->disks->len; i++)
        core_domain_disk_format(w, g_ptr_array_index(priv->disks, i), flags);
    for (guint i = 0; i < priv->controllers->len; i++)
        controller_format(w, g_ptr_array_index(priv->controllers, i), flags);
    for (guint i = 0; i < priv->nets->len; i++)
        core_domain_net_format(w, g_ptr_array_index(priv->nets, i), flags);
    for (guint i = 0; i < priv->serials->len; i++)
        core_domain_chr_format(w, g_ptr_array_index(priv->serials, i), CORE_DOMAIN_CHR_SERIAL,
                               flags);
    for (guint i = 0; i < priv->consoles->len; i++)
        core_domain_chr_format(w, g_ptr_array_index(priv->consoles, i),
                               CORE_DOMAIN_CHR_CONSOLE, flags);
    for (guint i = 0; i < priv->channels->len; i++)
        core_domain_chr_format(w, g_ptr_array_index(priv->channels, i),
                               CORE_DOMAIN_CHR_CHANNEL, flags);
    for (guint i = 0; i < priv->inputs->len; i++)
        core_domain_input_format(w, g_ptr_array_index(priv->inputs, i), flags);
    for (guint i = 0; i < priv->graphics->len; i++)
        core_domain_graphics_format(w, g_ptr_array_index(priv->graphics, i), flags);
    for (guint i = 0; i < priv->videos->len; i++)
        core_domain_video_format(w, g_ptr_array_index(priv->videos, i), flags);
    watchdog_balloon_format(w, priv, flags);
    for (guint i = 0; i < priv->rngs->len; i++)
        rng_format(w, g_ptr_array_index(priv->rngs, i), flags);
    core_xml_writer_end_full(w);
}

void
core_domain_devices_clear(CoreDomainDefPriv *priv)
{
    g_clear_pointer(&priv->emulator, g_free);
    g_clear_pointer(&priv->disks, g_ptr_array_unref);
    for (guint i = 0; priv->controllers && i < priv->controllers->len; i++)
        controller_free(g_ptr_array_index(priv->controllers, i));
    g_clear_pointer(&priv->controllers, g_ptr_array_unref);
    g_clear_pointer(&priv->nets, g_ptr_array_unref);
    g_clear_pointer(&priv->serials, g_ptr_array_unref);
    g_clear_pointer(&priv->consoles, g_ptr_array_unref);
    g_clear_pointer(&priv->channels, g_ptr_array_unref);
    g_clear_pointer(&priv->inputs, g_ptr_array_unref);
    g_clear_pointer(&priv->graphics, g_ptr_array_unref);
    g_clear_pointer(&priv->videos, g_ptr_array_unref);
    g_clear_pointer(&priv->watchdog, watchdog_free);
    g_clear_pointer(&priv->memballoon, balloon_free);
    for (guint i = 0; priv->rngs && i < priv->rngs->len; i++)
        rng_free(g_ptr_array_index(priv->rngs, i));
    g_clear_pointer(&priv->rngs, g_ptr_array_unref);
}

/* ---- post-parse: checks across devices and implicit devices ---- */

static gboolean
check_boot_order(CoreDomainDef *def, GError **error)
{
    CoreDomainDefPriv *priv = def->priv;
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    GPtrArray *lists[] = { priv->disks, priv->nets };

    for (guint l = 0; l < G_N_ELEMENTS(lists); l++) {
        for (guint i = 0; i < lists[l]->len; i++) {
            gpointer dev = g_ptr_array_index(lists[l], i);
            CoreDomainDeviceInfo *info = l == 0 ? &((CoreDomainDiskDef *)dev)->info
                                                : &((CoreDomainNetDef *)dev)->info;
            guint order = info->boot_order;

            if (!order)
                continue;
            if (priv->n_boot_devs > 0) {
                return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                      "per-device boot elements cannot be used together with "
                                      "os/boot elements");
            }
            if (g_hash_table_contains(seen, GUINT_TO_POINTER(order))) {
                return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                      "boot order '%u' used for more than one device", order);
            }
            g_hash_table_add(seen, GUINT_TO_POINTER(order));
        }
    }
    if (g_hash_table_size(seen) == 0 && priv->n_boot_devs == 0 &&
        g_strcmp0(def->os_type, "hvm") == 0)
        priv->boot_devs[priv->n_boot_devs++] = g_strdup("hd");
    return TRUE;
}

static gboolean
check_disk_targets(CoreDomainDefPriv *priv, GError **error)
{
    for (guint i = 0; i < priv->disks->len; i++) {
        const CoreDomainDiskDef *a = g_ptr_array_index(priv->disks, i);

        for (guint j = 0; j < i; j++) {
            const CoreDomainDiskDef *b = g_ptr_array_index(priv->disks, j);

            if (!g_str_equal(a->target_dev, b->target_dev))
                continue;
            return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                                  "target '%s' duplicated for disk sources '%s' and '%s'",
                                  a->target_dev, b->source_path ? b->source_path : "<null>",
                                  a->source_path ? a->source_path : "<null>");
        }
    }
    return TRUE;
}

/* Drive address of a disk from its name, as libvirt assigns it. */
static void
assign_drive_address(CoreDomainDiskDef *disk)
{
    int idx = core_domain_disk_name_to_index(disk->target_dev);
    guint ctl = 0, bus = 0, unit = 0;
    char vals[4][16];
    const char *names[] = { "controller", "bus", "target", "unit", NULL };
    const char *values[] = { vals[0], vals[1], vals[2], vals[3], NULL };

    if (idx < 0 || disk->info.address)
        return;
    if (g_str_equal(disk->target_bus, "ide")) {
        ctl = idx / 4;
        bus = (idx % 4) / 2;
        unit = idx % 2;
    } else if (g_str_equal(disk->target_bus, "sata")) {
        ctl = idx / 6;
        unit = idx % 6;
    } else if (g_str_equal(disk->target_bus, "scsi")) {
        ctl = idx / 7;
        unit = idx % 7;
    } else if (g_str_equal(disk->target_bus, "fdc")) {
        unit = idx;
    } else {
        return;
    }
    g_snprintf(vals[0], sizeof(vals[0]), "%u", ctl);
    g_snprintf(vals[1], sizeof(vals[1]), "%u", bus);
    g_snprintf(vals[2], sizeof(vals[2]), "%u", 0u);
    g_snprintf(vals[3], sizeof(vals[3]), "%u", unit);
    disk->info.address = core_domain_address_new("drive", names, values);
}

/* Controllers 0..max for every disk bus that uses drive addresses, in
 * libvirt's order of buses, then virtio-serial for virtio channels. */
static void
add_implicit_controllers(CoreDomainDefPriv *priv)
{
    static const char *const buses[] = { "scsi", "fdc", "ide", "sata" };
    gboolean need_vserial = FALSE;

    for (guint b = 0; b < G_N_ELEMENTS(buses); b++) {
        int max = -1;

        for (guint i = 0; i < priv->disks->len; i++) {
            const CoreDomainDiskDef *d = g_ptr_array_index(priv->disks, i);
            const CoreDomainAddress *a = d->info.address;

            if (!g_str_equal(d->target_bus, buses[b]) || !a || !g_str_equal(a->type, "drive"))
                continue;
            max = MAX(max, (int)MIN(g_ascii_strtoull(a->values[0], NULL, 10), 1024));
        }
        for (int c = 0; c <= max; c++)
            ensure_controller(priv, buses[b], c);
    }
    for (guint i = 0; i < priv->channels->len; i++) {
        const CoreDomainChrDef *ch = g_ptr_array_index(priv->channels, i);

        need_vserial = need_vserial || g_strcmp0(ch->target_type, "virtio") == 0;
    }
    for (guint i = 0; i < priv->consoles->len; i++) {
        const CoreDomainChrDef *con = g_ptr_array_index(priv->consoles, i);

        need_vserial = need_vserial || g_strcmp0(con->target_type, "virtio") == 0;
    }
    if (need_vserial)
        ensure_controller(priv, "virtio-serial", 0);
}

static gboolean
check_videos(CoreDomainDefPriv *priv, GError **error)
{
    gboolean have_primary = FALSE;

    for (guint i = 0; i < priv->videos->len; i++) {
        const CoreDomainVideoDef *v = g_ptr_array_index(priv->videos, i);

        if (g_str_equal(v->model, "none") && priv->videos->len > 1) {
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "a 'none' video type must be the only video device defined "
                                  "for the domain");
        }
        if (v->primary && have_primary) {
            return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                                  "Only one primary video device is supported");
        }
        have_primary = have_primary || v->primary;
    }
    if (!have_primary && priv->videos->len > 0) {
        CoreDomainVideoDef *first = g_ptr_array_index(priv->videos, 0);

        first->primary = !g_str_equal(first->model, "none");
    }
    return TRUE;
}

gboolean
core_domain_devices_post_parse(CoreDomainDef *def, GError **error)
{
    CoreDomainDefPriv *priv = def->priv;

    g_autoptr(GPtrArray) disks = NULL;

    for (guint i = 0; i < priv->disks->len; i++)
        core_domain_disk_post_parse(g_ptr_array_index(priv->disks, i));
    /* place the disks again now that every bus is known: what a reparse of
     * our output does, so the round trip is stable (libvirt's own is not
     * for a disk with no bus that sorts before one of the same bus) */
    disks = g_steal_pointer(&priv->disks);
    priv->disks = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_disk_free);
    for (guint i = 0; i < disks->len; i++)
        core_domain_disk_insert(priv->disks, g_steal_pointer(&g_ptr_array_index(disks, i)));
    g_ptr_array_set_free_func(disks, NULL);
    if (!check_boot_order(def, error) || !check_disk_targets(priv, error))
        return FALSE;
    for (guint i = 0; i < priv->disks->len; i++)
        assign_drive_address(g_ptr_array_index(priv->disks, i));
    if (!core_domain_chr_post_parse(def, error))
        return FALSE;
    add_implicit_controllers(priv);
    return check_videos(priv, error);
}
