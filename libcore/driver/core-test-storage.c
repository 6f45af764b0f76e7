/* core-test-storage: storage pools and volumes of the in-memory test
 * driver.
 *
 * Every pool reports the test backend's fixed 100 GiB capacity; volumes
 * live only in memory, take their path from the pool's target path and
 * count against the pool's allocation. Lookups, states, events and errors
 * are those of libvirt's test driver.
 */
#include "vireo-config.h"

#include <string.h>

#include "core-error.h"
#include "core-test-driver-priv.h"
#include "core-uuid.h"

#define CORE_FROM_THIS CORE_FROM_TEST

/* virStoragePoolEventLifecycleType */
enum {
    EV_DEFINED = 0,
    EV_UNDEFINED = 1,
    EV_STARTED = 2,
    EV_STOPPED = 3,
    EV_CREATED = 4,
    EV_DELETED = 5,
};

/* virConnectListAllStoragePoolsFlags */
enum {
    LIST_INACTIVE = 1 << 0,
    LIST_ACTIVE = 1 << 1,
    LIST_PERSISTENT = 1 << 2,
    LIST_TRANSIENT = 1 << 3,
    LIST_AUTOSTART = 1 << 4,
    LIST_NO_AUTOSTART = 1 << 5,
    LIST_TYPE_SHIFT = 6,
    LIST_ALL = 0xfffff,
};

enum { POOL_DEFINE_VALIDATE = 1 << 0 };

/* virStoragePoolState and virStorageVolType values */
enum { POOL_INACTIVE = 0, POOL_RUNNING = 2 };
enum { VOL_FILE = 0, VOL_BLOCK = 1, VOL_NETWORK = 3 };

/* Pool types in the order of the VIR_CONNECT_LIST_STORAGE_POOLS_<TYPE>
 * flags, starting at bit LIST_TYPE_SHIFT. */
static const char *const test_pool_types[] = {
    "dir", "fs", "netfs", "logical", "disk", "iscsi", "scsi", "mpath", "rbd",
    "sheepdog", "gluster", "zfs", "vstorage", "iscsi-direct", NULL,
};

#define TEST_POOL_CAPACITY (100ULL * 1024 * 1024 * 1024)

void
test_pool_set_defaults(CorePoolDef *def)
{
    def->capacity = TEST_POOL_CAPACITY;
    def->allocation = 0;
    def->available = TEST_POOL_CAPACITY;
}

void
test_pool_free(TestPool *pool)
{
    if (!pool)
        return;
    core_pool_def_free(pool->def);
    g_ptr_array_unref(pool->vols);
    g_free(pool);
}

/* The volume type the test backend gives a pool type's volumes. */
static int
test_pool_vol_type(const char *pool_type)
{
    static const char *const network[] = { "sheepdog", "iscsi-direct", "gluster", "rbd", NULL };
    static const char *const block[] = { "logical", "disk", "mpath", "iscsi", "scsi", "zfs",
                                         NULL };

    if (pool_type && g_strv_contains(network, pool_type))
        return VOL_NETWORK;
    if (pool_type && g_strv_contains(block, pool_type))
        return VOL_BLOCK;
    return VOL_FILE;
}

static const char *
test_vol_type_name(int type)
{
    return type == VOL_BLOCK ? "block" : type == VOL_NETWORK ? "network" : "file";
}

void
test_pool_add_vol(TestPool *pool, CoreVolDef *vol, gboolean force_path)
{
    CorePoolDef *def = pool->def;

    if (force_path || !vol->target_path) {
        g_free(vol->target_path);
        vol->target_path = g_strdup_printf("%s/%s", def->target_path, vol->name);
    }
    if (force_path || !vol->key) {
        g_free(vol->key);
        vol->key = g_strdup(vol->target_path);
    }
    if (!vol->type)
        vol->type = g_strdup(test_vol_type_name(test_pool_vol_type(def->type)));
    /* file volumes default to raw, as the pool's backend would say */
    if (!vol->format && test_pool_vol_type(def->type) == VOL_FILE)
        vol->format = g_strdup("raw");
    g_ptr_array_add(pool->vols, vol);
    def->allocation += vol->allocation;
    def->available = def->capacity - def->allocation;
}

