/* core-rpc-events: event registration procedures (316/317, 313/314,
 * 368/369) and the driver event sink that turns CoreEvents into MESSAGE
 * packets for the registered callbacks. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include <string.h>

#include "core-error.h"
#include "core-log.h"
#include "core-rpc-protocol.h"
#include "core-rpc-session-priv.h"

CORE_LOG_INIT("core.rpc.events");

/* Event ID counts of libvirt 9.0 (VIR_*_EVENT_ID_LAST). */
#define DOMAIN_EVENT_ID_LAST 27
#define NETWORK_EVENT_ID_LAST 1
#define POOL_EVENT_ID_LAST 2
#define DOMAIN_EVENT_ID_METADATA_CHANGE 23

/* Which CoreEventKind (if any) an (event class, event id) pair is. */
static int
kind_of(CoreRpcEventClass klass, int event_id)
{
    switch (klass) {
    case CORE_RPC_EVENT_CLASS_DOMAIN:
        return event_id == 0 ? CORE_EVENT_DOMAIN_LIFECYCLE
               : event_id == 1 ? CORE_EVENT_DOMAIN_REBOOT
               : event_id == DOMAIN_EVENT_ID_METADATA_CHANGE ? CORE_EVENT_DOMAIN_METADATA_CHANGE
                                                              : -1;
    case CORE_RPC_EVENT_CLASS_NETWORK:
        return event_id == 0 ? CORE_EVENT_NETWORK_LIFECYCLE : -1;
    case CORE_RPC_EVENT_CLASS_POOL:
        return event_id == 0 ? CORE_EVENT_POOL_LIFECYCLE
               : event_id == 1 ? CORE_EVENT_POOL_REFRESH
                               : -1;
    }
    return -1;
}

static guint
count_regs(CoreRpcSession *s, CoreRpcEventClass klass, int event_id)
{
    guint n = 0;

    for (guint i = 0; i < s->regs->len; i++) {
        const CoreRpcEventReg *reg = &g_array_index(s->regs, CoreRpcEventReg, i);

        n += reg->klass == klass && reg->event_id == event_id;
    }
    return n;
}

static gboolean
driver_enable(CoreRpcSession *s, int kind, gboolean enable, GError **error)
{
    if (kind < 0 || !s->driver->host || !s->driver->host->event_enable)
        return TRUE;
    return s->driver->host->event_enable(s->conn, kind, enable, error);
}

void
core_rpc_session_events_disable_all(CoreRpcSession *s)
{
    for (int kind = 0; kind < CORE_EVENT_LAST; kind++) {
        gboolean used = FALSE;

        for (guint i = 0; i < s->regs->len; i++) {
            const CoreRpcEventReg *reg = &g_array_index(s->regs, CoreRpcEventReg, i);

            used = used || kind_of(reg->klass, reg->event_id) == kind;
        }
        if (used)
            driver_enable(s, kind, FALSE, NULL);
    }
}

static gboolean
do_register(CoreRpcCall *call, CoreRpcEventClass klass, int event_id, int id_last,
            const guint8 *filter_uuid, gint32 *ret_id, GError **error)
{
    CoreRpcSession *s = call->session;
    CoreRpcEventReg reg = { 0 };

    if (event_id < 0 || event_id >= id_last)
        return core_error_set(error, CORE_ERR_INVALID_ARG, "unsupported event ID %d", event_id);
    if (count_regs(s, klass, event_id) == 0 &&
        !driver_enable(s, kind_of(klass, event_id), TRUE, error))
        return FALSE;
    reg.klass = klass;
    reg.event_id = event_id;
    reg.has_filter = filter_uuid != NULL;
    if (filter_uuid)
        memcpy(reg.uuid, filter_uuid, CORE_UUID_LEN);
    g_mutex_lock(&s->lock);
    reg.callback_id = s->next_callback_id++;
    g_array_append_val(s->regs, reg);
    g_mutex_unlock(&s->lock);
    *ret_id = reg.callback_id;
    return TRUE;
}

static gboolean
do_deregister(CoreRpcCall *call, CoreRpcEventClass klass, int callback_id, const char *what,
              GError **error)
{
    CoreRpcSession *s = call->session;
    int event_id = -1;

    g_mutex_lock(&s->lock);
    for (guint i = 0; i < s->regs->len; i++) {
        const CoreRpcEventReg *reg = &g_array_index(s->regs, CoreRpcEventReg, i);

        if (reg->klass == klass && reg->callback_id == callback_id) {
            event_id = reg->event_id;
            g_array_remove_index(s->regs, i);
            break;
        }
    }
    g_mutex_unlock(&s->lock);
    if (event_id < 0)
        return core_error_set(error, CORE_ERR_INVALID_ARG, "%s event callback %d not registered",
                              what, callback_id);
    if (count_regs(s, klass, event_id) == 0)
        driver_enable(s, kind_of(klass, event_id), FALSE, NULL);
    return TRUE;
}

