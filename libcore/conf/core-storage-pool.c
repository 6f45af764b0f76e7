/* core-storage-pool: the storage pool model.
 *
 * Which source parts a pool type needs and prints, its default source
 * format and the order of the checks follow libvirt's storage_conf, so
 * that errors and dumps match what libvirt's clients expect. */
#define CORE_FROM_THIS CORE_FROM_STORAGE

#include <string.h>

#include "core-error.h"
#include "core-storage-conf.h"
#include "core-uuid.h"
#include "core-xml.h"

#define POOL_ERR(error, code, ...) core_xml_error((error), CORE_FROM_STORAGE, (code), __VA_ARGS__)

/* What a pool type requires in <source> (libvirt's option flags). */
enum {
    SRC_HOST = 1 << 0,
    SRC_DEVICE = 1 << 1,
    SRC_DIR = 1 << 2,
    SRC_NAME = 1 << 4,
};

typedef struct {
    const char *type;
    guint flags;
    const char *const *formats; /* NULL: the type has no source format */
    const char *default_format;
} PoolTypeInfo;

static const char *const fs_formats[] = {
    "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2", "vfat", "hfs+", "xfs",
    "ocfs2", "vmfs", NULL,
};
static const char *const netfs_formats[] = { "auto", "nfs", "glusterfs", "cifs", NULL };
static const char *const logical_formats[] = { "unknown", "lvm2", NULL };

static const PoolTypeInfo pool_types[] = {
    { "dir", 0, NULL, NULL },
    { "fs", SRC_DEVICE, fs_formats, "auto" },
    { "netfs", SRC_HOST | SRC_DIR, netfs_formats, "auto" },
    { "logical", SRC_NAME | SRC_DEVICE, logical_formats, "lvm2" },
};

/* Every type libvirt knows, so that an unknown one is reported as libvirt
 * does and a known but unmodelled one as unsupported. */
static const char *const libvirt_pool_types[] = {
    "dir", "fs", "netfs", "logical", "disk", "iscsi", "iscsi-direct", "scsi", "mpath", "rbd",
    "sheepdog", "gluster", "zfs", "vstorage", NULL,
};

static const PoolTypeInfo *
pool_type_info(const char *type)
{
    for (guint i = 0; type && i < G_N_ELEMENTS(pool_types); i++) {
        if (g_str_equal(pool_types[i].type, type))
            return &pool_types[i];
    }
    return NULL;
}

static void
pool_host_free(CoreStoragePoolHost *h)
{
    g_free(h->name);
    g_free(h);
}

static void
pool_device_free(CoreStoragePoolDevice *d)
{
    g_free(d->path);
    g_free(d);
}

CorePoolDef *
core_pool_def_new(const char *type)
{
    CorePoolDef *def = g_new0(CorePoolDef, 1);

    def->type = g_strdup(type);
    def->source_hosts = g_ptr_array_new_with_free_func((GDestroyNotify)pool_host_free);
    def->source_devices = g_ptr_array_new_with_free_func((GDestroyNotify)pool_device_free);
    core_storage_perms_clear(&def->target_perms);
    return def;
}

void
core_pool_def_free(CorePoolDef *def)
{
    if (!def)
        return;
    g_free(def->type);
    g_free(def->name);
    g_free(def->target_path);
    g_clear_pointer(&def->source_hosts, g_ptr_array_unref);
    g_clear_pointer(&def->source_devices, g_ptr_array_unref);
    g_free(def->source_dir);
    g_free(def->source_name);
    g_free(def->source_format);
    g_free(def->source_protocol_ver);
    g_free(def->source_vendor);
    g_free(def->source_product);
    core_storage_perms_clear(&def->target_perms);
    g_free(def);
}

/* ---- parsing ---- */