static const char *
test_pool_name(gconstpointer pool)
{
    return ((const TestPool *)pool)->def->name;
}

static const guint8 *
test_pool_uuid(gconstpointer pool)
{
    return ((const TestPool *)pool)->def->uuid;
}

static gpointer
test_pool_ref(gconstpointer pool)
{
    return core_pool_ref_new(test_pool_name(pool), test_pool_uuid(pool));
}

static gboolean test_pool_list_match(gconstpointer obj, guint flags);

static const TestObjClass test_pool_class = {
    .table = G_STRUCT_OFFSET(TestState, pool_by_name),
    .name = test_pool_name,
    .uuid = test_pool_uuid,
    .ref = test_pool_ref,
    .ref_free = (GDestroyNotify)core_pool_ref_free,
    .match = test_pool_list_match,
    .no_such = CORE_ERR_NO_STORAGE_POOL,
    .what = "storage pool",
};

/* Another pool of a directory type using the same target path. */
static TestPool *
test_pool_source_conflict(TestState *st, const CorePoolDef *def)
{
    GHashTableIter it;
    gpointer value;

    if (g_strcmp0(def->type, "dir") != 0 || !def->target_path)
        return NULL;
    g_hash_table_iter_init(&it, st->pool_by_name);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        TestPool *p = value;

        if (g_strcmp0(p->def->name, def->name) != 0 && g_strcmp0(p->def->type, "dir") == 0 &&
            g_strcmp0(p->def->target_path, def->target_path) == 0)
            return p;
    }
    return NULL;
}

TestPool *
test_pool_assign(TestState *st, CorePoolDef *def, gboolean live, GError **error)
{
    char uuidstr[CORE_UUID_STRING_BUFLEN];
    TestPool *pool = test_obj_by_uuid(st, &test_pool_class, def->uuid);
    TestPool *other;

    if (pool) {
        if (g_strcmp0(pool->def->name, def->name) != 0) {
            core_error_set_full(error, CORE_FROM_STORAGE, CORE_ERR_OPERATION_FAILED,
                                "pool '%s' is already defined with uuid %s", pool->def->name,
                                core_uuid_format(def->uuid, uuidstr));
            return NULL;
        }
        if (live && pool->active) {
            core_error_set_full(error, CORE_FROM_STORAGE, CORE_ERR_OPERATION_INVALID,
                                "pool is already active as '%s'", pool->def->name);
            return NULL;
        }
    } else if ((other = g_hash_table_lookup(st->pool_by_name, def->name))) {
        core_error_set_full(error, CORE_FROM_STORAGE, CORE_ERR_OPERATION_FAILED,
                            "pool '%s' already exists with uuid %s", def->name,
                            core_uuid_format(other->def->uuid, uuidstr));
        return NULL;
    }
    if ((other = test_pool_source_conflict(st, def))) {
        core_error_set_full(error, CORE_FROM_STORAGE, CORE_ERR_OPERATION_FAILED,
                            "Storage source conflict with pool: '%s'", other->def->name);
        return NULL;
    }

    if (pool) {
        /* a running pool keeps its definition (and volumes) until it
         * stops; the test backend never switches to the new one */
        if (pool->active) {
            core_pool_def_free(def);
        } else {
            core_pool_def_free(pool->def);
            pool->def = def;
        }
        if (!live)
            pool->persistent = TRUE;
        return pool;
    }
    pool = g_new0(TestPool, 1);
    pool->def = def;
    pool->persistent = !live;
    pool->vols = g_ptr_array_new_with_free_func((GDestroyNotify)core_vol_def_free);
    g_hash_table_insert(st->pool_by_name, g_strdup(def->name), pool);
    return pool;
}

static TestPool *
test_pool_find_name(TestState *st, const char *name, GError **error)
{
    return test_obj_find_name(st, &test_pool_class, name, error);
}

static TestPool *
test_pool_find_uuid(TestState *st, const guint8 *uuid, GError **error)
{
    return test_obj_find_uuid(st, &test_pool_class, uuid, error);
}

