/* vireo-event.h: lifecycle events.
 *
 * Drivers raise events on their own threads; libvireo hands each event to
 * the GMainContext given at registration (g_main_context_invoke_full), so
 * callbacks run wherever that context is iterated. A callback is never
 * called after its deregistration returned when both happen on the
 * context's own thread; @destroy runs once the registration is gone and no
 * delivery for it is pending.
 */
#pragma once

#if !defined(VIREO_INSIDE) && !defined(VIREO_COMPILATION)
#error "Only <vireo/vireo.h> can be included directly."
#endif

#include <vireo/vireo-common.h>

G_BEGIN_DECLS

/* Which event a callback receives (libvirt's event ids). */
typedef enum {
    VIREO_DOMAIN_EVENT_ID_LIFECYCLE = 0, /* event: virDomainEventType, detail: its detail */
    VIREO_DOMAIN_EVENT_ID_REBOOT = 1,    /* event and detail are 0 */
} VireoDomainEventId;

typedef enum {
    VIREO_NETWORK_EVENT_ID_LIFECYCLE = 0,
} VireoNetworkEventId;

typedef enum {
    VIREO_STORAGE_POOL_EVENT_ID_LIFECYCLE = 0,
    VIREO_STORAGE_POOL_EVENT_ID_REFRESH = 1,
} VireoStoragePoolEventId;

/* virDomainEventType values */
typedef enum {
    VIREO_DOMAIN_EVENT_DEFINED = 0,
    VIREO_DOMAIN_EVENT_UNDEFINED = 1,
    VIREO_DOMAIN_EVENT_STARTED = 2,
    VIREO_DOMAIN_EVENT_SUSPENDED = 3,
    VIREO_DOMAIN_EVENT_RESUMED = 4,
    VIREO_DOMAIN_EVENT_STOPPED = 5,
    VIREO_DOMAIN_EVENT_SHUTDOWN = 6,
    VIREO_DOMAIN_EVENT_PMSUSPENDED = 7,
    VIREO_DOMAIN_EVENT_CRASHED = 8,
} VireoDomainEventType;

/* @dom is (transfer none): ref it to keep it beyond the call. */
typedef void (*VireoDomainEventFunc)(VireoConnect *conn, VireoDomain *dom,
                                     VireoDomainEventId id, int event, int detail,
                                     gpointer user_data);
typedef void (*VireoNetworkEventFunc)(VireoConnect *conn, VireoNetwork *net,
                                      VireoNetworkEventId id, int event, int detail,
                                      gpointer user_data);
typedef void (*VireoStoragePoolEventFunc)(VireoConnect *conn, VireoStoragePool *pool,
                                          VireoStoragePoolEventId id, int event, int detail,
                                          gpointer user_data);

/**
 * vireo_connect_domain_event_register:
 * @conn: the connection
 * @ctx: (nullable) context the callback runs on; NULL = the global default
 * @callback: called for every domain lifecycle and reboot event on @conn
 * @user_data: passed to @callback
 * @destroy: (nullable) frees @user_data when the registration ends
 * @error: return location for an error
 * Returns: a registration id (> 0), -1 on failure.
 */
int vireo_connect_domain_event_register(VireoConnect *conn, GMainContext *ctx,
                                        VireoDomainEventFunc callback, gpointer user_data,
                                        GDestroyNotify destroy, GError **error);
/* Network lifecycle events; same rules as domain events. */
int vireo_connect_network_event_register(VireoConnect *conn, GMainContext *ctx,
                                         VireoNetworkEventFunc callback, gpointer user_data,
                                         GDestroyNotify destroy, GError **error);
/* Storage pool lifecycle and refresh events; same rules as domain events. */
int vireo_connect_storage_pool_event_register(VireoConnect *conn, GMainContext *ctx,
                                              VireoStoragePoolEventFunc callback,
                                              gpointer user_data, GDestroyNotify destroy,
                                              GError **error);

/**
 * vireo_connect_event_deregister:
 * Ends the registration @id (of any kind) made on @conn. Events already
 * queued for it are dropped. Returns FALSE with code 8 for an unknown id.
 */
gboolean vireo_connect_event_deregister(VireoConnect *conn, int id, GError **error);

/* Aliases matching the per-kind naming. */
gboolean vireo_connect_domain_event_deregister(VireoConnect *conn, int id, GError **error);
gboolean vireo_connect_network_event_deregister(VireoConnect *conn, int id, GError **error);
gboolean vireo_connect_storage_pool_event_deregister(VireoConnect *conn, int id,
                                                     GError **error);

G_END_DECLS
