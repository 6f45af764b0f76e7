/* core-remote-driver: a CoreDriver whose every entry is an RPC to a daemon.
 *
 * CONTRACT for libvireo (libcore/client): any URI that is not served
 * in-process is opened with core_remote_driver. Its host.open resolves the
 * URI to a socket (core_remote_socket_path(), docs/uris.md), speaks the
 * handshake stock virsh speaks (AUTH_LIST, SUPPORTS_FEATURE 10 then
 * keepalive 5 s / 6, CONNECT_OPEN with the URI minus transport and
 * client-only parameters, SUPPORTS_FEATURE 14 and 15) and close sends
 * CONNECT_CLOSE. Failing to reach the daemon is CORE_ERR_NO_CONNECT naming
 * the socket; errors the server sends arrive with every field as sent.
 * Events arrive through the CoreEventSink given to open, from the
 * connection's own reader thread, for the kinds enabled with
 * host.event_enable (one server registration per kind). get_uri answers
 * the URI as opened without a call, as libvirt's remote client does.
 *
 * The entries are generated from remote-procs.def by gen-remote-client.py
 * (core-remote-stubs.[ch] in the build directory); the ones whose
 * procedures are "call custom" are in core-remote-custom.c.
 */
#pragma once

#include "core-driver.h"

G_BEGIN_DECLS

extern const CoreDriver core_remote_driver;

/**
 * core_remote_socket_path:
 * @uri: a connection URI
 * @readonly: TRUE for a read-only open (the daemon's -sock-ro socket)
 * The socket @uri resolves to: its "socket" parameter if set; otherwise
 * the socket of the daemon serving the URI's driver (qemu -> qemud, ...,
 * test and anything else -> proxyd) in DIR/run/vireo when VIREO_ROOT=DIR
 * is set, else /run/vireo for root or a /system path, else
 * $XDG_RUNTIME_DIR/vireo; when that socket does not exist but the
 * proxy's does, the proxy's. Errors: what core_uri_parse() reports;
 * CORE_ERR_NO_CONNECT for transports other than unix or a host.
 * Returns: (transfer full) the path, NULL on error.
 */
char *core_remote_socket_path(const char *uri, gboolean readonly, GError **error);

G_END_DECLS
