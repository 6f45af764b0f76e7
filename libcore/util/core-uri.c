/* core-uri: see core-uri.h. */
#include "core-uri.h"

#include <string.h>

#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_URI

/* GUri decodes user, host and path; the query stays raw so that '&', ';'
 * and '=' inside escaped values survive the split into parameters. */
#define PARSE_FLAGS (G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS)

/* Characters left unescaped in parameter values besides the unreserved
 * ones; '&', ';', '=', '+' and '#' must always be escaped there. */
#define VALUE_SAFE_CHARS "/:@,"

static const char *const client_params[] = {
    "socket", "mode", "name", "command", "auth", "sshauth", "netcat", "keyfile",
    "pkipath", "known_hosts", "known_hosts_verify", "tls_priority", "proxy",
    "no_sanity", "no_verify", "no_tty", "authfile",
};

static void
param_free(gpointer data)
{
    CoreUriParam *p = data;

    g_free(p->name);
    g_free(p->value);
    g_free(p);
}

void
core_uri_free(CoreUri *uri)
{
    if (!uri)
        return;
    g_free(uri->scheme);
    g_free(uri->driver);
    g_free(uri->transport);
    g_free(uri->user);
    g_free(uri->host);
    g_free(uri->path);
    g_free(uri->fragment);
    g_clear_pointer(&uri->params, g_ptr_array_unref);
    g_free(uri);
}

void
core_uri_add_param(CoreUri *uri, const char *name, const char *value)
{
    CoreUriParam *p = g_new0(CoreUriParam, 1);

    p->name = g_strdup(name);
    p->value = g_strdup(value ? value : "");
    g_ptr_array_add(uri->params, p);
}

static gboolean
bad_uri(GError **error, const char *str, const char *why)
{
    return core_error_set(error, CORE_ERR_INVALID_ARG, "unable to parse URI '%s': %s", str, why);
}

/* Splits one "name[=value]" section; libvirt's rules: "=value" is
 * dropped, "name" and "name=" give an empty value. */
static gboolean
parse_one_param(CoreUri *uri, const char *sec, const char *end, const char *str, GError **error)
{
    const char *eq = memchr(sec, '=', (gsize)(end - sec));
    g_autofree char *name = NULL;
    g_autofree char *value = NULL;

    if (eq == sec)
        return TRUE;
    name = g_uri_unescape_segment(sec, eq ? eq : end, NULL);
    if (eq)
        value = g_uri_unescape_segment(eq + 1, end, NULL);
    if (!name || (eq && !value))
        return bad_uri(error, str, "invalid %-escape in a query parameter");
    core_uri_add_param(uri, name, value);
    return TRUE;
}

static gboolean
parse_params(CoreUri *uri, const char *query, const char *str, GError **error)
{
    const char *sec = query;

    while (sec && *sec) {
        const char *end = sec + strcspn(sec, "&;");

        if (end > sec && !parse_one_param(uri, sec, end, str, error))
            return FALSE;
        sec = *end ? end + 1 : end;
    }
    return TRUE;
}

static gboolean
split_scheme(CoreUri *uri, const char *str, GError **error)
{
    const char *plus = strchr(uri->scheme, '+');

    if (!plus) {
        uri->driver = g_strdup(uri->scheme);
        return TRUE;
    }
    if (plus == uri->scheme)
        return bad_uri(error, str, "no driver before '+' in the scheme");
    if (plus[1] == '\0')
        return bad_uri(error, str, "no transport after '+' in the scheme");
    uri->driver = g_strndup(uri->scheme, (gsize)(plus - uri->scheme));
    uri->transport = g_strdup(plus + 1);
    return TRUE;
}

static gboolean
has_bad_chars(const char *str)
{
    for (const char *p = str; *p; p++) {
        if (g_ascii_isspace(*p) || g_ascii_iscntrl(*p))
            return TRUE;
    }
    return FALSE;
}

