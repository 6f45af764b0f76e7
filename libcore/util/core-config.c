/* core-config: see core-config.h. */
#include "core-config.h"

#include <errno.h>
#include <string.h>

#include "core-error.h"
#include "core-file.h"

#define CORE_FROM_THIS CORE_FROM_CONF

/* Configuration files are small; anything bigger is a mistake. */
#define CONFIG_MAX_LEN (1024 * 1024)

struct _CoreConfig {
    char *name;
    GKeyFile *kf;
};

void
core_config_free(CoreConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->name);
    g_clear_pointer(&cfg->kf, g_key_file_free);
    g_free(cfg);
}

const char *
core_config_get_name(const CoreConfig *cfg)
{
    return cfg->name;
}

static CoreConfig *
config_new(const char *name)
{
    CoreConfig *cfg = g_new0(CoreConfig, 1);

    cfg->name = g_strdup(name);
    cfg->kf = g_key_file_new();
    return cfg;
}

CoreConfig *
core_config_load_data(const char *name, const char *data, gssize len, GError **error)
{
    g_autoptr(CoreConfig) cfg = config_new(name);
    g_autoptr(GError) gerr = NULL;

    if (!g_key_file_load_from_data(cfg->kf, data, len < 0 ? strlen(data) : (gsize)len,
                                   G_KEY_FILE_NONE, &gerr)) {
        core_error_set(error, CORE_ERR_CONF_SYNTAX, "cannot parse '%s': %s", name,
                       gerr->message);
        return NULL;
    }
    return g_steal_pointer(&cfg);
}

CoreConfig *
core_config_load(const char *path, gboolean missing_ok, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;

    if (missing_ok && !g_file_test(path, G_FILE_TEST_EXISTS))
        return config_new(path);
    if (!core_file_read_all(path, CONFIG_MAX_LEN, &data, &len, error))
        return NULL;
    return core_config_load_data(path, data, (gssize)len, error);
}

gboolean
core_config_has_key(const CoreConfig *cfg, const char *group, const char *key)
{
    return g_key_file_has_key(cfg->kf, group, key, NULL);
}

static gboolean
bad_value(const CoreConfig *cfg, const char *group, const char *key, GError **error,
          const char *what, const char *value)
{
    return core_error_set(error, CORE_ERR_CONF_SYNTAX,
                          "in '%s', group [%s], key '%s': %s, got '%s'", cfg->name, group, key,
                          what, value);
}

gboolean
core_config_check_keys(const CoreConfig *cfg, const char *group, const char *const *known,
                       GError **error)
{
    g_auto(GStrv) keys = NULL;

    if (!g_key_file_has_group(cfg->kf, group))
        return TRUE;
    keys = g_key_file_get_keys(cfg->kf, group, NULL, NULL);
    for (guint i = 0; keys && keys[i]; i++) {
        if (!g_strv_contains(known, keys[i]))
            return core_error_set(error, CORE_ERR_CONF_SYNTAX,
                                  "in '%s', group [%s]: unknown key '%s'", cfg->name, group,
                                  keys[i]);
    }
    return TRUE;
}

/* The raw text of @key, whitespace stripped; NULL when absent. */
static char *
raw_value(const CoreConfig *cfg, const char *group, const char *key)
{
    char *value = g_key_file_get_value(cfg->kf, group, key, NULL);

    return value ? g_strstrip(value) : NULL;
}

gboolean
core_config_get_string(const CoreConfig *cfg, const char *group, const char *key,
                       const char *def, char **ret, GError **error)
{
    g_autoptr(GError) gerr = NULL;
    char *value;

    if (!core_config_has_key(cfg, group, key)) {
        *ret = g_strdup(def);
        return TRUE;
    }
    /* GKeyFile may return a value and an error together on a bad escape. */
    value = g_key_file_get_string(cfg->kf, group, key, &gerr);
    if (gerr) {
        g_autofree char *raw = raw_value(cfg, group, key);

        g_free(value);
        return bad_value(cfg, group, key, error, "invalid escape in string", raw ? raw : "");
    }
    *ret = value;
    return TRUE;
}

gboolean
core_config_get_bool(const CoreConfig *cfg, const char *group, const char *key, gboolean def,
                     gboolean *ret, GError **error)
{
    static const char *const yes[] = { "true", "yes", "on", "1" };
    static const char *const no[] = { "false", "no", "off", "0" };
    g_autofree char *value = raw_value(cfg, group, key);

    if (!value) {
        *ret = def;
        return TRUE;
    }
    for (guint i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (g_ascii_strcasecmp(value, yes[i]) == 0) {
            *ret = TRUE;
            return TRUE;
        }
        if (g_ascii_strcasecmp(value, no[i]) == 0) {
            *ret = FALSE;
            return TRUE;
        }
    }
    return bad_value(cfg, group, key, error, "expected a boolean (true/false, yes/no, on/off, 1/0)",
                     value);
}

gboolean
core_config_get_int(const CoreConfig *cfg, const char *group, const char *key, gint64 def,
                    gint64 min, gint64 max, gint64 *ret, GError **error)
{
    g_autofree char *value = raw_value(cfg, group, key);
    gint64 n = 0;

    if (!value) {
        *ret = def;
        return TRUE;
    }
    if (!g_ascii_string_to_signed(value, 10, G_MININT64, G_MAXINT64, &n, NULL))
        return bad_value(cfg, group, key, error, "expected an integer", value);
    if (n < min || n > max) {
        g_autofree char *what = g_strdup_printf(
            "expected an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, min, max);
        return bad_value(cfg, group, key, error, what, value);
    }
    *ret = n;
    return TRUE;
}

gboolean
core_config_get_string_list(const CoreConfig *cfg, const char *group, const char *key,
                            char ***ret, GError **error)
{
    g_autoptr(GError) gerr = NULL;
    char **list;

    if (!core_config_has_key(cfg, group, key)) {
        *ret = g_new0(char *, 1);
        return TRUE;
    }
    list = g_key_file_get_string_list(cfg->kf, group, key, NULL, &gerr);
    if (gerr || !list) {
        g_autofree char *raw = raw_value(cfg, group, key);

        /* "key =" is an empty list, not an error. */
        g_strfreev(list);
        if (raw && !*raw) {
            *ret = g_new0(char *, 1);
            return TRUE;
        }
        return bad_value(cfg, group, key, error, "invalid list", raw ? raw : "");
    }
    *ret = list;
    return TRUE;
}

gboolean
core_config_get_enum(const CoreConfig *cfg, const char *group, const char *key,
                     const char *const *choices, int def, int *ret, GError **error)
{
    g_autofree char *value = raw_value(cfg, group, key);
    g_autofree char *joined = NULL;
    g_autofree char *what = NULL;

    if (!value) {
        *ret = def;
        return TRUE;
    }
    for (int i = 0; choices[i]; i++) {
        if (g_str_equal(value, choices[i])) {
            *ret = i;
            return TRUE;
        }
    }
    joined = g_strjoinv(", ", (char **)choices);
    what = g_strdup_printf("expected one of %s", joined);
    return bad_value(cfg, group, key, error, what, value);
}
