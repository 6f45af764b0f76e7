/* core-network-format: the network model's construction and freeing, and
 * the model written back as XML in libvirt's layout (element and attribute
 * order, defaults printed or omitted exactly as libvirt's formatter does),
 * so that a network dumped through Vireo is byte-identical to libvirt's. */
#define CORE_FROM_THIS CORE_FROM_NETWORK

#include <string.h>

#include "core-network-conf.h"
#include "core-uuid.h"
#include "core-xml.h"

static const char *const tristates[] = { "absent", "yes", "no" };
static const char *const lease_units[] = { "seconds", "minutes", "hours" };

/* ---- construction and freeing ---- */

static void
dns_forwarder_free(CoreNetworkDnsForwarder *f)
{
    g_free(f->domain);
    g_free(f->addr);
    g_free(f);
}

static void
dns_txt_free(CoreNetworkDnsTxt *t)
{
    g_free(t->name);
    g_free(t->value);
    g_free(t);
}

static void
dns_srv_free(CoreNetworkDnsSrv *s)
{
    g_free(s->service);
    g_free(s->protocol);
    g_free(s->domain);
    g_free(s->target);
    g_free(s);
}

static void
dns_host_free(CoreNetworkDnsHost *h)
{
    g_free(h->ip);
    g_clear_pointer(&h->hostnames, g_ptr_array_unref);
    g_free(h);
}

static void
dhcp_range_free(CoreNetworkDhcpRange *r)
{
    g_free(r->start);
    g_free(r->end);
    g_free(r);
}

static void
dhcp_host_free(CoreNetworkDhcpHost *h)
{
    g_free(h->mac);
    g_free(h->id);
    g_free(h->name);
    g_free(h->ip);
    g_free(h);
}

static void
ip_def_free(CoreNetworkIpDef *ip)
{
    g_free(ip->family);
    g_free(ip->address);
    g_free(ip->netmask);
    g_free(ip->tftp_root);
    g_clear_pointer(&ip->ranges, g_ptr_array_unref);
    g_clear_pointer(&ip->hosts, g_ptr_array_unref);
    g_free(ip->bootp_file);
    g_free(ip->bootp_server);
    g_free(ip);
}

CoreNetworkIpDef *
core_network_ip_def_new(void)
{
    CoreNetworkIpDef *ip = g_new0(CoreNetworkIpDef, 1);

    ip->ranges = g_ptr_array_new_with_free_func((GDestroyNotify)dhcp_range_free);
    ip->hosts = g_ptr_array_new_with_free_func((GDestroyNotify)dhcp_host_free);
    return ip;
}

CoreNetworkDef *
core_network_def_new(void)
{
    CoreNetworkDef *def = g_new0(CoreNetworkDef, 1);

    def->stp = TRUE;
    def->forward_ifs = g_ptr_array_new_with_free_func(g_free);
    def->dns.forwarders = g_ptr_array_new_with_free_func((GDestroyNotify)dns_forwarder_free);
    def->dns.txts = g_ptr_array_new_with_free_func((GDestroyNotify)dns_txt_free);
    def->dns.srvs = g_ptr_array_new_with_free_func((GDestroyNotify)dns_srv_free);
    def->dns.hosts = g_ptr_array_new_with_free_func((GDestroyNotify)dns_host_free);
    def->ips = g_ptr_array_new_with_free_func((GDestroyNotify)ip_def_free);
    return def;
}

void
core_network_def_free(CoreNetworkDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->bridge);
    g_free(def->forward_mode);
    g_free(def->forward_dev);
    g_clear_pointer(&def->forward_ifs, g_ptr_array_unref);
    g_free(def->forward_pf);
    g_free(def->forward_driver);
    g_free(def->nat_addr_start);
    g_free(def->nat_addr_end);
    g_free(def->bridge_zone);
    g_free(def->mac_table_manager);
    g_free(def->mac);
    g_free(def->domain);
    g_clear_pointer(&def->dns.forwarders, g_ptr_array_unref);
    g_clear_pointer(&def->dns.txts, g_ptr_array_unref);
    g_clear_pointer(&def->dns.srvs, g_ptr_array_unref);
    g_clear_pointer(&def->dns.hosts, g_ptr_array_unref);
    g_clear_pointer(&def->ips, g_ptr_array_unref);
    g_free(def);
}

static const char *
tristate(int v)
{
    return v > 0 && v < 3 ? tristates[v] : NULL;
}

