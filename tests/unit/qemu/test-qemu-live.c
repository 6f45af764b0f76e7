/* Integration tests against the real qemu-system-x86_64 (-machine none,
 * TCG): the QMP monitor, the capability probe and the disk cache.
 *
 * VIREO_TEST_REGENERATE=1 also rewrites tests/data/qmp/caps-x86_64.json
 * from the probe (the record the unit tests use).
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "qemu-caps-cache.h"
#include "qemu-caps.h"
#include "qemu-process-probe.h"

static char *qemu_binary;

typedef struct {
    GPtrArray *events;
    gboolean closed;
    gboolean closed_clean;
} Seen;

static void
on_event(QemuMonitor *mon, const char *name, json_object *data, gint64 ts, gpointer user_data)
{
    Seen *s = user_data;

    g_assert_cmpint(ts, >, 0);
    g_ptr_array_add(s->events, g_strdup(name));
}

static void
on_closed(QemuMonitor *mon, const GError *error, gpointer user_data)
{
    Seen *s = user_data;

    s->closed = TRUE;
    s->closed_clean = error == NULL;
}

static gboolean
has_event(Seen *s, const char *name)
{
    for (guint i = 0; i < s->events->len; i++)
        if (g_str_equal(s->events->pdata[i], name))
            return TRUE;
    return FALSE;
}

typedef struct {
    QemuMonitor *mon;
    GMainLoop *loop;
    char *status;
} Worker;

static gpointer
worker_main(gpointer data)
{
    Worker *w = data;
    g_autoptr(GError) err = NULL;
    g_autoptr(json_object) ret = qemu_monitor_command_sync(w->mon, "query-status", NULL, 5000,
                                                           &err);
    json_object *v = NULL;

    g_assert_no_error(err);
    g_assert_true(json_object_object_get_ex(ret, "status", &v));
    w->status = g_strdup(json_object_get_string(v));
    g_main_loop_quit(w->loop);
    return NULL;
}

static void
test_monitor(void)
{
    const char *const args[] = { "-machine", "none", "-accel", "tcg", NULL };
    const QemuMonitorCallbacks cb = { .event = on_event, .closed = on_closed };
    g_autoptr(GMainContext) ctx = g_main_context_new();
    Seen seen = { .events = g_ptr_array_new_with_free_func(g_free) };
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuProbeProcess) proc = NULL;
    g_autoptr(json_object) ret = NULL;
    QemuMonitor *mon;
    Worker w = { 0 };
    GThread *thread;
    int major = 0, status = -1;
    gint64 t0 = g_get_monotonic_time();

    proc = qemu_probe_process_start(qemu_binary, args, NULL, ctx, &cb, &seen, 10000, &err);
    g_assert_no_error(err);
    mon = qemu_probe_process_get_monitor(proc);
    g_assert_true(qemu_monitor_wait_ready_sync(mon, 10000, &err));
    g_test_message("QEMU started and QMP ready in %.1f ms",
                   (g_get_monotonic_time() - t0) / 1000.0);
    g_assert_true(qemu_monitor_get_version(mon, &major, NULL, NULL, NULL));
    g_assert_cmpint(major, >=, 7);

    /* an event interleaved with the reply that caused it */
    ret = qemu_monitor_command_sync(mon, "stop", NULL, 5000, &err);
    g_assert_no_error(err);
    g_clear_pointer(&ret, json_object_put);
    while (g_main_context_iteration(ctx, FALSE))
        ;
    g_assert_true(has_event(&seen, "STOP"));

    g_assert_null(qemu_monitor_command_sync(mon, "query-no-such-thing", NULL, 5000, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(qemu_monitor_error_class(err), ==, "CommandNotFound");
    g_clear_error(&err);

    /* a worker thread blocks while the main thread runs the loop */
    w.mon = mon;
    w.loop = g_main_loop_new(ctx, FALSE);
    thread = g_thread_new("worker", worker_main, &w);
    g_main_loop_run(w.loop);
    g_thread_join(thread);
    g_assert_cmpstr(w.status, ==, "paused");
    g_free(w.status);
    g_main_loop_unref(w.loop);

    /* quit: SHUTDOWN, then a clean EOF, then QEMU exits 0 */
    ret = qemu_monitor_command_sync(mon, "quit", NULL, 5000, &err);
    g_assert_no_error(err);
    while (!seen.closed)
        g_main_context_iteration(ctx, TRUE);
    g_assert_true(seen.closed_clean);
    g_assert_true(has_event(&seen, "SHUTDOWN"));
    g_assert_true(qemu_probe_process_wait(proc, 5000, &status));
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    g_ptr_array_unref(seen.events);
}

static void
test_bad_binary(void)
{
    const char *const args[] = { "-machine", "no-such-machine", NULL };
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuProbeProcess) proc = NULL;

    /* QEMU exits at once: the error says so and quotes its stderr */
    proc = qemu_probe_process_start(qemu_binary, args, NULL, NULL, NULL, NULL, 10000, &err);
    g_assert_null(proc);
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_test_message("%s", err->message);
    g_assert_nonnull(strstr(err->message, "unsupported machine type"));
    g_assert_null(strstr(err->message, "operation failed"));
    g_clear_error(&err);

    g_assert_null(qemu_caps_probe("/nonexistent/qemu", &err));
    g_assert_nonnull(err);
}

