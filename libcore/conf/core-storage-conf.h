/* core-storage-conf: storage pool and volume models (XML <-> struct).
 * CONTRACT fields/functions below stay; further fields are added as needed.
 *
 * Pools: types dir, fs, netfs and logical, with libvirt's per-type source
 * rules (required parts, default formats, the logical target path). Other
 * types are refused with CORE_ERR_CONFIG_UNSUPPORTED. Volumes: name, key,
 * type, capacity/allocation with units, target (path, format, permissions,
 * compat, features, nocow) and backingStore (path, format, permissions).
 * As in libvirt, <source> extents, physical size and timestamps are output
 * only (never parsed) and nocow is input only (never formatted).
 * Not modelled: pool adapter/auth/initiator/features/refresh, volume
 * encryption and clusterSize. */
#pragma once

#include <glib.h>

#include "core-xml.h"

G_BEGIN_DECLS

typedef struct _CorePoolDef CorePoolDef;
typedef struct _CoreVolDef CoreVolDef;

/* <permissions>: -1 marks an unset mode, owner or group. */
typedef struct {
    gint64 mode;
    gint64 uid;
    gint64 gid;
    char *label;
} CoreStoragePerms;

typedef struct {
    char *name;
    int port;            /* 0 = unset */
} CoreStoragePoolHost;

typedef struct {
    char *path;
    int part_separator;  /* 0 absent, 1 yes, 2 no */
} CoreStoragePoolDevice;

typedef struct {
    gboolean set;
    gint64 sec;
    glong nsec;
} CoreStorageTimestamp;

typedef struct {
    char *path;
    guint64 start;
    guint64 end;
} CoreStorageVolExtent;

struct _CorePoolDef {
    char *type;          /* "dir", "fs", "logical", "netfs" */
    char *name;
    guint8 uuid[16];
    guint64 capacity;    /* bytes */
    guint64 allocation;
    guint64 available;
    char *target_path;
    gpointer priv;       /* source and the rest */

    /* ---- added after the contract ---- */
    GPtrArray *source_hosts;     /* CoreStoragePoolHost */
    GPtrArray *source_devices;   /* CoreStoragePoolDevice */
    char *source_dir;
    char *source_name;
    char *source_format;         /* the pool type's default when absent; NULL for dir */
    char *source_protocol_ver;
    char *source_vendor;
    char *source_product;
    CoreStoragePerms target_perms;
};

struct _CoreVolDef {
    char *type;          /* "file", "block", "dir", ... (attribute) */
    char *name;
    char *key;
    guint64 capacity;    /* bytes */
    guint64 allocation;
    char *format;        /* "raw", "qcow2", NULL */
    char *target_path;
    gpointer priv;       /* backing store and the rest */

    /* ---- added after the contract ---- */
    guint64 physical;              /* output only, shown when not 0 */
    GPtrArray *extents;            /* CoreStorageVolExtent, output only */
    CoreStoragePerms target_perms;
    CoreStorageTimestamp atime, mtime, ctime, btime;
    char *compat;
    gboolean nocow;
    GPtrArray *features;           /* char *; NULL when there is no <features> */
    char *backing_path;            /* NULL: no backing store */
    char *backing_format;
    CoreStoragePerms backing_perms;
};

/* Parses and validates a <pool> (flags: 0); libvirt's codes and messages;
 * a missing <uuid> gets a random one. (transfer full) NULL on error. */
CorePoolDef *core_pool_def_parse_string(const char *xml, guint flags, GError **error);
/* Formats @pool in libvirt's layout, sizes in bytes. (transfer full) */
char *core_pool_def_format(const CorePoolDef *def, guint flags);
/* Deep copy through the XML form. (transfer full) NULL if @def is invalid. */
CorePoolDef *core_pool_def_copy(const CorePoolDef *def);
/* Frees @def; NULL is fine. */
void core_pool_def_free(CorePoolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorePoolDef, core_pool_def_free)

/* Parses and validates a <volume> (flags: 0); key, path and formats stay
 * NULL when absent (the driver fills them). (transfer full) NULL on error. */
CoreVolDef *core_vol_def_parse_string(const char *xml, guint flags, GError **error);
/* Formats @vol in libvirt's layout, sizes in bytes. (transfer full) */
char *core_vol_def_format(const CoreVolDef *def, guint flags);
/* Deep copy, output-only data included. (transfer full) NULL if invalid. */
CoreVolDef *core_vol_def_copy(const CoreVolDef *def);
/* Frees @def; NULL is fine. */
void core_vol_def_free(CoreVolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreVolDef, core_vol_def_free)

/* An empty pool of @type ("dir", ...) with unset permissions. (transfer full) */
CorePoolDef *core_pool_def_new(const char *type);
/* An empty volume with unset permissions, type "file". (transfer full) */
CoreVolDef *core_vol_def_new(void);

/**
 * core_vol_def_apply_pool_type:
 * Applies what libvirt derives from the pool a volume lives in: the
 * default format "raw" of target and backing store for dir, fs and netfs
 * pools; no formats at all for logical pools (libvirt prints none there).
 */
void core_vol_def_apply_pool_type(CoreVolDef *vol, const char *pool_type);

/* ---- helpers shared by the storage model files ---- */

/**
 * core_storage_scale:
 * Multiplies @value by the unit @unit ("b", "bytes", "k", "KiB", "KB",
 * "M", "MiB", "MB", ... up to "E"; NULL or "" means bytes), as libvirt's
 * size elements do, with a result limit of G_MAXINT64.
 * Returns: FALSE with CORE_ERR_INVALID_ARG (unknown unit) or
 * CORE_ERR_OVERFLOW (too large) set.
 */
gboolean core_storage_scale(guint64 value, const char *unit, guint64 *ret, GError **error);

/* (transfer full) @path with duplicate and trailing slashes removed (a
 * leading "//" is kept, as POSIX gives it a meaning). */
char *core_storage_sanitize_path(const char *path);

/* (transfer full) Text of the first child element @name of @parent, NULL
 * when absent or empty (libvirt's reading of optional text elements). */
char *core_storage_child_text(const xmlNode *parent, const char *name);

/* Resets @perms to "all unset" (freeing the label). */
void core_storage_perms_clear(CoreStoragePerms *perms);

/* Parses the <permissions> child of @parent (absent: all unset). Errors
 * are CORE_ERR_XML_ERROR "malformed octal mode" / "malformed owner element"
 * / "malformed group element". */
gboolean core_storage_perms_parse(const xmlNode *parent, CoreStoragePerms *perms, GError **error);

/* Writes <permissions> to @w unless all unset. */
void core_storage_perms_format(CoreXmlWriter *w, const CoreStoragePerms *perms);

G_END_DECLS
