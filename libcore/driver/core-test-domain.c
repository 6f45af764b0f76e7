/* core-test-domain: domains of the in-memory test driver.
 *
 * A domain has its live definition and, while a persistent domain runs,
 * the persistent config beside it (libvirt's def/newDef pair): starting
 * copies the config, stopping drops the live copy. Lifecycle changes are
 * immediate (shutdown and reboot included) and report the states, reasons,
 * events and errors libvirt's test driver reports.
 */
#include "vireo-config.h"

#include <string.h>

#include "core-error.h"
#include "core-test-driver-priv.h"
#include "core-uuid.h"

#define CORE_FROM_THIS CORE_FROM_TEST

/* virDomainEventType and details used here */
enum {
    EV_DEFINED = 0,
    EV_UNDEFINED = 1,
    EV_STARTED = 2,
    EV_SUSPENDED = 3,
    EV_RESUMED = 4,
    EV_STOPPED = 5,
};
enum { EV_DEFINED_ADDED = 0, EV_DEFINED_UPDATED = 1 };
enum { EV_STOPPED_SHUTDOWN = 0, EV_STOPPED_DESTROYED = 1 };

/* reasons (virDomainRunningReason, virDomainPausedReason,
 * virDomainShutoffReason) */
enum { RUNNING_BOOTED = 1, RUNNING_UNPAUSED = 5 };
enum { PAUSED_USER = 1 };
enum { SHUTOFF_SHUTDOWN = 1, SHUTOFF_DESTROYED = 2 };

/* public API flag values */
enum {
    AFFECT_LIVE = 1 << 0,
    AFFECT_CONFIG = 1 << 1,
    MEM_MAXIMUM = 1 << 2,
    VCPU_MAXIMUM = 1 << 2,
    XML_SECURE = 1 << 0,
    XML_INACTIVE = 1 << 1,
    XML_MIGRATABLE = 1 << 3,
    START_VALIDATE = 1 << 4,
    DEFINE_VALIDATE = 1 << 0,
    UNDEFINE_MANAGED_SAVE = 1 << 0,
    UNDEFINE_SNAPSHOTS_METADATA = 1 << 1,
    DESTROY_GRACEFUL = 1 << 0,
    REBOOT_ALL = 0x1f,          /* DEFAULT .. PARAVIRT */
    SNAPSHOT_LIST_ALL = 0x7ff,  /* ROOTS | TOPOLOGICAL | VIR_DOMAIN_SNAPSHOT_FILTERS_ALL */
};

/* virConnectListAllDomainsFlags */
enum {
    LIST_ACTIVE = 1 << 0,
    LIST_INACTIVE = 1 << 1,
    LIST_PERSISTENT = 1 << 2,
    LIST_TRANSIENT = 1 << 3,
    LIST_RUNNING = 1 << 4,
    LIST_PAUSED = 1 << 5,
    LIST_SHUTOFF = 1 << 6,
    LIST_OTHER = 1 << 7,
    LIST_MANAGEDSAVE = 1 << 8,
    LIST_NO_MANAGEDSAVE = 1 << 9,
    LIST_AUTOSTART = 1 << 10,
    LIST_NO_AUTOSTART = 1 << 11,
    LIST_HAS_SNAPSHOT = 1 << 12,
    LIST_NO_SNAPSHOT = 1 << 13,
    LIST_HAS_CHECKPOINT = 1 << 14,
    LIST_NO_CHECKPOINT = 1 << 15,
    LIST_ALL = 0xffff,
};

/* ---- the test hypervisor's post-parse step ---------------------------------- */

/* Names interfaces without a target "testnetN", the lowest N unused. */
static void
test_def_generate_ifnames(CoreDomainDef *def)
{
    GPtrArray *nets = core_domain_def_priv(def)->nets;

    for (guint i = 0; nets && i < nets->len; i++) {
        CoreDomainNetDef *net = g_ptr_array_index(nets, i);

        for (int n = 0; !net->target_dev && n < 1024; n++) {
            g_autofree char *name = g_strdup_printf("testnet%d", n);
            gboolean used = FALSE;

            for (guint j = 0; j < nets->len && !used; j++)
                used = g_strcmp0(((CoreDomainNetDef *)g_ptr_array_index(nets, j))->target_dev,
                                 name) == 0;
            if (!used)
                net->target_dev = g_steal_pointer(&name);
        }
    }
}

