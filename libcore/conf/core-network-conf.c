/* core-network-conf: see core-network-conf.h.
 *
 * Error codes, messages and the order of the checks follow libvirt's
 * network parser (its messages are what clients show and what tests
 * compare), and the formatter reproduces libvirt's layout byte for byte.
 */
#define CORE_FROM_THIS CORE_FROM_NETWORK

#include "core-network-conf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "core-error.h"
#include "core-uuid.h"
#include "core-xml.h"

/* Longest service name libvirt accepts in a DNS SRV record. */
#define DNS_SRV_MAX_LEN (512 - 30)

#define NET_ERR(error, code, ...) core_xml_error((error), CORE_FROM_NETWORK, (code), __VA_ARGS__)

static const char *const forward_modes[] = {
    "none", "nat", "route", "open", "bridge", "private", "vepa", "passthrough", "hostdev", NULL,
};
static const char *const tristates[] = { "absent", "yes", "no", NULL };
static const char *const lease_units[] = { "seconds", "minutes", "hours", NULL };
static const char *const mac_table_managers[] = { "default", "kernel", "libvirt", NULL };
static const char *const forward_drivers[] = { "default", "kvm", "vfio", NULL };

/* ---- addresses ---- */

typedef struct {
    int family; /* AF_INET or AF_INET6 */
    guint8 b[16];
} NetAddr;

/* getaddrinfo() with AI_NUMERICHOST is what libvirt uses, so the same
 * spellings are accepted (including "1.2.3" meaning 1.2.0.3). */
