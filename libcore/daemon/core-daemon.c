/* core-daemon: core_daemon_main(), see core-daemon.h.
 *
 * Start-up order matters: options and paths first (nothing touched yet),
 * then the pidfile lock (so that a second instance never unlinks the first
 * one's sockets), then the server and the state hook, then the sockets, and
 * only then READY=1 for systemd.
 */
#include "core-daemon.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core-daemon-admin.h"
#include "core-daemon-options.h"
#include "core-daemon-sockets.h"
#include "core-error.h"
#include "core-log.h"
#include "core-pidfile.h"
#include "core-systemd.h"
#include "vireo-config.h"

#define CORE_FROM_THIS CORE_FROM_RPC

CORE_LOG_INIT("core.daemon");

struct _CoreDaemon {
    const CoreDaemonSpec *spec;
    char *program; /* "vireo-proxyd" */
    CoreDaemonOptions opts;
    CoreDaemonPaths *paths;
    CoreDaemonConfig *config;
    GMainContext *ctx;
    GMainLoop *loop;
    CoreRpcServer *server;
    CoreDaemonAdmin *admin;
    CoreDaemonListener listeners[CORE_DAEMON_LISTEN_LAST];
    CorePidfile *pidfile;
    guint timeout;
    guint clients;
    guint holds;
    GSource *idle_source;
    GSource *signal_sources[2];
    GSource *autostart_source;
    gpointer data;
    gboolean state_ready;
};

const CoreDaemonSpec *
core_daemon_get_spec(CoreDaemon *daemon)
{
    return daemon->spec;
}

const CoreDaemonPaths *
core_daemon_get_paths(CoreDaemon *daemon)
{
    return daemon->paths;
}

const CoreDaemonConfig *
core_daemon_get_config(CoreDaemon *daemon)
{
    return daemon->config;
}

CoreRpcServer *
core_daemon_get_server(CoreDaemon *daemon)
{
    return daemon->server;
}

GMainContext *
core_daemon_get_context(CoreDaemon *daemon)
{
    return daemon->ctx;
}

void
core_daemon_set_data(CoreDaemon *daemon, gpointer data)
{
    daemon->data = data;
}

gpointer
core_daemon_get_data(CoreDaemon *daemon)
{
    return daemon->data;
}

void
core_daemon_quit(CoreDaemon *daemon)
{
    if (daemon->loop)
        g_main_loop_quit(daemon->loop);
}

/* ---- idle timeout --------------------------------------------------------- */

static gboolean
idle_expired(gpointer data)
{
    CoreDaemon *daemon = data;

    CORE_INFO("no clients for %u seconds, exiting", daemon->timeout);
    g_clear_pointer(&daemon->idle_source, g_source_unref);
    core_daemon_quit(daemon);
    return G_SOURCE_REMOVE;
}

static void
update_idle(CoreDaemon *daemon)
{
    gboolean idle = daemon->clients == 0 && daemon->holds == 0;

    if (daemon->timeout == 0)
        return;
    if (idle && !daemon->idle_source) {
        daemon->idle_source = g_timeout_source_new_seconds(daemon->timeout);
        g_source_set_callback(daemon->idle_source, idle_expired, daemon, NULL);
        g_source_attach(daemon->idle_source, daemon->ctx);
    } else if (!idle && daemon->idle_source) {
        g_source_destroy(daemon->idle_source);
        g_clear_pointer(&daemon->idle_source, g_source_unref);
    }
}

void
core_daemon_set_timeout(CoreDaemon *daemon, guint seconds)
{
    /* A countdown already running restarts with the new length. */
    if (daemon->idle_source)
        g_source_destroy(daemon->idle_source);
    g_clear_pointer(&daemon->idle_source, g_source_unref);
    daemon->timeout = seconds;
    update_idle(daemon);
}

static void
client_count_changed(guint count, gpointer data)
{
    CoreDaemon *daemon = data;

    daemon->clients = count;
    update_idle(daemon);
}

void
core_daemon_hold(CoreDaemon *daemon)
{
    daemon->holds++;
    update_idle(daemon);
}

void
core_daemon_release(CoreDaemon *daemon)
{
    g_return_if_fail(daemon->holds > 0);
    daemon->holds--;
    update_idle(daemon);
}

/* ---- driver selection ------------------------------------------------------- */

static gboolean
driver_has_scheme(const CoreDriver *drv, const char *scheme)
{
    for (guint i = 0; drv->schemes && drv->schemes[i]; i++) {
        if (g_ascii_strcasecmp(drv->schemes[i], scheme) == 0)
            return TRUE;
    }
    return FALSE;
}

