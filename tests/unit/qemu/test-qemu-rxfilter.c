/* Unit tests for qemu-rxfilter: recorded query-rx-filter replies
 * (tests/data/qmp/rx-filter-*.json, from a real guest), validation of
 * every member, and the diff. */
#include <string.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "qemu-rxfilter.h"

static json_object *
load(const char *name)
{
    const char *root = g_getenv("VIREO_SOURCE_ROOT");
    g_autofree char *path = g_build_filename(root ? root : ".", "tests", "data", "qmp", name,
                                             NULL);
    json_object *obj = json_object_from_file(path);

    g_assert_nonnull(obj);
    return obj;
}

static QemuRxFilter *
load_filter(const char *name)
{
    g_autoptr(json_object) reply = load(name);
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) list = qemu_rxfilter_parse_reply(reply, &err);

    g_assert_no_error(err);
    g_assert_cmpuint(list->len, ==, 1);
    return qemu_rxfilter_copy(list->pdata[0]);
}

static void
test_mac(void)
{
    QemuMac mac;
    char buf[QEMU_MAC_STRLEN];
    static const char *const bad[] = {
        "", "52:54:00:12:34", "52:54:00:12:34:56:78", "52-54-00-12-34-56", "5:54:00:12:34:56a",
        "52:54:00:12:34:5g", "52:54:00:12:34:56 ", " 52:54:00:12:34:5", "525400123456xxxxx",
        "52:54:00:12:34::6",
    };

    g_assert_true(qemu_mac_parse("52:54:00:AB:cd:0F", &mac));
    g_assert_cmpstr(qemu_mac_format(&mac, buf), ==, "52:54:00:ab:cd:0f");
    g_assert_false(qemu_mac_is_multicast(&mac));
    g_assert_true(qemu_mac_parse("01:00:5e:00:00:01", &mac));
    g_assert_true(qemu_mac_is_multicast(&mac));
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
        g_assert_false(qemu_mac_parse(bad[i], &mac));
    g_assert_false(qemu_mac_parse(NULL, &mac));
    g_assert_cmpint(qemu_rxfilter_mode_from_string("all"), ==, QEMU_RX_FILTER_MODE_ALL);
    g_assert_cmpint(qemu_rxfilter_mode_from_string("ALL"), ==, -1);
    g_assert_cmpstr(qemu_rxfilter_mode_to_string(QEMU_RX_FILTER_MODE_NONE), ==, "none");
}

static void
test_recorded(void)
{
    g_autoptr(QemuRxFilter) boot = load_filter("rx-filter-boot.json");
    g_autoptr(QemuRxFilter) promisc = load_filter("rx-filter-promisc.json");
    g_autofree char *text = qemu_rxfilter_format(boot);
    g_autofree char *ptext = qemu_rxfilter_format(promisc);

    g_assert_cmpstr(text, ==,
                    "name nic0\n"
                    "promiscuous no\n"
                    "main-mac 52:54:00:12:34:56\n"
                    "unicast normal\n"
                    "multicast normal\n"
                    "vlan none\n"
                    "unicast-overflow no\n"
                    "multicast-overflow no\n"
                    "broadcast-allowed no\n"
                    "unicast-table\n"
                    "multicast-table 01:00:5e:00:00:01 33:33:00:00:00:01\n"
                    "vlan-table\n");
    g_assert_cmpstr(ptext, ==,
                    "name nic0\n"
                    "promiscuous yes\n"
                    "main-mac 52:54:00:aa:bb:cc\n"
                    "unicast normal\n"
                    "multicast normal\n"
                    "vlan none\n"
                    "unicast-overflow no\n"
                    "multicast-overflow no\n"
                    "broadcast-allowed no\n"
                    "unicast-table\n"
                    "multicast-table 01:00:5e:00:00:01 01:00:5e:01:02:03 33:33:00:00:00:01\n"
                    "vlan-table\n");
}

