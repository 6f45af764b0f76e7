/* core-test-domain-query: the test driver's domain queries and tuning
 * (info, state, XML, autostart, memory, vcpus, ...).
 *
 * Live/config selection follows libvirt's rules: AFFECT_CURRENT means the
 * live definition of a running domain and the config of a stopped one; the
 * config of a running persistent domain is its pending newdef.
 */
#include "vireo-config.h"

#include <string.h>

#include "core-error.h"
#include "core-test-driver-priv.h"

#define CORE_FROM_THIS CORE_FROM_TEST

/* public API flag values */
enum {
    AFFECT_LIVE = 1 << 0,
    AFFECT_CONFIG = 1 << 1,
    MEM_MAXIMUM = 1 << 2,
    VCPU_MAXIMUM = 1 << 2,
    XML_SECURE = 1 << 0,
    XML_INACTIVE = 1 << 1,
    XML_MIGRATABLE = 1 << 3,
    SNAPSHOT_LIST_ALL = 0x7ff, /* ROOTS | TOPOLOGICAL | VIR_DOMAIN_SNAPSHOT_FILTERS_ALL */
};

/* ---- vcpu accessors ------------------------------------------------------ */

/* <vcpu> is the maximum, its current= attribute (0: the maximum) the
 * number of online vcpus. */
static guint
test_def_vcpus_max(const CoreDomainDef *def)
{
    return def->vcpus;
}

guint
test_def_vcpus(const CoreDomainDef *def)
{
    guint cur = core_domain_def_priv(def)->vcpus_current;

    return cur && cur < def->vcpus ? cur : def->vcpus;
}

static void
test_def_set_vcpus(CoreDomainDef *def, guint n)
{
    core_domain_def_priv(def)->vcpus_current = n == def->vcpus ? 0 : n;
}

static void
test_def_set_vcpus_max(CoreDomainDef *def, guint n)
{
    guint cur = test_def_vcpus(def);

    def->vcpus = n;
    test_def_set_vcpus(def, MIN(cur, n));
}

/* libvirt's modification impact rules: AFFECT_CURRENT picks live or config
 * by state; live needs a running domain, config a persistent one. Sets
 * *@live / *@config (either may be NULL in the result). */
static gboolean
test_domain_get_defs(TestDomain *dom, guint flags, CoreDomainDef **live, CoreDomainDef **config,
                     GError **error)
{
    gboolean active = test_domain_is_active(dom);

    if (!(flags & (AFFECT_LIVE | AFFECT_CONFIG)))
        flags |= active ? AFFECT_LIVE : AFFECT_CONFIG;
    if (!active && (flags & AFFECT_LIVE))
        return test_domain_check_active(dom, error);
    if (!dom->persistent && (flags & AFFECT_CONFIG))
        return core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_INVALID,
                                   "transient domains do not have any persistent config");
    *live = (flags & AFFECT_LIVE) ? dom->def : NULL;
    *config = NULL;
    if (flags & AFFECT_CONFIG)
        *config = dom->newdef ? dom->newdef : dom->def;
    return TRUE;
}

CoreDomainDef *
test_domain_get_one_def(TestDomain *dom, guint flags, gboolean *ret_live, GError **error)
{
    CoreDomainDef *live = NULL;
    CoreDomainDef *config = NULL;

    if ((flags & AFFECT_LIVE) && (flags & AFFECT_CONFIG)) {
        core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                               "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' "
                               "are mutually exclusive");
        return NULL;
    }
    if (!test_domain_get_defs(dom, flags, &live, &config, error))
        return NULL;
    if (ret_live)
        *ret_live = live != NULL;
    return live ? live : config;
}

/* ---- queries ---------------------------------------------------------------------- */

gboolean
test_domain_get_info(gpointer opaque, const CoreDomainRef *ref, CoreDomainInfo *ret,
                     GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error))) {
        ret->state = dom->state;
        ret->max_mem_kib = dom->def->memory_kib;
        ret->memory_kib = dom->def->current_memory_kib;
        ret->nr_virt_cpu = test_def_vcpus(dom->def);
        /* libvirt's test driver reports the wall clock as CPU time */
        ret->cpu_time_ns = (guint64)g_get_real_time() * 1000;
    }
    test_state_unlock(conn->st);
    return dom != NULL;
}

gboolean
test_domain_get_state(gpointer opaque, const CoreDomainRef *ref, guint flags, int *ret_state,
                      int *ret_reason, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, 0, "testDomainGetState", error))
        return FALSE;
    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error))) {
        *ret_state = dom->state;
        if (ret_reason)
            *ret_reason = dom->reason;
    }
    test_state_unlock(conn->st);
    return dom != NULL;
}

