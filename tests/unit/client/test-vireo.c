/* Unit tests of libvireo on the in-process test driver (test:///default):
 * open/close, lookups, lists, errors with code and origin, read-only
 * connections, and events delivered on a GMainContext. */
#include <string.h>
#include <vireo/vireo.h>

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

static const char alpha_xml[] =
    "<domain type='test'>\n"
    "  <name>alpha</name>\n"
    "  <uuid>aaaaaaaa-1111-2222-3333-444444444444</uuid>\n"
    "  <memory unit='KiB'>1048576</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os><type>hvm</type></os>\n"
    "</domain>\n";

static VireoConnect *
open_default(void)
{
    g_autoptr(GError) err = NULL;
    VireoConnect *conn = vireo_connect_open("test:///default", 0, &err);

    g_assert_no_error(err);
    g_assert_nonnull(conn);
    return conn;
}

static void
test_open_close(void)
{
    VireoConnect *conn = open_default();
    g_autofree char *uri = NULL, *type = NULL, *host = NULL, *caps = NULL;
    g_autoptr(GError) err = NULL;
    VireoNodeInfo info = { 0 };
    guint64 version = 0;

    uri = vireo_connect_get_uri(conn, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(uri, ==, "test:///default");
    type = vireo_connect_get_type(conn, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(type, ==, "TEST");
    g_assert_true(vireo_connect_get_version(conn, &version, &err));
    g_assert_cmpuint(version, ==, 2);
    host = vireo_connect_get_hostname(conn, &err);
    g_assert_no_error(err);
    g_assert_nonnull(host);
    caps = vireo_connect_get_capabilities(conn, &err);
    g_assert_no_error(err);
    g_assert_nonnull(strstr(caps, "<capabilities>"));
    g_assert_true(vireo_node_get_info(conn, &info, &err));
    g_assert_cmpstr(info.model, ==, "i686");
    g_assert_cmpint(info.cpus, ==, 16);
    g_assert_cmpuint(info.memory_kib, ==, 3145728);
    g_assert_false(vireo_connect_is_read_only(conn));
    g_assert_true(vireo_connect_ref(conn) == conn);
    vireo_connect_unref(conn);
    vireo_connect_close(conn);
}

static void
test_open_errors(void)
{
    g_autoptr(GError) err = NULL;
    VireoConnect *conn = vireo_connect_open("qemu:///system?socket=/nonexistent/vireo-sock", 0,
                                            &err);

    /* a daemon URI: the remote driver fails to reach the socket, or a build
     * without it says that no driver serves the URI */
    g_assert_null(conn);
    g_assert_nonnull(err);
    g_assert_true(err->domain == VIREO_ERROR);
    if (err->code == VIREO_ERROR_NO_CONNECT && strstr(err->message, "without the remote driver"))
        g_assert_nonnull(strstr(err->message, "qemu:///system"));
    g_clear_error(&err);
    conn = vireo_connect_open("test:///nonexistent/node.xml", 0, &err);
    g_assert_null(conn);
    g_assert_nonnull(err);
    g_assert_true(err->domain == VIREO_ERROR);
}

static void
test_lookups(void)
{
    g_autoptr(VireoConnect) conn = open_default();
    g_autoptr(VireoDomain) by_name = NULL, by_id = NULL, by_uuid = NULL;
    g_autoptr(GError) err = NULL;
    char uuid[VIREO_UUID_STRING_BUFLEN];
    VireoDomainInfo info = { 0 };
    int state = -1, reason = -1;

    by_name = vireo_domain_lookup_by_name(conn, "test", &err);
    g_assert_no_error(err);
    by_id = vireo_domain_lookup_by_id(conn, 1, &err);
    g_assert_no_error(err);
    by_uuid = vireo_domain_lookup_by_uuid_string(conn, TEST_UUID, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(vireo_domain_get_name(by_id), ==, "test");
    g_assert_cmpint(vireo_domain_get_id(by_uuid), ==, 1);
    vireo_domain_get_uuid_string(by_name, uuid);
    g_assert_cmpstr(uuid, ==, TEST_UUID);
    g_assert_true(vireo_domain_get_connect(by_name) == conn);
    g_assert_true(vireo_domain_get_info(by_name, &info, &err));
    g_assert_cmpint(info.state, ==, VIREO_DOMAIN_RUNNING);
    g_assert_cmpuint(info.nr_virt_cpu, ==, 2);
    g_assert_true(vireo_domain_get_state(by_name, &state, &reason, &err));
    g_assert_cmpint(state, ==, VIREO_DOMAIN_RUNNING);
    g_assert_cmpint(vireo_domain_is_active(by_name, &err), ==, 1);
    g_assert_cmpint(vireo_domain_is_persistent(by_name, &err), ==, 1);
    g_assert_no_error(err);
}

/* Handles keep their connection: dropping the caller's reference first
 * must not close it under them. */
static void
test_handle_keeps_connection(void)
{
    VireoConnect *conn = open_default();
    g_autoptr(VireoDomain) dom = vireo_domain_lookup_by_name(conn, "test", NULL);
    g_autofree char *xml = NULL;

    g_assert_nonnull(dom);
    vireo_connect_unref(conn);
    xml = vireo_domain_get_xml_desc(dom, 0, NULL);
    g_assert_nonnull(xml);
    g_assert_nonnull(strstr(xml, "<name>test</name>"));
}

static void
test_lists(void)
{
    g_autoptr(VireoConnect) conn = open_default();
    g_autoptr(GPtrArray) doms = NULL, nets = NULL, pools = NULL, vols = NULL;
    g_autoptr(VireoDomain) alpha = NULL;
    g_autoptr(GError) err = NULL;

    alpha = vireo_domain_define_xml(conn, alpha_xml, 0, &err);
    g_assert_no_error(err);
    doms = vireo_connect_list_all_domains(conn, 0, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(doms->len, ==, 2);
    g_clear_pointer(&doms, g_ptr_array_unref);
    doms = vireo_connect_list_all_domains(conn, VIREO_LIST_DOMAINS_INACTIVE, &err);
    g_assert_cmpuint(doms->len, ==, 1);
    g_assert_cmpstr(vireo_domain_get_name(doms->pdata[0]), ==, "alpha");
    g_assert_cmpint(vireo_connect_num_of_domains(conn, &err), ==, 1);
    g_assert_cmpint(vireo_connect_num_of_defined_domains(conn, &err), ==, 1);
    nets = vireo_connect_list_all_networks(conn, 0, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(nets->len, ==, 1);
    g_assert_cmpstr(vireo_network_get_name(nets->pdata[0]), ==, "default");
    pools = vireo_connect_list_all_storage_pools(conn, 0, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(pools->len, ==, 1);
    vols = vireo_storage_pool_list_all_volumes(pools->pdata[0], 0, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(vols->len, ==, 0);
    g_assert_true(vireo_domain_undefine(alpha, 0, &err));
    g_assert_no_error(err);
}

static void
test_errors(void)
{
    g_autoptr(VireoConnect) conn = open_default();
    g_autoptr(VireoDomain) test = vireo_domain_lookup_by_name(conn, "test", NULL);
    g_autoptr(GError) err = NULL;

    g_assert_null(vireo_domain_lookup_by_name(conn, "nosuch", &err));
    g_assert_error(err, VIREO_ERROR, VIREO_ERROR_NO_DOMAIN);
    g_assert_cmpint(vireo_error_get_origin(err), ==, 12); /* VIR_FROM_TEST */
    g_assert_cmpint(vireo_error_get_level(err), ==, 2);
    g_clear_error(&err);
    g_assert_null(vireo_network_lookup_by_name(conn, "nosuch", &err));
    g_assert_error(err, VIREO_ERROR, VIREO_ERROR_NO_NETWORK);
    g_clear_error(&err);
    g_assert_null(vireo_storage_pool_lookup_by_name(conn, "nosuch", &err));
    g_assert_error(err, VIREO_ERROR, VIREO_ERROR_NO_STORAGE_POOL);
    g_clear_error(&err);
    /* libvirt's test driver says "internal error: Domain 'test' is already
     * running" (code 1) here */
    g_assert_false(vireo_domain_create(test, 0, &err));
    g_assert_error(err, VIREO_ERROR, VIREO_ERROR_INTERNAL);
    g_assert_cmpint(vireo_error_get_origin(err), ==, 12);
    g_clear_error(&err);
    /* malformed XML: VIR_ERR_XML_DETAIL (35) from the domain config code */
    g_assert_null(vireo_domain_define_xml(conn, "<domain", 0, &err));
    g_assert_error(err, VIREO_ERROR, 35);
    g_assert_cmpint(vireo_error_get_origin(err), ==, 20);
    g_clear_error(&err);
    g_assert_null(vireo_domain_lookup_by_uuid_string(conn, "not-a-uuid", &err));
    g_assert_error(err, VIREO_ERROR, VIREO_ERROR_INVALID_ARG);
    g_clear_error(&err);
    g_assert_false(vireo_connect_event_deregister(conn, 4242, &err));
    g_assert_error(err, VIREO_ERROR, VIREO_ERROR_INVALID_ARG);
}

static void
test_read_only(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(VireoConnect) conn = vireo_connect_open("test:///default",
                                                      VIREO_CONNECT_READ_ONLY, &err);
    g_autoptr(VireoDomain) dom = NULL;
    int state = 0;

    g_assert_no_error(err);
    g_assert_true(vireo_connect_is_read_only(conn));
    dom = vireo_domain_lookup_by_name(conn, "test", &err);
    g_assert_no_error(err);
    g_assert_false(vireo_domain_suspend(dom, &err));
    g_assert_error(err, VIREO_ERROR, VIREO_ERROR_OPERATION_DENIED);
    g_assert_cmpint(vireo_error_get_origin(err), ==, 20); /* VIR_FROM_DOMAIN */
    g_assert_cmpstr(err->message, ==,
                    "operation forbidden: read only access prevents virDomainSuspend");
    g_clear_error(&err);
    g_assert_true(vireo_domain_get_state(dom, &state, NULL, &err));
    g_assert_cmpint(state, ==, VIREO_DOMAIN_RUNNING);
}

typedef struct {
    GMainContext *ctx;
    GThread *expected_thread;
    GPtrArray *seen; /* "event/detail name" strings */
    gboolean wrong_thread;
    int destroyed;
} EventLog;

static void
on_domain_event(VireoConnect *conn, VireoDomain *dom, VireoDomainEventId id, int event,
                int detail, gpointer user_data)
{
    EventLog *log = user_data;

    if (g_thread_self() != log->expected_thread)
        log->wrong_thread = TRUE;
    g_ptr_array_add(log->seen, g_strdup_printf("%d:%d/%d %s", id, event, detail,
                                               vireo_domain_get_name(dom)));
}

static void
on_network_event(VireoConnect *conn, VireoNetwork *net, VireoNetworkEventId id, int event,
                 int detail, gpointer user_data)
{
    EventLog *log = user_data;

    g_ptr_array_add(log->seen, g_strdup_printf("net %d:%d %s", id, event,
                                               vireo_network_get_name(net)));
}

static void
log_destroyed(gpointer data)
{
    ((EventLog *)data)->destroyed++;
}

typedef struct {
    VireoConnect *conn;
} Worker;

/* Runs lifecycle operations on another thread: events come from there. */
static gpointer
worker_main(gpointer data)
{
    Worker *w = data;
    g_autoptr(VireoDomain) dom = vireo_domain_define_xml(w->conn, alpha_xml, 0, NULL);
    g_autoptr(VireoNetwork) net = vireo_network_lookup_by_name(w->conn, "default", NULL);

    g_assert_nonnull(dom);
    g_assert_true(vireo_domain_create(dom, 0, NULL));
    g_assert_true(vireo_domain_suspend(dom, NULL));
    g_assert_true(vireo_domain_destroy(dom, 0, NULL));
    g_assert_true(vireo_domain_undefine(dom, 0, NULL));
    g_assert_true(vireo_network_destroy(net, NULL));
    return NULL;
}

static void
test_events(void)
{
    g_autoptr(VireoConnect) conn = open_default();
    g_autoptr(GError) err = NULL;
    EventLog log = { 0 };
    Worker w = { conn };
    g_autoptr(VireoDomain) again = NULL;
    GThread *thread = NULL;
    gint64 deadline;
    int id, nid;

    log.ctx = g_main_context_new();
    log.expected_thread = g_thread_self();
    log.seen = g_ptr_array_new_with_free_func(g_free);
    id = vireo_connect_domain_event_register(conn, log.ctx, on_domain_event, &log,
                                             log_destroyed, &err);
    g_assert_no_error(err);
    g_assert_cmpint(id, >, 0);
    nid = vireo_connect_network_event_register(conn, log.ctx, on_network_event, &log, NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpint(nid, !=, id);

    thread = g_thread_new("worker", worker_main, &w);
    g_thread_join(thread);
    /* nothing runs before the context is iterated */
    g_assert_cmpuint(log.seen->len, ==, 0);
    deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    while (log.seen->len < 6 && g_get_monotonic_time() < deadline)
        g_main_context_iteration(log.ctx, TRUE);
    g_assert_false(log.wrong_thread);
    g_assert_cmpuint(log.seen->len, ==, 6);
    g_assert_cmpstr(log.seen->pdata[0], ==, "0:0/0 alpha");   /* defined/added */
    g_assert_cmpstr(log.seen->pdata[1], ==, "0:2/0 alpha");   /* started/booted */
    g_assert_cmpstr(log.seen->pdata[2], ==, "0:3/0 alpha");   /* suspended/paused */
    g_assert_cmpstr(log.seen->pdata[3], ==, "0:5/1 alpha");   /* stopped/destroyed */
    g_assert_cmpstr(log.seen->pdata[4], ==, "0:1/0 alpha");   /* undefined/removed */
    g_assert_cmpstr(log.seen->pdata[5], ==, "net 0:3 default"); /* network stopped */

    g_assert_true(vireo_connect_event_deregister(conn, id, &err));
    g_assert_no_error(err);
    g_assert_cmpint(log.destroyed, ==, 1);
    g_assert_true(vireo_connect_network_event_deregister(conn, nid, &err));
    /* after deregistration nothing more arrives */
    again = vireo_domain_define_xml(conn, alpha_xml, 0, NULL);
    g_assert_nonnull(again);
    while (g_main_context_iteration(log.ctx, FALSE))
        ;
    g_assert_cmpuint(log.seen->len, ==, 6);
    g_ptr_array_unref(log.seen);
    g_main_context_unref(log.ctx);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/client/open-close", test_open_close);
    g_test_add_func("/client/open-errors", test_open_errors);
    g_test_add_func("/client/lookups", test_lookups);
    g_test_add_func("/client/handle-keeps-connection", test_handle_keeps_connection);
    g_test_add_func("/client/lists", test_lists);
    g_test_add_func("/client/errors", test_errors);
    g_test_add_func("/client/read-only", test_read_only);
    g_test_add_func("/client/events", test_events);
    return g_test_run();
}
