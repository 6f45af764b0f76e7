/* core-rpc-session-priv: the session state shared by the dispatcher and the
 * hand-written handlers (core-rpc-handlers.c, core-rpc-events.c). */
#pragma once

#include "core-rpc-dispatch.h"

G_BEGIN_DECLS

typedef enum {
    CORE_RPC_EVENT_CLASS_DOMAIN,
    CORE_RPC_EVENT_CLASS_NETWORK,
    CORE_RPC_EVENT_CLASS_POOL,
} CoreRpcEventClass;

typedef struct {
    int callback_id;
    CoreRpcEventClass klass;
    int event_id;
    guint8 uuid[CORE_UUID_LEN]; /* filter, when has_filter */
    gboolean has_filter;
} CoreRpcEventReg;

struct _CoreRpcSession {
    /* Protects regs and dead against the driver's event sink, which runs on
     * arbitrary threads. Everything else is touched by the main loop only,
     * or read by jobs after CONNECT_OPEN set it once. */
    GMutex lock;
    CoreRpcSessionHooks hooks;
    gboolean readonly;
    gboolean keepalive;
    gboolean close_callback;
    gboolean dead;
    const CoreDriver *driver;
    gpointer conn;
    GArray *regs; /* CoreRpcEventReg */
    int next_callback_id;
    guint jobs; /* jobs made and not freed yet (main loop only) */
};

/* The driver's event sink for this session (core-rpc-events.c). */
void core_rpc_session_event_sink(const CoreEvent *ev, gpointer user_data);
/* Turns off every event kind the session enabled in the driver. */
void core_rpc_session_events_disable_all(CoreRpcSession *session);

G_END_DECLS
