/* test-storage-conf: golden round trips of the pool and volume models
 * against tests/data/storagepool and tests/data/storagevol (expected
 * outputs and errors are those of libvirt's test driver, whose pool
 * "default-pool" is a dir pool). */
#include <glib.h>
#include <string.h>

#include "conf-golden.h"
#include "core-error.h"
#include "core-storage-conf.h"

typedef struct {
    const char *kind;
    char *stem;
} Case;

/* Parses and formats @xml as @kind; NULL with @error set on failure. */
static char *
roundtrip(const char *kind, const char *xml, GError **error)
{
    if (g_str_equal(kind, "storagepool")) {
        g_autoptr(CorePoolDef) pool = core_pool_def_parse_string(xml, 0, error);

        return pool ? core_pool_def_format(pool, 0) : NULL;
    } else {
        g_autoptr(CoreVolDef) vol = core_vol_def_parse_string(xml, 0, error);

        if (!vol)
            return NULL;
        core_vol_def_apply_pool_type(vol, "dir");
        return core_vol_def_format(vol, 0);
    }
}

static void
test_golden(gconstpointer data)
{
    const Case *c = data;
    g_autofree char *in_name = g_strconcat(c->stem, ".xml", NULL);
    g_autofree char *err_name = g_strconcat(c->stem, ".err", NULL);
    g_autofree char *out_name = g_strconcat(c->stem, ".out.xml", NULL);
    g_autofree char *in_path = conf_golden_path(c->kind, in_name);
    g_autofree char *err_path = conf_golden_path(c->kind, err_name);
    g_autofree char *out_path = conf_golden_path(c->kind, out_name);
    g_autofree char *input = NULL;
    g_autofree char *output = NULL;
    g_autofree char *again = NULL;
    g_autoptr(GError) err = NULL;

    g_assert_true(g_file_get_contents(in_path, &input, NULL, NULL));
    output = roundtrip(c->kind, input, &err);
    if (g_file_test(err_path, G_FILE_TEST_EXISTS)) {
        g_assert_null(output);
        g_assert_nonnull(err);
        g_assert_true(conf_golden_compare_error(err_path, err));
        return;
    }
    g_assert_no_error(err);
    g_assert_nonnull(output);
    if (g_file_test(out_path, G_FILE_TEST_EXISTS) ||
        (g_getenv("CORE_TEST_REGENERATE") && g_strcmp0(output, input) != 0))
        g_assert_true(conf_golden_compare(out_path, output));
    else
        g_assert_true(conf_golden_compare(in_path, output));
    g_assert_true(conf_golden_validate_rng(g_str_equal(c->kind, "storagepool")
                                           ? "storagepool.rng" : "storagevol.rng", output));
    again = roundtrip(c->kind, output, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(again, ==, output);
}

static void
test_orphans(void)
{
    g_assert_true(conf_golden_check_orphans("storagepool"));
    g_assert_true(conf_golden_check_orphans("storagevol"));
}

static void
test_scale(void)
{
    static const struct {
        const char *unit;
        guint64 value, expect;
    } ok[] = {
        { NULL, 5, 5 },          { "", 5, 5 },           { "b", 5, 5 },
        { "bytes", 5, 5 },       { "k", 1, 1024 },       { "KiB", 1, 1024 },
        { "KB", 1, 1000 },       { "mb", 2, 2000000 },   { "G", 1, 1073741824 },
        { "TiB", 1, 1ULL << 40 }, { "PB", 1, 1000000000000000ULL },
        { "E", 7, 7ULL << 60 },
    };
    guint64 v;

    for (guint i = 0; i < G_N_ELEMENTS(ok); i++) {
        g_autoptr(GError) err = NULL;

        g_assert_true(core_storage_scale(ok[i].value, ok[i].unit, &v, &err));
        g_assert_no_error(err);
        g_assert_cmpuint(v, ==, ok[i].expect);
    }
    for (guint i = 0; i < 3; i++) {
        static const char *const bad[] = { "x", "KQ", "KiBB" };
        g_autoptr(GError) err = NULL;

        g_assert_false(core_storage_scale(1, bad[i], &v, &err));
        g_assert_error(err, CORE_ERROR, CORE_ERR_INVALID_ARG);
    }
    {
        g_autoptr(GError) err = NULL;

        g_assert_false(core_storage_scale(8, "E", &v, &err));
        g_assert_error(err, CORE_ERROR, CORE_ERR_OVERFLOW);
    }
}

static void
test_sanitize(void)
{
    static const char *const cases[][2] = {
        { "/", "/" },         { "//", "//" },         { "///", "/" },
        { "//a//b/", "//a/b" }, { "///a", "/a" },     { "/a/b/", "/a/b" },
        { "a//b", "a/b" },    { "/../x/", "/../x" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *s = core_storage_sanitize_path(cases[i][0]);

        g_assert_cmpstr(s, ==, cases[i][1]);
    }
}

static void
test_pool_type_defaults(void)
{
    g_autoptr(CoreVolDef) vol = core_vol_def_parse_string(
        "<volume><name>v</name><capacity>1</capacity><backingStore><path>/b</path>"
        "</backingStore></volume>", 0, NULL);
    g_autoptr(CoreVolDef) copy = NULL;
    CoreStorageVolExtent *e = g_new0(CoreStorageVolExtent, 1);
    g_autofree char *xml = NULL;

    g_assert_nonnull(vol);
    g_assert_null(vol->format);
    core_vol_def_apply_pool_type(vol, "fs");
    g_assert_cmpstr(vol->format, ==, "raw");
    g_assert_cmpstr(vol->backing_format, ==, "raw");
    core_vol_def_apply_pool_type(vol, "logical");
    g_assert_null(vol->format);
    g_assert_null(vol->backing_format);

    /* output-only data survives a copy and is formatted as libvirt does */
    e->path = g_strdup("/dev/sda");
    e->start = 0;
    e->end = 1048576;
    g_ptr_array_add(vol->extents, e);
    vol->physical = 4096;
    vol->mtime.set = TRUE;
    vol->mtime.sec = 1700000000;
    vol->mtime.nsec = 5;
    copy = core_vol_def_copy(vol);
    g_assert_nonnull(copy);
    xml = core_vol_def_format(copy, 0);
    g_assert_nonnull(strstr(xml, "  <source>\n    <device path='/dev/sda'>\n"
                                 "      <extent start='0' end='1048576'/>\n    </device>\n"
                                 "  </source>\n"));
    g_assert_nonnull(strstr(xml, "  <physical unit='bytes'>4096</physical>\n"));
    g_assert_nonnull(strstr(xml, "    <timestamps>\n      <mtime>1700000000.000000005</mtime>\n"
                                 "    </timestamps>\n"));
    g_assert_true(conf_golden_validate_rng("storagevol.rng", xml));
}

static void
test_pool_copy(void)
{
    g_autoptr(CorePoolDef) pool = core_pool_def_parse_string(
        "<pool type='logical'><source><name>vg</name><device path='/dev/sdz'/></source>"
        "</pool>", 0, NULL);
    g_autoptr(CorePoolDef) copy = NULL;

    g_assert_nonnull(pool);
    g_assert_cmpstr(pool->name, ==, "vg");
    g_assert_cmpstr(pool->target_path, ==, "/dev/vg");
    g_assert_cmpstr(pool->source_format, ==, "lvm2");
    pool->capacity = 1000;
    copy = core_pool_def_copy(pool);
    g_assert_nonnull(copy);
    g_assert_cmpuint(copy->capacity, ==, 1000);
    g_assert_cmpint(copy->source_devices->len, ==, 1);
    g_assert_true(memcmp(copy->uuid, pool->uuid, 16) == 0);
}

static void
add_cases(const char *kind, GPtrArray *keep)
{
    g_autoptr(GPtrArray) stems = conf_golden_list_cases(kind);

    for (guint i = 0; i < stems->len; i++) {
        Case *c = g_new0(Case, 1);
        g_autofree char *name = NULL;

        c->kind = kind;
        c->stem = g_strdup(g_ptr_array_index(stems, i));
        g_ptr_array_add(keep, c);
        name = g_strdup_printf("/%s/golden/%s", kind, c->stem);
        g_test_add_data_func(name, c, test_golden);
    }
}

static void
case_free(Case *c)
{
    g_free(c->stem);
    g_free(c);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func((GDestroyNotify)case_free);

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    add_cases("storagepool", cases);
    add_cases("storagevol", cases);
    g_test_add_func("/storage/orphans", test_orphans);
    g_test_add_func("/storage/scale", test_scale);
    g_test_add_func("/storage/sanitize", test_sanitize);
    g_test_add_func("/storage/vol-pool-type", test_pool_type_defaults);
    g_test_add_func("/storage/pool-copy", test_pool_copy);
    return g_test_run();
}
