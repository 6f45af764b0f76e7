/* core-storage-vol: the storage volume model.
 *
 * Parsing follows libvirt's volume parser (messages, defaults: type "file",
 * allocation = capacity when absent, compat "1.1" when features are given);
 * formatting reproduces its layout. Formats are checked against the image
 * formats of file-based pools; core_vol_def_apply_pool_type() adds what
 * depends on the pool. */
#define CORE_FROM_THIS CORE_FROM_STORAGE

#include <errno.h>
#include <string.h>

#include "core-error.h"
#include "core-storage-conf.h"
#include "core-xml.h"

#define VOL_ERR(error, code, ...) core_xml_error((error), CORE_FROM_STORAGE, (code), __VA_ARGS__)

static const char *const vol_types[] = {
    "file", "block", "dir", "network", "netdir", "ploop", NULL,
};
static const char *const file_formats[] = {
    "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop", "cow",
    "qcow", "qcow2", "qed", "vmdk", NULL,
};
static const char *const vol_features[] = { "lazy_refcounts", "extended_l2", NULL };

static void
extent_free(CoreStorageVolExtent *e)
{
    g_free(e->path);
    g_free(e);
}

CoreVolDef *
core_vol_def_new(void)
{
    CoreVolDef *def = g_new0(CoreVolDef, 1);

    def->type = g_strdup("file");
    def->extents = g_ptr_array_new_with_free_func((GDestroyNotify)extent_free);
    core_storage_perms_clear(&def->target_perms);
    core_storage_perms_clear(&def->backing_perms);
    return def;
}

void
core_vol_def_free(CoreVolDef *def)
{
    if (!def)
        return;
    g_free(def->type);
    g_free(def->name);
    g_free(def->key);
    g_free(def->format);
    g_free(def->target_path);
    g_clear_pointer(&def->extents, g_ptr_array_unref);
    core_storage_perms_clear(&def->target_perms);
    g_free(def->compat);
    g_clear_pointer(&def->features, g_ptr_array_unref);
    g_free(def->backing_path);
    g_free(def->backing_format);
    core_storage_perms_clear(&def->backing_perms);
    g_free(def);
}

void
core_vol_def_apply_pool_type(CoreVolDef *vol, const char *pool_type)
{
    gboolean files = g_strcmp0(pool_type, "dir") == 0 || g_strcmp0(pool_type, "fs") == 0 ||
                     g_strcmp0(pool_type, "netfs") == 0;

    if (!files) {
        g_clear_pointer(&vol->format, g_free);
        g_clear_pointer(&vol->backing_format, g_free);
        return;
    }
    if (!vol->format)
        vol->format = g_strdup("raw");
    if (vol->backing_path && !vol->backing_format)
        vol->backing_format = g_strdup("raw");
}

/* ---- parsing ---- */

/* strtoull's syntax (leading blanks, a '+') without a minus sign, as
 * libvirt reads sizes. */
static gboolean
parse_size_number(const char *text, guint64 *ret)
{
    char *end = NULL;

    if (strchr(text, '-'))
        return FALSE;
    errno = 0;
    *ret = g_ascii_strtoull(text, &end, 10);
    return errno == 0 && end != text && *end == '\0';
}

/* <NAME unit=...>N</NAME>: 1 found, 0 absent, -1 error. */
static int
parse_size(xmlNode *root, const char *name, guint64 *ret, GError **error)
{
    xmlNode *node = core_xml_child(root, name);
    g_autofree char *text = node ? core_xml_content(node) : NULL;
    g_autofree char *unit = core_xml_prop(node, "unit");
    guint64 v;

    if (!text || !*text)
        return 0;
    if (!parse_size_number(text, &v))
        return VOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "malformed capacity element") - 1;
    return core_storage_scale(v, unit, ret, error) ? 1 : -1;
}

static gboolean
parse_format(xmlNode *parent, char **ret, GError **error)
{
    g_autofree char *format = core_xml_prop(core_xml_child(parent, "format"), "type");

    if (format && core_xml_enum_from_string(file_formats, format) < 0)
        return VOL_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown volume format type %s", format);
    *ret = g_steal_pointer(&format);
    return TRUE;
}

