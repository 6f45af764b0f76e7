/* core-test-driver: the in-memory test driver's shared state, connection
 * open/close, event delivery, host entries and the driver table.
 *
 * Behaviour follows libvirt's test driver (test:///default) as libvirt 9.0
 * shows it: values, states and reasons, error codes and messages.
 */
#include "vireo-config.h"

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core-error.h"
#include "core-test-driver-priv.h"
#include "core-uri.h"
#include "core-uuid.h"

#define CORE_FROM_THIS CORE_FROM_TEST

/* The process-wide test:///default state and the lock guarding it and every
 * state's refcount. */
static GMutex test_registry_lock;
static TestState *test_default_state;

TestState *
test_state_new(void)
{
    TestState *st = g_new0(TestState, 1);

    g_mutex_init(&st->lock);
    g_mutex_init(&st->sink_lock);
    st->refs = 1;
    st->next_dom_id = 1;
    st->dom_by_uuid = g_hash_table_new_full(core_uuid_hash_func, core_uuid_equal_func, g_free,
                                            (GDestroyNotify)test_domain_free);
    st->dom_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    st->net_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify)test_network_free);
    st->pool_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)test_pool_free);
    g_queue_init(&st->pending);
    st->conns = g_ptr_array_new();
    return st;
}

static void
test_state_free(TestState *st)
{
    if (!st)
        return;
    g_hash_table_destroy(st->dom_by_name);
    g_hash_table_destroy(st->dom_by_uuid);
    g_hash_table_destroy(st->net_by_name);
    g_hash_table_destroy(st->pool_by_name);
    g_queue_clear_full(&st->pending, (GDestroyNotify)core_event_free);
    g_ptr_array_unref(st->conns);
    g_free(st->cells);
    g_mutex_clear(&st->lock);
    g_mutex_clear(&st->sink_lock);
    g_free(st);
}

void
test_state_lock(TestState *st)
{
    g_mutex_lock(&st->lock);
}

/* Hands every queued event to every connection's sink. Whoever holds
 * sink_lock delivers; a thread that finds it taken leaves its events to the
 * holder, which looks at the queue again after letting go. That keeps the
 * queue order and never blocks on a sink from inside another sink. */
static void
test_state_flush(TestState *st)
{
    while (g_atomic_int_get(&st->npending) > 0) {
        if (!g_mutex_trylock(&st->sink_lock))
            return;
        for (;;) {
            GQueue batch = G_QUEUE_INIT;
            CoreEvent *ev;

            g_mutex_lock(&st->lock);
            batch = st->pending;
            g_queue_init(&st->pending);
            g_atomic_int_set(&st->npending, 0);
            g_mutex_unlock(&st->lock);
            if (batch.length == 0)
                break;
            while ((ev = g_queue_pop_head(&batch))) {
                for (guint i = 0; i < st->conns->len; i++) {
                    TestConn *c = g_ptr_array_index(st->conns, i);

                    if (c->sink)
                        c->sink(ev, c->sink_data);
                }
                core_event_free(ev);
            }
        }
        g_mutex_unlock(&st->sink_lock);
    }
}

TestStateLocked *
test_state_locked(TestState *st)
{
    test_state_lock(st);
    return st;
}

void
test_state_unlock(TestState *st)
{
    g_mutex_unlock(&st->lock);
    test_state_flush(st);
}

static void
test_state_queue(TestState *st, CoreEvent *ev)
{
    g_queue_push_tail(&st->pending, ev);
    g_atomic_int_inc(&st->npending);
}

void
test_state_queue_domain(TestState *st, const CoreDomainDef *def, int event, int detail)
{
    CoreEvent *ev = g_new0(CoreEvent, 1);

    ev->kind = CORE_EVENT_DOMAIN_LIFECYCLE;
    ev->dom = core_domain_ref_new(def->name, def->uuid, def->id);
    ev->event = event;
    ev->detail = detail;
    test_state_queue(st, ev);
}

void
test_state_queue_metadata(TestState *st, const CoreDomainDef *def, int type, const char *nsuri)
{
    CoreEvent *ev = g_new0(CoreEvent, 1);

    ev->kind = CORE_EVENT_DOMAIN_METADATA_CHANGE;
    ev->dom = core_domain_ref_new(def->name, def->uuid, def->id);
    ev->event = type;
    ev->nsuri = g_strdup(nsuri);
    test_state_queue(st, ev);
}

