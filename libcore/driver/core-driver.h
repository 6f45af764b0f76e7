/* core-driver: the per-object-kind driver tables.
 *
 * A driver (the in-memory test driver, the QEMU driver, ...) fills these
 * tables. Two kinds of callers use them: the RPC dispatcher in a daemon
 * (one table call per decoded procedure) and libvireo for embedded URIs
 * (test:///default runs in-process). The remote client in libvireo
 * implements the same tables by turning each call into an RPC.
 *
 * Conventions (every entry):
 * - the first argument is the driver's per-connection state returned by
 *   CoreHostOps.open (gpointer conn);
 * - objects are named by handles (CoreDomainRef, ...) that mirror the wire's
 *   remote_nonnull_* structs; the driver finds objects by UUID first (name
 *   and id are hints, as libvirtd does);
 * - a gboolean result is TRUE on success; a pointer result is NULL on
 *   failure; an int result is -1 on failure (0/1 for the is_* queries);
 *   GError **error is last and is set exactly when the call fails, with a
 *   CORE_ERROR code (libvirt's virErrorNumber);
 * - returned handles and strings are (transfer full);
 * - a NULL entry means "not supported": callers answer CORE_ERR_NO_SUPPORT.
 *
 * Table entry names follow the wire procedure names in lower case
 * (REMOTE_PROC_DOMAIN_GET_XML_DESC -> CoreDomainOps.get_xml_desc), and an
 * implementation is named <driver>_<kind>_<entry> (test_domain_get_xml_desc).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CORE_UUID_LEN 16

/* ---- handles ------------------------------------------------------------ */

typedef struct {
    char *name;
    guint8 uuid[CORE_UUID_LEN];
    int id; /* -1 when inactive */
} CoreDomainRef;

typedef struct {
    char *name;
    guint8 uuid[CORE_UUID_LEN];
} CoreNetworkRef;

typedef struct {
    char *name;
    guint8 uuid[CORE_UUID_LEN];
} CorePoolRef;

typedef struct {
    char *pool;
    char *name;
    char *key;
} CoreVolRef;

/* A domain ref is one allocation: ->name points into it and must be
 * neither freed nor replaced; core_domain_ref_free() frees everything.
 * @uuid may be NULL (all zero). */
CoreDomainRef *core_domain_ref_new(const char *name, const guint8 *uuid, int id);
/* The same from @len bytes of @name (no NUL needed). */
CoreDomainRef *core_domain_ref_new_len(const char *name, gsize len, const guint8 *uuid, int id);
CoreDomainRef *core_domain_ref_copy(const CoreDomainRef *ref);
void core_domain_ref_free(CoreDomainRef *ref);
CoreNetworkRef *core_network_ref_new(const char *name, const guint8 *uuid);
CoreNetworkRef *core_network_ref_copy(const CoreNetworkRef *ref);
void core_network_ref_free(CoreNetworkRef *ref);
CorePoolRef *core_pool_ref_new(const char *name, const guint8 *uuid);
CorePoolRef *core_pool_ref_copy(const CorePoolRef *ref);
void core_pool_ref_free(CorePoolRef *ref);
CoreVolRef *core_vol_ref_new(const char *pool, const char *name, const char *key);
CoreVolRef *core_vol_ref_copy(const CoreVolRef *ref);
void core_vol_ref_free(CoreVolRef *ref);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainRef, core_domain_ref_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreNetworkRef, core_network_ref_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorePoolRef, core_pool_ref_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreVolRef, core_vol_ref_free)

/* ---- plain results (wire layouts of the *_get_info replies) -------------- */

typedef struct {
    char model[32];
    guint64 memory_kib;
    int cpus;
    int mhz;
    int nodes;
    int sockets;
    int cores;
    int threads;
} CoreNodeInfo;

typedef struct {
    int state;           /* virDomainState: 1 running, 3 paused, 5 shutoff ... */
    guint64 max_mem_kib;
    guint64 memory_kib;
    guint nr_virt_cpu;
    guint64 cpu_time_ns;
} CoreDomainInfo;