static gboolean
parse_target(xmlNode *tgt, CoreVolDef *def, GError **error)
{
    xmlNode *features = core_xml_child(tgt, "features");

    def->target_path = core_storage_child_text(tgt, "path");
    if (!parse_format(tgt, &def->format, error) ||
        !core_storage_perms_parse(tgt, &def->target_perms, error))
        return FALSE;
    def->compat = core_storage_child_text(tgt, "compat");
    if (def->compat) {
        g_auto(GStrv) v = g_strsplit(def->compat, ".", 2);
        guint64 n;

        if (!v[0] || !v[1] || !core_xml_parse_ull(v[0], 10, G_MAXUINT, &n) ||
            !core_xml_parse_ull(v[1], 10, G_MAXUINT, &n))
            return VOL_ERR(error, CORE_ERR_XML_ERROR, "%s",
                           "forbidden characters in 'compat' attribute");
    }
    def->nocow = core_xml_child(tgt, "nocow") != NULL;
    if (!features)
        return TRUE;
    if (!def->compat)
        def->compat = g_strdup("1.1");
    def->features = g_ptr_array_new_with_free_func(g_free);
    CORE_XML_CHILD_FOREACH (features, f) {
        const char *name = (const char *)f->name;

        if (core_xml_enum_from_string(vol_features, name) < 0)
            return VOL_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED, "unsupported feature %s", name);
        if (!g_ptr_array_find_with_equal_func(def->features, name, g_str_equal, NULL))
            g_ptr_array_add(def->features, g_strdup(name));
    }
    return TRUE;
}

static CoreVolDef *
parse_vol(xmlNode *root, GError **error)
{
    g_autoptr(CoreVolDef) def = core_vol_def_new();
    g_autofree char *type = core_xml_prop(root, "type");
    xmlNode *backing = core_xml_child(root, "backingStore");
    int rc;

    if (!(def->name = core_storage_child_text(root, "name")))
        return VOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "missing volume name element"), NULL;
    def->key = core_storage_child_text(root, "key");
    if (type && *type) {
        if (core_xml_enum_from_string(vol_types, type) < 0)
            return VOL_ERR(error, CORE_ERR_CONFIG_UNSUPPORTED, "unknown volume type '%s'", type),
                   NULL;
        g_free(def->type);
        def->type = g_steal_pointer(&type);
    }
    if (backing && (def->backing_path = core_storage_child_text(backing, "path"))) {
        if (!parse_format(backing, &def->backing_format, error) ||
            !core_storage_perms_parse(backing, &def->backing_perms, error))
            return NULL;
    }
    if ((rc = parse_size(root, "capacity", &def->capacity, error)) < 0)
        return NULL;
    if (rc == 0)
        return VOL_ERR(error, CORE_ERR_XML_ERROR, "%s", "missing capacity element"), NULL;
    if ((rc = parse_size(root, "allocation", &def->allocation, error)) < 0)
        return NULL;
    if (rc == 0)
        def->allocation = def->capacity;
    if (!parse_target(core_xml_child(root, "target"), def, error))
        return NULL;
    return g_steal_pointer(&def);
}

/**
 * core_vol_def_parse_string:
 * @xml: a <volume> document
 * @flags: unused, 0
 * @error: CORE_ERR_XML_DETAIL (not well-formed), CORE_ERR_XML_ERROR,
 *     CORE_ERR_CONFIG_UNSUPPORTED, CORE_ERR_INVALID_ARG (unknown unit),
 *     CORE_ERR_OVERFLOW, with libvirt's messages
 *
 * Parses and validates a volume definition. The key, path and formats are
 * kept as given (NULL when absent): the storage driver fills them in.
 * Returns: (transfer full) the definition, NULL on error.
 */
CoreVolDef *
core_vol_def_parse_string(const char *xml, guint flags, GError **error)
{
    g_autoptr(xmlDoc) doc = core_xml_parse(xml, "storage_volume_definition", "volume",
                                           CORE_FROM_STORAGE, error);

    if (!doc)
        return NULL;
    return parse_vol(xmlDocGetRootElement(doc), error);
}

/* ---- formatting ---- */

static void
format_size(CoreXmlWriter *w, const char *name, guint64 value)
{
    g_autofree char *text = g_strdup_printf("%" G_GUINT64_FORMAT, value);

    core_xml_writer_start(w, name);
    core_xml_writer_attr(w, "unit", "bytes");
    core_xml_writer_end_text(w, text);
}

static void
format_timestamp(CoreXmlWriter *w, const char *name, const CoreStorageTimestamp *ts)
{
    if (!ts->set)
        return;
    if (ts->nsec)
        core_xml_writer_text_elementf(w, name, "%" G_GINT64_FORMAT ".%09ld", ts->sec, ts->nsec);
    else
        core_xml_writer_text_elementf(w, name, "%" G_GINT64_FORMAT, ts->sec);
}

