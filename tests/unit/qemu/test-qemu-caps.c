/* Unit tests for qemu-caps, qemu-caps-schema and qemu-caps-cache on the
 * recorded probe of QEMU 7.2 (tests/data/qmp/caps-x86_64.json). The cache
 * tests substitute the probe, so no QEMU runs here. */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "qemu-caps-cache.h"
#include "qemu-caps.h"

static json_object *
load_record(void)
{
    const char *root = g_getenv("VIREO_SOURCE_ROOT");
    g_autofree char *path = g_build_filename(root ? root : ".", "tests", "data", "qmp",
                                             "caps-x86_64.json", NULL);
    json_object *obj = json_object_from_file(path);

    g_assert_nonnull(obj);
    return obj;
}

static QemuCaps *
load_caps(void)
{
    g_autoptr(json_object) record = load_record();
    g_autoptr(GError) err = NULL;
    QemuCaps *caps = qemu_caps_new_from_record("/usr/bin/qemu-system-x86_64", record, &err);

    g_assert_no_error(err);
    return caps;
}

static void
test_accessors(void)
{
    g_autoptr(QemuCaps) caps = load_caps();
    const QemuCapsMachine *m;
    const QemuCapsCpuModel *c;
    GPtrArray *models;

    g_assert_cmpuint(qemu_caps_get_version(caps) / 1000, ==, 7002);
    g_assert_true(g_str_has_prefix(qemu_caps_get_package(caps), "Debian"));
    g_assert_cmpstr(qemu_caps_get_arch(caps), ==, "x86_64");
    g_assert_cmpstr(qemu_caps_get_binary(caps), ==, "/usr/bin/qemu-system-x86_64");

    g_assert_true(qemu_caps_has_command(caps, "query-rx-filter"));
    g_assert_true(qemu_caps_has_command(caps, "device_add"));
    g_assert_false(qemu_caps_has_command(caps, "query-rx-filters"));
    g_assert_true(qemu_caps_has_event(caps, "NIC_RX_FILTER_CHANGED"));
    g_assert_true(qemu_caps_has_event(caps, "SHUTDOWN"));
    g_assert_false(qemu_caps_has_event(caps, "query-status"));
    g_assert_true(qemu_caps_has_device(caps, "virtio-net-pci"));
    g_assert_true(qemu_caps_has_device(caps, "e1000"));
    g_assert_false(qemu_caps_has_device(caps, "virtio-net")); /* abstract or absent */
    g_assert_true(qemu_caps_device_props_known(caps, "virtio-blk-pci"));
    g_assert_true(qemu_caps_device_has_prop(caps, "virtio-net-pci", "mac"));
    g_assert_true(qemu_caps_device_has_prop(caps, "virtio-net-pci", "netdev"));
    g_assert_true(qemu_caps_device_has_prop(caps, "virtio-blk-pci", "drive"));
    g_assert_false(qemu_caps_device_has_prop(caps, "virtio-net-pci", "drive"));
    g_assert_false(qemu_caps_device_has_prop(caps, "not-probed", "x"));

    m = qemu_caps_find_machine(caps, "pc");
    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, "pc-i440fx-7.2");
    g_assert_cmpstr(m->alias, ==, "pc");
    g_assert_true(m->is_default);
    g_assert_cmpint(m->max_cpus, >, 1);
    g_assert_true(qemu_caps_get_default_machine(caps) == m);
    g_assert_cmpstr(qemu_caps_canonical_machine(caps, "q35"), ==, "pc-q35-7.2");
    g_assert_cmpstr(qemu_caps_canonical_machine(caps, "pc-q35-5.2"), ==, "pc-q35-5.2");
    g_assert_null(qemu_caps_canonical_machine(caps, "no-such-machine"));
    g_assert_nonnull(qemu_caps_find_machine(caps, "none"));
    g_assert_cmpuint(qemu_caps_get_machines(caps)->len, >, 20);

    models = qemu_caps_get_cpu_models(caps);
    for (guint i = 1; i < models->len; i++)
        g_assert_cmpint(strcmp(((QemuCapsCpuModel *)models->pdata[i - 1])->name,
                               ((QemuCapsCpuModel *)models->pdata[i])->name), <, 0);
    c = qemu_caps_find_cpu_model(caps, "qemu64");
    g_assert_nonnull(c);
    g_assert_cmpstr(c->type_name, ==, "qemu64-x86_64-cpu");
    g_assert_true(c->usable);
    c = qemu_caps_find_cpu_model(caps, "Skylake-Server");
    g_assert_nonnull(c);
    g_assert_false(c->usable); /* TCG lacks some of its features */
    g_assert_null(qemu_caps_find_cpu_model(caps, "no-such-cpu"));
    g_assert_null(qemu_caps_find_cpu_model(caps, ""));
}

