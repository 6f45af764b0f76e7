/* Golden tests of the QEMU command line: tests/data/qemu-xml2argv/NAME.xml
 * gives NAME.x86_64-7.2.args (the command, one option per line) or
 * NAME.err (code and message of the expected failure), built with the
 * recorded probe of QEMU 7.2 (tests/data/qmp/caps-x86_64.json), fixed
 * paths under /run/vireo-test and fixed fds. Cases named kvm-* use the
 * same caps with KVM usable. CORE_TEST_REGENERATE=1 rewrites the
 * expected files. No QEMU runs here (see test-qemu-xml2argv-live.c). */
#include <glib/gstdio.h>
#include <string.h>

#include "conf-golden.h"
#include "core-autoptr.h"
#include "core-error.h"
#include "qemu-command-priv.h"
#include "qemu-command.h"

#define KIND "qemu-xml2argv"
#define ARGS_SUFFIX ".x86_64-7.2.args"
#define BINARY "/usr/bin/qemu-system-x86_64"

static QemuCaps *caps_tcg;
static QemuCaps *caps_kvm;
static const int test_fds[] = { 100, 101, 102, 103 };

static QemuCaps *
load_caps(gboolean kvm)
{
    g_autofree char *path = g_build_filename(g_getenv("VIREO_SOURCE_ROOT"), "tests", "data",
                                             "qmp", "caps-x86_64.json", NULL);
    g_autoptr(json_object) record = json_object_from_file(path);
    g_autoptr(GError) err = NULL;
    QemuCaps *caps;

    g_assert_nonnull(record);
    if (kvm) {
        json_object *replies = json_object_object_get(record, "replies");

        json_object_object_add(replies, "query-kvm",
                               json_tokener_parse("{\"enabled\": true, \"present\": true}"));
        json_object_object_add(record, "kvm-device", json_object_new_boolean(TRUE));
    }
    caps = qemu_caps_new_from_record(BINARY, record, &err);
    g_assert_no_error(err);
    return caps;
}

static QemuCommand *
build_case(const char *name, GError **error)
{
    g_autofree char *xml_path = conf_golden_path(KIND, name);
    g_autofree char *xml_file = g_strconcat(xml_path, ".xml", NULL);
    g_autofree char *xml = NULL;
    g_autoptr(CoreDomainDef) def = NULL;
    g_autofree char *run = g_strdup_printf("/run/vireo-test/qemu/%s", name);
    g_autofree char *mon = g_strdup_printf("%s/monitor.sock", run);
    g_autofree char *log = g_strdup_printf("/run/vireo-test/log/%s.log", name);
    g_autofree char *lib = g_strdup_printf("/run/vireo-test/lib/%s", name);
    g_autofree char *key = g_strdup_printf("%s/master-key.aes", lib);
    const CoreDomainDefaults defaults = {
        .arch = "x86_64", .machine = "pc", .emulator = BINARY, .video_model = "vga",
    };
    const QemuCommandPaths paths = {
        .run_dir = run, .monitor_path = mon, .log_path = log, .lib_dir = lib,
        .master_key_path = key, .net_fds = test_fds, .n_net_fds = G_N_ELEMENTS(test_fds),
    };

    g_assert_true(g_file_get_contents(xml_file, &xml, NULL, NULL));
    if (!(def = core_domain_def_parse_string(xml, 0, error)))
        return NULL;
    core_domain_def_apply_defaults(def, &defaults);
    return qemu_command_build(def, g_str_has_prefix(name, "kvm-") ? caps_kvm : caps_tcg, &paths,
                              QEMU_COMMAND_SANDBOX, error);
}

