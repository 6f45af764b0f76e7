/* Integration test: a real guest changes its NIC's receive filter and our
 * monitor + rx-filter parser follow it.
 *
 * Boots the tiny guest (tests/tools/make-tiny-guest.sh -I -x) under TCG
 * with a virtio-net NIC on user networking, waits for BOOTED on the serial
 * socket, then has the guest change its MAC, join a multicast group and
 * turn on promiscuous mode. After each step it follows QEMU's protocol
 * (NIC_RX_FILTER_CHANGED, query-rx-filter to re-arm, maybe another event)
 * and checks the parsed filter and the diff. QEMU is killed on any exit.
 *
 * VIREO_TEST_REGENERATE=1 rewrites tests/data/qmp/rx-filter-*.json from
 * the replies seen here (the unit tests parse those).
 */
#include <errno.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "qemu-monitor.h"
#include "qemu-process-probe.h"
#include "qemu-rxfilter.h"

#define BOOT_TIMEOUT_S 90
#define EVENT_TIMEOUT_S 15
/* a second event within this time means the filter was still moving */
#define SETTLE_MS 400

#define GUEST_MAC "52:54:00:12:34:56"
#define NEW_MAC "52:54:00:aa:bb:cc"
#define GROUP_MAC "01:00:5e:01:02:03"

typedef struct {
    GMainContext *ctx;
    QemuProbeProcess *proc;
    QemuMonitor *mon;
    int serial_fd;
    GSource *serial_source;
    GString *serial_buf;
    GPtrArray *serial_lines;
    guint rx_events;
    char *last_event_json;
} Guest;

static void
on_event(QemuMonitor *mon, const char *name, json_object *data, gint64 ts, gpointer user_data)
{
    Guest *g = user_data;
    g_autoptr(GError) err = NULL;
    g_autofree char *nic = NULL;
    g_autofree char *path = NULL;

    if (!g_str_equal(name, "NIC_RX_FILTER_CHANGED"))
        return;
    g_assert_true(qemu_rxfilter_parse_event(data, &nic, &path, &err));
    g_assert_no_error(err);
    g_assert_cmpstr(nic, ==, "nic0");
    g_assert_cmpstr(path, ==, "/machine/peripheral/nic0/virtio-backend");
    g_free(g->last_event_json);
    g->last_event_json = g_strdup(json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN));
    g->rx_events++;
}

static gboolean
on_serial(int fd, GIOCondition cond, gpointer data)
{
    Guest *g = data;
    char buf[1024];
    ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    char *nl;

    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return G_SOURCE_CONTINUE;
        g_clear_pointer(&g->serial_source, g_source_unref);
        return G_SOURCE_REMOVE;
    }
    g_string_append_len(g->serial_buf, buf, n);
    while ((nl = strchr(g->serial_buf->str, '\n'))) {
        g_autofree char *line = g_strndup(g->serial_buf->str, (gsize)(nl - g->serial_buf->str));

        g_strchomp(line);
        if (g_test_verbose())
            g_test_message("SERIAL| %s", line);
        g_ptr_array_add(g->serial_lines, g_steal_pointer(&line));
        g_string_erase(g->serial_buf, 0, nl - g->serial_buf->str + 1);
    }
    return G_SOURCE_CONTINUE;
}

static gboolean
serial_has(Guest *g, const char *marker)
{
    for (guint i = 0; i < g->serial_lines->len; i++)
        if (strstr(g->serial_lines->pdata[i], marker))
            return TRUE;
    return FALSE;
}

/* Iterates until @marker shows on the serial console or @timeout_s. */
static gboolean
wait_serial(Guest *g, const char *marker, int timeout_s)
{
    gint64 end = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;

    while (!serial_has(g, marker)) {
        if (g_get_monotonic_time() > end)
            return FALSE;
        g_main_context_iteration(g->ctx, FALSE);
        g_usleep(1000);
    }
    return TRUE;
}

