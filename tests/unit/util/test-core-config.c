/* Unit tests for core-config: typed getters, defaults, ranges and error
 * messages that name file, group and key. */
#include <string.h>

#include <glib/gstdio.h>

#include "core-config.h"
#include "core-error.h"

static const char sample[] =
    "# vireo-qemud.conf\n"
    "[daemon]\n"
    "timeout = 120\n"
    "negative=-5\n"
    "big = 99999999999\n"
    "word = twelve\n"
    "verbose = yes\n"
    "quiet = Off\n"
    "maybe = perhaps\n"
    "log_filters = 1:core.rpc 3:*\n"
    "escaped = a\\tb\n"
    "badescape = a\\qb\n"
    "outputs = journal;stderr;\n"
    "empty =\n"
    "mode = session\n";

static CoreConfig *
load_sample(void)
{
    g_autoptr(GError) error = NULL;
    CoreConfig *cfg = core_config_load_data("qemud.conf", sample, -1, &error);

    g_assert_no_error(error);
    g_assert_nonnull(cfg);
    return cfg;
}

static void
assert_conf_error(GError *error, const char *const *parts)
{
    g_assert_error(error, CORE_ERROR, CORE_ERR_CONF_SYNTAX);
    g_assert_cmpint(core_error_get_from(error), ==, CORE_FROM_CONF);
    for (guint i = 0; parts[i]; i++) {
        if (!strstr(error->message, parts[i]))
            g_error("'%s' not in '%s'", parts[i], error->message);
    }
}

#define ASSERT_CONF_ERROR(err, ...) \
    assert_conf_error((err), (const char *const[]){ __VA_ARGS__, NULL })

static void
test_int(void)
{
    g_autoptr(CoreConfig) cfg = load_sample();
    g_autoptr(GError) error = NULL;
    gint64 v = 0;

    g_assert_true(core_config_get_int(cfg, "daemon", "timeout", 0, 0, 3600, &v, NULL));
    g_assert_cmpint(v, ==, 120);
    g_assert_true(core_config_get_int(cfg, "daemon", "negative", 0, -10, 10, &v, NULL));
    g_assert_cmpint(v, ==, -5);
    g_assert_true(core_config_get_int(cfg, "daemon", "absent", 42, 0, 10, &v, NULL));
    g_assert_cmpint(v, ==, 42);
    g_assert_true(core_config_get_int(cfg, "nogroup", "timeout", 7, 0, 10, &v, NULL));
    g_assert_cmpint(v, ==, 7);

    v = 1;
    g_assert_false(core_config_get_int(cfg, "daemon", "big", 0, 0, G_MAXINT32, &v, &error));
    ASSERT_CONF_ERROR(error, "'qemud.conf'", "[daemon]", "'big'", "from 0 to 2147483647",
                      "'99999999999'");
    g_assert_cmpint(v, ==, 1);
    g_clear_error(&error);
    g_assert_false(core_config_get_int(cfg, "daemon", "word", 0, 0, 10, &v, &error));
    ASSERT_CONF_ERROR(error, "'word'", "expected an integer", "'twelve'");
}

static void
test_bool(void)
{
    g_autoptr(CoreConfig) cfg = load_sample();
    g_autoptr(GError) error = NULL;
    gboolean b = FALSE;

    g_assert_true(core_config_get_bool(cfg, "daemon", "verbose", FALSE, &b, NULL));
    g_assert_true(b);
    g_assert_true(core_config_get_bool(cfg, "daemon", "quiet", TRUE, &b, NULL));
    g_assert_false(b);
    g_assert_true(core_config_get_bool(cfg, "daemon", "absent", TRUE, &b, NULL));
    g_assert_true(b);
    g_assert_false(core_config_get_bool(cfg, "daemon", "maybe", TRUE, &b, &error));
    ASSERT_CONF_ERROR(error, "qemud.conf", "[daemon]", "'maybe'", "boolean", "'perhaps'");
}