char *
test_domain_get_xml_desc(gpointer opaque, const CoreDomainRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    char *xml = NULL;
    TestDomain *dom;

    if (!test_check_flags(flags, XML_SECURE | XML_INACTIVE | XML_MIGRATABLE,
                          "testDomainGetXMLDesc", error))
        return NULL;
    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error))) {
        const CoreDomainDef *def = dom->def;
        guint fmt = 0;

        if ((flags & XML_INACTIVE) && dom->newdef)
            def = dom->newdef;
        if (flags & XML_INACTIVE)
            fmt |= CORE_DOMAIN_XML_INACTIVE;
        if (flags & XML_SECURE)
            fmt |= CORE_DOMAIN_XML_SECURE;
        xml = core_domain_def_format(def, fmt);
    }
    test_state_unlock(conn->st);
    return xml;
}

/* libvirt's test driver answers "linux" for any domain, without a lookup. */
char *
test_domain_get_os_type(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    return g_strdup("linux");
}

/* Reads one boolean property of a domain; -1 when it does not exist. */
static int
test_domain_get_bool(TestConn *conn, const CoreDomainRef *ref, gsize offset, GError **error)
{
    TestDomain *dom;
    int ret = -1;

    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error)))
        ret = G_STRUCT_MEMBER(gboolean, dom, offset) ? 1 : 0;
    test_state_unlock(conn->st);
    return ret;
}

int
test_domain_get_autostart(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    return test_domain_get_bool(conn, ref, G_STRUCT_OFFSET(TestDomain, autostart), error);
}

gboolean
test_domain_set_autostart(gpointer opaque, const CoreDomainRef *ref, gboolean autostart,
                          GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error)))
        dom->autostart = autostart ? TRUE : FALSE;
    test_state_unlock(conn->st);
    return dom != NULL;
}

int
test_domain_is_active_entry(gpointer opaque, const CoreDomainRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;
    int ret = -1;

    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error)))
        ret = test_domain_is_active(dom);
    test_state_unlock(conn->st);
    return ret;
}

int
test_domain_is_persistent(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    return test_domain_get_bool(conn, ref, G_STRUCT_OFFSET(TestDomain, persistent), error);
}

int
test_domain_is_updated(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    return 0;
}

gboolean
test_domain_get_max_memory(gpointer opaque, const CoreDomainRef *ref, guint64 *ret_kib,
                           GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error)))
        *ret_kib = dom->def->memory_kib;
    test_state_unlock(conn->st);
    return dom != NULL;
}

static gboolean
test_domain_set_memory_def(CoreDomainDef *def, guint64 kib, guint flags, gboolean live,
                           GError **error)
{
    if (flags & MEM_MAXIMUM) {
        if (live)
            return core_error_set(error, CORE_ERR_OPERATION_INVALID,
                                  "cannot resize the maximum memory on an active domain");
        def->memory_kib = kib;
        if (def->current_memory_kib > kib)
            def->current_memory_kib = kib;
        return TRUE;
    }
    if (kib > def->memory_kib)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "cannot set memory higher than max memory");
    def->current_memory_kib = kib;
    return TRUE;
}

gboolean
test_domain_set_memory_flags(gpointer opaque, const CoreDomainRef *ref, guint64 kib,
                             guint flags, GError **error)
{
    TestConn *conn = opaque;
    gboolean ok = FALSE;
    gboolean live = FALSE;
    CoreDomainDef *def;
    TestDomain *dom;

    if (!test_check_flags(flags, AFFECT_LIVE | AFFECT_CONFIG | MEM_MAXIMUM,
                          "testDomainSetMemoryFlags", error))
        return FALSE;
    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error)) &&
        (def = test_domain_get_one_def(dom, flags, &live, error)))
        ok = test_domain_set_memory_def(def, kib, flags, live, error);
    test_state_unlock(conn->st);
    return ok;
}

int
test_domain_get_vcpus_flags(gpointer opaque, const CoreDomainRef *ref, guint flags,
                            GError **error)
{
    TestConn *conn = opaque;
    CoreDomainDef *def;
    TestDomain *dom;
    int ret = -1;

    if (!test_check_flags(flags, AFFECT_LIVE | AFFECT_CONFIG | VCPU_MAXIMUM,
                          "testDomainGetVcpusFlags", error))
        return -1;
    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error)) &&
        (def = test_domain_get_one_def(dom, flags, NULL, error)))
        ret = (int)((flags & VCPU_MAXIMUM) ? test_def_vcpus_max(def) : test_def_vcpus(def));
    test_state_unlock(conn->st);
    return ret;
}

/* libvirt's public-API checks on the arguments of virDomainSetVcpusFlags. */
static gboolean
test_domain_check_vcpus_args(guint nvcpus, guint flags, GError **error)
{
    if (!test_check_flags(flags, AFFECT_LIVE | AFFECT_CONFIG | VCPU_MAXIMUM,
                          "testDomainSetVcpusFlags", error))
        return FALSE;
    if (nvcpus == 0)
        return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                      "nvcpus in virDomainSetVcpusFlags must not be zero");
    if ((flags & VCPU_MAXIMUM) && !(flags & AFFECT_CONFIG))
        return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                      "Flag 'VIR_DOMAIN_AFFECT_CONFIG' is required by flag "
                                      "'VIR_DOMAIN_VCPU_MAXIMUM'");
    if (nvcpus > TEST_MAX_VCPUS)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "requested cpu amount exceeds maximum supported amount "
                              "(%u > %d)", nvcpus, TEST_MAX_VCPUS);
    return TRUE;
}