void
test_domain_post_parse(CoreDomainDef *def)
{
    static const CoreDomainDefaults defaults = {
        .arch = "i686",
        .video_model = "cirrus",
    };

    core_domain_def_apply_defaults(def, &defaults);
    test_def_generate_ifnames(def);
}

/* ---- objects --------------------------------------------------------------- */

TestDomain *
test_domain_new(CoreDomainDef *def)
{
    TestDomain *dom = g_new0(TestDomain, 1);

    dom->def = def;
    dom->def->id = -1;
    dom->state = TEST_DOM_SHUTOFF;
    return dom;
}

void
test_domain_free(TestDomain *dom)
{
    if (!dom)
        return;
    core_domain_def_free(dom->def);
    core_domain_def_free(dom->newdef);
    g_free(dom);
}

void
test_domain_insert(TestState *st, TestDomain *dom)
{
    g_hash_table_insert(st->dom_by_name, g_strdup(dom->def->name), dom);
    g_hash_table_insert(st->dom_by_uuid, g_memdup2(dom->def->uuid, CORE_UUID_BUFLEN), dom);
}

static void
test_domain_remove(TestState *st, TestDomain *dom)
{
    g_hash_table_remove(st->dom_by_name, dom->def->name);
    g_hash_table_remove(st->dom_by_uuid, dom->def->uuid);
}

gboolean
test_domain_is_active(const TestDomain *dom)
{
    return dom->def->id != -1;
}

void
test_domain_start(TestState *st, TestDomain *dom, int state, int reason)
{
    dom->state = state;
    dom->reason = reason;
    dom->def->id = st->next_dom_id++;
    if (dom->persistent && !dom->newdef)
        dom->newdef = core_domain_def_copy(dom->def);
    dom->managed_save = FALSE;
}

/* Stops @dom: the persistent config becomes the definition again. A
 * transient domain keeps its id until test_domain_stopped(), so that its
 * STOPPED event carries it, as libvirt's does. */
static void
test_domain_stop(TestDomain *dom, int reason)
{
    if (dom->newdef) {
        core_domain_def_free(dom->def);
        dom->def = g_steal_pointer(&dom->newdef);
        dom->def->id = -1;
    }
    dom->state = TEST_DOM_SHUTOFF;
    dom->reason = reason;
}

/* After a stop and its event: a transient domain is gone. */
static void
test_domain_stopped(TestState *st, TestDomain *dom)
{
    if (dom->persistent)
        dom->def->id = -1;
    else
        test_domain_remove(st, dom);
}

TestDomain *
test_domain_assign(TestState *st, CoreDomainDef *def, gboolean live, gboolean *ret_updated,
                   GError **error)
{
    char uuidstr[CORE_UUID_STRING_BUFLEN];
    TestDomain *dom = g_hash_table_lookup(st->dom_by_uuid, def->uuid);
    CoreDomainDef *old = NULL;

    if (ret_updated)
        *ret_updated = FALSE;
    if (!dom) {
        if ((dom = g_hash_table_lookup(st->dom_by_name, def->name))) {
            core_uuid_format(dom->def->uuid, uuidstr);
            core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_FAILED,
                                "domain '%s' already exists with uuid %s", def->name, uuidstr);
            return NULL;
        }
        dom = test_domain_new(def);
        test_domain_insert(st, dom);
        return dom;
    }
    core_uuid_format(dom->def->uuid, uuidstr);
    if (g_strcmp0(dom->def->name, def->name) != 0) {
        core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_FAILED,
                            "domain '%s' is already defined with uuid %s", dom->def->name,
                            uuidstr);
        return NULL;
    }
    if (live && test_domain_is_active(dom)) {
        core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_INVALID,
                            "domain '%s' is already active", dom->def->name);
        return NULL;
    }
    if (live && !dom->persistent) {
        core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_INVALID,
                            "domain '%s' is already being started", dom->def->name);
        return NULL;
    }

    /* libvirt's virDomainObjAssignDef: a running domain gets a new config,
     * a stopped one started with new XML keeps its config for later */
    if (test_domain_is_active(dom)) {
        old = dom->newdef;
        dom->newdef = def;
        def->id = -1;
    } else if (live) {
        if (!dom->newdef)
            dom->newdef = dom->def;
        else
            core_domain_def_free(dom->def);
        dom->def = def;
        def->id = -1;
    } else {
        old = dom->def;
        dom->def = def;
        def->id = -1;
    }
    if (ret_updated)
        *ret_updated = old != NULL;
    core_domain_def_free(old);
    return dom;
}