typedef struct {
    int state; /* virStoragePoolState */
    guint64 capacity;
    guint64 allocation;
    guint64 available;
} CorePoolInfo;

typedef struct {
    int type; /* virStorageVolType */
    guint64 capacity;
    guint64 allocation;
} CoreVolInfo;

/* NODE_GET_SECURITY_MODEL reply (virSecurityModel): empty model = none. */
typedef struct {
    char model[257]; /* VIR_SECURITY_MODEL_BUFLEN */
    char doi[257];   /* VIR_SECURITY_DOI_BUFLEN */
} CoreSecurityModel;

/* DOMAIN_GET_SECURITY_LABEL reply (virSecurityLabel): empty label = none
 * (inactive domains have none). */
typedef struct {
    char label[4097]; /* VIR_SECURITY_LABEL_BUFLEN */
    int enforcing;
} CoreSecurityLabel;

/* ---- typed parameters and statistics ----------------------------------- */

/* virTypedParameterType */
typedef enum {
    CORE_TYPED_PARAM_INT = 1,
    CORE_TYPED_PARAM_UINT = 2,
    CORE_TYPED_PARAM_LLONG = 3,
    CORE_TYPED_PARAM_ULLONG = 4,
    CORE_TYPED_PARAM_DOUBLE = 5,
    CORE_TYPED_PARAM_BOOLEAN = 6,
    CORE_TYPED_PARAM_STRING = 7,
} CoreTypedParamType;

/* One virTypedParameter: @field and a string value are owned. Arrays of
 * these returned by a table entry are (transfer full). */
typedef struct {
    char *field;
    int type; /* CoreTypedParamType */
    union {
        gint32 i;
        guint32 ui;
        gint64 l;
        guint64 ul;
        double d;
        gint32 b;
        char *s;
    } value;
} CoreTypedParam;

/* Frees the members of @p (not @p itself). */
void core_typed_param_clear(CoreTypedParam *p);

/* virVcpuInfo */
typedef struct {
    guint number;
    int state;            /* virVcpuState: 1 running */
    guint64 cpu_time_ns;
    int cpu;              /* host CPU it runs on */
} CoreVcpuInfo;

/* virDomainMemoryStatStruct */
typedef struct {
    int tag;              /* virDomainMemoryStatTags */
    guint64 val;
} CoreMemoryStat;

/* ---- events --------------------------------------------------------------- */

typedef enum {
    CORE_EVENT_DOMAIN_LIFECYCLE,   /* libvirt domain event id 0 */
    CORE_EVENT_DOMAIN_REBOOT,      /* domain event id 1 */
    CORE_EVENT_NETWORK_LIFECYCLE,  /* network event id 0 */
    CORE_EVENT_POOL_LIFECYCLE,     /* storage pool event id 0 */
    CORE_EVENT_POOL_REFRESH,       /* storage pool event id 1 */
    CORE_EVENT_DOMAIN_METADATA_CHANGE, /* domain event id 23: event is the
                                        * virDomainMetadataType, nsuri the
                                        * namespace of an ELEMENT change */
    CORE_EVENT_LAST
} CoreEventKind;

typedef struct {
    CoreEventKind kind;
    CoreDomainRef *dom;   /* set for domain events */
    CoreNetworkRef *net;  /* set for network events */
    CorePoolRef *pool;    /* set for pool events */
    int event;            /* virDomainEventType / virNetworkEventLifecycleType / ... */
    int detail;
    char *nsuri;          /* METADATA_CHANGE of an element: its namespace URI */
} CoreEvent;

void core_event_free(CoreEvent *ev);
CoreEvent *core_event_copy(const CoreEvent *ev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreEvent, core_event_free)

/* Called by a driver for every event of any object the connection can see,
 * from whatever thread caused it; must be thread-safe and must not call
 * back into the driver synchronously. @ev is (transfer none). */
typedef void (*CoreEventSink)(const CoreEvent *ev, gpointer user_data);

