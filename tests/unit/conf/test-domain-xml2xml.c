/* Golden tests of the domain model: tests/data/domain/NAME.xml is parsed
 * and formatted; the result must equal NAME.out.xml (or the input itself),
 * validate against libvirt's domain.rng and format identically after a
 * second round trip. NAME.err holds the expected failure instead. */
#include "conf-golden.h"
#include "core-domain-conf.h"
#include "core-error.h"

#include <glib/gstdio.h>
#include <string.h>

#define KIND "domain"

static gboolean
regenerating(void)
{
    return g_strcmp0(g_getenv("CORE_TEST_REGENERATE"), "1") == 0;
}

static void
check_success(const char *name, const char *input, CoreDomainDef *def)
{
    g_autofree char *out_name = g_strdup_printf("%s.out.xml", name);
    g_autofree char *out_path = conf_golden_path(KIND, out_name);
    g_autofree char *out = core_domain_def_format(def, 0);
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainDef) again = NULL;
    g_autofree char *out2 = NULL;

    if (regenerating() && g_str_equal(out, input))
        (void)g_unlink(out_path);
    if (g_file_test(out_path, G_FILE_TEST_EXISTS) || (regenerating() && !g_str_equal(out, input)))
        g_assert_true(conf_golden_compare(out_path, out));
    else if (!g_str_equal(out, input))
        g_assert_cmpstr(out, ==, input);
    g_assert_true(conf_golden_validate_rng("domain.rng", out));

    again = core_domain_def_parse_string(out, 0, &err);
    g_assert_no_error(err);
    out2 = core_domain_def_format(again, 0);
    g_assert_cmpstr(out2, ==, out);
}

static void
test_case(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in_name = g_strdup_printf("%s.xml", name);
    g_autofree char *err_name = g_strdup_printf("%s.err", name);
    g_autofree char *in_path = conf_golden_path(KIND, in_name);
    g_autofree char *err_path = conf_golden_path(KIND, err_name);
    g_autofree char *input = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainDef) def = NULL;

    g_assert_true(g_file_get_contents(in_path, &input, NULL, NULL));
    def = core_domain_def_parse_string(input, 0, &err);
    if (g_file_test(err_path, G_FILE_TEST_EXISTS) || (regenerating() && !def)) {
        if (def)
            g_test_message("'%s' parsed but an error was expected", name);
        g_assert_null(def);
        g_assert_nonnull(err);
        g_assert_true(conf_golden_compare_error(err_path, err));
        return;
    }
    g_assert_no_error(err);
    check_success(name, input, def);
}

static void
test_orphans(void)
{
    g_assert_true(conf_golden_check_orphans(KIND));
}

/* What the golden files cannot show: generated values and flags. */
static void
test_generated(void)
{
    const char *xml = "<domain type='test'><name>g</name><memory>1024</memory>"
                      "<os><type>hvm</type></os><devices><interface type='user'/>"
                      "</devices></domain>";
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainDef) a = core_domain_def_parse_string(xml, 0, &err);
    g_autoptr(CoreDomainDef) b = core_domain_def_parse_string(xml, 0, NULL);
    g_autoptr(CoreDomainDef) copy = NULL;
    g_autofree char *fa = NULL;
    g_autofree char *fc = NULL;
    CoreDomainNetDef *net;

    g_assert_no_error(err);
    g_assert_nonnull(b);
    g_assert_false(memcmp(a->uuid, b->uuid, 16) == 0);
    net = g_ptr_array_index(core_domain_def_priv(a)->nets, 0);
    g_assert_cmpint(net->mac[0], ==, 0x52);
    g_assert_cmpint(net->mac[1], ==, 0x54);
    g_assert_cmpint(net->mac[2], ==, 0x00);
    a->id = 7;
    copy = core_domain_def_copy(a);
    fa = core_domain_def_format(a, 0);
    fc = core_domain_def_format(copy, 0);
    g_assert_cmpstr(fa, ==, fc);
    g_assert_nonnull(strstr(fa, "<domain type='test' id='7'>"));
    g_clear_pointer(&fa, g_free);
    fa = core_domain_def_format(a, CORE_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(strstr(fa, "<domain type='test'>"));
}

static void
test_parse_inactive(void)
{
    const char *xml = "<domain type='test' id='3'><name>i</name><memory>1024</memory>"
                      "<os><type>hvm</type></os><devices>"
                      "<interface type='user'><target dev='vnet4'/></interface>"
                      "<interface type='user'><target dev='tap4'/></interface>"
                      "</devices></domain>";
    g_autoptr(CoreDomainDef) live = core_domain_def_parse_string(xml, 0, NULL);
    g_autoptr(CoreDomainDef) def =
        core_domain_def_parse_string(xml, CORE_DOMAIN_PARSE_INACTIVE, NULL);
    g_autofree char *out = core_domain_def_format(def, 0);

    g_assert_cmpint(live->id, ==, 3);
    g_assert_cmpint(def->id, ==, -1);
    g_assert_null(strstr(out, "vnet4"));
    g_assert_nonnull(strstr(out, "<target dev='tap4'/>"));
}