/* The domain @ref names (by UUID), or NO_DOMAIN. */
TestDomain *
test_domain_find(TestState *st, const CoreDomainRef *ref, GError **error)
{
    TestDomain *dom = g_hash_table_lookup(st->dom_by_uuid, ref->uuid);
    char uuidstr[CORE_UUID_STRING_BUFLEN];

    if (!dom)
        core_error_set(error, CORE_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)",
                       core_uuid_format(ref->uuid, uuidstr), ref->name);
    return dom;
}

static CoreDomainRef *
test_domain_ref(const TestDomain *dom)
{
    return core_domain_ref_new(dom->def->name, dom->def->uuid, dom->def->id);
}

gboolean
test_domain_check_active(const TestDomain *dom, GError **error)
{
    if (!test_domain_is_active(dom))
        return core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_INVALID,
                                   "domain is not running");
    return TRUE;
}

/* ---- lookups and lists ------------------------------------------------------ */

static gboolean
test_domain_list_match(gconstpointer obj, guint flags)
{
    const TestDomain *dom = obj;
    gboolean active = test_domain_is_active(dom);
    int st = dom->state;

    if (!test_list_match(flags, LIST_ACTIVE, LIST_INACTIVE, active) ||
        !test_list_match(flags, LIST_PERSISTENT, LIST_TRANSIENT, dom->persistent) ||
        !test_list_match(flags, LIST_MANAGEDSAVE, LIST_NO_MANAGEDSAVE, dom->managed_save) ||
        !test_list_match(flags, LIST_AUTOSTART, LIST_NO_AUTOSTART, dom->autostart) ||
        !test_list_match(flags, LIST_HAS_SNAPSHOT, LIST_NO_SNAPSHOT, FALSE) ||
        !test_list_match(flags, LIST_HAS_CHECKPOINT, LIST_NO_CHECKPOINT, FALSE))
        return FALSE;
    if (flags & (LIST_RUNNING | LIST_PAUSED | LIST_SHUTOFF | LIST_OTHER)) {
        gboolean other = st != TEST_DOM_RUNNING && st != TEST_DOM_PAUSED &&
                         st != TEST_DOM_SHUTOFF;

        if (!((flags & LIST_RUNNING && st == TEST_DOM_RUNNING) ||
              (flags & LIST_PAUSED && st == TEST_DOM_PAUSED) ||
              (flags & LIST_SHUTOFF && st == TEST_DOM_SHUTOFF) ||
              (flags & LIST_OTHER && other)))
            return FALSE;
    }
    return TRUE;
}

/* The generic test_obj_list() with the per-domain cost cut (listing a
 * thousand domains is a benchmark): refs are made in one pass and not
 * sorted. libvirt returns hash order too, and its clients (virsh, vsh) sort
 * what they print; sorting a thousand refs cost a third of the call. */
static GPtrArray *
test_domain_list_all(gpointer opaque, guint flags, GError **error)
{
    TestConn *conn = opaque;
    GPtrArray *list;
    GHashTableIter it;
    gpointer value;

    if (!test_check_flags(flags, LIST_ALL, "testConnectListAllDomains", error))
        return NULL;
    test_state_lock(conn->st);
    list = g_ptr_array_new_full(g_hash_table_size(conn->st->dom_by_uuid),
                                (GDestroyNotify)core_domain_ref_free);
    g_hash_table_iter_init(&it, conn->st->dom_by_uuid);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        if (!flags || test_domain_list_match(value, flags))
            g_ptr_array_add(list, test_domain_ref(value));
    }
    test_state_unlock(conn->st);
    return list;
}

