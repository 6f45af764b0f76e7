/* core-daemon: the common main() of every Vireo daemon.
 *
 * A daemon is a CoreDaemonSpec and one line:
 *     int main(int argc, char **argv) { return core_daemon_main(argc, argv, &spec); }
 * core_daemon_main() parses the common options (--root, --session,
 * --config, --timeout, --verbose), computes the paths (system, session or
 * --root), loads the config file, takes the pidfile lock, creates or
 * adopts (systemd socket activation) the sockets NAME-sock, NAME-sock-ro and
 * NAME-admin-sock, runs the RPC server on the main loop, reports readiness
 * to systemd and exits cleanly on SIGTERM/SIGINT or after --timeout idle
 * seconds. See docs/daemons.md.
 */
#pragma once

#include <glib.h>

#include "core-daemon-config.h"
#include "core-daemon-paths.h"
#include "core-driver.h"
#include "core-rpc-server.h"

G_BEGIN_DECLS

typedef struct _CoreDaemon CoreDaemon;

typedef struct {
    const char *name;        /* short name: "proxyd" -> vireo-proxyd, proxyd-sock */
    const char *description; /* one line shown by --help */
    /* Drivers served in-process, chosen by URI scheme (NULL-terminated,
     * may be NULL). An empty URI opens the first one. */
    const CoreDriver *const *drivers;
    /* Also serve core_test_driver in-process (test:///...). */
    gboolean test_driver;
    /* Optional: replaces the scheme lookup over @drivers. */
    CoreRpcDriverSelect select;
    gpointer select_data;
    /* State hooks, all optional. state_init runs once the server exists and
     * before any socket accepts (install open hooks there); a failure makes
     * the daemon exit 1 with the error. state_autostart runs on the main
     * loop right after readiness is reported. state_cleanup runs at exit,
     * after the clients are gone. */
    gboolean (*state_init)(CoreDaemon *daemon, GError **error);
    void (*state_autostart)(CoreDaemon *daemon);
    void (*state_cleanup)(CoreDaemon *daemon);
} CoreDaemonSpec;

/**
 * core_daemon_main:
 * @argc, @argv: the process arguments
 * @spec: (transfer none) the daemon description, must outlive the call
 * Runs the daemon until it is told to stop.
 * Returns: the process exit status (0 after a clean stop, 1 on a startup
 * failure, which is logged with its reason first).
 */
int core_daemon_main(int argc, char **argv, const CoreDaemonSpec *spec);

/* (transfer none) The daemon's spec, paths, config and RPC server. Valid from
 * state_init until state_cleanup has returned. */
const CoreDaemonSpec *core_daemon_get_spec(CoreDaemon *daemon);
const CoreDaemonPaths *core_daemon_get_paths(CoreDaemon *daemon);
const CoreDaemonConfig *core_daemon_get_config(CoreDaemon *daemon);
CoreRpcServer *core_daemon_get_server(CoreDaemon *daemon);
GMainContext *core_daemon_get_context(CoreDaemon *daemon);

/* Per-daemon private state set by state_init (transfer none; the daemon's
 * state_cleanup frees it). */
void core_daemon_set_data(CoreDaemon *daemon, gpointer data);
gpointer core_daemon_get_data(CoreDaemon *daemon);

/* Work that is not an RPC client (a relayed connection, a pending
 * hand-off) keeps the daemon from exiting on --timeout while it is held.
 * Each hold is matched by one release. */
void core_daemon_hold(CoreDaemon *daemon);
void core_daemon_release(CoreDaemon *daemon);

/* Sets the idle timeout as --timeout does (0: never exit when idle); an
 * idle countdown in progress starts over. Call on the daemon's context. */
void core_daemon_set_timeout(CoreDaemon *daemon, guint seconds);

/* Asks the main loop to stop (as SIGTERM does). */
void core_daemon_quit(CoreDaemon *daemon);

G_END_DECLS
