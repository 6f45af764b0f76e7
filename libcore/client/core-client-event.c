/* core-client-event: event registrations and their delivery.
 *
 * The driver calls core_client_event_sink() from whatever thread caused
 * the event (the caller's own thread for in-process drivers, the I/O
 * thread for the remote driver). The sink never runs callbacks itself: it
 * queues one idle source per matching registration on the registration's
 * GMainContext, so callbacks run where the application iterates that
 * context and may call back into libvireo freely.
 */
#define CORE_FROM_THIS CORE_FROM_NONE
#include "core-client-priv.h"

typedef enum {
    FAMILY_DOMAIN,
    FAMILY_NETWORK,
    FAMILY_POOL,
} Family;

typedef struct {
    gatomicrefcount ref;
    int id;
    Family family;
    gint active;             /* atomic; 0 once deregistered */
    VireoConnect *conn;      /* not a reference: valid while active */
    GMainContext *ctx;
    gpointer callback;
    gpointer user_data;
    GDestroyNotify destroy;
} EventReg;

typedef struct {
    EventReg *reg;           /* a reference */
    CoreEvent *ev;
} Delivery;

static const CoreEventKind family_kinds[][3] = {
    [FAMILY_DOMAIN] = { CORE_EVENT_DOMAIN_LIFECYCLE, CORE_EVENT_DOMAIN_REBOOT, CORE_EVENT_LAST },
    [FAMILY_NETWORK] = { CORE_EVENT_NETWORK_LIFECYCLE, CORE_EVENT_LAST, CORE_EVENT_LAST },
    [FAMILY_POOL] = { CORE_EVENT_POOL_LIFECYCLE, CORE_EVENT_POOL_REFRESH, CORE_EVENT_LAST },
};

static Family
kind_family(CoreEventKind kind, int *ret_id)
{
    switch (kind) {
    case CORE_EVENT_DOMAIN_LIFECYCLE:
        *ret_id = VIREO_DOMAIN_EVENT_ID_LIFECYCLE;
        return FAMILY_DOMAIN;
    case CORE_EVENT_DOMAIN_REBOOT:
        *ret_id = VIREO_DOMAIN_EVENT_ID_REBOOT;
        return FAMILY_DOMAIN;
    case CORE_EVENT_NETWORK_LIFECYCLE:
        *ret_id = VIREO_NETWORK_EVENT_ID_LIFECYCLE;
        return FAMILY_NETWORK;
    case CORE_EVENT_POOL_LIFECYCLE:
        *ret_id = VIREO_STORAGE_POOL_EVENT_ID_LIFECYCLE;
        return FAMILY_POOL;
    case CORE_EVENT_POOL_REFRESH:
        *ret_id = VIREO_STORAGE_POOL_EVENT_ID_REFRESH;
        return FAMILY_POOL;
    case CORE_EVENT_LAST:
    default:
        break;
    }
    *ret_id = -1;
    return FAMILY_DOMAIN;
}

static EventReg *
reg_ref(EventReg *reg)
{
    g_atomic_ref_count_inc(&reg->ref);
    return reg;
}

static void
reg_unref(EventReg *reg)
{
    if (!reg || !g_atomic_ref_count_dec(&reg->ref))
        return;
    if (reg->destroy)
        reg->destroy(reg->user_data);
    g_main_context_unref(reg->ctx);
    g_free(reg);
}

static void
delivery_free(gpointer data)
{
    Delivery *d = data;

    reg_unref(d->reg);
    core_event_free(d->ev);
    g_free(d);
}

static void
deliver_domain(EventReg *reg, const CoreEvent *ev, int id)
{
    g_autoptr(VireoDomain) dom = NULL;

    if (!ev->dom)
        return;
    dom = core_client_domain_new(reg->conn, core_domain_ref_copy(ev->dom));
    ((VireoDomainEventFunc)reg->callback)(reg->conn, dom, id, ev->event, ev->detail,
                                          reg->user_data);
}