static const CoreDriver *
default_select(const char *uri, gpointer data, GError **error)
{
    CoreDaemon *daemon = data;
    const CoreDriver *const *drivers = daemon->spec->drivers;
    g_autofree char *scheme = NULL;
    g_autofree char *msg = NULL;

    if (!uri || !*uri) {
        if (drivers && drivers[0])
            return drivers[0];
        if (daemon->spec->test_driver)
            return &core_test_driver;
    } else {
        scheme = g_strndup(uri, strcspn(uri, ":+"));
        for (guint i = 0; drivers && drivers[i]; i++) {
            if (driver_has_scheme(drivers[i], scheme))
                return drivers[i];
        }
        if (daemon->spec->test_driver && driver_has_scheme(&core_test_driver, scheme))
            return &core_test_driver;
    }
    msg = g_strdup_printf("no connection driver available for %s", uri ? uri : "");
    core_error_set_literal(error, CORE_FROM_NONE, CORE_ERR_NO_CONNECT, msg);
    return NULL;
}

/* ---- logging ----------------------------------------------------------------- */

/* systemd sets JOURNAL_STREAM to "DEV:INODE" of the stream it connected to
 * our stderr; when stderr still is that stream, log natively. */
static gboolean
stderr_is_journal(void)
{
    const char *env = g_getenv("JOURNAL_STREAM");
    unsigned long long dev = 0;
    unsigned long long ino = 0;
    struct stat st;

    if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
        return FALSE;
    return st.st_dev == (dev_t)dev && st.st_ino == (ino_t)ino;
}

static gboolean
setup_logging(CoreDaemon *daemon, GError **error)
{
    const CoreDaemonConfig *config = daemon->config;

    if (config && config->log_filters && !core_log_set_filters(config->log_filters, error))
        return FALSE;
    if (daemon->opts.verbose)
        core_log_set_default_level(CORE_LOG_DEBUG);
    else if (config)
        core_log_set_default_level(config->log_level);
    return TRUE;
}

/* ---- sockets ------------------------------------------------------------------ */

static void
init_listener_paths(CoreDaemon *daemon)
{
    CoreDaemonListener *l = daemon->listeners;

    for (int k = 0; k < CORE_DAEMON_LISTEN_LAST; k++)
        l[k].fd = -1;
    l[CORE_DAEMON_LISTEN_RW].path = g_strdup(daemon->paths->sockets[CORE_DAEMON_SOCK_RW]);
    l[CORE_DAEMON_LISTEN_RO].path = g_strdup(daemon->paths->sockets[CORE_DAEMON_SOCK_RO]);
    l[CORE_DAEMON_LISTEN_ADMIN].path = g_strdup(daemon->paths->sockets[CORE_DAEMON_SOCK_ADMIN]);
    if (daemon->config->bind_libvirt_sockets) {
        l[CORE_DAEMON_LISTEN_LIBVIRT_RW].path =
            g_build_filename(daemon->paths->libvirt_dir, "libvirt-sock", NULL);
        l[CORE_DAEMON_LISTEN_LIBVIRT_RO].path =
            g_build_filename(daemon->paths->libvirt_dir, "libvirt-sock-ro", NULL);
    }
}

static guint
listener_perms(const CoreDaemonConfig *config, int kind)
{
    switch (kind) {
    case CORE_DAEMON_LISTEN_RO:
    case CORE_DAEMON_LISTEN_LIBVIRT_RO:
        return config->unix_sock_ro_perms;
    case CORE_DAEMON_LISTEN_ADMIN:
        return config->unix_sock_admin_perms;
    default:
        return config->unix_sock_rw_perms;
    }
}

static gboolean
open_sockets(CoreDaemon *daemon, GError **error)
{
    gid_t gid = (gid_t)-1;

    if (daemon->config->unix_sock_group &&
        !core_daemon_lookup_group(daemon->config->unix_sock_group, &gid, error))
        return FALSE;
    if (core_daemon_sockets_activation(daemon->spec->name, daemon->listeners, error) < 0)
        return FALSE;
    /* NAME-sock last: whoever waits for it to appear finds every other
     * socket in place. */
    for (int i = 0; i < CORE_DAEMON_LISTEN_LAST; i++) {
        int k = (i + 1) % CORE_DAEMON_LISTEN_LAST;
        CoreDaemonListener *l = &daemon->listeners[k];

        if (l->fd >= 0 || !l->path)
            continue;
        if (k >= CORE_DAEMON_LISTEN_LIBVIRT_RW && g_mkdir_with_parents(
                                                      daemon->paths->libvirt_dir, 0755) < 0)
            return core_error_set_errno(error, errno, "cannot create directory '%s'",
                                        daemon->paths->libvirt_dir);
        l->fd = core_daemon_socket_listen(l->path, listener_perms(daemon->config, k), gid, error);
        if (l->fd < 0)
            return FALSE;
        l->created = TRUE;
    }
    return TRUE;
}