static void
format_target(CoreXmlWriter *w, const CoreVolDef *def)
{
    core_xml_writer_start(w, "target");
    core_xml_writer_text_element(w, "path", def->target_path);
    if (def->format) {
        core_xml_writer_start(w, "format");
        core_xml_writer_attr(w, "type", def->format);
        core_xml_writer_end(w);
    }
    core_storage_perms_format(w, &def->target_perms);
    if (def->atime.set || def->mtime.set || def->ctime.set || def->btime.set) {
        core_xml_writer_start(w, "timestamps");
        format_timestamp(w, "atime", &def->atime);
        format_timestamp(w, "mtime", &def->mtime);
        format_timestamp(w, "ctime", &def->ctime);
        format_timestamp(w, "btime", &def->btime);
        core_xml_writer_end(w);
    }
    core_xml_writer_text_element(w, "compat", def->compat);
    if (def->features) {
        core_xml_writer_start(w, "features");
        /* libvirt lists features in its own order, not the input's */
        for (guint i = 0; vol_features[i]; i++) {
            if (g_ptr_array_find_with_equal_func(def->features, vol_features[i], g_str_equal,
                                                 NULL)) {
                core_xml_writer_start(w, vol_features[i]);
                core_xml_writer_end(w);
            }
        }
        core_xml_writer_end(w);
    }
    core_xml_writer_end_full(w);
}

static void
format_extents(CoreXmlWriter *w, const CoreVolDef *def)
{
    const char *current = NULL;

    if (!def->extents || def->extents->len == 0)
        return;
    core_xml_writer_start(w, "source");
    for (guint i = 0; i < def->extents->len; i++) {
        const CoreStorageVolExtent *e = g_ptr_array_index(def->extents, i);

        if (!current || g_strcmp0(current, e->path) != 0) {
            if (current)
                core_xml_writer_end(w);
            core_xml_writer_start(w, "device");
            core_xml_writer_attr(w, "path", e->path);
            current = e->path;
        }
        core_xml_writer_start(w, "extent");
        core_xml_writer_attrf(w, "start", "%" G_GUINT64_FORMAT, e->start);
        core_xml_writer_attrf(w, "end", "%" G_GUINT64_FORMAT, e->end);
        core_xml_writer_end(w);
    }
    core_xml_writer_end(w);
    core_xml_writer_end(w);
}

/**
 * core_vol_def_format:
 * @def: the volume
 * @flags: unused, 0
 *
 * Formats @def as libvirt does (sizes in bytes). Call
 * core_vol_def_apply_pool_type() first for pool-dependent defaults.
 * Returns: (transfer full) the XML text.
 */
char *
core_vol_def_format(const CoreVolDef *def, guint flags)
{
    CoreXmlWriter w;

    core_xml_writer_init(&w);
    core_xml_writer_start(&w, "volume");
    core_xml_writer_attr(&w, "type", def->type ? def->type : "file");
    core_xml_writer_text_element(&w, "name", def->name);
    core_xml_writer_text_element(&w, "key", def->key);
    format_extents(&w, def);
    format_size(&w, "capacity", def->capacity);
    format_size(&w, "allocation", def->allocation);
    if (def->physical)
        format_size(&w, "physical", def->physical);
    format_target(&w, def);
    if (def->backing_path) {
        core_xml_writer_start(&w, "backingStore");
        core_xml_writer_text_element(&w, "path", def->backing_path);
        if (def->backing_format) {
            core_xml_writer_start(&w, "format");
            core_xml_writer_attr(&w, "type", def->backing_format);
            core_xml_writer_end(&w);
        }
        core_storage_perms_format(&w, &def->backing_perms);
        core_xml_writer_end_full(&w);
    }
    core_xml_writer_end_full(&w);
    return core_xml_writer_finish(&w);
}

/**
 * core_vol_def_copy:
 * Deep copy of @def (the output-only extents, physical size and
 * timestamps, and the input-only nocow flag included).
 * Returns: (transfer full) the copy, NULL when @def does not validate.
 */
CoreVolDef *
core_vol_def_copy(const CoreVolDef *def)
{
    g_autofree char *xml = core_vol_def_format(def, 0);
    CoreVolDef *copy = core_vol_def_parse_string(xml, 0, NULL);

    if (!copy)
        return NULL;
    copy->physical = def->physical;
    copy->atime = def->atime;
    copy->mtime = def->mtime;
    copy->ctime = def->ctime;
    copy->btime = def->btime;
    copy->nocow = def->nocow;
    for (guint i = 0; def->extents && i < def->extents->len; i++) {
        const CoreStorageVolExtent *e = g_ptr_array_index(def->extents, i);
        CoreStorageVolExtent *c = g_new0(CoreStorageVolExtent, 1);

        c->path = g_strdup(e->path);
        c->start = e->start;
        c->end = e->end;
        g_ptr_array_add(copy->extents, c);
    }
    return copy;
}
