/* core-test-driver-priv: state shared by the files of the in-memory test
 * driver (test:///default and test:///PATH.xml).
 *
 * One TestState holds every object of one driver instance behind one
 * mutex. test:///default has a single process-wide state shared by all its
 * connections (refcounted); each test:///PATH.xml connection gets a state
 * of its own, as libvirt's test driver does.
 *
 * Locking: every table entry takes st->lock, works on the objects, queues
 * the events it causes (test_state_queue_*) and leaves through
 * test_state_unlock(), which releases the lock and then hands the queued
 * events to the sinks of every connection of the state, in the order they
 * were queued. No sink is ever called with st->lock held.
 */
#pragma once

#include <glib.h>

#include "core-driver.h"
#include "core-domain-conf.h"
#include "core-network-conf.h"
#include "core-storage-conf.h"

G_BEGIN_DECLS

/* libvirt's virDomainState values */
enum {
    TEST_DOM_NOSTATE = 0,
    TEST_DOM_RUNNING = 1,
    TEST_DOM_BLOCKED = 2,
    TEST_DOM_PAUSED = 3,
    TEST_DOM_SHUTDOWN = 4,
    TEST_DOM_SHUTOFF = 5,
    TEST_DOM_CRASHED = 6,
    TEST_DOM_PMSUSPENDED = 7,
    TEST_DOM_STATE_LAST = 8,
};

/* The maximum vcpu count the test hypervisor reports (get_max_vcpus). */
#define TEST_MAX_VCPUS 32

typedef struct {
    CoreDomainDef *def;    /* live definition (the only one when inactive) */
    CoreDomainDef *newdef; /* persistent config while a persistent domain runs */
    int state;             /* virDomainState */
    int reason;
    gboolean persistent;
    gboolean autostart;
    gboolean managed_save;
} TestDomain;

typedef struct {
    CoreNetworkDef *def;
    CoreNetworkDef *newdef; /* persistent config while running, if redefined */
    gboolean active;
    gboolean persistent;
    gboolean autostart;
} TestNetwork;

typedef struct {
    CorePoolDef *def;
    gboolean active;
    gboolean persistent;
    gboolean autostart;
    GPtrArray *vols; /* (element-type CoreVolDef) owned */
} TestPool;

typedef struct {
    guint64 mem_kib;
    guint64 free_kib;
    int ncpus;
} TestCell;

typedef struct _TestState TestState;
typedef struct _TestConn TestConn;

struct _TestState {
    GMutex lock;
    int refs;           /* protected by the registry lock (core-test-driver.c) */
    gboolean shared;    /* the test:///default instance */

    CoreNodeInfo node;
    TestCell *cells;
    int ncells;
    int next_dom_id;

    GHashTable *dom_by_uuid;  /* raw uuid (owned copy) -> TestDomain (owned) */
    GHashTable *dom_by_name;  /* name (owned copy) -> TestDomain (borrowed) */
    GHashTable *net_by_name;  /* name (owned copy) -> TestNetwork (owned) */
    GHashTable *pool_by_name; /* name (owned copy) -> TestPool (owned) */

    /* events: queued under @lock, delivered under @sink_lock */
    GQueue pending;           /* (element-type CoreEvent) */
    gint npending;            /* atomic mirror of pending.length */
    GMutex sink_lock;
    GPtrArray *conns;         /* (element-type TestConn) borrowed; changed
                               * only with both @sink_lock and @lock held */
};

struct _TestConn {
    TestState *st;
    char *uri;
    CoreEventSink sink;
    gpointer sink_data;
};

/* ---- core-test-driver.c: state, locking, events, shared helpers -------- */

TestState *test_state_new(void);
void test_state_lock(TestState *st);
/* Releases st->lock, then delivers the events queued meanwhile. */
void test_state_unlock(TestState *st);
/* A held lock as a scope guard: the lock is released (and the queued events
 * delivered) when the variable goes out of scope:
 *     G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(st); */
