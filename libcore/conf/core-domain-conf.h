/* core-domain-conf: the domain object model (XML <-> struct).
 *
 * CONTRACT used by drivers (the fields and functions below must stay);
 * device structs and further fields are added by this module as needed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoreDomainDef CoreDomainDef;

typedef enum {
    CORE_DOMAIN_XML_INACTIVE = 1 << 0, /* format: leave out live-only data (id, aliases) */
    CORE_DOMAIN_XML_SECURE = 1 << 1,   /* format: include secrets */
} CoreDomainXMLFlags;

typedef enum {
    /* parse: a persistent definition (define): ignore the live id and
     * generated interface names (vnet*, macvtap*, macvlan*), as libvirt */
    CORE_DOMAIN_PARSE_INACTIVE = 1 << 0,
    /* parse: a running domain's status XML: keep the device aliases
     * (<alias name=.../>), which are dropped from any other input */
    CORE_DOMAIN_PARSE_STATUS = 1 << 1,
} CoreDomainParseFlags;

struct _CoreDomainDef {
    char *virt_type;          /* <domain type='...'>: "test", "qemu", "kvm" */
    int id;                   /* -1 when inactive; formatted unless INACTIVE */
    char *name;
    guint8 uuid[16];
    char *title;
    char *description;
    guint64 memory_kib;       /* <memory> in KiB */
    guint64 current_memory_kib;
    guint vcpus;              /* <vcpu> */
    char *os_type;            /* <os><type>: "hvm", "linux", "exe" */
    char *os_arch;
    char *os_machine;
    /* everything else (os details, features, cpu, clock, lifecycle actions,
     * devices) lives in the private part of this struct below */
    gpointer priv;
};

/* ---- the private part (def->priv points to a CoreDomainDefPriv) ---- */

/* A device address, written back as parsed. "pci" and "drive" addresses
 * are normalised to libvirt's layout (hex pci fields, decimal drive
 * fields); other types keep their attributes in input order. */
typedef struct {
    char *type;          /* "pci", "drive", "usb", "virtio-serial", ... */
    char **names;        /* NULL-terminated attribute names (not "type") */
    char **values;       /* matching values */
} CoreDomainAddress;

/* What every device may carry: <boot order>, <alias>, <address>. */
typedef struct {
    guint boot_order;            /* 0: none */
    char *alias;                 /* live only: the hypervisor's name of the device; NULL: none */
    CoreDomainAddress *address;  /* NULL: none */
} CoreDomainDeviceInfo;

typedef struct {
    char *type;          /* "file", "block", "dir", "volume" */
    char *device;        /* "disk", "cdrom", "floppy", "lun" */
    char *driver_name;   /* <driver name=> */
    char *driver_type;   /* <driver type=>: "raw", "qcow2", ... */
    char *driver_cache;  /* <driver cache=> */
    char *source_path;   /* file= (file), dev= (block), dir= (dir) */
    char *source_pool;   /* type volume */
    char *source_volume;
    char *source_mode;   /* volume: "host"/"direct" */
    char *target_dev;
    char *target_bus;    /* "ide", "scsi", "virtio", "sata", "usb", ... */
    char *target_tray;
    gboolean readonly;
    gboolean shareable;
    char *serial;
    CoreDomainDeviceInfo info;
} CoreDomainDiskDef;

typedef struct {
    char *type;          /* "network", "bridge", "direct", "user", "ethernet" */
    guint8 mac[6];
    gboolean trust_guest_rx_filters_set;
    gboolean trust_guest_rx_filters;
    char *source;        /* network name, bridge name or direct dev */
    char *source_portgroup;
    char *source_mode;   /* direct: "vepa", "bridge", "private", "passthrough" */
    char *target_dev;
    char *model;
    char *link_state;    /* <link state=> */
    guint mtu;
    CoreDomainDeviceInfo info;
} CoreDomainNetDef;

typedef enum {
    CORE_DOMAIN_CHR_SERIAL,
    CORE_DOMAIN_CHR_CONSOLE,
    CORE_DOMAIN_CHR_CHANNEL,
} CoreDomainChrKind;

/* <serial>, <console>, <channel>. */
typedef struct {
    char *type;          /* "pty", "file", "unix", "dev", "pipe", "null", ... */
    char *source_path;
    char *source_mode;   /* unix: "bind" / "connect" */
    char *source_append; /* file: "on" / "off" */
    char *target_type;   /* serial: "isa-serial"...; console: "serial", "virtio"; channel: "virtio", "guestfwd" */
    int target_port;     /* -1: none */
    char *target_name;   /* channel virtio name */
    char *target_address; /* channel guestfwd */
    char *target_address_port;
    char *target_state;  /* channel: live-only "connected"/"disconnected" */
    CoreDomainDeviceInfo info;
} CoreDomainChrDef;