static int
test_domain_count(TestConn *conn, gboolean active)
{
    GHashTableIter it;
    gpointer value;
    int n = 0;

    test_state_lock(conn->st);
    g_hash_table_iter_init(&it, conn->st->dom_by_uuid);
    while (g_hash_table_iter_next(&it, NULL, &value))
        n += test_domain_is_active(value) == active;
    test_state_unlock(conn->st);
    return n;
}

static int
test_domain_num_of_domains(gpointer conn, GError **error)
{
    return test_domain_count(conn, TRUE);
}

static int
test_domain_num_of_defined_domains(gpointer conn, GError **error)
{
    return test_domain_count(conn, FALSE);
}

static CoreDomainRef *
test_domain_lookup_by_id(gpointer opaque, int id, GError **error)
{
    TestConn *conn = opaque;
    CoreDomainRef *ref = NULL;
    GHashTableIter it;
    gpointer value;

    test_state_lock(conn->st);
    g_hash_table_iter_init(&it, conn->st->dom_by_uuid);
    while (!ref && g_hash_table_iter_next(&it, NULL, &value)) {
        if (id != -1 && ((TestDomain *)value)->def->id == id)
            ref = test_domain_ref(value);
    }
    test_state_unlock(conn->st);
    if (!ref)
        core_error_set(error, CORE_ERR_NO_DOMAIN, NULL);
    return ref;
}

/* A new ref to the domain under @key in @table (of @conn's state), or
 * NO_DOMAIN without a message, as libvirt's test driver reports it. */
static CoreDomainRef *
test_domain_lookup_in(TestConn *conn, GHashTable *table, gconstpointer key, GError **error)
{
    CoreDomainRef *ref = NULL;
    TestDomain *dom;

    test_state_lock(conn->st);
    if ((dom = g_hash_table_lookup(table, key)))
        ref = test_domain_ref(dom);
    test_state_unlock(conn->st);
    if (!ref)
        core_error_set(error, CORE_ERR_NO_DOMAIN, NULL);
    return ref;
}

static CoreDomainRef *
test_domain_lookup_by_name(gpointer opaque, const char *name, GError **error)
{
    TestConn *conn = opaque;

    return test_domain_lookup_in(conn, conn->st->dom_by_name, name, error);
}

static CoreDomainRef *
test_domain_lookup_by_uuid(gpointer opaque, const guint8 *uuid, GError **error)
{
    TestConn *conn = opaque;

    return test_domain_lookup_in(conn, conn->st->dom_by_uuid, uuid, error);
}

/* ---- define / create / undefine ---------------------------------------------- */

static CoreDomainRef *
test_domain_define_xml(gpointer opaque, const char *xml, guint flags, GError **error)
{
    TestConn *conn = opaque;
    g_autoptr(CoreDomainDef) def = NULL;
    CoreDomainRef *ref = NULL;
    gboolean updated;
    TestDomain *dom;

    if (!test_check_flags(flags, DEFINE_VALIDATE, "testDomainDefineXMLFlags", error))
        return NULL;
    if (!(def = core_domain_def_parse_string(xml, 0, error)))
        return NULL;
    test_domain_post_parse(def);
    test_state_lock(conn->st);
    if ((dom = test_domain_assign(conn->st, def, FALSE, &updated, error))) {
        g_steal_pointer(&def);
        dom->persistent = TRUE;
        test_state_queue_domain(conn->st, dom->def, EV_DEFINED,
                                updated ? EV_DEFINED_UPDATED : EV_DEFINED_ADDED);
        ref = test_domain_ref(dom);
    }
    test_state_unlock(conn->st);
    return ref;
}