typedef TestState TestStateLocked;
TestStateLocked *test_state_locked(TestState *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestStateLocked, test_state_unlock)
void test_state_queue_domain(TestState *st, const CoreDomainDef *def, int event, int detail);
/* METADATA_CHANGE of @def: @type (CoreDomainMetadataType), @nsuri for an
 * element (copied; NULL for title and description). */
void test_state_queue_metadata(TestState *st, const CoreDomainDef *def, int type,
                               const char *nsuri);
void test_state_queue_network(TestState *st, const CoreNetworkDef *def, int event);
void test_state_queue_pool(TestState *st, const CorePoolDef *def, int event);
void test_state_queue_pool_refresh(TestState *st, const CorePoolDef *def);

/* virCheckFlags: INVALID_ARG "unsupported flags (0x..) in function FUNC". */
gboolean test_check_flags(guint flags, guint supported, const char *func, GError **error);

/* Filter group test of the virConnectListAll* flags: TRUE when @flags does
 * not mention the group (@yes|@no) or the object matches a mentioned side. */
gboolean test_list_match(guint flags, guint yes, guint no, gboolean value);

/* How the shared lookup and list helpers see one kind of object
 * (TestDomain, TestNetwork, TestPool). */
typedef struct {
    gsize table;                           /* offset of its table in TestState */
    const char *(*name)(gconstpointer obj);
    const guint8 *(*uuid)(gconstpointer obj);
    gpointer (*ref)(gconstpointer obj);    /* a new Core*Ref */
    GDestroyNotify ref_free;
    gboolean (*match)(gconstpointer obj, guint flags); /* list filter */
    int no_such;                           /* CORE_ERR_NO_* of a failed lookup */
    const char *what;                      /* "network", "storage pool" */
} TestObjClass;

/* (transfer none) The object with @uuid, or NULL (no error). */
gpointer test_obj_by_uuid(TestState *st, const TestObjClass *klass, const guint8 *uuid);
/* (transfer none) The object named @name, or NULL with @klass->no_such
 * "no <what> with matching name '<name>'". */
gpointer test_obj_find_name(TestState *st, const TestObjClass *klass, const char *name,
                            GError **error);
/* Like test_obj_find_name() by UUID ("... matching uuid '<uuid>'"). */
gpointer test_obj_find_uuid(TestState *st, const TestObjClass *klass, const guint8 *uuid,
                            GError **error);
/* A new ref to the object named @name, or with @uuid when @name is NULL;
 * takes the state lock. NULL with the error of test_obj_find_*(). */
gpointer test_obj_lookup(TestState *st, const TestObjClass *klass, const char *name,
                         const guint8 *uuid, GError **error);
/* (transfer full) Refs of the objects @klass->match accepts for @flags,
 * sorted by name; takes the state lock. */
GPtrArray *test_obj_list(TestState *st, const TestObjClass *klass, guint flags);

/* ---- core-test-domain.c ---------------------------------------------------- */

TestDomain *test_domain_new(CoreDomainDef *def);
void test_domain_free(TestDomain *dom);
/* Adds @dom to the tables (takes ownership). */
void test_domain_insert(TestState *st, TestDomain *dom);
/**
 * test_domain_assign:
 * Adds @def as a new domain or gives it to the existing one with its UUID,
 * as libvirt's domain list does: a name/UUID clash is OPERATION_FAILED;
 * with @live (create_xml) an active domain is OPERATION_INVALID. A running
 * domain gets @def as its next config; a stopped one started with @live
 * keeps its config for after the run.
 * @ret_updated: (out) (optional): TRUE when a definition was replaced
 * Returns: (transfer none) the domain, taking @def; NULL on error (@def is
 * still the caller's).
 */
TestDomain *test_domain_assign(TestState *st, CoreDomainDef *def, gboolean live,
                               gboolean *ret_updated, GError **error);