typedef struct {
    char *type;          /* "ide", "fdc", "scsi", "sata", "virtio-serial", "usb", "pci", ... */
    int index;
    char *model;
    int ports;           /* virtio-serial; -1 unset */
    int vectors;         /* virtio-serial; -1 unset */
    CoreDomainDeviceInfo info;
} CoreDomainControllerDef;

typedef struct {
    char *type;          /* "mouse", "tablet", "keyboard", "passthrough", "evdev" */
    char *bus;           /* "ps2", "usb", "virtio", "xen", "none" */
    CoreDomainDeviceInfo info;
} CoreDomainInputDef;

typedef struct {
    char *type;          /* "address", "network", "socket", "none" */
    char *address;
    char *network;
    char *socket;
} CoreDomainGraphicsListen;

typedef struct {
    char *type;          /* "vnc", "spice", "sdl", ... */
    int port;            /* -1: auto */
    gboolean autoport;
    int websocket;       /* 0: none */
    char *keymap;
    char *passwd;        /* formatted with CORE_DOMAIN_XML_SECURE only */
    GPtrArray *listens;  /* of CoreDomainGraphicsListen */
} CoreDomainGraphicsDef;

typedef struct {
    char *model;         /* "vga", "cirrus", "qxl", "virtio", "bochs", "none", ... */
    guint ram;           /* KiB, qxl; 0 unset */
    guint vram;
    guint vgamem;
    guint heads;
    gboolean primary;
    CoreDomainDeviceInfo info;
} CoreDomainVideoDef;

typedef struct {
    char *model;         /* "i6300esb", "ib700", "diag288", "itco" */
    char *action;        /* "reset" (default), "shutdown", "poweroff", ... */
    CoreDomainDeviceInfo info;
} CoreDomainWatchdogDef;

typedef struct {
    char *model;         /* "virtio", "xen", "none", ... */
    char *autodeflate;
    guint stats_period;  /* <stats period=>; 0 none */
    CoreDomainDeviceInfo info;
} CoreDomainMemballoonDef;

typedef struct {
    char *model;         /* "virtio" */
    char *backend_model; /* "random", "egd", "builtin" */
    char *backend_path;  /* random: device, default /dev/random */
    guint rate_bytes;
    guint rate_period;
    CoreDomainDeviceInfo info;
} CoreDomainRngDef;

typedef struct {
    char *name;          /* "rtc", "pit", "hpet", "kvmclock", "tsc", ... */
    char *present;       /* "yes"/"no" */
    char *tickpolicy;
    char *track;
    char *frequency;
} CoreDomainTimerDef;

/* <features>: one state per known feature, in libvirt's order. */
typedef enum {
    CORE_DOMAIN_FEATURE_ACPI,
    CORE_DOMAIN_FEATURE_APIC,
    CORE_DOMAIN_FEATURE_PAE,
    CORE_DOMAIN_FEATURE_HAP,
    CORE_DOMAIN_FEATURE_VIRIDIAN,
    CORE_DOMAIN_FEATURE_PRIVNET,
    CORE_DOMAIN_FEATURE_PVSPINLOCK,
    CORE_DOMAIN_FEATURE_PMU,
    CORE_DOMAIN_FEATURE_VMPORT,
    CORE_DOMAIN_FEATURE_SMM,
    CORE_DOMAIN_FEATURE_VMCOREINFO,
    CORE_DOMAIN_FEATURE_LAST
} CoreDomainFeature;

typedef enum {
    CORE_DOMAIN_FEATURE_STATE_ABSENT = 0,
    CORE_DOMAIN_FEATURE_STATE_PRESENT, /* <x/> */
    CORE_DOMAIN_FEATURE_STATE_ON,      /* <x state='on'/> */
    CORE_DOMAIN_FEATURE_STATE_OFF,     /* <x state='off'/> */
} CoreDomainFeatureState;

typedef struct {
    char *name;
    char *policy;
} CoreDomainCpuFeature;

typedef enum {
    CORE_DOMAIN_LIFECYCLE_DESTROY,
    CORE_DOMAIN_LIFECYCLE_RESTART,
    CORE_DOMAIN_LIFECYCLE_RENAME_RESTART,
    CORE_DOMAIN_LIFECYCLE_PRESERVE,
    CORE_DOMAIN_LIFECYCLE_COREDUMP_DESTROY,
    CORE_DOMAIN_LIFECYCLE_COREDUMP_RESTART,
    CORE_DOMAIN_LIFECYCLE_LAST
} CoreDomainLifecycleAction;

