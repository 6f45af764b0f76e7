/* Unit tests for core-xdr, core-rpc-types and core-rpc-error: round trips,
 * exact wire bytes and bounds checking. */
#include <string.h>

#include "core-error.h"
#include "core-rpc-error.h"
#include "core-rpc-types.h"
#include "core-xdr.h"

static GBytes *
finish(CoreXdrWriter *w)
{
    GBytes *b = core_xdr_writer_steal(w);

    core_xdr_writer_clear(w);
    return b;
}

static void
assert_bytes(GBytes *b, const char *hex)
{
    g_autoptr(GString) s = g_string_new(NULL);
    gsize len;
    const guint8 *d = g_bytes_get_data(b, &len);

    for (gsize i = 0; i < len; i++)
        g_string_append_printf(s, "%02x", d[i]);
    g_assert_cmpstr(s->str, ==, hex);
}

static void
test_scalars(void)
{
    CoreXdrWriter w;
    g_autoptr(GBytes) b = NULL;
    CoreXdrReader r;
    gint32 i;
    guint32 u;
    gint64 h;
    guint64 uh;
    double d;

    core_xdr_writer_init(&w);
    g_assert_true(core_xdr_put_int(&w, -1, NULL));
    g_assert_true(core_xdr_put_uint(&w, 0x20008086u, NULL));
    g_assert_true(core_xdr_put_hyper(&w, -2, NULL));
    g_assert_true(core_xdr_put_uhyper(&w, G_GUINT64_CONSTANT(0x0102030405060708), NULL));
    g_assert_true(core_xdr_put_double(&w, 1.5, NULL));
    b = finish(&w);
    assert_bytes(b, "ffffffff20008086fffffffffffffffe01020304050607083ff8000000000000");

    core_xdr_reader_init(&r, g_bytes_get_data(b, NULL), g_bytes_get_size(b));
    g_assert_true(core_xdr_get_int(&r, &i, NULL));
    g_assert_cmpint(i, ==, -1);
    g_assert_true(core_xdr_get_uint(&r, &u, NULL));
    g_assert_cmphex(u, ==, 0x20008086u);
    g_assert_true(core_xdr_get_hyper(&r, &h, NULL));
    g_assert_cmpint(h, ==, -2);
    g_assert_true(core_xdr_get_uhyper(&r, &uh, NULL));
    g_assert_cmphex(uh, ==, G_GUINT64_CONSTANT(0x0102030405060708));
    g_assert_true(core_xdr_get_double(&r, &d, NULL));
    g_assert_cmpfloat(d, ==, 1.5);
    g_assert_true(core_xdr_reader_finish(&r, NULL));
}

static void
test_strings(void)
{
    CoreXdrWriter w;
    g_autoptr(GBytes) b = NULL;
    g_autofree char *s1 = NULL;
    g_autofree char *s2 = NULL;
    g_autofree char *s3 = NULL;
    g_autofree guint8 *op = NULL;
    guint op_len = 0;
    guint8 fixed[3];
    CoreXdrReader r;

    core_xdr_writer_init(&w);
    core_xdr_put_string(&w, "test:///default", NULL);
    core_xdr_put_ostring(&w, NULL, NULL);
    core_xdr_put_ostring(&w, "ab", NULL);
    core_xdr_put_opaque(&w, (const guint8 *)"\x01\x02\x03\x04\x05", 5, 8, NULL);
    core_xdr_put_opaque_fixed(&w, (const guint8 *)"xyz", 3, NULL);
    b = finish(&w);
    /* the CONNECT_OPEN example of PROTOCOL.md: length 15, one pad byte */
    assert_bytes(b, "0000000f746573743a2f2f2f64656661756c7400"
                    "00000000"
                    "000000010000000261620000"
                    "000000050102030405000000"
                    "78797a00");
    core_xdr_reader_init(&r, g_bytes_get_data(b, NULL), g_bytes_get_size(b));
    g_assert_true(core_xdr_get_string(&r, &s1, NULL));
    g_assert_cmpstr(s1, ==, "test:///default");
    g_assert_true(core_xdr_get_ostring(&r, &s2, NULL));
    g_assert_null(s2);
    g_assert_true(core_xdr_get_ostring(&r, &s3, NULL));
    g_assert_cmpstr(s3, ==, "ab");
    g_assert_true(core_xdr_get_opaque(&r, 8, &op, &op_len, NULL));
    g_assert_cmpuint(op_len, ==, 5);
    g_assert_cmpmem(op, 5, "\x01\x02\x03\x04\x05", 5);
    g_assert_true(core_xdr_get_opaque_fixed(&r, fixed, 3, NULL));
    g_assert_cmpmem(fixed, 3, "xyz", 3);
    g_assert_true(core_xdr_reader_finish(&r, NULL));
}

