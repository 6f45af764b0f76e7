/* qemu-caps-schema: see qemu-caps-schema.h.
 *
 * Schema facts (QEMU's introspection): entries carry "name" and
 * "meta-type": command (arg-type, ret-type), event (arg-type), object
 * (members [{name, type}], optional tag + variants [{case, type}]), enum
 * (values), array (element-type), alternate (members [{type}]), builtin.
 * Type names other than builtins are opaque numbers.
 */
#include "qemu-caps-schema.h"

#include <string.h>

#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

/* Schemas are acyclic in practice; the bound only guards a hostile one. */
#define MAX_DEPTH 32

struct _QemuSchema {
    json_object *root;
    GHashTable *by_name; /* name -> entry (transfer none) */
};

static const char *
str_member(json_object *obj, const char *key)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static json_object *
array_member(json_object *obj, const char *key)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_array))
        return NULL;
    return v;
}

QemuSchema *
qemu_schema_new(json_object *schema, GError **error)
{
    g_autoptr(QemuSchema) s = g_new0(QemuSchema, 1);
    size_t n;

    if (!json_object_is_type(schema, json_type_array)) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "QMP schema is not an array");
        return NULL;
    }
    s->root = json_object_get(schema);
    s->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    n = json_object_array_length(schema);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(schema, i);
        const char *name = json_object_is_type(e, json_type_object) ? str_member(e, "name")
                                                                      : NULL;

        if (!name || !str_member(e, "meta-type")) {
            core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                           "QMP schema entry %zu has no name or meta-type", i);
            return NULL;
        }
        g_hash_table_insert(s->by_name, (gpointer)name, e);
    }
    return g_steal_pointer(&s);
}

void
qemu_schema_free(QemuSchema *schema)
{
    if (!schema)
        return;
    g_clear_pointer(&schema->by_name, g_hash_table_unref);
    if (schema->root)
        json_object_put(schema->root);
    g_free(schema);
}

guint
qemu_schema_size(QemuSchema *schema)
{
    return g_hash_table_size(schema->by_name);
}

static json_object *
entry_of_meta(QemuSchema *s, const char *name, const char *meta)
{
    json_object *e = name ? g_hash_table_lookup(s->by_name, name) : NULL;

    if (e && meta && g_strcmp0(str_member(e, "meta-type"), meta) != 0)
        return NULL;
    return e;
}

gboolean
qemu_schema_has_command(QemuSchema *schema, const char *command)
{
    return entry_of_meta(schema, command, "command") != NULL;
}

gboolean
qemu_schema_has_event(QemuSchema *schema, const char *event)
{
    return entry_of_meta(schema, event, "event") != NULL;
}

/* Calls @fn on every concrete type @type stands for (arrays and
 * alternates looked through) until it returns non-NULL. */
typedef json_object *(*TypeVisit)(QemuSchema *s, json_object *entry, const char *what,
                                  int depth);

static json_object *
visit_concrete(QemuSchema *s, json_object *entry, TypeVisit fn, const char *what, int depth)
{
    const char *meta;
    json_object *members;

    if (!entry || depth > MAX_DEPTH)
        return NULL;
    meta = str_member(entry, "meta-type");
    if (g_strcmp0(meta, "array") == 0)
        return visit_concrete(s, entry_of_meta(s, str_member(entry, "element-type"), NULL), fn,
                              what, depth + 1);
    if (g_strcmp0(meta, "alternate") == 0 && (members = array_member(entry, "members"))) {
        for (size_t i = 0; i < json_object_array_length(members); i++) {
            json_object *m = json_object_array_get_idx(members, i);
            json_object *r = visit_concrete(s, entry_of_meta(s, str_member(m, "type"), NULL),
                                            fn, what, depth + 1);

            if (r)
                return r;
        }
        return NULL;
    }
    return fn(s, entry, what, depth);
}

/* The type entry of member @name of object @entry (own members first,
 * then every variant). */