static void
format_dns(CoreXmlWriter *w, const CoreNetworkDef *def)
{
    gboolean children = def->dns.forwarders->len || def->dns.hosts->len || def->dns.srvs->len ||
                        def->dns.txts->len;

    if (!def->dns.enable && !def->dns.forward_plain_names && !children)
        return;
    core_xml_writer_start(w, "dns");
    core_xml_writer_attr(w, "enable", tristate(def->dns.enable));
    core_xml_writer_attr(w, "forwardPlainNames", tristate(def->dns.forward_plain_names));
    for (guint i = 0; i < def->dns.forwarders->len; i++) {
        const CoreNetworkDnsForwarder *f = g_ptr_array_index(def->dns.forwarders, i);

        core_xml_writer_start(w, "forwarder");
        core_xml_writer_attr(w, "domain", f->domain);
        core_xml_writer_attr(w, "addr", f->addr);
        core_xml_writer_end(w);
    }
    for (guint i = 0; i < def->dns.txts->len; i++) {
        const CoreNetworkDnsTxt *t = g_ptr_array_index(def->dns.txts, i);

        core_xml_writer_start(w, "txt");
        core_xml_writer_attr(w, "name", t->name);
        core_xml_writer_attr(w, "value", t->value);
        core_xml_writer_end(w);
    }
    for (guint i = 0; i < def->dns.srvs->len; i++) {
        const CoreNetworkDnsSrv *s = g_ptr_array_index(def->dns.srvs, i);

        if (!s->service || !s->protocol)
            continue;
        core_xml_writer_start(w, "srv");
        core_xml_writer_attr(w, "service", s->service);
        core_xml_writer_attr(w, "protocol", s->protocol);
        core_xml_writer_attr(w, "domain", s->domain);
        core_xml_writer_attr(w, "target", s->target);
        if (s->port)
            core_xml_writer_attrf(w, "port", "%u", s->port);
        if (s->priority)
            core_xml_writer_attrf(w, "priority", "%u", s->priority);
        if (s->weight)
            core_xml_writer_attrf(w, "weight", "%u", s->weight);
        core_xml_writer_end(w);
    }
    for (guint i = 0; i < def->dns.hosts->len; i++) {
        const CoreNetworkDnsHost *h = g_ptr_array_index(def->dns.hosts, i);

        core_xml_writer_start(w, "host");
        core_xml_writer_attr(w, "ip", h->ip);
        for (guint j = 0; h->hostnames && j < h->hostnames->len; j++)
            core_xml_writer_text_element(w, "hostname", g_ptr_array_index(h->hostnames, j));
        core_xml_writer_end_full(w);
    }
    core_xml_writer_end(w);
}

static void
format_lease(CoreXmlWriter *w, const CoreNetworkLease *lease)
{
    if (!lease->has_lease)
        return;
    core_xml_writer_start(w, "lease");
    core_xml_writer_attrf(w, "expiry", "%" G_GUINT64_FORMAT, lease->expiry);
    if (lease->expiry)
        core_xml_writer_attr(w, "unit", lease_units[lease->unit % 3]);
    core_xml_writer_end(w);
}

static void
format_dhcp(CoreXmlWriter *w, const CoreNetworkIpDef *ip)
{
    if (!ip->ranges->len && !ip->hosts->len)
        return;
    core_xml_writer_start(w, "dhcp");
    for (guint i = 0; i < ip->ranges->len; i++) {
        const CoreNetworkDhcpRange *r = g_ptr_array_index(ip->ranges, i);

        core_xml_writer_start(w, "range");
        core_xml_writer_attr(w, "start", r->start);
        core_xml_writer_attr(w, "end", r->end);
        format_lease(w, &r->lease);
        core_xml_writer_end(w);
    }
    for (guint i = 0; i < ip->hosts->len; i++) {
        const CoreNetworkDhcpHost *h = g_ptr_array_index(ip->hosts, i);

        core_xml_writer_start(w, "host");
        core_xml_writer_attr(w, "mac", h->mac);
        core_xml_writer_attr(w, "id", h->id);
        core_xml_writer_attr(w, "name", h->name);
        core_xml_writer_attr(w, "ip", h->ip);
        format_lease(w, &h->lease);
        core_xml_writer_end(w);
    }
    if (ip->bootp_file) {
        core_xml_writer_start(w, "bootp");
        core_xml_writer_attr(w, "file", ip->bootp_file);
        core_xml_writer_attr(w, "server", ip->bootp_server);
        core_xml_writer_end(w);
    }
    core_xml_writer_end(w);
}

static void
format_ip(CoreXmlWriter *w, const CoreNetworkIpDef *ip)
{
    core_xml_writer_start(w, "ip");
    core_xml_writer_attr(w, "family", ip->family);
    core_xml_writer_attr(w, "address", ip->address);
    core_xml_writer_attr(w, "netmask", ip->netmask);
    if (ip->prefix > 0)
        core_xml_writer_attrf(w, "prefix", "%u", ip->prefix);
    core_xml_writer_attr(w, "localPtr", tristate(ip->local_ptr));
    if (ip->tftp_root) {
        core_xml_writer_start(w, "tftp");
        core_xml_writer_attr(w, "root", ip->tftp_root);
        core_xml_writer_end(w);
    }
    format_dhcp(w, ip);
    /* libvirt always closes <ip> on its own line, even when empty */
    core_xml_writer_end_full(w);
}