void
test_state_queue_network(TestState *st, const CoreNetworkDef *def, int event)
{
    CoreEvent *ev = g_new0(CoreEvent, 1);

    ev->kind = CORE_EVENT_NETWORK_LIFECYCLE;
    ev->net = core_network_ref_new(def->name, def->uuid);
    ev->event = event;
    test_state_queue(st, ev);
}

void
test_state_queue_pool(TestState *st, const CorePoolDef *def, int event)
{
    CoreEvent *ev = g_new0(CoreEvent, 1);

    ev->kind = CORE_EVENT_POOL_LIFECYCLE;
    ev->pool = core_pool_ref_new(def->name, def->uuid);
    ev->event = event;
    test_state_queue(st, ev);
}

void
test_state_queue_pool_refresh(TestState *st, const CorePoolDef *def)
{
    CoreEvent *ev = g_new0(CoreEvent, 1);

    ev->kind = CORE_EVENT_POOL_REFRESH;
    ev->pool = core_pool_ref_new(def->name, def->uuid);
    test_state_queue(st, ev);
}

gboolean
test_check_flags(guint flags, guint supported, const char *func, GError **error)
{
    g_autofree char *msg = NULL;

    if (!(flags & ~supported))
        return TRUE;
    /* libvirt words this one without the "invalid argument" summary */
    msg = g_strdup_printf("unsupported flags (0x%x) in function %s", flags & ~supported, func);
    return core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_INVALID_ARG, msg);
}

gboolean
test_list_match(guint flags, guint yes, guint no, gboolean value)
{
    if (!(flags & (yes | no)))
        return TRUE;
    return ((flags & yes) && value) || ((flags & no) && !value);
}

/* ---- lookups and lists shared by domains, networks and pools ------------ */

static GHashTable *
test_obj_table(TestState *st, const TestObjClass *klass)
{
    return G_STRUCT_MEMBER(GHashTable *, st, klass->table);
}

gpointer
test_obj_by_uuid(TestState *st, const TestObjClass *klass, const guint8 *uuid)
{
    GHashTableIter it;
    gpointer value;

    g_hash_table_iter_init(&it, test_obj_table(st, klass));
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        if (core_uuid_equal(klass->uuid(value), uuid))
            return value;
    }
    return NULL;
}

gpointer
test_obj_find_name(TestState *st, const TestObjClass *klass, const char *name, GError **error)
{
    gpointer obj = g_hash_table_lookup(test_obj_table(st, klass), name);

    if (!obj)
        core_error_set(error, klass->no_such, "no %s with matching name '%s'", klass->what,
                       name);
    return obj;
}

gpointer
test_obj_find_uuid(TestState *st, const TestObjClass *klass, const guint8 *uuid,
                   GError **error)
{
    gpointer obj = test_obj_by_uuid(st, klass, uuid);
    char uuidstr[CORE_UUID_STRING_BUFLEN];

    if (!obj)
        core_error_set(error, klass->no_such, "no %s with matching uuid '%s'", klass->what,
                       core_uuid_format(uuid, uuidstr));
    return obj;
}

gpointer
test_obj_lookup(TestState *st, const TestObjClass *klass, const char *name,
                const guint8 *uuid, GError **error)
{
    gpointer ref = NULL;
    gpointer obj;

    test_state_lock(st);
    obj = name ? test_obj_find_name(st, klass, name, error)
               : test_obj_find_uuid(st, klass, uuid, error);
    if (obj)
        ref = klass->ref(obj);
    test_state_unlock(st);
    return ref;
}

static gint
test_obj_name_cmp(gconstpointer a, gconstpointer b, gpointer klass)
{
    const char *(*name)(gconstpointer) = ((const TestObjClass *)klass)->name;

    return strcmp(name(*(gconstpointer const *)a), name(*(gconstpointer const *)b));
}