CoreUri *
core_uri_parse(const char *str, GError **error)
{
    g_autoptr(CoreUri) uri = NULL;
    g_autoptr(GUri) guri = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *host;

    g_return_val_if_fail(str != NULL, NULL);

    if (has_bad_chars(str)) {
        bad_uri(error, str, "it contains whitespace or control characters");
        return NULL;
    }
    guri = g_uri_parse(str, PARSE_FLAGS, &gerr);
    if (!guri) {
        bad_uri(error, str, gerr->message);
        return NULL;
    }

    uri = g_new0(CoreUri, 1);
    uri->params = g_ptr_array_new_with_free_func(param_free);
    uri->scheme = g_ascii_strdown(g_uri_get_scheme(guri), -1);
    uri->user = g_strdup(g_uri_get_user(guri));
    host = g_uri_get_host(guri);
    uri->host = host && *host ? g_strdup(host) : NULL;
    uri->port = g_uri_get_port(guri);
    uri->path = g_strdup(g_uri_get_path(guri));
    uri->fragment = g_strdup(g_uri_get_fragment(guri));

    if (!split_scheme(uri, str, error))
        return NULL;
    if (!parse_params(uri, g_uri_get_query(guri), str, error))
        return NULL;
    return g_steal_pointer(&uri);
}

static void
append_params(GString *out, const CoreUri *uri, gboolean skip_client)
{
    gboolean first = TRUE;

    for (guint i = 0; i < uri->params->len; i++) {
        const CoreUriParam *p = g_ptr_array_index(uri->params, i);
        g_autofree char *value = NULL;

        if (skip_client && core_uri_is_client_param(p->name))
            continue;
        value = g_uri_escape_string(p->value, VALUE_SAFE_CHARS, FALSE);
        g_string_append_printf(out, "%s%s=%s", first ? "" : "&", p->name, value);
        first = FALSE;
    }
}

char *
core_uri_format_params(const CoreUri *uri)
{
    GString *out = g_string_new(NULL);

    append_params(out, uri, FALSE);
    return g_string_free(out, FALSE);
}

static char *
join(const char *scheme, const char *user, const char *host, int port, const char *path,
     const char *query, const char *fragment)
{
    /* An empty host still gives "scheme://" so that "qemu:///system" stays
     * in the form every libvirt client writes. */
    return g_uri_join(PARSE_FLAGS, scheme, user, host ? host : "", port, path ? path : "",
                      query && *query ? query : NULL, fragment);
}

char *
core_uri_format(const CoreUri *uri)
{
    g_autofree char *query = core_uri_format_params(uri);

    return join(uri->scheme, uri->user, uri->host, uri->port, uri->path, query, uri->fragment);
}

const char *
core_uri_get_param(const CoreUri *uri, const char *name)
{
    for (guint i = uri->params->len; i > 0; i--) {
        const CoreUriParam *p = g_ptr_array_index(uri->params, i - 1);

        if (g_ascii_strcasecmp(p->name, name) == 0)
            return p->value;
    }
    return NULL;
}

guint
core_uri_remove_param(CoreUri *uri, const char *name)
{
    guint removed = 0;

    for (guint i = uri->params->len; i > 0; i--) {
        const CoreUriParam *p = g_ptr_array_index(uri->params, i - 1);

        if (g_ascii_strcasecmp(p->name, name) == 0) {
            g_ptr_array_remove_index(uri->params, i - 1);
            removed++;
        }
    }
    return removed;
}

gboolean
core_uri_is_client_param(const char *name)
{
    for (guint i = 0; i < G_N_ELEMENTS(client_params); i++) {
        if (g_ascii_strcasecmp(name, client_params[i]) == 0)
            return TRUE;
    }
    return FALSE;
}

char *
core_uri_open_name(const CoreUri *uri)
{
    const char *name = core_uri_get_param(uri, "name");
    g_autoptr(GString) query = NULL;

    if (name)
        return g_strdup(name);
    if (g_str_equal(uri->driver, "remote"))
        return g_strdup("");

    query = g_string_new(NULL);
    append_params(query, uri, TRUE);
    return join(uri->driver, NULL, NULL, -1, uri->path, query->str, uri->fragment);
}
