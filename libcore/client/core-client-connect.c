/* core-client-connect: opening connections, host calls, error accessors. */
#define CORE_FROM_THIS CORE_FROM_NONE
#include "core-client-priv.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vireo-config.h"

GQuark
vireo_error_quark(void)
{
    /* VIREO_ERROR is the core error domain itself, so that errors raised
     * anywhere in libcore reach callers unchanged. */
    return CORE_ERROR;
}

int
vireo_error_get_origin(const GError *error)
{
    return core_error_get_from(error);
}

int
vireo_error_get_level(const GError *error)
{
    const CoreErrorExtra *extra = core_error_get_extra(error);

    return extra ? (int)extra->level : CORE_ERROR_LEVEL_ERROR;
}

guint64
vireo_get_lib_version(void)
{
    unsigned major = 0, minor = 0, micro = 0;

    if (sscanf(VIREO_VERSION, "%u.%u.%u", &major, &minor, &micro) < 1)
        return 0;
    return (guint64)major * 1000000 + minor * 1000 + micro;
}

gboolean
core_client_no_support(GError **error, CoreErrorFrom from, const char *func)
{
    return core_error_set_full(error, from, CORE_ERR_NO_SUPPORT, "%s", func);
}

gboolean
core_client_check_writable(VireoConnect *conn, CoreErrorFrom from, const char *func,
                           GError **error)
{
    if (!(conn->flags & VIREO_CONNECT_READ_ONLY))
        return TRUE;
    return core_error_set_full(error, from, CORE_ERR_OPERATION_DENIED,
                               "read only access prevents %s", func);
}

gboolean
core_client_uuid_parse(const char *str, guint8 *uuid, GError **error)
{
    size_t n = 0;

    for (const char *p = str; *p; p++) {
        if (*p == '-')
            continue;
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]) || n == CORE_UUID_LEN)
            goto bad;
        uuid[n++] = (g_ascii_xdigit_value(p[0]) << 4) | g_ascii_xdigit_value(p[1]);
        p++;
    }
    if (n == CORE_UUID_LEN)
        return TRUE;
bad:
    return core_error_set(error, CORE_ERR_INVALID_ARG, "malformed uuid '%s'", str);
}

void
core_client_uuid_format(const guint8 *u, char *buf)
{
    g_snprintf(buf, VIREO_UUID_STRING_BUFLEN,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
               u[12], u[13], u[14], u[15]);
}

static char *
default_uri(void)
{
    const char *env = g_getenv("VIREO_DEFAULT_URI");

    if (env && *env)
        return g_strdup(env);
    return g_strdup(geteuid() == 0 ? "qemu:///system" : "qemu:///session");
}

VireoConnect *
vireo_connect_open(const char *uri, guint flags, GError **error)
{
    g_autofree char *name = uri ? g_strdup(uri) : default_uri();
    const CoreDriver *drv = NULL;
    VireoConnect *conn = NULL;

    if (!(drv = core_client_driver_for_uri(name, error)))
        return NULL;
    if (!drv->host || !drv->host->open) {
        core_client_no_support(error, CORE_FROM_THIS, "virConnectOpen");
        return NULL;
    }
    conn = g_new0(VireoConnect, 1);
    g_atomic_ref_count_init(&conn->ref);
    g_mutex_init(&conn->lock);
    g_mutex_init(&conn->enable_lock);
    conn->drv = drv;
    conn->flags = flags;
    conn->uri = g_steal_pointer(&name);
    conn->regs = g_ptr_array_new();
    conn->next_reg_id = 1;
    if (!drv->host->open(conn->uri, flags, core_client_event_sink, conn, &conn->conn, error)) {
        conn->drv = NULL;
        vireo_connect_unref(conn);
        return NULL;
    }
    return conn;
}

VireoConnect *
vireo_connect_ref(VireoConnect *conn)
{
    g_return_val_if_fail(conn, NULL);
    g_atomic_ref_count_inc(&conn->ref);
    return conn;
}

void
vireo_connect_unref(VireoConnect *conn)
{
    if (!conn || !g_atomic_ref_count_dec(&conn->ref))
        return;
    /* The driver stops calling the sink once close returns; only then can
     * the registrations go. */
    if (conn->drv && conn->drv->host->close)
        conn->drv->host->close(conn->conn);
    core_client_event_clear(conn);
    g_ptr_array_unref(conn->regs);
    g_mutex_clear(&conn->lock);
    g_mutex_clear(&conn->enable_lock);
    g_free(conn->uri);
    g_free(conn);
}

void
vireo_connect_close(VireoConnect *conn)
{
    vireo_connect_unref(conn);
}

const char *
vireo_connect_get_uri_requested(VireoConnect *conn)
{
    g_return_val_if_fail(conn, NULL);
    return conn->uri;
}

