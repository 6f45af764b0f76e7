/* core-domain-conf: the top level of the domain model: <domain> attributes,
 * identity, memory, vcpus and lifecycle actions; the device and OS parts
 * live in the other core-domain-*.c files. */
#define CORE_FROM_THIS CORE_FROM_DOMAIN

#include "core-domain-priv.h"
#include "core-uuid.h"

#include <string.h>

#define DOMAIN_URL "domain_definition"

/* libvirt's virDomainVirtType names, in its order */
static const char *const virt_types[] = {
    "none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware",
    "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "ch", NULL,
};

static const char *const lifecycle_actions[] = {
    "destroy", "restart", "rename-restart", "preserve", "coredump-destroy", "coredump-restart",
    NULL,
};
G_STATIC_ASSERT(G_N_ELEMENTS(lifecycle_actions) == CORE_DOMAIN_LIFECYCLE_LAST + 1);

static const char *const placements[] = { "static", "auto", NULL };

const char *
core_domain_lifecycle_to_string(CoreDomainLifecycleAction action)
{
    if ((guint)action >= CORE_DOMAIN_LIFECYCLE_LAST)
        return NULL;
    return lifecycle_actions[action];
}

static CoreDomainDef *
def_new(void)
{
    CoreDomainDef *def = g_new0(CoreDomainDef, 1);
    CoreDomainDefPriv *priv = g_new0(CoreDomainDefPriv, 1);

    def->id = -1;
    def->priv = priv;
    priv->on_poweroff = CORE_DOMAIN_LIFECYCLE_DESTROY;
    priv->on_reboot = CORE_DOMAIN_LIFECYCLE_RESTART;
    priv->on_crash = CORE_DOMAIN_LIFECYCLE_DESTROY;
    priv->cpu_features = g_ptr_array_new();
    priv->timers = g_ptr_array_new();
    priv->disks = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_disk_free);
    priv->controllers = g_ptr_array_new();
    priv->nets = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_net_free);
    priv->serials = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_chr_free);
    priv->consoles = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_chr_free);
    priv->channels = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_chr_free);
    priv->inputs = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_input_free);
    priv->graphics = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_graphics_free);
    priv->videos = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_video_free);
    priv->rngs = g_ptr_array_new();
    return def;
}

void
core_domain_def_free(CoreDomainDef *def)
{
    CoreDomainDefPriv *priv;

    if (!def)
        return;
    priv = def->priv;
    if (priv) {
        g_free(priv->cpuset);
        core_domain_os_clear(priv);
        core_domain_devices_clear(priv);
        core_domain_metadata_free(priv->metadata);
        g_free(priv);
    }
    g_free(def->virt_type);
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    g_free(def->os_type);
    g_free(def->os_arch);
    g_free(def->os_machine);
    g_free(def);
}

/* ---- parse ---- */

/* Scales @value by the unit @unit as libvirt does: "b"/"bytes", then
 * k, M, G, T, P, E alone or with "iB" (powers of 1024) or "B" (powers of
 * 1000), case-insensitive; no unit means KiB. */
static gboolean
scale_to_bytes(guint64 value, const char *unit, guint64 *ret, GError **error)
{
    static const char scales[] = "kmgtpe";
    guint64 base = 1024, factor = 1;
    const char *p;

    if (!unit || !*unit) {
        factor = 1024;
    } else if (g_ascii_tolower(unit[0]) == 'b' &&
               (!unit[1] || g_ascii_strcasecmp(unit, "bytes") == 0)) {
        factor = 1;
    } else if ((p = strchr(scales, g_ascii_tolower(unit[0])))) {
        if (!unit[1] || g_ascii_strcasecmp(unit + 1, "ib") == 0)
            base = 1024;
        else if (g_ascii_strcasecmp(unit + 1, "b") == 0)
            base = 1000;
        else
            return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_INVALID_ARG,
                                       "unknown suffix '%s'", unit);
        for (long i = 0; i <= p - scales; i++)
            factor *= base;
    } else {
        return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_INVALID_ARG,
                                   "unknown suffix '%s'", unit);
    }
    if (value > G_MAXUINT64 / factor) {
        return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_OVERFLOW,
                                   "value too large: %" G_GUINT64_FORMAT "%s", value,
                                   unit ? unit : "");
    }
    *ret = value * factor;
    return TRUE;
}

