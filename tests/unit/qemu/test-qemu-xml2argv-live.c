/* The golden command lines, run by the real qemu-system-x86_64 (TCG).
 *
 * For a set of tests/data/qemu-xml2argv cases the definition is built
 * with this host's probe of QEMU after pointing its files (disk images,
 * serial logs, sockets, kernel) at real temporary ones. QEMU must start,
 * answer on the QMP socket the command names, be paused by -S, and hold
 * every -device id and -blockdev node name of the command, run when let
 * go (cont); then it quits.
 * Skips (77) without QEMU. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "qemu-command.h"
#include "qemu-monitor.h"

#define KIND_DIR "qemu-xml2argv"

static char *qemu_binary;
static char *qemu_img;
static QemuCaps *caps;

/* Cases run by default: one or two per device class, all local (no
 * taps, no O_DIRECT on tmpfs, no peer behind a connecting socket). QEMU
 * takes most of a second to start here, so the rest of the local cases
 * run only with VIREO_TEST_ALL_LIVE=1. */
static const char *const live_cases[] = {
    "features", "smp-topology", "clock-timers", "kernel-boot", "boot-devs",
    "disk-virtio-qcow2", "disk-sata-q35", "disk-scsi", "serial-file-unix", "channel-qga",
    "graphics-vnc-socket", "input-usb-xhci", "watchdog-i6300esb", "rng-builtin-rate",
};

static const char *const more_live_cases[] = {
    "minimal", "minimal-q35", "machine-versioned", "feature-vmcoreinfo", "cpu-custom",
    "cpu-maximum", "smp-current", "clock-localtime", "clock-absolute", "on-reboot-destroy",
    "bootmenu", "bios-loader", "disk-virtio-raw", "disk-serial-shareable", "disk-ide",
    "disk-cdrom-empty", "disk-sata-pc", "disk-scsi-lsi", "disk-boot-order", "disk-pci-address",
    "net-user", "net-default-model", "serial-pty", "console-virtio", "graphics-vnc-autoport",
    "graphics-vnc-none", "video-none", "input-usb", "input-usb-q35", "usb-none",
    "watchdog-ib700", "memballoon", "rng-random", "name-comma",
};

static gboolean
make_image(const char *path, const char *format)
{
    g_autoptr(GError) err = NULL;
    int status = -1;

    if (g_str_equal(format, "raw")) {
        g_autoptr(GFile) f = g_file_new_for_path(path);
        g_autoptr(GFileOutputStream) out = g_file_replace(f, NULL, FALSE, G_FILE_CREATE_NONE,
                                                          NULL, &err);

        g_assert_no_error(err);
        g_assert_true(g_seekable_truncate(G_SEEKABLE(out), 1024 * 1024, NULL, &err));
        g_assert_no_error(err);
        return TRUE;
    }
    if (!qemu_img)
        return FALSE;
    {
        const char *argv[] = { qemu_img, "create", "-q", "-f", format, path, "1M", NULL };

        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                                   NULL, &status, &err));
        g_assert_no_error(err);
    }
    return status == 0;
}

static void
replace(char **field, char *value)
{
    g_free(*field);
    *field = value;
}

/* Points every file of @def into @dir. FALSE (with @why) if the host
 * lacks something the case needs. */
static gboolean
localize(CoreDomainDef *def, const char *dir, char **why)
{
    CoreDomainDefPriv *priv = core_domain_def_priv(def);

    for (guint i = 0; i < priv->disks->len; i++) {
        CoreDomainDiskDef *d = g_ptr_array_index(priv->disks, i);
        const char *fmt = d->driver_type ? d->driver_type : "raw";

        if (!d->source_path)
            continue;
        replace(&d->source_path, g_strdup_printf("%s/disk%u.img", dir, i));
        if (!make_image(d->source_path, fmt)) {
            *why = g_strdup_printf("cannot create a %s image (qemu-img missing?)", fmt);
            return FALSE;
        }
    }
    for (guint k = 0; k < 3; k++) {
        GPtrArray *list = k == 0 ? priv->serials : k == 1 ? priv->consoles : priv->channels;

        for (guint i = 0; i < list->len; i++) {
            CoreDomainChrDef *c = g_ptr_array_index(list, i);

            if (c->source_path)
                replace(&c->source_path, g_strdup_printf("%s/chr%u-%u", dir, k, i));
        }
    }
    if (priv->kernel) {
        g_autoptr(GDir) boot = g_dir_open("/boot", 0, NULL);
        const char *name;

        while (boot && (name = g_dir_read_name(boot)) && !g_str_has_prefix(name, "vmlinuz-"))
            ;
        if (!boot || !name) {
            *why = g_strdup("no kernel in /boot");
            return FALSE;
        }
        replace(&priv->kernel, g_build_filename("/boot", name, NULL));
        if (g_access(priv->kernel, R_OK) != 0) {
            *why = g_strdup_printf("%s is not readable", priv->kernel);
            return FALSE;
        }
        replace(&priv->initrd, g_strdup_printf("%s/initrd", dir));
        g_assert_true(g_file_set_contents(priv->initrd, "initrd", -1, NULL));
    }
    return TRUE;
}

