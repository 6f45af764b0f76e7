/* core-domain-net: <interface> devices. */
#define CORE_FROM_THIS CORE_FROM_DOMAIN

#include "core-domain-priv.h"

#include <string.h>

/* libvirt's interface types; only some are modelled */
static const char *const net_types[] = {
    "user", "ethernet", "vhostuser", "server", "client", "mcast", "network", "bridge",
    "internal", "direct", "hostdev", "udp", "vdpa", "null", "vds", NULL,
};
static const char *const net_types_supported[] = {
    "user", "ethernet", "network", "bridge", "direct", NULL,
};
static const char *const direct_modes[] = { "vepa", "private", "bridge", "passthrough", NULL };
static const char *const link_states[] = { "up", "down", NULL };

void
core_domain_net_free(CoreDomainNetDef *net)
{
    if (!net)
        return;
    g_free(net->type);
    g_free(net->source);
    g_free(net->source_portgroup);
    g_free(net->source_mode);
    g_free(net->target_dev);
    g_free(net->model);
    g_free(net->link_state);
    core_domain_info_clear(&net->info);
    g_free(net);
}

const char *
core_domain_mac_format(const guint8 mac[6], char buf[18])
{
    g_snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
               mac[4], mac[5]);
    return buf;
}

/* "aa:bb:cc:dd:ee:ff", one or two hex digits per byte. */
static gboolean
mac_parse(const char *str, guint8 mac[6])
{
    const char *p = str;

    for (guint i = 0; i < 6; i++) {
        guint v = 0, digits = 0;

        while (g_ascii_isxdigit(*p) && digits < 2) {
            v = v * 16 + g_ascii_xdigit_value(*p++);
            digits++;
        }
        if (digits == 0)
            return FALSE;
        mac[i] = v;
        if (i < 5 && *p++ != ':')
            return FALSE;
    }
    return *p == '\0';
}

static gboolean
parse_mac(CoreDomainNetDef *net, const xmlNode *node, GError **error)
{
    g_autofree char *addr = core_xml_prop(node, "address");
    char buf[18];

    if (!addr) {
        /* libvirt's default prefix for generated addresses (QEMU's OUI) */
        net->mac[0] = 0x52;
        net->mac[1] = 0x54;
        net->mac[2] = 0x00;
        for (guint i = 3; i < 6; i++)
            net->mac[i] = g_random_int_range(0, 256);
        return TRUE;
    }
    if (!mac_parse(addr, net->mac)) {
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "unable to parse mac address '%s'", addr);
    }
    if (net->mac[0] & 1) {
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "expected unicast mac address, found multicast '%s'",
                              core_domain_mac_format(net->mac, buf));
    }
    return TRUE;
}

static gboolean
parse_source(CoreDomainNetDef *net, const xmlNode *src, GError **error)
{
    const char *attr = NULL;

    if (g_str_equal(net->type, "network"))
        attr = "network";
    else if (g_str_equal(net->type, "bridge"))
        attr = "bridge";
    else if (g_str_equal(net->type, "direct"))
        attr = "dev";
    if (!attr)
        return TRUE;
    if (!src) {
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "interface type='%s' requires a 'source' element", net->type);
    }
    net->source = core_xml_prop(src, attr);
    if (!net->source) {
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "No <source> '%s' attribute specified with <interface type='%s'/>",
                              attr, net->type);
    }
    if (g_str_equal(net->type, "network"))
        net->source_portgroup = core_xml_prop(src, "portgroup");
    if (g_str_equal(net->type, "direct")) {
        if (!core_domain_prop_enum(src, "mode", direct_modes, &net->source_mode, error))
            return FALSE;
        if (!net->source_mode)
            net->source_mode = g_strdup("vepa");
    }
    return TRUE;
}

static gboolean
parse_details(CoreDomainNetDef *net, const xmlNode *node, GError **error)
{
    xmlNode *child;

    if ((child = core_xml_child(node, "target")))
        net->target_dev = core_xml_prop(child, "dev");
    if ((child = core_xml_child(node, "model"))) {
        net->model = core_xml_prop(child, "type");
        for (const char *p = net->model; p && *p; p++) {
            if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-') {
                return core_error_set(error, CORE_ERR_INVALID_ARG,
                                      "Model name contains invalid characters");
            }
        }
    }
    if ((child = core_xml_child(node, "link")) &&
        !core_domain_prop_enum(child, "state", link_states, &net->link_state, error))
        return FALSE;
    if ((child = core_xml_child(node, "mtu")) &&
        !core_domain_prop_uint(child, "size", &net->mtu, error))
        return FALSE;
    return TRUE;
}

CoreDomainNetDef *
core_domain_net_parse(const xmlNode *node, GError **error)
{
    g_autoptr(CoreDomainNetDef) net = g_new0(CoreDomainNetDef, 1);
    g_autofree char *trust = NULL;

    if (!core_domain_prop_enum(node, "type", net_types, &net->type, error))
        return NULL;
    if (!net->type) {
        core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                       "Missing required attribute 'type' in element 'interface'");
        return NULL;
    }
    if (core_xml_enum_from_string(net_types_supported, net->type) < 0) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "interface type '%s' is not supported", net->type);
        return NULL;
    }
    if (!core_domain_prop_yesno(node, "trustGuestRxFilters", &trust, error))
        return NULL;
    net->trust_guest_rx_filters_set = trust != NULL;
    net->trust_guest_rx_filters = g_strcmp0(trust, "yes") == 0;
    if (!parse_mac(net, core_xml_child(node, "mac"), error) ||
        !parse_source(net, core_xml_child(node, "source"), error) ||
        !parse_details(net, node, error) || !core_domain_info_parse(node, &net->info, error))
        return NULL;
    return g_steal_pointer(&net);
}

void
core_domain_net_format(CoreXmlWriter *w, const CoreDomainNetDef *net, guint flags)
{
    char mac[18];

    core_xml_writer_start(w, "interface");
    core_xml_writer_attr(w, "type", net->type);
    if (net->trust_guest_rx_filters_set)
        core_xml_writer_attr(w, "trustGuestRxFilters", net->trust_guest_rx_filters ? "yes" : "no");
    core_xml_writer_start(w, "mac");
    core_xml_writer_attr(w, "address", core_domain_mac_format(net->mac, mac));
    core_xml_writer_end(w);
    if (net->source) {
        core_xml_writer_start(w, "source");
        if (g_str_equal(net->type, "network")) {
            core_xml_writer_attr(w, "network", net->source);
            core_xml_writer_attr(w, "portgroup", net->source_portgroup);
        } else if (g_str_equal(net->type, "bridge")) {
            core_xml_writer_attr(w, "bridge", net->source);
        } else {
            core_xml_writer_attr(w, "dev", net->source);
            core_xml_writer_attr(w, "mode", net->source_mode);
        }
        core_xml_writer_end(w);
    }
    if (net->target_dev) {
        core_xml_writer_start(w, "target");
        core_xml_writer_attr(w, "dev", net->target_dev);
        core_xml_writer_end(w);
    }
    if (net->model) {
        core_xml_writer_start(w, "model");
        core_xml_writer_attr(w, "type", net->model);
        core_xml_writer_end(w);
    }
    if (net->link_state) {
        core_xml_writer_start(w, "link");
        core_xml_writer_attr(w, "state", net->link_state);
        core_xml_writer_end(w);
    }
    if (net->mtu) {
        core_xml_writer_start(w, "mtu");
        core_xml_writer_attrf(w, "size", "%u", net->mtu);
        core_xml_writer_end(w);
    }
    core_domain_info_format(w, &net->info, flags);
    core_xml_writer_end(w);
}
