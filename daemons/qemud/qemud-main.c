/* vireo-qemud: the QEMU driver daemon (qemu:///system, qemu:///session).
 *
 * Guests keep running when the daemon stops or dies; the next daemon
 * finds them again from their status files (qemu-process.h). */
#include "core-daemon.h"
#include "core-log.h"
#include "qemu-domain.h"
#include "qemu-driver.h"
#include "qemu-process.h"

CORE_LOG_INIT("qemud");

/* The cache sits beside the state: DIR/var/cache/vireo with --root. */
static char *
cache_dir_of(const CoreDaemonPaths *paths)
{
    if (paths->mode == CORE_DAEMON_MODE_ROOT)
        return g_build_filename(paths->root, "var", "cache", "vireo", NULL);
    if (paths->mode == CORE_DAEMON_MODE_SESSION)
        return g_build_filename(g_get_user_cache_dir(), "vireo", NULL);
    return g_strdup("/var/cache/vireo");
}

static gboolean
qemud_state_init(CoreDaemon *daemon, GError **error)
{
    const CoreDaemonPaths *paths = core_daemon_get_paths(daemon);
    g_autofree char *lib_dir = g_path_get_dirname(paths->state_dir);
    g_autofree char *cache_dir = cache_dir_of(paths);
    QemuDriver *driver;

    driver = qemu_driver_state_new(paths->config_dir, paths->run_dir, paths->log_dir, lib_dir,
                                   cache_dir, core_daemon_get_context(daemon), error);
    if (!driver)
        return FALSE;
    core_daemon_set_data(daemon, driver);
    return TRUE;
}

static void
qemud_state_autostart(CoreDaemon *daemon)
{
    qemu_process_autostart_all(core_daemon_get_data(daemon));
}

static void
qemud_state_cleanup(CoreDaemon *daemon)
{
    /* the guests stay: only our view of them goes */
    CORE_DEBUG("leaving the guests running");
}

static const CoreDriver *const qemud_drivers[] = { &qemu_driver, NULL };

static const CoreDaemonSpec qemud_spec = {
    .name = "qemud",
    .description = "Vireo QEMU daemon: runs QEMU guests (qemu:///system, qemu:///session).",
    .drivers = qemud_drivers,
    .state_init = qemud_state_init,
    .state_autostart = qemud_state_autostart,
    .state_cleanup = qemud_state_cleanup,
};

int
main(int argc, char **argv)
{
    return core_daemon_main(argc, argv, &qemud_spec);
}
