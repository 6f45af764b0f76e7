/* vireo-storage.h: storage pools and volumes. */
#pragma once

#if !defined(VIREO_INSIDE) && !defined(VIREO_COMPILATION)
#error "Only <vireo/vireo.h> can be included directly."
#endif

#include <vireo/vireo-common.h>

G_BEGIN_DECLS

/* virStoragePoolState values */
typedef enum {
    VIREO_STORAGE_POOL_INACTIVE = 0,
    VIREO_STORAGE_POOL_BUILDING = 1,
    VIREO_STORAGE_POOL_RUNNING = 2,
    VIREO_STORAGE_POOL_DEGRADED = 3,
    VIREO_STORAGE_POOL_INACCESSIBLE = 4,
} VireoStoragePoolState;

/* virConnectListAllStoragePoolsFlags values (the common ones) */
typedef enum {
    VIREO_LIST_STORAGE_POOLS_INACTIVE = 1 << 0,
    VIREO_LIST_STORAGE_POOLS_ACTIVE = 1 << 1,
    VIREO_LIST_STORAGE_POOLS_PERSISTENT = 1 << 2,
    VIREO_LIST_STORAGE_POOLS_TRANSIENT = 1 << 3,
    VIREO_LIST_STORAGE_POOLS_AUTOSTART = 1 << 4,
    VIREO_LIST_STORAGE_POOLS_NO_AUTOSTART = 1 << 5,
} VireoListStoragePoolsFlags;

/* virStorageVolType values */
typedef enum {
    VIREO_STORAGE_VOL_FILE = 0,
    VIREO_STORAGE_VOL_BLOCK = 1,
    VIREO_STORAGE_VOL_DIR = 2,
    VIREO_STORAGE_VOL_NETWORK = 3,
    VIREO_STORAGE_VOL_NETDIR = 4,
    VIREO_STORAGE_VOL_PLOOP = 5,
} VireoStorageVolType;

typedef struct {
    int state;
    guint64 capacity;
    guint64 allocation;
    guint64 available;
} VireoStoragePoolInfo;

typedef struct {
    int type;
    guint64 capacity;
    guint64 allocation;
} VireoStorageVolInfo;

/* ---- pools ---- */
VireoStoragePool *vireo_storage_pool_ref(VireoStoragePool *pool);
void vireo_storage_pool_unref(VireoStoragePool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VireoStoragePool, vireo_storage_pool_unref)
VireoConnect *vireo_storage_pool_get_connect(VireoStoragePool *pool);
const char *vireo_storage_pool_get_name(VireoStoragePool *pool);
const guint8 *vireo_storage_pool_get_uuid(VireoStoragePool *pool);
void vireo_storage_pool_get_uuid_string(VireoStoragePool *pool, char *buf);

/* (element-type VireoStoragePool) (transfer full) */
GPtrArray *vireo_connect_list_all_storage_pools(VireoConnect *conn, guint flags,
                                                GError **error);
VireoStoragePool *vireo_storage_pool_lookup_by_name(VireoConnect *conn, const char *name,
                                                    GError **error);
VireoStoragePool *vireo_storage_pool_lookup_by_uuid(VireoConnect *conn, const guint8 *uuid,
                                                    GError **error);
VireoStoragePool *vireo_storage_pool_lookup_by_uuid_string(VireoConnect *conn,
                                                           const char *uuid, GError **error);
VireoStoragePool *vireo_storage_pool_lookup_by_volume(VireoStorageVol *vol, GError **error);
VireoStoragePool *vireo_storage_pool_define_xml(VireoConnect *conn, const char *xml,
                                                guint flags, GError **error);
VireoStoragePool *vireo_storage_pool_create_xml(VireoConnect *conn, const char *xml,
                                                guint flags, GError **error);
gboolean vireo_storage_pool_create(VireoStoragePool *pool, guint flags, GError **error);
gboolean vireo_storage_pool_build(VireoStoragePool *pool, guint flags, GError **error);
gboolean vireo_storage_pool_destroy(VireoStoragePool *pool, GError **error);
gboolean vireo_storage_pool_delete(VireoStoragePool *pool, guint flags, GError **error);
gboolean vireo_storage_pool_undefine(VireoStoragePool *pool, GError **error);
gboolean vireo_storage_pool_refresh(VireoStoragePool *pool, guint flags, GError **error);
gboolean vireo_storage_pool_get_info(VireoStoragePool *pool, VireoStoragePoolInfo *ret,
                                     GError **error);
char *vireo_storage_pool_get_xml_desc(VireoStoragePool *pool, guint flags, GError **error);
int vireo_storage_pool_get_autostart(VireoStoragePool *pool, GError **error);
gboolean vireo_storage_pool_set_autostart(VireoStoragePool *pool, gboolean autostart,
                                          GError **error);
int vireo_storage_pool_is_active(VireoStoragePool *pool, GError **error);
int vireo_storage_pool_is_persistent(VireoStoragePool *pool, GError **error);
int vireo_storage_pool_num_of_volumes(VireoStoragePool *pool, GError **error);
/* (element-type VireoStorageVol) (transfer full) */
GPtrArray *vireo_storage_pool_list_all_volumes(VireoStoragePool *pool, guint flags,
                                               GError **error);

/* ---- volumes ---- */
VireoStorageVol *vireo_storage_vol_ref(VireoStorageVol *vol);
void vireo_storage_vol_unref(VireoStorageVol *vol);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VireoStorageVol, vireo_storage_vol_unref)
VireoConnect *vireo_storage_vol_get_connect(VireoStorageVol *vol);
const char *vireo_storage_vol_get_name(VireoStorageVol *vol);
const char *vireo_storage_vol_get_key(VireoStorageVol *vol);
/* (transfer none) name of the pool holding the volume */
const char *vireo_storage_vol_get_pool_name(VireoStorageVol *vol);

VireoStorageVol *vireo_storage_vol_create_xml(VireoStoragePool *pool, const char *xml,
                                              guint flags, GError **error);
VireoStorageVol *vireo_storage_vol_create_xml_from(VireoStoragePool *pool, const char *xml,
                                                   VireoStorageVol *clone, guint flags,
                                                   GError **error);
gboolean vireo_storage_vol_delete(VireoStorageVol *vol, guint flags, GError **error);
VireoStorageVol *vireo_storage_vol_lookup_by_name(VireoStoragePool *pool, const char *name,
                                                  GError **error);
VireoStorageVol *vireo_storage_vol_lookup_by_key(VireoConnect *conn, const char *key,
                                                 GError **error);
VireoStorageVol *vireo_storage_vol_lookup_by_path(VireoConnect *conn, const char *path,
                                                  GError **error);
gboolean vireo_storage_vol_get_info(VireoStorageVol *vol, VireoStorageVolInfo *ret,
                                    GError **error);
char *vireo_storage_vol_get_xml_desc(VireoStorageVol *vol, guint flags, GError **error);
char *vireo_storage_vol_get_path(VireoStorageVol *vol, GError **error);

G_END_DECLS
