/* core-rpc-error: the one conversion between GError and the wire's
 * remote_error (code, domain, message, level, dom, str1-3, int1-2, net).
 */
#pragma once

#include <glib.h>

#include "core-xdr.h"

G_BEGIN_DECLS

/* Appends the remote_error encoding of @err to @w. A CORE_ERROR error keeps
 * its code, origin, level and extra fields; any other error goes out as
 * CORE_ERR_INTERNAL_ERROR from CORE_FROM_RPC with "internal error: " before
 * its message. dom and net are always NULL. Fails only when a string is
 * longer than the protocol allows. */
gboolean core_rpc_error_to_wire(const GError *err, CoreXdrWriter *w, GError **error);

/* Decodes a remote_error from @r into *ret_err (transfer full, a CORE_ERROR
 * built with core_error_new_wire()). FALSE with @error when undecodable. */
gboolean core_rpc_error_from_wire(CoreXdrReader *r, GError **ret_err, GError **error);

G_END_DECLS
