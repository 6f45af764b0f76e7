/* core-storage-conf: storage pool and volume models (XML <-> struct).
 * CONTRACT fields/functions below stay; further fields are added as needed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CorePoolDef CorePoolDef;
typedef struct _CoreVolDef CoreVolDef;

struct _CorePoolDef {
    char *type;          /* "dir", "fs", "logical", "netfs" */
    char *name;
    guint8 uuid[16];
    guint64 capacity;    /* bytes */
    guint64 allocation;
    guint64 available;
    char *target_path;
    gpointer priv;       /* source and the rest */
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
};

CorePoolDef *core_pool_def_parse_string(const char *xml, guint flags, GError **error);
char *core_pool_def_format(const CorePoolDef *def, guint flags);
CorePoolDef *core_pool_def_copy(const CorePoolDef *def);
void core_pool_def_free(CorePoolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CorePoolDef, core_pool_def_free)

CoreVolDef *core_vol_def_parse_string(const char *xml, guint flags, GError **error);
char *core_vol_def_format(const CoreVolDef *def, guint flags);
CoreVolDef *core_vol_def_copy(const CoreVolDef *def);
void core_vol_def_free(CoreVolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreVolDef, core_vol_def_free)

G_END_DECLS
