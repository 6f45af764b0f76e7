/* Unit tests for core_remote_driver: a CoreRpcServer serving the in-memory
 * test driver on temporary UNIX sockets, its GMainContext running on its
 * own thread, and the remote driver opened on
 * test+unix:///default?socket=PATH calling every kind of entry. Results
 * and errors are compared with the test driver called in-process. */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "rpc-test-server.h"
#include "core-error.h"
#include "core-remote-driver.h"
#include "core-rpc-server.h"

static const CoreDriver *rdrv = &core_remote_driver;
static const CoreDriver *ldrv = &core_test_driver;

#define DOM_XML                                                                          \
    "<domain type='test'><name>rdemo</name><memory>524288</memory><vcpu>2</vcpu>"      \
    "<os><type>hvm</type></os></domain>"

typedef struct {
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
    CoreRpcServer *server;
    char *dir;
    char *path;
    char *ro_path;
    char *uri;
    char *ro_uri;
    GAsyncQueue *events; /* CoreEvent copies from the sink */
} Fixture;

static void
fixture_start(Fixture *fx)
{
    memset(fx, 0, sizeof(*fx));
    fx->dir = g_dir_make_tmp("remote-drv-XXXXXX", NULL);
    fx->path = g_build_filename(fx->dir, "sock", NULL);
    fx->ro_path = g_build_filename(fx->dir, "sock-ro", NULL);
    fx->uri = g_strdup_printf("test+unix:///default?socket=%s", fx->path);
    fx->ro_uri = g_strdup_printf("test+unix:///default?socket=%s", fx->ro_path);
    fx->events = g_async_queue_new_full((GDestroyNotify)core_event_free);
    fx->ctx = g_main_context_new();
    fx->loop = g_main_loop_new(fx->ctx, FALSE);
    fx->server = core_rpc_server_new(fx->ctx, NULL, rpc_test_select_driver, NULL);
    g_assert_true(core_rpc_server_add_listener(fx->server, rpc_test_listen_unix(fx->path), FALSE,
                                               NULL));
    g_assert_true(core_rpc_server_add_listener(fx->server, rpc_test_listen_unix(fx->ro_path), TRUE,
                                               NULL));
    fx->thread = g_thread_new("rpc-server", rpc_test_loop_thread, fx->loop);
}

/* Stops the loop and frees the server (clients see EOF). */
static void
fixture_kill_server(Fixture *fx)
{
    if (!fx->server)
        return;
    rpc_test_loop_join(fx->loop, fx->thread);
    g_clear_pointer(&fx->server, core_rpc_server_free);
}

static void
fixture_stop(Fixture *fx)
{
    fixture_kill_server(fx);
    g_main_loop_unref(fx->loop);
    g_main_context_unref(fx->ctx);
    unlink(fx->path);
    unlink(fx->ro_path);
    rmdir(fx->dir);
    g_async_queue_unref(fx->events);
    g_free(fx->dir);
    g_free(fx->path);
    g_free(fx->ro_path);
    g_free(fx->uri);
    g_free(fx->ro_uri);
}

static void
queue_sink(const CoreEvent *ev, gpointer data)
{
    g_async_queue_push(data, core_event_copy(ev));
}

static gpointer
open_remote(Fixture *fx, const char *uri, guint flags)
{
    g_autoptr(GError) err = NULL;
    gpointer conn = NULL;

    g_assert_true(rdrv->host->open(uri, flags, queue_sink, fx->events, &conn, &err));
    g_assert_no_error(err);
    g_assert_nonnull(conn);
    return conn;
}

static gpointer
open_local(void)
{
    gpointer conn = NULL;

    g_assert_true(ldrv->host->open("test:///default", 0, NULL, NULL, &conn, NULL));
    return conn;
}

/* Same code, origin, level and message. */
static void
assert_same_error(const GError *remote, const GError *local)
{
    const CoreErrorExtra *re, *le;

    g_assert_nonnull(remote);
    g_assert_nonnull(local);
    g_assert_cmpint(remote->domain, ==, CORE_ERROR);
    g_assert_cmpint(remote->code, ==, local->code);
    g_assert_cmpstr(remote->message, ==, local->message);
    re = core_error_get_extra(remote);
    le = core_error_get_extra(local);
    g_assert_nonnull(re);
    g_assert_cmpint(re->from, ==, le->from);
    g_assert_cmpint(re->level, ==, le->level);
    g_assert_cmpstr(re->str1, ==, le->str1);
}

static CoreEvent *
next_event(Fixture *fx)
{
    return g_async_queue_timeout_pop(fx->events, 5 * G_USEC_PER_SEC);
}

/* ---- host ----------------------------------------------------------------- */

