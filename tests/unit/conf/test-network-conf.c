/* test-network-conf: golden round trips of the network model against
 * tests/data/network (expected outputs and errors are libvirt's own). */
#include <glib.h>
#include <string.h>

#include "conf-golden.h"
#include "core-error.h"
#include "core-network-conf.h"

#define KIND "network"

static void
test_golden(gconstpointer data)
{
    const char *stem = data;
    g_autofree char *in_name = g_strconcat(stem, ".xml", NULL);
    g_autofree char *err_name = g_strconcat(stem, ".err", NULL);
    g_autofree char *out_name = g_strconcat(stem, ".out.xml", NULL);
    g_autofree char *in_path = conf_golden_path(KIND, in_name);
    g_autofree char *err_path = conf_golden_path(KIND, err_name);
    g_autofree char *out_path = conf_golden_path(KIND, out_name);
    g_autofree char *input = NULL;
    g_autofree char *output = NULL;
    g_autofree char *again = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreNetworkDef) def = NULL;
    g_autoptr(CoreNetworkDef) def2 = NULL;

    g_assert_true(g_file_get_contents(in_path, &input, NULL, NULL));
    def = core_network_def_parse_string(input, 0, &err);
    if (g_file_test(err_path, G_FILE_TEST_EXISTS)) {
        g_assert_null(def);
        g_assert_nonnull(err);
        g_assert_true(conf_golden_compare_error(err_path, err));
        return;
    }
    g_assert_no_error(err);
    g_assert_nonnull(def);
    output = core_network_def_format(def, 0);
    /* NAME.out.xml when the output differs from the input, else the input */
    if (g_file_test(out_path, G_FILE_TEST_EXISTS) ||
        (g_getenv("CORE_TEST_REGENERATE") && g_strcmp0(output, input) != 0))
        g_assert_true(conf_golden_compare(out_path, output));
    else
        g_assert_true(conf_golden_compare(in_path, output));
    g_assert_true(conf_golden_validate_rng("network.rng", output));

    /* byte-stable: the output parses back to the same output */
    def2 = core_network_def_parse_string(output, 0, &err);
    g_assert_no_error(err);
    again = core_network_def_format(def2, 0);
    g_assert_cmpstr(again, ==, output);
}

static void
test_orphans(void)
{
    g_assert_true(conf_golden_check_orphans(KIND));
}

static void
test_copy(void)
{
    const char *xml = "<network><name>c</name>"
                      "<uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>"
                      "<ip address='10.0.0.1' prefix='8'><dhcp>"
                      "<range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip></network>";
    g_autoptr(CoreNetworkDef) def = core_network_def_parse_string(xml, 0, NULL);
    g_autoptr(CoreNetworkDef) copy = NULL;
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    g_assert_nonnull(def);
    copy = core_network_def_copy(def);
    g_assert_nonnull(copy);
    g_assert_true(copy != def);
    a = core_network_def_format(def, 0);
    b = core_network_def_format(copy, 0);
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpstr(copy->name, ==, "c");
    g_assert_cmpint(copy->ips->len, ==, 1);
    g_assert_cmpint(core_network_ip_prefix(g_ptr_array_index(copy->ips, 0)), ==, 8);
}

static void
test_generated_uuid(void)
{
    g_autoptr(CoreNetworkDef) a = core_network_def_parse_string("<network><name>u</name></network>",
                                                                0, NULL);
    g_autoptr(CoreNetworkDef) b = core_network_def_parse_string("<network><name>u</name></network>",
                                                                0, NULL);
    static const guint8 zero[16];

    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_true(memcmp(a->uuid, zero, 16) != 0);
    g_assert_true(memcmp(a->uuid, b->uuid, 16) != 0);
    /* isolated: no forward mode, bridge defaults shown as libvirt does */
    g_assert_null(a->forward_mode);
    g_assert_true(a->stp);
}

static void
test_prefix_rules(void)
{
    CoreNetworkIpDef ip = { 0 };

    ip.address = (char *)"10.0.0.1";
    g_assert_cmpint(core_network_ip_prefix(&ip), ==, 8);
    ip.address = (char *)"172.16.0.1";
    g_assert_cmpint(core_network_ip_prefix(&ip), ==, 16);
    ip.address = (char *)"192.168.1.1";
    g_assert_cmpint(core_network_ip_prefix(&ip), ==, 24);
    ip.address = (char *)"224.0.0.1";
    g_assert_cmpint(core_network_ip_prefix(&ip), ==, -1);
    ip.netmask = (char *)"255.255.252.0";
    g_assert_cmpint(core_network_ip_prefix(&ip), ==, 22);
    ip.netmask = (char *)"255.0.255.0";
    g_assert_cmpint(core_network_ip_prefix(&ip), ==, -1);
    ip.netmask = NULL;
    ip.address = (char *)"fd00::1";
    g_assert_cmpint(core_network_ip_prefix(&ip), ==, 64);
    ip.prefix = 48;
    g_assert_cmpint(core_network_ip_prefix(&ip), ==, 48);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = conf_golden_list_cases(KIND);

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    for (guint i = 0; i < cases->len; i++) {
        const char *stem = g_ptr_array_index(cases, i);
        g_autofree char *name = g_strdup_printf("/network/golden/%s", stem);

        g_test_add_data_func(name, stem, test_golden);
    }
    g_test_add_func("/network/orphans", test_orphans);
    g_test_add_func("/network/copy", test_copy);
    g_test_add_func("/network/generated-uuid", test_generated_uuid);
    g_test_add_func("/network/prefix-rules", test_prefix_rules);
    return g_test_run();
}