/* The test hypervisor's defaults for a parsed definition: i686, cirrus
 * video, "testnetN" names for interfaces without a target. */
void test_domain_post_parse(CoreDomainDef *def);
/* Makes @dom active in @state with @reason (assigns the next id). */
void test_domain_start(TestState *st, TestDomain *dom, int state, int reason);

/* The domain named by @ref (by UUID), or NO_DOMAIN. (transfer none) */
TestDomain *test_domain_find(TestState *st, const CoreDomainRef *ref, GError **error);
/* TRUE when @dom runs (has an id). */
gboolean test_domain_is_active(const TestDomain *dom);
/* OPERATION_INVALID "domain is not running" unless @dom runs. */
gboolean test_domain_check_active(const TestDomain *dom, GError **error);

/* ---- core-test-domain-query.c: CoreDomainOps entries (see core-driver.h) -- */

/* The number of online vcpus of @def. */
guint test_def_vcpus(const CoreDomainDef *def);
/* (transfer none) One definition of @dom for @flags (AFFECT_*; LIVE and
 * CONFIG together are INVALID_ARG), or NULL with @error set. */
CoreDomainDef *test_domain_get_one_def(TestDomain *dom, guint flags, gboolean *ret_live,
                                       GError **error);

gboolean test_domain_get_info(gpointer conn, const CoreDomainRef *dom, CoreDomainInfo *ret,
                              GError **error);
gboolean test_domain_get_state(gpointer conn, const CoreDomainRef *dom, guint flags,
                               int *ret_state, int *ret_reason, GError **error);
char *test_domain_get_xml_desc(gpointer conn, const CoreDomainRef *dom, guint flags,
                               GError **error);
char *test_domain_get_os_type(gpointer conn, const CoreDomainRef *dom, GError **error);
int test_domain_get_autostart(gpointer conn, const CoreDomainRef *dom, GError **error);
gboolean test_domain_set_autostart(gpointer conn, const CoreDomainRef *dom, gboolean autostart,
                                   GError **error);
int test_domain_is_active_entry(gpointer conn, const CoreDomainRef *dom, GError **error);
int test_domain_is_persistent(gpointer conn, const CoreDomainRef *dom, GError **error);
int test_domain_is_updated(gpointer conn, const CoreDomainRef *dom, GError **error);
gboolean test_domain_get_max_memory(gpointer conn, const CoreDomainRef *dom, guint64 *ret_kib,
                                    GError **error);
gboolean test_domain_set_memory_flags(gpointer conn, const CoreDomainRef *dom, guint64 kib,
                                      guint flags, GError **error);
int test_domain_get_vcpus_flags(gpointer conn, const CoreDomainRef *dom, guint flags,
                                GError **error);
gboolean test_domain_set_vcpus_flags(gpointer conn, const CoreDomainRef *dom, guint nvcpus,
                                     guint flags, GError **error);
int test_domain_has_managed_save_image(gpointer conn, const CoreDomainRef *dom, guint flags,
                                       GError **error);
int test_domain_snapshot_num(gpointer conn, const CoreDomainRef *dom, guint flags,
                             GError **error);
gboolean test_domain_get_security_label(gpointer conn, const CoreDomainRef *dom,
                                        CoreSecurityLabel *ret, GError **error);
gboolean test_domain_set_metadata(gpointer conn, const CoreDomainRef *dom, int type,
                                  const char *metadata, const char *key, const char *uri,
                                  guint flags, GError **error);
char *test_domain_get_metadata(gpointer conn, const CoreDomainRef *dom, int type,
                               const char *uri, guint flags, GError **error);

/* ---- core-test-domain-tune.c: statistics and tunables -------------------- */

int test_domain_get_vcpus(gpointer conn, const CoreDomainRef *dom, CoreVcpuInfo *info,
                          int maxinfo, guint8 *cpumaps, int maplen, GError **error);