static void
maybe_regenerate(QemuCaps *caps)
{
    const char *root = g_getenv("VIREO_SOURCE_ROOT");
    g_autofree char *path = NULL;
    g_autoptr(GError) err = NULL;
    const char *text;

    if (!g_getenv("VIREO_TEST_REGENERATE") || !root)
        return;
    path = g_build_filename(root, "tests", "data", "qmp", "caps-x86_64.json", NULL);
    text = json_object_to_json_string_ext(qemu_caps_get_record(caps),
                                          JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                              JSON_C_TO_STRING_NOSLASHESCAPE);
    g_assert_true(g_file_set_contents(path, text, -1, &err));
    g_test_message("wrote %s", path);
}

static void
test_caps_probe(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuCaps) caps = NULL;
    const QemuCapsMachine *pc;
    const QemuCapsCpuModel *cpu;
    gint64 t0 = g_get_monotonic_time();

    caps = qemu_caps_probe(qemu_binary, &err);
    g_assert_no_error(err);
    g_test_message("cold probe: %.1f ms", (g_get_monotonic_time() - t0) / 1000.0);
    maybe_regenerate(caps);

    g_assert_cmpuint(qemu_caps_get_version(caps), >=, 7000000);
    g_assert_cmpstr(qemu_caps_get_arch(caps), ==, "x86_64");
    g_assert_true(qemu_caps_has_command(caps, "query-rx-filter"));
    g_assert_true(qemu_caps_has_command(caps, "blockdev-add"));
    g_assert_false(qemu_caps_has_command(caps, "no-such-command"));
    g_assert_true(qemu_caps_has_event(caps, "NIC_RX_FILTER_CHANGED"));
    g_assert_true(qemu_caps_has_device(caps, "virtio-net-pci"));
    g_assert_true(qemu_caps_device_has_prop(caps, "virtio-net-pci", "mac"));
    g_assert_false(qemu_caps_device_has_prop(caps, "virtio-net-pci", "no-such-prop"));
    pc = qemu_caps_find_machine(caps, "pc");
    g_assert_nonnull(pc);
    g_assert_true(g_str_has_prefix(pc->name, "pc-i440fx-"));
    g_assert_nonnull(qemu_caps_find_machine(caps, "q35"));
    g_assert_nonnull(qemu_caps_get_default_machine(caps));
    cpu = qemu_caps_find_cpu_model(caps, "qemu64");
    g_assert_nonnull(cpu);
    g_assert_true(cpu->usable);
    g_assert_true(qemu_caps_check_virt_type(caps, "qemu", &err));
    g_assert_true(qemu_schema_command_has_arg(qemu_caps_get_schema(caps), "blockdev-add",
                                              "discard"));
    g_assert_true(qemu_schema_object_type_has_prop(qemu_caps_get_schema(caps),
                                                   "memory-backend-file", "mem-path"));
    /* KVM: whatever this host has, caps and /dev/kvm must agree */
    if (!qemu_caps_kvm_device_usable(NULL)) {
        g_assert_false(qemu_caps_kvm_usable(caps));
        g_assert_false(qemu_caps_check_virt_type(caps, "kvm", &err));
        g_assert_error(err, CORE_ERROR, CORE_ERR_CONFIG_UNSUPPORTED);
        g_test_message("KVM not usable here: %s", err->message);
    }
}

