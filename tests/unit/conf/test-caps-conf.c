/* test-caps-conf: the capabilities model. tests/data/caps/test-default.xml
 * is what libvirt's test:///default driver reports; the builder for that
 * host must reproduce it byte for byte. */
#include <glib.h>
#include <string.h>

#include "conf-golden.h"
#include "core-caps-conf.h"
#include "core-error.h"

#define KIND "caps"

static void
test_golden(gconstpointer data)
{
    const char *stem = data;
    g_autofree char *in_name = g_strconcat(stem, ".xml", NULL);
    g_autofree char *err_name = g_strconcat(stem, ".err", NULL);
    g_autofree char *in_path = conf_golden_path(KIND, in_name);
    g_autofree char *err_path = conf_golden_path(KIND, err_name);
    g_autofree char *input = NULL;
    g_autofree char *output = NULL;
    g_autofree char *again = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreCaps) caps = NULL;
    g_autoptr(CoreCaps) caps2 = NULL;

    g_assert_true(g_file_get_contents(in_path, &input, NULL, NULL));
    caps = core_caps_parse_string(input, &err);
    if (g_file_test(err_path, G_FILE_TEST_EXISTS)) {
        g_assert_null(caps);
        g_assert_nonnull(err);
        g_assert_true(conf_golden_compare_error(err_path, err));
        return;
    }
    g_assert_no_error(err);
    g_assert_nonnull(caps);
    output = core_caps_format(caps);
    g_assert_true(conf_golden_compare(in_path, output));
    g_assert_true(conf_golden_validate_rng("capability.rng", output));
    caps2 = core_caps_parse_string(output, &err);
    g_assert_no_error(err);
    again = core_caps_format(caps2);
    g_assert_cmpstr(again, ==, output);
}

static void
test_orphans(void)
{
    g_assert_true(conf_golden_check_orphans(KIND));
}

static void
test_test_driver_host(void)
{
    g_autoptr(CoreCaps) caps = core_caps_new_test_default();
    g_autofree char *path = conf_golden_path(KIND, "test-default.xml");
    g_autofree char *expected = NULL;
    g_autofree char *output = core_caps_format(caps);

    g_assert_true(g_file_get_contents(path, &expected, NULL, NULL));
    g_assert_cmpstr(output, ==, expected);
}

static void
test_builders(void)
{
    g_autoptr(CoreCaps) caps = core_caps_new();
    g_autoptr(CoreCaps) back = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *again = NULL;
    CoreCapsGuest *g;
    CoreCapsCell *cell;

    /* nothing known about the host: no <host> at all, as libvirt does */
    xml = core_caps_format(caps);
    g_assert_cmpstr(xml, ==, "<capabilities>\n\n</capabilities>\n");
    g_clear_pointer(&xml, g_free);

    caps->host.iommu = TRUE;
    cell = core_caps_add_cell(caps, 0, 0);
    core_caps_cell_add_cpu(cell, 0, 0, 0, 0, NULL);
    g = core_caps_add_guest(caps, "exe", "x86_64", 64, NULL);
    core_caps_guest_add_domain(g, "lxc");
    g_ptr_array_add(caps->pool_types, g_strdup("dir"));
    xml = core_caps_format(caps);
    g_assert_nonnull(strstr(xml, "    <cpu>\n    </cpu>\n    <power_management/>\n"
                                 "    <iommu support='yes'/>\n"));
    g_assert_nonnull(strstr(xml, "          <cpus num='1'>\n            <cpu id='0'/>\n"));
    g_assert_nonnull(strstr(xml, "  <guest>\n    <os_type>exe</os_type>\n"
                                 "    <arch name='x86_64'>\n      <wordsize>64</wordsize>\n"
                                 "      <domain type='lxc'/>\n    </arch>\n  </guest>\n\n"));
    g_assert_nonnull(strstr(xml, "  <pool>\n    <enum name='type'>\n      <value>dir</value>\n"
                                 "    </enum>\n  </pool>\n\n</capabilities>\n"));
    back = core_caps_parse_string(xml, &err);
    g_assert_no_error(err);
    again = core_caps_format(back);
    g_assert_cmpstr(again, ==, xml);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = conf_golden_list_cases(KIND);

    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    for (guint i = 0; i < cases->len; i++) {
        const char *stem = g_ptr_array_index(cases, i);
        g_autofree char *name = g_strdup_printf("/caps/golden/%s", stem);

        g_test_add_data_func(name, stem, test_golden);
    }
    g_test_add_func("/caps/orphans", test_orphans);
    g_test_add_func("/caps/test-driver-host", test_test_driver_host);
    g_test_add_func("/caps/builders", test_builders);
    return g_test_run();
}