static void
test_case(gconstpointer data)
{
    const char *name = data;
    g_autofree char *base = conf_golden_path(KIND, name);
    g_autofree char *args_path = g_strconcat(base, ARGS_SUFFIX, NULL);
    g_autofree char *err_path = g_strconcat(base, ".err", NULL);
    gboolean regen = g_strcmp0(g_getenv("CORE_TEST_REGENERATE"), "1") == 0;
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuCommand) cmd = build_case(name, &err);

    if (regen)
        (void)g_unlink(cmd ? err_path : args_path);
    if (!cmd) {
        if (!regen && !g_file_test(err_path, G_FILE_TEST_EXISTS))
            g_error("case '%s' failed unexpectedly: %s", name, err->message);
        g_assert_error(err, CORE_ERROR, err->code);
        g_assert_true(conf_golden_compare_error(err_path, err));
    } else {
        g_autofree char *text = qemu_command_to_string(cmd);

        if (!regen && g_file_test(err_path, G_FILE_TEST_EXISTS))
            g_error("case '%s' should fail (%s) but built", name, err_path);
        g_assert_true(conf_golden_compare(args_path, text));
    }
}

/* Every file belongs to a case: NAME.xml with exactly one of
 * NAME.x86_64-7.2.args and NAME.err. */
static void
test_orphans(void)
{
    g_autofree char *dir = conf_golden_path(KIND, "");
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) cases = conf_golden_list_cases(KIND);
    const char *file;
    guint n_err = 0;

    g_assert_nonnull(d);
    while ((file = g_dir_read_name(d))) {
        g_autofree char *stem = NULL;
        g_autofree char *xml = NULL;

        if (g_str_has_suffix(file, ARGS_SUFFIX))
            stem = g_strndup(file, strlen(file) - strlen(ARGS_SUFFIX));
        else if (g_str_has_suffix(file, ".err"))
            stem = g_strndup(file, strlen(file) - 4);
        else if (g_str_has_suffix(file, ".xml") && !g_str_has_suffix(file, ".out.xml"))
            continue;
        if (!stem)
            g_error("orphan file in tests/data/" KIND ": %s", file);
        xml = g_strdup_printf("%s/%s.xml", dir, stem);
        if (!g_file_test(xml, G_FILE_TEST_EXISTS))
            g_error("orphan file in tests/data/" KIND ": %s", file);
        n_err += g_str_has_suffix(file, ".err");
    }
    for (guint i = 0; i < cases->len; i++) {
        g_autofree char *a = g_strdup_printf("%s/%s" ARGS_SUFFIX, dir,
                                             (char *)cases->pdata[i]);
        g_autofree char *e = g_strdup_printf("%s/%s.err", dir, (char *)cases->pdata[i]);

        if (g_file_test(a, G_FILE_TEST_EXISTS) == g_file_test(e, G_FILE_TEST_EXISTS) &&
            g_strcmp0(g_getenv("CORE_TEST_REGENERATE"), "1") != 0)
            g_error("case '%s' needs exactly one of .args and .err",
                    (char *)cases->pdata[i]);
    }
    g_assert_cmpuint(cases->len, >=, 40);
    g_assert_cmpuint(n_err, >=, 8);
}

static void
test_to_string(void)
{
    char *argv[] = { "/usr/bin/qemu", "-name", "guest=a b", "-S", "-append", "it's",
                     "-device", "{\"driver\":\"x\"}", "-no-shutdown", NULL };
    char *env[] = { "LC_ALL=C", "HOME=/a b", NULL };
    QemuCommand cmd = { .argv = argv, .env = env };
    g_autofree char *s = qemu_command_to_string(&cmd);

    g_assert_cmpstr(s, ==,
                    "LC_ALL=C \\\nHOME='/a b' \\\n/usr/bin/qemu \\\n-name 'guest=a b' \\\n"
                    "-S \\\n-append 'it'\\''s' \\\n-device '{\"driver\":\"x\"}' \\\n"
                    "-no-shutdown\n");
}