static gboolean
parse_source_hosts(xmlNode *src, CorePoolDef *def, GError **error)
{
    CORE_XML_CHILD_FOREACH (src, c) {
        CoreStoragePoolHost *h;
        g_autofree char *port = NULL;
        gint64 p;
        char *end = NULL;

        if (!core_xml_is(c, "host"))
            continue;
        h = g_new0(CoreStoragePoolHost, 1);
        g_ptr_array_add(def->source_hosts, h);
        if (!(h->name = core_xml_prop(c, "name")))
            return POOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "missing storage pool host name");
        if ((port = core_xml_prop(c, "port"))) {
            p = g_ascii_strtoll(port, &end, 10);
            if (!*port || *end || p < G_MININT32 || p > G_MAXINT32)
                return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                                      "Invalid value for attribute 'port' in element 'host': "
                                      "'%s'. Expected integer value", port);
            h->port = (int)p;
        }
    }
    return TRUE;
}

static gboolean
parse_source_devices(xmlNode *src, CorePoolDef *def, GError **error)
{
    static const char *const tristates[] = { "absent", "yes", "no", NULL };

    CORE_XML_CHILD_FOREACH (src, c) {
        CoreStoragePoolDevice *d;
        g_autofree char *sep = NULL;

        if (!core_xml_is(c, "device"))
            continue;
        d = g_new0(CoreStoragePoolDevice, 1);
        g_ptr_array_add(def->source_devices, d);
        if (!(d->path = core_xml_prop(c, "path")))
            return POOL_ERR(error, CORE_ERR_XML_ERROR, "%s",
                            "missing storage pool source device path");
        if ((sep = core_xml_prop(c, "part_separator")) &&
            (d->part_separator = core_xml_enum_from_string(tristates, sep)) <= 0)
            return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                                  "Invalid value for attribute 'part_separator' in element "
                                  "'device': '%s'.", sep);
    }
    return TRUE;
}

static gboolean
parse_source(xmlNode *src, const PoolTypeInfo *info, CorePoolDef *def, GError **error)
{
    g_autofree char *format = NULL;
    g_autofree char *dir = NULL;

    def->source_name = core_storage_child_text(src, "name");
    if (info->formats) {
        format = core_xml_prop(core_xml_child(src, "format"), "type");
        if (format && core_xml_enum_from_string(info->formats, format) < 0)
            return POOL_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown pool format type %s",
                            format);
        def->source_format = g_strdup(format ? format : info->default_format);
    }
    if (!parse_source_hosts(src, def, error) || !parse_source_devices(src, def, error))
        return FALSE;
    dir = core_xml_prop(core_xml_child(src, "dir"), "path");
    if (dir && *dir)
        def->source_dir = core_storage_sanitize_path(dir);
    def->source_protocol_ver = core_xml_prop(core_xml_child(src, "protocol"), "ver");
    if (def->source_protocol_ver) {
        if (g_strcmp0(def->type, "netfs") != 0 ||
            (!g_str_equal(def->source_format, "nfs") &&
             !g_str_equal(def->source_format, "auto")))
            return POOL_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                            "storage pool protocol ver unsupported for pool type '%s'",
                            def->source_format ? def->source_format : "(null)");
        if (strchr(def->source_protocol_ver, ','))
            return POOL_ERR(error, CORE_ERR_XML_DETAIL,
                            "storage pool protocol ver '%s' must not contain ','",
                            def->source_protocol_ver);
    }
    def->source_vendor = core_xml_prop(core_xml_child(src, "vendor"), "name");
    def->source_product = core_xml_prop(core_xml_child(src, "product"), "name");
    return TRUE;
}

/* Optional sizes: libvirt ignores them in definitions, so a bad one is
 * ignored here too rather than refused. */
static guint64
parse_size_lenient(xmlNode *root, const char *name)
{
    xmlNode *node = core_xml_child(root, name);
    g_autofree char *text = core_xml_content(node);
    g_autofree char *unit = core_xml_prop(node, "unit");
    guint64 v = 0, ret = 0;

    if (!text || !core_xml_parse_ull(text, 10, G_MAXUINT64, &v) ||
        !core_storage_scale(v, unit, &ret, NULL))
        return 0;
    return ret;
}