static gboolean
addr_parse(const char *str, NetAddr *ret, GError **error)
{
    struct addrinfo hints = { .ai_flags = AI_NUMERICHOST, .ai_family = AF_UNSPEC };
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(str, NULL, &hints, &res);

    if (rc != 0 || !res) {
        g_autofree char *msg = g_strdup_printf("Cannot parse socket address '%s': %s", str,
                                               gai_strerror(rc));
        if (res)
            freeaddrinfo(res);
        return core_error_set_literal(error, CORE_FROM_NONE, CORE_ERR_SYSTEM_ERROR, msg);
    }
    memset(ret, 0, sizeof(*ret));
    ret->family = res->ai_family;
    if (res->ai_family == AF_INET)
        memcpy(ret->b, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
    else
        memcpy(ret->b, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
    freeaddrinfo(res);
    return TRUE;
}

static char *
addr_format(const NetAddr *a)
{
    char buf[INET6_ADDRSTRLEN];

    inet_ntop(a->family, a->b, buf, sizeof(buf));
    return g_strdup(buf);
}

/* Parses @str into its canonical text form. */
static char *
addr_canonical(const char *str, NetAddr *ret_addr, GError **error)
{
    NetAddr a;

    if (!addr_parse(str, &a, error))
        return NULL;
    if (ret_addr)
        *ret_addr = a;
    return addr_format(&a);
}

static guint
addr_len(const NetAddr *a)
{
    return a->family == AF_INET ? 4 : 16;
}

/* Number of leading one bits of a contiguous netmask, -1 otherwise. */
static int
netmask_bits(const NetAddr *m)
{
    int bits = 0;
    gboolean zero_seen = FALSE;

    for (guint i = 0; i < addr_len(m); i++) {
        for (int j = 7; j >= 0; j--) {
            gboolean one = (m->b[i] >> j) & 1;

            if (one && zero_seen)
                return -1;
            if (one)
                bits++;
            else
                zero_seen = TRUE;
        }
    }
    return bits;
}

static int
ip_prefix(const NetAddr *address, const NetAddr *netmask, guint prefix)
{
    if (prefix > 0)
        return prefix;
    if (netmask && netmask->family)
        return netmask_bits(netmask);
    if (address->family == AF_INET6)
        return 64;
    if ((address->b[0] & 0x80) == 0)
        return 8;
    if ((address->b[0] & 0xC0) == 0x80)
        return 16;
    if ((address->b[0] & 0xE0) == 0xC0)
        return 24;
    return -1;
}

int
core_network_ip_prefix(const CoreNetworkIpDef *ip)
{
    NetAddr a, m = { 0 };

    if (!ip->address || !addr_parse(ip->address, &a, NULL))
        return -1;
    if (ip->netmask && !addr_parse(ip->netmask, &m, NULL))
        return -1;
    return ip_prefix(&a, &m, ip->prefix);
}

/* Masks @a to its first @prefix bits. */
static NetAddr
addr_mask(const NetAddr *a, int prefix)
{
    NetAddr r = *a;

    for (guint i = 0; i < addr_len(a); i++) {
        int keep = CLAMP(prefix - (int)(i * 8), 0, 8);

        r.b[i] &= (guint8)(0xFF << (8 - keep));
    }
    return r;
}

static gboolean
addr_equal(const NetAddr *a, const NetAddr *b)
{
    return a->family == b->family && memcmp(a->b, b->b, addr_len(a)) == 0;
}

static gboolean
range_error(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean
range_error(GError **error, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_INTERNAL_ERROR, "%s", msg);
}

/* libvirt's sanity check of an address range, optionally within the
 * network @net/@prefix (messages kept verbatim, trailing blanks included). */
G_GNUC_NO_INLINE static gboolean
range_check(const NetAddr *s, const NetAddr *e, const NetAddr *net, int prefix, GError **error)
{
    g_autofree char *ss = addr_format(s);
    g_autofree char *es = addr_format(e);

    if (s->family != e->family)
        return range_error(error, "mismatch of address family in range %s - %s", ss, es);
    if (net) {
        g_autofree char *ns = addr_format(net);
        int max = net->family == AF_INET ? 32 : 128;

        if (s->family != net->family)
            return range_error(error, "mismatch of address family in range %s - %s for network %s",
                               ss, es, ns);
        if (prefix < 0 || prefix > max)
            return range_error(error,
                               "bad prefix %d for network %s when  checking range %s - %s",
                               prefix, ns, ss, es);
        NetAddr nm = addr_mask(net, prefix), sm = addr_mask(s, prefix), em = addr_mask(e, prefix);
        if (!addr_equal(&sm, &nm) || !addr_equal(&em, &nm))
            return range_error(error, "range %s - %s is not entirely within network %s/%d", ss,
                               es, ns, prefix);
        if (s->family == AF_INET) {
            NetAddr ones = { AF_INET, { 0xFF, 0xFF, 0xFF, 0xFF } };
            NetAddr mask = addr_mask(&ones, prefix);
            NetAddr bc = nm;

            for (guint i = 0; i < 4; i++)
                bc.b[i] |= (guint8)~mask.b[i];
            if (addr_equal(s, &nm))
                return range_error(error,
                                   "start of range %s - %s in network %s/%d is the network address",
                                   ss, es, ns, prefix);
            if (addr_equal(e, &bc))
                return range_error(error,
                                   "end of range %s - %s in network %s/%d is the broadcast address",
                                   ss, es, ns, prefix);
        }
    }
    if (s->family == AF_INET) {
        guint32 t1 = ((guint32)s->b[0] << 24) | (s->b[1] << 16) | (s->b[2] << 8) | s->b[3];
        guint32 t2 = ((guint32)e->b[0] << 24) | (e->b[1] << 16) | (e->b[2] << 8) | e->b[3];

        if ((gint64)t2 - (gint64)t1 + 1 < 1)
            return range_error(error, "range %s - %s is reversed ", ss, es);
        return TRUE;
    }
    if (memcmp(s->b, e->b, 14) != 0)
        return range_error(error, "range %s - %s is too large (> 65535)", ss, es);
    if (((e->b[14] << 8) | e->b[15]) - ((s->b[14] << 8) | s->b[15]) + 1 < 1)
        return range_error(error, "range %s - %s start larger than end", ss, es);
    return TRUE;
}

/* libvirt's MAC syntax: six groups of one or two hex digits. */
static gboolean
mac_parse(const char *str, guint8 mac[6])
{
    for (guint i = 0; i < 6; i++) {
        char *end = NULL;
        gulong v;

        if (!g_ascii_isxdigit(*str))
            return FALSE;
        v = strtoul(str, &end, 16);
        if (end - str < 1 || end - str > 2 || v > 0xFF)
            return FALSE;
        mac[i] = (guint8)v;
        if (i == 5 && (unsigned char)*end <= ' ')
            return TRUE;
        if (*end != ':')
            return FALSE;
        str = end + 1;
    }
    return FALSE;
}

/* ---- typed attributes (virxml's messages) ---- */

static int
prop_tristate(const xmlNode *node, const char *name, int *ret, GError **error)
{
    g_autofree char *v = core_xml_prop(node, name);
    int i;

    if (!v)
        return 0;
    i = core_xml_enum_from_string(tristates, v);
    if (i <= 0) {
        return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                              "Invalid value for attribute '%s' in element '%s': '%s'.", name,
                              (const char *)node->name, v) - 1;
    }
    *ret = i;
    return 1;
}

/* libvirt's unsigned int syntax: strtoul's (blanks and a sign allowed),
 * and "-N" means UINT_MAX + 1 - N, so "-1" is the largest value. */
static gboolean
parse_uint_lax(const char *str, guint *ret)
{
    char *end = NULL;
    gulong v;

    errno = 0;
    v = strtoul(str, &end, 10);
    if (errno || end == str || *end)
        return FALSE;
    if (memchr(str, '-', end - str)) {
        if (-v > G_MAXUINT)
            return FALSE;
        v &= G_MAXUINT;
    }
    if (v > G_MAXUINT)
        return FALSE;
    *ret = (guint)v;
    return TRUE;
}

/* virXPathUInt's contract: 0 found, -1 absent, -2 not a number. */
static int
attr_uint(const xmlNode *node, const char *name, guint *ret)
{
    g_autofree char *v = core_xml_prop(node, name);

    if (!v || !*v)
        return -1;
    return parse_uint_lax(v, ret) ? 0 : -2;
}


/* ---- parsing: dns ---- */

static gboolean
parse_dns_host(const char *net, xmlNode *node, CoreNetworkDef *def, GError **error)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *ip = core_xml_prop(node, "ip");
    CoreNetworkDnsHost *h;

    CORE_XML_CHILD_FOREACH (node, c) {
        if (!core_xml_is(c, "hostname"))
            continue;
        g_ptr_array_add(names, core_xml_content(c));
        if (!*(char *)g_ptr_array_index(names, names->len - 1))
            break;
    }
    if (names->len == 0 || !*(char *)g_ptr_array_index(names, names->len - 1))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "Missing hostname in network '%s' DNS HOST record", net);
    if (!ip)
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "Missing IP address in network '%s' DNS HOST record", net);
    h = g_new0(CoreNetworkDnsHost, 1);
    h->hostnames = g_steal_pointer(&names);
    g_ptr_array_add(def->dns.hosts, h);
    if (!(h->ip = addr_canonical(ip, NULL, NULL)))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "Invalid IP address in network '%s' DNS HOST record", net);
    return TRUE;
}