/* ---- tables ----------------------------------------------------------------- */

typedef struct {
    /* @uri is the full URI string as given ("test:///default"); on success
     * *ret_conn holds the driver's per-connection state. Events for this
     * connection go to @sink (may be NULL: no events wanted). */
    gboolean (*open)(const char *uri, guint flags, CoreEventSink sink, gpointer sink_data,
                     gpointer *ret_conn, GError **error);
    void (*close)(gpointer conn);
    char *(*get_type)(gpointer conn, GError **error);          /* "Test", "QEMU" */
    gboolean (*get_version)(gpointer conn, guint64 *ret, GError **error);
    char *(*get_uri)(gpointer conn, GError **error);
    char *(*get_hostname)(gpointer conn, GError **error);
    char *(*get_capabilities)(gpointer conn, GError **error);
    char *(*get_sysinfo)(gpointer conn, guint flags, GError **error);
    int (*get_max_vcpus)(gpointer conn, const char *type, GError **error);
    gboolean (*node_get_info)(gpointer conn, CoreNodeInfo *ret, GError **error);
    gboolean (*node_get_free_memory)(gpointer conn, guint64 *ret_bytes, GError **error);
    /* 1 supported, 0 not, -1 error; feature numbers as on the wire */
    int (*supports_feature)(gpointer conn, int feature, GError **error);
    /* Tells the driver whether events of @kind are wanted on this
     * connection. In-process drivers may leave this NULL and always call the
     * sink; the remote driver registers with (or deregisters from) the
     * server, so that events of @kind start arriving at the sink. */
    gboolean (*event_enable)(gpointer conn, CoreEventKind kind, gboolean enable,
                             GError **error);
    /* virsh dominfo shows these ("Security model: testSecurity" for test) */
    gboolean (*node_get_security_model)(gpointer conn, CoreSecurityModel *ret, GError **error);
    /* virsh domcapabilities: every argument may be NULL (the driver's
     * default binary, arch, machine, virt type). (transfer full) XML */
    char *(*get_domain_capabilities)(gpointer conn, const char *emulatorbin, const char *arch,
                                     const char *machine, const char *virttype, guint flags,
                                     GError **error);
    /* NODE_GET_CELLS_FREE_MEMORY: the free memory of cells @start.. into
     * @ret (room for @max); returns how many were written, or -1 */
    int (*node_get_cells_free_memory)(gpointer conn, guint64 *ret, int start, int max,
                                      GError **error);
    /* NODE_GET_CPU_STATS of host CPU @cpu (-1: all): every statistic as a
     * ULLONG parameter, *ret_params (transfer full) */
    gboolean (*node_get_cpu_stats)(gpointer conn, int cpu, guint flags,
                                   CoreTypedParam **ret_params, guint *ret_nparams,
                                   GError **error);
    /* NODE_GET_CPU_MAP: returns the number of host CPUs, or -1; *ret_map
     * (transfer full, (n + 7) / 8 bytes) has a bit per online CPU and
     * *ret_online their count */
    int (*node_get_cpu_map)(gpointer conn, guint8 **ret_map, guint *ret_online, guint flags,
                            GError **error);
} CoreHostOps;