static void
test_host(void)
{
    Fixture fx;
    gpointer rc, lc;
    g_autoptr(GError) err = NULL;
    g_autofree char *rtype = NULL, *ltype = NULL, *rcaps = NULL, *lcaps = NULL;
    g_autofree char *rhost = NULL, *lhost = NULL, *uri = NULL;
    guint64 rver = 0, lver = 0, rfree = 0;
    CoreNodeInfo rinfo = { 0 }, linfo = { 0 };
    CoreSecurityModel rsec, lsec;

    fixture_start(&fx);
    rc = open_remote(&fx, fx.uri, 0);
    lc = open_local();

    rtype = rdrv->host->get_type(rc, &err);
    g_assert_no_error(err);
    ltype = ldrv->host->get_type(lc, NULL);
    g_assert_cmpstr(rtype, ==, ltype);
    g_assert_true(rdrv->host->get_version(rc, &rver, &err));
    g_assert_true(ldrv->host->get_version(lc, &lver, NULL));
    g_assert_cmpuint(rver, ==, lver);
    rhost = rdrv->host->get_hostname(rc, &err);
    lhost = ldrv->host->get_hostname(lc, NULL);
    g_assert_cmpstr(rhost, ==, lhost);
    rcaps = rdrv->host->get_capabilities(rc, &err);
    lcaps = ldrv->host->get_capabilities(lc, NULL);
    g_assert_cmpstr(rcaps, ==, lcaps);
    g_assert_true(rdrv->host->node_get_info(rc, &rinfo, &err));
    g_assert_true(ldrv->host->node_get_info(lc, &linfo, NULL));
    g_assert_cmpmem(&rinfo, sizeof(rinfo), &linfo, sizeof(linfo));
    g_assert_true(rdrv->host->node_get_free_memory(rc, &rfree, &err));
    g_assert_cmpuint(rfree, >, 0);
    g_assert_true(rdrv->host->node_get_security_model(rc, &rsec, &err));
    g_assert_true(ldrv->host->node_get_security_model(lc, &lsec, NULL));
    g_assert_cmpstr(rsec.model, ==, lsec.model);
    g_assert_cmpstr(rsec.doi, ==, lsec.doi);
    g_assert_cmpint(rdrv->host->supports_feature(rc, 10, &err), ==, 1);
    /* the URI as opened, not the server's name for it */
    uri = rdrv->host->get_uri(rc, &err);
    g_assert_cmpstr(uri, ==, fx.uri);
    g_assert_no_error(err);

    ldrv->host->close(lc);
    rdrv->host->close(rc);
    fixture_stop(&fx);
}

/* ---- statistics and tunables ------------------------------------------------ */

static void
free_params(CoreTypedParam *params, guint n)
{
    for (guint i = 0; i < n; i++)
        core_typed_param_clear(&params[i]);
    g_free(params);
}

static void
test_stats(void)
{
    Fixture fx;
    gpointer rc, lc;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) rd = NULL;
    CoreVcpuInfo vcpus[4] = { 0 };
    guint8 maps[4] = { 0 };
    CoreMemoryStat rstats[16], lstats[16];
    CoreTypedParam *params = NULL;
    guint nparams = 0;
    guint64 cells[4] = { 0 };
    g_autofree guint8 *map = NULL;
    guint online = 0;
    int n;

    fixture_start(&fx);
    rc = open_remote(&fx, fx.uri, 0);
    lc = open_local();
    rd = rdrv->domain->lookup_by_name(rc, "test", &err);
    g_assert_no_error(err);

    n = rdrv->domain->get_vcpus(rc, rd, vcpus, 4, maps, 1, &err);
    g_assert_no_error(err);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpint(vcpus[1].number, ==, 1);
    g_assert_cmpint(vcpus[1].state, ==, 1);
    g_assert_cmpint(vcpus[1].cpu, ==, 15);
    g_assert_cmpuint(maps[0], ==, 0xff);
    g_assert_cmpuint(maps[2], ==, 0);

    g_assert_true(rdrv->domain->get_memory_parameters(rc, rd, 0, &params, &nparams, &err));
    g_assert_cmpuint(nparams, ==, 3);
    g_assert_cmpstr(params[2].field, ==, "swap_hard_limit");
    free_params(params, nparams);
    g_assert_true(rdrv->domain->get_blkio_parameters(rc, rd, 0, &params, &nparams, &err));
    g_assert_cmpuint(nparams, ==, 6);
    g_assert_cmpint(params[5].type, ==, CORE_TYPED_PARAM_STRING);
    g_assert_cmpstr(params[5].value.s, ==, "");
    free_params(params, nparams);
    g_assert_true(rdrv->domain->get_scheduler_parameters(rc, rd, 0, &params, &nparams, &err));
    g_assert_cmpuint(nparams, ==, 1);
    g_assert_cmpuint(params[0].value.ui, ==, 50);
    free_params(params, nparams);
    /* flags the test driver refuses: the error crosses the wire */
    g_assert_false(rdrv->domain->get_scheduler_parameters(rc, rd, 4, &params, &nparams, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INVALID_ARG);
    g_clear_error(&err);

    n = rdrv->domain->memory_stats(rc, rd, rstats, 16, 0, &err);
    g_assert_no_error(err);
    g_assert_cmpint(n, ==, ldrv->domain->memory_stats(lc, rd, lstats, 16, 0, NULL));
    for (int i = 0; i < n; i++) {
        g_assert_cmpint(rstats[i].tag, ==, lstats[i].tag);
        g_assert_cmpuint(rstats[i].val, ==, lstats[i].val);
    }

    n = rdrv->host->node_get_cells_free_memory(rc, cells, 0, 4, &err);
    g_assert_no_error(err);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpuint(cells[1], ==, 2 * cells[0]);
    g_assert_true(rdrv->host->node_get_cpu_stats(rc, -1, 0, &params, &nparams, &err));
    g_assert_cmpuint(nparams, ==, 4);
    g_assert_cmpstr(params[1].field, ==, "kernel");
    free_params(params, nparams);
    g_assert_cmpint(rdrv->host->node_get_cpu_map(rc, &map, &online, 0, &err), ==, 8);
    g_assert_cmpuint(map[0], ==, 0x15);
    g_assert_cmpuint(online, ==, 3);

    ldrv->host->close(lc);
    rdrv->host->close(rc);
    fixture_stop(&fx);
}

