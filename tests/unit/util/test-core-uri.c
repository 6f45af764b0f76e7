/* Unit tests for core-uri: real connection URIs, round trips, the name
 * sent in CONNECT_OPEN and bad input. */
#include <string.h>

#include "core-error.h"
#include "core-uri.h"

typedef struct {
    const char *in;
    const char *driver;
    const char *transport;
    const char *user;
    const char *host;
    int port;
    const char *path;
    guint n_params;
    const char *formatted; /* NULL: same as @in */
    const char *open_name;
} UriCase;

static const UriCase cases[] = {
    { "qemu:///system", "qemu", NULL, NULL, NULL, -1, "/system", 0, NULL, "qemu:///system" },
    { "qemu:///session", "qemu", NULL, NULL, NULL, -1, "/session", 0, NULL, "qemu:///session" },
    { "test:///default", "test", NULL, NULL, NULL, -1, "/default", 0, NULL, "test:///default" },
    { "test+unix:///default?socket=/x", "test", "unix", NULL, NULL, -1, "/default", 1, NULL,
      "test:///default" },
    { "qemu+ssh://root@host:22/system?keyfile=/root/.ssh/id_ed25519&no_verify=1", "qemu", "ssh",
      "root", "host", 22, "/system", 2, NULL, "qemu:///system" },
    { "test:///tmp/a.xml", "test", NULL, NULL, NULL, -1, "/tmp/a.xml", 0, NULL,
      "test:///tmp/a.xml" },
    { "lxc:///", "lxc", NULL, NULL, NULL, -1, "/", 0, NULL, "lxc:///" },
    { "lxc:///system", "lxc", NULL, NULL, NULL, -1, "/system", 0, NULL, "lxc:///system" },
    { "remote:///system", "remote", NULL, NULL, NULL, -1, "/system", 0, NULL, "" },
    { "remote+unix:///?socket=/run/vireo/proxyd-sock", "remote", "unix", NULL, NULL, -1, "/", 1,
      NULL, "" },
    { "qemu+tcp://[::1]:16509/system", "qemu", "tcp", NULL, "::1", 16509, "/system", 0, NULL,
      "qemu:///system" },
    { "qemu+tls://[fe80::1]/system", "qemu", "tls", NULL, "fe80::1", -1, "/system", 0, NULL,
      "qemu:///system" },
    { "xen:///system", "xen", NULL, NULL, NULL, -1, "/system", 0, NULL, "xen:///system" },
    { "network:///system", "network", NULL, NULL, NULL, -1, "/system", 0, NULL,
      "network:///system" },
    { "QEMU:///system", "qemu", NULL, NULL, NULL, -1, "/system", 0, "qemu:///system",
      "qemu:///system" },
    { "qemu:/system", "qemu", NULL, NULL, NULL, -1, "/system", 0, "qemu:///system",
      "qemu:///system" },
    { "test:///tmp/a%20b.xml", "test", NULL, NULL, NULL, -1, "/tmp/a b.xml", 0, NULL,
      "test:///tmp/a%20b.xml" },
    { "qemu+unix:///system?mode=legacy&foo=bar&socket=/s", "qemu", "unix", NULL, NULL, -1,
      "/system", 3, NULL, "qemu:///system?foo=bar" },
    { "qemu:///embed?root=/var/tmp/r", "qemu", NULL, NULL, NULL, -1, "/embed", 1, NULL,
      "qemu:///embed?root=/var/tmp/r" },
    { "test+unix:///default?name=qemu:///system&socket=/x", "test", "unix", NULL, NULL, -1,
      "/default", 2, NULL, "qemu:///system" },
    { "qemu+ssh://user@example.org/system#frag", "qemu", "ssh", "user", "example.org", -1,
      "/system", 0, NULL, "qemu:///system#frag" },
};

static void
test_cases(void)
{
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        const UriCase *c = &cases[i];
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreUri) uri = core_uri_parse(c->in, &error);
        g_autofree char *out = NULL;
        g_autofree char *name = NULL;

        g_test_message("URI %s", c->in);
        g_assert_no_error(error);
        g_assert_nonnull(uri);
        g_assert_cmpstr(uri->driver, ==, c->driver);
        g_assert_cmpstr(uri->transport, ==, c->transport);
        g_assert_cmpstr(uri->user, ==, c->user);
        g_assert_cmpstr(uri->host, ==, c->host);
        g_assert_cmpint(uri->port, ==, c->port);
        g_assert_cmpstr(uri->path, ==, c->path);
        g_assert_cmpuint(uri->params->len, ==, c->n_params);
        out = core_uri_format(uri);
        g_assert_cmpstr(out, ==, c->formatted ? c->formatted : c->in);
        name = core_uri_open_name(uri);
        g_assert_cmpstr(name, ==, c->open_name);
    }
}