GPtrArray *
test_obj_list(TestState *st, const TestObjClass *klass, guint flags)
{
    g_autoptr(GPtrArray) objs = g_ptr_array_new();
    GPtrArray *list;
    GHashTableIter it;
    gpointer value;

    test_state_lock(st);
    g_hash_table_iter_init(&it, test_obj_table(st, klass));
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        if (klass->match(value, flags))
            g_ptr_array_add(objs, value);
    }
    g_ptr_array_sort_with_data(objs, test_obj_name_cmp, (gpointer)klass);
    list = g_ptr_array_new_full(objs->len, klass->ref_free);
    for (guint i = 0; i < objs->len; i++)
        g_ptr_array_add(list, klass->ref(objs->pdata[i]));
    test_state_unlock(st);
    return list;
}

/* ---- open / close ------------------------------------------------------ */

/* Returns the state for @path with a reference taken: the shared default
 * one, or a fresh one loaded from the node file. */
static TestState *
test_state_acquire(const char *path, GError **error)
{
    TestState *st;

    if (g_strcmp0(path, "/default") != 0) {
        st = test_state_new();
        test_default_node(st, FALSE);
        if (!test_node_load(st, path, NULL, error)) {
            test_state_free(st);
            return NULL;
        }
        return st;
    }

    g_mutex_lock(&test_registry_lock);
    if (test_default_state) {
        test_default_state->refs++;
        st = test_default_state;
        g_mutex_unlock(&test_registry_lock);
        return st;
    }
    st = test_state_new();
    st->shared = TRUE;
    test_default_node(st, TRUE);
    if (!test_node_load(st, NULL, test_default_node_xml, error)) {
        test_state_free(st);
        st = NULL;
    }
    test_default_state = st;
    g_mutex_unlock(&test_registry_lock);
    return st;
}

static void
test_state_release(TestState *st)
{
    gboolean last;

    g_mutex_lock(&test_registry_lock);
    last = --st->refs == 0;
    if (last && st == test_default_state)
        test_default_state = NULL;
    g_mutex_unlock(&test_registry_lock);
    if (last)
        test_state_free(st);
}

static gboolean
test_connect_open(const char *uri, guint flags, CoreEventSink sink, gpointer sink_data,
                  gpointer *ret_conn, GError **error)
{
    g_autoptr(CoreUri) parsed = NULL;
    TestState *st;
    TestConn *conn;

    /* VIR_CONNECT_RO is the only open flag the test driver accepts */
    if (!test_check_flags(flags, 1, "testConnectOpen", error))
        return FALSE;
    if (!(parsed = core_uri_parse(uri, error)))
        return FALSE;
    if (g_strcmp0(parsed->driver, "test") != 0)
        return core_error_set(error, CORE_ERR_NO_CONNECT, "%s", uri);
    if (parsed->path[0] == '\0' || g_str_equal(parsed->path, "/"))
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "testOpen: supply a path or use test:///default");
    if (!(st = test_state_acquire(parsed->path, error)))
        return FALSE;

    conn = g_new0(TestConn, 1);
    conn->st = st;
    conn->uri = g_strdup(uri);
    conn->sink = sink;
    conn->sink_data = sink_data;

    g_mutex_lock(&st->sink_lock);
    g_mutex_lock(&st->lock);
    g_ptr_array_add(st->conns, conn);
    g_mutex_unlock(&st->lock);
    g_mutex_unlock(&st->sink_lock);

    *ret_conn = conn;
    return TRUE;
}

static void
test_connect_close(gpointer opaque)
{
    TestConn *conn = opaque;
    TestState *st;

    if (!conn)
        return;
    st = conn->st;
    /* sink_lock first: once we hold it no delivery to this sink is under
     * way, and none will start after the removal */
    g_mutex_lock(&st->sink_lock);
    g_mutex_lock(&st->lock);
    g_ptr_array_remove(st->conns, conn);
    g_mutex_unlock(&st->lock);
    g_mutex_unlock(&st->sink_lock);

    test_state_release(st);
    g_free(conn->uri);
    g_free(conn);
}

/* ---- host entries -------------------------------------------------------- */

static char *
test_connect_get_type(gpointer conn, GError **error)
{
    return g_strdup("TEST");
}

static gboolean
test_connect_get_version(gpointer conn, guint64 *ret, GError **error)
{
    *ret = 2; /* "0.0.2", as libvirt's test hypervisor reports */
    return TRUE;
}