/* The pool named @name, which must be active (@want_active) or not. */
static TestPool *
test_pool_find_state(TestState *st, const char *name, gboolean want_active, GError **error)
{
    TestPool *pool = test_pool_find_name(st, name, error);

    if (pool && pool->active != want_active) {
        core_error_set(error, CORE_ERR_OPERATION_INVALID,
                       want_active ? "storage pool '%s' is not active"
                                   : "storage pool '%s' is active",
                       name);
        return NULL;
    }
    return pool;
}

static gboolean
test_pool_list_match(gconstpointer obj, guint flags)
{
    const TestPool *pool = obj;
    guint type_flags = flags >> LIST_TYPE_SHIFT;

    if (!test_list_match(flags, LIST_ACTIVE, LIST_INACTIVE, pool->active) ||
        !test_list_match(flags, LIST_PERSISTENT, LIST_TRANSIENT, pool->persistent) ||
        !test_list_match(flags, LIST_AUTOSTART, LIST_NO_AUTOSTART,
                         pool->persistent && pool->autostart))
        return FALSE;
    if (type_flags) {
        for (guint i = 0; test_pool_types[i]; i++) {
            if ((type_flags & (1u << i)) && g_strcmp0(pool->def->type, test_pool_types[i]) == 0)
                return TRUE;
        }
        return FALSE;
    }
    return TRUE;
}

static GPtrArray *
test_pool_list_all(gpointer opaque, guint flags, GError **error)
{
    TestConn *conn = opaque;

    if (!test_check_flags(flags, LIST_ALL, "testConnectListAllStoragePools", error))
        return NULL;
    return test_obj_list(conn->st, &test_pool_class, flags);
}

static CorePoolRef *
test_pool_lookup_by_name(gpointer opaque, const char *name, GError **error)
{
    TestConn *conn = opaque;

    return test_obj_lookup(conn->st, &test_pool_class, name, NULL, error);
}

static CorePoolRef *
test_pool_lookup_by_uuid(gpointer opaque, const guint8 *uuid, GError **error)
{
    TestConn *conn = opaque;

    return test_obj_lookup(conn->st, &test_pool_class, NULL, uuid, error);
}

static CorePoolRef *
test_pool_lookup_by_volume(gpointer conn, const CoreVolRef *vol, GError **error)
{
    return test_pool_lookup_by_name(conn, vol->pool, error);
}

static CorePoolRef *
test_pool_add_xml(TestConn *conn, const char *xml, gboolean live, GError **error)
{
    g_autoptr(CorePoolDef) def = NULL;
    CorePoolRef *ref = NULL;
    TestPool *pool;

    if (!(def = core_pool_def_parse_string(xml, 0, error)))
        return NULL;
    test_pool_set_defaults(def);
    test_state_lock(conn->st);
    if ((pool = test_pool_assign(conn->st, def, live, error))) {
        g_steal_pointer(&def);
        if (live)
            pool->active = TRUE;
        test_state_queue_pool(conn->st, pool->def, live ? EV_STARTED : EV_DEFINED);
        ref = test_pool_ref(pool);
    }
    test_state_unlock(conn->st);
    return ref;
}

static CorePoolRef *
test_pool_define_xml(gpointer conn, const char *xml, guint flags, GError **error)
{
    if (!test_check_flags(flags, POOL_DEFINE_VALIDATE, "testStoragePoolDefineXML", error))
        return NULL;
    return test_pool_add_xml(conn, xml, FALSE, error);
}

static CorePoolRef *
test_pool_create_xml(gpointer conn, const char *xml, guint flags, GError **error)
{
    if (!test_check_flags(flags, 0, "testStoragePoolCreateXML", error))
        return NULL;
    return test_pool_add_xml(conn, xml, TRUE, error);
}

/* The shape of most pool entries: find the pool by name in the state
 * @want_active asks for, emit @event (-1: none) and do @action. */
typedef enum {
    POOL_ACT_NONE,
    POOL_ACT_START,
    POOL_ACT_STOP,
    POOL_ACT_REMOVE,
    POOL_ACT_REFRESH,
} TestPoolAction;