/* ---- domains ---------------------------------------------------------------- */

static void
check_default_domain(gpointer rc, gpointer lc)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) rd = rdrv->domain->lookup_by_name(rc, "test", &err);
    g_autoptr(CoreDomainRef) by_uuid = NULL, by_id = NULL;
    g_autoptr(GPtrArray) list = NULL;
    g_autofree char *rxml = NULL, *lxml = NULL, *os = NULL;
    CoreDomainInfo rinfo = { 0 }, linfo = { 0 };
    int state = -1, reason = -1, lstate = -2, lreason = -2;

    g_assert_no_error(err);
    g_assert_cmpstr(rd->name, ==, "test");
    g_assert_cmpint(rd->id, ==, 1);
    by_uuid = rdrv->domain->lookup_by_uuid(rc, rd->uuid, &err);
    g_assert_cmpstr(by_uuid->name, ==, "test");
    by_id = rdrv->domain->lookup_by_id(rc, 1, &err);
    g_assert_cmpmem(by_id->uuid, CORE_UUID_LEN, rd->uuid, CORE_UUID_LEN);
    list = rdrv->domain->list_all(rc, 0, &err);
    g_assert_cmpuint(list->len, ==, 1);
    g_assert_cmpint(rdrv->domain->num_of_domains(rc, &err), ==, 1);
    g_assert_cmpint(rdrv->domain->num_of_defined_domains(rc, &err), ==, 0);
    g_assert_true(rdrv->domain->get_info(rc, rd, &rinfo, &err));
    g_assert_true(ldrv->domain->get_info(lc, rd, &linfo, NULL));
    g_assert_cmpint(rinfo.state, ==, linfo.state);
    g_assert_cmpuint(rinfo.max_mem_kib, ==, linfo.max_mem_kib);
    g_assert_cmpuint(rinfo.nr_virt_cpu, ==, linfo.nr_virt_cpu);
    g_assert_true(rdrv->domain->get_state(rc, rd, 0, &state, &reason, &err));
    g_assert_true(ldrv->domain->get_state(lc, rd, 0, &lstate, &lreason, NULL));
    g_assert_cmpint(state, ==, 1);
    g_assert_cmpint(state, ==, lstate);
    g_assert_cmpint(reason, ==, lreason);
    rxml = rdrv->domain->get_xml_desc(rc, rd, 0, &err);
    lxml = ldrv->domain->get_xml_desc(lc, rd, 0, NULL);
    g_assert_cmpstr(rxml, ==, lxml);
    os = rdrv->domain->get_os_type(rc, rd, &err);
    g_assert_cmpstr(os, ==, "linux");
    g_assert_cmpint(rdrv->domain->is_active(rc, rd, &err), ==, 1);
    g_assert_cmpint(rdrv->domain->is_persistent(rc, rd, &err), ==, 1);
    g_assert_cmpint(rdrv->domain->get_vcpus_flags(rc, rd, 0, &err), ==, 2);
    g_assert_no_error(err);
}