static void
deliver_network(EventReg *reg, const CoreEvent *ev, int id)
{
    g_autoptr(VireoNetwork) net = NULL;

    if (!ev->net)
        return;
    net = core_client_network_new(reg->conn, core_network_ref_copy(ev->net));
    ((VireoNetworkEventFunc)reg->callback)(reg->conn, net, id, ev->event, ev->detail,
                                           reg->user_data);
}

static void
deliver_pool(EventReg *reg, const CoreEvent *ev, int id)
{
    g_autoptr(VireoStoragePool) pool = NULL;

    if (!ev->pool)
        return;
    pool = core_client_pool_new(reg->conn, core_pool_ref_copy(ev->pool));
    ((VireoStoragePoolEventFunc)reg->callback)(reg->conn, pool, id, ev->event, ev->detail,
                                               reg->user_data);
}

static gboolean
deliver(gpointer data)
{
    Delivery *d = data;
    int id = -1;
    Family family = kind_family(d->ev->kind, &id);

    if (!g_atomic_int_get(&d->reg->active) || id < 0)
        return G_SOURCE_REMOVE;
    switch (family) {
    case FAMILY_DOMAIN:
        deliver_domain(d->reg, d->ev, id);
        break;
    case FAMILY_NETWORK:
        deliver_network(d->reg, d->ev, id);
        break;
    case FAMILY_POOL:
        deliver_pool(d->reg, d->ev, id);
        break;
    }
    return G_SOURCE_REMOVE;
}

static void
queue_delivery(EventReg *reg, const CoreEvent *ev)
{
    Delivery *d = g_new0(Delivery, 1);
    g_autoptr(GSource) src = g_idle_source_new();

    d->reg = reg_ref(reg);
    d->ev = core_event_copy(ev);
    g_source_set_priority(src, G_PRIORITY_DEFAULT);
    g_source_set_callback(src, deliver, d, delivery_free);
    g_source_set_static_name(src, "vireo-event");
    g_source_attach(src, reg->ctx);
}

void
core_client_event_sink(const CoreEvent *ev, gpointer data)
{
    VireoConnect *conn = data;
    int id = -1;
    Family family = kind_family(ev->kind, &id);

    if (id < 0)
        return;
    g_mutex_lock(&conn->lock);
    for (guint i = 0; i < conn->regs->len; i++) {
        EventReg *reg = conn->regs->pdata[i];

        if (reg->family == family && g_atomic_int_get(&reg->active))
            queue_delivery(reg, ev);
    }
    g_mutex_unlock(&conn->lock);
}

/* Counts registrations per kind and tells the driver when a kind goes from
 * unwanted to wanted or back. Called with enable_lock held. */
static gboolean
update_enabled(VireoConnect *conn, Family family, gboolean enable, GError **error)
{
    const CoreEventKind *kinds = family_kinds[family];

    for (size_t i = 0; kinds[i] != CORE_EVENT_LAST; i++) {
        guint *count = &conn->enabled[kinds[i]];
        gboolean edge = enable ? *count == 0 : *count == 1;

        if (edge && conn->drv->host->event_enable &&
            !conn->drv->host->event_enable(conn->conn, kinds[i], enable, error) && enable) {
            /* undo the kinds enabled so far */
            for (size_t j = 0; j < i; j++) {
                if (--conn->enabled[kinds[j]] == 0)
                    conn->drv->host->event_enable(conn->conn, kinds[j], FALSE, NULL);
            }
            return FALSE;
        }
        if (enable)
            (*count)++;
        else if (*count > 0)
            (*count)--;
    }
    return TRUE;
}

