/* core-network-conf: the virtual network model (XML <-> struct).
 * CONTRACT fields/functions below stay; further fields are added as needed.
 *
 * Addresses are kept in their canonical text form (as libvirt prints them:
 * "1.2.0.3" for an input of "1.2.3", compressed IPv6); the parser checks
 * them, so a parsed def always holds valid addresses. Supported: name, uuid,
 * forward (mode, dev, interfaces, pf, nat address and
 * port range), bridge, mtu, mac, domain, dns (forwarders, txt, srv, hosts),
 * ip (family, address, netmask/prefix, localPtr, tftp, dhcp ranges, hosts,
 * leases, bootp). Other elements (route, portgroup, vlan, bandwidth,
 * virtualport, metadata; title and description, which libvirt 9.0 does not
 * know for networks either) are not modelled and are dropped on parse.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoreNetworkDef CoreNetworkDef;

struct _CoreNetworkDef {
    char *name;
    guint8 uuid[16];
    char *bridge;        /* <bridge name='...'>, NULL if absent */
    char *forward_mode;  /* "nat", "route", "open", "bridge", NULL = isolated */
    gpointer priv;       /* the rest (mtu, ip, dhcp, dns, ...) */

    /* ---- added after the contract: the rest of the model ---- */
    gboolean ipv6_nogw;           /* <network ipv6='yes'> */
    int trust_guest_rx_filters;   /* CoreNetworkTristate */

    char *forward_dev;            /* <forward dev=...>: first of forward_ifs */
    GPtrArray *forward_ifs;       /* char *: <interface dev=...> in order */
    char *forward_pf;             /* <pf dev=...> */
    gboolean forward_managed;     /* hostdev only */
    char *forward_driver;         /* <driver name=...>: "kvm", "vfio" */
    int nat_ipv6;                 /* CoreNetworkTristate */
    char *nat_addr_start;         /* IPv4 */
    char *nat_addr_end;
    guint nat_port_start;         /* 0 = unset */
    guint nat_port_end;

    char *bridge_zone;
    gboolean stp;                 /* default TRUE */
    gboolean stp_specified;       /* the stp attribute was present */
    gulong delay;
    char *mac_table_manager;      /* "kernel", "libvirt", NULL */
    guint mtu;                    /* 0 = unset */
    char *mac;                    /* "52:54:00:xx:xx:xx" lowercase, NULL = unset */
    char *domain;                 /* <domain name=...> */
    int domain_local_only;        /* CoreNetworkTristate */

    struct {
        int enable;               /* CoreNetworkTristate */
        int forward_plain_names;  /* CoreNetworkTristate */
        GPtrArray *forwarders;    /* CoreNetworkDnsForwarder */
        GPtrArray *txts;          /* CoreNetworkDnsTxt */
        GPtrArray *srvs;          /* CoreNetworkDnsSrv */
        GPtrArray *hosts;         /* CoreNetworkDnsHost */
    } dns;

    GPtrArray *ips;               /* CoreNetworkIpDef */
};

typedef enum {
    CORE_NETWORK_TRISTATE_ABSENT = 0,
    CORE_NETWORK_TRISTATE_YES,
    CORE_NETWORK_TRISTATE_NO,
} CoreNetworkTristate;

typedef struct {
    char *domain;  /* may be NULL */
    char *addr;    /* may be NULL (one of the two is set) */
} CoreNetworkDnsForwarder;

typedef struct {
    char *name;
    char *value;
} CoreNetworkDnsTxt;

typedef struct {
    char *service;
    char *protocol;
    char *domain;
    char *target;
    guint port;      /* 0 = unset */
    guint priority;
    guint weight;
} CoreNetworkDnsSrv;

typedef struct {
    char *ip;
    GPtrArray *hostnames;  /* char * */
} CoreNetworkDnsHost;

typedef enum {
    CORE_NETWORK_LEASE_SECONDS = 0,
    CORE_NETWORK_LEASE_MINUTES,
    CORE_NETWORK_LEASE_HOURS,
} CoreNetworkLeaseUnit;

typedef struct {
    gboolean has_lease;
    guint64 expiry;         /* 0 = infinite */
    CoreNetworkLeaseUnit unit;
} CoreNetworkLease;

typedef struct {
    char *start;
    char *end;
    CoreNetworkLease lease;
} CoreNetworkDhcpRange;

typedef struct {
    char *mac;   /* as written */
    char *id;    /* IPv6 client id */
    char *name;
    char *ip;    /* canonical, may be NULL only for partial matches */
    CoreNetworkLease lease;
} CoreNetworkDhcpHost;

typedef struct {
    char *family;      /* "ipv4", "ipv6" as written, NULL when absent */
    char *address;     /* canonical text */
    char *netmask;     /* canonical text, NULL when absent */
    guint prefix;      /* 0 = absent */
    int local_ptr;     /* CoreNetworkTristate */
    char *tftp_root;
    GPtrArray *ranges; /* CoreNetworkDhcpRange */
    GPtrArray *hosts;  /* CoreNetworkDhcpHost */
    char *bootp_file;
    char *bootp_server;
} CoreNetworkIpDef;

/* Parses and validates @xml (flags: 0). Errors carry libvirt's code and
 * message for the same mistake; a missing <uuid> gets a random one.
 * (transfer full) NULL on error. */
CoreNetworkDef *core_network_def_parse_string(const char *xml, guint flags, GError **error);
/* Formats @def in libvirt's layout (flags: 0). (transfer full) */
char *core_network_def_format(const CoreNetworkDef *def, guint flags);
/* Deep copy through the XML form. (transfer full) NULL when @def does not
 * validate (only possible for definitions built in code). */
CoreNetworkDef *core_network_def_copy(const CoreNetworkDef *def);
/* Frees @def and everything it holds; NULL is fine. */
void core_network_def_free(CoreNetworkDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreNetworkDef, core_network_def_free)

/**
 * core_network_def_new:
 * An empty definition with libvirt's defaults (stp on, empty lists), for
 * code that builds networks without XML. (transfer full)
 */
CoreNetworkDef *core_network_def_new(void);

/* An empty <ip> definition with its DHCP lists allocated, for code that
 * builds networks (append it to def->ips, which frees it). (transfer full) */
CoreNetworkIpDef *core_network_ip_def_new(void);

/**
 * core_network_ip_prefix:
 * The prefix length of @ip: its prefix, else the netmask's bits, else the
 * classful default for IPv4 (8/16/24) or 64 for IPv6.
 * Returns: the prefix, -1 when none can be derived.
 */
int core_network_ip_prefix(const CoreNetworkIpDef *ip);

G_END_DECLS
