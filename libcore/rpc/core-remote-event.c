/* core-remote-event: event registration with the server and decoding of
 * the MESSAGE packets it sends (the "callback" procedures of PROTOCOL.md
 * 5.5 and 6).
 *
 * One server registration per event kind, without an object filter; the
 * filtering per object and per application callback happens in libvireo.
 * A message is delivered when its kind is wanted: the kind is known from
 * the message procedure alone, so an event that overtakes the register
 * reply on the reader thread is not lost.
 */
#define CORE_FROM_THIS CORE_FROM_REMOTE
#include "core-error.h"
#include "core-log.h"
#include "core-remote-priv.h"
#include "core-rpc-message.h"
#include "core-rpc-protocol.h"

CORE_LOG_INIT("core.rpc.remote.event");

typedef enum {
    FAMILY_DOMAIN,
    FAMILY_NETWORK,
    FAMILY_POOL,
} Family;

static const struct {
    Family family;
    int event_id; /* libvirt's event ID within the family */
    int msg_proc; /* the MESSAGE procedure carrying it */
} kinds[CORE_EVENT_LAST] = {
    [CORE_EVENT_DOMAIN_LIFECYCLE] = { FAMILY_DOMAIN, 0,
                                      CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE },
    [CORE_EVENT_DOMAIN_REBOOT] = { FAMILY_DOMAIN, 1,
                                   CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT },
    [CORE_EVENT_NETWORK_LIFECYCLE] = { FAMILY_NETWORK, 0,
                                       CORE_RPC_REMOTE_PROC_NETWORK_EVENT_LIFECYCLE },
    [CORE_EVENT_POOL_LIFECYCLE] = { FAMILY_POOL, 0,
                                    CORE_RPC_REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE },
    [CORE_EVENT_POOL_REFRESH] = { FAMILY_POOL, 1,
                                  CORE_RPC_REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH },
    [CORE_EVENT_DOMAIN_METADATA_CHANGE] = {
        FAMILY_DOMAIN, 23, CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_METADATA_CHANGE },
};

/* Registers for @kind; the server's callbackID goes to *ret_id. */
static gboolean
register_kind(CoreRemote *priv, CoreEventKind kind, int *ret_id, GError **error)
{
    /* every register procedure has the same layout: {int eventID; NULL
     * object filter} -> {int callbackID}; the ret structs agree */
    CoreRpcConnectDomainEventCallbackRegisterAnyRet out = { 0 };
    int proc;
    gboolean ok;

    switch (kinds[kind].family) {
    case FAMILY_DOMAIN: {
        CoreRpcConnectDomainEventCallbackRegisterAnyArgs in = { .eventID = kinds[kind].event_id };

        proc = CORE_RPC_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY;
        ok = core_remote_invoke(priv, proc, &in, &out, error);
        break;
    }
    case FAMILY_NETWORK: {
        CoreRpcConnectNetworkEventRegisterAnyArgs in = { .eventID = kinds[kind].event_id };

        proc = CORE_RPC_REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY;
        ok = core_remote_invoke(priv, proc, &in, &out, error);
        break;
    }
    case FAMILY_POOL:
    default: {
        CoreRpcConnectStoragePoolEventRegisterAnyArgs in = { .eventID = kinds[kind].event_id };

        proc = CORE_RPC_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY;
        ok = core_remote_invoke(priv, proc, &in, &out, error);
        break;
    }
    }
    G_STATIC_ASSERT(sizeof(CoreRpcConnectDomainEventCallbackRegisterAnyRet) ==
                    sizeof(CoreRpcConnectNetworkEventRegisterAnyRet));
    G_STATIC_ASSERT(sizeof(CoreRpcConnectDomainEventCallbackRegisterAnyRet) ==
                    sizeof(CoreRpcConnectStoragePoolEventRegisterAnyRet));
    if (ok)
        *ret_id = out.callbackID;
    return ok;
}

static gboolean
deregister_kind(CoreRemote *priv, CoreEventKind kind, int callback_id, GError **error)
{
    /* every deregister procedure's args are {int callbackID} */
    CoreRpcConnectDomainEventCallbackDeregisterAnyArgs in = { .callbackID = callback_id };
    static const int procs[] = {
        [FAMILY_DOMAIN] = CORE_RPC_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
        [FAMILY_NETWORK] = CORE_RPC_REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY,
        [FAMILY_POOL] = CORE_RPC_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY,
    };

    G_STATIC_ASSERT(sizeof(in) == sizeof(CoreRpcConnectNetworkEventDeregisterAnyArgs));
    G_STATIC_ASSERT(sizeof(in) == sizeof(CoreRpcConnectStoragePoolEventDeregisterAnyArgs));
    return core_remote_invoke(priv, procs[kinds[kind].family], &in, NULL, error);
}

gboolean
core_remote_event_enable(gpointer conn, CoreEventKind kind, gboolean enable, GError **error)
{
    CoreRemote *priv = conn;
    int id;

    g_return_val_if_fail(kind >= 0 && kind < CORE_EVENT_LAST, FALSE);
    if (!priv->event_callbacks)
        return core_error_set(error, CORE_ERR_NO_SUPPORT,
                              "the daemon does not offer event callbacks");
    g_mutex_lock(&priv->lock);
    id = priv->callback_id[kind];
    if ((id >= 0) == !!enable) {
        g_mutex_unlock(&priv->lock);
        return TRUE;
    }
    priv->wanted[kind] = enable;
    priv->callback_id[kind] = -1;
    g_mutex_unlock(&priv->lock);

    if (!enable)
        return deregister_kind(priv, kind, id, error);
    if (!register_kind(priv, kind, &id, error)) {
        g_mutex_lock(&priv->lock);
        priv->wanted[kind] = FALSE;
        g_mutex_unlock(&priv->lock);
        return FALSE;
    }
    g_mutex_lock(&priv->lock);
    priv->callback_id[kind] = id;
    g_mutex_unlock(&priv->lock);
    return TRUE;
}