static char *
test_connect_get_uri(gpointer opaque, GError **error)
{
    TestConn *conn = opaque;

    return g_strdup(conn->uri);
}

/* The host name the way libvirt finds it: gethostname(), and when that is
 * not fully qualified, the canonical name the resolver gives for it. */
static char *
test_connect_get_hostname(gpointer conn, GError **error)
{
    char name[256] = "";
    struct addrinfo hints = { .ai_flags = AI_CANONNAME, .ai_family = AF_UNSPEC };
    struct addrinfo *info = NULL;
    char *ret;

    if (gethostname(name, sizeof(name) - 1) < 0) {
        core_error_set_errno(error, errno, "failed to determine host name");
        return NULL;
    }
    if (strchr(name, '.'))
        return g_strdup(name);
    if (getaddrinfo(name, NULL, &hints, &info) != 0 || !info)
        return g_strdup(name);
    if (info->ai_canonname && !g_str_has_prefix(info->ai_canonname, "localhost"))
        ret = g_strdup(info->ai_canonname);
    else
        ret = g_strdup(name);
    freeaddrinfo(info);
    return ret;
}

static char *
test_connect_get_capabilities(gpointer opaque, GError **error)
{
    TestConn *conn = opaque;
    char *xml;

    test_state_lock(conn->st);
    xml = test_capabilities_format(conn->st);
    test_state_unlock(conn->st);
    return xml;
}

static char *
test_connect_get_sysinfo(gpointer conn, guint flags, GError **error)
{
    if (!test_check_flags(flags, 0, "testConnectGetSysinfo", error))
        return NULL;
    return g_strdup(test_sysinfo());
}

static int
test_connect_get_max_vcpus(gpointer conn, const char *type, GError **error)
{
    return TEST_MAX_VCPUS;
}

static gboolean
test_node_get_info(gpointer opaque, CoreNodeInfo *ret, GError **error)
{
    TestConn *conn = opaque;

    test_state_lock(conn->st);
    *ret = conn->st->node;
    test_state_unlock(conn->st);
    return TRUE;
}

/* libvirt's test driver sums the cells' free memory, which it keeps in
 * KiB, and returns that number as is. */
static gboolean
test_node_get_free_memory(gpointer opaque, guint64 *ret_bytes, GError **error)
{
    TestConn *conn = opaque;
    guint64 sum = 0;

    test_state_lock(conn->st);
    for (int i = 0; i < conn->st->ncells; i++)
        sum += conn->st->cells[i].free_kib;
    test_state_unlock(conn->st);
    *ret_bytes = sum;
    return TRUE;
}

static int
test_connect_supports_feature(gpointer conn, int feature, GError **error)
{
    /* 9 = VIR_DRV_FEATURE_TYPED_PARAM_STRING; nothing else */
    return feature == 9 ? 1 : 0;
}

static gboolean
test_node_get_security_model(gpointer conn, CoreSecurityModel *ret, GError **error)
{
    memset(ret, 0, sizeof(*ret));
    g_strlcpy(ret->model, "testSecurity", sizeof(ret->model));
    return TRUE;
}

const CoreHostOps test_host_ops = {
    .open = test_connect_open,
    .close = test_connect_close,
    .get_type = test_connect_get_type,
    .get_version = test_connect_get_version,
    .get_uri = test_connect_get_uri,
    .get_hostname = test_connect_get_hostname,
    .get_capabilities = test_connect_get_capabilities,
    .get_sysinfo = test_connect_get_sysinfo,
    .get_max_vcpus = test_connect_get_max_vcpus,
    .node_get_info = test_node_get_info,
    .node_get_free_memory = test_node_get_free_memory,
    .supports_feature = test_connect_supports_feature,
    .node_get_security_model = test_node_get_security_model,
    .node_get_cells_free_memory = test_node_get_cells_free_memory,
    .node_get_cpu_stats = test_node_get_cpu_stats,
    .node_get_cpu_map = test_node_get_cpu_map,
};

static const char *const test_schemes[] = { "test", NULL };

const CoreDriver core_test_driver = {
    .name = "test",
    .schemes = test_schemes,
    .host = &test_host_ops,
    .domain = &test_domain_ops,
    .network = &test_network_ops,
    .storage = &test_storage_ops,
    .flags = CORE_DRIVER_NONBLOCKING,
};