typedef struct {
    /* (element-type CoreDomainRef) flags: virConnectListAllDomainsFlags */
    GPtrArray *(*list_all)(gpointer conn, guint flags, GError **error);
    int (*num_of_domains)(gpointer conn, GError **error);
    int (*num_of_defined_domains)(gpointer conn, GError **error);
    CoreDomainRef *(*lookup_by_id)(gpointer conn, int id, GError **error);
    CoreDomainRef *(*lookup_by_name)(gpointer conn, const char *name, GError **error);
    CoreDomainRef *(*lookup_by_uuid)(gpointer conn, const guint8 *uuid, GError **error);
    CoreDomainRef *(*define_xml)(gpointer conn, const char *xml, guint flags, GError **error);
    CoreDomainRef *(*create_xml)(gpointer conn, const char *xml, guint flags, GError **error);
    gboolean (*undefine)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
    gboolean (*create)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
    gboolean (*destroy)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
    gboolean (*shutdown)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
    gboolean (*reboot)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
    gboolean (*suspend)(gpointer conn, const CoreDomainRef *dom, GError **error);
    gboolean (*resume)(gpointer conn, const CoreDomainRef *dom, GError **error);
    gboolean (*get_info)(gpointer conn, const CoreDomainRef *dom, CoreDomainInfo *ret,
                         GError **error);
    gboolean (*get_state)(gpointer conn, const CoreDomainRef *dom, guint flags, int *ret_state,
                          int *ret_reason, GError **error);
    char *(*get_xml_desc)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
    char *(*get_os_type)(gpointer conn, const CoreDomainRef *dom, GError **error);
    int (*get_autostart)(gpointer conn, const CoreDomainRef *dom, GError **error);
    gboolean (*set_autostart)(gpointer conn, const CoreDomainRef *dom, gboolean autostart,
                              GError **error);
    int (*is_active)(gpointer conn, const CoreDomainRef *dom, GError **error);
    int (*is_persistent)(gpointer conn, const CoreDomainRef *dom, GError **error);
    int (*is_updated)(gpointer conn, const CoreDomainRef *dom, GError **error);
    gboolean (*get_max_memory)(gpointer conn, const CoreDomainRef *dom, guint64 *ret_kib,
                               GError **error);
    gboolean (*set_memory_flags)(gpointer conn, const CoreDomainRef *dom, guint64 kib,
                                 guint flags, GError **error);
    int (*get_vcpus_flags)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
    gboolean (*set_vcpus_flags)(gpointer conn, const CoreDomainRef *dom, guint nvcpus,
                                guint flags, GError **error);
    int (*has_managed_save_image)(gpointer conn, const CoreDomainRef *dom, guint flags,
                                  GError **error);
    int (*snapshot_num)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
    gboolean (*get_security_label)(gpointer conn, const CoreDomainRef *dom,
                                   CoreSecurityLabel *ret, GError **error);
    /* DOMAIN_SET_METADATA: virDomainSetMetadata on the definitions @flags
     * (AFFECT_CURRENT 0, LIVE 1, CONFIG 2) selects: @type
     * (CoreDomainMetadataType) DESCRIPTION or TITLE set to @metadata (NULL
     * or "" removes it), or ELEMENT: the XML @metadata in namespace @uri
     * with prefix @key (NULL removes). The driver checks the arguments as
     * libvirt's public API does (core_domain_metadata_check_set) and
     * emits CORE_EVENT_DOMAIN_METADATA_CHANGE on success. */
    gboolean (*set_metadata)(gpointer conn, const CoreDomainRef *dom, int type,
                             const char *metadata, const char *key, const char *uri,
                             guint flags, GError **error);
    /* DOMAIN_GET_METADATA: (transfer full) the title, description or the
     * element of namespace @uri of the definition @flags selects;
     * CORE_ERR_NO_DOMAIN_METADATA when there is none */
    char *(*get_metadata)(gpointer conn, const CoreDomainRef *dom, int type, const char *uri,
                          guint flags, GError **error);
    /* DOMAIN_OPEN_CONSOLE: returns a descriptor (transfer full) reading
     * and writing the console @dev_name (NULL: the first one), or -1. The
     * RPC layer relays it as a stream (core-rpc-stream.h). */
    int (*open_console)(gpointer conn, const CoreDomainRef *dom, const char *dev_name,
                        guint flags, GError **error);
    /* virsh domcontrol: virDomainControlState, its reason, ms in that state */
    gboolean (*get_control_info)(gpointer conn, const CoreDomainRef *dom, guint flags,
                                 guint *state, guint *details, guint64 *state_time,
                                 GError **error);
    /* DOMAIN_GET_VCPUS: fills up to @maxinfo entries of @info and, when
     * @cpumaps is not NULL, @maplen bytes of affinity per entry (caller
     * zeroed); returns how many vcpus were written, or -1 */
    int (*get_vcpus)(gpointer conn, const CoreDomainRef *dom, CoreVcpuInfo *info, int maxinfo,
                     guint8 *cpumaps, int maplen, GError **error);
    /* (transfer full) scheduler name ("fair"); *ret_nparams its parameter count */
    char *(*get_scheduler_type)(gpointer conn, const CoreDomainRef *dom, int *ret_nparams,
                                GError **error);
    /* The typed-parameter getters return every parameter the driver has
     * (transfer full); the RPC layer answers count queries (nparams 0) and
     * truncates to what the caller asked for. */
    gboolean (*get_scheduler_parameters)(gpointer conn, const CoreDomainRef *dom, guint flags,
                                         CoreTypedParam **ret_params, guint *ret_nparams,
                                         GError **error);
    gboolean (*get_memory_parameters)(gpointer conn, const CoreDomainRef *dom, guint flags,
                                      CoreTypedParam **ret_params, guint *ret_nparams,
                                      GError **error);
    gboolean (*get_blkio_parameters)(gpointer conn, const CoreDomainRef *dom, guint flags,
                                     CoreTypedParam **ret_params, guint *ret_nparams,
                                     GError **error);
    /* DOMAIN_MEMORY_STATS: up to @nr_stats entries into @stats; returns
     * how many, or -1 */
    int (*memory_stats)(gpointer conn, const CoreDomainRef *dom, CoreMemoryStat *stats,
                        guint nr_stats, guint flags, GError **error);
    char *(*get_hostname)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
    gboolean (*get_time)(gpointer conn, const CoreDomainRef *dom, guint flags,
                         gint64 *ret_seconds, guint *ret_nseconds, GError **error);
    /* DOMAIN_RESET: a hard reset of the running guest, without its help */
    gboolean (*reset)(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error);
} CoreDomainOps;

