/* Unit tests for core-log: filter syntax, prefix matching, levels, lazy
 * formatting and the stderr line format (stderr captured into a file). */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core-error.h"
#include "core-log.h"

CORE_LOG_INIT("test.log.self");

static int saved_stderr = -1;
static FILE *capture;

static void
capture_begin(void)
{
    fflush(stderr);
    capture = tmpfile();
    g_assert_nonnull(capture);
    saved_stderr = dup(STDERR_FILENO);
    g_assert_cmpint(dup2(fileno(capture), STDERR_FILENO), ==, STDERR_FILENO);
}

/* (transfer full) What was written to stderr since capture_begin(). */
static char *
capture_end(void)
{
    GString *out = g_string_new(NULL);
    char buf[512];
    size_t n;

    fflush(stderr);
    g_assert_cmpint(dup2(saved_stderr, STDERR_FILENO), ==, STDERR_FILENO);
    g_assert_true(g_close(saved_stderr, NULL));
    rewind(capture);
    while ((n = fread(buf, 1, sizeof(buf), capture)) > 0)
        g_string_append_len(out, buf, (gssize)n);
    fclose(capture);
    return g_string_free(out, FALSE);
}

static void
reset(void)
{
    core_log_set_default_level(CORE_LOG_WARNING);
    g_assert_true(core_log_set_filters("", NULL));
    core_log_set_output(CORE_LOG_OUTPUT_STDERR);
}

static void
test_default_level(void)
{
    CoreLogCategory cat = { .name = "core.conf" };

    reset();
    g_assert_false(core_log_enabled(&cat, CORE_LOG_DEBUG));
    g_assert_false(core_log_enabled(&cat, CORE_LOG_INFO));
    g_assert_true(core_log_enabled(&cat, CORE_LOG_WARNING));
    g_assert_true(core_log_enabled(&cat, CORE_LOG_ERROR));

    /* A cached category notices a later change. */
    core_log_set_default_level(CORE_LOG_DEBUG);
    g_assert_true(core_log_enabled(&cat, CORE_LOG_DEBUG));
    core_log_set_default_level(CORE_LOG_ERROR);
    g_assert_false(core_log_enabled(&cat, CORE_LOG_WARNING));
    reset();
}

static void
test_filters(void)
{
    CoreLogCategory rpc = { .name = "core.rpc.server" };
    CoreLogCategory conf = { .name = "core.conf.domain" };
    CoreLogCategory qemu = { .name = "qemu.process" };

    reset();
    g_assert_true(core_log_set_filters("1:core.rpc 3:*", NULL));
    g_assert_true(core_log_enabled(&rpc, CORE_LOG_DEBUG));
    g_assert_false(core_log_enabled(&conf, CORE_LOG_INFO));
    g_assert_true(core_log_enabled(&conf, CORE_LOG_WARNING));

    /* The longest matching prefix wins, whatever the order. */
    g_assert_true(core_log_set_filters("  1:core.rpc\t4:core  2:*  ", NULL));
    g_assert_true(core_log_enabled(&rpc, CORE_LOG_DEBUG));
    g_assert_false(core_log_enabled(&conf, CORE_LOG_WARNING));
    g_assert_true(core_log_enabled(&conf, CORE_LOG_ERROR));
    g_assert_true(core_log_enabled(&qemu, CORE_LOG_INFO));
    g_assert_false(core_log_enabled(&qemu, CORE_LOG_DEBUG));

    /* Without '*', unmatched categories use the default level. */
    g_assert_true(core_log_set_filters("4:core.rpc", NULL));
    g_assert_false(core_log_enabled(&rpc, CORE_LOG_WARNING));
    g_assert_true(core_log_enabled(&qemu, CORE_LOG_WARNING));
    g_assert_false(core_log_enabled(&qemu, CORE_LOG_INFO));
    reset();
}

static void
test_bad_filters(void)
{
    static const char *const bad[] = { "x:core", "5:core", "0:core", "1:", "1core", "12:core",
                                       "1:core 9:rpc" };
    CoreLogCategory rpc = { .name = "core.rpc" };

    reset();
    g_assert_true(core_log_set_filters("1:core.rpc", NULL));
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;

        g_assert_false(core_log_set_filters(bad[i], &error));
        g_assert_error(error, CORE_ERROR, CORE_ERR_CONF_SYNTAX);
        g_assert_nonnull(strstr(error->message, "invalid log filter"));
    }
    /* A rejected spec leaves the previous filters in place. */
    g_assert_true(core_log_enabled(&rpc, CORE_LOG_DEBUG));
    reset();
}

static int format_calls;

static const char *
expensive(void)
{
    format_calls++;
    return "expensive";
}

static void
test_output(void)
{
    g_autofree char *out = NULL;
    g_autofree char *pid = g_strdup_printf(" %d ", (int)getpid());
    g_auto(GStrv) lines = NULL;
    g_autoptr(GRegex) re = NULL;

    reset();
    format_calls = 0;
    capture_begin();
    CORE_DEBUG("hidden %s", expensive());
    CORE_INFO("hidden too");
    CORE_WARN("disk '%s' is %d%% full", "vda", 93);
    CORE_ERROR_LOG("failed: %s", "reason");
    g_assert_true(core_log_set_filters("1:test.log", NULL));
    CORE_DEBUG("now shown %s", expensive());
    out = capture_end();
    reset();

    /* Arguments of disabled messages are never evaluated. */
    g_assert_cmpint(format_calls, ==, 1);
    lines = g_strsplit(out, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 4);
    g_assert_cmpstr(lines[3], ==, "");
    re = g_regex_new("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\d+ "
                     "(debug|warning|error) test\\.log\\.self: .+$", 0, 0, NULL);
    for (guint i = 0; i < 3; i++) {
        g_assert_true(g_regex_match(re, lines[i], 0, NULL));
        g_assert_nonnull(strstr(lines[i], pid));
    }
    g_assert_true(g_str_has_suffix(lines[0], " warning test.log.self: disk 'vda' is 93% full"));
    g_assert_true(g_str_has_suffix(lines[1], " error test.log.self: failed: reason"));
    g_assert_true(g_str_has_suffix(lines[2], " debug test.log.self: now shown expensive"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/log/default-level", test_default_level);
    g_test_add_func("/util/log/filters", test_filters);
    g_test_add_func("/util/log/bad-filters", test_bad_filters);
    g_test_add_func("/util/log/output", test_output);
    return g_test_run();
}