static gboolean
parse_pool_requirements(const PoolTypeInfo *info, CorePoolDef *def, GError **error)
{
    if ((info->flags & SRC_HOST) && def->source_hosts->len == 0)
        return POOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "missing storage pool source host name");
    if ((info->flags & SRC_DIR) && !def->source_dir)
        return POOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "missing storage pool source path");
    if ((info->flags & SRC_NAME) && !def->source_name)
        def->source_name = g_strdup(def->name);
    if (info->flags == SRC_DEVICE && def->source_devices->len == 0)
        return POOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "missing storage pool source device name");
    return TRUE;
}

static CorePoolDef *
parse_pool(xmlNode *root, GError **error)
{
    g_autofree char *type = core_xml_prop(root, "type");
    g_autofree char *uuid = NULL;
    g_autofree char *target = NULL;
    g_autoptr(CorePoolDef) def = NULL;
    const PoolTypeInfo *info;
    xmlNode *src, *tgt;

    if (!type)
        return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                              "Missing required attribute 'type' in element 'pool'"), NULL;
    if (core_xml_enum_from_string(libvirt_pool_types, type) < 0)
        return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                              "Invalid value for attribute 'type' in element 'pool': '%s'.",
                              type), NULL;
    if (!(info = pool_type_info(type)))
        return POOL_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED,
                        "storage pool type '%s' is not supported", type), NULL;
    def = core_pool_def_new(type);
    if ((src = core_xml_child(root, "source")) && !parse_source(src, info, def, error))
        return NULL;
    if (!src && info->formats)
        def->source_format = g_strdup(info->default_format);
    def->name = core_storage_child_text(root, "name");
    if (!def->name && (info->flags & SRC_NAME))
        def->name = g_strdup(def->source_name);
    if (!def->name)
        return POOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "missing pool source name element"), NULL;
    if (strchr(def->name, '/'))
        return POOL_ERR(error, CORE_ERR_XML_ERROR, "name %s cannot contain '/'", def->name), NULL;
    if (!(uuid = core_storage_child_text(root, "uuid")))
        core_uuid_generate(def->uuid);
    else if (!core_uuid_parse(uuid, def->uuid, NULL))
        return POOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "malformed uuid element"), NULL;
    if (!parse_pool_requirements(info, def, error))
        return NULL;
    tgt = core_xml_child(root, "target");
    if (g_str_equal(type, "logical"))
        target = g_strdup_printf("/dev/%s", def->source_name);
    else if (!(target = core_storage_child_text(tgt, "path")))
        return POOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "missing storage pool target path"), NULL;
    def->target_path = core_storage_sanitize_path(target);
    if (!core_storage_perms_parse(tgt, &def->target_perms, error))
        return NULL;
    def->capacity = parse_size_lenient(root, "capacity");
    def->allocation = parse_size_lenient(root, "allocation");
    def->available = parse_size_lenient(root, "available");
    return g_steal_pointer(&def);
}

/**
 * core_pool_def_parse_string:
 * @xml: a <pool> document
 * @flags: unused, 0
 * @error: CORE_ERR_XML_DETAIL (not well-formed), CORE_ERR_XML_ERROR,
 *     CORE_ERR_CONFIG_UNSUPPORTED, with libvirt's messages
 *
 * Parses and validates a pool definition; a missing <uuid> gets a random
 * one. Sizes are optional (libvirt ignores them in definitions).
 * Returns: (transfer full) the definition, NULL on error.
 */
CorePoolDef *
core_pool_def_parse_string(const char *xml, guint flags, GError **error)
{
    g_autoptr(xmlDoc) doc = core_xml_parse(xml, "storage_pool_definition", "pool",
                                           CORE_FROM_STORAGE, error);

    if (!doc)
        return NULL;
    return parse_pool(xmlDocGetRootElement(doc), error);
}

/* ---- formatting ---- */