/* Checks an optional SRV number: libvirt's "not permitted without target"
 * and "invalid" rules. */
static gboolean
parse_srv_number(const char *net, xmlNode *node, CoreNetworkDnsSrv *s, const char *attr,
                 guint min, const char *invalid, guint *ret, GError **error)
{
    int rc = attr_uint(node, attr, ret);

    if (rc >= 0 && !s->target)
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "DNS SRV %s attribute not permitted without target for service '%s' in "
                       "network '%s'", attr, s->service, net);
    if (rc == -2 || (rc >= 0 && (*ret < min || *ret > 65535)))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "%s DNS SRV %s attribute for service '%s' in network '%s'", invalid, attr,
                       s->service, net);
    return TRUE;
}

static gboolean
parse_dns_srv(const char *net, xmlNode *node, CoreNetworkDef *def, GError **error)
{
    const char *service_chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_-+/*";
    CoreNetworkDnsSrv *s = g_new0(CoreNetworkDnsSrv, 1);

    g_ptr_array_add(def->dns.srvs, s);
    if (!(s->service = core_xml_prop(node, "service")))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "missing required service attribute in DNS SRV record of network '%s'",
                       net);
    if (strlen(s->service) > DNS_SRV_MAX_LEN)
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "service attribute '%s' in network '%s' is too long, limit is %d bytes",
                       s->service, net, DNS_SRV_MAX_LEN);
    if (strspn(s->service, service_chars) < strlen(s->service))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "invalid character in service attribute '%s' in DNS SRV record of "
                       "network '%s'", s->service, net);
    if (!(s->protocol = core_xml_prop(node, "protocol")))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "missing required protocol attribute in DNS SRV record '%s' of network "
                       "'%s'", s->service, net);
    if (strspn(s->protocol, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+/") <
        strlen(s->protocol))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "invalid character in protocol attribute '%s' in DNS SRV record of "
                       "network '%s'", s->protocol, net);
    s->domain = core_xml_prop(node, "domain");
    s->target = core_xml_prop(node, "target");
    return parse_srv_number(net, node, s, "port", 1, "invalid", &s->port, error) &&
           parse_srv_number(net, node, s, "priority", 0, "Invalid", &s->priority, error) &&
           parse_srv_number(net, node, s, "weight", 0, "invalid", &s->weight, error);
}

static gboolean
parse_dns_txt(const char *net, xmlNode *node, CoreNetworkDef *def, GError **error)
{
    CoreNetworkDnsTxt *t = g_new0(CoreNetworkDnsTxt, 1);

    g_ptr_array_add(def->dns.txts, t);
    if (!(t->name = core_xml_prop(node, "name")))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "missing required name attribute in DNS TXT record of network %s", net);
    if (strcspn(t->name, " ,") != strlen(t->name))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "prohibited character in DNS TXT record name '%s' of network %s", t->name,
                       net);
    if (!(t->value = core_xml_prop(node, "value")))
        return NET_ERR(error, CORE_ERR_XML_DETAIL,
                       "missing required value attribute in DNS TXT record named '%s' of "
                       "network %s", t->name, net);
    return TRUE;
}

/* kept out of line: inlined, the parser's frame grows past the limit */
G_GNUC_NO_INLINE static gboolean
parse_dns(const char *net, xmlNode *node, CoreNetworkDef *def, GError **error)
{
    if (prop_tristate(node, "enable", &def->dns.enable, error) < 0 ||
        prop_tristate(node, "forwardPlainNames", &def->dns.forward_plain_names, error) < 0)
        return FALSE;
    CORE_XML_CHILD_FOREACH (node, c) {
        CoreNetworkDnsForwarder *f;
        g_autofree char *addr = NULL;

        if (!core_xml_is(c, "forwarder"))
            continue;
        f = g_new0(CoreNetworkDnsForwarder, 1);
        g_ptr_array_add(def->dns.forwarders, f);
        addr = core_xml_prop(c, "addr");
        if (addr && !(f->addr = addr_canonical(addr, NULL, NULL)))
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "Invalid forwarder IP address '%s' in network '%s'", addr, net);
        f->domain = core_xml_prop(c, "domain");
        if (!addr && !f->domain)
            return NET_ERR(error, CORE_ERR_XML_ERROR, "%s",
                           "Invalid forwarder element, must contain at least one of addr or "
                           "domain");
    }
    CORE_XML_CHILD_FOREACH (node, c) {
        if (core_xml_is(c, "host") && !parse_dns_host(net, c, def, error))
            return FALSE;
    }
    CORE_XML_CHILD_FOREACH (node, c) {
        if (core_xml_is(c, "srv") && !parse_dns_srv(net, c, def, error))
            return FALSE;
    }
    CORE_XML_CHILD_FOREACH (node, c) {
        if (core_xml_is(c, "txt") && !parse_dns_txt(net, c, def, error))
            return FALSE;
    }
    if (def->dns.enable == CORE_NETWORK_TRISTATE_NO &&
        (def->dns.forwarders->len || def->dns.hosts->len || def->dns.srvs->len ||
         def->dns.txts->len))
        return NET_ERR(error, CORE_ERR_XML_ERROR, "Extra data in disabled network '%s'", net);
    return TRUE;
}