static gboolean
test_pool_transition(TestConn *conn, const CorePoolRef *ref, gboolean want_active, int event,
                     TestPoolAction action, GError **error)
{
    TestState *st = conn->st;
    TestPool *pool;

    test_state_lock(st);
    if ((pool = test_pool_find_state(st, ref->name, want_active, error))) {
        if (event >= 0)
            test_state_queue_pool(st, pool->def, event);
        switch (action) {
        case POOL_ACT_START:
            pool->active = TRUE;
            break;
        case POOL_ACT_STOP:
            pool->active = FALSE;
            if (!pool->persistent)
                g_hash_table_remove(st->pool_by_name, ref->name);
            break;
        case POOL_ACT_REMOVE:
            g_hash_table_remove(st->pool_by_name, ref->name);
            break;
        case POOL_ACT_REFRESH:
            test_state_queue_pool_refresh(st, pool->def);
            break;
        case POOL_ACT_NONE:
            break;
        }
    }
    test_state_unlock(st);
    return pool != NULL;
}

static gboolean
test_pool_create(gpointer conn, const CorePoolRef *ref, guint flags, GError **error)
{
    if (!test_check_flags(flags, 0, "testStoragePoolCreate", error))
        return FALSE;
    return test_pool_transition(conn, ref, FALSE, EV_STARTED, POOL_ACT_START, error);
}

static gboolean
test_pool_build(gpointer conn, const CorePoolRef *ref, guint flags, GError **error)
{
    if (!test_check_flags(flags, 0, "testStoragePoolBuild", error))
        return FALSE;
    return test_pool_transition(conn, ref, FALSE, EV_CREATED, POOL_ACT_NONE, error);
}

static gboolean
test_pool_destroy(gpointer conn, const CorePoolRef *ref, GError **error)
{
    return test_pool_transition(conn, ref, TRUE, EV_STOPPED, POOL_ACT_STOP, error);
}

static gboolean
test_pool_delete(gpointer conn, const CorePoolRef *ref, guint flags, GError **error)
{
    if (!test_check_flags(flags, 0, "testStoragePoolDelete", error))
        return FALSE;
    return test_pool_transition(conn, ref, FALSE, EV_DELETED, POOL_ACT_NONE, error);
}

static gboolean
test_pool_undefine(gpointer conn, const CorePoolRef *ref, GError **error)
{
    return test_pool_transition(conn, ref, FALSE, EV_UNDEFINED, POOL_ACT_REMOVE, error);
}

static gboolean
test_pool_refresh(gpointer conn, const CorePoolRef *ref, guint flags, GError **error)
{
    if (!test_check_flags(flags, 0, "testStoragePoolRefresh", error))
        return FALSE;
    return test_pool_transition(conn, ref, TRUE, -1, POOL_ACT_REFRESH, error);
}

static gboolean
test_pool_get_info(gpointer opaque, const CorePoolRef *ref, CorePoolInfo *ret, GError **error)
{
    TestConn *conn = opaque;
    TestPool *pool;

    test_state_lock(conn->st);
    if ((pool = test_pool_find_name(conn->st, ref->name, error))) {
        ret->state = pool->active ? POOL_RUNNING : POOL_INACTIVE;
        ret->capacity = pool->def->capacity;
        ret->allocation = pool->def->allocation;
        ret->available = pool->def->available;
    }
    test_state_unlock(conn->st);
    return pool != NULL;
}

static char *
test_pool_get_xml_desc(gpointer opaque, const CorePoolRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestPool *pool;
    char *xml = NULL;

    if (!test_check_flags(flags, 0, "testStoragePoolGetXMLDesc", error))
        return NULL;
    test_state_lock(conn->st);
    if ((pool = test_pool_find_name(conn->st, ref->name, error)))
        xml = core_pool_def_format(pool->def, 0);
    test_state_unlock(conn->st);
    return xml;
}

static int
test_pool_get_autostart(gpointer opaque, const CorePoolRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestPool *pool;
    int ret = -1;

    test_state_lock(conn->st);
    if ((pool = test_pool_find_name(conn->st, ref->name, error)))
        ret = pool->persistent && pool->autostart ? 1 : 0;
    test_state_unlock(conn->st);
    return ret;
}