static void
test_domain_lifecycle(void)
{
    Fixture fx;
    gpointer rc, lc;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) d = NULL, again = NULL;
    g_autofree CoreSecurityLabel *label = g_new0(CoreSecurityLabel, 1);
    guint64 maxmem = 0;

    fixture_start(&fx);
    rc = open_remote(&fx, fx.uri, 0);
    lc = open_local();
    check_default_domain(rc, lc);

    d = rdrv->domain->define_xml(rc, DOM_XML, 0, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(d->name, ==, "rdemo");
    g_assert_cmpint(d->id, ==, -1);
    g_assert_cmpint(rdrv->domain->is_active(rc, d, &err), ==, 0);
    g_assert_cmpint(rdrv->domain->num_of_defined_domains(rc, &err), ==, 1);
    g_assert_true(rdrv->domain->create(rc, d, 0, &err));
    again = rdrv->domain->lookup_by_uuid(rc, d->uuid, &err);
    g_assert_cmpint(again->id, >, 0);
    g_assert_cmpint(rdrv->domain->is_active(rc, again, &err), ==, 1);
    g_assert_true(rdrv->domain->suspend(rc, again, &err));
    g_assert_true(rdrv->domain->resume(rc, again, &err));
    g_assert_true(rdrv->domain->set_autostart(rc, again, TRUE, &err));
    g_assert_cmpint(rdrv->domain->get_autostart(rc, again, &err), ==, 1);
    g_assert_true(rdrv->domain->set_memory_flags(rc, again, 262144, 0, &err));
    g_assert_true(rdrv->domain->get_max_memory(rc, again, &maxmem, &err));
    g_assert_cmpuint(maxmem, ==, 524288);
    g_assert_true(rdrv->domain->get_security_label(rc, again, label, &err));
    g_assert_cmpint(rdrv->domain->has_managed_save_image(rc, again, 0, &err), ==, 0);
    g_assert_cmpint(rdrv->domain->snapshot_num(rc, again, 0, &err), ==, 0);
    g_assert_no_error(err);
    /* flags travel in DOMAIN_CREATE_WITH_FLAGS / DOMAIN_DESTROY_FLAGS and
     * reach the driver, which refuses them as it does in-process */
    {
        g_autoptr(GError) lerr = NULL;

        g_assert_true(rdrv->domain->destroy(rc, again, 1 /* GRACEFUL */, &err));
        g_assert_no_error(err);
        g_assert_false(rdrv->domain->create(rc, again, 1 /* START_PAUSED */, &err));
        g_assert_false(ldrv->domain->create(lc, again, 1, &lerr));
        assert_same_error(err, lerr);
        g_clear_error(&err);
    }
    g_assert_cmpint(rdrv->domain->is_active(rc, again, &err), ==, 0);
    g_assert_true(rdrv->domain->create(rc, again, 0, &err));
    g_assert_no_error(err);
    g_assert_true(rdrv->domain->destroy(rc, again, 0, &err));
    g_assert_true(rdrv->domain->undefine(rc, again, 0, &err));
    g_assert_no_error(err);
    g_assert_null(rdrv->domain->lookup_by_name(rc, "rdemo", &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_NO_DOMAIN);

    ldrv->host->close(lc);
    rdrv->host->close(rc);
    fixture_stop(&fx);
}

/* ---- errors --------------------------------------------------------------------- */

static void
test_errors(void)
{
    Fixture fx;
    gpointer rc, lc;
    g_autoptr(GError) rerr = NULL, lerr = NULL;
    g_autoptr(CoreDomainRef) d = NULL;
    g_autoptr(CoreDomainRef) test_dom = NULL;
    gpointer conn = NULL;
    g_autofree char *bad = NULL;

    fixture_start(&fx);
    rc = open_remote(&fx, fx.uri, 0);
    lc = open_local();

    /* not found: code 42 from the test driver (12), text as sent */
    g_assert_null(rdrv->domain->lookup_by_name(rc, "nosuch", &rerr));
    g_assert_null(ldrv->domain->lookup_by_name(lc, "nosuch", &lerr));
    assert_same_error(rerr, lerr);
    g_assert_cmpint(core_error_get_from(rerr), ==, CORE_FROM_TEST);
    g_clear_error(&rerr);
    g_clear_error(&lerr);
    /* bad XML */
    g_assert_null(rdrv->domain->define_xml(rc, "<domain", 0, &rerr));
    g_assert_null(ldrv->domain->define_xml(lc, "<domain", 0, &lerr));
    assert_same_error(rerr, lerr);
    g_clear_error(&rerr);
    g_clear_error(&lerr);
    /* operation invalid: starting a running domain */
    test_dom = rdrv->domain->lookup_by_name(rc, "test", NULL);
    g_assert_false(rdrv->domain->create(rc, test_dom, 0, &rerr));
    g_assert_false(ldrv->domain->create(lc, test_dom, 0, &lerr));
    assert_same_error(rerr, lerr);
    g_clear_error(&rerr);
    g_clear_error(&lerr);
    /* the connection stays usable after errors */
    d = rdrv->domain->lookup_by_name(rc, "test", &rerr);
    g_assert_no_error(rerr);

    /* CONNECT_OPEN refused by the server */
    bad = g_strdup_printf("bogus+unix:///x?socket=%s", fx.path);
    g_assert_false(rdrv->host->open(bad, 0, NULL, NULL, &conn, &rerr));
    g_assert_error(rerr, CORE_ERROR, CORE_ERR_NO_CONNECT);
    g_assert_nonnull(strstr(rerr->message, "bogus:///x"));
    g_clear_error(&rerr);
    /* no daemon on the socket: the path is in the message */
    g_assert_false(rdrv->host->open("test+unix:///default?socket=/nonexistent/vireo-sock", 0,
                                    NULL, NULL, &conn, &rerr));
    g_assert_error(rerr, CORE_ERROR, CORE_ERR_NO_CONNECT);
    g_assert_nonnull(strstr(rerr->message, "/nonexistent/vireo-sock"));
    g_clear_error(&rerr);
    /* transports not spoken yet */
    g_assert_false(rdrv->host->open("qemu+tcp://example.org/system", 0, NULL, NULL, &conn,
                                    &rerr));
    g_assert_error(rerr, CORE_ERROR, CORE_ERR_NO_CONNECT);

    ldrv->host->close(lc);
    rdrv->host->close(rc);
    fixture_stop(&fx);
}

/* ---- networks, pools, volumes ------------------------------------------------------ */

static void
test_network(void)
{
    Fixture fx;
    gpointer rc;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreNetworkRef) def = NULL, n = NULL, by_uuid = NULL;
    g_autoptr(GPtrArray) list = NULL;
    g_autofree char *xml = NULL, *bridge = NULL;

    fixture_start(&fx);
    rc = open_remote(&fx, fx.uri, 0);
    list = rdrv->network->list_all(rc, 0, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(list->len, ==, 1);
    def = rdrv->network->lookup_by_name(rc, "default", &err);
    g_assert_no_error(err);
    by_uuid = rdrv->network->lookup_by_uuid(rc, def->uuid, &err);
    g_assert_cmpstr(by_uuid->name, ==, "default");
    xml = rdrv->network->get_xml_desc(rc, def, 0, &err);
    g_assert_nonnull(strstr(xml, "<name>default</name>"));
    g_assert_cmpint(rdrv->network->is_active(rc, def, &err), ==, 1);
    g_assert_cmpint(rdrv->network->is_persistent(rc, def, &err), ==, 1);
    g_assert_cmpint(rdrv->network->get_autostart(rc, def, &err), >=, 0);
    g_assert_no_error(err);

    n = rdrv->network->define_xml(rc, "<network><name>rnet</name><bridge name='br7'/></network>",
                                  0, &err);
    g_assert_no_error(err);
    g_assert_true(rdrv->network->create(rc, n, &err));
    bridge = rdrv->network->get_bridge_name(rc, n, &err);
    g_assert_cmpstr(bridge, ==, "br7");
    g_assert_true(rdrv->network->set_autostart(rc, n, TRUE, &err));
    g_assert_cmpint(rdrv->network->get_autostart(rc, n, &err), ==, 1);
    g_assert_false(rdrv->network->undefine(rc, n, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_OPERATION_INVALID);
    g_clear_error(&err);
    g_assert_true(rdrv->network->destroy(rc, n, &err));
    g_assert_true(rdrv->network->undefine(rc, n, &err));
    g_assert_no_error(err);
    g_assert_null(rdrv->network->lookup_by_name(rc, "rnet", &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_NO_NETWORK);

    rdrv->host->close(rc);
    fixture_stop(&fx);
}

static void
test_storage(void)
{
    Fixture fx;
    gpointer rc;
    g_autoptr(GError) err = NULL;
    g_autoptr(CorePoolRef) p = NULL, by_vol = NULL, np = NULL;
    g_autoptr(CoreVolRef) v = NULL, by_name = NULL, by_key = NULL;
    g_autoptr(GPtrArray) pools = NULL, vols = NULL;
    g_autofree char *path = NULL, *vxml = NULL, *pxml = NULL;
    CorePoolInfo pinfo = { 0 };
    CoreVolInfo vinfo = { 0 };

    fixture_start(&fx);
    rc = open_remote(&fx, fx.uri, 0);
    pools = rdrv->storage->pool_list_all(rc, 0, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(pools->len, ==, 1);
    p = rdrv->storage->pool_lookup_by_name(rc, "default-pool", &err);
    g_assert_no_error(err);
    g_assert_true(rdrv->storage->pool_get_info(rc, p, &pinfo, &err));
    g_assert_cmpint(pinfo.state, ==, 2);
    g_assert_cmpuint(pinfo.capacity, >, 0);
    pxml = rdrv->storage->pool_get_xml_desc(rc, p, 0, &err);
    g_assert_nonnull(strstr(pxml, "default-pool"));
    g_assert_cmpint(rdrv->storage->pool_is_active(rc, p, &err), ==, 1);
    g_assert_cmpint(rdrv->storage->pool_num_of_volumes(rc, p, &err), ==, 0);

    v = rdrv->storage->vol_create_xml(rc, p,
                                      "<volume><name>r.img</name><capacity>4096</capacity>"
                                      "<allocation>1024</allocation></volume>",
                                      0, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(v->key, ==, "/default-pool/r.img");
    vols = rdrv->storage->pool_list_all_volumes(rc, p, 0, &err);
    g_assert_cmpuint(vols->len, ==, 1);
    by_name = rdrv->storage->vol_lookup_by_name(rc, p, "r.img", &err);
    g_assert_cmpstr(by_name->pool, ==, "default-pool");
    by_key = rdrv->storage->vol_lookup_by_key(rc, v->key, &err);
    g_assert_cmpstr(by_key->name, ==, "r.img");
    by_vol = rdrv->storage->pool_lookup_by_volume(rc, v, &err);
    g_assert_cmpstr(by_vol->name, ==, "default-pool");
    path = rdrv->storage->vol_get_path(rc, v, &err);
    g_assert_cmpstr(path, ==, "/default-pool/r.img");
    g_assert_true(rdrv->storage->vol_get_info(rc, v, &vinfo, &err));
    g_assert_cmpint(vinfo.type, ==, 0);
    g_assert_cmpuint(vinfo.capacity, ==, 4096);
    g_assert_cmpuint(vinfo.allocation, ==, 1024);
    vxml = rdrv->storage->vol_get_xml_desc(rc, v, 0, &err);
    g_assert_nonnull(strstr(vxml, "<name>r.img</name>"));
    g_assert_true(rdrv->storage->pool_refresh(rc, p, 0, &err));
    g_assert_true(rdrv->storage->vol_delete(rc, v, 0, &err));
    g_assert_no_error(err);
    g_assert_null(rdrv->storage->vol_lookup_by_name(rc, p, "r.img", &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_NO_STORAGE_VOL);
    g_clear_error(&err);

    np = rdrv->storage->pool_define_xml(rc,
                                        "<pool type='dir'><name>rpool</name><target>"
                                        "<path>/rpool</path></target></pool>",
                                        0, &err);
    g_assert_no_error(err);
    g_assert_true(rdrv->storage->pool_create(rc, np, 0, &err));
    g_assert_true(rdrv->storage->pool_destroy(rc, np, &err));
    g_assert_true(rdrv->storage->pool_undefine(rc, np, &err));
    g_assert_no_error(err);

    rdrv->host->close(rc);
    fixture_stop(&fx);
}

/* ---- events ------------------------------------------------------------------------ */

static void
test_events(void)
{
    Fixture fx;
    gpointer rc, other;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) d = NULL;
    g_autoptr(CoreNetworkRef) n = NULL;
    g_autoptr(CorePoolRef) p = NULL;
    g_autoptr(CoreEvent) ev = NULL;

    fixture_start(&fx);
    rc = open_remote(&fx, fx.uri, 0);
    other = open_remote(&fx, fx.uri, 0);
    g_assert_true(rdrv->host->event_enable(rc, CORE_EVENT_DOMAIN_LIFECYCLE, TRUE, &err));
    g_assert_true(rdrv->host->event_enable(rc, CORE_EVENT_NETWORK_LIFECYCLE, TRUE, &err));
    g_assert_true(rdrv->host->event_enable(rc, CORE_EVENT_POOL_LIFECYCLE, TRUE, &err));
    g_assert_true(rdrv->host->event_enable(rc, CORE_EVENT_POOL_REFRESH, TRUE, &err));
    /* enabling twice is one registration */
    g_assert_true(rdrv->host->event_enable(rc, CORE_EVENT_DOMAIN_LIFECYCLE, TRUE, &err));
    g_assert_no_error(err);

    /* changes made on another connection are seen */
    d = rdrv->domain->define_xml(other, DOM_XML, 0, &err);
    g_assert_no_error(err);
    ev = next_event(&fx);
    g_assert_nonnull(ev);
    g_assert_cmpint(ev->kind, ==, CORE_EVENT_DOMAIN_LIFECYCLE);
    g_assert_cmpstr(ev->dom->name, ==, "rdemo");
    g_assert_cmpint(ev->event, ==, 0); /* DEFINED */
    g_assert_cmpint(ev->detail, ==, 0); /* ADDED */
    g_clear_pointer(&ev, core_event_free);
    g_assert_true(rdrv->domain->create(other, d, 0, &err));
    ev = next_event(&fx);
    g_assert_cmpint(ev->event, ==, 2); /* STARTED */
    g_assert_cmpint(ev->dom->id, >, 0);
    g_clear_pointer(&ev, core_event_free);

    n = rdrv->network->lookup_by_name(other, "default", &err);
    g_assert_true(rdrv->network->destroy(other, n, &err));
    ev = next_event(&fx);
    g_assert_cmpint(ev->kind, ==, CORE_EVENT_NETWORK_LIFECYCLE);
    g_assert_cmpstr(ev->net->name, ==, "default");
    g_assert_cmpint(ev->event, ==, 3); /* STOPPED */
    g_clear_pointer(&ev, core_event_free);

    p = rdrv->storage->pool_lookup_by_name(other, "default-pool", &err);
    g_assert_true(rdrv->storage->pool_refresh(other, p, 0, &err));
    ev = next_event(&fx);
    g_assert_cmpint(ev->kind, ==, CORE_EVENT_POOL_REFRESH);
    g_assert_cmpstr(ev->pool->name, ==, "default-pool");
    g_clear_pointer(&ev, core_event_free);
    g_assert_true(rdrv->storage->pool_destroy(other, p, &err));
    ev = next_event(&fx);
    g_assert_cmpint(ev->kind, ==, CORE_EVENT_POOL_LIFECYCLE);
    g_assert_cmpint(ev->event, ==, 3); /* STOPPED */
    g_clear_pointer(&ev, core_event_free);

    /* once disabled, no more domain events; network events still come */
    g_assert_true(rdrv->host->event_enable(rc, CORE_EVENT_DOMAIN_LIFECYCLE, FALSE, &err));
    g_assert_true(rdrv->domain->destroy(other, d, 0, &err));
    g_assert_true(rdrv->network->create(other, n, &err));
    ev = next_event(&fx);
    g_assert_cmpint(ev->kind, ==, CORE_EVENT_NETWORK_LIFECYCLE);
    g_assert_cmpint(ev->event, ==, 2); /* STARTED */
    g_clear_pointer(&ev, core_event_free);
    g_assert_true(rdrv->domain->undefine(other, d, 0, &err));
    g_assert_true(rdrv->storage->pool_create(other, p, 0, &err));
    ev = next_event(&fx);
    g_assert_cmpint(ev->kind, ==, CORE_EVENT_POOL_LIFECYCLE);
    g_clear_pointer(&ev, core_event_free);
    g_assert_no_error(err);
    g_assert_null(g_async_queue_try_pop(fx.events));

    rdrv->host->close(other);
    rdrv->host->close(rc);
    fixture_stop(&fx);
}

/* ---- read-only, dead connections, socket paths ------------------------------------- */

static void
test_readonly(void)
{
    Fixture fx;
    gpointer rc;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) d = NULL;
    g_autoptr(GPtrArray) list = NULL;

    fixture_start(&fx);
    rc = open_remote(&fx, fx.ro_uri, 1);
    list = rdrv->domain->list_all(rc, 0, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(list->len, ==, 1);
    d = rdrv->domain->lookup_by_name(rc, "test", &err);
    g_assert_no_error(err);
    g_assert_false(rdrv->domain->destroy(rc, d, 0, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_OPERATION_DENIED);
    g_clear_error(&err);
    g_assert_null(rdrv->domain->define_xml(rc, DOM_XML, 0, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_OPERATION_DENIED);
    g_clear_error(&err);
    /* events are allowed read-only */
    g_assert_true(rdrv->host->event_enable(rc, CORE_EVENT_DOMAIN_LIFECYCLE, TRUE, &err));
    g_assert_no_error(err);
    g_assert_cmpint(rdrv->domain->is_active(rc, d, &err), ==, 1);
    rdrv->host->close(rc);
    fixture_stop(&fx);
}

static void
test_dead_connection(void)
{
    Fixture fx;
    gpointer rc;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) d = NULL;

    fixture_start(&fx);
    rc = open_remote(&fx, fx.uri, 0);
    g_assert_true(rdrv->host->event_enable(rc, CORE_EVENT_DOMAIN_LIFECYCLE, TRUE, &err));
    d = rdrv->domain->lookup_by_name(rc, "test", &err);
    g_assert_no_error(err);
    fixture_kill_server(&fx);
    /* every call now fails with an RPC error, none hangs or crashes */
    g_assert_null(rdrv->domain->lookup_by_name(rc, "test", &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_RPC);
    g_clear_error(&err);
    g_assert_cmpint(rdrv->domain->is_active(rc, d, &err), ==, -1);
    g_assert_error(err, CORE_ERROR, CORE_ERR_RPC);
    g_clear_error(&err);
    g_assert_false(rdrv->host->event_enable(rc, CORE_EVENT_DOMAIN_LIFECYCLE, FALSE, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_RPC);
    rdrv->host->close(rc);
    fixture_stop(&fx);
}

static void
check_path(const char *uri, gboolean ro, const char *expected)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *path = core_remote_socket_path(uri, ro, &err);

    g_assert_no_error(err);
    g_assert_cmpstr(path, ==, expected);
}

static void
test_socket_path(void)
{
    g_autofree char *root = g_dir_make_tmp("remote-root-XXXXXX", NULL);
    g_autofree char *run = g_build_filename(root, "run", "vireo", NULL);
    g_autofree char *qemud = g_build_filename(run, "qemud-sock", NULL);
    g_autofree char *proxyd = g_build_filename(run, "proxyd-sock", NULL);
    g_autofree char *netd_ro = g_build_filename(run, "networkd-sock-ro", NULL);
    g_autofree char *testd = g_build_filename(run, "proxyd-sock", NULL);
    g_autofree char *other = g_build_filename(run, "proxyd-sock-ro", NULL);
    g_autoptr(GError) err = NULL;

    check_path("test+unix:///default?socket=/x/y", FALSE, "/x/y");
    check_path("qemu:///system?socket=/s&mode=direct", TRUE, "/s");
    if (geteuid() == 0) {
        check_path("qemu:///session", FALSE, "/run/vireo/qemud-sock");
    } else {
        g_autofree char *sess = g_build_filename(g_get_user_runtime_dir(), "vireo",
                                                 "qemud-sock", NULL);

        check_path("qemu:///session", FALSE, sess);
    }

    g_setenv("VIREO_ROOT", root, TRUE);
    /* nothing runs: the daemon's own socket is named */
    check_path("qemu:///system", FALSE, qemud);
    check_path("network:///system", TRUE, netd_ro);
    check_path("test+unix:///default", FALSE, testd);
    check_path("remote:///system", TRUE, other);
    /* only the proxy runs: it routes */
    g_assert_cmpint(g_mkdir_with_parents(run, 0755), ==, 0);
    g_assert_true(g_file_set_contents(proxyd, "", 0, NULL));
    check_path("qemu:///system", FALSE, proxyd);
    /* both run: the daemon's own socket wins */
    g_assert_true(g_file_set_contents(qemud, "", 0, NULL));
    check_path("qemu:///system", FALSE, qemud);
    g_unsetenv("VIREO_ROOT");
    unlink(qemud);
    unlink(proxyd);
    rmdir(run);
    g_autofree char *rundir_parent = g_path_get_dirname(run);
    rmdir(rundir_parent);
    rmdir(root);

    g_assert_null(core_remote_socket_path("not a uri", FALSE, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INVALID_ARG);
}

/* Every entry the test driver implements has a remote counterpart (each
 * has a procedure): a table entry that gains a procedure in
 * remote-procs.def but no client side shows up here. */
static void
check_table(const char *what, gconstpointer remote, gconstpointer local, gsize size)
{
    for (gsize off = 0; off + sizeof(gpointer) <= size; off += sizeof(gpointer)) {
        gpointer r, l;

        memcpy(&r, (const guint8 *)remote + off, sizeof(gpointer));
        memcpy(&l, (const guint8 *)local + off, sizeof(gpointer));
        if (l && !r)
            g_error("%s: entry %zu of the test driver has no remote counterpart", what,
                    off / sizeof(gpointer));
    }
}

static void
test_coverage(void)
{
    check_table("host", rdrv->host, ldrv->host, sizeof(CoreHostOps));
    check_table("domain", rdrv->domain, ldrv->domain, sizeof(CoreDomainOps));
    check_table("network", rdrv->network, ldrv->network, sizeof(CoreNetworkOps));
    check_table("storage", rdrv->storage, ldrv->storage, sizeof(CoreStorageOps));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* first: it changes the environment, before any thread exists */
    g_test_add_func("/remote-driver/socket-path", test_socket_path);
    g_test_add_func("/remote-driver/coverage", test_coverage);
    g_test_add_func("/remote-driver/host", test_host);
    g_test_add_func("/remote-driver/stats", test_stats);
    g_test_add_func("/remote-driver/domain-lifecycle", test_domain_lifecycle);
    g_test_add_func("/remote-driver/errors", test_errors);
    g_test_add_func("/remote-driver/network", test_network);
    g_test_add_func("/remote-driver/storage", test_storage);
    g_test_add_func("/remote-driver/events", test_events);
    g_test_add_func("/remote-driver/readonly", test_readonly);
    g_test_add_func("/remote-driver/dead-connection", test_dead_connection);
    return g_test_run();
}
