/* Unit tests for core-error: the code and origin tables against libvirt's
 * public header (both ways), and the setters' wire fields. */
#include <errno.h>
#include <gio/gio.h>
#include <string.h>

#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_TEST

#define VIRTERROR_H "/usr/include/libvirt/virterror.h"

/* name (without VIR_) -> number, for one "typedef enum { ... } @type;"
 * block of the header. */
static GHashTable *
parse_enum(const char *header, const char *type)
{
    g_autofree char *end_marker = g_strdup_printf("} %s;", type);
    const char *end = strstr(header, end_marker);
    const char *start;
    g_autoptr(GRegex) re = NULL;
    g_autoptr(GMatchInfo) mi = NULL;
    g_autofree char *block = NULL;
    GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    g_assert_nonnull(end);
    start = g_strrstr_len(header, end - header, "typedef enum {");
    g_assert_nonnull(start);
    block = g_strndup(start, (gsize)(end - start));
    re = g_regex_new("^\\s*VIR_((?:ERR|WAR|FROM)_\\w+)\\s*=\\s*(\\d+)", G_REGEX_MULTILINE, 0,
                     NULL);
    g_regex_match(re, block, 0, &mi);
    while (g_match_info_matches(mi)) {
        g_autofree char *name = g_match_info_fetch(mi, 1);
        g_autofree char *num = g_match_info_fetch(mi, 2);

        g_hash_table_insert(table, g_steal_pointer(&name),
                            GINT_TO_POINTER((int)g_ascii_strtoll(num, NULL, 10)));
        g_match_info_next(mi, NULL);
    }
    return table;
}

static char *
read_header(void)
{
    char *data = NULL;

    if (!g_file_get_contents(VIRTERROR_H, &data, NULL, NULL))
        return NULL;
    return data;
}

static void
test_codes_match_libvirt(void)
{
    g_autofree char *header = read_header();
    g_autoptr(GHashTable) theirs = NULL;
    GHashTableIter it;
    gpointer key;
    gpointer value;

    if (!header) {
        g_test_skip("libvirt-dev is not installed (" VIRTERROR_H " missing)");
        return;
    }
    theirs = parse_enum(header, "virErrorNumber");
    g_assert_cmpuint(g_hash_table_size(theirs), >, 100);

    /* Theirs -> ours: every VIR_ERR_X / VIR_WAR_X has our name and number. */
    g_hash_table_iter_init(&it, theirs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        const char *vir = key;
        const char *ours_name = g_str_has_prefix(vir, "ERR_") ? vir + 4 : vir;
        const char *ours = core_error_code_name(GPOINTER_TO_INT(value));

        if (g_strcmp0(ours, ours_name) != 0)
            g_error("VIR_%s = %d: ours is '%s'", vir, GPOINTER_TO_INT(value), ours);
    }
    /* Ours -> theirs: no code we have that libvirt lacks, no gaps. */
    for (int code = 0; code < CORE_ERR_LAST; code++) {
        const char *name = core_error_code_name(code);
        g_autofree char *vir = NULL;

        g_assert_nonnull(name);
        vir = g_str_has_prefix(name, "WAR_") ? g_strdup(name) : g_strconcat("ERR_", name, NULL);
        if (!g_hash_table_contains(theirs, vir) ||
            GPOINTER_TO_INT(g_hash_table_lookup(theirs, vir)) != code)
            g_error("CORE_ERR_%s = %d is not VIR_%s in " VIRTERROR_H, name, code, vir);
    }
    g_assert_cmpuint(g_hash_table_size(theirs), ==, CORE_ERR_LAST);
    g_assert_null(core_error_code_name(CORE_ERR_LAST));
    g_assert_null(core_error_code_name(-1));
}

static void
test_origins_match_libvirt(void)
{
    g_autofree char *header = read_header();
    g_autoptr(GHashTable) theirs = NULL;
    GHashTableIter it;
    gpointer key;
    gpointer value;

    if (!header) {
        g_test_skip("libvirt-dev is not installed (" VIRTERROR_H " missing)");
        return;
    }
    theirs = parse_enum(header, "virErrorDomain");
    g_assert_cmpuint(g_hash_table_size(theirs), >, 70);
    g_hash_table_iter_init(&it, theirs);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        const char *ours = core_error_from_name(GPOINTER_TO_INT(value));

        if (g_strcmp0(ours, (const char *)key + 5) != 0)
            g_error("VIR_%s = %d: ours is '%s'", (const char *)key, GPOINTER_TO_INT(value),
                    ours);
    }
    for (int from = 0; from < CORE_FROM_LAST; from++) {
        g_autofree char *vir = g_strconcat("FROM_", core_error_from_name(from), NULL);

        if (GPOINTER_TO_INT(g_hash_table_lookup(theirs, vir)) != from ||
            !g_hash_table_contains(theirs, vir))
            g_error("CORE_FROM_%s = %d is not VIR_%s", core_error_from_name(from), from, vir);
    }
    g_assert_cmpuint(g_hash_table_size(theirs), ==, CORE_FROM_LAST);
}