static gboolean
test_pool_set_autostart(gpointer opaque, const CorePoolRef *ref, gboolean autostart,
                        GError **error)
{
    TestConn *conn = opaque;
    gboolean ok = FALSE;
    TestPool *pool;

    test_state_lock(conn->st);
    if ((pool = test_pool_find_name(conn->st, ref->name, error))) {
        if (!pool->persistent) {
            core_error_set(error, CORE_ERR_INVALID_ARG, "pool has no config file");
        } else {
            pool->autostart = autostart ? TRUE : FALSE;
            ok = TRUE;
        }
    }
    test_state_unlock(conn->st);
    return ok;
}

static int
test_pool_is_active(gpointer opaque, const CorePoolRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestPool *pool;
    int ret = -1;

    test_state_lock(conn->st);
    if ((pool = test_pool_find_uuid(conn->st, ref->uuid, error)))
        ret = pool->active ? 1 : 0;
    test_state_unlock(conn->st);
    return ret;
}

static int
test_pool_is_persistent(gpointer opaque, const CorePoolRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestPool *pool;
    int ret = -1;

    test_state_lock(conn->st);
    if ((pool = test_pool_find_uuid(conn->st, ref->uuid, error)))
        ret = pool->persistent ? 1 : 0;
    test_state_unlock(conn->st);
    return ret;
}

static int
test_pool_num_of_volumes(gpointer opaque, const CorePoolRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestPool *pool;
    int ret = -1;

    test_state_lock(conn->st);
    if ((pool = test_pool_find_state(conn->st, ref->name, TRUE, error)))
        ret = (int)pool->vols->len;
    test_state_unlock(conn->st);
    return ret;
}

static gint
test_vol_ref_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp((*(CoreVolRef *const *)a)->name, (*(CoreVolRef *const *)b)->name);
}

static GPtrArray *
test_pool_list_all_volumes(gpointer opaque, const CorePoolRef *ref, guint flags,
                           GError **error)
{
    TestConn *conn = opaque;
    GPtrArray *list = NULL;
    TestPool *pool;

    if (!test_check_flags(flags, 0, "testStoragePoolListAllVolumes", error))
        return NULL;
    test_state_lock(conn->st);
    if ((pool = test_pool_find_uuid(conn->st, ref->uuid, error))) {
        if (!pool->active) {
            core_error_set(error, CORE_ERR_OPERATION_INVALID, "storage pool is not active");
        } else {
            list = g_ptr_array_new_with_free_func((GDestroyNotify)core_vol_ref_free);
            for (guint i = 0; i < pool->vols->len; i++) {
                CoreVolDef *vol = g_ptr_array_index(pool->vols, i);

                g_ptr_array_add(list, core_vol_ref_new(pool->def->name, vol->name, vol->key));
            }
        }
    }
    test_state_unlock(conn->st);
    if (list)
        g_ptr_array_sort(list, test_vol_ref_cmp);
    return list;
}

/* ---- volumes ----------------------------------------------------------------- */

static CoreVolDef *
test_vol_by_name(const TestPool *pool, const char *name, guint *ret_index)
{
    for (guint i = 0; i < pool->vols->len; i++) {
        CoreVolDef *vol = g_ptr_array_index(pool->vols, i);

        if (g_strcmp0(vol->name, name) == 0) {
            if (ret_index)
                *ret_index = i;
            return vol;
        }
    }
    return NULL;
}

/* The volume @name of the active pool @pool_name. */
static CoreVolDef *
test_vol_find(TestState *st, const char *pool_name, const char *name, TestPool **ret_pool,
              guint *ret_index, GError **error)
{
    TestPool *pool = test_pool_find_state(st, pool_name, TRUE, error);
    CoreVolDef *vol;

    if (!pool)
        return NULL;
    if (!(vol = test_vol_by_name(pool, name, ret_index)))
        core_error_set(error, CORE_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       name);
    if (ret_pool)
        *ret_pool = pool;
    return vol;
}