/* Every "id" of -device and "node-name" of -blockdev in @argv. */
static void
collect_names(char **argv, GPtrArray *ids, GPtrArray *nodes)
{
    for (guint i = 1; argv[i] && argv[i + 1]; i++) {
        gboolean dev = g_str_equal(argv[i], "-device");
        g_autoptr(json_object) obj = NULL;
        json_object *v = NULL;

        if (!dev && !g_str_equal(argv[i], "-blockdev"))
            continue;
        obj = json_tokener_parse(argv[i + 1]);
        g_assert_nonnull(obj);
        if (json_object_object_get_ex(obj, dev ? "id" : "node-name", &v))
            g_ptr_array_add(dev ? ids : nodes, g_strdup(json_object_get_string(v)));
    }
}

static gboolean
list_has(json_object *list, const char *key, const char *value)
{
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *v = json_object_object_get(json_object_array_get_idx(list, i), key);

        if (v && g_strcmp0(json_object_get_string(v), value) == 0)
            return TRUE;
    }
    return FALSE;
}

static json_object *
qmp(QemuMonitor *mon, const char *command, const char *args)
{
    g_autoptr(GError) err = NULL;
    json_object *ret = qemu_monitor_command_sync(mon, command,
                                                 args ? json_tokener_parse(args) : NULL, 10000,
                                                 &err);

    g_assert_no_error(err);
    return ret;
}

/* QEMU runs paused and holds every device and node of the command. */
static void
check_running(QemuMonitor *mon, QemuCommand *cmd)
{
    g_autoptr(json_object) status = qmp(mon, "query-status", NULL);
    g_autoptr(json_object) devices = qmp(mon, "qom-list", "{\"path\": \"/machine/peripheral\"}");
    g_autoptr(json_object) nodes = qmp(mon, "query-named-block-nodes", NULL);
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *st = json_object_get_string(json_object_object_get(status, "status"));

    g_assert_true(g_str_equal(st, "prelaunch") || g_str_equal(st, "paused"));
    g_assert_false(json_object_get_boolean(json_object_object_get(status, "running")));
    collect_names(cmd->argv, ids, names);
    for (guint i = 0; i < ids->len; i++) {
        if (!list_has(devices, "name", ids->pdata[i]))
            g_error("device '%s' is not in QEMU's /machine/peripheral", (char *)ids->pdata[i]);
    }
    for (guint i = 0; i < names->len; i++) {
        if (!list_has(nodes, "node-name", names->pdata[i]))
            g_error("block node '%s' is not in QEMU", (char *)names->pdata[i]);
    }
}

/* One case's QEMU, started ahead of its check so that several start at
 * once (QEMU takes most of a second to come up, mostly waiting). */
typedef struct {
    const char *name;
    char *dir;
    char *log;
    char *skip;          /* why the case cannot run here, or NULL */
    QemuCommand *cmd;
    GSubprocess *proc;
} LiveCase;

#define LIVE_WINDOW 8

static LiveCase live[G_N_ELEMENTS(live_cases) + G_N_ELEMENTS(more_live_cases)];
static guint n_live;

static void
live_start(LiveCase *lc)
{
    g_autofree char *xml_path = g_strdup_printf("%s/tests/data/" KIND_DIR "/%s.xml",
                                                g_getenv("VIREO_SOURCE_ROOT"), lc->name);
    g_autofree char *xml = NULL;
    g_autofree char *mon_path = NULL, *key = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainDef) def = NULL;
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    QemuCommandPaths paths = { 0 };
    const CoreDomainDefaults defaults = {
        .arch = "x86_64", .machine = "pc", .video_model = "vga",
    };

    lc->dir = g_dir_make_tmp("vireo-argv-XXXXXX", &err);
    g_assert_no_error(err);
    lc->log = g_build_filename(lc->dir, "qemu.log", NULL);
    mon_path = g_build_filename(lc->dir, "monitor.sock", NULL);
    key = g_build_filename(lc->dir, "master-key.aes", NULL);
    paths = (QemuCommandPaths){
        .run_dir = lc->dir, .monitor_path = mon_path, .lib_dir = lc->dir,
        .log_path = lc->log, .master_key_path = key,
    };
    g_assert_true(g_file_get_contents(xml_path, &xml, NULL, NULL));
    def = core_domain_def_parse_string(xml, 0, &err);
    g_assert_no_error(err);
    core_domain_def_apply_defaults(def, &defaults);
    g_clear_pointer(&core_domain_def_priv(def)->emulator, g_free);
    if (!localize(def, lc->dir, &lc->skip))
        return;
    g_assert_true(g_file_set_contents(key, "0123456789abcdef0123456789abcdef", 32, NULL));
    lc->cmd = qemu_command_build(def, caps, &paths, QEMU_COMMAND_SANDBOX, &err);
    g_assert_no_error(err);
    launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE);
    g_subprocess_launcher_set_environ(launcher, lc->cmd->env);
    g_subprocess_launcher_set_stdout_file_path(launcher, lc->log);
    g_subprocess_launcher_set_stderr_file_path(launcher, lc->log);
    lc->proc = g_subprocess_launcher_spawnv(launcher, (const char *const *)lc->cmd->argv, &err);
    g_assert_no_error(err);
}