static void
test_kvm(void)
{
    g_autoptr(json_object) record = load_record();
    json_object *replies = json_object_object_get(record, "replies");
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuCaps) tcg = NULL;
    g_autoptr(QemuCaps) kvm = NULL;
    g_autoptr(QemuCaps) nodev = NULL;
    g_autofree char *why = NULL;

    /* recorded without a usable /dev/kvm */
    tcg = qemu_caps_new_from_record("/q", record, &err);
    g_assert_no_error(err);
    g_assert_true(qemu_caps_kvm_present(tcg));
    g_assert_false(qemu_caps_kvm_usable(tcg));
    g_assert_true(qemu_caps_check_virt_type(tcg, "qemu", &err));
    g_assert_false(qemu_caps_check_virt_type(tcg, "kvm", &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_CONFIG_UNSUPPORTED);
    g_clear_error(&err);
    g_assert_false(qemu_caps_check_virt_type(tcg, "xen", &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_CONFIG_UNSUPPORTED);
    g_clear_error(&err);

    /* QEMU enabled KVM and /dev/kvm was usable: type='kvm' allowed */
    json_object_object_add(replies, "query-kvm",
                           json_tokener_parse("{\"enabled\": true, \"present\": true}"));
    json_object_object_add(record, "kvm-device", json_object_new_boolean(TRUE));
    kvm = qemu_caps_new_from_record("/q", record, &err);
    g_assert_no_error(err);
    g_assert_true(qemu_caps_kvm_usable(kvm));
    g_assert_true(qemu_caps_check_virt_type(kvm, "kvm", &err));

    /* enabled but the device was not usable: refused */
    json_object_object_add(record, "kvm-device", json_object_new_boolean(FALSE));
    nodev = qemu_caps_new_from_record("/q", record, &err);
    g_assert_false(qemu_caps_kvm_usable(nodev));
    g_assert_false(qemu_caps_check_virt_type(nodev, "kvm", &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_CONFIG_UNSUPPORTED);

    /* the device check itself: /dev/null is no KVM */
    g_setenv("VIREO_KVM_DEVICE", "/dev/null", TRUE);
    g_assert_false(qemu_caps_kvm_device_usable(&why));
    g_assert_nonnull(strstr(why, "/dev/null"));
    g_clear_pointer(&why, g_free);
    g_setenv("VIREO_KVM_DEVICE", "/nonexistent/kvm", TRUE);
    g_assert_false(qemu_caps_kvm_device_usable(&why));
    g_assert_nonnull(strstr(why, "cannot open"));
    g_unsetenv("VIREO_KVM_DEVICE");
}

static void
test_schema(void)
{
    g_autoptr(QemuCaps) caps = load_caps();
    QemuSchema *s = qemu_caps_get_schema(caps);
    g_autoptr(GError) err = NULL;
    g_autoptr(json_object) bad = json_tokener_parse("[{\"name\": \"x\"}]");
    g_autoptr(json_object) notarray = json_object_new_object();

    g_assert_cmpuint(qemu_schema_size(s), >, 1000);
    g_assert_true(qemu_schema_has_command(s, "query-rx-filter"));
    g_assert_false(qemu_schema_has_command(s, "NIC_RX_FILTER_CHANGED"));
    g_assert_true(qemu_schema_has_event(s, "NIC_RX_FILTER_CHANGED"));
    g_assert_true(qemu_schema_event_has_arg(s, "NIC_RX_FILTER_CHANGED", "path"));
    g_assert_false(qemu_schema_event_has_arg(s, "NIC_RX_FILTER_CHANGED", "mac"));

    g_assert_true(qemu_schema_command_has_arg(s, "query-rx-filter", "name"));
    g_assert_false(qemu_schema_command_has_arg(s, "query-rx-filter", "nam"));
    g_assert_false(qemu_schema_command_has_arg(s, "no-such-command", "name"));
    /* union variants are searched, and nested paths */
    g_assert_true(qemu_schema_command_has_arg(s, "blockdev-add", "discard"));
    g_assert_true(qemu_schema_command_has_arg(s, "blockdev-add", "filename"));
    g_assert_true(qemu_schema_command_has_arg(s, "blockdev-add", "cache/direct"));
    g_assert_false(qemu_schema_command_has_arg(s, "blockdev-add", "cache/nonsense"));
    g_assert_false(qemu_schema_command_has_arg(s, "blockdev-add", "cache/"));
    g_assert_true(qemu_schema_command_arg_has_value(s, "blockdev-add", "driver", "qcow2"));
    g_assert_true(qemu_schema_command_arg_has_value(s, "blockdev-add", "discard", "unmap"));
    g_assert_false(qemu_schema_command_arg_has_value(s, "blockdev-add", "driver", "qcow9"));
    g_assert_true(qemu_schema_command_arg_has_value(s, "netdev_add", "type", "user"));

    g_assert_true(qemu_schema_has_object_type(s, "memory-backend-file"));
    g_assert_true(qemu_schema_has_object_type(s, "rng-random"));
    g_assert_false(qemu_schema_has_object_type(s, "no-such-object"));
    g_assert_true(qemu_schema_object_type_has_prop(s, "memory-backend-file", "mem-path"));
    g_assert_true(qemu_schema_object_type_has_prop(s, "memory-backend-file", "size"));
    g_assert_true(qemu_schema_object_type_has_prop(s, "memory-backend-file", "id"));
    g_assert_false(qemu_schema_object_type_has_prop(s, "memory-backend-ram", "mem-path"));
    g_assert_true(qemu_schema_object_type_has_prop(s, "rng-random", "filename"));

    g_assert_null(qemu_schema_new(bad, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);
    g_assert_null(qemu_schema_new(notarray, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
}

/* Breaks one reply of the record; building caps must fail cleanly. */
static void
check_bad_record(const char *key, const char *json)
{
    g_autoptr(json_object) record = load_record();
    json_object *replies = json_object_object_get(record, "replies");
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuCaps) caps = NULL;

    if (json)
        json_object_object_add(replies, key, json_tokener_parse(json));
    else
        json_object_object_del(replies, key);
    caps = qemu_caps_new_from_record("/q", record, &err);
    if (caps)
        g_error("record with %s=%s accepted", key, json ? json : "(missing)");
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
}

static void
test_bad_record(void)
{
    static const char *const keys[] = {
        "query-version", "query-target", "query-kvm", "query-machines",
        "query-cpu-definitions", "query-commands", "qom-list-types", "query-qmp-schema",
        "device-list-properties",
    };
    g_autoptr(json_object) empty = json_object_new_object();
    g_autoptr(GError) err = NULL;

    for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
        check_bad_record(keys[i], NULL);
        check_bad_record(keys[i], "\"text\"");
    }
    check_bad_record("query-version", "{\"qemu\": {\"major\": 7, \"minor\": -1, \"micro\": 0}}");
    check_bad_record("query-version", "{\"qemu\": {\"major\": 7, \"minor\": 1000, \"micro\": 0}}");
    check_bad_record("query-target", "{\"arch\": \"\"}");
    check_bad_record("query-kvm", "{\"enabled\": 1, \"present\": true}");
    check_bad_record("query-machines", "[{\"alias\": \"pc\"}]");
    check_bad_record("query-cpu-definitions", "[{\"name\": 5}]");
    check_bad_record("query-commands", "[{\"name\": \"a\"}, {}]");
    check_bad_record("device-list-properties", "{\"virtio-net-pci\": {}}");
    check_bad_record("query-qmp-schema", "[{\"name\": \"x\"}]");
    g_assert_null(qemu_caps_new_from_record("/q", empty, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
}

/* ---- cache -------------------------------------------------------------------- */

typedef struct {
    int probes;
    gboolean fail;
    gboolean last_kvm;
} FakeProbe;

static json_object *
fake_probe(const char *binary, gboolean kvm_device, gpointer data, GError **error)
{
    FakeProbe *p = data;
    json_object *record;

    p->probes++;
    p->last_kvm = kvm_device;
    if (p->fail) {
        core_error_set_full(error, CORE_FROM_QEMU, CORE_ERR_INTERNAL_ERROR, "probe failed");
        return NULL;
    }
    record = load_record();
    json_object_object_add(record, "kvm-device", json_object_new_boolean(kvm_device));
    return record;
}

typedef struct {
    char *dir;
    char *cachedir;
    char *binary;
    QemuCapsCache *cache;
    FakeProbe probe;
} CacheFixture;

static void
cache_setup(CacheFixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("vireo-capscache-XXXXXX", NULL);
    f->cachedir = g_build_filename(f->dir, "cache", NULL);
    f->binary = g_build_filename(f->dir, "qemu-system-x86_64", NULL);
    g_assert_true(g_file_set_contents(f->binary, "#!/bin/false\n", -1, NULL));
    f->cache = qemu_caps_cache_new(f->cachedir);
    qemu_caps_cache_set_probe_func(f->cache, fake_probe, &f->probe);
    g_setenv("VIREO_KVM_DEVICE", "/dev/null", TRUE);
}

static void
cache_teardown(CacheFixture *f, gconstpointer data)
{
    g_autofree char *file = qemu_caps_cache_file_path(f->cache, f->binary);

    g_unsetenv("VIREO_KVM_DEVICE");
    g_unlink(file);
    g_rmdir(f->cachedir);
    g_unlink(f->binary);
    g_rmdir(f->dir);
    qemu_caps_cache_free(f->cache);
    g_free(f->binary);
    g_free(f->cachedir);
    g_free(f->dir);
}

static QemuCapsCacheSource
lookup(CacheFixture *f)
{
    g_autoptr(GError) err = NULL;
    QemuCapsCacheSource src = QEMU_CAPS_CACHE_MEMORY;
    g_autoptr(QemuCaps) caps = qemu_caps_cache_lookup(f->cache, f->binary, &src, &err);

    g_assert_no_error(err);
    g_assert_true(qemu_caps_has_device(caps, "virtio-net-pci"));
    g_assert_cmpstr(qemu_caps_get_binary(caps), ==, f->binary);
    return src;
}

static void
test_cache_hits(CacheFixture *f, gconstpointer data)
{
    g_autofree char *file = qemu_caps_cache_file_path(f->cache, f->binary);
    gint64 t0;
    double mem_ms;
    double disk_ms;

    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_PROBED);
    g_assert_cmpint(f->probe.probes, ==, 1);
    g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));

    t0 = g_get_monotonic_time();
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_MEMORY);
    mem_ms = (g_get_monotonic_time() - t0) / 1000.0;

    qemu_caps_cache_clear_memory(f->cache);
    t0 = g_get_monotonic_time();
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_DISK);
    disk_ms = (g_get_monotonic_time() - t0) / 1000.0;
    g_assert_cmpint(f->probe.probes, ==, 1);
    /* timings are reported, not asserted */
    g_test_message("warm lookup: memory %.3f ms, disk %.2f ms", mem_ms, disk_ms);
}

