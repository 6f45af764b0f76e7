/* core-client-storage: storage pool and volume handles and calls. */
#define CORE_FROM_THIS CORE_FROM_STORAGE
#include "core-client-priv.h"

VireoStoragePool *
core_client_pool_new(VireoConnect *conn, CorePoolRef *ref)
{
    VireoStoragePool *pool = g_new0(VireoStoragePool, 1);

    g_atomic_ref_count_init(&pool->ref);
    pool->conn = vireo_connect_ref(conn);
    pool->ref_ = ref;
    return pool;
}

VireoStorageVol *
core_client_vol_new(VireoConnect *conn, CoreVolRef *ref)
{
    VireoStorageVol *vol = g_new0(VireoStorageVol, 1);

    g_atomic_ref_count_init(&vol->ref);
    vol->conn = vireo_connect_ref(conn);
    vol->ref_ = ref;
    return vol;
}

VireoStoragePool *
vireo_storage_pool_ref(VireoStoragePool *pool)
{
    g_return_val_if_fail(pool, NULL);
    g_atomic_ref_count_inc(&pool->ref);
    return pool;
}

void
vireo_storage_pool_unref(VireoStoragePool *pool)
{
    if (!pool || !g_atomic_ref_count_dec(&pool->ref))
        return;
    core_pool_ref_free(pool->ref_);
    vireo_connect_unref(pool->conn);
    g_free(pool);
}

VireoConnect *
vireo_storage_pool_get_connect(VireoStoragePool *pool)
{
    g_return_val_if_fail(pool, NULL);
    return pool->conn;
}

const char *
vireo_storage_pool_get_name(VireoStoragePool *pool)
{
    g_return_val_if_fail(pool, NULL);
    return pool->ref_->name;
}

const guint8 *
vireo_storage_pool_get_uuid(VireoStoragePool *pool)
{
    g_return_val_if_fail(pool, NULL);
    return pool->ref_->uuid;
}

void
vireo_storage_pool_get_uuid_string(VireoStoragePool *pool, char *buf)
{
    g_return_if_fail(pool && buf);
    core_client_uuid_format(pool->ref_->uuid, buf);
}

VireoStorageVol *
vireo_storage_vol_ref(VireoStorageVol *vol)
{
    g_return_val_if_fail(vol, NULL);
    g_atomic_ref_count_inc(&vol->ref);
    return vol;
}

void
vireo_storage_vol_unref(VireoStorageVol *vol)
{
    if (!vol || !g_atomic_ref_count_dec(&vol->ref))
        return;
    core_vol_ref_free(vol->ref_);
    vireo_connect_unref(vol->conn);
    g_free(vol);
}

VireoConnect *
vireo_storage_vol_get_connect(VireoStorageVol *vol)
{
    g_return_val_if_fail(vol, NULL);
    return vol->conn;
}

const char *
vireo_storage_vol_get_name(VireoStorageVol *vol)
{
    g_return_val_if_fail(vol, NULL);
    return vol->ref_->name;
}

const char *
vireo_storage_vol_get_key(VireoStorageVol *vol)
{
    g_return_val_if_fail(vol, NULL);
    return vol->ref_->key;
}

const char *
vireo_storage_vol_get_pool_name(VireoStorageVol *vol)
{
    g_return_val_if_fail(vol, NULL);
    return vol->ref_->pool;
}

static VireoStoragePool *
wrap_pool(VireoConnect *conn, CorePoolRef *ref)
{
    return ref ? core_client_pool_new(conn, ref) : NULL;
}

static VireoStorageVol *
wrap_vol(VireoConnect *conn, CoreVolRef *ref)
{
    return ref ? core_client_vol_new(conn, ref) : NULL;
}

#define ST_DRV(c) ((c)->drv->storage)

/* conn-level calls */
#define ST_CONN_PRE(c, entry, api, writable, error, retval)                                 \
    g_return_val_if_fail(c, retval);                                                        \
    if (writable)                                                                           \
        CORE_CLIENT_WRITABLE((c), CORE_FROM_THIS, api, error, retval);                      \
    CORE_CLIENT_NEED((c), storage, entry, CORE_FROM_THIS, api, error, retval)