static CoreVolRef *
test_vol_create_in(TestState *st, const CorePoolRef *ref, CoreVolDef *vol,
                   const CoreVolRef *clone, GError **error)
{
    TestPool *pool = test_pool_find_state(st, ref->name, TRUE, error);

    if (!pool)
        return NULL;
    if (test_vol_by_name(pool, vol->name, NULL)) {
        core_error_set(error, CORE_ERR_OPERATION_FAILED, "storage vol already exists");
        return NULL;
    }
    if (clone && !test_vol_by_name(pool, clone->name, NULL)) {
        core_error_set(error, CORE_ERR_NO_STORAGE_VOL, "no storage vol with matching name '%s'",
                       clone->name);
        return NULL;
    }
    if (pool->def->allocation + vol->allocation > pool->def->capacity) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                       "Not enough free space in pool for volume '%s'", vol->name);
        return NULL;
    }
    test_pool_add_vol(pool, vol, TRUE);
    return core_vol_ref_new(pool->def->name, vol->name, vol->key);
}

static CoreVolRef *
test_vol_create_xml_from(gpointer opaque, const CorePoolRef *ref, const char *xml,
                         const CoreVolRef *clone, guint flags, GError **error)
{
    TestConn *conn = opaque;
    g_autoptr(CoreVolDef) vol = NULL;
    CoreVolRef *ret;

    if (!test_check_flags(flags, 0,
                          clone ? "testStorageVolCreateXMLFrom" : "testStorageVolCreateXML",
                          error))
        return NULL;
    test_state_lock(conn->st);
    /* the pool is checked before the XML, as libvirt does */
    if (!test_pool_find_state(conn->st, ref->name, TRUE, error)) {
        test_state_unlock(conn->st);
        return NULL;
    }
    test_state_unlock(conn->st);
    if (!(vol = core_vol_def_parse_string(xml, 0, error)))
        return NULL;
    test_state_lock(conn->st);
    if ((ret = test_vol_create_in(conn->st, ref, vol, clone, error)))
        g_steal_pointer(&vol);
    test_state_unlock(conn->st);
    return ret;
}

static CoreVolRef *
test_vol_create_xml(gpointer conn, const CorePoolRef *ref, const char *xml, guint flags,
                    GError **error)
{
    return test_vol_create_xml_from(conn, ref, xml, NULL, flags, error);
}

static gboolean
test_vol_delete(gpointer opaque, const CoreVolRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    TestPool *pool = NULL;
    CoreVolDef *vol;
    guint index = 0;

    if (!test_check_flags(flags, 0, "testStorageVolDelete", error))
        return FALSE;
    test_state_lock(conn->st);
    if ((vol = test_vol_find(conn->st, ref->pool, ref->name, &pool, &index, error))) {
        pool->def->allocation -= vol->allocation;
        pool->def->available = pool->def->capacity - pool->def->allocation;
        g_ptr_array_remove_index(pool->vols, index);
    }
    test_state_unlock(conn->st);
    return vol != NULL;
}

static CoreVolRef *
test_vol_lookup_by_name(gpointer opaque, const CorePoolRef *ref, const char *name,
                        GError **error)
{
    TestConn *conn = opaque;
    CoreVolRef *ret = NULL;
    CoreVolDef *vol;

    test_state_lock(conn->st);
    if ((vol = test_vol_find(conn->st, ref->name, name, NULL, NULL, error)))
        ret = core_vol_ref_new(ref->name, vol->name, vol->key);
    test_state_unlock(conn->st);
    return ret;
}

/* Searches the active pools for a volume whose key (@by_key) or path is
 * @value. */
static CoreVolRef *
test_vol_search(TestConn *conn, const char *value, gboolean by_key, GError **error)
{
    CoreVolRef *ret = NULL;
    GHashTableIter it;
    gpointer p;

    test_state_lock(conn->st);
    g_hash_table_iter_init(&it, conn->st->pool_by_name);
    while (!ret && g_hash_table_iter_next(&it, NULL, &p)) {
        TestPool *pool = p;

        for (guint i = 0; pool->active && !ret && i < pool->vols->len; i++) {
            CoreVolDef *vol = g_ptr_array_index(pool->vols, i);

            if (g_strcmp0(by_key ? vol->key : vol->target_path, value) == 0)
                ret = core_vol_ref_new(pool->def->name, vol->name, vol->key);
        }
    }
    test_state_unlock(conn->st);
    if (!ret)
        core_error_set(error, CORE_ERR_NO_STORAGE_VOL, "no storage vol with matching %s '%s'",
                       by_key ? "key" : "path", value);
    return ret;
}