static void
test_params(void)
{
    g_autoptr(CoreUri) uri =
        core_uri_parse("test:///default?a=1&b=x%20y%26z&&=ignored;c&d=&A=2&e=%2B", NULL);
    const CoreUriParam *p;
    g_autofree char *query = NULL;

    g_assert_nonnull(uri);
    g_assert_cmpuint(uri->params->len, ==, 6);
    p = g_ptr_array_index(uri->params, 0);
    g_assert_cmpstr(p->name, ==, "a");
    g_assert_cmpstr(p->value, ==, "1");
    p = g_ptr_array_index(uri->params, 1);
    g_assert_cmpstr(p->value, ==, "x y&z");
    g_assert_cmpstr(core_uri_get_param(uri, "c"), ==, "");
    g_assert_cmpstr(core_uri_get_param(uri, "d"), ==, "");
    g_assert_cmpstr(core_uri_get_param(uri, "e"), ==, "+");
    /* Names compare in any case; the last one wins. */
    g_assert_cmpstr(core_uri_get_param(uri, "a"), ==, "2");
    g_assert_null(core_uri_get_param(uri, "missing"));

    query = core_uri_format_params(uri);
    g_assert_cmpstr(query, ==, "a=1&b=x%20y%26z&c=&d=&A=2&e=%2B");

    g_assert_cmpuint(core_uri_remove_param(uri, "A"), ==, 2);
    core_uri_add_param(uri, "socket", "/run/x y");
    g_clear_pointer(&query, g_free);
    query = core_uri_format(uri);
    g_assert_cmpstr(query, ==, "test:///default?b=x%20y%26z&c=&d=&e=%2B&socket=/run/x%20y");
}

static void
test_round_trip(void)
{
    static const char *const uris[] = {
        "qemu+ssh://root@host:22/system?keyfile=/a%20b&x=1",
        "qemu+tcp://[::1]:16509/system",
        "test:///default",
    };

    for (guint i = 0; i < G_N_ELEMENTS(uris); i++) {
        g_autoptr(CoreUri) a = core_uri_parse(uris[i], NULL);
        g_autofree char *s1 = core_uri_format(a);
        g_autoptr(CoreUri) b = core_uri_parse(s1, NULL);
        g_autofree char *s2 = core_uri_format(b);

        g_assert_cmpstr(s1, ==, s2);
        g_assert_cmpstr(a->host, ==, b->host);
        g_assert_cmpstr(core_uri_get_param(a, "keyfile"), ==, core_uri_get_param(b, "keyfile"));
    }
}

static void
test_client_params(void)
{
    g_assert_true(core_uri_is_client_param("socket"));
    g_assert_true(core_uri_is_client_param("SOCKET"));
    g_assert_true(core_uri_is_client_param("known_hosts_verify"));
    g_assert_true(core_uri_is_client_param("authfile"));
    g_assert_false(core_uri_is_client_param("root"));
    g_assert_false(core_uri_is_client_param("transport"));
}

static void
test_bad(void)
{
    static const char *const bad[] = {
        "", "qemu", "/system", ":///", "qemu://%zz/", "qemu+tcp://h:99999/",
        "qemu+:///system", "+unix:///system", "qemu://a b/", "test:///x\n",
        "test:///default?a=%zz", "test:///default?a%00=1",
    };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(CoreUri) uri = core_uri_parse(bad[i], &error);
        g_autofree char *want = g_strdup_printf("unable to parse URI '%s'", bad[i]);

        g_test_message("bad URI '%s'", bad[i]);
        g_assert_null(uri);
        g_assert_error(error, CORE_ERROR, CORE_ERR_INVALID_ARG);
        g_assert_cmpint(core_error_get_from(error), ==, CORE_FROM_URI);
        g_assert_nonnull(strstr(error->message, want));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/uri/cases", test_cases);
    g_test_add_func("/util/uri/params", test_params);
    g_test_add_func("/util/uri/round-trip", test_round_trip);
    g_test_add_func("/util/uri/client-params", test_client_params);
    g_test_add_func("/util/uri/bad", test_bad);
    return g_test_run();
}
