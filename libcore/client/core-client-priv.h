/* core-client-priv.h: libvireo internals shared by its source files. */
#pragma once

#define VIREO_COMPILATION
#include "vireo/vireo.h"

#include "core-driver.h"
#include "core-error.h"

G_BEGIN_DECLS

struct _VireoConnect {
    gatomicrefcount ref;
    const CoreDriver *drv;
    gpointer conn;          /* the driver's per-connection state */
    char *uri;              /* as requested (default applied) */
    guint flags;            /* VireoConnectFlags */
    GMutex lock;            /* guards the event registrations */
    GMutex enable_lock;     /* serializes (de)registration; never taken by the sink */
    GPtrArray *regs;        /* (element-type CoreClientEventReg) */
    int next_reg_id;
    guint enabled[CORE_EVENT_LAST]; /* registrations per kind */
};

struct _VireoDomain {
    gatomicrefcount ref;
    VireoConnect *conn;
    CoreDomainRef *ref_;
};

struct _VireoNetwork {
    gatomicrefcount ref;
    VireoConnect *conn;
    CoreNetworkRef *ref_;
};

struct _VireoStoragePool {
    gatomicrefcount ref;
    VireoConnect *conn;
    CorePoolRef *ref_;
};

struct _VireoStorageVol {
    gatomicrefcount ref;
    VireoConnect *conn;
    CoreVolRef *ref_;
};

/* core-client-registry.c */

/* (transfer none) The driver serving @uri: the in-process drivers for
 * embedded URIs, otherwise the remote driver when this build has it. Sets
 * CORE_ERR_NO_CONNECT when none does. */
const CoreDriver *core_client_driver_for_uri(const char *uri, GError **error);

/* TRUE when this build can reach daemons (the remote driver is linked). */
gboolean core_client_have_remote(void);

/* core-client-connect.c */

/* Sets CORE_ERR_NO_SUPPORT naming @func; returns FALSE. */
gboolean core_client_no_support(GError **error, CoreErrorFrom from, const char *func);
/* FALSE with CORE_ERR_OPERATION_DENIED when @conn is read-only. */
gboolean core_client_check_writable(VireoConnect *conn, CoreErrorFrom from, const char *func,
                                    GError **error);

/* core-client-event.c */

/* The CoreEventSink given to the driver at open; @data is the VireoConnect. */
void core_client_event_sink(const CoreEvent *ev, gpointer data);
/* Ends every registration of @conn (called when it is finalized). */
void core_client_event_clear(VireoConnect *conn);

/* Handle constructors: they take a reference on @conn and (transfer full)
 * the ref (it is freed on failure paths by the caller otherwise). */
VireoDomain *core_client_domain_new(VireoConnect *conn, CoreDomainRef *ref);
VireoNetwork *core_client_network_new(VireoConnect *conn, CoreNetworkRef *ref);
VireoStoragePool *core_client_pool_new(VireoConnect *conn, CorePoolRef *ref);
VireoStorageVol *core_client_vol_new(VireoConnect *conn, CoreVolRef *ref);

/* Parses a UUID in text form (dashes optional); FALSE with INVALID_ARG. */
gboolean core_client_uuid_parse(const char *str, guint8 *uuid, GError **error);
/* Formats @uuid into @buf (VIREO_UUID_STRING_BUFLEN). */
void core_client_uuid_format(const guint8 *uuid, char *buf);

/* Entry presence check used by every wrapper; @api is libvirt's name of
 * the call ("virDomainSuspend"), which messages use so that they read as
 * libvirt's do. */
#define CORE_CLIENT_NEED(c, table, entry, from, api, error, retval)              \
    do {                                                                         \
        if (!(c)->drv->table || !(c)->drv->table->entry) {                       \
            core_client_no_support((error), (from), (api));                      \
            return (retval);                                                     \
        }                                                                        \
    } while (0)

#define CORE_CLIENT_WRITABLE(c, from, api, error, retval)                        \
    do {                                                                         \
        if (!core_client_check_writable((c), (from), (api), (error)))            \
            return (retval);                                                     \
    } while (0)

G_END_DECLS
