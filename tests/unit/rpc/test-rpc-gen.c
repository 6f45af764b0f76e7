/* Golden test of gen-protocol.py: generates from tests/unit/rpc/data/tiny.def
 * and compares with tiny-protocol.h / tiny-protocol.c there
 * (CORE_TEST_REGENERATE=1 rewrites them). Also checks that broken
 * descriptions are rejected with a file:line message. */
#include <glib/gstdio.h>
#include <string.h>

static char *
src_path(const char *rel)
{
    const char *root = g_getenv("VIREO_SOURCE_ROOT");

    return g_build_filename(root ? root : ".", rel, NULL);
}

static gboolean
run_gen(const char *def, const char *out_h, const char *out_c, char **ret_stderr)
{
    g_autofree char *gen = src_path("libcore/rpc/gen-protocol.py");
    const char *python = g_getenv("VIREO_PYTHON");
    const char *argv[] = { python ? python : "python3", gen, def, out_h, out_c, NULL };
    g_autoptr(GError) err = NULL;
    int status = -1;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, ret_stderr, &status, &err));
    return g_spawn_check_wait_status(status, NULL);
}

static void
compare(const char *generated, const char *expected)
{
    g_autofree char *got = NULL;
    g_autofree char *want = NULL;

    g_assert_true(g_file_get_contents(generated, &got, NULL, NULL));
    if (g_getenv("CORE_TEST_REGENERATE")) {
        g_assert_true(g_file_set_contents(expected, got, -1, NULL));
        return;
    }
    g_assert_true(g_file_get_contents(expected, &want, NULL, NULL));
    if (strcmp(got, want) != 0) {
        g_printerr("generated %s differs from %s\n", generated, expected);
        g_test_fail();
    }
}

static void
test_golden(void)
{
    g_autofree char *dir = g_dir_make_tmp("rpc-gen-XXXXXX", NULL);
    g_autofree char *def = src_path("tests/unit/rpc/data/tiny.def");
    g_autofree char *want_h = src_path("tests/unit/rpc/data/tiny-protocol.h");
    g_autofree char *want_c = src_path("tests/unit/rpc/data/tiny-protocol.c");
    g_autofree char *out_h = g_build_filename(dir, "tiny-protocol.h", NULL);
    g_autofree char *out_c = g_build_filename(dir, "tiny-protocol.c", NULL);
    g_autofree char *errout = NULL;

    g_assert_nonnull(dir);
    g_assert_true(run_gen(def, out_h, out_c, &errout));
    compare(out_h, want_h);
    compare(out_c, want_c);
    g_unlink(out_h);
    g_unlink(out_c);
    g_rmdir(dir);
}

static void
check_rejected(const char *text, const char *message)
{
    g_autofree char *dir = g_dir_make_tmp("rpc-gen-XXXXXX", NULL);
    g_autofree char *def = g_build_filename(dir, "bad.def", NULL);
    g_autofree char *out_h = g_build_filename(dir, "o.h", NULL);
    g_autofree char *out_c = g_build_filename(dir, "o.c", NULL);
    g_autofree char *errout = NULL;

    g_assert_true(g_file_set_contents(def, text, -1, NULL));
    g_assert_false(run_gen(def, out_h, out_c, &errout));
    if (!strstr(errout, message)) {
        g_printerr("expected '%s' in: %s\n", message, errout);
        g_test_fail();
    }
    g_unlink(def);
    g_unlink(out_h);
    g_unlink(out_c);
    g_rmdir(dir);
}

static void
test_rejects(void)
{
    check_rejected("program P 1 1\nproc 1 A\n    arg badtype x\n    call none\n",
                   "bad.def:3: unknown type 'badtype'");
    check_rejected("program P 1 1\nproc 1 A\n    call ptr domain.get(x) -> y\n",
                   "x is not an arg field");
    check_rejected("program P 1 1\nproc 1 A\n    call none\nproc 1 B\n    call none\n",
                   "bad.def:4: procedure number 1 repeated");
    check_rejected("program P 1 1\nproc 1 A bogus\n    call none\n", "unknown flag 'bogus'");
    check_rejected("program P 1 1\nproc 1 A\n", "proc A has no call line");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/gen/golden", test_golden);
    g_test_add_func("/rpc/gen/rejects", test_rejects);
    return g_test_run();
}