/* What the paths and fds must give, outside the golden cases. */
static void
test_paths(void)
{
    const char *xml = "<domain type='qemu'><name>p</name><memory>65536</memory><vcpu>1</vcpu>"
                      "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                      "<interface type='bridge'><source bridge='br0'/></interface>"
                      "</devices></domain>";
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainDef) def = core_domain_def_parse_string(xml, 0, &err);
    QemuCommandPaths paths = { .run_dir = "/r", .monitor_path = "/r/m", .lib_dir = "/l" };
    g_autoptr(QemuCommand) cmd = NULL;
    const int fds[] = { 7 };

    g_assert_no_error(err);
    g_assert_null(qemu_command_build(def, caps_tcg, &paths, 0, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);
    paths.net_fds = fds;
    paths.n_net_fds = 1;
    paths.lib_dir = "relative";
    g_assert_null(qemu_command_build(def, caps_tcg, &paths, 0, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);
    paths.lib_dir = "/l";
    cmd = qemu_command_build(def, caps_tcg, &paths, 0, &err);
    g_assert_no_error(err);
    g_assert_true(g_strv_contains((const char *const *)cmd->argv,
                                  "{\"type\":\"tap\",\"fd\":\"7\",\"id\":\"hostnet0\"}"));
    g_assert_true(g_strv_contains((const char *const *)cmd->env, "HOME=/l"));
    /* no sandbox without the flag */
    g_assert_false(g_strv_contains((const char *const *)cmd->argv, "-sandbox"));
}

/* Devices and their properties are checked against the probed ones. */
static void
test_device_check(void)
{
    QemuCmd cmd = { .caps = caps_tcg, .args = g_ptr_array_new_with_free_func(g_free) };
    g_autoptr(GError) err = NULL;
    json_object *dev;

    g_assert_null(qemu_cmd_device_new(&cmd, "no-such-device", &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_CONFIG_UNSUPPORTED);
    g_assert_cmpstr(err->message, ==, "unsupported configuration: this QEMU binary does not "
                                      "support device 'no-such-device'");
    g_clear_error(&err);

    dev = qemu_cmd_device_new(&cmd, "virtio-net-pci", &err);
    g_assert_no_error(err);
    qemu_json_str(dev, "drive", "x");
    g_assert_false(qemu_cmd_device_add(&cmd, dev, "net0", NULL, 0, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(err->message, "property 'drive' of device 'virtio-net-pci'"));
    g_clear_error(&err);
    g_assert_cmpuint(cmd.args->len, ==, 0);

    dev = qemu_cmd_device_new(&cmd, "virtio-net-pci", &err);
    qemu_json_str(dev, "mac", "52:54:00:00:00:01");
    g_assert_true(qemu_cmd_device_add(&cmd, dev, "net0", NULL, 3, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(cmd.args->len, ==, 2);
    g_assert_cmpstr(cmd.args->pdata[1], ==, "{\"driver\":\"virtio-net-pci\","
                    "\"mac\":\"52:54:00:00:00:01\",\"id\":\"net0\",\"bootindex\":3}");
    g_ptr_array_unref(cmd.args);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    caps_tcg = load_caps(FALSE);
    caps_kvm = load_caps(TRUE);
    cases = conf_golden_list_cases(KIND);
    g_test_add_func("/qemu-xml2argv/to-string", test_to_string);
    g_test_add_func("/qemu-xml2argv/paths", test_paths);
    g_test_add_func("/qemu-xml2argv/device-check", test_device_check);
    for (guint i = 0; i < cases->len; i++) {
        g_autofree char *path = g_strdup_printf("/qemu-xml2argv/case/%s",
                                                (char *)cases->pdata[i]);

        g_test_add_data_func(path, cases->pdata[i], test_case);
    }
    /* after the cases, so that a regeneration has written their files */
    g_test_add_func("/qemu-xml2argv/data/orphans", test_orphans);
    ret = g_test_run();
    qemu_caps_unref(caps_tcg);
    qemu_caps_unref(caps_kvm);
    return ret;
}