static int
register_any(VireoConnect *conn, Family family, GMainContext *ctx, gpointer callback,
             gpointer user_data, GDestroyNotify destroy, GError **error)
{
    EventReg *reg = NULL;
    int id;

    g_mutex_lock(&conn->enable_lock);
    if (!update_enabled(conn, family, TRUE, error)) {
        g_mutex_unlock(&conn->enable_lock);
        return -1;
    }
    reg = g_new0(EventReg, 1);
    g_atomic_ref_count_init(&reg->ref);
    reg->family = family;
    reg->active = 1;
    reg->conn = conn;
    reg->ctx = ctx ? g_main_context_ref(ctx) : g_main_context_ref(g_main_context_default());
    reg->callback = callback;
    reg->user_data = user_data;
    reg->destroy = destroy;
    g_mutex_lock(&conn->lock);
    id = reg->id = conn->next_reg_id++;
    g_ptr_array_add(conn->regs, reg);
    g_mutex_unlock(&conn->lock);
    g_mutex_unlock(&conn->enable_lock);
    return id;
}

int
vireo_connect_domain_event_register(VireoConnect *conn, GMainContext *ctx,
                                    VireoDomainEventFunc callback, gpointer user_data,
                                    GDestroyNotify destroy, GError **error)
{
    g_return_val_if_fail(conn && callback, -1);
    return register_any(conn, FAMILY_DOMAIN, ctx, (gpointer)callback, user_data, destroy,
                        error);
}

int
vireo_connect_network_event_register(VireoConnect *conn, GMainContext *ctx,
                                     VireoNetworkEventFunc callback, gpointer user_data,
                                     GDestroyNotify destroy, GError **error)
{
    g_return_val_if_fail(conn && callback, -1);
    return register_any(conn, FAMILY_NETWORK, ctx, (gpointer)callback, user_data, destroy,
                        error);
}

int
vireo_connect_storage_pool_event_register(VireoConnect *conn, GMainContext *ctx,
                                          VireoStoragePoolEventFunc callback,
                                          gpointer user_data, GDestroyNotify destroy,
                                          GError **error)
{
    g_return_val_if_fail(conn && callback, -1);
    return register_any(conn, FAMILY_POOL, ctx, (gpointer)callback, user_data, destroy,
                        error);
}

gboolean
vireo_connect_event_deregister(VireoConnect *conn, int id, GError **error)
{
    EventReg *reg = NULL;

    g_return_val_if_fail(conn, FALSE);
    g_mutex_lock(&conn->enable_lock);
    g_mutex_lock(&conn->lock);
    for (guint i = 0; i < conn->regs->len; i++) {
        EventReg *cand = conn->regs->pdata[i];

        if (cand->id == id) {
            reg = g_ptr_array_steal_index(conn->regs, i);
            g_atomic_int_set(&reg->active, 0);
            break;
        }
    }
    g_mutex_unlock(&conn->lock);
    if (!reg) {
        g_mutex_unlock(&conn->enable_lock);
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "could not find event callback %d for deregistration", id);
    }
    /* a failing disable leaves events flowing to a sink that drops them */
    update_enabled(conn, reg->family, FALSE, NULL);
    g_mutex_unlock(&conn->enable_lock);
    reg_unref(reg);
    return TRUE;
}

gboolean
vireo_connect_domain_event_deregister(VireoConnect *conn, int id, GError **error)
{
    return vireo_connect_event_deregister(conn, id, error);
}

gboolean
vireo_connect_network_event_deregister(VireoConnect *conn, int id, GError **error)
{
    return vireo_connect_event_deregister(conn, id, error);
}

gboolean
vireo_connect_storage_pool_event_deregister(VireoConnect *conn, int id, GError **error)
{
    return vireo_connect_event_deregister(conn, id, error);
}

void
core_client_event_clear(VireoConnect *conn)
{
    g_mutex_lock(&conn->lock);
    while (conn->regs->len > 0) {
        EventReg *reg = g_ptr_array_steal_index(conn->regs, conn->regs->len - 1);

        g_atomic_int_set(&reg->active, 0);
        g_mutex_unlock(&conn->lock);
        reg_unref(reg);
        g_mutex_lock(&conn->lock);
    }
    g_mutex_unlock(&conn->lock);
}
