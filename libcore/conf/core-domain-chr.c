/* core-domain-chr: character devices: <serial>, <console>, <channel>. */
#define CORE_FROM_THIS CORE_FROM_DOMAIN

#include "core-domain-priv.h"

#include <string.h>

static const char *const chr_types[] = {
    "null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp", "unix", "spicevmc",
    "spiceport", "nmdm", "qemu-vdagent", "dbus", NULL,
};
static const char *const chr_types_supported[] = {
    "null", "vc", "pty", "dev", "file", "pipe", "stdio", "unix", NULL,
};
static const char *const unix_modes[] = { "connect", "bind", NULL };
static const char *const channel_targets[] = { "guestfwd", "virtio", "xen", NULL };
static const char *const channel_states[] = { "connected", "disconnected", NULL };

void
core_domain_chr_free(CoreDomainChrDef *chr)
{
    if (!chr)
        return;
    g_free(chr->type);
    g_free(chr->source_path);
    g_free(chr->source_mode);
    g_free(chr->source_append);
    g_free(chr->target_type);
    g_free(chr->target_name);
    g_free(chr->target_address);
    g_free(chr->target_address_port);
    g_free(chr->target_state);
    core_domain_info_clear(&chr->info);
    g_free(chr);
}

CoreDomainChrDef *
core_domain_chr_copy(const CoreDomainChrDef *chr)
{
    CoreDomainChrDef *c = g_new0(CoreDomainChrDef, 1);

    c->type = g_strdup(chr->type);
    c->source_path = g_strdup(chr->source_path);
    c->source_mode = g_strdup(chr->source_mode);
    c->source_append = g_strdup(chr->source_append);
    c->target_type = g_strdup(chr->target_type);
    c->target_port = chr->target_port;
    c->target_name = g_strdup(chr->target_name);
    c->target_address = g_strdup(chr->target_address);
    c->target_address_port = g_strdup(chr->target_address_port);
    c->target_state = g_strdup(chr->target_state);
    c->info.alias = g_strdup(chr->info.alias);
    return c;
}

static gboolean
parse_source(CoreDomainChrDef *chr, const xmlNode *src, GError **error)
{
    if (!src || g_str_equal(chr->type, "null") || g_str_equal(chr->type, "vc") ||
        g_str_equal(chr->type, "stdio"))
        return TRUE;
    chr->source_path = core_xml_prop(src, "path");
    if (g_str_equal(chr->type, "unix")) {
        if (!core_domain_prop_enum(src, "mode", unix_modes, &chr->source_mode, error))
            return FALSE;
        if (!chr->source_mode)
            chr->source_mode = g_strdup("connect");
    }
    if (g_str_equal(chr->type, "file") &&
        !core_domain_prop_onoff(src, "append", &chr->source_append, error))
        return FALSE;
    return TRUE;
}

static gboolean
parse_target(CoreDomainChrDef *chr, const xmlNode *target, CoreDomainChrKind kind,
             GError **error)
{
    guint port = 0;
    g_autofree char *port_str = core_xml_prop(target, "port");

    chr->target_type = core_xml_prop(target, "type");
    if (kind == CORE_DOMAIN_CHR_CHANNEL) {
        if (core_xml_enum_from_string(channel_targets, chr->target_type) < 0) {
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "unknown target type '%s' specified for character device",
                                  chr->target_type ? chr->target_type : "");
        }
        chr->target_name = core_xml_prop(target, "name");
        chr->target_address = core_xml_prop(target, "address");
        chr->target_address_port = g_steal_pointer(&port_str);
        if (!core_domain_prop_enum(target, "state", channel_states, &chr->target_state, error))
            return FALSE;
        if (g_str_equal(chr->target_type, "guestfwd") &&
            (!chr->target_address || !chr->target_address_port)) {
            return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                                  "guestfwd channel does not define a target address and port");
        }
        return TRUE;
    }
    if (port_str) {
        if (!core_domain_prop_uint(target, "port", &port, error))
            return FALSE;
        chr->target_port = (int)MIN(port, (guint)G_MAXINT);
    }
    return TRUE;
}

CoreDomainChrDef *
core_domain_chr_parse(const xmlNode *node, CoreDomainChrKind kind, GError **error)
{
    g_autoptr(CoreDomainChrDef) chr = g_new0(CoreDomainChrDef, 1);
    xmlNode *target = core_xml_child(node, "target");

    chr->target_port = -1;
    chr->type = core_xml_prop(node, "type");
    if (!chr->type)
        chr->type = g_strdup("pty");
    if (core_xml_enum_from_string(chr_types, chr->type) < 0) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "unknown type presented to host for character device: %s", chr->type);
        return NULL;
    }
    if (core_xml_enum_from_string(chr_types_supported, chr->type) < 0) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "character device type '%s' is not supported", chr->type);
        return NULL;
    }
    if (!parse_source(chr, core_xml_child(node, "source"), error))
        return NULL;
    if (kind == CORE_DOMAIN_CHR_CHANNEL && !target) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "unknown target type '' specified for character device");
        return NULL;
    }
    if (target && !parse_target(chr, target, kind, error))
        return NULL;
    if (!core_domain_info_parse(node, &chr->info, error))
        return NULL;
    return g_steal_pointer(&chr);
}