GPtrArray *
vireo_connect_list_all_storage_pools(VireoConnect *conn, guint flags, GError **error)
{
    g_autoptr(GPtrArray) refs = NULL;
    g_autofree gpointer *items = NULL;
    gsize n = 0;
    GPtrArray *out = NULL;

    ST_CONN_PRE(conn, pool_list_all, "virConnectListAllStoragePools", FALSE, error, NULL);
    if (!(refs = ST_DRV(conn)->pool_list_all(conn->conn, flags, error)))
        return NULL;
    items = g_ptr_array_steal(refs, &n);
    out = g_ptr_array_new_full(n, (GDestroyNotify)vireo_storage_pool_unref);
    for (gsize i = 0; i < n; i++)
        g_ptr_array_add(out, core_client_pool_new(conn, items[i]));
    return out;
}

VireoStoragePool *
vireo_storage_pool_lookup_by_name(VireoConnect *conn, const char *name, GError **error)
{
    g_return_val_if_fail(name, NULL);
    ST_CONN_PRE(conn, pool_lookup_by_name, "virStoragePoolLookupByName", FALSE, error, NULL);
    return wrap_pool(conn, ST_DRV(conn)->pool_lookup_by_name(conn->conn, name, error));
}

VireoStoragePool *
vireo_storage_pool_lookup_by_uuid(VireoConnect *conn, const guint8 *uuid, GError **error)
{
    g_return_val_if_fail(uuid, NULL);
    ST_CONN_PRE(conn, pool_lookup_by_uuid, "virStoragePoolLookupByUUID", FALSE, error, NULL);
    return wrap_pool(conn, ST_DRV(conn)->pool_lookup_by_uuid(conn->conn, uuid, error));
}

VireoStoragePool *
vireo_storage_pool_lookup_by_uuid_string(VireoConnect *conn, const char *uuid, GError **error)
{
    guint8 raw[CORE_UUID_LEN];

    g_return_val_if_fail(conn && uuid, NULL);
    if (!core_client_uuid_parse(uuid, raw, error))
        return NULL;
    return vireo_storage_pool_lookup_by_uuid(conn, raw, error);
}

VireoStoragePool *
vireo_storage_pool_lookup_by_volume(VireoStorageVol *vol, GError **error)
{
    g_return_val_if_fail(vol, NULL);
    ST_CONN_PRE(vol->conn, pool_lookup_by_volume, "virStoragePoolLookupByVolume", FALSE,
                error, NULL);
    return wrap_pool(vol->conn,
                     ST_DRV(vol->conn)->pool_lookup_by_volume(vol->conn->conn, vol->ref_, error));
}

VireoStoragePool *
vireo_storage_pool_define_xml(VireoConnect *conn, const char *xml, guint flags, GError **error)
{
    g_return_val_if_fail(xml, NULL);
    ST_CONN_PRE(conn, pool_define_xml, "virStoragePoolDefineXML", TRUE, error, NULL);
    return wrap_pool(conn, ST_DRV(conn)->pool_define_xml(conn->conn, xml, flags, error));
}

VireoStoragePool *
vireo_storage_pool_create_xml(VireoConnect *conn, const char *xml, guint flags, GError **error)
{
    g_return_val_if_fail(xml, NULL);
    ST_CONN_PRE(conn, pool_create_xml, "virStoragePoolCreateXML", TRUE, error, NULL);
    return wrap_pool(conn, ST_DRV(conn)->pool_create_xml(conn->conn, xml, flags, error));
}

/* pool-level calls */
#define POOL_PRE(p, entry, api, writable, error, retval)                                    \
    g_return_val_if_fail(p, retval);                                                        \
    ST_CONN_PRE((p)->conn, entry, api, writable, error, retval)
#define POOL_ARGS(p) (p)->conn->conn, (p)->ref_

gboolean
vireo_storage_pool_create(VireoStoragePool *pool, guint flags, GError **error)
{
    POOL_PRE(pool, pool_create, "virStoragePoolCreate", TRUE, error, FALSE);
    return ST_DRV(pool->conn)->pool_create(POOL_ARGS(pool), flags, error);
}

gboolean
vireo_storage_pool_build(VireoStoragePool *pool, guint flags, GError **error)
{
    POOL_PRE(pool, pool_build, "virStoragePoolBuild", TRUE, error, FALSE);
    return ST_DRV(pool->conn)->pool_build(POOL_ARGS(pool), flags, error);
}

gboolean
vireo_storage_pool_destroy(VireoStoragePool *pool, GError **error)
{
    POOL_PRE(pool, pool_destroy, "virStoragePoolDestroy", TRUE, error, FALSE);
    return ST_DRV(pool->conn)->pool_destroy(POOL_ARGS(pool), error);
}