static void
format_forward(CoreXmlWriter *w, const CoreNetworkDef *def)
{
    const char *mode = def->forward_mode;
    gboolean nat = g_strcmp0(mode, "nat") == 0;
    gboolean nat_body = nat && (def->nat_addr_start || def->nat_addr_end ||
                                def->nat_port_start || def->nat_port_end);

    if (!mode || g_str_equal(mode, "none"))
        return;
    core_xml_writer_start(w, "forward");
    if (!def->forward_pf && def->forward_ifs->len)
        core_xml_writer_attr(w, "dev", g_ptr_array_index(def->forward_ifs, 0));
    core_xml_writer_attr(w, "mode", mode);
    if (g_str_equal(mode, "hostdev"))
        core_xml_writer_attr(w, "managed", def->forward_managed ? "yes" : "no");
    if (def->forward_driver && !g_str_equal(def->forward_driver, "default")) {
        core_xml_writer_start(w, "driver");
        core_xml_writer_attr(w, "name", def->forward_driver);
        core_xml_writer_end(w);
    }
    if (nat && (nat_body || def->nat_ipv6)) {
        core_xml_writer_start(w, "nat");
        core_xml_writer_attr(w, "ipv6", tristate(def->nat_ipv6));
        if (def->nat_addr_start) {
            core_xml_writer_start(w, "address");
            core_xml_writer_attr(w, "start", def->nat_addr_start);
            core_xml_writer_attr(w, "end", def->nat_addr_end);
            core_xml_writer_end(w);
        }
        if (def->nat_port_start || def->nat_port_end) {
            core_xml_writer_start(w, "port");
            core_xml_writer_attrf(w, "start", "%u", def->nat_port_start);
            if (def->nat_port_end)
                core_xml_writer_attrf(w, "end", "%u", def->nat_port_end);
            core_xml_writer_end(w);
        }
        core_xml_writer_end(w);
    }
    if (def->forward_pf) {
        core_xml_writer_start(w, "pf");
        core_xml_writer_attr(w, "dev", def->forward_pf);
        core_xml_writer_end(w);
    }
    for (guint i = 0; !def->forward_pf && i < def->forward_ifs->len; i++) {
        core_xml_writer_start(w, "interface");
        core_xml_writer_attr(w, "dev", g_ptr_array_index(def->forward_ifs, i));
        core_xml_writer_end(w);
    }
    core_xml_writer_end(w);
}

static void
format_bridge(CoreXmlWriter *w, const CoreNetworkDef *def)
{
    const char *mode = def->forward_mode ? def->forward_mode : "none";
    gboolean has_bridge = g_str_equal(mode, "none") || g_str_equal(mode, "nat") ||
                          g_str_equal(mode, "route") || g_str_equal(mode, "open");

    if (!has_bridge && !def->bridge && !def->mac_table_manager)
        return;
    core_xml_writer_start(w, "bridge");
    core_xml_writer_attr(w, "name", def->bridge);
    core_xml_writer_attr(w, "zone", def->bridge_zone);
    if (has_bridge) {
        core_xml_writer_attr(w, "stp", def->stp ? "on" : "off");
        core_xml_writer_attrf(w, "delay", "%lu", def->delay);
    }
    core_xml_writer_attr(w, "macTableManager", def->mac_table_manager);
    core_xml_writer_end(w);
}

/**
 * core_network_def_format:
 * @def: the network
 * @flags: unused, 0 (no live-only data is modelled)
 *
 * Formats @def as libvirt does; parse(format(x)) formats identically.
 * Returns: (transfer full) the XML text.
 */
char *
core_network_def_format(const CoreNetworkDef *def, guint flags)
{
    CoreXmlWriter w;
    char uuid[CORE_UUID_STRING_BUFLEN];

    core_xml_writer_init(&w);
    core_xml_writer_start(&w, "network");
    if (def->ipv6_nogw)
        core_xml_writer_attr(&w, "ipv6", "yes");
    core_xml_writer_attr(&w, "trustGuestRxFilters", tristate(def->trust_guest_rx_filters));
    core_xml_writer_text_element(&w, "name", def->name);
    core_xml_writer_text_element(&w, "uuid", core_uuid_format(def->uuid, uuid));
    format_forward(&w, def);
    format_bridge(&w, def);
    if (def->mtu) {
        core_xml_writer_start(&w, "mtu");
        core_xml_writer_attrf(&w, "size", "%u", def->mtu);
        core_xml_writer_end(&w);
    }
    if (def->mac) {
        core_xml_writer_start(&w, "mac");
        core_xml_writer_attr(&w, "address", def->mac);
        core_xml_writer_end(&w);
    }
    if (def->domain) {
        core_xml_writer_start(&w, "domain");
        core_xml_writer_attr(&w, "name", def->domain);
        core_xml_writer_attr(&w, "localOnly", tristate(def->domain_local_only));
        core_xml_writer_end(&w);
    }
    format_dns(&w, def);
    for (guint i = 0; i < def->ips->len; i++)
        format_ip(&w, g_ptr_array_index(def->ips, i));
    core_xml_writer_end_full(&w);
    return core_xml_writer_finish(&w);
}

/**
 * core_network_def_copy:
 * Deep copy of @def through its XML form (the model has no hidden state).
 * Returns: (transfer full) the copy, NULL when @def does not validate.
 */
CoreNetworkDef *
core_network_def_copy(const CoreNetworkDef *def)
{
    g_autofree char *xml = core_network_def_format(def, 0);

    return core_network_def_parse_string(xml, 0, NULL);
}