typedef struct {
    /* <vcpu> */
    gboolean placement_auto;
    char *cpuset;                /* normalised ("0-1,3"), NULL: none */
    guint vcpus_current;         /* 0: same as def->vcpus */
    /* <os> */
    char *loader_path;
    char *loader_readonly;
    char *loader_secure;
    char *loader_type;
    char *nvram_path;
    char *nvram_template;
    char *kernel;
    char *initrd;
    char *cmdline;
    char *dtb;
    char *boot_devs[4];          /* "fd", "cdrom", "hd", "network" */
    guint n_boot_devs;
    char *bootmenu_enable;
    char *bootmenu_timeout;
    char *bios_useserial;
    char *bios_reboot_timeout;
    /* <features> */
    CoreDomainFeatureState features[CORE_DOMAIN_FEATURE_LAST];
    char *apic_eoi;
    /* <cpu> */
    char *cpu_mode;              /* NULL: no <cpu> */
    char *cpu_match;
    char *cpu_check;
    char *cpu_migratable;
    char *cpu_model;
    char *cpu_model_fallback;
    char *cpu_vendor;
    guint cpu_sockets, cpu_dies, cpu_cores, cpu_threads; /* 0: no <topology> */
    GPtrArray *cpu_features;     /* of CoreDomainCpuFeature */
    /* <clock> */
    char *clock_offset;          /* "utc" (default), "localtime", "timezone", "variable", "absolute" */
    char *clock_timezone;
    char *clock_adjustment;
    char *clock_basis;
    char *clock_start;
    GPtrArray *timers;           /* of CoreDomainTimerDef */
    /* lifecycle */
    CoreDomainLifecycleAction on_poweroff;
    CoreDomainLifecycleAction on_reboot;
    CoreDomainLifecycleAction on_crash;
    /* <devices>, each in document order of its kind */
    char *emulator;
    GPtrArray *disks;            /* of CoreDomainDiskDef */
    GPtrArray *controllers;      /* of CoreDomainControllerDef */
    GPtrArray *nets;             /* of CoreDomainNetDef */
    GPtrArray *serials;          /* of CoreDomainChrDef */
    GPtrArray *consoles;
    GPtrArray *channels;
    GPtrArray *inputs;           /* of CoreDomainInputDef */
    GPtrArray *graphics;         /* of CoreDomainGraphicsDef */
    GPtrArray *videos;           /* of CoreDomainVideoDef */
    CoreDomainWatchdogDef *watchdog;
    CoreDomainMemballoonDef *memballoon;
    GPtrArray *rngs;             /* of CoreDomainRngDef */
    /* <metadata>: an xmlNode tree of no document (libvirt's shape), one
     * namespaced child per URI; NULL: no <metadata> */
    gpointer metadata;
} CoreDomainDefPriv;

/* (transfer none) The private part of @def (never NULL for a parsed def). */
#define core_domain_def_priv(def) ((CoreDomainDefPriv *)(def)->priv)

/* ---- Defaults ----
 *
 * Parsing applies libvirt's driver-independent defaults, the ones every
 * libvirt driver shows: random uuid, currentMemory = memory (and clamped to
 * it), <vcpu placement='static'>, <boot dev='hd'/> for hvm without per-device
 * boot, <clock offset='utc'/>, on_poweroff destroy / on_reboot restart /
 * on_crash destroy, random 52:54:00 MACs, cdroms read-only, drive addresses
 * and their implicit controllers for ide/sata/scsi/fdc disks, a
 * virtio-serial controller for virtio channels, a console for the first
 * serial (and a serial for a serial console), input buses, video RAM and
 * heads, the primary video, a <listen> child for graphics, watchdog action
 * reset, rng backend /dev/random, numatune for placement='auto'.
 *
 * What depends on the driver (the default arch and machine, an emulator, a
 * video model to add next to graphics, interface target names) is left to
 * core_domain_def_apply_defaults().
 */
typedef struct {
    const char *arch;         /* set when <type> has no arch (e.g. "i686") */
    const char *machine;      /* set when <type> has no machine; NULL: keep none */
    const char *emulator;     /* set when <devices> has no <emulator>; NULL: none */
    const char *video_model;  /* video added for graphics without video; NULL: none */
} CoreDomainDefaults;

/**
 * core_domain_def_apply_defaults:
 * Fills what @defaults gives into @def where @def leaves it unset (driver
 * post-parse step, e.g. the test driver passes arch "i686" and video model
 * "cirrus"). Idempotent. Cannot fail.
 */