static void
test_strings(void)
{
    g_autoptr(CoreConfig) cfg = load_sample();
    g_autoptr(GError) error = NULL;
    g_autofree char *s = NULL;
    g_autofree char *d = NULL;
    g_autofree char *n = NULL;
    g_auto(GStrv) list = NULL;
    g_auto(GStrv) empty = NULL;
    g_auto(GStrv) absent = NULL;

    g_assert_true(core_config_get_string(cfg, "daemon", "log_filters", NULL, &s, NULL));
    g_assert_cmpstr(s, ==, "1:core.rpc 3:*");
    g_clear_pointer(&s, g_free);
    g_assert_true(core_config_get_string(cfg, "daemon", "escaped", NULL, &s, NULL));
    g_assert_cmpstr(s, ==, "a\tb");
    g_assert_true(core_config_get_string(cfg, "daemon", "absent", "dflt", &d, NULL));
    g_assert_cmpstr(d, ==, "dflt");
    g_assert_true(core_config_get_string(cfg, "daemon", "absent", NULL, &n, NULL));
    g_assert_null(n);
    g_assert_false(core_config_get_string(cfg, "daemon", "badescape", NULL, &n, &error));
    ASSERT_CONF_ERROR(error, "'badescape'", "escape");

    g_assert_true(core_config_get_string_list(cfg, "daemon", "outputs", &list, NULL));
    g_assert_cmpstrv(list, ((const char *const[]){ "journal", "stderr", NULL }));
    g_assert_true(core_config_get_string_list(cfg, "daemon", "empty", &empty, NULL));
    g_assert_cmpuint(g_strv_length(empty), ==, 0);
    g_assert_true(core_config_get_string_list(cfg, "daemon", "absent", &absent, NULL));
    g_assert_cmpuint(g_strv_length(absent), ==, 0);
}

static void
test_enum_and_keys(void)
{
    g_autoptr(CoreConfig) cfg = load_sample();
    g_autoptr(GError) error = NULL;
    static const char *const modes[] = { "system", "session", NULL };
    static const char *const known[] = { "timeout", "negative", "big", "word", "verbose",
                                         "quiet", "maybe", "log_filters", "escaped",
                                         "badescape", "outputs", "empty", "mode", NULL };
    static const char *const fewer[] = { "timeout", NULL };
    int m = -1;

    g_assert_true(core_config_get_enum(cfg, "daemon", "mode", modes, 0, &m, NULL));
    g_assert_cmpint(m, ==, 1);
    g_assert_true(core_config_get_enum(cfg, "daemon", "absent", modes, 0, &m, NULL));
    g_assert_cmpint(m, ==, 0);
    g_assert_false(core_config_get_enum(cfg, "daemon", "word", modes, 0, &m, &error));
    ASSERT_CONF_ERROR(error, "'word'", "system, session", "'twelve'");
    g_clear_error(&error);

    g_assert_true(core_config_check_keys(cfg, "daemon", known, NULL));
    g_assert_true(core_config_check_keys(cfg, "other", fewer, NULL));
    g_assert_false(core_config_check_keys(cfg, "daemon", fewer, &error));
    ASSERT_CONF_ERROR(error, "'qemud.conf'", "[daemon]", "unknown key 'negative'");
}

static void
test_load_files(void)
{
    g_autofree char *dir = g_dir_make_tmp("vireo-test-config-XXXXXX", NULL);
    g_autofree char *good = g_build_filename(dir, "good.conf", NULL);
    g_autofree char *bad = g_build_filename(dir, "bad.conf", NULL);
    g_autofree char *missing = g_build_filename(dir, "missing.conf", NULL);
    g_autoptr(CoreConfig) cfg = NULL;
    g_autoptr(CoreConfig) empty = NULL;
    g_autoptr(GError) error = NULL;
    gint64 v = 0;

    g_assert_true(g_file_set_contents(good, "[a]\nx=3\n", -1, NULL));
    g_assert_true(g_file_set_contents(bad, "[a]\nthis is not a key\n", -1, NULL));

    cfg = core_config_load(good, FALSE, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(core_config_get_name(cfg), ==, good);
    g_assert_true(core_config_get_int(cfg, "a", "x", 0, 0, 10, &v, NULL));
    g_assert_cmpint(v, ==, 3);

    g_assert_null(core_config_load(bad, FALSE, &error));
    ASSERT_CONF_ERROR(error, bad, "cannot parse");
    g_clear_error(&error);

    g_assert_null(core_config_load(missing, FALSE, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(error->message, missing));
    g_clear_error(&error);

    empty = core_config_load(missing, TRUE, &error);
    g_assert_no_error(error);
    g_assert_false(core_config_has_key(empty, "a", "x"));

    g_assert_cmpint(g_remove(good), ==, 0);
    g_assert_cmpint(g_remove(bad), ==, 0);
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/config/int", test_int);
    g_test_add_func("/util/config/bool", test_bool);
    g_test_add_func("/util/config/strings", test_strings);
    g_test_add_func("/util/config/enum-and-keys", test_enum_and_keys);
    g_test_add_func("/util/config/load-files", test_load_files);
    return g_test_run();
}