/* ---- parsing: ip and dhcp ---- */

static gboolean
parse_lease(xmlNode *parent, CoreNetworkLease *lease, GError **error)
{
    xmlNode *node = core_xml_child(parent, "lease");
    g_autofree char *unit = NULL;
    int rc;

    if (!node)
        return TRUE;
    if ((rc = core_xml_prop_uint(node, "expiry", 0, G_MAXUINT64, &lease->expiry, error)) <= 0)
        return rc == 0;
    lease->unit = CORE_NETWORK_LEASE_MINUTES;
    if ((unit = core_xml_prop(node, "unit"))) {
        int u = core_xml_enum_from_string(lease_units, unit);

        if (u < 0)
            return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                                  "Invalid value for attribute 'unit' in element 'lease': '%s'.",
                                  unit);
        lease->unit = u;
    }
    if (lease->expiry > 0 &&
        ((lease->unit == CORE_NETWORK_LEASE_SECONDS && lease->expiry < 120) ||
         (lease->unit == CORE_NETWORK_LEASE_MINUTES && lease->expiry < 2)))
        return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED, "%s",
                       "The minimum lease time should be greater than 2 minutes");
    lease->has_lease = TRUE;
    return TRUE;
}

G_GNUC_NO_INLINE static gboolean
parse_dhcp_range(const char *net, CoreNetworkIpDef *ip, const NetAddr *address, int prefix,
                 xmlNode *node, GError **error)
{
    g_autofree char *start = core_xml_prop(node, "start");
    g_autofree char *end = NULL;
    CoreNetworkDhcpRange *r;
    NetAddr s, e;

    if (!start)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Missing 'start' attribute in dhcp range for network '%s'", net);
    if (!addr_parse(start, &s, error))
        return FALSE;
    if (!(end = core_xml_prop(node, "end")))
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Missing 'end' attribute in dhcp range for network '%s'", net);
    if (!addr_parse(end, &e, error) || !range_check(&s, &e, address, prefix, error))
        return FALSE;
    r = g_new0(CoreNetworkDhcpRange, 1);
    r->start = addr_format(&s);
    r->end = addr_format(&e);
    g_ptr_array_add(ip->ranges, r);
    return parse_lease(node, &r->lease, error);
}

G_GNUC_NO_INLINE static gboolean
parse_dhcp_host(const char *net, CoreNetworkIpDef *ip, gboolean v6, xmlNode *node,
                GError **error)
{
    CoreNetworkDhcpHost *h = g_new0(CoreNetworkDhcpHost, 1);
    g_autofree char *ipstr = NULL;
    guint8 mac[6];

    g_ptr_array_add(ip->hosts, h);
    if ((h->mac = core_xml_prop(node, "mac"))) {
        if (v6)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "Invalid to specify MAC address '%s' in network '%s' IPv6 static "
                           "host definition", h->mac, net);
        if (!mac_parse(h->mac, mac))
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "Cannot parse MAC address '%s' in network '%s'", h->mac, net);
        if (mac[0] & 1)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "expected unicast mac address, found multicast '%s' in network '%s'",
                           h->mac, net);
    }
    if ((h->id = core_xml_prop(node, "id"))) {
        const char *cp = h->id + strspn(h->id, "0123456789abcdefABCDEF:");

        if (*cp)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "Invalid character '%c' in id '%s' of network '%s'", *cp, h->id, net);
    }
    h->name = core_xml_prop(node, "name");
    if (h->name && !g_ascii_isalnum(h->name[0]))
        return NET_ERR(error, CORE_ERR_XML_ERROR, "Cannot use host name '%s' in network '%s'",
                       h->name, net);
    ipstr = core_xml_prop(node, "ip");
    if (ipstr && !(h->ip = addr_canonical(ipstr, NULL, NULL)))
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Invalid IP address in static host definition for network '%s'", net);
    if (v6 && !h->id && !h->name)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Static host definition in IPv6 network '%s' must have id or name "
                       "attribute", net);
    if (!v6 && !h->mac && !h->name)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Static host definition in IPv4 network '%s' must have mac or name "
                       "attribute", net);
    if (!ipstr)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Missing IP address in static host definition for network '%s'", net);
    return parse_lease(node, &h->lease, error);
}

