/* vireo-host.h: opening connections and host-wide calls. */
#pragma once

#if !defined(VIREO_INSIDE) && !defined(VIREO_COMPILATION)
#error "Only <vireo/vireo.h> can be included directly."
#endif

#include <vireo/vireo-common.h>

G_BEGIN_DECLS

/* Node facts (virNodeInfo). */
typedef struct {
    char model[32];
    guint64 memory_kib;
    int cpus;
    int mhz;
    int nodes;
    int sockets;
    int cores;
    int threads;
} VireoNodeInfo;

/* Security driver of the host (virSecurityModel); model is "" when none. */
typedef struct {
    char model[257];
    char doi[257];
} VireoSecurityModel;

/**
 * vireo_connect_open:
 * @uri: (nullable) the URI to open. NULL means $VIREO_DEFAULT_URI when set,
 *   otherwise "qemu:///system" for root and "qemu:///session" for others
 *   (libvirt's default). "test:///default" and "test:///ABSOLUTE/PATH.xml"
 *   run the in-memory test driver inside the calling process; any other URI
 *   goes to a daemon through the remote driver.
 * @flags: VireoConnectFlags
 * @error: return location for an error (code 5 when no driver serves @uri)
 * Returns: (transfer full) a new connection, NULL on failure.
 */
VireoConnect *vireo_connect_open(const char *uri, guint flags, GError **error);

/* (transfer full) Takes a reference on @conn and returns it. */
VireoConnect *vireo_connect_ref(VireoConnect *conn);

/* Drops a reference; the connection closes when the last one (including
 * those held by object handles) goes. NULL is allowed. */
void vireo_connect_unref(VireoConnect *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VireoConnect, vireo_connect_unref)

/* Same as vireo_connect_unref() (libvirt's virConnectClose). */
void vireo_connect_close(VireoConnect *conn);

/* (transfer none) The URI as given to vireo_connect_open() (after the
 * default was applied). */
const char *vireo_connect_get_uri_requested(VireoConnect *conn);

/* TRUE when opened with VIREO_CONNECT_READ_ONLY. */
gboolean vireo_connect_is_read_only(VireoConnect *conn);

/* libvireo's own version: major * 1000000 + minor * 1000 + micro. */
guint64 vireo_get_lib_version(void);

/* (transfer full) The driver's type name ("Test", "QEMU"). */
char *vireo_connect_get_type(VireoConnect *conn, GError **error);
/* The hypervisor version (major * 1000000 + minor * 1000 + micro). */
gboolean vireo_connect_get_version(VireoConnect *conn, guint64 *ret, GError **error);
/* (transfer full) The canonical URI of the connection. */
char *vireo_connect_get_uri(VireoConnect *conn, GError **error);
/* (transfer full) */
char *vireo_connect_get_hostname(VireoConnect *conn, GError **error);
/* (transfer full) The capabilities XML. */
char *vireo_connect_get_capabilities(VireoConnect *conn, GError **error);
/* (transfer full) The sysinfo XML. */
char *vireo_connect_get_sysinfo(VireoConnect *conn, guint flags, GError **error);
/* -1 on failure. @type may be NULL. */
int vireo_connect_get_max_vcpus(VireoConnect *conn, const char *type, GError **error);
/* 1 supported, 0 not, -1 on failure (wire feature numbers). */
int vireo_connect_supports_feature(VireoConnect *conn, int feature, GError **error);

gboolean vireo_node_get_info(VireoConnect *conn, VireoNodeInfo *ret, GError **error);
gboolean vireo_node_get_free_memory(VireoConnect *conn, guint64 *ret_bytes, GError **error);
gboolean vireo_node_get_security_model(VireoConnect *conn, VireoSecurityModel *ret,
                                       GError **error);

G_END_DECLS
