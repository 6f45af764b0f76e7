/* core-test-domain-tune: the test driver's statistics and tunables (vcpu
 * info, scheduler, memory and blkio parameters, memory statistics, guest
 * hostname and time) and the host statistics (cells, CPU stats, CPU map).
 *
 * The values are the fixed ones libvirt's test driver reports, so that
 * clients see the same numbers through a daemon as in-process.
 */
#include "vireo-config.h"

#include <string.h>

#include "core-error.h"
#include "core-test-driver-priv.h"

#define CORE_FROM_THIS CORE_FROM_TEST

enum {
    AFFECT_LIVE = 1 << 0,
    AFFECT_CONFIG = 1 << 1,
    TYPED_PARAM_STRING_OKAY = 1 << 2,
    HOSTNAME_LEASE = 1 << 0,
    HOSTNAME_AGENT = 1 << 1,
};

/* VIR_DOMAIN_MEMORY_PARAM_UNLIMITED: no limit configured */
#define MEMORY_PARAM_UNLIMITED G_GUINT64_CONSTANT(9007199254740991)

/* The guest clock of every test domain (libvirt's test driver value). */
#define TEST_GUEST_TIME 627319920

/* virDomainMemoryStatTags */
enum {
    STAT_SWAP_IN = 0,
    STAT_SWAP_OUT = 1,
    STAT_MAJOR_FAULT = 2,
    STAT_MINOR_FAULT = 3,
    STAT_UNUSED = 4,
    STAT_AVAILABLE = 5,
    STAT_ACTUAL_BALLOON = 6,
    STAT_RSS = 7,
    STAT_USABLE = 8,
    STAT_LAST_UPDATE = 9,
    STAT_DISK_CACHES = 10,
    STAT_HUGETLB_PGALLOC = 11,
    STAT_HUGETLB_PGFAIL = 12,
};

static void
param_set_uint(CoreTypedParam *p, const char *field, guint32 v)
{
    p->field = g_strdup(field);
    p->type = CORE_TYPED_PARAM_UINT;
    p->value.ui = v;
}

static void
param_set_ullong(CoreTypedParam *p, const char *field, guint64 v)
{
    p->field = g_strdup(field);
    p->type = CORE_TYPED_PARAM_ULLONG;
    p->value.ul = v;
}

static void
param_set_string(CoreTypedParam *p, const char *field, const char *v)
{
    p->field = g_strdup(field);
    p->type = CORE_TYPED_PARAM_STRING;
    p->value.s = g_strdup(v);
}

/* Finds the domain of @ref under the state lock and, with @active, checks
 * that it runs. The caller unlocks. */
static TestDomain *
tune_find(TestConn *conn, const CoreDomainRef *ref, gboolean active, GError **error)
{
    TestDomain *dom;

    test_state_lock(conn->st);
    dom = test_domain_find(conn->st, ref, error);
    if (dom && active && !test_domain_check_active(dom, error))
        return NULL;
    return dom;
}

int
test_domain_get_vcpus(gpointer opaque, const CoreDomainRef *ref, CoreVcpuInfo *info,
                      int maxinfo, guint8 *cpumaps, int maplen, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;
    int hostcpus;
    guint64 now = (guint64)g_get_real_time();
    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    int n;

    if (!(dom = test_domain_find(conn->st, ref, error)))
        return -1;
    if (!test_domain_is_active(dom)) {
        core_error_set(error, CORE_ERR_OPERATION_INVALID,
                       "cannot list vcpus for an inactive domain");
        return -1;
    }
    hostcpus = conn->st->node.nodes * conn->st->node.sockets * conn->st->node.cores *
               conn->st->node.threads;
    n = MIN(maxinfo, (int)test_def_vcpus(dom->def));
    for (int i = 0; i < n; i++) {
        info[i].number = i;
        info[i].state = 1; /* VIR_VCPU_RUNNING */
        info[i].cpu = hostcpus - 1;
        /* libvirt's test driver: a fake increasing value from the clock */
        info[i].cpu_time_ns = now / 10;
        /* no pinning: every host CPU */
        for (int c = 0; cpumaps && c < hostcpus && c / 8 < maplen; c++)
            cpumaps[(gsize)i * maplen + c / 8] |= 1u << (c % 8);
    }
    return n;
}