static void
assert_decode_fails(const char *data, gsize len, gboolean (*fn)(CoreXdrReader *, GError **))
{
    g_autoptr(GError) err = NULL;
    CoreXdrReader r;

    core_xdr_reader_init(&r, (const guint8 *)data, len);
    g_assert_false(fn(&r, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_RPC);
    g_assert_cmpuint(r.pos, <=, r.len);
}

static gboolean
get_one_string(CoreXdrReader *r, GError **error)
{
    g_autofree char *s = NULL;

    return core_xdr_get_string(r, &s, error);
}

static gboolean
get_one_ostring(CoreXdrReader *r, GError **error)
{
    g_autofree char *s = NULL;

    return core_xdr_get_ostring(r, &s, error);
}

static gboolean
get_one_hyper(CoreXdrReader *r, GError **error)
{
    gint64 v;

    return core_xdr_get_hyper(r, &v, error);
}

static gboolean
get_count_16(CoreXdrReader *r, GError **error)
{
    guint n;

    return core_xdr_get_count(r, 16, 4, &n, error);
}

static gboolean
get_opaque_4(CoreXdrReader *r, GError **error)
{
    g_autofree guint8 *p = NULL;
    guint n;

    return core_xdr_get_opaque(r, 4, &p, &n, error);
}

static void
test_bounds(void)
{
    /* truncated scalars and strings */
    assert_decode_fails("\x00\x00\x00", 3, get_one_string);
    assert_decode_fails("\x00\x00\x00\x00\x00\x00\x00", 7, get_one_hyper);
    assert_decode_fails("\x00\x00\x00\x05" "abcd", 8, get_one_string);
    /* the padding must be there too */
    assert_decode_fails("\x00\x00\x00\x05" "abcde", 9, get_one_string);
    /* a length far beyond the data and beyond 4 MiB */
    assert_decode_fails("\x7f\xff\xff\xff" "abcd", 8, get_one_string);
    assert_decode_fails("\x00\x40\x00\x01" "abcd", 8, get_one_string);
    /* NUL inside a string */
    assert_decode_fails("\x00\x00\x00\x02" "a\0\0\0", 8, get_one_string);
    /* optional flag other than 0/1 */
    assert_decode_fails("\x00\x00\x00\x02", 4, get_one_ostring);
    /* counts above the maximum or the remaining bytes */
    assert_decode_fails("\x00\x00\x00\x11", 4, get_count_16);
    assert_decode_fails("\x00\x00\x00\x03" "\0\0\0\0\0\0\0\0", 12, get_count_16);
    assert_decode_fails("\x00\x00\x00\x05" "abcdefgh", 12, get_opaque_4);
    {
        g_autoptr(GError) err = NULL;
        CoreXdrReader r;

        core_xdr_reader_init(&r, (const guint8 *)"\0\0\0\0\0", 5);
        g_assert_true(get_count_16(&r, NULL));
        g_assert_false(core_xdr_reader_finish(&r, &err));
        g_assert_error(err, CORE_ERROR, CORE_ERR_RPC);
    }
}

static void
test_encode_limits(void)
{
    g_autoptr(GError) err = NULL;
    CoreXdrWriter w;

    core_xdr_writer_init(&w);
    g_assert_false(core_xdr_put_opaque(&w, (const guint8 *)"abcde", 5, 4, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_RPC);
    g_clear_error(&err);
    g_assert_false(core_xdr_put_count(&w, 17, 16, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_RPC);
    core_xdr_writer_clear(&w);
}

static void
test_chars(void)
{
    CoreXdrWriter w;
    g_autoptr(GBytes) b = NULL;
    g_autofree char *label = NULL;
    char model[4];
    CoreXdrReader r;

    core_xdr_writer_init(&w);
    core_rpc_put_char_fixed(&w, "i6", 4, NULL);
    core_rpc_put_char_var(&w, "ab", 257, NULL);
    core_rpc_put_char_var(&w, "", 257, NULL);
    b = finish(&w);
    /* one 4-byte word per char; the variable form counts the NUL */
    assert_bytes(b, "00000069000000360000000000000000"
                    "00000003000000610000006200000000"
                    "0000000100000000");
    core_xdr_reader_init(&r, g_bytes_get_data(b, NULL), g_bytes_get_size(b));
    g_assert_true(core_rpc_get_char_fixed(&r, model, 4, NULL));
    g_assert_cmpstr(model, ==, "i6");
    g_assert_true(core_rpc_get_char_var(&r, 257, &label, NULL));
    g_assert_cmpstr(label, ==, "ab");
}

static void
test_handles(void)
{
    static const guint8 uuid[16] = { 0x66, 0x95, 0xeb, 0x01, 0xf6, 0xa4, 0x83, 0x04,
                                     0x79, 0xaa, 0x97, 0xf2, 0x50, 0x2e, 0x19, 0x3f };
    g_autoptr(CoreDomainRef) dom = core_domain_ref_new("test", uuid, 1);
    g_autoptr(CoreDomainRef) dom2 = NULL;
    g_autoptr(CoreDomainRef) none = NULL;
    g_autoptr(CoreVolRef) vol = core_vol_ref_new("p", "v", "/k");
    g_autoptr(CoreVolRef) vol2 = NULL;
    g_autoptr(CorePoolRef) pool2 = NULL;
    CoreXdrWriter w;
    g_autoptr(GBytes) b = NULL;
    CoreXdrReader r;

    core_xdr_writer_init(&w);
    core_rpc_put_domain(&w, dom, NULL);
    core_rpc_put_odomain(&w, NULL, NULL);
    core_rpc_put_vol(&w, vol, NULL);
    core_rpc_put_opool(&w, NULL, NULL);
    b = finish(&w);
    core_xdr_reader_init(&r, g_bytes_get_data(b, NULL), g_bytes_get_size(b));
    /* the DOMAIN_LOOKUP_BY_NAME reply example of PROTOCOL.md */
    g_assert_cmpmem(g_bytes_get_data(b, NULL), 8, "\0\0\0\x04test", 8);
    g_assert_true(core_rpc_get_domain(&r, &dom2, NULL));
    g_assert_cmpstr(dom2->name, ==, "test");
    g_assert_cmpmem(dom2->uuid, 16, uuid, 16);
    g_assert_cmpint(dom2->id, ==, 1);
    g_assert_true(core_rpc_get_odomain(&r, &none, NULL));
    g_assert_null(none);
    g_assert_true(core_rpc_get_vol(&r, &vol2, NULL));
    g_assert_cmpstr(vol2->key, ==, "/k");
    g_assert_true(core_rpc_get_opool(&r, &pool2, NULL));
    g_assert_null(pool2);
    g_assert_true(core_xdr_reader_finish(&r, NULL));
}

static void
test_typed_params(void)
{
    CoreTypedParam in[3] = {
        { .field = (char *)"hard_limit", .type = CORE_TYPED_PARAM_ULLONG, .value.ul = 42 },
        { .field = (char *)"weight", .type = CORE_TYPED_PARAM_DOUBLE, .value.d = 0.25 },
        { .field = (char *)"name", .type = CORE_TYPED_PARAM_STRING, .value.s = (char *)"x" },
    };
    CoreTypedParam out = { 0 };
    g_autoptr(GError) err = NULL;
    CoreXdrWriter w;
    g_autoptr(GBytes) b = NULL;
    CoreXdrReader r;

    core_xdr_writer_init(&w);
    for (guint i = 0; i < G_N_ELEMENTS(in); i++)
        g_assert_true(core_rpc_put_typed_param(&w, &in[i], NULL));
    b = finish(&w);
    core_xdr_reader_init(&r, g_bytes_get_data(b, NULL), g_bytes_get_size(b));
    g_assert_true(core_rpc_get_typed_param(&r, &out, NULL));
    g_assert_cmpuint(out.value.ul, ==, 42);
    core_typed_param_clear(&out);
    g_assert_true(core_rpc_get_typed_param(&r, &out, NULL));
    g_assert_cmpfloat(out.value.d, ==, 0.25);
    core_typed_param_clear(&out);
    g_assert_true(core_rpc_get_typed_param(&r, &out, NULL));
    g_assert_cmpstr(out.value.s, ==, "x");
    core_typed_param_clear(&out);

    /* unknown union arm */
    core_xdr_reader_init(&r, (const guint8 *)"\0\0\0\x01" "a\0\0\0" "\0\0\0\x09", 12);
    g_assert_false(core_rpc_get_typed_param(&r, &out, &err));
    g_assert_null(out.field);
}

static void
test_error_wire(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) back = NULL;
    g_autoptr(GError) foreign = g_error_new_literal(G_FILE_ERROR, G_FILE_ERROR_NOENT, "gone");
    const CoreErrorExtra *extra;
    CoreXdrWriter w;
    g_autoptr(GBytes) b = NULL;
    g_autoptr(GBytes) b2 = NULL;
    CoreXdrReader r;

    err = core_error_new_wire(42, CORE_FROM_TEST, 2, "Domain not found", "Domain not found",
                              NULL, NULL, -1, -1);
    core_xdr_writer_init(&w);
    g_assert_true(core_rpc_error_to_wire(err, &w, NULL));
    b = finish(&w);
    /* the 84-byte payload libvirtd sent for this error */
    g_assert_cmpuint(g_bytes_get_size(b), ==, 84);
    assert_bytes(b, "0000002a" "0000000c" /* code 42, from TEST */
                    "00000001" "00000010" "446f6d61696e206e6f7420666f756e64" /* message */
                    "00000002" "00000000" /* level, dom NULL */
                    "00000001" "00000010" "446f6d61696e206e6f7420666f756e64" /* str1 */
                    "00000000" "00000000" "ffffffff" "ffffffff" "00000000");
    core_xdr_reader_init(&r, g_bytes_get_data(b, NULL), g_bytes_get_size(b));
    g_assert_true(core_rpc_error_from_wire(&r, &back, NULL));
    g_assert_error(back, CORE_ERROR, 42);
    g_assert_cmpstr(back->message, ==, "Domain not found");
    extra = core_error_get_extra(back);
    g_assert_cmpint(extra->from, ==, CORE_FROM_TEST);
    g_assert_cmpint(extra->level, ==, 2);
    g_assert_cmpstr(extra->str1, ==, "Domain not found");
    g_assert_null(extra->str2);
    g_assert_cmpint(extra->int1, ==, -1);
    g_clear_error(&back);

    /* a GError from another domain goes out as an internal error */
    core_xdr_writer_init(&w);
    g_assert_true(core_rpc_error_to_wire(foreign, &w, NULL));
    b2 = finish(&w);
    core_xdr_reader_init(&r, g_bytes_get_data(b2, NULL), g_bytes_get_size(b2));
    g_assert_true(core_rpc_error_from_wire(&r, &back, NULL));
    g_assert_error(back, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(back->message, ==, "internal error: gone");
    g_assert_cmpint(core_error_get_extra(back)->from, ==, CORE_FROM_RPC);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/xdr/scalars", test_scalars);
    g_test_add_func("/rpc/xdr/strings", test_strings);
    g_test_add_func("/rpc/xdr/bounds", test_bounds);
    g_test_add_func("/rpc/xdr/encode-limits", test_encode_limits);
    g_test_add_func("/rpc/xdr/chars", test_chars);
    g_test_add_func("/rpc/xdr/handles", test_handles);
    g_test_add_func("/rpc/xdr/typed-params", test_typed_params);
    g_test_add_func("/rpc/error/wire", test_error_wire);
    return g_test_run();
}