static CoreDomainRef *
test_domain_create_xml(gpointer opaque, const char *xml, guint flags, GError **error)
{
    TestConn *conn = opaque;
    g_autoptr(CoreDomainDef) def = NULL;
    CoreDomainRef *ref = NULL;
    TestDomain *dom;

    if (!test_check_flags(flags, START_VALIDATE, "testDomainCreateXML", error))
        return NULL;
    if (!(def = core_domain_def_parse_string(xml, 0, error)))
        return NULL;
    test_domain_post_parse(def);
    test_state_lock(conn->st);
    if ((dom = test_domain_assign(conn->st, def, TRUE, NULL, error))) {
        g_steal_pointer(&def);
        test_domain_start(conn->st, dom, TEST_DOM_RUNNING, RUNNING_BOOTED);
        test_state_queue_domain(conn->st, dom->def, EV_STARTED, 0);
        ref = test_domain_ref(dom);
    }
    test_state_unlock(conn->st);
    return ref;
}

static gboolean
test_domain_undefine(gpointer opaque, const CoreDomainRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, UNDEFINE_MANAGED_SAVE | UNDEFINE_SNAPSHOTS_METADATA,
                          "testDomainUndefineFlags", error))
        return FALSE;
    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    if (!(dom = test_domain_find(conn->st, ref, error)))
        return FALSE;
    if (dom->managed_save && !(flags & UNDEFINE_MANAGED_SAVE)) {
        core_error_set(error, CORE_ERR_OPERATION_INVALID,
                       "Refusing to undefine while domain managed save image exists");
        return FALSE;
    }
    test_state_queue_domain(conn->st, dom->def, EV_UNDEFINED, 0);
    dom->managed_save = FALSE;
    if (test_domain_is_active(dom))
        dom->persistent = FALSE;
    else
        test_domain_remove(conn->st, dom);
    return TRUE;
}

/* ---- lifecycle ------------------------------------------------------------------ */

static gboolean
test_domain_create(gpointer opaque, const CoreDomainRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, 0, "testDomainCreateWithFlags", error))
        return FALSE;
    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    if (!(dom = test_domain_find(conn->st, ref, error)))
        return FALSE;
    if (dom->state != TEST_DOM_SHUTOFF) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "Domain '%s' is already running",
                       ref->name);
        return FALSE;
    }
    test_domain_start(conn->st, dom, TEST_DOM_RUNNING, RUNNING_BOOTED);
    test_state_queue_domain(conn->st, dom->def, EV_STARTED, 0);
    return TRUE;
}

static gboolean
test_domain_destroy(gpointer opaque, const CoreDomainRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, DESTROY_GRACEFUL, "testDomainDestroyFlags", error))
        return FALSE;
    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    if (!(dom = test_domain_find(conn->st, ref, error)) || !test_domain_check_active(dom, error))
        return FALSE;
    test_domain_stop(dom, SHUTOFF_DESTROYED);
    test_state_queue_domain(conn->st, dom->def, EV_STOPPED, EV_STOPPED_DESTROYED);
    test_domain_stopped(conn->st, dom);
    return TRUE;
}

/* The test hypervisor acts on a guest's power-off or reboot at once, as
 * the domain's <on_poweroff>/<on_reboot> action says; only a destroy-like
 * action stops it. */
static void
test_domain_power_action(TestState *st, TestDomain *dom, gboolean stops)
{
    if (!stops) {
        dom->state = TEST_DOM_RUNNING;
        dom->reason = RUNNING_BOOTED;
        return;
    }
    test_domain_stop(dom, SHUTOFF_SHUTDOWN);
    test_state_queue_domain(st, dom->def, EV_STOPPED, EV_STOPPED_SHUTDOWN);
    test_domain_stopped(st, dom);
}

/* Only the restart actions keep the guest running. */
static gboolean
test_domain_action_stops(CoreDomainLifecycleAction action)
{
    return action != CORE_DOMAIN_LIFECYCLE_RESTART &&
           action != CORE_DOMAIN_LIFECYCLE_RENAME_RESTART;
}

static gboolean
test_domain_on_poweroff_stops(const TestDomain *dom)
{
    return test_domain_action_stops(core_domain_def_priv(dom->def)->on_poweroff);
}

static gboolean
test_domain_on_reboot_stops(const TestDomain *dom)
{
    return test_domain_action_stops(core_domain_def_priv(dom->def)->on_reboot);
}