static gboolean
start_listening(CoreDaemon *daemon, GError **error)
{
    for (int k = 0; k < CORE_DAEMON_LISTEN_LAST; k++) {
        CoreDaemonListener *l = &daemon->listeners[k];
        gboolean ro = k == CORE_DAEMON_LISTEN_RO || k == CORE_DAEMON_LISTEN_LIBVIRT_RO;
        gboolean ok;
        int fd = l->fd;

        if (fd < 0)
            continue;
        /* The server and the admin listener own the fd from here on. */
        l->fd = -1;
        if (k == CORE_DAEMON_LISTEN_ADMIN)
            ok = core_daemon_admin_listen(daemon->admin, fd, error);
        else
            ok = core_rpc_server_add_listener(daemon->server, fd, ro, error);
        if (!ok)
            return FALSE;
        CORE_INFO("serving %s%s", l->path, ro ? " (read-only)" : "");
    }
    return TRUE;
}

static void
remove_sockets(CoreDaemon *daemon)
{
    for (int k = 0; k < CORE_DAEMON_LISTEN_LAST; k++) {
        CoreDaemonListener *l = &daemon->listeners[k];

        if (l->fd >= 0)
            g_close(l->fd, NULL);
        if (l->created && l->path && unlink(l->path) < 0 && errno != ENOENT)
            CORE_WARN("cannot remove '%s': %s, ignoring", l->path, g_strerror(errno));
        g_clear_pointer(&l->path, g_free);
    }
}

/* ---- life cycle ------------------------------------------------------------------ */

static gboolean
on_signal(gpointer data)
{
    CoreDaemon *daemon = data;

    CORE_INFO("stopping on signal");
    core_daemon_quit(daemon);
    return G_SOURCE_CONTINUE;
}

static void
watch_signals(CoreDaemon *daemon)
{
    const int signums[2] = { SIGTERM, SIGINT };

    /* A peer that goes away while we write must be an EPIPE, not a death. */
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < 2; i++) {
        daemon->signal_sources[i] = g_unix_signal_source_new(signums[i]);
        g_source_set_callback(daemon->signal_sources[i], on_signal, daemon, NULL);
        g_source_attach(daemon->signal_sources[i], daemon->ctx);
    }
}

static gboolean
load_config(CoreDaemon *daemon, GError **error)
{
    const char *file = daemon->opts.config ? daemon->opts.config : daemon->paths->config_file;

    daemon->config = core_daemon_config_load(file, daemon->opts.config != NULL, error);
    if (!daemon->config)
        return FALSE;
    daemon->timeout = daemon->opts.timeout >= 0 ? (guint)daemon->opts.timeout
                                                : daemon->config->timeout;
    return setup_logging(daemon, error);
}

/* Two instances never share a root: the second one names the first. */
static gboolean
take_pidfile(CoreDaemon *daemon, GError **error)
{
    g_autoptr(GError) local = NULL;
    g_autofree char *msg = NULL;
    pid_t other = 0;

    daemon->pidfile = core_pidfile_acquire(daemon->paths->pidfile, &other, &local);
    if (daemon->pidfile)
        return TRUE;
    if (other == 0) {
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    msg = g_strdup_printf("%s is already running under this root (pid %d, pidfile '%s')",
                          daemon->program, (int)other, daemon->paths->pidfile);
    return core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_OPERATION_INVALID, msg);
}

static gboolean
daemon_start(CoreDaemon *daemon, GError **error)
{
    CoreRpcDriverSelect select = daemon->spec->select ? daemon->spec->select : default_select;
    gpointer select_data = daemon->spec->select ? daemon->spec->select_data : daemon;

    daemon->paths = core_daemon_paths_new(daemon->spec->name,
                                          core_daemon_options_mode(&daemon->opts),
                                          daemon->opts.root, error);
    if (!daemon->paths || !load_config(daemon, error) ||
        !core_daemon_paths_create_dirs(daemon->paths, error))
        return FALSE;
    if (!take_pidfile(daemon, error))
        return FALSE;
    init_listener_paths(daemon);
    daemon->server = core_rpc_server_new(daemon->ctx, &daemon->config->rpc, select, select_data);
    if (!daemon->server)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "cannot create the RPC server");
    core_rpc_server_set_client_count_cb(daemon->server, client_count_changed, daemon);
    daemon->admin = core_daemon_admin_new(daemon);
    if (daemon->spec->state_init && !daemon->spec->state_init(daemon, error))
        return FALSE;
    daemon->state_ready = TRUE;
    if (!open_sockets(daemon, error) || !start_listening(daemon, error))
        return FALSE;
    update_idle(daemon);
    return TRUE;
}