/* Reads <@name unit='...'>N</@name> into KiB (0 when absent). */
static gboolean
parse_memory(const xmlNode *root, const char *name, guint64 *ret_kib, GError **error)
{
    xmlNode *node = core_xml_child(root, name);
    g_autofree char *text = NULL;
    g_autofree char *unit = NULL;
    guint64 value = 0, bytes = 0;

    *ret_kib = 0;
    if (!node)
        return TRUE;
    text = core_xml_content(node);
    g_strstrip(text);
    if (!core_xml_parse_ull(text, 10, G_MAXUINT64, &value)) {
        return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                              "Invalid value '%s' for element or attribute './%s[1]'", text,
                              name);
    }
    unit = core_xml_prop(node, "unit");
    if (!scale_to_bytes(value, unit, &bytes, error))
        return FALSE;
    /* libvirt keeps KiB, rounding partial KiB up */
    *ret_kib = bytes / 1024 + (bytes % 1024 ? 1 : 0);
    return TRUE;
}

/* Normalises a libvirt cpuset ("0-3,^2" -> "0-1,3"). */
static char *
cpuset_normalise(const char *spec, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);
    g_autoptr(GArray) bits = g_array_new(FALSE, TRUE, sizeof(gboolean));
    GString *out;
    guint64 a, b;

    for (guint i = 0; parts[i]; i++) {
        char *p = g_strstrip(parts[i]);
        gboolean neg = *p == '^';
        char *dash;

        if (neg)
            p++;
        dash = strchr(p + (*p ? 1 : 0), '-');
        if (dash)
            *dash = '\0';
        if (!core_xml_parse_ull(p, 10, 4095, &a) ||
            (dash ? !core_xml_parse_ull(dash + 1, 10, 4095, &b) || neg : (b = a, FALSE)) ||
            b < a) {
            return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                  "Failed to parse bitmap '%s'", spec),
                   NULL;
        }
        if (bits->len <= b)
            g_array_set_size(bits, b + 1);
        for (guint64 j = a; j <= b; j++)
            g_array_index(bits, gboolean, j) = !neg;
    }
    out = g_string_new(NULL);
    for (guint i = 0; i < bits->len; i++) {
        guint j = i;

        if (!g_array_index(bits, gboolean, i))
            continue;
        while (j + 1 < bits->len && g_array_index(bits, gboolean, j + 1))
            j++;
        if (out->len)
            g_string_append_c(out, ',');
        if (j > i)
            g_string_append_printf(out, "%u-%u", i, j);
        else
            g_string_append_printf(out, "%u", i);
        i = j;
    }
    return g_string_free(out, FALSE);
}

static gboolean
parse_vcpu(CoreDomainDef *def, const xmlNode *root, GError **error)
{
    CoreDomainDefPriv *priv = def->priv;
    xmlNode *node = core_xml_child(root, "vcpu");
    g_autofree char *text = NULL;
    g_autofree char *placement = NULL;
    g_autofree char *cpuset = NULL;
    guint64 v = 0;

    def->vcpus = 1;
    if (!node)
        return TRUE;
    text = g_strstrip(core_xml_content(node));
    if (!core_xml_parse_ull(text, 10, G_MAXUINT, &v)) {
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "maximum vcpus count must be an integer");
    }
    if (v == 0) {
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                              "CPU IDs in <numa> exceed the <vcpu> count");
    }
    def->vcpus = v;
    if (!core_domain_prop_uint(node, "current", &priv->vcpus_current, error))
        return FALSE;
    if (priv->vcpus_current > def->vcpus) {
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "maximum vCPU count must not be less than current vCPU count");
    }
    if (!core_domain_prop_enum(node, "placement", placements, &placement, error))
        return FALSE;
    priv->placement_auto = g_strcmp0(placement, "auto") == 0;
    cpuset = core_xml_prop(node, "cpuset");
    if (cpuset && !(priv->cpuset = cpuset_normalise(cpuset, error)))
        return FALSE;
    if (priv->cpuset && !*priv->cpuset)
        g_clear_pointer(&priv->cpuset, g_free);
    return TRUE;
}