static void
test_event(void)
{
    g_autoptr(json_object) data = load("rx-filter-event.json");
    g_autoptr(json_object) noname = json_tokener_parse("{\"path\": \"/machine/unattached/device[3]\"}");
    g_autoptr(json_object) nopath = json_tokener_parse("{\"name\": \"nic0\"}");
    g_autoptr(json_object) badname = json_tokener_parse("{\"name\": 5, \"path\": \"/x\"}");
    g_autoptr(GError) err = NULL;
    g_autofree char *name = NULL;
    g_autofree char *path = NULL;

    g_assert_true(qemu_rxfilter_parse_event(data, &name, &path, &err));
    g_assert_cmpstr(name, ==, "nic0");
    g_assert_cmpstr(path, ==, "/machine/peripheral/nic0/virtio-backend");
    g_clear_pointer(&name, g_free);
    g_clear_pointer(&path, g_free);
    g_assert_true(qemu_rxfilter_parse_event(noname, &name, &path, &err));
    g_assert_null(name);
    g_assert_cmpstr(path, ==, "/machine/unattached/device[3]");
    g_clear_pointer(&path, g_free);
    g_assert_false(qemu_rxfilter_parse_event(nopath, &name, &path, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);
    g_assert_false(qemu_rxfilter_parse_event(badname, &name, &path, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);
    g_assert_false(qemu_rxfilter_parse_event(NULL, &name, &path, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
}

/* Sets @key of a copy of the recorded boot filter to @json (NULL removes
 * it) and checks that parsing fails naming @key. */
static void
check_invalid(const char *key, const char *json)
{
    g_autoptr(json_object) reply = load("rx-filter-boot.json");
    json_object *obj = json_object_array_get_idx(reply, 0);
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuRxFilter) f = NULL;
    g_autofree char *quoted = g_strdup_printf("'%s'", key);

    if (json)
        json_object_object_add(obj, key, json_tokener_parse(json));
    else
        json_object_object_del(obj, key);
    f = qemu_rxfilter_parse(obj, &err);
    if (f)
        g_error("%s=%s was accepted", key, json ? json : "(missing)");
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_assert_nonnull(strstr(err->message, quoted));
    g_assert_null(qemu_rxfilter_parse_reply(reply, NULL));
}

static void
test_invalid(void)
{
    static const char *const keys[] = {
        "name", "promiscuous", "main-mac", "unicast", "multicast", "vlan",
        "unicast-overflow", "multicast-overflow", "broadcast-allowed",
        "unicast-table", "multicast-table", "vlan-table",
    };
    g_autoptr(GError) err = NULL;
    g_autoptr(json_object) num = json_object_new_int(3);
    g_autoptr(json_object) obj = json_object_new_object();

    for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
        check_invalid(keys[i], NULL);     /* missing */
        check_invalid(keys[i], "{}");     /* wrong type */
    }
    check_invalid("name", "\"\"");
    check_invalid("main-mac", "\"52:54:00:12:34\"");
    check_invalid("main-mac", "\"zz:54:00:12:34:56\"");
    check_invalid("main-mac", "\"52:54:00:12:34:56:78\"");
    check_invalid("unicast", "\"some\"");
    check_invalid("multicast", "\"\"");
    check_invalid("vlan", "\"Normal\"");
    check_invalid("promiscuous", "\"true\"");
    check_invalid("promiscuous", "1");
    check_invalid("unicast-table", "[\"52:54:00:12:34:5\"]");
    check_invalid("unicast-table", "[7]");
    check_invalid("multicast-table", "[\"01:00:5e:00:00:01\", \"01:00:5e:00:00:0x\"]");
    check_invalid("multicast-table", "[null]");
    check_invalid("vlan-table", "[4096]");
    check_invalid("vlan-table", "[-1]");
    check_invalid("vlan-table", "[\"5\"]");
    check_invalid("vlan-table", "[1.5]");

    g_assert_null(qemu_rxfilter_parse(num, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);
    g_assert_null(qemu_rxfilter_parse_reply(obj, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
}

static void
test_valid_extremes(void)
{
    g_autoptr(json_object) reply = load("rx-filter-boot.json");
    json_object *obj = json_object_array_get_idx(reply, 0);
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuRxFilter) f = NULL;
    g_autofree char *text = NULL;

    json_object_object_add(obj, "vlan-table", json_tokener_parse("[0, 4095, 100]"));
    json_object_object_add(obj, "vlan", json_object_new_string("normal"));
    json_object_object_add(obj, "unicast", json_object_new_string("all"));
    json_object_object_add(obj, "unicast-table",
                           json_tokener_parse("[\"52:54:00:00:00:02\", \"52:54:00:00:00:01\"]"));
    json_object_object_add(obj, "unicast-overflow", json_object_new_boolean(TRUE));
    json_object_object_add(obj, "some-future-member", json_object_new_int(1));
    f = qemu_rxfilter_parse(obj, &err);
    g_assert_no_error(err);
    text = qemu_rxfilter_format(f);
    g_assert_nonnull(strstr(text, "\nunicast all\n"));
    g_assert_nonnull(strstr(text, "\nvlan normal\n"));
    g_assert_nonnull(strstr(text, "\nunicast-overflow yes\n"));
    g_assert_nonnull(strstr(text, "\nunicast-table 52:54:00:00:00:01 52:54:00:00:00:02\n"));
    g_assert_nonnull(strstr(text, "\nvlan-table 0 100 4095\n"));
}

static void
test_diff(void)
{
    g_autoptr(QemuRxFilter) boot = load_filter("rx-filter-boot.json");
    g_autoptr(QemuRxFilter) mac = load_filter("rx-filter-mac.json");
    g_autoptr(QemuRxFilter) maddr = load_filter("rx-filter-maddr.json");
    g_autoptr(QemuRxFilter) promisc = load_filter("rx-filter-promisc.json");
    g_autoptr(QemuRxFilter) edited = qemu_rxfilter_copy(promisc);
    QemuRxFilterDiff *d;
    char *text;
    guint16 vid = 42;
    QemuMac uc = { { 0x52, 0x54, 0, 0, 0, 9 } };

    d = qemu_rxfilter_diff(boot, boot);
    g_assert_cmpuint(d->changes, ==, 0);
    text = qemu_rxfilter_diff_format(d);
    g_assert_cmpstr(text, ==, "");
    g_free(text);
    qemu_rxfilter_diff_free(d);

    d = qemu_rxfilter_diff(boot, mac);
    g_assert_cmpuint(d->changes, ==, QEMU_RX_FILTER_CHANGED_MAIN_MAC);
    qemu_rxfilter_diff_free(d);

    /* table order does not matter: QEMU lists the newest group first */
    d = qemu_rxfilter_diff(mac, maddr);
    text = qemu_rxfilter_diff_format(d);
    g_assert_cmpstr(text, ==, "multicast-table(+01:00:5e:01:02:03)");
    g_free(text);
    qemu_rxfilter_diff_free(d);

    d = qemu_rxfilter_diff(maddr, promisc);
    text = qemu_rxfilter_diff_format(d);
    g_assert_cmpstr(text, ==, "promiscuous");
    g_free(text);
    qemu_rxfilter_diff_free(d);

    /* removals, vlans and flags together */
    g_array_remove_index(edited->multicast_table, 0);
    g_array_append_val(edited->vlan_table, vid);
    g_array_append_val(edited->unicast_table, uc);
    edited->broadcast_allowed = TRUE;
    edited->multicast = QEMU_RX_FILTER_MODE_ALL;
    d = qemu_rxfilter_diff(promisc, edited);
    text = qemu_rxfilter_diff_format(d);
    g_assert_cmpstr(text, ==,
                    "multicast broadcast-allowed unicast-table(+52:54:00:00:00:09) "
                    "multicast-table(-01:00:5e:01:02:03) vlan-table(+42)");
    g_free(text);
    qemu_rxfilter_diff_free(d);

    /* no previous filter: everything counts as changed, all entries added */
    d = qemu_rxfilter_diff(NULL, boot);
    g_assert_true(d->changes & QEMU_RX_FILTER_CHANGED_MAIN_MAC);
    g_assert_true(d->changes & QEMU_RX_FILTER_CHANGED_NAME);
    g_assert_cmpuint(d->multicast_added->len, ==, 2);
    qemu_rxfilter_diff_free(d);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu/rxfilter/mac", test_mac);
    g_test_add_func("/qemu/rxfilter/recorded", test_recorded);
    g_test_add_func("/qemu/rxfilter/event", test_event);
    g_test_add_func("/qemu/rxfilter/invalid", test_invalid);
    g_test_add_func("/qemu/rxfilter/valid-extremes", test_valid_extremes);
    g_test_add_func("/qemu/rxfilter/diff", test_diff);
    return g_test_run();
}
