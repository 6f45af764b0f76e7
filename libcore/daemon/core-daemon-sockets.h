/* core-daemon-sockets: listening sockets, systemd socket activation. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "core-daemon-paths.h"

G_BEGIN_DECLS

typedef enum {
    CORE_DAEMON_LISTEN_RW,
    CORE_DAEMON_LISTEN_RO,
    CORE_DAEMON_LISTEN_ADMIN,
    CORE_DAEMON_LISTEN_LIBVIRT_RW, /* libvirt-sock, with bind_libvirt_sockets */
    CORE_DAEMON_LISTEN_LIBVIRT_RO, /* libvirt-sock-ro */
    CORE_DAEMON_LISTEN_LAST
} CoreDaemonListenKind;

typedef struct {
    int fd;           /* listening socket, -1 when none */
    char *path;       /* its file */
    gboolean created; /* bound by us (unlinked at exit) rather than passed by systemd */
} CoreDaemonListener;

/**
 * core_daemon_socket_listen:
 * @path: the socket file; a stale file (nobody accepting) is replaced
 * @perms: its mode
 * @gid: its group, (gid_t)-1 to leave it
 * Binds and listens on a UNIX stream socket (non-blocking, close-on-exec).
 * Returns: the fd, or -1 with CORE_ERR_SYSTEM_ERROR naming @path, or
 * CORE_ERR_OPERATION_INVALID when another process accepts on @path.
 */
int core_daemon_socket_listen(const char *path, guint perms, gid_t gid, GError **error);

/**
 * core_daemon_sockets_activation:
 * @name: the daemon's short name
 * @listeners: array of CORE_DAEMON_LISTEN_LAST entries with their @path set;
 *   entries matched by a socket systemd passed get that fd (created FALSE)
 * Takes the sockets from LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES. A socket is
 * matched by its name (vireo-NAME.socket or NAME.socket, -ro, -admin), then
 * by its path; an unmatched socket serves as the read-write one when that
 * is still free, others are closed with a warning.
 * Returns: the number of sockets received (0 without activation), -1 with
 * @error when the environment is malformed.
 */
int core_daemon_sockets_activation(const char *name, CoreDaemonListener *listeners,
                                   GError **error);

/* Resolves group @group (name or number). FALSE with CORE_ERR_CONF_SYNTAX
 * when it does not exist. */
gboolean core_daemon_lookup_group(const char *group, gid_t *ret, GError **error);

G_END_DECLS