typedef struct {
    /* (element-type CoreNetworkRef) flags: virConnectListAllNetworksFlags */
    GPtrArray *(*list_all)(gpointer conn, guint flags, GError **error);
    CoreNetworkRef *(*lookup_by_name)(gpointer conn, const char *name, GError **error);
    CoreNetworkRef *(*lookup_by_uuid)(gpointer conn, const guint8 *uuid, GError **error);
    CoreNetworkRef *(*define_xml)(gpointer conn, const char *xml, guint flags, GError **error);
    CoreNetworkRef *(*create_xml)(gpointer conn, const char *xml, guint flags, GError **error);
    gboolean (*undefine)(gpointer conn, const CoreNetworkRef *net, GError **error);
    gboolean (*create)(gpointer conn, const CoreNetworkRef *net, GError **error);
    gboolean (*destroy)(gpointer conn, const CoreNetworkRef *net, GError **error);
    char *(*get_xml_desc)(gpointer conn, const CoreNetworkRef *net, guint flags, GError **error);
    char *(*get_bridge_name)(gpointer conn, const CoreNetworkRef *net, GError **error);
    int (*get_autostart)(gpointer conn, const CoreNetworkRef *net, GError **error);
    gboolean (*set_autostart)(gpointer conn, const CoreNetworkRef *net, gboolean autostart,
                              GError **error);
    int (*is_active)(gpointer conn, const CoreNetworkRef *net, GError **error);
    int (*is_persistent)(gpointer conn, const CoreNetworkRef *net, GError **error);
} CoreNetworkOps;