static gboolean
parse_lifecycle(const xmlNode *root, const char *elem, const char *event,
                CoreDomainLifecycleAction *ret, GError **error)
{
    g_autofree char *text = core_xml_child_content(root, elem);
    int v;

    if (!text)
        return TRUE;
    v = core_xml_enum_from_string(lifecycle_actions, g_strstrip(text));
    if (v < 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown %s action: %s", elem,
                              text);
    if (event && (v == CORE_DOMAIN_LIFECYCLE_COREDUMP_DESTROY ||
                  v == CORE_DOMAIN_LIFECYCLE_COREDUMP_RESTART)) {
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "Lifecycle event '%s' doesn't support '%s' action", event, text);
    }
    *ret = v;
    return TRUE;
}

static gboolean
parse_identity(CoreDomainDef *def, const xmlNode *root, GError **error)
{
    g_autofree char *id = core_xml_prop(root, "id");
    g_autofree char *uuid = NULL;
    guint64 v;

    def->virt_type = core_xml_prop(root, "type");
    if (!def->virt_type)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "missing domain type attribute");
    if (core_xml_enum_from_string(virt_types, def->virt_type) < 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "invalid domain type %s",
                              def->virt_type);
    if (id && core_xml_parse_ull(id, 10, G_MAXINT, &v))
        def->id = (int)v;
    def->name = core_xml_child_content(root, "name");
    if (!def->name || !*def->name)
        return core_error_set(error, CORE_ERR_NO_NAME, NULL);
    if (strchr(def->name, '/'))
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "name %s cannot contain '/'", def->name);
    uuid = core_xml_child_content(root, "uuid");
    if (!uuid)
        core_uuid_generate(def->uuid);
    else if (!core_uuid_parse(uuid, def->uuid, NULL))
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "malformed uuid element");
    /* libvirt reads both as XPath strings: empty is absent */
    def->title = core_xml_child_content(root, "title");
    if (def->title && !*def->title)
        g_clear_pointer(&def->title, g_free);
    if (def->title && strchr(def->title, '\n'))
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "Domain title can't contain newlines");
    def->description = core_xml_child_content(root, "description");
    if (def->description && !*def->description)
        g_clear_pointer(&def->description, g_free);
    return core_domain_metadata_parse(def, root, error);
}

static gboolean
parse_top(CoreDomainDef *def, const xmlNode *root, GError **error)
{
    CoreDomainDefPriv *priv = def->priv;
    const xmlNode *node;

    if (!parse_identity(def, root, error))
        return FALSE;
    if (!parse_memory(root, "memory", &def->memory_kib, error) ||
        !parse_memory(root, "currentMemory", &def->current_memory_kib, error))
        return FALSE;
    if (def->memory_kib == 0) {
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "Memory size must be specified via <memory> or in the <numa> "
                              "configuration");
    }
    if (def->current_memory_kib == 0 || def->current_memory_kib > def->memory_kib)
        def->current_memory_kib = def->memory_kib;
    if (!parse_vcpu(def, root, error))
        return FALSE;
    if (!core_domain_os_parse(def, core_xml_child(root, "os"), error))
        return FALSE;
    if ((node = core_xml_child(root, "features")) &&
        !core_domain_features_parse(priv, node, error))
        return FALSE;
    if ((node = core_xml_child(root, "cpu")) && !core_domain_cpu_parse(priv, node, error))
        return FALSE;
    if (!core_domain_clock_parse(priv, core_xml_child(root, "clock"), error))
        return FALSE;
    if (!parse_lifecycle(root, "on_poweroff", "poweroff", &priv->on_poweroff, error) ||
        !parse_lifecycle(root, "on_reboot", "reboot", &priv->on_reboot, error) ||
        !parse_lifecycle(root, "on_crash", NULL, &priv->on_crash, error))
        return FALSE;
    if ((node = core_xml_child(root, "devices")) &&
        !core_domain_devices_parse(def, node, error))
        return FALSE;
    return core_domain_devices_post_parse(def, error);
}