static void
test_defaults(void)
{
    const char *xml = "<domain type='test'><name>d</name><memory>1024</memory>"
                      "<os><type>hvm</type></os><devices><graphics type='vnc'/>"
                      "</devices></domain>";
    const CoreDomainDefaults defaults = {
        .arch = "i686",
        .video_model = "cirrus",
    };
    g_autoptr(CoreDomainDef) def = core_domain_def_parse_string(xml, 0, NULL);
    g_autofree char *out = NULL;

    g_assert_nonnull(def);
    core_domain_def_apply_defaults(def, &defaults);
    core_domain_def_apply_defaults(def, &defaults);
    g_assert_cmpstr(def->os_arch, ==, "i686");
    g_assert_null(def->os_machine);
    out = core_domain_def_format(def, 0);
    g_assert_nonnull(strstr(out, "<type arch='i686'>hvm</type>"));
    g_assert_nonnull(strstr(out, "<model type='cirrus' vram='16384' heads='1' primary='yes'/>"));
    g_assert_true(conf_golden_validate_rng("domain.rng", out));
}

static void
test_secure(void)
{
    const char *xml = "<domain type='test'><name>s</name><memory>1024</memory>"
                      "<os><type>hvm</type></os><devices>"
                      "<graphics type='vnc' passwd='secret'/></devices></domain>";
    g_autoptr(CoreDomainDef) def = core_domain_def_parse_string(xml, 0, NULL);
    g_autofree char *plain = core_domain_def_format(def, 0);
    g_autofree char *secure = core_domain_def_format(def, CORE_DOMAIN_XML_SECURE);

    g_assert_null(strstr(plain, "secret"));
    g_assert_nonnull(strstr(secure, "passwd='secret'"));
}

/* Device aliases are live data: kept from status XML only, formatted
 * between <boot> and <address> (or last), never in inactive XML. */
static void
test_aliases(void)
{
    const char *xml =
        "<domain type='qemu' id='2'><name>a</name><memory>1024</memory>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        "<disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/>"
        "<boot order='1'/><alias name='virtio-disk0'/>"
        "<address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/></disk>"
        "<controller type='pci' index='0' model='pci-root'><alias name='pci.0'/></controller>"
        "<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/>"
        "<alias name='net0'/></interface>"
        "<serial type='pty'><target port='0'/><alias name='serial0'/></serial>"
        "<console type='pty'><target type='serial' port='0'/><alias name='serial0'/></console>"
        "<input type='tablet' bus='usb'><alias name='input0'/></input>"
        "<video><model type='vga'/><alias name='video0'/></video>"
        "<watchdog model='i6300esb'><alias name='watchdog0'/></watchdog>"
        "<memballoon model='virtio'><alias name='balloon0'/></memballoon>"
        "<rng model='virtio'><backend model='random'/><alias name='rng0'/></rng>"
        "</devices></domain>";
    static const char *const expect[] = {
        "<boot order='1'/>\n      <alias name='virtio-disk0'/>\n      <address type='pci'",
        "<controller type='pci' index='0' model='pci-root'>\n      <alias name='pci.0'/>",
        "<model type='virtio'/>\n      <alias name='net0'/>\n    </interface>",
        "<target port='0'/>\n      <alias name='serial0'/>\n    </serial>",
        "<target type='serial' port='0'/>\n      <alias name='serial0'/>\n    </console>",
        "<alias name='input0'/>", "<alias name='video0'/>", "<alias name='watchdog0'/>",
        "<alias name='balloon0'/>", "<alias name='rng0'/>",
    };
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainDef) status =
        core_domain_def_parse_string(xml, CORE_DOMAIN_PARSE_STATUS, &err);
    g_autoptr(CoreDomainDef) plain = core_domain_def_parse_string(xml, 0, NULL);
    g_autoptr(CoreDomainDef) copy = NULL;
    g_autoptr(CoreDomainDef) again = NULL;
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    g_autofree char *user = NULL;
    g_autofree char *copied = NULL;
    g_autofree char *live2 = NULL;

    g_assert_no_error(err);
    live = core_domain_def_format(status, 0);
    for (guint i = 0; i < G_N_ELEMENTS(expect); i++) {
        if (!strstr(live, expect[i]))
            g_test_message("missing: %s\nin:\n%s", expect[i], live);
        g_assert_nonnull(strstr(live, expect[i]));
    }
    g_assert_true(conf_golden_validate_rng("domain.rng", live));
    again = core_domain_def_parse_string(live, CORE_DOMAIN_PARSE_STATUS, &err);
    g_assert_no_error(err);
    live2 = core_domain_def_format(again, 0);
    g_assert_cmpstr(live2, ==, live);
    copy = core_domain_def_copy(status);
    copied = core_domain_def_format(copy, 0);
    g_assert_cmpstr(copied, ==, live);
    inactive = core_domain_def_format(status, CORE_DOMAIN_XML_INACTIVE);
    g_assert_null(strstr(inactive, "<alias"));
    user = core_domain_def_format(plain, 0);
    g_assert_null(strstr(user, "<alias"));
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = NULL;

    g_test_init(&argc, &argv, NULL);
    cases = conf_golden_list_cases(KIND);
    for (guint i = 0; i < cases->len; i++) {
        const char *name = g_ptr_array_index(cases, i);
        g_autofree char *path = g_strdup_printf("/domain-xml2xml/%s", name);

        g_test_add_data_func(path, name, test_case);
    }
    g_test_add_func("/domain-xml2xml/orphans", test_orphans);
    g_test_add_func("/domain-xml2xml/generated", test_generated);
    g_test_add_func("/domain-xml2xml/defaults", test_defaults);
    g_test_add_func("/domain-xml2xml/parse-inactive", test_parse_inactive);
    g_test_add_func("/domain-xml2xml/secure", test_secure);
    g_test_add_func("/domain-xml2xml/aliases", test_aliases);
    return g_test_run();
}
