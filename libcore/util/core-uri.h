/* core-uri: connection URIs, driver[+transport]://[user@][host[:port]]/path[?params].
 *
 * Parsing is GLib's GUri plus the rules libvirt clients follow: the
 * scheme splits into driver and transport at the first '+', IPv6 hosts
 * lose their brackets, query parameters are an ordered list of unescaped
 * name/value pairs (names compared case-insensitively), and formatting
 * always writes an authority ("qemu:///system", never "qemu:/system").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
    char *name;  /* unescaped */
    char *value; /* unescaped, "" for "?name" or "?name=" */
} CoreUriParam;

typedef struct {
    char *scheme;    /* lowercase, with the transport: "qemu+ssh" */
    char *driver;    /* scheme before '+': "qemu" */
    char *transport; /* scheme after '+': "ssh"; NULL without '+' */
    char *user;      /* NULL when absent */
    char *host;      /* NULL when absent or empty; IPv6 without brackets */
    int port;        /* -1 when absent */
    char *path;      /* unescaped; "" when absent */
    char *fragment;  /* NULL when absent */
    GPtrArray *params; /* (element-type CoreUriParam) in query order */
} CoreUri;

/**
 * core_uri_parse:
 * @str: the URI text
 * @error: CORE_ERR_INVALID_ARG (origin URI) with a message starting
 *     "unable to parse URI '<str>'" when @str is not an absolute URI with
 *     a driver, has an empty transport, bad %-escapes, a bad port, or
 *     whitespace/control characters
 * Returns: (transfer full) the parsed URI, NULL on error.
 */
CoreUri *core_uri_parse(const char *str, GError **error);

/* Frees @uri and everything it owns; NULL is a no-op. */
void core_uri_free(CoreUri *uri);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreUri, core_uri_free)

/**
 * core_uri_format:
 * Formats @uri back to text, escaping what needs escaping. The scheme is
 * uri->scheme (set driver/transport only to read them).
 * Returns: (transfer full) the URI string.
 */
char *core_uri_format(const CoreUri *uri);

/* (transfer full) The query string of @uri ("a=1&b=x%20y"), "" when it has
 * no parameters. Values are escaped, names written as they are. */
char *core_uri_format_params(const CoreUri *uri);

/* (transfer none) Value of the last parameter named @name (any case), NULL
 * when absent. The last one wins, as it does for libvirt clients. */
const char *core_uri_get_param(const CoreUri *uri, const char *name);

/* Appends a parameter (copies @name and @value). */
void core_uri_add_param(CoreUri *uri, const char *name, const char *value);

/* Removes every parameter named @name (any case); returns how many. */
guint core_uri_remove_param(CoreUri *uri, const char *name);

/* TRUE when @name (any case) is a parameter only the client uses (socket,
 * mode, keyfile, ...: PROTOCOL.md 3.2), never sent to the server. */
gboolean core_uri_is_client_param(const char *name);

/**
 * core_uri_open_name:
 * The name a client sends in CONNECT_OPEN for @uri: the value of a
 * "name" parameter if there is one; "" for the "remote" driver (the
 * server picks); otherwise the URI re-formatted with the transport
 * removed from the scheme, without user, host and port, and without the
 * client-only parameters ("test+unix:///default?socket=/x" gives
 * "test:///default").
 * Returns: (transfer full) the name.
 */
char *core_uri_open_name(const CoreUri *uri);

G_END_DECLS
