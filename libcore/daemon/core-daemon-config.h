/* core-daemon-config: the daemon config file (GKeyFile syntax, read with
 * core-config).
 *
 * Common keys live in group [daemon] (documented in docs/daemons.md);
 * other groups belong to the daemon ([proxy], [routes] for vireo-proxyd)
 * and are read from CoreDaemonConfig.file with the core_config_* getters.
 * An unknown key in [daemon] is an error, so that a typo never goes
 * unnoticed.
 */
#pragma once

#include <glib.h>

#include "core-config.h"
#include "core-rpc-server.h"

G_BEGIN_DECLS

typedef struct {
    char *unix_sock_group;       /* group owning the sockets, NULL = unchanged */
    guint unix_sock_rw_perms;    /* default 0600 */
    guint unix_sock_ro_perms;    /* default 0666 */
    guint unix_sock_admin_perms; /* default 0600 */
    gboolean bind_libvirt_sockets;
    int log_level;               /* 1 debug .. 4 error, default 3 */
    char *log_filters;           /* NULL = none */
    guint timeout;               /* idle exit in seconds, 0 = never */
    CoreRpcServerConfig rpc;
    CoreConfig *file;            /* the whole file (empty when there is none) */
} CoreDaemonConfig;

/**
 * core_daemon_config_load:
 * @path: the file to read
 * @must_exist: FALSE: a missing file gives the defaults (the default
 *   config file); TRUE: it is an error (a file named by --config)
 * Returns: (transfer full) the config, or NULL with CORE_ERR_CONF_SYNTAX
 * naming file, group and key for a bad file, value or unknown key,
 * CORE_ERR_SYSTEM_ERROR when unreadable.
 */
CoreDaemonConfig *core_daemon_config_load(const char *path, gboolean must_exist,
                                          GError **error);
void core_daemon_config_free(CoreDaemonConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDaemonConfig, core_daemon_config_free)

G_END_DECLS