static void
live_cleanup(LiveCase *lc)
{
    g_autoptr(GDir) d = lc->dir ? g_dir_open(lc->dir, 0, NULL) : NULL;
    const char *f;

    if (lc->proc && !g_subprocess_get_identifier(lc->proc))
        g_clear_object(&lc->proc);
    if (lc->proc) {
        g_subprocess_force_exit(lc->proc);
        (void)g_subprocess_wait(lc->proc, NULL, NULL);
        g_clear_object(&lc->proc);
    }
    while (d && (f = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(lc->dir, f, NULL);

        (void)g_unlink(p);
    }
    if (lc->dir)
        (void)g_rmdir(lc->dir);
    g_clear_pointer(&lc->dir, g_free);
    g_clear_pointer(&lc->log, g_free);
    g_clear_pointer(&lc->skip, g_free);
    g_clear_pointer(&lc->cmd, qemu_command_free);
}

/* Connects to the case's QEMU, checks it, and makes it quit. */
static void
live_check(LiveCase *lc)
{
    g_autofree char *mon_path = g_build_filename(lc->dir, "monitor.sock", NULL);
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GMainContext) ctx = g_main_context_new();
    g_autoptr(json_object) ret = NULL;
    GPid pid = (GPid)g_ascii_strtoll(g_subprocess_get_identifier(lc->proc), NULL, 10);
    QemuMonitor *mon;
    int fd = qemu_monitor_connect_unix(mon_path, 20000, pid, &err);

    if (fd < 0) {
        g_file_get_contents(lc->log, &text, NULL, NULL);
        g_error("QEMU did not start for case '%s': %s\n%s", lc->name, err->message,
                text ? text : "");
    }
    mon = qemu_monitor_new(fd, ctx, NULL, NULL);
    g_assert_true(qemu_monitor_wait_ready_sync(mon, 10000, &err));
    check_running(mon, lc->cmd);
    /* and the machine runs once let go */
    g_clear_pointer(&ret, json_object_put);
    ret = qmp(mon, "cont", NULL);
    g_clear_pointer(&ret, json_object_put);
    ret = qmp(mon, "query-status", NULL);
    g_assert_cmpstr(json_object_get_string(json_object_object_get(ret, "status")), ==,
                    "running");
    g_clear_pointer(&ret, json_object_put);
    ret = qmp(mon, "quit", NULL);
    g_assert_true(g_subprocess_wait(lc->proc, NULL, &err));
    g_assert_true(g_subprocess_get_if_exited(lc->proc));
    g_assert_cmpint(g_subprocess_get_exit_status(lc->proc), ==, 0);
    g_clear_object(&lc->proc);
    qemu_monitor_close(mon);
    qemu_monitor_unref(mon);
    if (g_file_get_contents(lc->log, &text, NULL, NULL) && *text) {
        char *nl = strchr(text, '\n');

        if (nl)
            *nl = '\0';
        g_test_message("QEMU said (first line): %s", text);
    }
}

static void
test_case(gconstpointer data)
{
    guint index = GPOINTER_TO_UINT(data);
    LiveCase *lc = &live[index];

    for (guint i = index; i < n_live && i < index + LIVE_WINDOW; i++) {
        if (!live[i].dir)
            live_start(&live[i]);
    }
    if (lc->skip) {
        g_test_skip(lc->skip);
    } else {
        live_check(lc);
    }
    live_cleanup(lc);
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    qemu_binary = g_find_program_in_path("qemu-system-x86_64");
    if (!qemu_binary) {
        printf("1..0 # SKIP qemu-system-x86_64 not installed (apt-get install qemu-system-x86)\n");
        return 77;
    }
    qemu_img = g_find_program_in_path("qemu-img");
    caps = qemu_caps_probe(qemu_binary, &err);
    if (!caps) {
        printf("1..0 # SKIP cannot probe %s: %s\n", qemu_binary, err->message);
        return 77;
    }
    for (guint i = 0; i < G_N_ELEMENTS(live_cases); i++)
        live[n_live++].name = live_cases[i];
    for (guint i = 0; g_strcmp0(g_getenv("VIREO_TEST_ALL_LIVE"), "1") == 0 &&
                      i < G_N_ELEMENTS(more_live_cases); i++)
        live[n_live++].name = more_live_cases[i];
    for (guint i = 0; i < n_live; i++) {
        g_autofree char *path = g_strdup_printf("/qemu-xml2argv-live/%s", live[i].name);

        g_test_add_data_func(path, GUINT_TO_POINTER(i), test_case);
    }
    ret = g_test_run();
    for (guint i = 0; i < n_live; i++)
        live_cleanup(&live[i]);
    qemu_caps_unref(caps);
    g_free(qemu_binary);
    g_free(qemu_img);
    return ret;
}
