/* core-rpc-stream: server side of the protocol's data streams.
 *
 * A procedure that opens a stream (DOMAIN_OPEN_CONSOLE) gets a file
 * descriptor from its driver; after the call's reply, the stream carries
 * the bytes both ways as STREAM packets tagged with the call's procedure
 * and serial: status CONTINUE with data, OK to finish (answered with an
 * empty OK), ERROR to abort. The descriptor's end of file finishes the
 * stream from the server side. Streams run on the main loop: their
 * opening procedures are inline, so the reply is queued before the first
 * data packet.
 */
#pragma once

#include <glib.h>

#include "core-rpc-dispatch.h"
#include "core-rpc-message.h"

G_BEGIN_DECLS

/**
 * core_rpc_stream_open:
 * @session: the caller's session
 * @call: the header of the call that opens the stream
 * @fd: (transfer full) the descriptor carrying the data (made non-blocking)
 * Starts relaying; must run on the server's context thread.
 */
void core_rpc_stream_open(CoreRpcSession *session, const CoreRpcHeader *call, int fd);

/* Handles a STREAM packet from the client (main loop). Returns what to
 * send back (transfer full), NULL for nothing. */
GBytes *core_rpc_stream_incoming(CoreRpcSession *session, const CoreRpcMessage *msg);

/* Ends every stream of @session (it is going away). */
void core_rpc_stream_session_closed(CoreRpcSession *session);

G_END_DECLS
