/* core-daemon-config: see core-daemon-config.h. */
#include "core-daemon-config.h"

#include <errno.h>
#include <string.h>

#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_CONF

#define GROUP "daemon"

static const char *const daemon_keys[] = {
    "unix_sock_group", "unix_sock_rw_perms", "unix_sock_ro_perms", "unix_sock_admin_perms",
    "bind_libvirt_sockets", "log_level", "log_filters", "timeout", "max_clients",
    "max_anonymous_clients", "max_workers", "keepalive_interval", "keepalive_count",
    "max_client_queue_bytes", NULL,
};

void
core_daemon_config_free(CoreDaemonConfig *config)
{
    if (!config)
        return;
    g_free(config->unix_sock_group);
    g_free(config->log_filters);
    g_clear_pointer(&config->file, core_config_free);
    g_free(config);
}

/* libvirt's config files quote strings; accept both spellings. */
static gboolean
get_string(const CoreConfig *file, const char *key, char **ret, GError **error)
{
    char *value = NULL;
    gsize len;

    if (!core_config_get_string(file, GROUP, key, NULL, &value, error))
        return FALSE;
    len = value ? strlen(value) : 0;
    if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
        memmove(value, value + 1, len - 2);
        value[len - 2] = '\0';
    }
    g_free(*ret);
    *ret = value;
    return TRUE;
}

/* Socket modes are octal, which core-config's decimal getter cannot read. */
static gboolean
get_perms(const CoreConfig *file, const char *key, guint def, guint *ret, GError **error)
{
    g_autofree char *text = NULL;
    char *end = NULL;
    guint64 v;

    if (!get_string(file, key, &text, error))
        return FALSE;
    if (!text) {
        *ret = def;
        return TRUE;
    }
    errno = 0;
    v = g_ascii_strtoull(text, &end, 8);
    if (!*text || *text == '-' || *text == '+' || *end || errno || v > 0777)
        return core_error_set(error, CORE_ERR_CONF_SYNTAX,
                              "%s: [%s] %s: '%s' is not an octal mode such as 0660",
                              core_config_get_name(file), GROUP, key, text);
    *ret = (guint)v;
    return TRUE;
}

static gboolean
get_uint(const CoreConfig *file, const char *key, gint64 min, gint64 max, guint *ret,
         GError **error)
{
    gint64 v;

    if (!core_config_get_int(file, GROUP, key, *ret, min, max, &v, error))
        return FALSE;
    *ret = (guint)v;
    return TRUE;
}

static gboolean
load_daemon_group(CoreDaemonConfig *c, GError **error)
{
    const CoreConfig *f = c->file;
    guint log_level = (guint)c->log_level;
    guint queue = 0;

    if (!core_config_check_keys(f, GROUP, daemon_keys, error) ||
        !get_string(f, "unix_sock_group", &c->unix_sock_group, error) ||
        !get_perms(f, "unix_sock_rw_perms", 0600, &c->unix_sock_rw_perms, error) ||
        !get_perms(f, "unix_sock_ro_perms", 0666, &c->unix_sock_ro_perms, error) ||
        !get_perms(f, "unix_sock_admin_perms", 0600, &c->unix_sock_admin_perms, error) ||
        !core_config_get_bool(f, GROUP, "bind_libvirt_sockets", FALSE,
                              &c->bind_libvirt_sockets, error) ||
        !get_uint(f, "log_level", 1, 4, &log_level, error) ||
        !get_string(f, "log_filters", &c->log_filters, error) ||
        !get_uint(f, "timeout", 0, G_MAXINT / 1000, &c->timeout, error) ||
        !get_uint(f, "max_clients", 1, 1000000, &c->rpc.max_clients, error) ||
        !get_uint(f, "max_anonymous_clients", 1, 1000000, &c->rpc.max_anonymous, error) ||
        !get_uint(f, "max_workers", 1, 1024, &c->rpc.max_workers, error) ||
        !get_uint(f, "keepalive_interval", 1, 3600, &c->rpc.keepalive_interval, error) ||
        !get_uint(f, "keepalive_count", 1, 1000, &c->rpc.keepalive_count, error) ||
        !get_uint(f, "max_client_queue_bytes", 65536, G_MAXINT32, &queue, error))
        return FALSE;
    c->log_level = (int)log_level;
    c->rpc.max_queued_bytes = queue;
    if (c->unix_sock_group && !*c->unix_sock_group)
        g_clear_pointer(&c->unix_sock_group, g_free);
    return TRUE;
}

CoreDaemonConfig *
core_daemon_config_load(const char *path, gboolean must_exist, GError **error)
{
    g_autoptr(CoreDaemonConfig) c = g_new0(CoreDaemonConfig, 1);

    c->log_level = 3;
    c->file = core_config_load(path, !must_exist, error);
    if (!c->file || !load_daemon_group(c, error))
        return NULL;
    return g_steal_pointer(&c);
}