static void
test_cache_stale(CacheFixture *f, gconstpointer data)
{
    g_autofree char *file = qemu_caps_cache_file_path(f->cache, f->binary);
    g_autoptr(json_object) root = NULL;

    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_PROBED);

    /* the binary changed (size and mtime) */
    g_usleep(10000);
    g_assert_true(g_file_set_contents(f->binary, "#!/bin/false\n# new\n", -1, NULL));
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_PROBED);
    g_assert_cmpint(f->probe.probes, ==, 2);

    /* a corrupt file */
    qemu_caps_cache_clear_memory(f->cache);
    g_assert_true(g_file_set_contents(file, "{\"format\": 1, \"record\": {", -1, NULL));
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_PROBED);
    g_assert_cmpint(f->probe.probes, ==, 3);

    /* another format version */
    qemu_caps_cache_clear_memory(f->cache);
    root = json_object_from_file(file);
    g_assert_nonnull(root);
    json_object_object_add(root, "format", json_object_new_int(QEMU_CAPS_FORMAT_VERSION + 1));
    g_assert_cmpint(json_object_to_file(file, root), ==, 0);
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_PROBED);
    g_assert_cmpint(f->probe.probes, ==, 4);

    /* a valid key but a damaged record */
    qemu_caps_cache_clear_memory(f->cache);
    g_clear_pointer(&root, json_object_put);
    root = json_object_from_file(file);
    json_object_object_del(json_object_object_get(json_object_object_get(root, "record"),
                                                  "replies"),
                           "query-machines");
    g_assert_cmpint(json_object_to_file(file, root), ==, 0);
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_PROBED);
    g_assert_cmpint(f->probe.probes, ==, 5);

    /* /dev/kvm became usable (faked: a probe records the state) */
    qemu_caps_cache_clear_memory(f->cache);
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_DISK);
    g_clear_pointer(&root, json_object_put);
    root = json_object_from_file(file);
    json_object_object_add(json_object_object_get(root, "record"), "kvm-device",
                           json_object_new_boolean(TRUE));
    g_assert_cmpint(json_object_to_file(file, root), ==, 0);
    qemu_caps_cache_clear_memory(f->cache);
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_PROBED);
    g_assert_false(f->probe.last_kvm);
    g_assert_cmpint(f->probe.probes, ==, 6);
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_MEMORY);
}