char *
test_domain_get_scheduler_type(gpointer opaque, const CoreDomainRef *ref, int *ret_nparams,
                               GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom = tune_find(conn, ref, FALSE, error);

    test_state_unlock(conn->st);
    if (!dom)
        return NULL;
    *ret_nparams = 1;
    return g_strdup("fair");
}

gboolean
test_domain_get_scheduler_parameters(gpointer opaque, const CoreDomainRef *ref, guint flags,
                                     CoreTypedParam **ret_params, guint *ret_nparams,
                                     GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, 0, "testDomainGetSchedulerParametersFlags", error))
        return FALSE;
    dom = tune_find(conn, ref, FALSE, error);
    test_state_unlock(conn->st);
    if (!dom)
        return FALSE;
    *ret_params = g_new0(CoreTypedParam, 1);
    param_set_uint(&(*ret_params)[0], "weight", 50);
    *ret_nparams = 1;
    return TRUE;
}

gboolean
test_domain_get_memory_parameters(gpointer opaque, const CoreDomainRef *ref, guint flags,
                                  CoreTypedParam **ret_params, guint *ret_nparams,
                                  GError **error)
{
    static const char *const fields[] = { "hard_limit", "soft_limit", "swap_hard_limit" };
    TestConn *conn = opaque;
    TestDomain *dom;
    gboolean ok;

    if (!test_check_flags(flags, AFFECT_LIVE | AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY,
                          "testDomainGetMemoryParameters", error))
        return FALSE;
    dom = tune_find(conn, ref, FALSE, error);
    ok = dom && test_domain_get_one_def(dom, flags, NULL, error);
    test_state_unlock(conn->st);
    if (!ok)
        return FALSE;
    /* <memtune> is not kept: every limit is unset */
    *ret_params = g_new0(CoreTypedParam, G_N_ELEMENTS(fields));
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++)
        param_set_ullong(&(*ret_params)[i], fields[i], MEMORY_PARAM_UNLIMITED);
    *ret_nparams = G_N_ELEMENTS(fields);
    return TRUE;
}

gboolean
test_domain_get_blkio_parameters(gpointer opaque, const CoreDomainRef *ref, guint flags,
                                 CoreTypedParam **ret_params, guint *ret_nparams,
                                 GError **error)
{
    static const char *const devices[] = {
        "device_weight", "device_read_iops_sec", "device_write_iops_sec",
        "device_read_bytes_sec", "device_write_bytes_sec",
    };
    TestConn *conn = opaque;
    TestDomain *dom;
    gboolean ok;

    if (!test_check_flags(flags, AFFECT_LIVE | AFFECT_CONFIG | TYPED_PARAM_STRING_OKAY,
                          "testDomainGetBlkioParameters", error))
        return FALSE;
    dom = tune_find(conn, ref, FALSE, error);
    ok = dom && test_domain_get_one_def(dom, flags, NULL, error);
    test_state_unlock(conn->st);
    if (!ok)
        return FALSE;
    /* <blkiotune> is not kept: weight 0 and no per-device settings */
    *ret_params = g_new0(CoreTypedParam, 1 + G_N_ELEMENTS(devices));
    param_set_uint(&(*ret_params)[0], "weight", 0);
    for (guint i = 0; i < G_N_ELEMENTS(devices); i++)
        param_set_string(&(*ret_params)[i + 1], devices[i], "");
    *ret_nparams = 1 + G_N_ELEMENTS(devices);
    return TRUE;
}

