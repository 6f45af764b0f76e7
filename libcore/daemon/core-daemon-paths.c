/* core-daemon-paths: see core-daemon-paths.h. */
#include "core-daemon-paths.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_CONF

static const char *const sock_suffix[CORE_DAEMON_SOCK_LAST] = {
    [CORE_DAEMON_SOCK_RW] = "-sock",
    [CORE_DAEMON_SOCK_RO] = "-sock-ro",
    [CORE_DAEMON_SOCK_ADMIN] = "-admin-sock",
};

void
core_daemon_paths_free(CoreDaemonPaths *paths)
{
    if (!paths)
        return;
    g_free(paths->name);
    g_free(paths->root);
    g_free(paths->run_dir);
    g_free(paths->config_dir);
    g_free(paths->config_file);
    g_free(paths->state_dir);
    g_free(paths->log_dir);
    g_free(paths->pidfile);
    for (int i = 0; i < CORE_DAEMON_SOCK_LAST; i++)
        g_free(paths->sockets[i]);
    g_free(paths->libvirt_dir);
    g_free(paths);
}

static gboolean
set_root_dirs(CoreDaemonPaths *p, const char *root, GError **error)
{
    g_autofree char *abs = NULL;

    if (!root || !*root)
        return core_error_set(error, CORE_ERR_INVALID_ARG, "--root needs a directory");
    abs = g_canonicalize_filename(root, NULL);
    if (strcmp(abs, "/") == 0)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "--root '/' is not allowed: omit --root for a system daemon");
    p->root = g_steal_pointer(&abs);
    p->run_dir = g_build_filename(p->root, "run", "vireo", NULL);
    p->config_dir = g_build_filename(p->root, "etc", "vireo", NULL);
    p->state_dir = g_build_filename(p->root, "var", "lib", "vireo", p->name, NULL);
    p->log_dir = g_build_filename(p->root, "var", "log", "vireo", NULL);
    p->libvirt_dir = g_build_filename(p->root, "run", "libvirt", NULL);
    return TRUE;
}

static void
set_session_dirs(CoreDaemonPaths *p)
{
    p->run_dir = g_build_filename(g_get_user_runtime_dir(), "vireo", NULL);
    p->config_dir = g_build_filename(g_get_user_config_dir(), "vireo", NULL);
    p->state_dir = g_build_filename(g_get_user_data_dir(), "vireo", p->name, NULL);
    p->log_dir = g_build_filename(g_get_user_cache_dir(), "vireo", "log", NULL);
    p->libvirt_dir = g_build_filename(g_get_user_runtime_dir(), "libvirt", NULL);
}

static void
set_system_dirs(CoreDaemonPaths *p)
{
    p->run_dir = g_strdup("/run/vireo");
    p->config_dir = g_strdup("/etc/vireo");
    p->state_dir = g_build_filename("/var/lib/vireo", p->name, NULL);
    p->log_dir = g_strdup("/var/log/vireo");
    /* libvirt's client hard-codes LOCALSTATEDIR/run, not /run. */
    p->libvirt_dir = g_strdup("/var/run/libvirt");
}

CoreDaemonPaths *
core_daemon_paths_new(const char *name, CoreDaemonMode mode, const char *root, GError **error)
{
    g_autoptr(CoreDaemonPaths) p = g_new0(CoreDaemonPaths, 1);
    g_autofree char *conf_name = g_strdup_printf("%s.conf", name);
    g_autofree char *pid_name = g_strdup_printf("%s.pid", name);

    g_return_val_if_fail(name && *name, NULL);
    p->mode = mode;
    p->name = g_strdup(name);
    switch (mode) {
    case CORE_DAEMON_MODE_ROOT:
        if (!set_root_dirs(p, root, error))
            return NULL;
        break;
    case CORE_DAEMON_MODE_SESSION:
        set_session_dirs(p);
        break;
    case CORE_DAEMON_MODE_SYSTEM:
        set_system_dirs(p);
        break;
    }
    p->config_file = g_build_filename(p->config_dir, conf_name, NULL);
    p->pidfile = g_build_filename(p->run_dir, pid_name, NULL);
    for (int i = 0; i < CORE_DAEMON_SOCK_LAST; i++)
        p->sockets[i] = core_daemon_paths_socket_of(p, name, i);
    return g_steal_pointer(&p);
}

char *
core_daemon_paths_socket_of(const CoreDaemonPaths *paths, const char *other,
                            CoreDaemonSockKind kind)
{
    g_autofree char *base = NULL;

    g_return_val_if_fail(kind < CORE_DAEMON_SOCK_LAST, NULL);
    base = g_strconcat(other, sock_suffix[kind], NULL);
    return g_build_filename(paths->run_dir, base, NULL);
}

static gboolean
make_dir(const char *dir, int mode, GError **error)
{
    if (g_mkdir_with_parents(dir, mode) < 0)
        return core_error_set_errno(error, errno, "cannot create directory '%s'", dir);
    return TRUE;
}

gboolean
core_daemon_paths_create_dirs(const CoreDaemonPaths *paths, GError **error)
{
    return make_dir(paths->run_dir, 0755, error) && make_dir(paths->state_dir, 0700, error) &&
           make_dir(paths->log_dir, 0700, error);
}

char *
core_daemon_paths_start_hint(const CoreDaemonPaths *paths, const char *other)
{
    switch (paths->mode) {
    case CORE_DAEMON_MODE_SYSTEM:
        return g_strdup_printf("start it with 'systemctl start vireo-%s.socket'", other);
    case CORE_DAEMON_MODE_SESSION:
        return g_strdup_printf("start it with 'systemctl --user start vireo-%s.socket'", other);
    case CORE_DAEMON_MODE_ROOT:
        break;
    }
    return g_strdup_printf("start it with 'vireo-%s --root %s'", other, paths->root);
}