/* Decodes the body of MESSAGE @proc into @ev; FALSE for procedures this
 * client does not follow or bodies that do not decode. */
static gboolean
decode_event(int proc, CoreXdrReader *r, CoreEvent *ev, int *ret_callback_id, GError **error)
{
    switch (proc) {
    case CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE: {
        CoreRpcDomainEventCallbackLifecycleMsg m = { 0 };

        if (!core_rpc_domain_event_callback_lifecycle_msg_decode(r, &m, error)) {
            core_rpc_domain_event_callback_lifecycle_msg_clear(&m);
            return FALSE;
        }
        ev->kind = CORE_EVENT_DOMAIN_LIFECYCLE;
        ev->dom = g_steal_pointer(&m.dom);
        ev->event = m.event;
        ev->detail = m.detail;
        *ret_callback_id = m.callbackID;
        return TRUE;
    }
    case CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT: {
        CoreRpcDomainEventCallbackRebootMsg m = { 0 };

        if (!core_rpc_domain_event_callback_reboot_msg_decode(r, &m, error)) {
            core_rpc_domain_event_callback_reboot_msg_clear(&m);
            return FALSE;
        }
        ev->kind = CORE_EVENT_DOMAIN_REBOOT;
        ev->dom = g_steal_pointer(&m.dom);
        *ret_callback_id = m.callbackID;
        return TRUE;
    }
    case CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_METADATA_CHANGE: {
        CoreRpcDomainEventCallbackMetadataChangeMsg m = { 0 };

        if (!core_rpc_domain_event_callback_metadata_change_msg_decode(r, &m, error)) {
            core_rpc_domain_event_callback_metadata_change_msg_clear(&m);
            return FALSE;
        }
        ev->kind = CORE_EVENT_DOMAIN_METADATA_CHANGE;
        ev->dom = g_steal_pointer(&m.dom);
        ev->event = m.type;
        ev->nsuri = g_steal_pointer(&m.nsuri);
        *ret_callback_id = m.callbackID;
        return TRUE;
    }
    case CORE_RPC_REMOTE_PROC_NETWORK_EVENT_LIFECYCLE: {
        CoreRpcNetworkEventLifecycleMsg m = { 0 };

        if (!core_rpc_network_event_lifecycle_msg_decode(r, &m, error)) {
            core_rpc_network_event_lifecycle_msg_clear(&m);
            return FALSE;
        }
        ev->kind = CORE_EVENT_NETWORK_LIFECYCLE;
        ev->net = g_steal_pointer(&m.net);
        ev->event = m.event;
        ev->detail = m.detail;
        *ret_callback_id = m.callbackID;
        return TRUE;
    }
    case CORE_RPC_REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE: {
        CoreRpcStoragePoolEventLifecycleMsg m = { 0 };

        if (!core_rpc_storage_pool_event_lifecycle_msg_decode(r, &m, error)) {
            core_rpc_storage_pool_event_lifecycle_msg_clear(&m);
            return FALSE;
        }
        ev->kind = CORE_EVENT_POOL_LIFECYCLE;
        ev->pool = g_steal_pointer(&m.pool);
        ev->event = m.event;
        ev->detail = m.detail;
        *ret_callback_id = m.callbackID;
        return TRUE;
    }
    case CORE_RPC_REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH: {
        CoreRpcStoragePoolEventRefreshMsg m = { 0 };

        if (!core_rpc_storage_pool_event_refresh_msg_decode(r, &m, error)) {
            core_rpc_storage_pool_event_refresh_msg_clear(&m);
            return FALSE;
        }
        ev->kind = CORE_EVENT_POOL_REFRESH;
        ev->pool = g_steal_pointer(&m.pool);
        *ret_callback_id = m.callbackID;
        return TRUE;
    }
    default:
        return core_error_set(error, CORE_ERR_RPC, "unexpected event procedure %d", proc);
    }
}

/* A registered kind whose registration is this callbackID (or whose
 * register reply has not been seen yet). */
static gboolean
wanted(CoreRemote *priv, CoreEventKind kind, int callback_id)
{
    gboolean yes;

    g_mutex_lock(&priv->lock);
    yes = priv->wanted[kind] &&
          (priv->callback_id[kind] < 0 || priv->callback_id[kind] == callback_id);
    g_mutex_unlock(&priv->lock);
    return yes;
}

void
core_remote_event_received(guint32 prog, gint32 proc, const guint8 *payload, gsize len,
                           gpointer data)
{
    CoreRemote *priv = data;
    g_autoptr(CoreEvent) ev = g_new0(CoreEvent, 1);
    g_autoptr(GError) err = NULL;
    CoreXdrReader r;
    int callback_id = -1;

    if (prog != CORE_RPC_REMOTE_PROGRAM)
        return;
    core_xdr_reader_init(&r, payload, len);
    if (!decode_event(proc, &r, ev, &callback_id, &err) || !core_xdr_reader_finish(&r, &err)) {
        CORE_DEBUG("ignoring event message %d: %s", proc, err->message);
        return;
    }
    G_STATIC_ASSERT(G_N_ELEMENTS(kinds) == CORE_EVENT_LAST);
    if (priv->sink && wanted(priv, ev->kind, callback_id))
        priv->sink(ev, priv->sink_data);
}