typedef struct {
    /* (element-type CorePoolRef) flags: virConnectListAllStoragePoolsFlags */
    GPtrArray *(*pool_list_all)(gpointer conn, guint flags, GError **error);
    CorePoolRef *(*pool_lookup_by_name)(gpointer conn, const char *name, GError **error);
    CorePoolRef *(*pool_lookup_by_uuid)(gpointer conn, const guint8 *uuid, GError **error);
    CorePoolRef *(*pool_lookup_by_volume)(gpointer conn, const CoreVolRef *vol, GError **error);
    CorePoolRef *(*pool_define_xml)(gpointer conn, const char *xml, guint flags, GError **error);
    CorePoolRef *(*pool_create_xml)(gpointer conn, const char *xml, guint flags, GError **error);
    gboolean (*pool_create)(gpointer conn, const CorePoolRef *pool, guint flags, GError **error);
    gboolean (*pool_build)(gpointer conn, const CorePoolRef *pool, guint flags, GError **error);
    gboolean (*pool_destroy)(gpointer conn, const CorePoolRef *pool, GError **error);
    gboolean (*pool_delete)(gpointer conn, const CorePoolRef *pool, guint flags, GError **error);
    gboolean (*pool_undefine)(gpointer conn, const CorePoolRef *pool, GError **error);
    gboolean (*pool_refresh)(gpointer conn, const CorePoolRef *pool, guint flags, GError **error);
    gboolean (*pool_get_info)(gpointer conn, const CorePoolRef *pool, CorePoolInfo *ret,
                              GError **error);
    char *(*pool_get_xml_desc)(gpointer conn, const CorePoolRef *pool, guint flags,
                               GError **error);
    int (*pool_get_autostart)(gpointer conn, const CorePoolRef *pool, GError **error);
    gboolean (*pool_set_autostart)(gpointer conn, const CorePoolRef *pool, gboolean autostart,
                                   GError **error);
    int (*pool_is_active)(gpointer conn, const CorePoolRef *pool, GError **error);
    int (*pool_is_persistent)(gpointer conn, const CorePoolRef *pool, GError **error);
    int (*pool_num_of_volumes)(gpointer conn, const CorePoolRef *pool, GError **error);
    /* (element-type CoreVolRef) */
    GPtrArray *(*pool_list_all_volumes)(gpointer conn, const CorePoolRef *pool, guint flags,
                                        GError **error);
    CoreVolRef *(*vol_create_xml)(gpointer conn, const CorePoolRef *pool, const char *xml,
                                  guint flags, GError **error);
    CoreVolRef *(*vol_create_xml_from)(gpointer conn, const CorePoolRef *pool, const char *xml,
                                       const CoreVolRef *clone, guint flags, GError **error);
    gboolean (*vol_delete)(gpointer conn, const CoreVolRef *vol, guint flags, GError **error);
    CoreVolRef *(*vol_lookup_by_name)(gpointer conn, const CorePoolRef *pool, const char *name,
                                      GError **error);
    CoreVolRef *(*vol_lookup_by_key)(gpointer conn, const char *key, GError **error);
    CoreVolRef *(*vol_lookup_by_path)(gpointer conn, const char *path, GError **error);
    gboolean (*vol_get_info)(gpointer conn, const CoreVolRef *vol, CoreVolInfo *ret,
                             GError **error);
    char *(*vol_get_xml_desc)(gpointer conn, const CoreVolRef *vol, guint flags, GError **error);
    char *(*vol_get_path)(gpointer conn, const CoreVolRef *vol, GError **error);
} CoreStorageOps;

/* CoreDriver.flags */
typedef enum {
    /* No entry ever waits: not on a socket, a process, a disk, nor on a lock
     * someone holds across such a wait; the driver answers from memory.
     * The RPC server then runs the connection's calls on its main loop
     * instead of handing them to a worker (core-rpc-dispatch.c names the
     * calls that still go to a worker). Drivers that talk to another
     * daemon or to QEMU must not set it. */
    CORE_DRIVER_NONBLOCKING = 1 << 0,
} CoreDriverFlags;

/* One driver: its URI schemes and its tables (any table may be NULL). */
typedef struct {
    const char *name;            /* "test", "qemu" */
    const char *const *schemes;  /* NULL-terminated URI schemes it serves */
    const CoreHostOps *host;
    const CoreDomainOps *domain;
    const CoreNetworkOps *network;
    const CoreStorageOps *storage;
    guint flags;                 /* CoreDriverFlags */
} CoreDriver;

/* The in-memory test driver (test:///default and test:///PATH.xml). */
extern const CoreDriver core_test_driver;

G_END_DECLS
