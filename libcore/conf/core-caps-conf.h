/* core-caps-conf: the host capabilities model (<capabilities> XML).
 *
 * Drivers fill a CoreCaps in code and format it; the parser exists for
 * round trips and tests. The layout is libvirt's, blank lines included.
 * Modelled: host uuid, cpu (arch, feature flags, model, vendor, microcode,
 * signature, topology, features, page sizes), power management, iommu,
 * migration features, netprefix, NUMA topology (memory, pages, distances,
 * cpus), security models; guests (os type, arch, wordsize, emulator,
 * loader, machines, domains, features); storage pool types. Not modelled:
 * cache/memory bandwidth (resctrl), NUMA caches and interconnects.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
    guint id;
    guint socket_id;
    guint die_id;
    guint core_id;
    char *siblings;   /* "0-1"; NULL: no topology attributes are shown */
} CoreCapsCpu;

typedef struct {
    guint size_kib;
    guint64 avail;
} CoreCapsPages;

typedef struct {
    guint id;
    guint value;
} CoreCapsDistance;

typedef struct {
    guint id;
    guint64 memory_kib;    /* 0: not shown */
    GArray *pages;         /* CoreCapsPages */
    GArray *distances;     /* CoreCapsDistance */
    GPtrArray *cpus;       /* CoreCapsCpu */
} CoreCapsCell;

typedef struct {
    char *type;            /* "kvm", "qemu" */
    char *label;
} CoreCapsBaseLabel;

typedef struct {
    char *model;
    char *doi;             /* "" is shown as <doi></doi> */
    GPtrArray *baselabels; /* CoreCapsBaseLabel */
} CoreCapsSecModel;

typedef struct {
    char *name;
    char *canonical;
    guint max_cpus;        /* 0: not shown */
    gboolean deprecated;
} CoreCapsMachine;

typedef struct {
    char *type;            /* "test", "qemu", "kvm" */
    char *emulator;
    char *loader;
    GPtrArray *machines;   /* CoreCapsMachine */
} CoreCapsGuestDomain;

typedef struct {
    char *name;            /* "pae", "acpi", "cpuselection", ... */
    char *default_state;   /* "on"/"off", NULL: not shown */
    char *toggle;          /* "yes"/"no", NULL: not shown */
} CoreCapsGuestFeature;

typedef struct {
    char *os_type;         /* "hvm", "xen", "exe" */
    char *arch;
    guint wordsize;
    char *emulator;
    char *loader;
    GPtrArray *machines;   /* CoreCapsMachine */
    GPtrArray *domains;    /* CoreCapsGuestDomain */
    GPtrArray *features;   /* CoreCapsGuestFeature */
} CoreCapsGuest;

typedef struct {
    gboolean has_uuid;
    guint8 uuid[16];
    char *arch;
    GPtrArray *arch_features;   /* char *: <features><pae/>... inside <cpu> */
    struct {
        char *model;
        char *vendor;
        guint microcode;        /* 0: not shown */
        guint sig_family, sig_model, sig_stepping; /* family 0: not shown */
        guint sockets, dies, cores, threads;       /* all set or not shown */
        GPtrArray *features;    /* char *: <feature name=.../> */
    } cpu;
    GArray *page_sizes;         /* guint KiB */
    GPtrArray *power_management; /* char *: "suspend_mem", ...; empty: <power_management/> */
    gboolean iommu;
    gboolean migration;         /* <migration_features> shown */
    gboolean live_migration;
    GPtrArray *migration_transports; /* char * */
    char *netprefix;
    GPtrArray *cells;           /* CoreCapsCell; NULL: no <topology> */
    GPtrArray *secmodels;       /* CoreCapsSecModel */
} CoreCapsHost;

typedef struct {
    CoreCapsHost host;
    GPtrArray *guests;          /* CoreCapsGuest */
    GPtrArray *pool_types;      /* char *: <pool><enum name='type'> values */
} CoreCaps;

/* An empty capabilities object, all lists allocated. (transfer full) */
CoreCaps *core_caps_new(void);
void core_caps_free(CoreCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreCaps, core_caps_free)

/* Builders: each returns the new element (transfer none, owned by its
 * parent) for further filling. */
CoreCapsCell *core_caps_add_cell(CoreCaps *caps, guint id, guint64 memory_kib);
void core_caps_cell_add_pages(CoreCapsCell *cell, guint size_kib, guint64 avail);
CoreCapsCpu *core_caps_cell_add_cpu(CoreCapsCell *cell, guint id, guint socket_id, guint die_id,
                                    guint core_id, const char *siblings);
CoreCapsSecModel *core_caps_add_secmodel(CoreCaps *caps, const char *model, const char *doi);
CoreCapsGuest *core_caps_add_guest(CoreCaps *caps, const char *os_type, const char *arch,
                                   guint wordsize, const char *emulator);
CoreCapsGuestDomain *core_caps_guest_add_domain(CoreCapsGuest *guest, const char *type);
void core_caps_guest_add_feature(CoreCapsGuest *guest, const char *name,
                                 const char *default_state, const char *toggle);

/**
 * core_caps_format:
 * Formats @caps exactly as libvirt's virCapabilitiesFormatXML lays it out.
 * Returns: (transfer full) the XML text.
 */
char *core_caps_format(const CoreCaps *caps);

/**
 * core_caps_parse_string:
 * Parses a <capabilities> document (for round trips and tests).
 * @error: CORE_ERR_XML_DETAIL (not well-formed), CORE_ERR_XML_ERROR (wrong
 *     root, bad numbers or uuid).
 * Returns: (transfer full) the model, NULL on error.
 */
CoreCaps *core_caps_parse_string(const char *xml, GError **error);

/**
 * core_caps_new_test_default:
 * The fixed capabilities of the test:///default driver (an i686 host with
 * two NUMA cells of 8 cpus, hvm and xen guests), identical to what
 * libvirt's test driver reports.
 * Returns: (transfer full) the model.
 */
CoreCaps *core_caps_new_test_default(void);

G_END_DECLS