static gboolean
parse_dhcp(const char *net, CoreNetworkIpDef *ip, const NetAddr *address, int prefix,
           xmlNode *node, GError **error)
{
    xmlNode *bootp = core_xml_child(node, "bootp");

    CORE_XML_CHILD_FOREACH (node, c) {
        if (core_xml_is(c, "range") && !parse_dhcp_range(net, ip, address, prefix, c, error))
            return FALSE;
    }
    CORE_XML_CHILD_FOREACH (node, c) {
        if (core_xml_is(c, "host") &&
            !parse_dhcp_host(net, ip, address->family == AF_INET6, c, error))
            return FALSE;
    }
    /* libvirt ignores a <bootp> without a file */
    if (bootp && address->family == AF_INET && (ip->bootp_file = core_xml_prop(bootp, "file"))) {
        g_autofree char *server = core_xml_prop(bootp, "server");

        if (server && !(ip->bootp_server = addr_canonical(server, NULL, error)))
            return FALSE;
    }
    return TRUE;
}

/* Family rules of an <ip> element. */
static gboolean
check_ip_family(const char *net, const CoreNetworkIpDef *ip, const char *address,
                const NetAddr *a, const NetAddr *m, GError **error)
{
    if (!ip->family || g_str_equal(ip->family, "ipv4")) {
        if (a->family != AF_INET)
            return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                           "%s family specified for non-IPv4 address '%s' in network '%s'",
                           ip->family ? "ipv4" : "no", address, net);
        if (ip->netmask && m->family != AF_INET)
            return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                           "Invalid netmask '%s' for address '%s' in network '%s' (both must "
                           "be IPv4)", ip->netmask, address, net);
        if (ip->netmask && ip->prefix > 0)
            return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                           "Network '%s' IP address cannot have both a prefix and a netmask",
                           net);
        if (!ip->netmask && ip->prefix > 32)
            return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                           "Invalid IPv4 prefix '%u' in network '%s'", ip->prefix, net);
    } else if (g_str_equal(ip->family, "ipv6")) {
        if (a->family != AF_INET6)
            return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                           "Family 'ipv6' specified for non-IPv6 address '%s' in network '%s'",
                           address, net);
        if (ip->netmask)
            return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                           "netmask not allowed for IPv6 address '%s' in network '%s'",
                           address, net);
        if (ip->prefix > 128)
            return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                           "Invalid IPv6 prefix '%u' in network '%s'", ip->prefix, net);
    } else {
        return NET_ERR(error, CORE_ERR_XML_ERROR, "Unrecognized family '%s' in network '%s'",
                       ip->family, net);
    }
    return TRUE;
}

G_GNUC_NO_INLINE static gboolean
parse_ip(const char *net, xmlNode *node, CoreNetworkDef *def, GError **error)
{
    CoreNetworkIpDef *ip = core_network_ip_def_new();
    g_autofree char *address = core_xml_prop(node, "address");
    g_autofree char *netmask = NULL;
    guint64 prefix = 0;
    NetAddr a, m = { 0 };
    xmlNode *dhcp, *tftp;

    g_ptr_array_add(def->ips, ip);
    ip->family = core_xml_prop(node, "family");
    if (!address || !*address)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Missing required address attribute in network '%s'", net);
    if (!(ip->address = addr_canonical(address, &a, NULL)))
        return NET_ERR(error, CORE_ERR_XML_ERROR, "Invalid address '%s' in network '%s'",
                       address, net);
    netmask = core_xml_prop(node, "netmask");
    if (netmask && *netmask && !(ip->netmask = addr_canonical(netmask, &m, NULL)))
        return NET_ERR(error, CORE_ERR_XML_ERROR, "Invalid netmask '%s' in network '%s'",
                       netmask, net);
    if (core_xml_prop_uint(node, "prefix", 10, G_MAXUINT, &prefix, error) < 0 ||
        prop_tristate(node, "localPtr", &ip->local_ptr, error) < 0)
        return FALSE;
    ip->prefix = (guint)prefix;
    if (!check_ip_family(net, ip, address, &a, &m, error))
        return FALSE;
    if ((dhcp = core_xml_child(node, "dhcp")) &&
        !parse_dhcp(net, ip, &a, ip_prefix(&a, &m, ip->prefix), dhcp, error))
        return FALSE;
    if ((tftp = core_xml_child(node, "tftp"))) {
        if (a.family != AF_INET)
            return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                           "Unsupported <tftp> element in an IPv6 element in network '%s'", net);
        ip->tftp_root = core_xml_prop(tftp, "root");
    }
    return TRUE;
}