static void
test_caps_cache(void)
{
    g_autofree char *dir = g_dir_make_tmp("vireo-caps-XXXXXX", NULL);
    g_autofree char *cachedir = g_build_filename(dir, "cache", NULL);
    g_autofree char *wrapper = g_build_filename(dir, "qemu-wrapper", NULL);
    g_autofree char *script = g_strdup_printf("#!/bin/sh\nexec %s \"$@\"\n", qemu_binary);
    g_autofree char *file = NULL;
    g_autoptr(QemuCapsCache) cache = qemu_caps_cache_new(cachedir);
    g_autoptr(GError) err = NULL;
    QemuCapsCacheSource src;
    QemuCaps *caps;
    gint64 t0;

    t0 = g_get_monotonic_time();
    caps = qemu_caps_cache_lookup(cache, qemu_binary, &src, &err);
    g_assert_no_error(err);
    g_assert_cmpint(src, ==, QEMU_CAPS_CACHE_PROBED);
    g_test_message("cold lookup (probe): %.1f ms", (g_get_monotonic_time() - t0) / 1000.0);
    qemu_caps_unref(caps);

    t0 = g_get_monotonic_time();
    caps = qemu_caps_cache_lookup(cache, qemu_binary, &src, &err);
    g_assert_cmpint(src, ==, QEMU_CAPS_CACHE_MEMORY);
    g_test_message("warm lookup (memory): %.3f ms", (g_get_monotonic_time() - t0) / 1000.0);
    qemu_caps_unref(caps);

    /* a new daemon: the file answers */
    qemu_caps_cache_clear_memory(cache);
    t0 = g_get_monotonic_time();
    caps = qemu_caps_cache_lookup(cache, qemu_binary, &src, &err);
    g_assert_no_error(err);
    g_assert_cmpint(src, ==, QEMU_CAPS_CACHE_DISK);
    g_test_message("warm lookup (disk): %.1f ms", (g_get_monotonic_time() - t0) / 1000.0);
    g_assert_true(qemu_caps_has_device(caps, "virtio-net-pci"));
    qemu_caps_unref(caps);

    /* a changed binary is probed again */
    g_assert_true(g_file_set_contents(wrapper, script, -1, NULL));
    g_assert_cmpint(g_chmod(wrapper, 0755), ==, 0);
    caps = qemu_caps_cache_lookup(cache, wrapper, &src, &err);
    g_assert_no_error(err);
    g_assert_cmpint(src, ==, QEMU_CAPS_CACHE_PROBED);
    qemu_caps_unref(caps);
    g_usleep(20000);
    g_assert_true(g_file_set_contents(wrapper, script, -1, NULL)); /* new mtime and inode */
    g_assert_cmpint(g_chmod(wrapper, 0755), ==, 0);
    caps = qemu_caps_cache_lookup(cache, wrapper, &src, &err);
    g_assert_no_error(err);
    g_assert_cmpint(src, ==, QEMU_CAPS_CACHE_PROBED);
    qemu_caps_unref(caps);

    file = qemu_caps_cache_file_path(cache, qemu_binary);
    g_unlink(file);
    g_free(file);
    file = qemu_caps_cache_file_path(cache, wrapper);
    g_unlink(file);
    g_rmdir(cachedir);
    g_unlink(wrapper);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_binary = g_find_program_in_path("qemu-system-x86_64");
    if (!qemu_binary) {
        printf("1..0 # SKIP qemu-system-x86_64 not installed (apt-get install qemu-system-x86)\n");
        return 77;
    }
    g_test_add_func("/qemu/live/monitor", test_monitor);
    g_test_add_func("/qemu/live/bad-binary", test_bad_binary);
    g_test_add_func("/qemu/live/caps-probe", test_caps_probe);
    g_test_add_func("/qemu/live/caps-cache", test_caps_cache);
    return g_test_run();
}
