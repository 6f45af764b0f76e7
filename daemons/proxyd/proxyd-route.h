/* proxyd-route: which daemon serves which URI, and the open hook that
 * sends a client there.
 *
 * The scheme map comes from the [routes] group of proxyd.conf (scheme =
 * daemon short name, or "local" for the in-process test driver) on top of
 * the defaults qemu=qemud, lxc=lxcd, xen=xend, network=networkd,
 * storage=storaged, nwfilter=nwfilterd, nodedev=nodedevd, test=local.
 * A routed client is handed to the target daemon over its admin socket
 * ([proxy] handoff = true, the default) or relayed byte for byte.
 */
#pragma once

#include "core-daemon.h"

G_BEGIN_DECLS

typedef struct _ProxydRouter ProxydRouter;

/* (transfer full) Reads [proxy] and [routes] of @daemon's config and
 * installs the open hook on its server. NULL with CORE_ERR_CONF_SYNTAX
 * for a bad config. */
ProxydRouter *proxyd_router_new(CoreDaemon *daemon, GError **error);
/* Ends every relay and pending hand-off. */
void proxyd_router_free(ProxydRouter *router);

/* (transfer none) The daemon serving URI scheme @scheme, NULL when the
 * proxy serves it in-process. */
const char *proxyd_router_lookup(ProxydRouter *router, const char *scheme);

G_END_DECLS