void core_domain_def_apply_defaults(CoreDomainDef *def, const CoreDomainDefaults *defaults);

/* Lifecycle action names ("destroy", ...); NULL for an unknown value. */
const char *core_domain_lifecycle_to_string(CoreDomainLifecycleAction action);

/* Formats @mac as "aa:bb:cc:dd:ee:ff" into @buf (18 bytes). */
const char *core_domain_mac_format(const guint8 mac[6], char buf[18]);

/* ---- Metadata (virDomainSetMetadata / virDomainGetMetadata) ---- */

/* virDomainMetadataType */
typedef enum {
    CORE_DOMAIN_METADATA_DESCRIPTION = 0, /* <description> */
    CORE_DOMAIN_METADATA_TITLE = 1,       /* <title> */
    CORE_DOMAIN_METADATA_ELEMENT = 2,     /* one namespaced child of <metadata> */
} CoreDomainMetadataType;

/**
 * core_domain_metadata_check_set:
 * The argument checks libvirt's public virDomainSetMetadata makes before
 * any driver sees the call: a title without newline; for TITLE and
 * DESCRIPTION no @key and no @uri; for ELEMENT a @uri, and a @key when
 * @metadata is set. Errors: CORE_ERR_INVALID_ARG from CORE_FROM_DOMAIN
 * with libvirt's messages.
 */
gboolean core_domain_metadata_check_set(int type, const char *metadata, const char *key,
                                        const char *uri, GError **error);
/**
 * core_domain_metadata_check_get:
 * The checks of libvirt's public virDomainGetMetadata: not both
 * AFFECT_LIVE and AFFECT_CONFIG in @flags; no @uri for TITLE and
 * DESCRIPTION, a @uri for ELEMENT. Errors: CORE_ERR_INVALID_ARG.
 */
gboolean core_domain_metadata_check_get(int type, const char *uri, guint flags, GError **error);
/* INVALID_ARG "unknown metadata type 'N'" for a @type beyond ELEMENT (the
 * drivers' first check, before they pick a definition). */
gboolean core_domain_metadata_check_type(int type, GError **error);
/**
 * core_domain_def_set_metadata:
 * Changes one piece of @def as libvirt's virDomainDefSetMetadata does.
 * TITLE/DESCRIPTION: @metadata replaces the text, NULL or "" removes it.
 * ELEMENT: @metadata (an XML document) becomes the child of <metadata> in
 * namespace @uri with prefix @key (its elements without a namespace get
 * that one), replacing the children in @uri; NULL removes them.
 * Errors: CORE_ERR_INVALID_ARG (unknown @type), CORE_ERR_XML_DETAIL (not
 * well-formed, "(metadata_xml):LINE: ..."), CORE_ERR_INTERNAL_ERROR from
 * CORE_FROM_XML (@key is not an XML name, or no namespace fits the
 * document's first node). @def is unchanged on error.
 */
gboolean core_domain_def_set_metadata(CoreDomainDef *def, int type, const char *metadata,
                                      const char *key, const char *uri, GError **error);
/**
 * core_domain_def_get_metadata:
 * (transfer full) The title, the description, or the child of <metadata>
 * in namespace @uri written without that namespace (libvirt's layout).
 * Errors: CORE_ERR_NO_DOMAIN_METADATA when there is none,
 * CORE_ERR_INVALID_ARG for an unknown @type.
 */
char *core_domain_def_get_metadata(const CoreDomainDef *def, int type, const char *uri,
                                   GError **error);

/* Parses and validates @xml. On error: NULL with the code libvirt gives for
 * the same mistake: CORE_ERR_XML_DETAIL (not well-formed, libvirt's
 * layout), CORE_ERR_XML_ERROR (wrong root, bad values), CORE_ERR_NO_NAME,
 * CORE_ERR_CONFIG_UNSUPPORTED ... naming what is wrong. A missing <uuid>
 * gets a random one; libvirt's driver-independent defaults are applied
 * (see core-domain-conf.h, "Defaults"). Unknown elements and attributes
 * are dropped. @flags: CoreDomainParseFlags. (transfer full) */
CoreDomainDef *core_domain_def_parse_string(const char *xml, guint flags, GError **error);
/* Formats @def (byte-stable; parse(format(x)) formats identically). (transfer full) */
char *core_domain_def_format(const CoreDomainDef *def, guint flags);
/* Deep copy via the model. (transfer full) */
CoreDomainDef *core_domain_def_copy(const CoreDomainDef *def);
void core_domain_def_free(CoreDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainDef, core_domain_def_free)

G_END_DECLS