static void
test_set_layout(void)
{
    g_autoptr(GError) error = NULL;
    const CoreErrorExtra *extra;

    g_assert_false(core_error_set(&error, CORE_ERR_NO_DOMAIN, "no domain with matching name '%s'",
                                  "x"));
    g_assert_error(error, CORE_ERROR, CORE_ERR_NO_DOMAIN);
    g_assert_cmpstr(error->message, ==, "Domain not found: no domain with matching name 'x'");
    extra = core_error_get_extra(error);
    g_assert_nonnull(extra);
    g_assert_cmpint(extra->from, ==, CORE_FROM_TEST);
    g_assert_cmpint(extra->level, ==, CORE_ERROR_LEVEL_ERROR);
    g_assert_cmpstr(extra->str1, ==, "Domain not found: %s");
    g_assert_cmpstr(extra->str2, ==, "no domain with matching name 'x'");
    g_assert_null(extra->str3);
    g_assert_cmpint(extra->int1, ==, -1);
    g_assert_cmpint(extra->int2, ==, -1);
    g_clear_error(&error);

    /* No detail: the summary alone, in message and str1. */
    g_assert_false(core_error_set(&error, CORE_ERR_NO_DOMAIN, NULL));
    g_assert_cmpstr(error->message, ==, "Domain not found");
    g_assert_cmpstr(core_error_get_extra(error)->str1, ==, "Domain not found");
    g_clear_error(&error);

    g_assert_false(core_error_set_literal(&error, CORE_FROM_QEMU, CORE_ERR_OPERATION_INVALID,
                                          "domain is not running"));
    g_assert_cmpstr(error->message, ==, "domain is not running");
    g_assert_cmpint(core_error_get_from(error), ==, CORE_FROM_QEMU);

    /* A NULL GError** is allowed and still returns FALSE. */
    g_assert_false(core_error_set(NULL, CORE_ERR_INTERNAL_ERROR, "ignored %d", 1));
}

static void
test_errno(void)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *want = g_strdup_printf("cannot open '/x': %s", g_strerror(ENOENT));

    g_assert_false(core_error_set_errno(&error, ENOENT, "cannot open '%s'", "/x"));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_cmpstr(error->message, ==, want);
    g_assert_cmpint(core_error_get_from(error), ==, CORE_FROM_TEST);
}

static void
test_wire_and_foreign(void)
{
    g_autoptr(GError) wire = core_error_new_wire(42, 12, 2, "Domain not found", "Domain not found",
                                                 NULL, NULL, -1, -1);
    g_autoptr(GError) io = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "slow");
    g_autoptr(GError) kf = g_error_new_literal(G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE, "bad");
    g_autoptr(GError) other = g_error_new_literal(G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "m");
    g_autoptr(GError) mapped = NULL;
    g_autoptr(GError) copy = NULL;
    g_autoptr(GError) copied = NULL;

    g_assert_error(wire, CORE_ERROR, CORE_ERR_NO_DOMAIN);
    g_assert_cmpint(core_error_get_from(wire), ==, CORE_FROM_TEST);
    copy = g_error_copy(wire);
    g_assert_cmpstr(core_error_get_extra(copy)->str1, ==, "Domain not found");

    mapped = core_error_from_gerror(io, CORE_FROM_RPC, "reading");
    g_assert_error(mapped, CORE_ERROR, CORE_ERR_OPERATION_TIMEOUT);
    g_assert_cmpstr(mapped->message, ==, "reading: slow");
    g_assert_cmpint(core_error_get_from(mapped), ==, CORE_FROM_RPC);
    g_clear_error(&mapped);
    mapped = core_error_from_gerror(kf, CORE_FROM_CONF, NULL);
    g_assert_error(mapped, CORE_ERROR, CORE_ERR_CONF_SYNTAX);
    g_clear_error(&mapped);
    mapped = core_error_from_gerror(other, CORE_FROM_CONF, NULL);
    g_assert_error(mapped, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);

    copied = core_error_from_gerror(wire, CORE_FROM_RPC, "call");
    g_assert_error(copied, CORE_ERROR, CORE_ERR_NO_DOMAIN);
    g_assert_cmpstr(copied->message, ==, "call: Domain not found");
    g_assert_cmpint(core_error_get_from(copied), ==, CORE_FROM_TEST);

    g_assert_null(core_error_get_extra(io));
    g_assert_cmpint(core_error_get_from(io), ==, CORE_FROM_NONE);
}

static void
test_lookups(void)
{
    g_assert_cmpstr(core_error_code_summary(CORE_ERR_INTERNAL_ERROR), ==, "internal error");
    g_assert_cmpstr(core_error_code_summary(9999), ==, "");
    g_assert_cmpstr(core_error_code_name(CORE_ERR_NO_NETWORK), ==, "NO_NETWORK");
    g_assert_cmpstr(core_error_from_name(CORE_FROM_QEMU), ==, "QEMU");
    g_assert_null(core_error_from_name(CORE_FROM_LAST));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/error/codes-match-libvirt", test_codes_match_libvirt);
    g_test_add_func("/util/error/origins-match-libvirt", test_origins_match_libvirt);
    g_test_add_func("/util/error/set-layout", test_set_layout);
    g_test_add_func("/util/error/errno", test_errno);
    g_test_add_func("/util/error/wire-and-foreign", test_wire_and_foreign);
    g_test_add_func("/util/error/lookups", test_lookups);
    return g_test_run();
}
