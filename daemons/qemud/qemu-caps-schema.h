/* qemu-caps-schema: questions about a QEMU's QMP schema
 * (query-qmp-schema), for the command-line and hotplug code: does command
 * X take argument Y, does an argument accept a value, does object type T
 * (object-add / -object) have property P.
 *
 * A path names an argument inside a command's arguments: components split
 * by '/', each a member name, looked up in the object's own members and
 * then in its union variants; arrays and alternates are looked through.
 * Example: ("blockdev-add", "discard"), ("object-add", "size").
 *
 * Device properties are not in the schema (device_add takes "any"); see
 * qemu_caps_device_has_prop().
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>

G_BEGIN_DECLS

typedef struct _QemuSchema QemuSchema;

/**
 * qemu_schema_new:
 * @schema: the "return" array of query-qmp-schema (a reference is taken)
 * Returns: (transfer full) the index, or NULL with CORE_ERR_INTERNAL_ERROR
 * when @schema is not an array of named entries.
 */
QemuSchema *qemu_schema_new(json_object *schema, GError **error);
void qemu_schema_free(QemuSchema *schema);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuSchema, qemu_schema_free)

gboolean qemu_schema_has_command(QemuSchema *schema, const char *command);
gboolean qemu_schema_has_event(QemuSchema *schema, const char *event);
/* TRUE when @command's arguments contain @path. */
gboolean qemu_schema_command_has_arg(QemuSchema *schema, const char *command, const char *path);
/* TRUE when @event's data contains @path. */
gboolean qemu_schema_event_has_arg(QemuSchema *schema, const char *event, const char *path);
/* TRUE when the enum at @command/@path accepts @value. */
gboolean qemu_schema_command_arg_has_value(QemuSchema *schema, const char *command,
                                           const char *path, const char *value);
/* TRUE when object-add accepts qom-type @type. */
gboolean qemu_schema_has_object_type(QemuSchema *schema, const char *type);
/* TRUE when object-add with qom-type @type accepts property @prop. */
gboolean qemu_schema_object_type_has_prop(QemuSchema *schema, const char *type,
                                          const char *prop);

/* Number of entries (for tests and logs). */
guint qemu_schema_size(QemuSchema *schema);

G_END_DECLS