static gboolean
run_autostart(gpointer data)
{
    CoreDaemon *daemon = data;

    g_clear_pointer(&daemon->autostart_source, g_source_unref);
    daemon->spec->state_autostart(daemon);
    return G_SOURCE_REMOVE;
}

static void
daemon_stop(CoreDaemon *daemon)
{
    /* No idle timer may be armed by the releases below. */
    daemon->timeout = 0;
    for (int i = 0; i < 2; i++) {
        if (daemon->signal_sources[i])
            g_source_destroy(daemon->signal_sources[i]);
        g_clear_pointer(&daemon->signal_sources[i], g_source_unref);
    }
    if (daemon->idle_source)
        g_source_destroy(daemon->idle_source);
    g_clear_pointer(&daemon->idle_source, g_source_unref);
    if (daemon->autostart_source)
        g_source_destroy(daemon->autostart_source);
    g_clear_pointer(&daemon->autostart_source, g_source_unref);
    /* Clients first: the state hook may free what their connections use. */
    g_clear_pointer(&daemon->admin, core_daemon_admin_free);
    g_clear_pointer(&daemon->server, core_rpc_server_free);
    if (daemon->state_ready && daemon->spec->state_cleanup)
        daemon->spec->state_cleanup(daemon);
    if (daemon->paths)
        remove_sockets(daemon);
    g_clear_pointer(&daemon->pidfile, core_pidfile_release);
    g_clear_pointer(&daemon->loop, g_main_loop_unref);
    g_clear_pointer(&daemon->ctx, g_main_context_unref);
    g_clear_pointer(&daemon->config, core_daemon_config_free);
    g_clear_pointer(&daemon->paths, core_daemon_paths_free);
    core_daemon_options_clear(&daemon->opts);
    g_free(daemon->program);
}

static int
parse_args(CoreDaemon *daemon, int argc, char **argv)
{
    g_autoptr(GError) error = NULL;

    if (!core_daemon_options_parse(daemon->spec->name, daemon->spec->description, &argc, &argv,
                                   &daemon->opts, &error)) {
        g_printerr("%s: %s\n(see '%s --help')\n", daemon->program, error->message,
                   daemon->program);
        return 1;
    }
    if (daemon->opts.version) {
        printf("%s %s\n", daemon->program, VIREO_VERSION);
        return 0;
    }
    return -1;
}

int
core_daemon_main(int argc, char **argv, const CoreDaemonSpec *spec)
{
    CoreDaemon daemon = { .spec = spec };
    g_autoptr(GError) error = NULL;
    int status;

    daemon.program = g_strdup_printf("vireo-%s", spec->name);
    g_set_prgname(daemon.program);
    if (stderr_is_journal())
        core_log_set_output(CORE_LOG_OUTPUT_JOURNAL);
    status = parse_args(&daemon, argc, argv);
    if (status >= 0) {
        daemon_stop(&daemon);
        return status;
    }
    setup_logging(&daemon, NULL);
    daemon.ctx = g_main_context_ref(g_main_context_default());
    daemon.loop = g_main_loop_new(daemon.ctx, FALSE);
    /* Before any socket exists: a client may signal us as soon as it can
     * connect. */
    watch_signals(&daemon);
    if (!daemon_start(&daemon, &error)) {
        g_printerr("%s: %s\n", daemon.program, error->message);
        core_systemd_notifyf("STATUS=%s", error->message);
        daemon_stop(&daemon);
        return 1;
    }
    CORE_INFO("%s %s ready (pid %d)", daemon.program, VIREO_VERSION, (int)getpid());
    core_systemd_notify("READY=1\nSTATUS=serving");
    if (spec->state_autostart) {
        daemon.autostart_source = g_idle_source_new();
        g_source_set_callback(daemon.autostart_source, run_autostart, &daemon, NULL);
        g_source_attach(daemon.autostart_source, daemon.ctx);
    }
    g_main_loop_run(daemon.loop);
    core_systemd_notify("STOPPING=1");
    daemon_stop(&daemon);
    return 0;
}