/* Iterates until the rx-filter event count exceeds @seen or @timeout_ms. */
static gboolean
wait_rx_event(Guest *g, guint seen, int timeout_ms)
{
    gint64 end = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    while (g->rx_events <= seen) {
        if (g_get_monotonic_time() > end)
            return FALSE;
        g_main_context_iteration(g->ctx, FALSE);
        g_usleep(1000);
    }
    return TRUE;
}

static void
guest_run(Guest *g, const char *line)
{
    g_autofree char *cmd = g_strdup_printf("%s\n", line);

    g_test_message("GUEST> %s", line);
    g_assert_cmpint(send(g->serial_fd, cmd, strlen(cmd), MSG_NOSIGNAL), ==, (ssize_t)strlen(cmd));
}

static void
regenerate(const char *name, json_object *reply)
{
    const char *root = g_getenv("VIREO_SOURCE_ROOT");
    g_autofree char *path = NULL;

    if (!g_getenv("VIREO_TEST_REGENERATE") || !root)
        return;
    path = g_build_filename(root, "tests", "data", "qmp", name, NULL);
    g_assert_true(g_file_set_contents(
        path,
        json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE),
        -1, NULL));
}

/* query-rx-filter for nic0 (which also re-arms the event), parsed. */
static QemuRxFilter *
query_filter(Guest *g, const char *record_as)
{
    g_autoptr(GError) err = NULL;
    json_object *args = json_object_new_object();
    g_autoptr(json_object) ret = NULL;
    g_autoptr(GPtrArray) filters = NULL;

    json_object_object_add(args, "name", json_object_new_string("nic0"));
    ret = qemu_monitor_command_sync(g->mon, "query-rx-filter", args, 5000, &err);
    g_assert_no_error(err);
    filters = qemu_rxfilter_parse_reply(ret, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(filters->len, ==, 1);
    if (record_as)
        regenerate(record_as, ret);
    return qemu_rxfilter_copy(filters->pdata[0]);
}

/* After a guest action: wait for the event, query, and keep querying while
 * further events come (one action may take several control commands). */
static QemuRxFilter *
settle(Guest *g, guint seen, const char *record_as)
{
    QemuRxFilter *f = NULL;

    g_assert_true(wait_rx_event(g, seen, EVENT_TIMEOUT_S * 1000));
    for (;;) {
        guint now = g->rx_events;

        if (f)
            qemu_rxfilter_free(f);
        f = query_filter(g, NULL);
        if (!wait_rx_event(g, now, SETTLE_MS))
            break;
    }
    if (record_as) {
        qemu_rxfilter_free(f);
        f = query_filter(g, record_as);
    }
    return f;
}

static char *
build_guest(char **kernel, char **initrd)
{
    const char *root = g_getenv("VIREO_SOURCE_ROOT");
    const char *build = g_getenv("VIREO_BUILD_ROOT");
    g_autofree char *script = NULL;
    g_autofree char *cache = NULL;
    g_autofree char *out = NULL;
    g_autofree char *errout = NULL;
    g_auto(GStrv) words = NULL;
    int status = 0;
    g_autoptr(GError) err = NULL;

    if (!root)
        return g_strdup("VIREO_SOURCE_ROOT is not set (run through meson test)");
    script = g_build_filename(root, "tests", "tools", "make-tiny-guest.sh", NULL);
    cache = build ? g_build_filename(build, "tiny-guest", NULL) : NULL;
    {
        const char *argv[] = { script, "-I", "-x", cache ? "-c" : NULL, cache, NULL };

        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &errout,
                          &status, &err))
            return g_strdup_printf("cannot run %s: %s", script, err->message);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
        return g_strdup_printf("no tiny guest: %s", g_strstrip(errout));
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    words = g_strsplit_set(g_strstrip(out), " \n", -1);
    for (guint i = 0; words[i]; i++) {
        if (g_str_has_prefix(words[i], "KERNEL="))
            *kernel = g_strdup(words[i] + 7);
        else if (g_str_has_prefix(words[i], "INITRD="))
            *initrd = g_strdup(words[i] + 7);
    }
    g_assert_nonnull(*kernel);
    g_assert_nonnull(*initrd);
    return NULL;
}