/* What a persistent definition never carries: libvirt names tap and
 * macvtap devices vnet*, macvtap*, macvlan* when it creates them. */
static void
drop_live_data(CoreDomainDef *def)
{
    CoreDomainDefPriv *priv = def->priv;

    def->id = -1;
    for (guint i = 0; i < priv->nets->len; i++) {
        CoreDomainNetDef *net = g_ptr_array_index(priv->nets, i);

        if (net->target_dev && (g_str_has_prefix(net->target_dev, "vnet") ||
                                g_str_has_prefix(net->target_dev, "macvtap") ||
                                g_str_has_prefix(net->target_dev, "macvlan")))
            g_clear_pointer(&net->target_dev, g_free);
    }
}

CoreDomainDef *
core_domain_def_parse_string(const char *xml, guint flags, GError **error)
{
    g_autoptr(xmlDoc) doc = core_xml_parse(xml, DOMAIN_URL, "domain", CORE_FROM_DOMAIN, error);
    g_autoptr(CoreDomainDef) def = NULL;

    if (!doc)
        return NULL;
    def = def_new();
    if (!parse_top(def, xmlDocGetRootElement(doc), error))
        return NULL;
    if (flags & CORE_DOMAIN_PARSE_INACTIVE)
        drop_live_data(def);
    /* libvirt keeps the aliases of user XML only when they carry the
     * "ua-" prefix; here only status XML (written by a driver) keeps them */
    if (!(flags & CORE_DOMAIN_PARSE_STATUS))
        core_domain_devices_drop_aliases(def);
    return g_steal_pointer(&def);
}

/* ---- format ---- */

static void
format_scaled(CoreXmlWriter *w, const char *name, guint64 kib)
{
    g_autofree char *text = g_strdup_printf("%" G_GUINT64_FORMAT, kib);

    core_xml_writer_start(w, name);
    core_xml_writer_attr(w, "unit", "KiB");
    core_xml_writer_end_text(w, text);
}

static void
format_memory_vcpu(CoreXmlWriter *w, const CoreDomainDef *def)
{
    const CoreDomainDefPriv *priv = def->priv;
    g_autofree char *vcpus = g_strdup_printf("%u", def->vcpus);

    format_scaled(w, "memory", def->memory_kib);
    format_scaled(w, "currentMemory", def->current_memory_kib);
    core_xml_writer_start(w, "vcpu");
    core_xml_writer_attr(w, "placement", priv->placement_auto ? "auto" : "static");
    core_xml_writer_attr(w, "cpuset", priv->cpuset);
    if (priv->vcpus_current && priv->vcpus_current != def->vcpus)
        core_xml_writer_attrf(w, "current", "%u", priv->vcpus_current);
    core_xml_writer_end_text(w, vcpus);
    if (priv->placement_auto) {
        /* libvirt derives memory placement from vcpu placement */
        core_xml_writer_start(w, "numatune");
        core_xml_writer_start(w, "memory");
        core_xml_writer_attr(w, "mode", "strict");
        core_xml_writer_attr(w, "placement", "auto");
        core_xml_writer_end(w);
        core_xml_writer_end(w);
    }
}

/* <title> and <description> as libvirt writes them, except that a
 * carriage return (set through virDomainSetMetadata or given as "&#13;")
 * is written as "&#13;": written raw, as libvirt does, a parser reads it
 * back as a newline, which a title may not hold, and the definition
 * would not load again. */