/* ---- parsing: forward ---- */

G_GNUC_NO_INLINE static gboolean
parse_nat(const char *net, xmlNode *node, CoreNetworkDef *def, GError **error)
{
    xmlNode *addr = NULL, *port = NULL;
    guint naddr = 0, nport = 0;
    g_autofree char *start = NULL, *end = NULL;
    NetAddr s, e;

    if (g_strcmp0(def->forward_mode, "nat") != 0)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "The <nat> element can only be used when <forward> 'mode' is 'nat' in "
                       "network %s", net);
    if (prop_tristate(node, "ipv6", &def->nat_ipv6, error) < 0)
        return FALSE;
    CORE_XML_CHILD_FOREACH (node, c) {
        if (core_xml_is(c, "address") && naddr++ == 0)
            addr = c;
        if (core_xml_is(c, "port") && nport++ == 0)
            port = c;
    }
    if (naddr > 1)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Only one <address> element is allowed in <nat> in <forward> in network "
                       "%s", net);
    if (addr && !(start = core_xml_prop(addr, "start")))
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "missing 'start' attribute in <address> element in <nat> in <forward> "
                       "in network %s", net);
    if (addr && !(end = core_xml_prop(addr, "end")))
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "missing 'end' attribute in <address> element in <nat> in <forward> in "
                       "network %s", net);
    if (addr) {
        if (!addr_parse(start, &s, NULL) || s.family != AF_INET)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "Bad ipv4 start address '%s' in <nat> in <forward> in network '%s'",
                           start, net);
        if (!addr_parse(end, &e, NULL) || e.family != AF_INET)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "Bad ipv4 end address '%s' in <nat> in <forward> in network '%s'",
                           end, net);
        if (!range_check(&s, &e, NULL, 0, error))
            return FALSE;
        def->nat_addr_start = addr_format(&s);
        def->nat_addr_end = addr_format(&e);
    }
    if (nport > 1)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Only one <port> element is allowed in <nat> in <forward> in network %s",
                       net);
    if (port) {
        if (attr_uint(port, "start", &def->nat_port_start) < 0 || def->nat_port_start > 65535)
            return NET_ERR(error, CORE_ERR_XML_DETAIL,
                           "Missing or invalid 'start' attribute in <port> in <nat> in "
                           "<forward> in network %s", net);
        if (attr_uint(port, "end", &def->nat_port_end) < 0 || def->nat_port_end > 65535 ||
            def->nat_port_end < def->nat_port_start)
            return NET_ERR(error, CORE_ERR_XML_DETAIL,
                           "Missing or invalid 'end' attribute in <port> in <nat> in <forward> "
                           "in network %s", net);
    }
    return TRUE;
}

static gboolean
parse_forward_ifs(const char *net, xmlNode *node, CoreNetworkDef *def, GError **error)
{
    guint i = 0;

    CORE_XML_CHILD_FOREACH (node, c) {
        g_autofree char *dev = NULL;

        if (!core_xml_is(c, "interface"))
            continue;
        if (!(dev = core_xml_prop(c, "dev")))
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "Missing required dev attribute in <forward> <interface> element of "
                           "network %s", net);
        if (i++ == 0 && def->forward_dev) {
            if (!g_str_equal(dev, def->forward_dev))
                return NET_ERR(error, CORE_ERR_XML_ERROR,
                               "<forward dev='%s'> must match first <interface dev='%s'/> in "
                               "network %s", def->forward_dev, dev, net);
            continue;
        }
        for (guint j = 0; j < def->forward_ifs->len; j++) {
            if (g_str_equal(g_ptr_array_index(def->forward_ifs, j), dev))
                return NET_ERR(error, CORE_ERR_XML_ERROR,
                               "interface '%s' can only be listed once in network %s", dev, net);
        }
        g_ptr_array_add(def->forward_ifs, g_steal_pointer(&dev));
    }
    return TRUE;
}