char *test_domain_get_scheduler_type(gpointer conn, const CoreDomainRef *dom, int *ret_nparams,
                                     GError **error);
gboolean test_domain_get_scheduler_parameters(gpointer conn, const CoreDomainRef *dom,
                                              guint flags, CoreTypedParam **ret_params,
                                              guint *ret_nparams, GError **error);
gboolean test_domain_get_memory_parameters(gpointer conn, const CoreDomainRef *dom, guint flags,
                                           CoreTypedParam **ret_params, guint *ret_nparams,
                                           GError **error);
gboolean test_domain_get_blkio_parameters(gpointer conn, const CoreDomainRef *dom, guint flags,
                                          CoreTypedParam **ret_params, guint *ret_nparams,
                                          GError **error);
int test_domain_memory_stats(gpointer conn, const CoreDomainRef *dom, CoreMemoryStat *stats,
                             guint nr_stats, guint flags, GError **error);
char *test_domain_get_hostname(gpointer conn, const CoreDomainRef *dom, guint flags,
                               GError **error);
gboolean test_domain_get_time(gpointer conn, const CoreDomainRef *dom, guint flags,
                              gint64 *ret_seconds, guint *ret_nseconds, GError **error);
int test_node_get_cells_free_memory(gpointer conn, guint64 *ret, int start, int max,
                                    GError **error);
gboolean test_node_get_cpu_stats(gpointer conn, int cpu, guint flags,
                                 CoreTypedParam **ret_params, guint *ret_nparams,
                                 GError **error);
int test_node_get_cpu_map(gpointer conn, guint8 **ret_map, guint *ret_online, guint flags,
                          GError **error);

/* ---- core-test-network.c --------------------------------------------------- */

void test_network_free(TestNetwork *net);
/* Like test_domain_assign() for networks (the new one is inactive and,
 * without @live, persistent). */
TestNetwork *test_network_assign(TestState *st, CoreNetworkDef *def, gboolean live,
                                 GError **error);

/* ---- core-test-storage.c --------------------------------------------------- */

void test_pool_free(TestPool *pool);
/* Like test_domain_assign() for pools (the new one is inactive and, without
 * @live, persistent). */
TestPool *test_pool_assign(TestState *st, CorePoolDef *def, gboolean live, GError **error);
/* Sets the test backend's fixed sizes (100 GiB capacity, nothing used). */
void test_pool_set_defaults(CorePoolDef *def);
/* Adds @vol to @pool (takes ownership): fills path and key when absent and
 * accounts its allocation. */
void test_pool_add_vol(TestPool *pool, CoreVolDef *vol, gboolean force_path);

/* ---- core-test-default.c --------------------------------------------------- */

/* The node description test:///default starts from (libvirt's <node>). */
extern const char test_default_node_xml[];
/* Sets the default node info, and with @numa the two NUMA cells of
 * test:///default (node files get none). */
void test_default_node(TestState *st, gboolean numa);
/* (transfer full) The capabilities XML for @st. */
char *test_capabilities_format(const TestState *st);
/* (transfer none) The fixed sysinfo XML. */
const char *test_sysinfo(void);

/* ---- core-test-node.c ------------------------------------------------------ */

/**
 * test_node_load:
 * Fills @st from a <node> document: node info (<cpu>, <memory>), domains,
 * networks and pools with their volumes. Children may be inline or
 * reference a file with file='...', relative to @path's directory.
 * @path: the node file, or NULL when @xml is given
 * @xml: the document text when @path is NULL
 * Returns: FALSE with @error set on a bad document or object.
 */
gboolean test_node_load(TestState *st, const char *path, const char *xml, GError **error);

/* ---- tables ------------------------------------------------------------------ */

extern const CoreHostOps test_host_ops;
extern const CoreDomainOps test_domain_ops;
extern const CoreNetworkOps test_network_ops;
extern const CoreStorageOps test_storage_ops;

G_END_DECLS
