/* core-config: daemon configuration files (GKeyFile syntax).
 *
 *     [daemon]
 *     timeout = 120
 *     log_filters = 1:core.rpc 3:*
 *
 * Getters take a default for absent keys and check types and ranges; every
 * error is CORE_ERR_CONF_SYNTAX (origin CONF) and names the file, the group
 * and the key, so a user can find the line to fix.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoreConfig CoreConfig;

/**
 * core_config_load:
 * @path: the file to read
 * @missing_ok: a file that does not exist gives an empty configuration
 * @error: CORE_ERR_SYSTEM_ERROR when the file cannot be read,
 *     CORE_ERR_CONF_SYNTAX when it does not parse
 * Returns: (transfer full) the configuration, NULL on error.
 */
CoreConfig *core_config_load(const char *path, gboolean missing_ok, GError **error);

/* Like core_config_load() on text in memory; @name stands for the file
 * name in messages. (transfer full) */
CoreConfig *core_config_load_data(const char *name, const char *data, gssize len,
                                  GError **error);

void core_config_free(CoreConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreConfig, core_config_free)

/* (transfer none) File name given at load time. */
const char *core_config_get_name(const CoreConfig *cfg);

/* TRUE when @group has @key. */
gboolean core_config_has_key(const CoreConfig *cfg, const char *group, const char *key);

/**
 * core_config_check_keys:
 * Fails on the first key of @group not in @known (NULL-terminated), to
 * catch typos; a missing group is fine.
 */
gboolean core_config_check_keys(const CoreConfig *cfg, const char *group,
                                const char *const *known, GError **error);

/* @ret (transfer full): the string value (escapes processed) or a copy of
 * @def (may be NULL) when the key is absent. */
gboolean core_config_get_string(const CoreConfig *cfg, const char *group, const char *key,
                                const char *def, char **ret, GError **error);

/* Booleans: true/false, yes/no, on/off, 1/0 in any case. */
gboolean core_config_get_bool(const CoreConfig *cfg, const char *group, const char *key,
                              gboolean def, gboolean *ret, GError **error);

/* Decimal integers in [@min, @max]; @def is returned unchecked when the
 * key is absent. */
gboolean core_config_get_int(const CoreConfig *cfg, const char *group, const char *key,
                             gint64 def, gint64 min, gint64 max, gint64 *ret, GError **error);

/* @ret (transfer full): the ';'-separated list, or an empty list when the
 * key is absent. */
gboolean core_config_get_string_list(const CoreConfig *cfg, const char *group, const char *key,
                                     char ***ret, GError **error);

/* @ret: the index in @choices (NULL-terminated) of the value, compared
 * exactly; @def when the key is absent. */
gboolean core_config_get_enum(const CoreConfig *cfg, const char *group, const char *key,
                              const char *const *choices, int def, int *ret, GError **error);

G_END_DECLS