gboolean
vireo_storage_pool_delete(VireoStoragePool *pool, guint flags, GError **error)
{
    POOL_PRE(pool, pool_delete, "virStoragePoolDelete", TRUE, error, FALSE);
    return ST_DRV(pool->conn)->pool_delete(POOL_ARGS(pool), flags, error);
}

gboolean
vireo_storage_pool_undefine(VireoStoragePool *pool, GError **error)
{
    POOL_PRE(pool, pool_undefine, "virStoragePoolUndefine", TRUE, error, FALSE);
    return ST_DRV(pool->conn)->pool_undefine(POOL_ARGS(pool), error);
}

gboolean
vireo_storage_pool_refresh(VireoStoragePool *pool, guint flags, GError **error)
{
    POOL_PRE(pool, pool_refresh, "virStoragePoolRefresh", TRUE, error, FALSE);
    return ST_DRV(pool->conn)->pool_refresh(POOL_ARGS(pool), flags, error);
}

gboolean
vireo_storage_pool_get_info(VireoStoragePool *pool, VireoStoragePoolInfo *ret, GError **error)
{
    CorePoolInfo info = { 0 };

    g_return_val_if_fail(ret, FALSE);
    POOL_PRE(pool, pool_get_info, "virStoragePoolGetInfo", FALSE, error, FALSE);
    if (!ST_DRV(pool->conn)->pool_get_info(POOL_ARGS(pool), &info, error))
        return FALSE;
    ret->state = info.state;
    ret->capacity = info.capacity;
    ret->allocation = info.allocation;
    ret->available = info.available;
    return TRUE;
}

char *
vireo_storage_pool_get_xml_desc(VireoStoragePool *pool, guint flags, GError **error)
{
    POOL_PRE(pool, pool_get_xml_desc, "virStoragePoolGetXMLDesc", FALSE, error, NULL);
    return ST_DRV(pool->conn)->pool_get_xml_desc(POOL_ARGS(pool), flags, error);
}

int
vireo_storage_pool_get_autostart(VireoStoragePool *pool, GError **error)
{
    POOL_PRE(pool, pool_get_autostart, "virStoragePoolGetAutostart", FALSE, error, -1);
    return ST_DRV(pool->conn)->pool_get_autostart(POOL_ARGS(pool), error);
}

gboolean
vireo_storage_pool_set_autostart(VireoStoragePool *pool, gboolean autostart, GError **error)
{
    POOL_PRE(pool, pool_set_autostart, "virStoragePoolSetAutostart", TRUE, error, FALSE);
    return ST_DRV(pool->conn)->pool_set_autostart(POOL_ARGS(pool), autostart, error);
}

int
vireo_storage_pool_is_active(VireoStoragePool *pool, GError **error)
{
    POOL_PRE(pool, pool_is_active, "virStoragePoolIsActive", FALSE, error, -1);
    return ST_DRV(pool->conn)->pool_is_active(POOL_ARGS(pool), error);
}

int
vireo_storage_pool_is_persistent(VireoStoragePool *pool, GError **error)
{
    POOL_PRE(pool, pool_is_persistent, "virStoragePoolIsPersistent", FALSE, error, -1);
    return ST_DRV(pool->conn)->pool_is_persistent(POOL_ARGS(pool), error);
}

int
vireo_storage_pool_num_of_volumes(VireoStoragePool *pool, GError **error)
{
    POOL_PRE(pool, pool_num_of_volumes, "virStoragePoolNumOfVolumes", FALSE, error, -1);
    return ST_DRV(pool->conn)->pool_num_of_volumes(POOL_ARGS(pool), error);
}

GPtrArray *
vireo_storage_pool_list_all_volumes(VireoStoragePool *pool, guint flags, GError **error)
{
    g_autoptr(GPtrArray) refs = NULL;
    g_autofree gpointer *items = NULL;
    gsize n = 0;
    GPtrArray *out = NULL;

    POOL_PRE(pool, pool_list_all_volumes, "virStoragePoolListAllVolumes", FALSE, error, NULL);
    if (!(refs = ST_DRV(pool->conn)->pool_list_all_volumes(POOL_ARGS(pool), flags, error)))
        return NULL;
    items = g_ptr_array_steal(refs, &n);
    out = g_ptr_array_new_full(n, (GDestroyNotify)vireo_storage_vol_unref);
    for (gsize i = 0; i < n; i++)
        g_ptr_array_add(out, core_client_vol_new(pool->conn, items[i]));
    return out;
}

