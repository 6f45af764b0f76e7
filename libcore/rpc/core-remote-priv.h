/* core-remote-priv: what the files of the remote driver share.
 *
 * core-remote-driver.c opens and closes connections and sends calls,
 * core-remote-custom.c completes the entries whose procedures are "call
 * custom" in remote-procs.def, core-remote-event.c registers for events
 * and decodes them, and the generated core-remote-stubs.c holds every
 * other entry.
 */
#pragma once

#include <glib.h>

#include "core-driver.h"
#include "core-remote-conn.h"

G_BEGIN_DECLS

/* The driver's per-connection state (the gpointer conn of every entry). */
typedef struct {
    CoreRemoteConn *rpc;
    char *uri;   /* as the application gave it */
    guint flags; /* open flags: bit 0 read-only */
    gboolean event_callbacks; /* the server answered feature 14 with 1 */
    CoreEventSink sink;
    gpointer sink_data;
    GMutex lock;                       /* the two arrays below */
    gboolean wanted[CORE_EVENT_LAST];  /* events of that kind go to the sink */
    int callback_id[CORE_EVENT_LAST];  /* the server's registration, -1 = none */
    GPtrArray *consoles;               /* (nullable) open consoles; under lock */
} CoreRemote;

/**
 * core_remote_invoke:
 * @conn: a CoreRemote
 * @proc: a procedure of the remote program
 * @args: (nullable) its args struct, encoded with the generated encoder
 * @ret: (nullable) its zeroed ret struct, filled on success (the caller
 *     clears it); left empty on failure
 * Sends one call and waits for its reply. Errors: the server's error with
 * every field as it sent it; CORE_ERR_RPC when the connection is gone or a
 * payload does not decode.
 */
gboolean core_remote_invoke(gpointer conn, int proc, gconstpointer args, gpointer ret,
                            GError **error);

/* core-remote-event.c: the event_enable entry, and the connection's event
 * function (runs on its reader thread) with @data the CoreRemote. */
gboolean core_remote_event_enable(gpointer conn, CoreEventKind kind, gboolean enable,
                                  GError **error);
void core_remote_event_received(guint32 prog, gint32 proc, const guint8 *payload, gsize len,
                                gpointer data);

/* core-remote-console.c: the open_console entry (a socketpair end pumped
 * to and from a stream), and the end of every console of @priv (before the
 * connection closes: ends the streams, joins the pump threads). */
typedef struct _CoreRemoteConsole CoreRemoteConsole;
int core_remote_domain_open_console(gpointer conn, const CoreDomainRef *dom, const char *dev_name,
                                    guint flags, GError **error);
void core_remote_console_close_all(CoreRemote *priv);

/* core-remote-custom.c: hand-written entries (same contracts as the
 * CoreHostOps/CoreDomainOps/CoreStorageOps members of the same name). */
gboolean core_remote_host_node_get_info(gpointer conn, CoreNodeInfo *ret, GError **error);
int core_remote_host_supports_feature(gpointer conn, int feature, GError **error);
gboolean core_remote_host_node_get_security_model(gpointer conn, CoreSecurityModel *ret,
                                                  GError **error);
char *core_remote_host_get_uri(gpointer conn, GError **error);
int core_remote_domain_num_of_domains(gpointer conn, GError **error);
int core_remote_domain_num_of_defined_domains(gpointer conn, GError **error);
gboolean core_remote_domain_create(gpointer conn, const CoreDomainRef *dom, guint flags,
                                   GError **error);
gboolean core_remote_domain_get_info(gpointer conn, const CoreDomainRef *dom,
                                     CoreDomainInfo *ret, GError **error);
gboolean core_remote_domain_get_security_label(gpointer conn, const CoreDomainRef *dom,
                                               CoreSecurityLabel *ret, GError **error);
gboolean core_remote_storage_pool_get_info(gpointer conn, const CorePoolRef *pool,
                                           CorePoolInfo *ret, GError **error);
gboolean core_remote_storage_vol_get_info(gpointer conn, const CoreVolRef *vol, CoreVolInfo *ret,
                                          GError **error);
int core_remote_domain_get_vcpus(gpointer conn, const CoreDomainRef *dom, CoreVcpuInfo *info,
                                 int maxinfo, guint8 *cpumaps, int maplen, GError **error);
gboolean core_remote_domain_get_scheduler_parameters(gpointer conn, const CoreDomainRef *dom,
                                                     guint flags, CoreTypedParam **ret_params,
                                                     guint *ret_nparams, GError **error);
gboolean core_remote_domain_get_memory_parameters(gpointer conn, const CoreDomainRef *dom,
                                                  guint flags, CoreTypedParam **ret_params,
                                                  guint *ret_nparams, GError **error);
gboolean core_remote_domain_get_blkio_parameters(gpointer conn, const CoreDomainRef *dom,
                                                 guint flags, CoreTypedParam **ret_params,
                                                 guint *ret_nparams, GError **error);
int core_remote_domain_memory_stats(gpointer conn, const CoreDomainRef *dom,
                                    CoreMemoryStat *stats, guint nr_stats, guint flags,
                                    GError **error);
int core_remote_host_node_get_cells_free_memory(gpointer conn, guint64 *ret, int start, int max,
                                                GError **error);
gboolean core_remote_host_node_get_cpu_stats(gpointer conn, int cpu, guint flags,
                                             CoreTypedParam **ret_params, guint *ret_nparams,
                                             GError **error);
int core_remote_host_node_get_cpu_map(gpointer conn, guint8 **ret_map, guint *ret_online,
                                      guint flags, GError **error);

G_END_DECLS
