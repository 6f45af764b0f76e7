/* core-client-registry: which driver serves a URI.
 *
 * Embedded URIs (no host, no transport: "test:///default") are served by
 * the drivers linked into libvireo and run in the calling process. Every
 * other URI goes to a daemon through core_remote_driver. The build defines
 * CORE_CLIENT_HAVE_TEST_DRIVER / CORE_CLIENT_HAVE_REMOTE_DRIVER when those
 * drivers are part of libcore (see libcore/client/meson.build).
 */
#define CORE_FROM_THIS CORE_FROM_NONE
#include "core-client-priv.h"

#include <string.h>

#ifdef CORE_CLIENT_HAVE_REMOTE_DRIVER
# include "core-remote-driver.h"
#endif

static const CoreDriver *const embedded_drivers[] = {
#ifdef CORE_CLIENT_HAVE_TEST_DRIVER
    &core_test_driver,
#endif
    NULL,
};

gboolean
core_client_have_remote(void)
{
#ifdef CORE_CLIENT_HAVE_REMOTE_DRIVER
    return TRUE;
#else
    return FALSE;
#endif
}

/* "scheme:///path" with a plain scheme (no "+transport"), no host and no
 * "socket=" parameter (which names a daemon's socket, so the remote
 * driver serves it). */
static gboolean
uri_is_embedded(const char *uri, char **ret_scheme)
{
    const char *colon = strchr(uri, ':');
    const char *query = strchr(uri, '?');
    g_autofree char *scheme = NULL;

    if (!colon || colon == uri || !g_str_has_prefix(colon, ":///"))
        return FALSE;
    if (query && (g_str_has_prefix(query + 1, "socket=") || strstr(query, "&socket=")))
        return FALSE;
    scheme = g_strndup(uri, colon - uri);
    if (strchr(scheme, '+'))
        return FALSE;
    *ret_scheme = g_steal_pointer(&scheme);
    return TRUE;
}

static gboolean
driver_serves(const CoreDriver *drv, const char *scheme)
{
    for (size_t i = 0; drv->schemes && drv->schemes[i]; i++) {
        if (g_ascii_strcasecmp(drv->schemes[i], scheme) == 0)
            return TRUE;
    }
    return FALSE;
}

const CoreDriver *
core_client_driver_for_uri(const char *uri, GError **error)
{
    g_autofree char *scheme = NULL;

    if (uri_is_embedded(uri, &scheme)) {
        for (size_t i = 0; embedded_drivers[i]; i++) {
            if (driver_serves(embedded_drivers[i], scheme))
                return embedded_drivers[i];
        }
    }
#ifdef CORE_CLIENT_HAVE_REMOTE_DRIVER
    return &core_remote_driver;
#else
    {
        g_autofree char *msg = g_strdup_printf(
            "no connection driver available for %s (this libvireo was built without "
            "the remote driver: only embedded URIs such as test:///default can be opened)",
            uri);
        core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_NO_CONNECT, msg);
    }
    return NULL;
#endif
}
