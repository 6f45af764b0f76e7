/* core-daemon-admin: the NAME-admin-sock listener.
 *
 * It serves libvirt's admin program (0x06900690, see
 * core-daemon-admin-proto.c) to peers running as root or as the daemon's
 * user, keepalive PINGs, and Vireo's hand-off program
 * (CORE_WIRE_PROG_HANDOFF, see core-daemon-wire.h): a peer running as the
 * same user (or root) passes a connected client socket with SCM_RIGHTS plus
 * the bytes it already read from it, and the daemon serves that client as
 * if it had accepted it (core_rpc_server_add_client_fd).
 */
#pragma once

#include <glib.h>

#include "core-daemon.h"

G_BEGIN_DECLS

typedef struct _CoreDaemonAdmin CoreDaemonAdmin;

/* (transfer full) An admin listener set serving on @daemon's context and
 * handing adopted clients to its RPC server. */
CoreDaemonAdmin *core_daemon_admin_new(CoreDaemon *daemon);
/* Closes every admin connection and listener. */
void core_daemon_admin_free(CoreDaemonAdmin *admin);

/* Accepts on listening socket @fd (ownership passes to @admin). */
gboolean core_daemon_admin_listen(CoreDaemonAdmin *admin, int fd, GError **error);

G_END_DECLS