static void
test_cache_errors(CacheFixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *missing = g_build_filename(f->dir, "absent", NULL);
    QemuCaps *caps;

    caps = qemu_caps_cache_lookup(f->cache, missing, NULL, &err);
    g_assert_null(caps);
    g_assert_error(err, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_clear_error(&err);
    caps = qemu_caps_cache_lookup(f->cache, f->dir, NULL, &err);
    g_assert_null(caps);
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);

    f->probe.fail = TRUE;
    caps = qemu_caps_cache_lookup(f->cache, f->binary, NULL, &err);
    g_assert_null(caps);
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);
    f->probe.fail = FALSE;
    g_assert_cmpint(lookup(f), ==, QEMU_CAPS_CACHE_PROBED);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu/caps/accessors", test_accessors);
    g_test_add_func("/qemu/caps/kvm", test_kvm);
    g_test_add_func("/qemu/caps/schema", test_schema);
    g_test_add_func("/qemu/caps/bad-record", test_bad_record);
    g_test_add("/qemu/caps/cache/hits", CacheFixture, NULL, cache_setup, test_cache_hits,
               cache_teardown);
    g_test_add("/qemu/caps/cache/stale", CacheFixture, NULL, cache_setup, test_cache_stale,
               cache_teardown);
    g_test_add("/qemu/caps/cache/errors", CacheFixture, NULL, cache_setup, test_cache_errors,
               cache_teardown);
    return g_test_run();
}