static CoreVolRef *
test_vol_lookup_by_key(gpointer conn, const char *key, GError **error)
{
    return test_vol_search(conn, key, TRUE, error);
}

static CoreVolRef *
test_vol_lookup_by_path(gpointer conn, const char *path, GError **error)
{
    return test_vol_search(conn, path, FALSE, error);
}

static gboolean
test_vol_get_info(gpointer opaque, const CoreVolRef *ref, CoreVolInfo *ret, GError **error)
{
    TestConn *conn = opaque;
    TestPool *pool = NULL;
    CoreVolDef *vol;

    test_state_lock(conn->st);
    if ((vol = test_vol_find(conn->st, ref->pool, ref->name, &pool, NULL, error))) {
        ret->type = test_pool_vol_type(pool->def->type);
        ret->capacity = vol->capacity;
        ret->allocation = vol->allocation;
    }
    test_state_unlock(conn->st);
    return vol != NULL;
}

static char *
test_vol_get_xml_desc(gpointer opaque, const CoreVolRef *ref, guint flags, GError **error)
{
    TestConn *conn = opaque;
    CoreVolDef *vol;
    char *xml = NULL;

    if (!test_check_flags(flags, 0, "testStorageVolGetXMLDesc", error))
        return NULL;
    test_state_lock(conn->st);
    if ((vol = test_vol_find(conn->st, ref->pool, ref->name, NULL, NULL, error)))
        xml = core_vol_def_format(vol, 0);
    test_state_unlock(conn->st);
    return xml;
}

static char *
test_vol_get_path(gpointer opaque, const CoreVolRef *ref, GError **error)
{
    TestConn *conn = opaque;
    CoreVolDef *vol;
    char *path = NULL;

    test_state_lock(conn->st);
    if ((vol = test_vol_find(conn->st, ref->pool, ref->name, NULL, NULL, error)))
        path = g_strdup(vol->target_path);
    test_state_unlock(conn->st);
    return path;
}

const CoreStorageOps test_storage_ops = {
    .pool_list_all = test_pool_list_all,
    .pool_lookup_by_name = test_pool_lookup_by_name,
    .pool_lookup_by_uuid = test_pool_lookup_by_uuid,
    .pool_lookup_by_volume = test_pool_lookup_by_volume,
    .pool_define_xml = test_pool_define_xml,
    .pool_create_xml = test_pool_create_xml,
    .pool_create = test_pool_create,
    .pool_build = test_pool_build,
    .pool_destroy = test_pool_destroy,
    .pool_delete = test_pool_delete,
    .pool_undefine = test_pool_undefine,
    .pool_refresh = test_pool_refresh,
    .pool_get_info = test_pool_get_info,
    .pool_get_xml_desc = test_pool_get_xml_desc,
    .pool_get_autostart = test_pool_get_autostart,
    .pool_set_autostart = test_pool_set_autostart,
    .pool_is_active = test_pool_is_active,
    .pool_is_persistent = test_pool_is_persistent,
    .pool_num_of_volumes = test_pool_num_of_volumes,
    .pool_list_all_volumes = test_pool_list_all_volumes,
    .vol_create_xml = test_vol_create_xml,
    .vol_create_xml_from = test_vol_create_xml_from,
    .vol_delete = test_vol_delete,
    .vol_lookup_by_name = test_vol_lookup_by_name,
    .vol_lookup_by_key = test_vol_lookup_by_key,
    .vol_lookup_by_path = test_vol_lookup_by_path,
    .vol_get_info = test_vol_get_info,
    .vol_get_xml_desc = test_vol_get_xml_desc,
    .vol_get_path = test_vol_get_path,
};
