/* Unit tests for core-uuid. */
#include <string.h>

#include "core-error.h"
#include "core-uuid.h"

static const guint8 sample[CORE_UUID_BUFLEN] = {
    0x6c, 0x36, 0x4a, 0x43, 0x0b, 0x5b, 0x4c, 0x1a,
    0x9e, 0x1f, 0x28, 0x4f, 0x7c, 0x6d, 0x1a, 0xfe,
};

static void
test_parse_forms(void)
{
    static const char *const good[] = {
        "6c364a43-0b5b-4c1a-9e1f-284f7c6d1afe",
        "6C364A43-0B5B-4C1A-9E1F-284F7C6D1AFE",
        "6c364a430b5b4c1a9e1f284f7c6d1afe",
        "  6c364a43-0b5b-4c1a-9e1f-284f7c6d1afe\n",
        "6c 36 4a 43 0b 5b 4c 1a 9e 1f 28 4f 7c 6d 1a fe",
        "6c364a43-0b5b4c1a-9e1f284f-7c6d1afe",
    };

    for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
        guint8 raw[CORE_UUID_BUFLEN] = { 0 };
        g_autoptr(GError) error = NULL;

        g_assert_true(core_uuid_parse(good[i], raw, &error));
        g_assert_no_error(error);
        g_assert_cmpmem(raw, sizeof(raw), sample, sizeof(sample));
    }
}

static void
test_parse_bad(void)
{
    static const char *const bad[] = {
        "",
        "6c364a43-0b5b-4c1a-9e1f-284f7c6d1af",   /* 31 digits */
        "6c364a43-0b5b-4c1a-9e1f-284f7c6d1afe0", /* 33 digits */
        "6c364a43-0b5b-4c1a-9e1f-284f7c6d1afg",
        "6c364a43-0b5b-4c1a-9e1f-284f7c6d1af-e", /* separator inside a byte */
        "6c364a43-0b5b-4c1a-9e1f-284f7c6d1afe-",
        "6c364a43-0b5b-4c1a-9e1f-284f7c6d1afe x",
        "not a uuid",
    };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        guint8 raw[CORE_UUID_BUFLEN] = { 0 };
        g_autoptr(GError) error = NULL;

        g_assert_false(core_uuid_parse(bad[i], raw, &error));
        g_assert_error(error, CORE_ERROR, CORE_ERR_INVALID_ARG);
        g_assert_nonnull(strstr(error->message, "malformed UUID"));
        g_assert_true(core_uuid_is_zero(raw));
    }
}

static void
test_format(void)
{
    char buf[CORE_UUID_STRING_BUFLEN];
    g_autofree char *dup = core_uuid_format_dup(sample);

    g_assert_cmpstr(core_uuid_format(sample, buf), ==, "6c364a43-0b5b-4c1a-9e1f-284f7c6d1afe");
    g_assert_cmpstr(dup, ==, buf);
    g_assert_cmpuint(strlen(buf), ==, CORE_UUID_STRING_BUFLEN - 1);
}

static void
test_generate(void)
{
    guint8 a[CORE_UUID_BUFLEN];
    guint8 b[CORE_UUID_BUFLEN];
    guint8 back[CORE_UUID_BUFLEN];
    char buf[CORE_UUID_STRING_BUFLEN];

    core_uuid_generate(a);
    core_uuid_generate(b);
    g_assert_false(core_uuid_is_zero(a));
    g_assert_false(core_uuid_equal(a, b));
    g_assert_cmpint(a[6] >> 4, ==, 4);
    g_assert_cmpint(a[8] & 0xc0, ==, 0x80);
    core_uuid_format(a, buf);
    g_assert_cmpint(buf[14], ==, '4');
    g_assert_true(core_uuid_parse(buf, back, NULL));
    g_assert_true(core_uuid_equal(a, back));
}

static void
test_is_zero(void)
{
    guint8 raw[CORE_UUID_BUFLEN] = { 0 };

    g_assert_true(core_uuid_is_zero(raw));
    raw[15] = 1;
    g_assert_false(core_uuid_is_zero(raw));
    g_assert_true(core_uuid_parse("00000000-0000-0000-0000-000000000000", raw, NULL));
    g_assert_true(core_uuid_is_zero(raw));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/uuid/parse-forms", test_parse_forms);
    g_test_add_func("/util/uuid/parse-bad", test_parse_bad);
    g_test_add_func("/util/uuid/format", test_format);
    g_test_add_func("/util/uuid/generate", test_generate);
    g_test_add_func("/util/uuid/is-zero", test_is_zero);
    return g_test_run();
}