static void
guest_start(Guest *g, const char *qemu, const char *kernel, const char *initrd, const char *dir)
{
    g_autofree char *serial = g_build_filename(dir, "serial.sock", NULL);
    g_autofree char *chardev = g_strdup_printf("socket,id=ser0,path=%s,server=on,wait=off",
                                               serial);
    const char *args[] = {
        "-machine", "pc", "-accel", "tcg", "-m", "128", "-no-reboot",
        "-kernel", kernel, "-initrd", initrd,
        "-append", "console=ttyS0 panic=-1 quiet mitigations=off cryptomgr.notests "
                   "no_timer_check i8042.noaux i8042.nokbd tsc=reliable lpj=5000000 "
                   "8250.nr_uarts=1 tg.dhcp=0",
        "-chardev", chardev, "-serial", "chardev:ser0",
        "-netdev", "user,id=n0",
        "-device", "virtio-net-pci,netdev=n0,id=nic0,mac=" GUEST_MAC,
        NULL,
    };
    const QemuMonitorCallbacks cb = { .event = on_event };
    g_autoptr(GError) err = NULL;

    g->proc = qemu_probe_process_start(qemu, args, dir, g->ctx, &cb, g, 10000, &err);
    g_assert_no_error(err);
    g->mon = qemu_probe_process_get_monitor(g->proc);
    g->serial_fd = qemu_monitor_connect_unix(serial, 10000, qemu_probe_process_get_pid(g->proc),
                                             &err);
    g_assert_no_error(err);
    g->serial_source = g_unix_fd_source_new(g->serial_fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(g->serial_source, G_SOURCE_FUNC(on_serial), g, NULL);
    g_source_attach(g->serial_source, g->ctx);
    g_assert_true(qemu_monitor_wait_ready_sync(g->mon, 10000, &err));
}

static void
guest_cleanup(Guest *g, const char *dir)
{
    g_autofree char *serial = g_build_filename(dir, "serial.sock", NULL);
    g_autofree char *qmp = g_build_filename(dir, "qmp.sock", NULL);
    g_autofree char *log = g_build_filename(dir, "qemu.log", NULL);

    if (g->serial_source) {
        g_source_destroy(g->serial_source);
        g_clear_pointer(&g->serial_source, g_source_unref);
    }
    core_clear_fd(&g->serial_fd);
    g_clear_pointer(&g->proc, qemu_probe_process_free);
    g_unlink(serial);
    g_unlink(qmp);
    g_unlink(log);
    g_rmdir(dir);
}

static void
check_boot_filter(const QemuRxFilter *f)
{
    QemuMac mac, group;

    g_assert_cmpstr(f->name, ==, "nic0");
    g_assert_true(qemu_mac_parse(GUEST_MAC, &mac));
    g_assert_true(qemu_mac_equal(&f->main_mac, &mac));
    g_assert_false(f->promiscuous);
    g_assert_cmpint(f->unicast, ==, QEMU_RX_FILTER_MODE_NORMAL);
    g_assert_cmpint(f->multicast, ==, QEMU_RX_FILTER_MODE_NORMAL);
    /* eth0 up joined the all-hosts group */
    g_assert_true(qemu_mac_parse("01:00:5e:00:00:01", &group));
    g_assert_true(g_array_get_element_size(f->multicast_table) == sizeof(QemuMac));
    for (guint i = 0;; i++) {
        g_assert_cmpuint(i, <, f->multicast_table->len);
        if (qemu_mac_equal(&g_array_index(f->multicast_table, QemuMac, i), &group))
            break;
    }
}

static char *qemu;
static char *kernel;
static char *initrd;

static void
test_rxfilter_guest(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(QemuRxFilter) boot = NULL;
    g_autoptr(QemuRxFilter) mac = NULL;
    g_autoptr(QemuRxFilter) maddr = NULL;
    g_autoptr(QemuRxFilter) promisc = NULL;
    g_autoptr(QemuRxFilterDiff) diff = NULL;
    g_autofree char *text = NULL;
    Guest g = { .serial_fd = -1 };
    QemuMac expect;
    gint64 t0;

    dir = g_dir_make_tmp("vireo-rxf-XXXXXX", NULL);
    g.ctx = g_main_context_new();
    g.serial_buf = g_string_new(NULL);
    g.serial_lines = g_ptr_array_new_with_free_func(g_free);
    t0 = g_get_monotonic_time();
    guest_start(&g, qemu, kernel, initrd, dir);
    g_assert_true(wait_serial(&g, "TINYGUEST: BOOTED", BOOT_TIMEOUT_S));
    g_test_message("booted in %.2f s", (g_get_monotonic_time() - t0) / 1e6);

    /* eth0 going up at boot changes the filter once */
    boot = settle(&g, 0, "rx-filter-boot.json");
    check_boot_filter(boot);
    if (g.last_event_json) {
        g_autoptr(json_object) ev = json_tokener_parse(g.last_event_json);

        regenerate("rx-filter-event.json", ev);
    }

    guest_run(&g, "ip link set dev eth0 address " NEW_MAC);
    mac = settle(&g, g.rx_events, "rx-filter-mac.json");
    diff = qemu_rxfilter_diff(boot, mac);
    text = qemu_rxfilter_diff_format(diff);
    g_test_message("MAC change: %s", text);
    g_assert_true(diff->changes & QEMU_RX_FILTER_CHANGED_MAIN_MAC);
    g_assert_true(qemu_mac_parse(NEW_MAC, &expect));
    g_assert_true(qemu_mac_equal(&mac->main_mac, &expect));
    g_clear_pointer(&diff, qemu_rxfilter_diff_free);
    g_clear_pointer(&text, g_free);

    guest_run(&g, "ip2 maddr add " GROUP_MAC " dev eth0");
    maddr = settle(&g, g.rx_events, "rx-filter-maddr.json");
    diff = qemu_rxfilter_diff(mac, maddr);
    text = qemu_rxfilter_diff_format(diff);
    g_test_message("multicast join: %s", text);
    g_assert_true(diff->changes & QEMU_RX_FILTER_CHANGED_MULTICAST_TABLE);
    g_assert_false(diff->changes & QEMU_RX_FILTER_CHANGED_MAIN_MAC);
    g_assert_true(qemu_mac_parse(GROUP_MAC, &expect));
    g_assert_cmpuint(diff->multicast_added->len, ==, 1);
    g_assert_true(qemu_mac_equal(&g_array_index(diff->multicast_added, QemuMac, 0), &expect));
    g_assert_cmpuint(diff->multicast_removed->len, ==, 0);
    g_clear_pointer(&diff, qemu_rxfilter_diff_free);
    g_clear_pointer(&text, g_free);

    guest_run(&g, "ip link set eth0 promisc on");
    promisc = settle(&g, g.rx_events, "rx-filter-promisc.json");
    diff = qemu_rxfilter_diff(maddr, promisc);
    text = qemu_rxfilter_diff_format(diff);
    g_test_message("promiscuous: %s", text);
    g_assert_true(promisc->promiscuous);
    g_assert_true(diff->changes & QEMU_RX_FILTER_CHANGED_PROMISCUOUS);

    g_test_message("whole test %.2f s", (g_get_monotonic_time() - t0) / 1e6);
    guest_cleanup(&g, dir);
    g_string_free(g.serial_buf, TRUE);
    g_ptr_array_unref(g.serial_lines);
    g_free(g.last_event_json);
    g_main_context_unref(g.ctx);
}

int
main(int argc, char **argv)
{
    g_autofree char *skip = NULL;

    g_test_init(&argc, &argv, NULL);
    qemu = g_find_program_in_path("qemu-system-x86_64");
    if (!qemu)
        skip = g_strdup("qemu-system-x86_64 not installed (apt-get install qemu-system-x86)");
    else
        skip = build_guest(&kernel, &initrd);
    if (skip) {
        printf("1..0 # SKIP %s\n", skip);
        return 77;
    }
    g_test_add_func("/qemu/guest/rx-filter", test_rxfilter_guest);
    return g_test_run();
}
