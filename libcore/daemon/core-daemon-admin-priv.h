/* core-daemon-admin-priv: what the admin socket's connections
 * (core-daemon-admin.c) and libvirt's admin program
 * (core-daemon-admin-proto.c) share. Everything here runs on the daemon's
 * context, where the RPC server's clients live too. */
#pragma once

#include <glib.h>

#include "core-daemon-admin.h"
#include "core-daemon-wire.h"
#include "core-rpc-server.h"

G_BEGIN_DECLS

/* libvirt's admin program (admin_protocol.x of libvirt 9.0). */
#define CORE_ADMIN_PROC_CONNECT_OPEN 1
#define CORE_ADMIN_PROC_CONNECT_CLOSE 2
#define CORE_ADMIN_PROC_CONNECT_GET_LIB_VERSION 3
#define CORE_ADMIN_PROC_CONNECT_LIST_SERVERS 4
#define CORE_ADMIN_PROC_CONNECT_LOOKUP_SERVER 5
#define CORE_ADMIN_PROC_SERVER_GET_THREADPOOL_PARAMETERS 6
#define CORE_ADMIN_PROC_SERVER_SET_THREADPOOL_PARAMETERS 7
#define CORE_ADMIN_PROC_SERVER_LIST_CLIENTS 8
#define CORE_ADMIN_PROC_SERVER_LOOKUP_CLIENT 9
#define CORE_ADMIN_PROC_CLIENT_GET_INFO 10
#define CORE_ADMIN_PROC_CLIENT_CLOSE 11
#define CORE_ADMIN_PROC_SERVER_GET_CLIENT_LIMITS 12
#define CORE_ADMIN_PROC_SERVER_SET_CLIENT_LIMITS 13
#define CORE_ADMIN_PROC_CONNECT_GET_LOGGING_OUTPUTS 14
#define CORE_ADMIN_PROC_CONNECT_GET_LOGGING_FILTERS 15
#define CORE_ADMIN_PROC_CONNECT_SET_LOGGING_OUTPUTS 16
#define CORE_ADMIN_PROC_CONNECT_SET_LOGGING_FILTERS 17
#define CORE_ADMIN_PROC_SERVER_UPDATE_TLS_FILES 18
#define CORE_ADMIN_PROC_CONNECT_SET_DAEMON_TIMEOUT 19

/* The server names the admin program shows: the daemon's clients are the
 * server named after the program ("vireo-qemud"), as libvirtd's are
 * "libvirtd" and virtqemud's "virtqemud"; the admin socket's own
 * connections are the server "admin". */
#define CORE_ADMIN_SERVER_ADMIN "admin"

/* (transfer none) The daemon @admin belongs to. */
CoreDaemon *core_daemon_admin_get_daemon(CoreDaemonAdmin *admin);

/* The admin socket's connections as clients of the "admin" server, with
 * the contracts of core_rpc_server_list_clients(),
 * core_rpc_server_get_client(), core_rpc_server_get_limits() and
 * core_rpc_server_set_limits(). A connection never has anonymous state:
 * its max_anonymous is only kept and reported, as libvirt's admin server
 * does. */
GArray *core_daemon_admin_list_conns(CoreDaemonAdmin *admin);
gboolean core_daemon_admin_get_conn(CoreDaemonAdmin *admin, guint64 id, CoreRpcClientInfo *ret);
void core_daemon_admin_get_limits(CoreDaemonAdmin *admin, CoreRpcServerLimits *ret);
gboolean core_daemon_admin_set_limits(CoreDaemonAdmin *admin, gint64 max_clients,
                                      gint64 max_anonymous, GError **error);

/* Drops connection @id; FALSE when there is none. The connection whose
 * call is being answered is closed once its reply is written. */
gboolean core_daemon_admin_close_conn(CoreDaemonAdmin *admin, guint64 id);

/* One call of the admin program and who makes it. */
typedef struct {
    CoreDaemonAdmin *admin;
    gboolean trusted;     /* the peer runs as root or as the daemon's user */
    CoreRpcClientInfo peer;
    gboolean close_after; /* set by CONNECT_CLOSE: close once the reply is out */
} CoreDaemonAdminCall;

/**
 * core_daemon_admin_proto_call:
 * @call: the caller; @call->close_after may be set
 * @h: the CALL's header (program CORE_WIRE_PROG_ADMIN, version 1)
 * @payload, @len: its arguments
 * Runs the procedure on the daemon's context.
 * Returns: (transfer full) the REPLY frame, its length word not yet
 * written (core_wire_frame_finish()).
 */
GByteArray *core_daemon_admin_proto_call(CoreDaemonAdminCall *call, const CoreWireHeader *h,
                                         const guint8 *payload, gsize len);

G_END_DECLS