static gboolean
test_domain_shutdown(gpointer opaque, const CoreDomainRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, 0, "testDomainShutdownFlags", error))
        return FALSE;
    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    if (!(dom = test_domain_find(conn->st, ref, error)))
        return FALSE;
    if (dom->state == TEST_DOM_SHUTOFF) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "domain '%s' not running", ref->name);
        return FALSE;
    }
    test_domain_power_action(conn->st, dom, test_domain_on_poweroff_stops(dom));
    return TRUE;
}

static gboolean
test_domain_reboot(gpointer opaque, const CoreDomainRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    if (!test_check_flags(flags, REBOOT_ALL, "testDomainReboot", error))
        return FALSE;
    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    if (!(dom = test_domain_find(conn->st, ref, error)) || !test_domain_check_active(dom, error))
        return FALSE;
    test_domain_power_action(conn->st, dom, test_domain_on_reboot_stops(dom));
    return TRUE;
}

static gboolean
test_domain_suspend(gpointer opaque, const CoreDomainRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    if (!(dom = test_domain_find(conn->st, ref, error)))
        return FALSE;
    if (dom->state == TEST_DOM_SHUTOFF || dom->state == TEST_DOM_PAUSED) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "domain '%s' not running", ref->name);
        return FALSE;
    }
    dom->state = TEST_DOM_PAUSED;
    dom->reason = PAUSED_USER;
    test_state_queue_domain(conn->st, dom->def, EV_SUSPENDED, 0);
    return TRUE;
}

static gboolean
test_domain_resume(gpointer opaque, const CoreDomainRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestDomain *dom;

    G_GNUC_UNUSED g_autoptr(TestStateLocked) locked = test_state_locked(conn->st);
    if (!(dom = test_domain_find(conn->st, ref, error)))
        return FALSE;
    if (dom->state != TEST_DOM_PAUSED) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "domain '%s' not paused", ref->name);
        return FALSE;
    }
    dom->state = TEST_DOM_RUNNING;
    dom->reason = RUNNING_UNPAUSED;
    test_state_queue_domain(conn->st, dom->def, EV_RESUMED, 0);
    return TRUE;
}

const CoreDomainOps test_domain_ops = {
    .list_all = test_domain_list_all,
    .num_of_domains = test_domain_num_of_domains,
    .num_of_defined_domains = test_domain_num_of_defined_domains,
    .lookup_by_id = test_domain_lookup_by_id,
    .lookup_by_name = test_domain_lookup_by_name,
    .lookup_by_uuid = test_domain_lookup_by_uuid,
    .define_xml = test_domain_define_xml,
    .create_xml = test_domain_create_xml,
    .undefine = test_domain_undefine,
    .create = test_domain_create,
    .destroy = test_domain_destroy,
    .shutdown = test_domain_shutdown,
    .reboot = test_domain_reboot,
    .suspend = test_domain_suspend,
    .resume = test_domain_resume,
    .get_info = test_domain_get_info,
    .get_state = test_domain_get_state,
    .get_xml_desc = test_domain_get_xml_desc,
    .get_os_type = test_domain_get_os_type,
    .get_autostart = test_domain_get_autostart,
    .set_autostart = test_domain_set_autostart,
    .is_active = test_domain_is_active_entry,
    .is_persistent = test_domain_is_persistent,
    .is_updated = test_domain_is_updated,
    .get_max_memory = test_domain_get_max_memory,
    .set_memory_flags = test_domain_set_memory_flags,
    .get_vcpus_flags = test_domain_get_vcpus_flags,
    .set_vcpus_flags = test_domain_set_vcpus_flags,
    .has_managed_save_image = test_domain_has_managed_save_image,
    .snapshot_num = test_domain_snapshot_num,
    .get_security_label = test_domain_get_security_label,
    .set_metadata = test_domain_set_metadata,
    .get_metadata = test_domain_get_metadata,
    .get_vcpus = test_domain_get_vcpus,
    .get_scheduler_type = test_domain_get_scheduler_type,
    .get_scheduler_parameters = test_domain_get_scheduler_parameters,
    .get_memory_parameters = test_domain_get_memory_parameters,
    .get_blkio_parameters = test_domain_get_blkio_parameters,
    .memory_stats = test_domain_memory_stats,
    .get_hostname = test_domain_get_hostname,
    .get_time = test_domain_get_time,
};
