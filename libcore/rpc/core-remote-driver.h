/* core-remote-driver: a CoreDriver whose every entry is an RPC to a daemon.
 *
 * CONTRACT for libvireo (libcore/client): any URI that is not served
 * in-process is opened with core_remote_driver. Its host.open resolves the
 * URI to a socket path as DESIGN.md says ("?socket=PATH" wins; otherwise
 * by scheme and mode: system /run/vireo/<name>d-sock, session
 * $XDG_RUNTIME_DIR/vireo/<name>d-sock, VIREO_ROOT=DIR prefixes DIR), speaks
 * the libvirt handshake (AUTH_LIST, SUPPORTS_FEATURE, CONNECT_OPEN with the
 * URI minus transport and client-only parameters) and runs keepalive.
 * Events arrive through the CoreEventSink given to open, from the
 * connection's own I/O thread.
 */
#pragma once

#include "core-driver.h"

G_BEGIN_DECLS

extern const CoreDriver core_remote_driver;

/* (transfer full) The socket path @uri resolves to (for messages and tests). */
char *core_remote_socket_path(const char *uri, gboolean readonly, GError **error);

G_END_DECLS
