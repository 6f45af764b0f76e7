/* core-rpc-dispatch: the protocol state of one client connection and the
 * dispatch of its packets into the driver tables.
 *
 * Independent of sockets: the server (core-rpc-server.c) feeds it decoded
 * packets and sends what it returns; the fuzz target and the unit tests do
 * the same in memory. Checks follow libvirtd 9.0 (PROTOCOL.md 1.9): program
 * and version, message type and status, unknown procedure, argument
 * decoding, "connection not open", read-only access, then the handler.
 */
#pragma once

#include <glib.h>

#include "core-rpc-message.h"
#include "core-rpc-proc.h"
#include "core-rpc-server.h"

G_BEGIN_DECLS

/* libvirt version reported by CONNECT_GET_LIB_VERSION: the 9.0.0 protocol
 * level Vireo implements. */
#define CORE_RPC_LIB_VERSION 9000000ull

typedef struct _CoreRpcSession CoreRpcSession;
typedef struct _CoreRpcJob CoreRpcJob;

typedef struct {
    /* Picks the driver for CONNECT_OPEN (required). */
    CoreRpcDriverSelect select;
    gpointer select_data;
    /* Receives each encoded event packet (transfer full). Called from any
     * thread, with the session's lock held: must only queue the packet. */
    void (*queue_event)(GBytes *packet, gpointer data);
    gpointer event_data;
} CoreRpcSessionHooks;

typedef enum {
    CORE_RPC_ACTION_NONE,  /* nothing to send (ignored packet, PONG ...) */
    CORE_RPC_ACTION_REPLY, /* send *ret_reply now */
    CORE_RPC_ACTION_JOB,   /* run *ret_job (inline or on a worker) */
} CoreRpcAction;

/* (transfer full) A new session; @readonly comes from the listening socket.
 * @hooks is copied. */
CoreRpcSession *core_rpc_session_new(gboolean readonly, const CoreRpcSessionHooks *hooks);
/* Closes the driver connection (no event is queued after this returns),
 * drops event registrations and frees @session. No job of the session may
 * still be running. */
void core_rpc_session_free(CoreRpcSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreRpcSession, core_rpc_session_free)

gboolean core_rpc_session_is_open(CoreRpcSession *session);
gboolean core_rpc_session_is_readonly(CoreRpcSession *session);
/* TRUE once the client asked SUPPORTS_FEATURE(10): the server PINGs it. */
gboolean core_rpc_session_keepalive_requested(CoreRpcSession *session);
void core_rpc_session_set_keepalive_requested(CoreRpcSession *session, gboolean requested);

/* Handles one decoded packet @msg. @fds (transfer full, may be NULL) are
 * the @nfds descriptors received with a *_WITH_FDS packet. Returns what the
 * caller must do: send *@ret_reply (transfer full) or run *@ret_job
 * (transfer full). Never fails: protocol errors become error replies. */
CoreRpcAction core_rpc_session_handle(CoreRpcSession *session, const CoreRpcMessage *msg,
                                      int *fds, guint nfds, GBytes **ret_reply,
                                      CoreRpcJob **ret_job);

/* TRUE when @job must run on the main loop, right away: its procedure is
 * annotated inline (cheap), or the session's driver is
 * CORE_DRIVER_NONBLOCKING and nothing keeps the call on a worker (see
 * core-rpc-dispatch.c). FALSE: hand it to a worker. Ask once, right after
 * core_rpc_session_handle() made @job. */
gboolean core_rpc_job_is_inline(const CoreRpcJob *job);
/* The procedure number of @job. */
int core_rpc_job_proc(const CoreRpcJob *job);
/* Runs the handler and encodes the reply. Returns the reply packet
 * (transfer full), or NULL when not even an error reply could be encoded
 * (the caller then drops the connection). *@ret_close is TRUE when the
 * connection must be closed after sending (CONNECT_CLOSE). Thread-safe with
 * respect to other jobs of the same session. */
GBytes *core_rpc_job_run(CoreRpcJob *job, gboolean *ret_close);
/* Frees @job (run or not). Main loop only, and before the session is
 * freed: the session counts its outstanding jobs. */
void core_rpc_job_free(CoreRpcJob *job);

/* Decodes the URI of a CONNECT_OPEN call (for the server's open hook).
 * Returns FALSE when @msg is not a well-formed CONNECT_OPEN call; *ret_uri
 * is "" for a NULL name. */
gboolean core_rpc_session_peek_open(const CoreRpcMessage *msg, char **ret_uri,
                                    guint *ret_flags);

/* (transfer full) An error reply to @call carrying @err. NULL when it
 * cannot be encoded. */
GBytes *core_rpc_build_error_reply(const CoreRpcHeader *call, const GError *err);

G_END_DECLS