int
test_domain_memory_stats(gpointer opaque, const CoreDomainRef *ref, CoreMemoryStat *stats,
                         guint nr_stats, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;
    guint64 cur;
    guint n = 0;

    if (!test_check_flags(flags, 0, "testDomainMemoryStats", error))
        return -1;
    dom = tune_find(conn, ref, TRUE, error);
    cur = dom ? dom->def->current_memory_kib : 0;
    test_state_unlock(conn->st);
    if (!dom)
        return -1;
    {
        /* libvirt's test driver derives them from the current memory, in
         * this order */
        const CoreMemoryStat all[] = {
            { STAT_ACTUAL_BALLOON, cur }, { STAT_SWAP_IN, 0 }, { STAT_SWAP_OUT, 0 },
            { STAT_MAJOR_FAULT, 0 }, { STAT_MINOR_FAULT, 0 }, { STAT_UNUSED, cur / 2 },
            { STAT_AVAILABLE, cur }, { STAT_USABLE, cur / 2 },
            { STAT_LAST_UPDATE, TEST_GUEST_TIME }, { STAT_DISK_CACHES, cur / 8 },
            { STAT_HUGETLB_PGALLOC, 0 }, { STAT_HUGETLB_PGFAIL, 0 }, { STAT_RSS, cur / 2 },
        };

        for (n = 0; n < G_N_ELEMENTS(all) && n < nr_stats; n++)
            stats[n] = all[n];
    }
    return (int)n;
}

char *
test_domain_get_hostname(gpointer opaque, const CoreDomainRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, HOSTNAME_LEASE | HOSTNAME_AGENT, "testDomainGetHostname",
                          error))
        return NULL;
    dom = tune_find(conn, ref, TRUE, error);
    test_state_unlock(conn->st);
    return dom ? g_strdup("testhost") : NULL;
}

gboolean
test_domain_get_time(gpointer opaque, const CoreDomainRef *ref, guint flags, gint64 *ret_seconds,
                     guint *ret_nseconds, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, 0, "testDomainGetTime", error))
        return FALSE;
    dom = tune_find(conn, ref, FALSE, error);
    /* libvirt's test driver raises this one itself (from the test driver) */
    if (dom && !test_domain_is_active(dom)) {
        core_error_set(error, CORE_ERR_OPERATION_INVALID, "domain is not running");
        dom = NULL;
    }
    test_state_unlock(conn->st);
    if (!dom)
        return FALSE;
    *ret_seconds = TEST_GUEST_TIME;
    *ret_nseconds = 0;
    return TRUE;
}

/* ---- host ------------------------------------------------------------------- */

int
test_node_get_cells_free_memory(gpointer opaque, guint64 *ret, int start, int max,
                                GError **error)
{
    TestConn *conn = opaque;
    int n = 0;

    test_state_lock(conn->st);
    if (start < 0 || start >= conn->st->ncells) {
        test_state_unlock(conn->st);
        core_error_set(error, CORE_ERR_INVALID_ARG, "Range exceeds available cells");
        return -1;
    }
    /* libvirt's test driver answers each cell's size (in KiB) */
    for (int i = start; i < conn->st->ncells && n < max; i++)
        ret[n++] = conn->st->cells[i].mem_kib;
    test_state_unlock(conn->st);
    return n;
}

gboolean
test_node_get_cpu_stats(gpointer conn, int cpu, guint flags, CoreTypedParam **ret_params,
                        guint *ret_nparams, GError **error)
{
    static const struct {
        const char *field;
        guint64 value;
    } stats[] = {
        { "user", G_GUINT64_CONSTANT(9797400000) },
        { "kernel", G_GUINT64_CONSTANT(34678723400000) },
        { "idle", G_GUINT64_CONSTANT(87264900000) },
        { "iowait", G_GUINT64_CONSTANT(763600000) },
    };

    if (!test_check_flags(flags, 0, "testNodeGetCPUStats", error))
        return FALSE;
    /* the same fixed numbers for every CPU and for the total */
    *ret_params = g_new0(CoreTypedParam, G_N_ELEMENTS(stats));
    for (guint i = 0; i < G_N_ELEMENTS(stats); i++)
        param_set_ullong(&(*ret_params)[i], stats[i].field, stats[i].value);
    *ret_nparams = G_N_ELEMENTS(stats);
    return TRUE;
}

int
test_node_get_cpu_map(gpointer conn, guint8 **ret_map, guint *ret_online, guint flags,
                      GError **error)
{
    if (!test_check_flags(flags, 0, "testNodeGetCPUMap", error))
        return -1;
    /* libvirt's test host: 8 CPUs, 0, 2 and 4 online */
    if (ret_map) {
        *ret_map = g_new0(guint8, 1);
        (*ret_map)[0] = 0x15;
    }
    if (ret_online)
        *ret_online = 3;
    return 8;
}
