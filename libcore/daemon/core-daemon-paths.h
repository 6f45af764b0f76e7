/* core-daemon-paths: where a daemon keeps its sockets, config, state and logs.
 *
 * | mode    | run (sockets, pidfile) | config           | state                | logs                 |
 * | system  | /run/vireo             | /etc/vireo       | /var/lib/vireo/NAME  | /var/log/vireo       |
 * | session | $XDG_RUNTIME_DIR/vireo | ~/.config/vireo  | ~/.local/share/vireo/NAME | ~/.cache/vireo/log |
 * | root    | DIR/run/vireo          | DIR/etc/vireo    | DIR/var/lib/vireo/NAME | DIR/var/log/vireo  |
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
    CORE_DAEMON_MODE_SYSTEM,
    CORE_DAEMON_MODE_SESSION,
    CORE_DAEMON_MODE_ROOT,
} CoreDaemonMode;

typedef enum {
    CORE_DAEMON_SOCK_RW,
    CORE_DAEMON_SOCK_RO,
    CORE_DAEMON_SOCK_ADMIN,
    CORE_DAEMON_SOCK_LAST
} CoreDaemonSockKind;

typedef struct {
    CoreDaemonMode mode;
    char *name;        /* "proxyd" */
    char *root;        /* absolute --root DIR, NULL otherwise */
    char *run_dir;     /* sockets and pidfile of every daemon of this mode/root */
    char *config_dir;
    char *config_file; /* config_dir/NAME.conf */
    char *state_dir;   /* persistent state of this daemon */
    char *log_dir;
    char *pidfile;     /* run_dir/NAME.pid */
    char *sockets[CORE_DAEMON_SOCK_LAST]; /* run_dir/NAME-sock, -sock-ro, -admin-sock */
    char *libvirt_dir; /* where libvirt clients look: /var/run/libvirt, DIR/run/libvirt, ... */
} CoreDaemonPaths;

/**
 * core_daemon_paths_new:
 * @name: the daemon's short name
 * @mode: SYSTEM, SESSION or ROOT
 * @root: the --root directory for ROOT mode (made absolute), else NULL
 * Computes the paths; creates nothing.
 * Returns: (transfer full) the paths, or NULL with CORE_ERR_INVALID_ARG when
 * @root is missing, empty or not usable.
 */
CoreDaemonPaths *core_daemon_paths_new(const char *name, CoreDaemonMode mode, const char *root,
                                       GError **error);
void core_daemon_paths_free(CoreDaemonPaths *paths);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDaemonPaths, core_daemon_paths_free)

/* (transfer full) The socket path of daemon @other (e.g. "qemud") of @kind
 * under the same mode and root as @paths. */
char *core_daemon_paths_socket_of(const CoreDaemonPaths *paths, const char *other,
                                  CoreDaemonSockKind kind);

/* Creates run, state and log directories (run 0755, state 0700, log 0700).
 * FALSE with CORE_ERR_SYSTEM_ERROR naming the directory on failure. */
gboolean core_daemon_paths_create_dirs(const CoreDaemonPaths *paths, GError **error);

/* "systemctl start vireo-NAME.socket" or "systemctl --user start ..." or
 * the command line for --root mode, used in "not running" messages.
 * (transfer full) */
char *core_daemon_paths_start_hint(const CoreDaemonPaths *paths, const char *other);

G_END_DECLS