static json_object *
object_member_type(QemuSchema *s, json_object *entry, const char *name, int depth)
{
    json_object *members;
    json_object *variants;

    if (depth > MAX_DEPTH || g_strcmp0(str_member(entry, "meta-type"), "object") != 0)
        return NULL;
    if ((members = array_member(entry, "members"))) {
        for (size_t i = 0; i < json_object_array_length(members); i++) {
            json_object *m = json_object_array_get_idx(members, i);

            if (g_strcmp0(str_member(m, "name"), name) == 0)
                return entry_of_meta(s, str_member(m, "type"), NULL);
        }
    }
    if ((variants = array_member(entry, "variants"))) {
        for (size_t i = 0; i < json_object_array_length(variants); i++) {
            json_object *v = json_object_array_get_idx(variants, i);
            json_object *t = entry_of_meta(s, str_member(v, "type"), "object");
            json_object *r = t ? object_member_type(s, t, name, depth + 1) : NULL;

            if (r)
                return r;
        }
    }
    return NULL;
}

static json_object *
visit_member(QemuSchema *s, json_object *entry, const char *name, int depth)
{
    return object_member_type(s, entry, name, depth);
}

/* Type entry at @path below @entry, NULL when absent. */
static json_object *
resolve_path(QemuSchema *s, json_object *entry, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);

    for (guint i = 0; parts[i] && entry; i++) {
        if (!*parts[i])
            return NULL;
        entry = visit_concrete(s, entry, visit_member, parts[i], 0);
    }
    return entry;
}

static json_object *
args_of(QemuSchema *s, const char *name, const char *meta)
{
    json_object *e = entry_of_meta(s, name, meta);

    return e ? entry_of_meta(s, str_member(e, "arg-type"), NULL) : NULL;
}

gboolean
qemu_schema_command_has_arg(QemuSchema *schema, const char *command, const char *path)
{
    json_object *args = args_of(schema, command, "command");

    return args && resolve_path(schema, args, path) != NULL;
}

gboolean
qemu_schema_event_has_arg(QemuSchema *schema, const char *event, const char *path)
{
    json_object *args = args_of(schema, event, "event");

    return args && resolve_path(schema, args, path) != NULL;
}

static json_object *
visit_enum_value(QemuSchema *s, json_object *entry, const char *value, int depth)
{
    json_object *values;

    if (g_strcmp0(str_member(entry, "meta-type"), "enum") != 0 ||
        !(values = array_member(entry, "values")))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(values); i++) {
        json_object *v = json_object_array_get_idx(values, i);

        if (json_object_is_type(v, json_type_string) &&
            strcmp(json_object_get_string(v), value) == 0)
            return entry;
    }
    return NULL;
}

gboolean
qemu_schema_command_arg_has_value(QemuSchema *schema, const char *command, const char *path,
                                  const char *value)
{
    json_object *args = args_of(schema, command, "command");
    json_object *t = args ? resolve_path(schema, args, path) : NULL;

    return t && visit_concrete(schema, t, visit_enum_value, value, 0) != NULL;
}

gboolean
qemu_schema_has_object_type(QemuSchema *schema, const char *type)
{
    return qemu_schema_command_arg_has_value(schema, "object-add", "qom-type", type);
}

gboolean
qemu_schema_object_type_has_prop(QemuSchema *schema, const char *type, const char *prop)
{
    json_object *args = args_of(schema, "object-add", "command");
    json_object *variants = args ? array_member(args, "variants") : NULL;
    json_object *members = args ? array_member(args, "members") : NULL;

    if (!variants || !qemu_schema_has_object_type(schema, type))
        return FALSE;
    for (size_t i = 0; members && i < json_object_array_length(members); i++)
        if (g_strcmp0(str_member(json_object_array_get_idx(members, i), "name"), prop) == 0)
            return TRUE;
    for (size_t i = 0; i < json_object_array_length(variants); i++) {
        json_object *v = json_object_array_get_idx(variants, i);
        json_object *t;

        if (g_strcmp0(str_member(v, "case"), type) != 0)
            continue;
        t = entry_of_meta(schema, str_member(v, "type"), "object");
        return t && object_member_type(schema, t, prop, 0) != NULL;
    }
    return FALSE;
}