static void
format_text(CoreXmlWriter *w, const char *name, const char *text)
{
    g_auto(GStrv) parts = NULL;

    if (!text || !strchr(text, '\r')) {
        core_xml_writer_text_element(w, name, text);
        return;
    }
    parts = g_strsplit(text, "\r", -1);
    if (w->pending) {
        g_string_append(w->buf, ">\n");
        w->pending = FALSE;
    }
    for (guint i = 0; i < w->depth; i++)
        g_string_append(w->buf, "  ");
    g_string_append_printf(w->buf, "<%s>", name);
    for (guint i = 0; parts[i]; i++) {
        if (i > 0)
            g_string_append(w->buf, "&#13;");
        core_xml_escape_append(w->buf, parts[i]);
    }
    g_string_append_printf(w->buf, "</%s>\n", name);
}

char *
core_domain_def_format(const CoreDomainDef *def, guint flags)
{
    const CoreDomainDefPriv *priv = def->priv;
    char uuid[CORE_UUID_STRING_BUFLEN];
    CoreXmlWriter w;

    core_xml_writer_init(&w);
    core_xml_writer_start(&w, "domain");
    core_xml_writer_attr(&w, "type", def->virt_type);
    if (def->id >= 0 && !(flags & CORE_DOMAIN_XML_INACTIVE))
        core_xml_writer_attrf(&w, "id", "%d", def->id);
    core_xml_writer_text_element(&w, "name", def->name);
    core_xml_writer_text_element(&w, "uuid", core_uuid_format(def->uuid, uuid));
    format_text(&w, "title", def->title);
    format_text(&w, "description", def->description);
    core_domain_metadata_format(&w, def);
    format_memory_vcpu(&w, def);
    core_domain_os_format(&w, def);
    core_domain_features_format(&w, priv);
    core_domain_cpu_format(&w, priv);
    core_domain_clock_format(&w, priv);
    core_xml_writer_text_element(&w, "on_poweroff", lifecycle_actions[priv->on_poweroff]);
    core_xml_writer_text_element(&w, "on_reboot", lifecycle_actions[priv->on_reboot]);
    core_xml_writer_text_element(&w, "on_crash", lifecycle_actions[priv->on_crash]);
    core_domain_devices_format(&w, def, flags);
    core_xml_writer_end(&w);
    return core_xml_writer_finish(&w);
}

CoreDomainDef *
core_domain_def_copy(const CoreDomainDef *def)
{
    g_autofree char *xml = core_domain_def_format(def, CORE_DOMAIN_XML_SECURE);
    g_autoptr(GError) err = NULL;
    CoreDomainDef *copy = core_domain_def_parse_string(xml, CORE_DOMAIN_PARSE_STATUS, &err);

    /* our own output always parses; anything else is a bug in the model */
    if (!copy)
        g_error("domain copy failed to reparse: %s", err->message);
    return copy;
}

/* ---- driver defaults ---- */

void
core_domain_def_apply_defaults(CoreDomainDef *def, const CoreDomainDefaults *defaults)
{
    CoreDomainDefPriv *priv = def->priv;

    if (!defaults)
        return;
    if (!def->os_arch && defaults->arch)
        def->os_arch = g_strdup(defaults->arch);
    if (!def->os_machine && defaults->machine)
        def->os_machine = g_strdup(defaults->machine);
    if (!priv->emulator && defaults->emulator)
        priv->emulator = g_strdup(defaults->emulator);
    if (priv->graphics->len > 0 && priv->videos->len == 0 && defaults->video_model) {
        CoreDomainVideoDef *video = g_new0(CoreDomainVideoDef, 1);

        video->model = g_strdup(defaults->video_model);
        video->vram = core_domain_video_default_vram(video->model);
        if (g_str_equal(video->model, "qxl"))
            video->ram = video->vram;
        video->heads = 1;
        video->primary = TRUE;
        g_ptr_array_add(priv->videos, video);
    }
}