gboolean
core_rpc_handle_connect_domain_event_callback_register_any(CoreRpcCall *call,
                                                           gconstpointer args_, gpointer ret_,
                                                           GError **error)
{
    const CoreRpcConnectDomainEventCallbackRegisterAnyArgs *args = args_;
    CoreRpcConnectDomainEventCallbackRegisterAnyRet *ret = ret_;

    return do_register(call, CORE_RPC_EVENT_CLASS_DOMAIN, args->eventID, DOMAIN_EVENT_ID_LAST,
                       args->dom ? args->dom->uuid : NULL, &ret->callbackID, error);
}

gboolean
core_rpc_handle_connect_domain_event_callback_deregister_any(CoreRpcCall *call,
                                                             gconstpointer args_, gpointer ret,
                                                             GError **error)
{
    const CoreRpcConnectDomainEventCallbackDeregisterAnyArgs *args = args_;

    return do_deregister(call, CORE_RPC_EVENT_CLASS_DOMAIN, args->callbackID, "domain", error);
}

gboolean
core_rpc_handle_connect_network_event_register_any(CoreRpcCall *call, gconstpointer args_,
                                                   gpointer ret_, GError **error)
{
    const CoreRpcConnectNetworkEventRegisterAnyArgs *args = args_;
    CoreRpcConnectNetworkEventRegisterAnyRet *ret = ret_;

    return do_register(call, CORE_RPC_EVENT_CLASS_NETWORK, args->eventID, NETWORK_EVENT_ID_LAST,
                       args->net ? args->net->uuid : NULL, &ret->callbackID, error);
}

gboolean
core_rpc_handle_connect_network_event_deregister_any(CoreRpcCall *call, gconstpointer args_,
                                                     gpointer ret, GError **error)
{
    const CoreRpcConnectNetworkEventDeregisterAnyArgs *args = args_;

    return do_deregister(call, CORE_RPC_EVENT_CLASS_NETWORK, args->callbackID, "network",
                         error);
}

gboolean
core_rpc_handle_connect_storage_pool_event_register_any(CoreRpcCall *call, gconstpointer args_,
                                                        gpointer ret_, GError **error)
{
    const CoreRpcConnectStoragePoolEventRegisterAnyArgs *args = args_;
    CoreRpcConnectStoragePoolEventRegisterAnyRet *ret = ret_;

    return do_register(call, CORE_RPC_EVENT_CLASS_POOL, args->eventID, POOL_EVENT_ID_LAST,
                       args->pool ? args->pool->uuid : NULL, &ret->callbackID, error);
}

gboolean
core_rpc_handle_connect_storage_pool_event_deregister_any(CoreRpcCall *call,
                                                          gconstpointer args_, gpointer ret,
                                                          GError **error)
{
    const CoreRpcConnectStoragePoolEventDeregisterAnyArgs *args = args_;

    return do_deregister(call, CORE_RPC_EVENT_CLASS_POOL, args->callbackID, "storage pool",
                         error);
}

/* ---- delivery ------------------------------------------------------------------ */

/* Encodes the message body of @ev for callback @cb_id into @w. Returns the
 * event procedure number, or -1 when @ev cannot be described. */
static int
encode_event(const CoreEvent *ev, int cb_id, CoreXdrWriter *w)
{
    switch (ev->kind) {
    case CORE_EVENT_DOMAIN_LIFECYCLE: {
        CoreRpcDomainEventCallbackLifecycleMsg m = {
            .callbackID = cb_id, .dom = ev->dom, .event = ev->event, .detail = ev->detail,
        };
        return core_rpc_domain_event_callback_lifecycle_msg_encode(w, &m, NULL)
                   ? CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE
                   : -1;
    }
    case CORE_EVENT_DOMAIN_REBOOT: {
        CoreRpcDomainEventCallbackRebootMsg m = { .callbackID = cb_id, .dom = ev->dom };
        return core_rpc_domain_event_callback_reboot_msg_encode(w, &m, NULL)
                   ? CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT
                   : -1;
    }
    case CORE_EVENT_DOMAIN_METADATA_CHANGE: {
        CoreRpcDomainEventCallbackMetadataChangeMsg m = {
            .callbackID = cb_id, .dom = ev->dom, .type = ev->event, .nsuri = ev->nsuri,
        };
        return core_rpc_domain_event_callback_metadata_change_msg_encode(w, &m, NULL)
                   ? CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_METADATA_CHANGE
                   : -1;
    }
    case CORE_EVENT_NETWORK_LIFECYCLE: {
        CoreRpcNetworkEventLifecycleMsg m = {
            .callbackID = cb_id, .net = ev->net, .event = ev->event, .detail = ev->detail,
        };
        return core_rpc_network_event_lifecycle_msg_encode(w, &m, NULL)
                   ? CORE_RPC_REMOTE_PROC_NETWORK_EVENT_LIFECYCLE
                   : -1;
    }
    case CORE_EVENT_POOL_LIFECYCLE: {
        CoreRpcStoragePoolEventLifecycleMsg m = {
            .callbackID = cb_id, .pool = ev->pool, .event = ev->event, .detail = ev->detail,
        };
        return core_rpc_storage_pool_event_lifecycle_msg_encode(w, &m, NULL)
                   ? CORE_RPC_REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE
                   : -1;
    }
    case CORE_EVENT_POOL_REFRESH: {
        CoreRpcStoragePoolEventRefreshMsg m = { .callbackID = cb_id, .pool = ev->pool };
        return core_rpc_storage_pool_event_refresh_msg_encode(w, &m, NULL)
                   ? CORE_RPC_REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH
                   : -1;
    }
    case CORE_EVENT_LAST:
        break;
    }
    return -1;
}