static void
format_source(CoreXmlWriter *w, const CoreDomainChrDef *chr, guint flags)
{
    /* a pty path is assigned at start: live data only */
    if (!chr->source_path ||
        (g_str_equal(chr->type, "pty") && (flags & CORE_DOMAIN_XML_INACTIVE)))
        return;
    core_xml_writer_start(w, "source");
    core_xml_writer_attr(w, "mode", chr->source_mode);
    core_xml_writer_attr(w, "path", chr->source_path);
    core_xml_writer_attr(w, "append", chr->source_append);
    core_xml_writer_end(w);
}

void
core_domain_chr_format(CoreXmlWriter *w, const CoreDomainChrDef *chr, CoreDomainChrKind kind,
                       guint flags)
{
    static const char *const names[] = { "serial", "console", "channel" };

    core_xml_writer_start(w, names[kind]);
    core_xml_writer_attr(w, "type", chr->type);
    format_source(w, chr, flags);
    core_xml_writer_start(w, "target");
    core_xml_writer_attr(w, "type", chr->target_type);
    if (kind == CORE_DOMAIN_CHR_CHANNEL) {
        core_xml_writer_attr(w, "name", chr->target_name);
        core_xml_writer_attr(w, "address", chr->target_address);
        core_xml_writer_attr(w, "port", chr->target_address_port);
        if (!(flags & CORE_DOMAIN_XML_INACTIVE))
            core_xml_writer_attr(w, "state", chr->target_state);
    } else if (chr->target_port >= 0) {
        core_xml_writer_attrf(w, "port", "%d", chr->target_port);
    }
    core_xml_writer_end(w);
    core_domain_info_format(w, &chr->info, flags);
    core_xml_writer_end(w);
}

/* Serial ports without a port number continue after the highest one. */
static void
number_serials(CoreDomainDefPriv *priv)
{
    int max = -1;

    for (guint i = 0; i < priv->serials->len; i++) {
        const CoreDomainChrDef *s = g_ptr_array_index(priv->serials, i);

        max = MAX(max, s->target_port);
    }
    for (guint i = 0; i < priv->serials->len; i++) {
        CoreDomainChrDef *s = g_ptr_array_index(priv->serials, i);

        if (s->target_port < 0)
            s->target_port = ++max;
    }
}

/* The first console of an hvm guest is its first serial port, as libvirt
 * keeps them: a lone serial gains a console, a lone serial console gains a
 * serial, and the console mirrors the serial's host side. */
gboolean
core_domain_chr_post_parse(CoreDomainDef *def, GError **error)
{
    CoreDomainDefPriv *priv = def->priv;
    gboolean hvm = g_strcmp0(def->os_type, "hvm") == 0;
    CoreDomainChrDef *con;

    for (guint i = 0; hvm && i < priv->consoles->len; i++) {
        CoreDomainChrDef *c = g_ptr_array_index(priv->consoles, i);

        if (!c->target_type)
            c->target_type = g_strdup(i == 0 ? "serial" : "virtio");
        if (i > 0 && g_str_equal(c->target_type, "serial")) {
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "Only the first console can be a serial port");
        }
    }
    number_serials(priv);
    for (guint i = 0; i < priv->consoles->len; i++) {
        CoreDomainChrDef *c = g_ptr_array_index(priv->consoles, i);

        if (c->target_port < 0)
            c->target_port = i;
    }
    if (!hvm)
        return TRUE;
    con = priv->consoles->len ? g_ptr_array_index(priv->consoles, 0) : NULL;
    if (priv->serials->len > 0 && (!con || !g_str_equal(con->target_type, "serial"))) {
        /* the serial console comes first, before any virtio console */
        con = core_domain_chr_copy(g_ptr_array_index(priv->serials, 0));
        g_clear_pointer(&con->target_type, g_free);
        con->target_type = g_strdup("serial");
        g_ptr_array_insert(priv->consoles, 0, con);
        return TRUE;
    }
    if (priv->consoles->len == 0)
        return TRUE;
    con = g_ptr_array_index(priv->consoles, 0);
    if (!g_str_equal(con->target_type, "serial"))
        return TRUE;
    if (priv->serials->len == 0) {
        CoreDomainChrDef *ser = core_domain_chr_copy(con);

        g_clear_pointer(&ser->target_type, g_free);
        ser->target_port = 0;
        g_ptr_array_add(priv->serials, ser);
    }
    {
        CoreDomainChrDef *mirror = core_domain_chr_copy(g_ptr_array_index(priv->serials, 0));

        g_free(mirror->target_type);
        mirror->target_type = g_strdup("serial");
        g_ptr_array_index(priv->consoles, 0) = mirror;
        core_domain_chr_free(con);
    }
    return TRUE;
}