G_GNUC_NO_INLINE static gboolean
parse_forward(const char *net, xmlNode *node, CoreNetworkDef *def, GError **error)
{
    g_autofree char *mode = core_xml_prop(node, "mode");
    g_autofree char *managed = core_xml_prop(node, "managed");
    xmlNode *drv = core_xml_child(node, "driver"), *nat = NULL, *pf = NULL;
    guint nnat = 0, npf = 0, naddr = 0;

    if (mode && core_xml_enum_from_string(forward_modes, mode) < 0)
        return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown forwarding type '%s'", mode);
    def->forward_mode = g_strdup(mode ? mode : "nat");
    def->forward_managed = managed && g_ascii_strcasecmp(managed, "yes") == 0;
    def->forward_driver = core_xml_prop(drv, "name");
    if (def->forward_driver && core_xml_enum_from_string(forward_drivers, def->forward_driver) <= 0)
        return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "Unknown forward <driver name='%s'/> in network %s", def->forward_driver,
                       net);
    CORE_XML_CHILD_FOREACH (node, c) {
        if (core_xml_is(c, "nat") && nnat++ == 0)
            nat = c;
        if (core_xml_is(c, "pf") && npf++ == 0)
            pf = c;
        naddr += core_xml_is(c, "address");
    }
    if (nnat > 1)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Only one <nat> element is allowed in <forward> of network %s", net);
    if (nat && !parse_nat(net, nat, def, error))
        return FALSE;
    def->forward_dev = core_xml_prop(node, "dev");
    if (def->forward_dev && (naddr > 0 || npf > 0))
        return NET_ERR(error, CORE_ERR_XML_ERROR, "%s",
                       "the <forward> 'dev' attribute cannot be used when <address> or <pf> "
                       "sub-elements are present in network %1$s");
    if (def->forward_dev)
        g_ptr_array_add(def->forward_ifs, g_strdup(def->forward_dev));
    if (!parse_forward_ifs(net, node, def, error))
        return FALSE;
    if (def->forward_ifs->len == 0 && naddr > 0)
        return NET_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "PCI <address> pools in <forward> are not supported (network '%s')", net);
    if (def->forward_ifs->len == 0 && npf > 1)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Only one <pf> element is allowed in <forward> of network %s", net);
    if (def->forward_ifs->len == 0 && pf && !(def->forward_pf = core_xml_prop(pf, "dev")))
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Missing required dev attribute in <pf> element of network '%s'", net);
    return TRUE;
}

/* Settings that must agree with the forward mode (libvirt's rules). */
G_GNUC_NO_INLINE static gboolean
check_forward_mode(const CoreNetworkDef *def, GError **error)
{
    const char *mode = def->forward_mode ? def->forward_mode : "none";
    const char *net = def->name;
    gboolean l3 = g_str_equal(mode, "nat") || g_str_equal(mode, "route") ||
                  g_str_equal(mode, "open");
    gboolean bridge = g_str_equal(mode, "bridge");

    if (l3 && def->ips->len == 0)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "%s forwarding requested, but no IP address provided for network '%s'",
                       mode, net);
    if (l3 && def->forward_ifs->len > 1)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "multiple forwarding interfaces specified for network '%s', only one is "
                       "supported", net);
    if (g_str_equal(mode, "open") && def->forward_ifs->len)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "forward dev not allowed for network '%s' with forward mode='%s'", net,
                       mode);
    if (!l3 && !bridge && !g_str_equal(mode, "none")) {
        if (def->bridge)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "bridge name not allowed in %s mode (network '%s')", mode, net);
        if (def->bridge_zone)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "bridge zone not allowed in %s mode (network '%s')", mode, net);
        if (def->mac_table_manager)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "bridge macTableManager setting not allowed in %s mode (network "
                           "'%s')", mode, net);
    }
    if (!l3 && !g_str_equal(mode, "none")) {
        if (def->delay || def->stp_specified || def->bridge_zone)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "bridge delay/stp/zone options only allowed in route, nat, and "
                           "isolated mode, not in %s (network '%s')", mode, net);
        if (def->bridge && (def->forward_ifs->len || def->forward_pf))
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "A network with forward mode='%s' can specify a bridge name or a "
                           "forward dev, but not both (network '%s')", mode, net);
        if (def->mtu)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "mtu size only allowed in open, route, nat, and isolated mode, not in "
                           "%s (network '%s')", mode, net);
    }
    return TRUE;
}

/* ---- parsing: the network ---- */

G_GNUC_NO_INLINE static gboolean
parse_bridge(xmlXPathContext *ctxt, CoreNetworkDef *def, GError **error)
{
    g_autofree char *stp = core_xml_xpath_string(ctxt, "./bridge[1]/@stp");
    g_autofree char *delay = core_xml_xpath_string(ctxt, "./bridge[1]/@delay");
    g_autofree char *mtm = core_xml_xpath_string(ctxt, "./bridge[1]/@macTableManager");
    guint64 v;

    def->bridge = core_xml_xpath_string(ctxt, "./bridge[1]/@name");
    def->bridge_zone = core_xml_xpath_string(ctxt, "./bridge[1]/@zone");
    def->stp = !(stp && g_str_equal(stp, "off"));
    def->stp_specified = stp != NULL;
    if (delay) {
        if (!core_xml_parse_ull(delay, 10, G_MAXLONG, &v))
            return NET_ERR(error, CORE_ERR_XML_ERROR, "Invalid delay value in network '%s'",
                           def->name);
        def->delay = (gulong)v;
    }
    if (mtm && core_xml_enum_from_string(mac_table_managers, mtm) <= 0)
        return NET_ERR(error, CORE_ERR_XML_ERROR,
                       "Invalid macTableManager setting '%s' in network '%s'", mtm, def->name);
    def->mac_table_manager = g_steal_pointer(&mtm);
    return TRUE;
}