/* The event's class, id and object UUID; FALSE when the event lacks its object. */
static gboolean
event_target(const CoreEvent *ev, CoreRpcEventClass *ret_class, int *ret_id,
             const guint8 **ret_uuid)
{
    switch (ev->kind) {
    case CORE_EVENT_DOMAIN_LIFECYCLE:
    case CORE_EVENT_DOMAIN_REBOOT:
    case CORE_EVENT_DOMAIN_METADATA_CHANGE:
        *ret_class = CORE_RPC_EVENT_CLASS_DOMAIN;
        *ret_id = ev->kind == CORE_EVENT_DOMAIN_REBOOT ? 1
                  : ev->kind == CORE_EVENT_DOMAIN_METADATA_CHANGE ? DOMAIN_EVENT_ID_METADATA_CHANGE
                                                                  : 0;
        *ret_uuid = ev->dom ? ev->dom->uuid : NULL;
        break;
    case CORE_EVENT_NETWORK_LIFECYCLE:
        *ret_class = CORE_RPC_EVENT_CLASS_NETWORK;
        *ret_id = 0;
        *ret_uuid = ev->net ? ev->net->uuid : NULL;
        break;
    case CORE_EVENT_POOL_LIFECYCLE:
    case CORE_EVENT_POOL_REFRESH:
        *ret_class = CORE_RPC_EVENT_CLASS_POOL;
        *ret_id = ev->kind == CORE_EVENT_POOL_REFRESH ? 1 : 0;
        *ret_uuid = ev->pool ? ev->pool->uuid : NULL;
        break;
    case CORE_EVENT_LAST:
        return FALSE;
    }
    return *ret_uuid != NULL;
}

static GBytes *
build_event_packet(const CoreEvent *ev, int cb_id)
{
    CoreRpcHeader h = {
        .prog = CORE_RPC_REMOTE_PROGRAM,
        .vers = CORE_RPC_PROTOCOL_VERSION,
        .type = CORE_RPC_MESSAGE,
        .serial = 1, /* what libvirtd 9.0 sends; clients ignore it */
        .status = CORE_RPC_STATUS_OK,
    };
    CoreXdrWriter body, w;
    GBytes *out = NULL;

    core_xdr_writer_init(&body);
    core_xdr_writer_init(&w);
    h.proc = encode_event(ev, cb_id, &body);
    if (h.proc > 0) {
        core_rpc_message_begin(&w, &h, 0);
        core_xdr_put_raw(&w, body.buf->data, body.buf->len);
        if (core_rpc_message_end(&w, NULL))
            out = core_xdr_writer_steal(&w);
    }
    core_xdr_writer_clear(&w);
    core_xdr_writer_clear(&body);
    return out;
}

void
core_rpc_session_event_sink(const CoreEvent *ev, gpointer user_data)
{
    CoreRpcSession *s = user_data;
    CoreRpcEventClass klass = CORE_RPC_EVENT_CLASS_DOMAIN;
    const guint8 *uuid = NULL;
    int event_id = -1;

    if (!ev || !event_target(ev, &klass, &event_id, &uuid))
        return;
    g_mutex_lock(&s->lock);
    for (guint i = 0; !s->dead && i < s->regs->len; i++) {
        const CoreRpcEventReg *reg = &g_array_index(s->regs, CoreRpcEventReg, i);
        GBytes *packet;

        if (reg->klass != klass || reg->event_id != event_id)
            continue;
        if (reg->has_filter && memcmp(reg->uuid, uuid, CORE_UUID_LEN) != 0)
            continue;
        if (!(packet = build_event_packet(ev, reg->callback_id))) {
            CORE_WARN("cannot encode event %d for callback %d", ev->kind, reg->callback_id);
            continue;
        }
        if (s->hooks.queue_event)
            s->hooks.queue_event(packet, s->hooks.event_data);
        else
            g_bytes_unref(packet);
    }
    g_mutex_unlock(&s->lock);
}