static void
format_source(CoreXmlWriter *w, const PoolTypeInfo *info, const CorePoolDef *def)
{
    static const char *const tristates[] = { "absent", "yes", "no" };

    core_xml_writer_start(w, "source");
    for (guint i = 0; (info->flags & SRC_HOST) && i < def->source_hosts->len; i++) {
        const CoreStoragePoolHost *h = g_ptr_array_index(def->source_hosts, i);

        core_xml_writer_start(w, "host");
        core_xml_writer_attr(w, "name", h->name);
        if (h->port)
            core_xml_writer_attrf(w, "port", "%d", h->port);
        core_xml_writer_end(w);
    }
    for (guint i = 0; (info->flags & SRC_DEVICE) && i < def->source_devices->len; i++) {
        const CoreStoragePoolDevice *d = g_ptr_array_index(def->source_devices, i);

        core_xml_writer_start(w, "device");
        core_xml_writer_attr(w, "path", d->path);
        if (d->part_separator > 0 && d->part_separator < 3)
            core_xml_writer_attr(w, "part_separator", tristates[d->part_separator]);
        core_xml_writer_end(w);
    }
    if ((info->flags & SRC_DIR) && def->source_dir) {
        core_xml_writer_start(w, "dir");
        core_xml_writer_attr(w, "path", def->source_dir);
        core_xml_writer_end(w);
    }
    if (info->flags & SRC_NAME)
        core_xml_writer_text_element(w, "name", def->source_name);
    if (info->formats) {
        core_xml_writer_start(w, "format");
        core_xml_writer_attr(w, "type", def->source_format ? def->source_format
                                                           : info->default_format);
        core_xml_writer_end(w);
    }
    if (def->source_protocol_ver) {
        core_xml_writer_start(w, "protocol");
        core_xml_writer_attr(w, "ver", def->source_protocol_ver);
        core_xml_writer_end(w);
    }
    if (def->source_vendor) {
        core_xml_writer_start(w, "vendor");
        core_xml_writer_attr(w, "name", def->source_vendor);
        core_xml_writer_end(w);
    }
    if (def->source_product) {
        core_xml_writer_start(w, "product");
        core_xml_writer_attr(w, "name", def->source_product);
        core_xml_writer_end(w);
    }
    /* libvirt writes an empty source as "<source>" and "</source>" lines */
    core_xml_writer_end_full(w);
}

/* Writes <NAME unit='bytes'>VALUE</NAME>. */
static void
format_size(CoreXmlWriter *w, const char *name, guint64 value)
{
    g_autofree char *text = g_strdup_printf("%" G_GUINT64_FORMAT, value);

    core_xml_writer_start(w, name);
    core_xml_writer_attr(w, "unit", "bytes");
    core_xml_writer_end_text(w, text);
}

/**
 * core_pool_def_format:
 * @def: the pool
 * @flags: unused, 0
 *
 * Formats @def as libvirt does (sizes always in bytes).
 * Returns: (transfer full) the XML text.
 */
char *
core_pool_def_format(const CorePoolDef *def, guint flags)
{
    static const PoolTypeInfo plain = { "dir", 0, NULL, NULL };
    const PoolTypeInfo *info = pool_type_info(def->type);
    char uuid[CORE_UUID_STRING_BUFLEN];
    CoreXmlWriter w;

    core_xml_writer_init(&w);
    core_xml_writer_start(&w, "pool");
    core_xml_writer_attr(&w, "type", def->type);
    core_xml_writer_text_element(&w, "name", def->name);
    core_xml_writer_text_element(&w, "uuid", core_uuid_format(def->uuid, uuid));
    format_size(&w, "capacity", def->capacity);
    format_size(&w, "allocation", def->allocation);
    format_size(&w, "available", def->available);
    format_source(&w, info ? info : &plain, def);
    core_xml_writer_start(&w, "target");
    core_xml_writer_text_element(&w, "path", def->target_path);
    core_storage_perms_format(&w, &def->target_perms);
    core_xml_writer_end_full(&w);
    core_xml_writer_end_full(&w);
    return core_xml_writer_finish(&w);
}

/**
 * core_pool_def_copy:
 * Deep copy of @def through its XML form.
 * Returns: (transfer full) the copy, NULL when @def does not validate.
 */
CorePoolDef *
core_pool_def_copy(const CorePoolDef *def)
{
    g_autofree char *xml = core_pool_def_format(def, 0);

    return core_pool_def_parse_string(xml, 0, NULL);
}
