/* core-daemon-admin-proto: what the two halves of libvirt's admin program
 * share: core-daemon-admin-proto.c (dispatch, servers, clients) and
 * core-daemon-admin-settings.c (worker pool, client limits, logging). */
#pragma once

#include <glib.h>

#include "core-daemon-admin-priv.h"
#include "core-xdr.h"

G_BEGIN_DECLS

/* A procedure: decodes its arguments from @r (all of them), acts, and
 * encodes its result into @w; FALSE with @error set on failure. */
typedef gboolean (*CoreDaemonAdminHandler)(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                           CoreXdrWriter *w, GError **error);

/* The two servers a daemon shows (see core-daemon-admin-priv.h). */
typedef enum {
    CORE_ADMIN_SERVER_DAEMON,       /* the daemon's RPC clients */
    CORE_ADMIN_SERVER_ADMIN_SOCKET, /* the admin socket's connections */
} CoreAdminServer;

/* libvirt's check of unknown flags: CORE_ERR_INVALID_ARG naming @func. */
gboolean core_daemon_admin_check_flags(guint32 flags, const char *func, GError **error);

/* (transfer full) "vireo-NAME", the name of the daemon's own server. */
char *core_daemon_admin_server_name(CoreDaemonAdminCall *call);

/* Resolves server @name; CORE_ERR_NO_SERVER otherwise, worded as libvirt's
 * dispatcher words it (@dispatcher) or as its lookup does. */
gboolean core_daemon_admin_find_server(CoreDaemonAdminCall *call, const char *name,
                                       gboolean dispatcher, CoreAdminServer *ret,
                                       GError **error);

/* (transfer full) An empty array of CoreTypedParam that clears its
 * elements when freed. */
GArray *core_daemon_admin_params_new(void);
/* Append a parameter @field to @params (the name and a string are copied). */
void core_daemon_admin_param_int(GArray *params, const char *field, gint32 value);
void core_daemon_admin_param_uint(GArray *params, const char *field, guint32 value);
void core_daemon_admin_param_bool(GArray *params, const char *field, gboolean value);
void core_daemon_admin_param_string(GArray *params, const char *field, const char *value);
/* Encodes admin_typed_param params<@max>. */
gboolean core_daemon_admin_put_params(CoreXdrWriter *w, GArray *params, guint max,
                                      GError **error);

/* core-daemon-admin-settings.c */
gboolean core_daemon_admin_get_threadpool(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                          CoreXdrWriter *w, GError **error);
gboolean core_daemon_admin_set_threadpool(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                          CoreXdrWriter *w, GError **error);
gboolean core_daemon_admin_get_client_limits(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                             CoreXdrWriter *w, GError **error);
gboolean core_daemon_admin_set_client_limits(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                             CoreXdrWriter *w, GError **error);
gboolean core_daemon_admin_get_log_outputs(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                           CoreXdrWriter *w, GError **error);
gboolean core_daemon_admin_get_log_filters(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                           CoreXdrWriter *w, GError **error);
gboolean core_daemon_admin_set_log_outputs(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                           CoreXdrWriter *w, GError **error);
gboolean core_daemon_admin_set_log_filters(CoreDaemonAdminCall *call, CoreXdrReader *r,
                                           CoreXdrWriter *w, GError **error);

G_END_DECLS