gboolean
vireo_connect_is_read_only(VireoConnect *conn)
{
    g_return_val_if_fail(conn, FALSE);
    return (conn->flags & VIREO_CONNECT_READ_ONLY) != 0;
}

#define HOST_STRING_CALL(fn, entry, api)                                         \
    char *fn(VireoConnect *conn, GError **error)                                 \
    {                                                                            \
        g_return_val_if_fail(conn, NULL);                                        \
        CORE_CLIENT_NEED(conn, host, entry, CORE_FROM_THIS, api, error, NULL);   \
        return conn->drv->host->entry(conn->conn, error);                        \
    }

HOST_STRING_CALL(vireo_connect_get_type, get_type, "virConnectGetType")
HOST_STRING_CALL(vireo_connect_get_uri, get_uri, "virConnectGetURI")
HOST_STRING_CALL(vireo_connect_get_hostname, get_hostname, "virConnectGetHostname")
HOST_STRING_CALL(vireo_connect_get_capabilities, get_capabilities,
                 "virConnectGetCapabilities")

gboolean
vireo_connect_get_version(VireoConnect *conn, guint64 *ret, GError **error)
{
    g_return_val_if_fail(conn && ret, FALSE);
    CORE_CLIENT_NEED(conn, host, get_version, CORE_FROM_THIS, "virConnectGetVersion", error,
                     FALSE);
    return conn->drv->host->get_version(conn->conn, ret, error);
}

char *
vireo_connect_get_sysinfo(VireoConnect *conn, guint flags, GError **error)
{
    g_return_val_if_fail(conn, NULL);
    CORE_CLIENT_NEED(conn, host, get_sysinfo, CORE_FROM_THIS, "virConnectGetSysinfo", error,
                     NULL);
    return conn->drv->host->get_sysinfo(conn->conn, flags, error);
}

int
vireo_connect_get_max_vcpus(VireoConnect *conn, const char *type, GError **error)
{
    g_return_val_if_fail(conn, -1);
    CORE_CLIENT_NEED(conn, host, get_max_vcpus, CORE_FROM_THIS, "virConnectGetMaxVcpus", error, -1);
    return conn->drv->host->get_max_vcpus(conn->conn, type, error);
}

int
vireo_connect_supports_feature(VireoConnect *conn, int feature, GError **error)
{
    g_return_val_if_fail(conn, -1);
    CORE_CLIENT_NEED(conn, host, supports_feature, CORE_FROM_THIS, "virConnectSupportsFeature",
                     error, -1);
    return conn->drv->host->supports_feature(conn->conn, feature, error);
}

gboolean
vireo_node_get_info(VireoConnect *conn, VireoNodeInfo *ret, GError **error)
{
    CoreNodeInfo info = { 0 };

    g_return_val_if_fail(conn && ret, FALSE);
    CORE_CLIENT_NEED(conn, host, node_get_info, CORE_FROM_THIS, "virNodeGetInfo", error,
                     FALSE);
    if (!conn->drv->host->node_get_info(conn->conn, &info, error))
        return FALSE;
    G_STATIC_ASSERT(sizeof(ret->model) == sizeof(info.model));
    memcpy(ret->model, info.model, sizeof(ret->model));
    ret->model[sizeof(ret->model) - 1] = '\0';
    ret->memory_kib = info.memory_kib;
    ret->cpus = info.cpus;
    ret->mhz = info.mhz;
    ret->nodes = info.nodes;
    ret->sockets = info.sockets;
    ret->cores = info.cores;
    ret->threads = info.threads;
    return TRUE;
}

gboolean
vireo_node_get_free_memory(VireoConnect *conn, guint64 *ret_bytes, GError **error)
{
    g_return_val_if_fail(conn && ret_bytes, FALSE);
    CORE_CLIENT_NEED(conn, host, node_get_free_memory, CORE_FROM_THIS, "virNodeGetFreeMemory",
                     error, FALSE);
    return conn->drv->host->node_get_free_memory(conn->conn, ret_bytes, error);
}

gboolean
vireo_node_get_security_model(VireoConnect *conn, VireoSecurityModel *ret, GError **error)
{
    g_autofree CoreSecurityModel *model = g_new0(CoreSecurityModel, 1);

    g_return_val_if_fail(conn && ret, FALSE);
    CORE_CLIENT_NEED(conn, host, node_get_security_model, CORE_FROM_THIS, "virNodeGetSecurityModel",
                     error, FALSE);
    if (!conn->drv->host->node_get_security_model(conn->conn, model, error))
        return FALSE;
    G_STATIC_ASSERT(sizeof(ret->model) == sizeof(model->model));
    G_STATIC_ASSERT(sizeof(ret->doi) == sizeof(model->doi));
    g_strlcpy(ret->model, model->model, sizeof(ret->model));
    g_strlcpy(ret->doi, model->doi, sizeof(ret->doi));
    return TRUE;
}