VireoStorageVol *
vireo_storage_vol_create_xml(VireoStoragePool *pool, const char *xml, guint flags,
                             GError **error)
{
    g_return_val_if_fail(xml, NULL);
    POOL_PRE(pool, vol_create_xml, "virStorageVolCreateXML", TRUE, error, NULL);
    return wrap_vol(pool->conn,
                    ST_DRV(pool->conn)->vol_create_xml(POOL_ARGS(pool), xml, flags, error));
}

VireoStorageVol *
vireo_storage_vol_create_xml_from(VireoStoragePool *pool, const char *xml,
                                  VireoStorageVol *clone, guint flags, GError **error)
{
    g_return_val_if_fail(xml && clone, NULL);
    POOL_PRE(pool, vol_create_xml_from, "virStorageVolCreateXMLFrom", TRUE, error, NULL);
    return wrap_vol(pool->conn, ST_DRV(pool->conn)->vol_create_xml_from(
                                    POOL_ARGS(pool), xml, clone->ref_, flags, error));
}

VireoStorageVol *
vireo_storage_vol_lookup_by_name(VireoStoragePool *pool, const char *name, GError **error)
{
    g_return_val_if_fail(name, NULL);
    POOL_PRE(pool, vol_lookup_by_name, "virStorageVolLookupByName", FALSE, error, NULL);
    return wrap_vol(pool->conn,
                    ST_DRV(pool->conn)->vol_lookup_by_name(POOL_ARGS(pool), name, error));
}

VireoStorageVol *
vireo_storage_vol_lookup_by_key(VireoConnect *conn, const char *key, GError **error)
{
    g_return_val_if_fail(key, NULL);
    ST_CONN_PRE(conn, vol_lookup_by_key, "virStorageVolLookupByKey", FALSE, error, NULL);
    return wrap_vol(conn, ST_DRV(conn)->vol_lookup_by_key(conn->conn, key, error));
}

VireoStorageVol *
vireo_storage_vol_lookup_by_path(VireoConnect *conn, const char *path, GError **error)
{
    g_return_val_if_fail(path, NULL);
    ST_CONN_PRE(conn, vol_lookup_by_path, "virStorageVolLookupByPath", FALSE, error, NULL);
    return wrap_vol(conn, ST_DRV(conn)->vol_lookup_by_path(conn->conn, path, error));
}

/* volume-level calls */
#define VOL_PRE(v, entry, api, writable, error, retval)                                     \
    g_return_val_if_fail(v, retval);                                                        \
    ST_CONN_PRE((v)->conn, entry, api, writable, error, retval)
#define VOL_ARGS(v) (v)->conn->conn, (v)->ref_

gboolean
vireo_storage_vol_delete(VireoStorageVol *vol, guint flags, GError **error)
{
    VOL_PRE(vol, vol_delete, "virStorageVolDelete", TRUE, error, FALSE);
    return ST_DRV(vol->conn)->vol_delete(VOL_ARGS(vol), flags, error);
}

gboolean
vireo_storage_vol_get_info(VireoStorageVol *vol, VireoStorageVolInfo *ret, GError **error)
{
    CoreVolInfo info = { 0 };

    g_return_val_if_fail(ret, FALSE);
    VOL_PRE(vol, vol_get_info, "virStorageVolGetInfo", FALSE, error, FALSE);
    if (!ST_DRV(vol->conn)->vol_get_info(VOL_ARGS(vol), &info, error))
        return FALSE;
    ret->type = info.type;
    ret->capacity = info.capacity;
    ret->allocation = info.allocation;
    return TRUE;
}

char *
vireo_storage_vol_get_xml_desc(VireoStorageVol *vol, guint flags, GError **error)
{
    VOL_PRE(vol, vol_get_xml_desc, "virStorageVolGetXMLDesc", FALSE, error, NULL);
    return ST_DRV(vol->conn)->vol_get_xml_desc(VOL_ARGS(vol), flags, error);
}

char *
vireo_storage_vol_get_path(VireoStorageVol *vol, GError **error)
{
    VOL_PRE(vol, vol_get_path, "virStorageVolGetPath", FALSE, error, NULL);
    return ST_DRV(vol->conn)->vol_get_path(VOL_ARGS(vol), error);
}