static gboolean
test_domain_set_vcpus_defs(CoreDomainDef *live, CoreDomainDef *config, guint n, guint flags,
                           GError **error)
{
    if (live && test_def_vcpus_max(live) < n)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "requested cpu amount exceeds maximum (%u > %u)", n,
                              test_def_vcpus_max(live));
    if (config && !(flags & VCPU_MAXIMUM) && test_def_vcpus_max(config) < n)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "requested cpu amount exceeds maximum (%u > %u)", n,
                              test_def_vcpus_max(config));
    if (live)
        test_def_set_vcpus(live, n);
    if (config) {
        if (flags & VCPU_MAXIMUM)
            test_def_set_vcpus_max(config, n);
        else
            test_def_set_vcpus(config, n);
    }
    return TRUE;
}

gboolean
test_domain_set_vcpus_flags(gpointer opaque, const CoreDomainRef *ref, guint nvcpus,
                            guint flags, GError **error)
{
    TestConn *conn = opaque;
    CoreDomainDef *live = NULL;
    CoreDomainDef *config = NULL;
    gboolean ok = FALSE;
    TestDomain *dom;

    if (!test_domain_check_vcpus_args(nvcpus, flags, error))
        return FALSE;
    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error)) &&
        test_domain_get_defs(dom, flags, &live, &config, error))
        ok = test_domain_set_vcpus_defs(live, config, nvcpus, flags, error);
    test_state_unlock(conn->st);
    return ok;
}

int
test_domain_has_managed_save_image(gpointer conn, const CoreDomainRef *ref, guint flags,
                                   GError **error)
{
    if (!test_check_flags(flags, 0, "testDomainHasManagedSaveImage", error))
        return -1;
    return test_domain_get_bool(conn, ref, G_STRUCT_OFFSET(TestDomain, managed_save), error);
}

int
test_domain_snapshot_num(gpointer opaque, const CoreDomainRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, SNAPSHOT_LIST_ALL, "testDomainSnapshotNum", error))
        return -1;
    test_state_lock(conn->st);
    dom = test_domain_find(conn->st, ref, error);
    test_state_unlock(conn->st);
    /* snapshots are not modelled: every domain has none */
    return dom ? 0 : -1;
}

gboolean
test_domain_get_security_label(gpointer opaque, const CoreDomainRef *ref, CoreSecurityLabel *ret,
                               GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    memset(ret, 0, sizeof(*ret));
    test_state_lock(conn->st);
    if ((dom = test_domain_find(conn->st, ref, error)) && test_domain_is_active(dom)) {
        g_strlcpy(ret->label, "libvirt-test", sizeof(ret->label));
        ret->enforcing = 1;
    }
    test_state_unlock(conn->st);
    return dom != NULL;
}

/* ---- metadata ------------------------------------------------------------------------ */

gboolean
test_domain_set_metadata(gpointer opaque, const CoreDomainRef *ref, int type,
                         const char *metadata, const char *key, const char *uri, guint flags,
                         GError **error)
{
    TestConn *conn = opaque;
    CoreDomainDef *live = NULL;
    CoreDomainDef *config = NULL;
    TestDomain *dom;

    if (!core_domain_metadata_check_set(type, metadata, key, uri, error) ||
        !test_check_flags(flags, AFFECT_LIVE | AFFECT_CONFIG, "testDomainSetMetadata", error))
        return FALSE;
    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    if (!(dom = test_domain_find(conn->st, ref, error)) ||
        !test_domain_get_defs(dom, flags, &live, &config, error))
        return FALSE;
    if (live && !core_domain_def_set_metadata(live, type, metadata, key, uri, error))
        return FALSE;
    if (config && config != live &&
        !core_domain_def_set_metadata(config, type, metadata, key, uri, error))
        return FALSE;
    test_state_queue_metadata(conn->st, dom->def, type, uri);
    return TRUE;
}

char *
test_domain_get_metadata(gpointer opaque, const CoreDomainRef *ref, int type, const char *uri,
                         guint flags, GError **error)
{
    TestConn *conn = opaque;
    CoreDomainDef *def;
    TestDomain *dom;

    if (!core_domain_metadata_check_get(type, uri, flags, error) ||
        !test_check_flags(flags, AFFECT_LIVE | AFFECT_CONFIG, "testDomainGetMetadata", error))
        return NULL;
    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    if (!(dom = test_domain_find(conn->st, ref, error)) ||
        !core_domain_metadata_check_type(type, error) ||
        !(def = test_domain_get_one_def(dom, flags, NULL, error)))
        return NULL;
    return core_domain_def_get_metadata(def, type, uri, error);
}