G_GNUC_NO_INLINE static gboolean
parse_mac_mtu(xmlXPathContext *ctxt, CoreNetworkDef *def, GError **error)
{
    g_autofree char *mac = core_xml_xpath_string(ctxt, "./mac[1]/@address");
    g_autofree char *mtu = core_xml_xpath_string(ctxt, "./mtu/@size");
    guint8 m[6];

    if (mac) {
        if (!mac_parse(mac, m))
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "Invalid bridge mac address '%s' in network '%s'", mac, def->name);
        if (m[0] & 1)
            return NET_ERR(error, CORE_ERR_XML_ERROR,
                           "Invalid multicast bridge mac address '%s' in network '%s'", mac,
                           def->name);
        def->mac = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                                   m[5]);
    }
    if (mtu && !parse_uint_lax(mtu, &def->mtu))
        return NET_ERR(error, CORE_ERR_XML_ERROR, "Invalid mtu size '%s' in network '%s'", mtu,
                       def->name);
    return TRUE;
}

G_GNUC_NO_INLINE static gboolean
parse_header(xmlXPathContext *ctxt, CoreNetworkDef *def, GError **error)
{
    xmlNode *root = ctxt->node;
    g_autofree char *uuid = NULL;
    g_autofree char *ipv6 = NULL;
    xmlNode *dom;

    if (!(def->name = core_xml_xpath_string(ctxt, "./name[1]")))
        return core_error_set(error, CORE_ERR_NO_NAME, NULL);
    if (strchr(def->name, '/'))
        return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_DETAIL,
                              "invalid char in name: /");
    if (!(uuid = core_xml_xpath_string(ctxt, "./uuid[1]")))
        core_uuid_generate(def->uuid);
    else if (!core_uuid_parse(uuid, def->uuid, NULL))
        return NET_ERR(error, CORE_ERR_INTERNAL_ERROR, "%s", "malformed uuid element");
    if ((ipv6 = core_xml_prop(root, "ipv6"))) {
        if (!g_str_equal(ipv6, "yes") && !g_str_equal(ipv6, "no"))
            return NET_ERR(error, CORE_ERR_XML_ERROR, "Invalid ipv6 setting '%s' in network '%s'",
                           ipv6, def->name);
        def->ipv6_nogw = g_str_equal(ipv6, "yes");
    }
    if (prop_tristate(root, "trustGuestRxFilters", &def->trust_guest_rx_filters, error) < 0)
        return FALSE;
    dom = core_xml_xpath_node(ctxt, "./domain[1]");
    def->domain = core_xml_prop(dom, "name");
    return !dom || prop_tristate(dom, "localOnly", &def->domain_local_only, error) >= 0;
}

static CoreNetworkDef *
parse_network(xmlXPathContext *ctxt, GError **error)
{
    g_autoptr(CoreNetworkDef) def = core_network_def_new();
    xmlNode *root = ctxt->node, *dns, *fwd;

    if (!parse_header(ctxt, def, error) || !parse_bridge(ctxt, def, error) ||
        !parse_mac_mtu(ctxt, def, error))
        return NULL;
    if ((dns = core_xml_child(root, "dns")) && !parse_dns(def->name, dns, def, error))
        return NULL;
    CORE_XML_CHILD_FOREACH (root, c) {
        if (core_xml_is(c, "ip") && !parse_ip(def->name, c, def, error))
            return NULL;
    }
    if ((fwd = core_xml_child(root, "forward")) && !parse_forward(def->name, fwd, def, error))
        return NULL;
    if (!check_forward_mode(def, error))
        return NULL;
    return g_steal_pointer(&def);
}

/**
 * core_network_def_parse_string:
 * @xml: a <network> document
 * @flags: unused, 0
 * @error: CORE_ERR_XML_DETAIL (not well-formed), CORE_ERR_XML_ERROR,
 *     CORE_ERR_NO_NAME, CORE_ERR_CONFIG_UNSUPPORTED, CORE_ERR_INTERNAL_ERROR
 *     (bad uuid, bad ranges) or CORE_ERR_SYSTEM_ERROR (unparsable address),
 *     with libvirt's messages
 *
 * Parses and validates a network definition. A missing <uuid> gets a
 * random one.
 * Returns: (transfer full) the definition, NULL on error.
 */
CoreNetworkDef *
core_network_def_parse_string(const char *xml, guint flags, GError **error)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;

    if (!(doc = core_xml_parse(xml, "network_definition", "network", CORE_FROM_NETWORK, error)))
        return NULL;
    ctxt = core_xml_xpath_new(doc);
    return parse_network(ctxt, error);
}
