/* Unit tests for the RPC server: a server on temporary UNIX sockets serving
 * core_test_driver (the in-memory test driver), driven by hand-built frames
 * from a plain blocking client. The server runs its GMainContext on its own
 * thread, as a daemon's main loop would. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "rpc-test-server.h"
#include "core-error.h"
#include "core-rpc-protocol.h"
#include "core-rpc-server.h"
#include "rpc-test-client.h"

typedef struct {
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
    CoreRpcServer *server;
    char *dir;
    char *path;
    char *ro_path;
    /* open hook observations */
    char *hook_uri;
    GBytes *hook_pending;
    int hook_fd;
} Fixture;

static gboolean
open_hook(CoreRpcServer *server, int client_fd, gboolean readonly, const char *uri,
          const guint8 *pending, gsize pending_len, gboolean keepalive, gpointer data,
          GError **error)
{
    Fixture *fx = data;

    g_free(fx->hook_uri);
    fx->hook_uri = g_strdup(uri);
    if (g_str_has_prefix(uri, "refuse:"))
        return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_NO_CONNECT,
                                   "refused by the hook");
    if (!g_str_has_prefix(uri, "handoff:"))
        return FALSE;
    g_clear_pointer(&fx->hook_pending, g_bytes_unref);
    fx->hook_pending = g_bytes_new(pending, pending_len);
    fx->hook_fd = client_fd;
    return TRUE;
}

static void
fixture_start(Fixture *fx, const CoreRpcServerConfig *cfg)
{
    memset(fx, 0, sizeof(*fx));
    fx->hook_fd = -1;
    fx->dir = g_dir_make_tmp("rpc-server-XXXXXX", NULL);
    fx->path = g_build_filename(fx->dir, "sock", NULL);
    fx->ro_path = g_build_filename(fx->dir, "sock-ro", NULL);
    fx->ctx = g_main_context_new();
    fx->loop = g_main_loop_new(fx->ctx, FALSE);
    fx->server = core_rpc_server_new(fx->ctx, cfg, rpc_test_select_driver, NULL);
    core_rpc_server_set_open_hook(fx->server, open_hook, fx);
    g_assert_true(core_rpc_server_add_listener(fx->server, rpc_test_listen_unix(fx->path), FALSE,
                                               NULL));
    g_assert_true(core_rpc_server_add_listener(fx->server, rpc_test_listen_unix(fx->ro_path), TRUE,
                                               NULL));
    fx->thread = g_thread_new("rpc-server", rpc_test_loop_thread, fx->loop);
}

static void
fixture_stop(Fixture *fx)
{
    rpc_test_loop_join(fx->loop, fx->thread);
    core_rpc_server_free(fx->server);
    g_main_loop_unref(fx->loop);
    g_main_context_unref(fx->ctx);
    unlink(fx->path);
    unlink(fx->ro_path);
    rmdir(fx->dir);
    if (fx->hook_fd >= 0)
        close(fx->hook_fd);
    g_clear_pointer(&fx->hook_pending, g_bytes_unref);
    g_free(fx->hook_uri);
    g_free(fx->dir);
    g_free(fx->path);
    g_free(fx->ro_path);
}

typedef struct {
    Fixture *fx;
    GMutex lock;
    GCond cond;
    gboolean done;
    guint count;
} CountQuery;

static gboolean
count_cb(gpointer data)
{
    CountQuery *q = data;

    g_mutex_lock(&q->lock);
    q->count = core_rpc_server_client_count(q->fx->server);
    q->done = TRUE;
    g_cond_signal(&q->cond);
    g_mutex_unlock(&q->lock);
    return G_SOURCE_REMOVE;
}

/* The server's client count, read on its own thread. */
static guint
client_count(Fixture *fx)
{
    CountQuery q = { .fx = fx };

    g_mutex_init(&q.lock);
    g_cond_init(&q.cond);
    g_main_context_invoke(fx->ctx, count_cb, &q);
    g_mutex_lock(&q.lock);
    while (!q.done)
        g_cond_wait(&q.cond, &q.lock);
    g_mutex_unlock(&q.lock);
    g_mutex_clear(&q.lock);
    g_cond_clear(&q.cond);
    return q.count;
}

static gboolean
wait_client_count(Fixture *fx, guint want)
{
    for (int i = 0; i < 500; i++) {
        if (client_count(fx) == want)
            return TRUE;
        g_usleep(10000);
    }
    return FALSE;
}

static void
assert_rpc_error(GError *err, int code, int from, const char *message)
{
    g_assert_nonnull(err);
    g_assert_error(err, CORE_ERROR, code);
    g_assert_cmpint(core_error_get_extra(err)->from, ==, from);
    g_assert_cmpstr(err->message, ==, message);
    g_error_free(err);
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_handshake(void)
{
    /* CONNECT_OPEN("test:///default") as virsh sends it (PROTOCOL.md 1.7) */
    static const guint8 open_frame[] = {
        0x00, 0x00, 0x00, 0x38, 0x20, 0x00, 0x80, 0x86, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0f,
        't', 'e', 's', 't', ':', '/', '/', '/', 'd', 'e', 'f', 'a', 'u', 'l', 't', 0x00,
        0x00, 0x00, 0x00, 0x00,
    };
    Fixture fx;
    int fd;
    CoreRpcAuthListRet auth = { 0 };
    CoreRpcConnectSupportsFeatureArgs feat = { .feature = 10 };
    CoreRpcConnectSupportsFeatureRet feat_ret = { 0 };
    CoreRpcDomainLookupByNameArgs by_name = { .name = (char *)"test" };
    CoreRpcDomainLookupByNameRet dom = { 0 };
    CoreRpcDomainLookupByUuidArgs by_uuid = { { 0 } };
    CoreRpcDomainLookupByUuidRet dom2 = { 0 };
    CoreRpcConnectListAllDomainsArgs list = { .need_results = 0, .flags = 0 };
    CoreRpcConnectListAllDomainsRet list_ret = { 0 };
    CoreRpcConnectOpenArgs again = { .name = (char *)"test:///default" };
    g_autoptr(RpcTestFrame) reply = NULL;
    g_autoptr(RpcTestFrame) info = NULL;

    fixture_start(&fx, NULL);
    fd = rpc_test_connect(fx.path);
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_AUTH_LIST, 0, NULL, &auth);
    g_assert_cmpuint(auth.types_len, ==, 1);
    core_rpc_auth_list_ret_clear(&auth);
    /* keepalive probe works before open; other features do not */
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, 1, &feat, &feat_ret);
    g_assert_cmpint(feat_ret.supported, ==, 1);
    feat.feature = 14;
    assert_rpc_error(rpc_test_call_err(fd, CORE_RPC_REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, 9,
                                       &feat),
                     CORE_ERR_INTERNAL_ERROR, CORE_FROM_RPC,
                     "internal error: hypervisor connection not open");

    g_assert_true(rpc_test_write(fd, open_frame, sizeof(open_frame)));
    reply = rpc_test_reply(fd, 2);
    g_assert_cmpint(reply->header.status, ==, CORE_RPC_STATUS_OK);
    g_assert_cmpuint(g_bytes_get_size(reply->packet), ==, 28);
    assert_rpc_error(rpc_test_call_err(fd, CORE_RPC_REMOTE_PROC_CONNECT_OPEN, 3, &again),
                     CORE_ERR_INTERNAL_ERROR, CORE_FROM_RPC,
                     "internal error: connection already open");

    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, 4, &feat, &feat_ret);
    g_assert_cmpint(feat_ret.supported, ==, 1);
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, 5, &by_name, &dom);
    g_assert_cmpstr(dom.dom->name, ==, "test");
    g_assert_cmpint(dom.dom->id, ==, 1);
    memcpy(by_uuid.uuid, dom.dom->uuid, 16);
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID, 6, &by_uuid, &dom2);
    g_assert_cmpstr(dom2.dom->name, ==, "test");
    core_rpc_domain_lookup_by_name_ret_clear(&dom);
    core_rpc_domain_lookup_by_uuid_ret_clear(&dom2);

    /* need_results 0: the count only */
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, 7, &list, &list_ret);
    g_assert_cmpuint(list_ret.domains_len, ==, 0);
    g_assert_cmpuint(list_ret.ret, >=, 1);
    core_rpc_connect_list_all_domains_ret_clear(&list_ret);

    /* NODE_GET_INFO: 32 chars of 4 bytes, then 8 + 6 * 4 bytes */
    g_assert_true(rpc_test_call(fd, CORE_RPC_REMOTE_PROC_NODE_GET_INFO, 8, NULL));
    info = rpc_test_reply(fd, 8);
    g_assert_cmpint(info->header.status, ==, CORE_RPC_STATUS_OK);
    g_assert_cmpuint(info->payload_len, ==, 160);
    close(fd);
    fixture_stop(&fx);
}

static void
test_errors(void)
{
    Fixture fx;
    int fd;
    CoreRpcDomainLookupByNameArgs by_name = { .name = (char *)"nosuch" };
    CoreRpcDomainAttachDeviceArgs attach = { 0 };
    CoreRpcConnectGetTypeRet type = { 0 };
    const CoreErrorExtra *extra;
    GError *err;
    static const guint8 garbage[] = { 0x00, 0x00, 0x03, 0xe8, 'a', 'b' };
    static const int unknown[] = { 444, 0, -1, 100000, 318 };

    fixture_start(&fx, NULL);
    fd = rpc_test_connect(fx.path);
    /* before CONNECT_OPEN */
    assert_rpc_error(rpc_test_call_err(fd, CORE_RPC_REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, 0,
                                       &by_name),
                     CORE_ERR_INTERNAL_ERROR, CORE_FROM_RPC,
                     "internal error: hypervisor connection not open");
    rpc_test_open(fd, "test:///default", 0);

    /* a driver error with every wire field */
    err = rpc_test_call_err(fd, CORE_RPC_REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, 2, &by_name);
    g_assert_error(err, CORE_ERROR, CORE_ERR_NO_DOMAIN);
    extra = core_error_get_extra(err);
    g_assert_cmpint(extra->from, ==, CORE_FROM_TEST);
    g_assert_cmpint(extra->level, ==, CORE_ERROR_LEVEL_ERROR);
    g_assert_nonnull(extra->str1);
    g_assert_true(g_str_has_prefix(err->message, "Domain not found"));
    g_clear_error(&err);

    for (guint i = 0; i < G_N_ELEMENTS(unknown); i++) {
        g_autoptr(RpcTestFrame) f = NULL;
        g_autofree char *msg = g_strdup_printf("unknown procedure: %d", unknown[i]);

        g_assert_true(rpc_test_send(fd, CORE_RPC_REMOTE_PROGRAM, 1, unknown[i], CORE_RPC_CALL,
                                    10 + i, 0, NULL, 0));
        f = rpc_test_reply(fd, 10 + i);
        g_assert_cmpint(f->header.proc, ==, unknown[i]);
        assert_rpc_error(rpc_test_reply_error(f), CORE_ERR_RPC, CORE_FROM_RPC, msg);
    }

    /* wrong program / version: the header echoes them */
    {
        g_autoptr(RpcTestFrame) f = NULL;

        g_assert_true(rpc_test_send(fd, 0x12345678, 1, 3, CORE_RPC_CALL, 20, 0, NULL, 0));
        f = rpc_test_reply(fd, 20);
        g_assert_cmphex(f->header.prog, ==, 0x12345678);
        assert_rpc_error(rpc_test_reply_error(f), CORE_ERR_RPC, CORE_FROM_RPC,
                         "Cannot find program 305419896 version 1");
    }
    {
        g_autoptr(RpcTestFrame) f = NULL;

        g_assert_true(rpc_test_send(fd, CORE_RPC_REMOTE_PROGRAM, 2, 3, CORE_RPC_CALL, 21, 0,
                                    NULL, 0));
        f = rpc_test_reply(fd, 21);
        assert_rpc_error(rpc_test_reply_error(f), CORE_ERR_RPC, CORE_FROM_RPC,
                         "Cannot find program 536903814 version 2");
    }
    /* bad status */
    {
        g_autoptr(RpcTestFrame) f = NULL;

        g_assert_true(rpc_test_send(fd, CORE_RPC_REMOTE_PROGRAM, 1, 3, CORE_RPC_CALL, 22, 1,
                                    NULL, 0));
        f = rpc_test_reply(fd, 22);
        assert_rpc_error(rpc_test_reply_error(f), CORE_ERR_RPC, CORE_FROM_RPC,
                         "Unexpected message status 1");
    }
    /* garbage arguments: an error, and the connection stays usable */
    {
        g_autoptr(RpcTestFrame) f = NULL;

        g_assert_true(rpc_test_send(fd, CORE_RPC_REMOTE_PROGRAM, 1,
                                    CORE_RPC_REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, CORE_RPC_CALL,
                                    23, 0, garbage, sizeof(garbage)));
        f = rpc_test_reply(fd, 23);
        assert_rpc_error(rpc_test_reply_error(f), CORE_ERR_RPC, CORE_FROM_RPC,
                         "Unable to decode message payload");
    }
    /* a REPLY or MESSAGE from the client is ignored: the next answer is 25's */
    g_assert_true(rpc_test_send(fd, CORE_RPC_REMOTE_PROGRAM, 1, 3, CORE_RPC_REPLY, 24, 0, NULL,
                                0));
    g_assert_true(rpc_test_send(fd, CORE_RPC_REMOTE_PROGRAM, 1, 3, CORE_RPC_MESSAGE, 24, 0,
                                NULL, 0));
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_GET_TYPE, 25, NULL, &type);
    g_assert_nonnull(type.type);
    core_rpc_connect_get_type_ret_clear(&type);

    /* a procedure Vireo does not offer, and one without a driver entry */
    assert_rpc_error(rpc_test_call_err(fd, CORE_RPC_REMOTE_PROC_DOMAIN_ATTACH_DEVICE, 26,
                                       &attach),
                     CORE_ERR_NO_SUPPORT, CORE_FROM_DOMAIN,
                     "this function is not supported by the connection driver: "
                     "virDomainAttachDevice");
    g_assert_true(rpc_test_send(fd, CORE_RPC_REMOTE_PROGRAM, 1,
                                CORE_RPC_REMOTE_PROC_DOMAIN_SNAPSHOT_CREATE_XML, CORE_RPC_CALL,
                                27, 0, NULL, 0));
    {
        g_autoptr(RpcTestFrame) f = rpc_test_reply(fd, 27);

        assert_rpc_error(rpc_test_reply_error(f), CORE_ERR_NO_SUPPORT, CORE_FROM_DOMAIN,
                         "this function is not supported by the connection driver: "
                         "virDomainSnapshotCreateXML");
    }
    close(fd);
    fixture_stop(&fx);
}

static void
test_bad_frames(void)
{
    Fixture fx;
    int fd;
    guint8 frame[28] = { 0 };
    CoreRpcConnectGetTypeRet type = { 0 };

    fixture_start(&fx, NULL);
    /* shorter than a header */
    fd = rpc_test_connect(fx.path);
    g_assert_true(rpc_test_write(fd, "\x00\x00\x00\x14", 4));
    g_assert_true(rpc_test_wait_eof(fd));
    close(fd);
    /* above 32 MiB + 4 */
    fd = rpc_test_connect(fx.path);
    g_assert_true(rpc_test_write(fd, "\x02\x00\x00\x05", 4));
    g_assert_true(rpc_test_wait_eof(fd));
    close(fd);
    /* exactly 32 MiB + 4 is a legal length: the server waits for the rest */
    fd = rpc_test_connect(fx.path);
    g_assert_true(rpc_test_write(fd, "\x02\x00\x00\x04", 4));
    close(fd);
    /* a truncated frame, then the client goes away */
    fd = rpc_test_connect(fx.path);
    frame[3] = 60;
    g_assert_true(rpc_test_write(fd, frame, sizeof(frame)));
    close(fd);
    /* a zero-filled 28-byte frame: program 0 is unknown */
    fd = rpc_test_connect(fx.path);
    frame[3] = 28;
    g_assert_true(rpc_test_write(fd, frame, sizeof(frame)));
    {
        g_autoptr(RpcTestFrame) f = rpc_test_reply(fd, 0);

        assert_rpc_error(rpc_test_reply_error(f), CORE_ERR_RPC, CORE_FROM_RPC,
                         "Cannot find program 0 version 0");
    }
    close(fd);
    /* the server still serves */
    fd = rpc_test_connect(fx.path);
    rpc_test_open(fd, "test:///default", 0);
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_GET_TYPE, 2, NULL, &type);
    core_rpc_connect_get_type_ret_clear(&type);
    close(fd);
    g_assert_true(wait_client_count(&fx, 0));
    fixture_stop(&fx);
}

static void
check_state(int fd, guint32 serial, int want)
{
    CoreRpcDomainLookupByNameArgs by_name = { .name = (char *)"test" };
    CoreRpcDomainLookupByNameRet dom = { 0 };
    CoreRpcDomainGetStateArgs st = { 0 };
    CoreRpcDomainGetStateRet st_ret = { 0 };

    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, serial, &by_name, &dom);
    st.dom = dom.dom;
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_DOMAIN_GET_STATE, serial + 1, &st, &st_ret);
    g_assert_cmpint(st_ret.state, ==, want);
    core_rpc_domain_lookup_by_name_ret_clear(&dom);
}

static void
test_readonly(void)
{
    Fixture fx;
    int fd;
    CoreRpcDomainLookupByNameArgs by_name = { .name = (char *)"test" };
    CoreRpcDomainLookupByNameRet dom = { 0 };
    CoreRpcDomainDestroyArgs destroy = { 0 };
    CoreRpcDomainDefineXmlArgs define = { .xml = (char *)"<domain/>" };

    fixture_start(&fx, NULL);
    for (int variant = 0; variant < 2; variant++) {
        /* a read-only socket, or the read-only flag in CONNECT_OPEN */
        fd = rpc_test_connect(variant == 0 ? fx.ro_path : fx.path);
        rpc_test_open(fd, "test:///default", variant == 0 ? 0 : 1);
        rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, 2, &by_name, &dom);
        destroy.dom = dom.dom;
        assert_rpc_error(rpc_test_call_err(fd, CORE_RPC_REMOTE_PROC_DOMAIN_DESTROY, 3,
                                           &destroy),
                         CORE_ERR_OPERATION_DENIED, CORE_FROM_DOMAIN,
                         "operation forbidden: read only access prevents virDomainDestroy");
        assert_rpc_error(rpc_test_call_err(fd, CORE_RPC_REMOTE_PROC_DOMAIN_DEFINE_XML, 4,
                                           &define),
                         CORE_ERR_OPERATION_DENIED, CORE_FROM_DOMAIN,
                         "operation forbidden: read only access prevents virDomainDefineXML");
        check_state(fd, 5, 1);
        core_rpc_domain_lookup_by_name_ret_clear(&dom);
        close(fd);
    }
    fixture_stop(&fx);
}

static void
test_keepalive(void)
{
    CoreRpcServerConfig cfg = { .keepalive_interval = 1, .keepalive_count = 1 };
    CoreRpcConnectSupportsFeatureArgs feat = { .feature = 10 };
    CoreRpcConnectSupportsFeatureRet feat_ret = { 0 };
    g_autoptr(RpcTestFrame) pong = NULL;
    g_autoptr(RpcTestFrame) ping = NULL;
    Fixture fx;
    int fd;
    gint64 start;

    fixture_start(&fx, &cfg);
    fd = rpc_test_connect(fx.path);
    /* a client PING gets a PONG: MESSAGE, serial 0, empty */
    g_assert_true(rpc_test_send(fd, CORE_RPC_KEEPALIVE_PROGRAM, 1, CORE_RPC_KEEPALIVE_PING,
                                CORE_RPC_MESSAGE, 0, 0, NULL, 0));
    pong = rpc_test_read(fd);
    g_assert_nonnull(pong);
    g_assert_cmphex(pong->header.prog, ==, CORE_RPC_KEEPALIVE_PROGRAM);
    g_assert_cmpint(pong->header.proc, ==, CORE_RPC_KEEPALIVE_PONG);
    g_assert_cmpint(pong->header.type, ==, CORE_RPC_MESSAGE);
    g_assert_cmpuint(pong->header.serial, ==, 0);
    g_assert_cmpuint(pong->payload_len, ==, 0);

    /* after the feature-10 probe the server PINGs an idle client ... */
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, 1, &feat, &feat_ret);
    start = g_get_monotonic_time();
    ping = rpc_test_read(fd);
    g_assert_nonnull(ping);
    g_assert_cmpint(ping->header.proc, ==, CORE_RPC_KEEPALIVE_PING);
    g_assert_cmpint(ping->header.type, ==, CORE_RPC_MESSAGE);
    /* ... and drops it when the PINGs stay unanswered */
    g_assert_true(rpc_test_wait_eof(fd));
    g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
    close(fd);
    fixture_stop(&fx);
}

static RpcTestFrame *
read_event(int fd)
{
    for (;;) {
        RpcTestFrame *f = rpc_test_read(fd);

        if (!f || f->header.prog == CORE_RPC_REMOTE_PROGRAM)
            return f;
        rpc_test_frame_free(f);
    }
}

static void
test_events(void)
{
    Fixture fx;
    int a, b;
    CoreRpcConnectDomainEventCallbackRegisterAnyArgs reg = { .eventID = 0 };
    CoreRpcConnectDomainEventCallbackRegisterAnyRet reg_ret = { 0 };
    CoreRpcConnectDomainEventCallbackDeregisterAnyArgs dereg = { .callbackID = 99 };
    CoreRpcDomainLookupByNameArgs by_name = { .name = (char *)"test" };
    CoreRpcDomainLookupByNameRet dom = { 0 };
    CoreRpcDomainSuspendArgs suspend = { 0 };
    CoreRpcDomainResumeArgs resume = { 0 };
    CoreRpcDomainEventCallbackLifecycleMsg msg = { 0 };
    CoreXdrReader r;

    fixture_start(&fx, NULL);
    a = rpc_test_connect(fx.path);
    b = rpc_test_connect(fx.path);
    rpc_test_open(a, "test:///default", 0);
    rpc_test_open(b, "test:///default", 0);
    rpc_test_call_ok(a, CORE_RPC_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, 2, &reg,
                     &reg_ret);
    g_assert_cmpint(reg_ret.callbackID, ==, 0);
    reg.eventID = 27;
    assert_rpc_error(rpc_test_call_err(a,
                                       CORE_RPC_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                                       3, &reg),
                     CORE_ERR_INVALID_ARG, CORE_FROM_RPC,
                     "invalid argument: unsupported event ID 27");
    g_assert_error(rpc_test_call_err(a,
                                     CORE_RPC_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
                                     4, &dereg),
                   CORE_ERROR, CORE_ERR_INVALID_ARG);

    rpc_test_call_ok(b, CORE_RPC_REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, 2, &by_name, &dom);
    suspend.dom = dom.dom;
    rpc_test_call_ok(b, CORE_RPC_REMOTE_PROC_DOMAIN_SUSPEND, 3, &suspend, NULL);
    {
        g_autoptr(RpcTestFrame) ev = read_event(a);

        g_assert_nonnull(ev);
        g_assert_cmpint(ev->header.type, ==, CORE_RPC_MESSAGE);
        g_assert_cmpint(ev->header.proc, ==,
                        CORE_RPC_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE);
        g_assert_cmpuint(ev->header.serial, ==, 1);
        core_xdr_reader_init(&r, ev->payload, ev->payload_len);
        g_assert_true(core_rpc_domain_event_callback_lifecycle_msg_decode(&r, &msg, NULL));
        g_assert_cmpint(msg.callbackID, ==, 0);
        g_assert_cmpstr(msg.dom->name, ==, "test");
        g_assert_cmpint(msg.event, ==, 3); /* SUSPENDED */
        core_rpc_domain_event_callback_lifecycle_msg_clear(&msg);
    }
    resume.dom = dom.dom;
    rpc_test_call_ok(b, CORE_RPC_REMOTE_PROC_DOMAIN_RESUME, 4, &resume, NULL);
    {
        g_autoptr(RpcTestFrame) ev = read_event(a);

        core_xdr_reader_init(&r, ev->payload, ev->payload_len);
        g_assert_true(core_rpc_domain_event_callback_lifecycle_msg_decode(&r, &msg, NULL));
        g_assert_cmpint(msg.event, ==, 4); /* RESUMED */
        core_rpc_domain_event_callback_lifecycle_msg_clear(&msg);
    }
    /* b did not register and got no event: its next frame is its reply */
    {
        g_autoptr(RpcTestFrame) f = NULL;

        g_assert_true(rpc_test_call(b, CORE_RPC_REMOTE_PROC_CONNECT_GET_LIB_VERSION, 5, NULL));
        f = rpc_test_read(b);
        g_assert_cmpint(f->header.type, ==, CORE_RPC_REPLY);
        g_assert_cmpuint(f->header.serial, ==, 5);
    }
    dereg.callbackID = 0;
    rpc_test_call_ok(a, CORE_RPC_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, 6,
                     &dereg, NULL);
    core_rpc_domain_lookup_by_name_ret_clear(&dom);
    close(a);
    close(b);
    fixture_stop(&fx);
}

static void
test_many_clients(void)
{
    Fixture fx;
    int fds[300];
    CoreRpcConnectGetTypeRet type = { 0 };
    int fd;

    fixture_start(&fx, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(fds); i++) {
        fds[i] = rpc_test_connect(fx.path);
        if (i % 3 == 1)
            rpc_test_write(fds[i], "\x00\x00\x00\x40\x20\x00", 6);
        /* drop them in batches so that the anonymous-client limit is hit
         * and lifted several times */
        if (i % 10 == 9) {
            for (guint j = i - 9; j <= i; j++)
                close(fds[j]);
        }
    }
    g_assert_true(wait_client_count(&fx, 0));
    fd = rpc_test_connect(fx.path);
    rpc_test_open(fd, "test:///default", 0);
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_GET_TYPE, 2, NULL, &type);
    core_rpc_connect_get_type_ret_clear(&type);
    close(fd);
    fixture_stop(&fx);
}

static void
test_client_limit(void)
{
    CoreRpcServerConfig cfg = { .max_clients = 2 };
    struct timeval shortwait = { .tv_usec = 300000 };
    struct timeval longwait = { .tv_sec = 5 };
    g_autoptr(RpcTestFrame) f = NULL;
    Fixture fx;
    int a, b, c;

    fixture_start(&fx, &cfg);
    a = rpc_test_connect(fx.path);
    b = rpc_test_connect(fx.path);
    rpc_test_open(a, "test:///default", 0);
    rpc_test_open(b, "test:///default", 0);
    /* the third connection waits in the backlog: no answer yet */
    c = rpc_test_connect(fx.path);
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &shortwait, sizeof(shortwait));
    g_assert_true(rpc_test_call(c, CORE_RPC_REMOTE_PROC_AUTH_LIST, 0, NULL));
    g_assert_null(rpc_test_read(c));
    g_assert_cmpuint(client_count(&fx), ==, 2);
    /* once a client leaves, it is accepted and served */
    close(a);
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &longwait, sizeof(longwait));
    f = rpc_test_reply(c, 0);
    g_assert_nonnull(f);
    g_assert_cmpint(f->header.status, ==, CORE_RPC_STATUS_OK);
    close(b);
    close(c);
    fixture_stop(&fx);
}

/* Idle connections that never open do not lock other clients out: at the
 * anonymous limit the oldest of them is dropped and the newcomer served. */
static void
test_anonymous_limit(void)
{
    CoreRpcServerConfig cfg = { .max_anonymous = 3 };
    struct timeval wait = { .tv_sec = 5 };
    CoreRpcConnectGetTypeRet type = { 0 };
    Fixture fx;
    int idle[3];
    int fd;

    fixture_start(&fx, &cfg);
    for (guint i = 0; i < G_N_ELEMENTS(idle); i++)
        idle[i] = rpc_test_connect(fx.path);
    g_assert_true(wait_client_count(&fx, 3));
    fd = rpc_test_connect(fx.path);
    /* before the fix this connection waited in the backlog forever */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
    rpc_test_open(fd, "test:///default", 0);
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_GET_TYPE, 2, NULL, &type);
    core_rpc_connect_get_type_ret_clear(&type);
    /* the oldest idle connection made room */
    g_assert_true(rpc_test_wait_eof(idle[0]));
    /* the newer idle ones stay */
    g_assert_cmpuint(client_count(&fx), ==, 3);
    for (guint i = 0; i < G_N_ELEMENTS(idle); i++)
        close(idle[i]);
    close(fd);
    fixture_stop(&fx);
}

static void
test_slow_reader(void)
{
    CoreRpcServerConfig cfg = { .max_queued_bytes = 64 * 1024 };
    CoreRpcDomainLookupByNameArgs by_name = { .name = (char *)"test" };
    CoreRpcDomainLookupByNameRet dom = { 0 };
    CoreRpcConnectDomainEventCallbackRegisterAnyArgs reg = { .eventID = 0 };
    CoreRpcDomainGetXmlDescArgs xml = { 0 };
    CoreRpcDomainSuspendArgs suspend = { 0 };
    Fixture fx;
    int slow, fast;
    guint32 serial = 10;
    gint64 start;

    fixture_start(&fx, &cfg);
    slow = rpc_test_connect(fx.path);
    fast = rpc_test_connect(fx.path);
    rpc_test_open(slow, "test:///default", 0);
    rpc_test_open(fast, "test:///default", 0);
    rpc_test_call_ok(slow, CORE_RPC_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, 2,
                     &reg, NULL);
    rpc_test_call_ok(slow, CORE_RPC_REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, 3, &by_name, &dom);
    xml.dom = dom.dom;
    suspend.dom = dom.dom;

    /* the slow client asks for a lot and never reads */
    {
        struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };

        setsockopt(slow, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        for (int i = 0; i < 3000 && rpc_test_call(slow, CORE_RPC_REMOTE_PROC_DOMAIN_GET_XML_DESC,
                                                  serial, &xml);
             i++)
            serial++;
    }
    /* the other client is served all along */
    start = g_get_monotonic_time();
    for (int i = 0; i < 20; i++) {
        CoreRpcConnectGetTypeRet type = { 0 };

        rpc_test_call_ok(fast, CORE_RPC_REMOTE_PROC_CONNECT_GET_TYPE, 100 + i, NULL, &type);
        core_rpc_connect_get_type_ret_clear(&type);
    }
    g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
    /* events for the slow client overflow its queue: it is dropped */
    for (int i = 0; i < 3 && client_count(&fx) == 2; i++) {
        CoreRpcDomainResumeArgs resume = { .dom = dom.dom };

        rpc_test_call_ok(fast, CORE_RPC_REMOTE_PROC_DOMAIN_SUSPEND, 200 + 2 * i, &suspend, NULL);
        rpc_test_call_ok(fast, CORE_RPC_REMOTE_PROC_DOMAIN_RESUME, 201 + 2 * i, &resume, NULL);
    }
    g_assert_true(wait_client_count(&fx, 1));
    g_assert_true(rpc_test_wait_eof(slow));
    core_rpc_domain_lookup_by_name_ret_clear(&dom);
    close(slow);
    close(fast);
    fixture_stop(&fx);
}

static void
test_close(void)
{
    Fixture fx;
    int fd;

    fixture_start(&fx, NULL);
    fd = rpc_test_connect(fx.path);
    rpc_test_open(fd, "test:///default", 0);
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_CLOSE, 2, NULL, NULL);
    g_assert_true(rpc_test_wait_eof(fd));
    close(fd);
    g_assert_true(wait_client_count(&fx, 0));
    fixture_stop(&fx);
}

static void
send_with_fd(int fd, int passed)
{
    /* CALL_WITH_FDS of DOMAIN_CREATE_WITH_FILES: nfds 1, args {dom, flags} */
    CoreRpcHeader h = { CORE_RPC_REMOTE_PROGRAM, 1,
                        CORE_RPC_REMOTE_PROC_DOMAIN_CREATE_WITH_FILES, CORE_RPC_CALL_WITH_FDS, 7,
                        0 };
    g_autoptr(CoreDomainRef) dom = core_domain_ref_new("test", NULL, 1);
    CoreRpcDomainCreateWithFilesArgs args = { .dom = dom, .flags = 0 };
    char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
    struct iovec iov = { .iov_base = (char *)"", .iov_len = 1 };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                         .msg_controllen = sizeof(cbuf) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    CoreXdrWriter w;

    core_xdr_writer_init(&w);
    core_rpc_message_begin(&w, &h, 1);
    g_assert_true(core_rpc_domain_create_with_files_args_encode(&w, &args, NULL));
    g_assert_true(core_rpc_message_end(&w, NULL));
    g_assert_true(rpc_test_write(fd, w.buf->data, w.buf->len));
    core_xdr_writer_clear(&w);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &passed, sizeof(int));
    g_assert_cmpint(sendmsg(fd, &mh, MSG_NOSIGNAL), ==, 1);
}

static void
test_fd_passing(void)
{
    Fixture fx;
    int fd, pipefd[2];
    CoreRpcConnectGetTypeRet type = { 0 };
    g_autoptr(RpcTestFrame) f = NULL;

    fixture_start(&fx, NULL);
    fd = rpc_test_connect(fx.path);
    rpc_test_open(fd, "test:///default", 0);
    g_assert_cmpint(pipe(pipefd), ==, 0);
    send_with_fd(fd, pipefd[0]);
    close(pipefd[0]);
    f = rpc_test_reply(fd, 7);
    /* no descriptor in the answer: a plain REPLY */
    g_assert_cmpint(f->header.type, ==, CORE_RPC_REPLY);
    assert_rpc_error(rpc_test_reply_error(f), CORE_ERR_NO_SUPPORT, CORE_FROM_DOMAIN,
                     "this function is not supported by the connection driver: "
                     "virDomainCreateWithFiles");
    /* the server closed its copy of the descriptor */
    {
        g_assert_cmpint(client_count(&fx), ==, 1);
        rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_GET_TYPE, 8, NULL, &type);
        core_rpc_connect_get_type_ret_clear(&type);
        close(fd);
        g_assert_true(wait_client_count(&fx, 0));
        g_assert_cmpint(write(pipefd[1], "x", 1), <, 0);
        g_assert_cmpint(errno, ==, EPIPE);
    }
    close(pipefd[1]);
    fixture_stop(&fx);
}

static void
test_open_hook(void)
{
    Fixture fx;
    int fd;
    CoreRpcConnectOpenArgs open_args = { .name = (char *)"handoff:///x" };
    CoreRpcConnectOpenArgs refuse = { .name = (char *)"refuse:///" };
    CoreRpcConnectOpenArgs other = { .name = (char *)"nodriver:///" };

    fixture_start(&fx, NULL);
    fd = rpc_test_connect(fx.path);
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_AUTH_LIST, 0, NULL, NULL);
    assert_rpc_error(rpc_test_call_err(fd, CORE_RPC_REMOTE_PROC_CONNECT_OPEN, 1, &refuse),
                     CORE_ERR_NO_CONNECT, CORE_FROM_NONE,
                     "no connection driver available: refused by the hook");
    /* hook declines: the server's own driver selection answers */
    assert_rpc_error(rpc_test_call_err(fd, CORE_RPC_REMOTE_PROC_CONNECT_OPEN, 2, &other),
                     CORE_ERR_NO_CONNECT, CORE_FROM_NONE,
                     "no connection driver available: nodriver:///");
    /* hook takes the socket with the CONNECT_OPEN frame and what follows */
    g_assert_true(rpc_test_call(fd, CORE_RPC_REMOTE_PROC_CONNECT_OPEN, 3, &open_args));
    g_assert_true(wait_client_count(&fx, 0));
    g_assert_cmpstr(fx.hook_uri, ==, "handoff:///x");
    g_assert_nonnull(fx.hook_pending);
    g_assert_cmpuint(g_bytes_get_size(fx.hook_pending), ==, 28 + 4 + 4 + 12 + 4);
    /* the socket is still open: what the hook writes reaches the client */
    g_assert_cmpint(write(fx.hook_fd, "ok", 2), ==, 2);
    {
        char buf[2];

        g_assert_cmpint(recv(fd, buf, 2, 0), ==, 2);
        g_assert_cmpmem(buf, 2, "ok", 2);
    }
    close(fd);
    fixture_stop(&fx);
}

/* A CONNECT_OPEN for the open hook behind replies the client has not read
 * waits for them without blocking the server: other clients are served,
 * and the hook gets the socket once the client read everything. */
static void
test_open_hook_waits(void)
{
    CoreRpcConnectOpenArgs open_args = { .name = (char *)"handoff:///x" };
    CoreRpcConnectGetTypeRet type = { 0 };
    CoreRpcHeader h = { CORE_RPC_REMOTE_PROGRAM, 1, CORE_RPC_REMOTE_PROC_AUTH_LIST,
                        CORE_RPC_CALL, 0, 0 };
    g_autoptr(GBytes) call = core_rpc_message_build(&h, NULL, 0, NULL);
    g_autoptr(GByteArray) burst = g_byte_array_new();
    const guint ncalls = 20000;
    Fixture fx;
    int fd, other;
    gint64 start;

    fixture_start(&fx, NULL);
    fd = rpc_test_connect(fx.path);
    for (guint i = 0; i < ncalls; i++)
        g_byte_array_append(burst, g_bytes_get_data(call, NULL), g_bytes_get_size(call));
    g_assert_true(rpc_test_write(fd, burst->data, burst->len));
    g_assert_true(rpc_test_call(fd, CORE_RPC_REMOTE_PROC_CONNECT_OPEN, 1, &open_args));
    g_usleep(200000);
    /* the server is not stuck flushing the first client */
    other = rpc_test_connect(fx.path);
    start = g_get_monotonic_time();
    rpc_test_open(other, "test:///default", 0);
    rpc_test_call_ok(other, CORE_RPC_REMOTE_PROC_CONNECT_GET_TYPE, 2, NULL, &type);
    core_rpc_connect_get_type_ret_clear(&type);
    g_assert_cmpint(g_get_monotonic_time() - start, <, 900000);
    /* the hook saw only the second client so far */
    g_assert_cmpstr(fx.hook_uri, ==, "test:///default");
    /* every reply arrives, then the socket changes hands */
    for (guint i = 0; i < ncalls; i++) {
        g_autoptr(RpcTestFrame) f = rpc_test_read(fd);

        g_assert_nonnull(f);
    }
    g_assert_true(wait_client_count(&fx, 1));
    g_assert_cmpstr(fx.hook_uri, ==, "handoff:///x");
    close(other);
    close(fd);
    fixture_stop(&fx);
}

static void
test_adopt_fd(void)
{
    Fixture fx;
    int sv[2];
    CoreRpcHeader h = { CORE_RPC_REMOTE_PROGRAM, 1, CORE_RPC_REMOTE_PROC_AUTH_LIST,
                        CORE_RPC_CALL, 41, 0 };
    g_autoptr(GBytes) pending = core_rpc_message_build(&h, NULL, 0, NULL);
    g_autoptr(RpcTestFrame) f = NULL;

    fixture_start(&fx, NULL);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    {
        struct timeval tv = { .tv_sec = 5 };

        setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    }
    /* adopted while the loop is stopped, as a daemon hands a socket over */
    rpc_test_loop_join(fx.loop, fx.thread);
    g_assert_true(core_rpc_server_add_client_fd(fx.server, sv[1], FALSE,
                                                g_bytes_get_data(pending, NULL),
                                                g_bytes_get_size(pending), NULL));
    fx.thread = g_thread_new("rpc-server", rpc_test_loop_thread, fx.loop);
    f = rpc_test_reply(sv[0], 41);
    g_assert_nonnull(f);
    g_assert_cmpint(f->header.status, ==, CORE_RPC_STATUS_OK);
    close(sv[0]);
    g_assert_true(wait_client_count(&fx, 0));
    fixture_stop(&fx);
}

/* ---- administration (what libvirt's admin program reads and changes) ---------- */

typedef struct {
    GMutex lock;
    GCond cond;
    gboolean done;
    void (*func)(Fixture *fx, gpointer data);
    Fixture *fx;
    gpointer data;
} ServerCall;

static gboolean
server_call_cb(gpointer p)
{
    ServerCall *c = p;

    c->func(c->fx, c->data);
    g_mutex_lock(&c->lock);
    c->done = TRUE;
    g_cond_signal(&c->cond);
    g_mutex_unlock(&c->lock);
    return G_SOURCE_REMOVE;
}

/* Runs @func on the server's thread, as the daemon's admin socket does. */
static void
on_server(Fixture *fx, void (*func)(Fixture *fx, gpointer data), gpointer data)
{
    ServerCall c = { .func = func, .fx = fx, .data = data };

    g_mutex_init(&c.lock);
    g_cond_init(&c.cond);
    g_main_context_invoke(fx->ctx, server_call_cb, &c);
    g_mutex_lock(&c.lock);
    while (!c.done)
        g_cond_wait(&c.cond, &c.lock);
    g_mutex_unlock(&c.lock);
    g_mutex_clear(&c.lock);
    g_cond_clear(&c.cond);
}

static void
list_clients_cb(Fixture *fx, gpointer data)
{
    *(GArray **)data = core_rpc_server_list_clients(fx->server);
}

static GArray *
list_clients(Fixture *fx)
{
    GArray *list = NULL;

    on_server(fx, list_clients_cb, &list);
    return list;
}

typedef struct {
    guint64 id;
    gboolean found;
    CoreRpcClientInfo info;
} ClientQuery;

static void
get_client_cb(Fixture *fx, gpointer data)
{
    ClientQuery *q = data;

    q->found = core_rpc_server_get_client(fx->server, q->id, &q->info);
}

static void
close_client_cb(Fixture *fx, gpointer data)
{
    ClientQuery *q = data;

    q->found = core_rpc_server_close_client(fx->server, q->id);
}

static void
assert_identity(const CoreRpcClientInfo *info, gboolean readonly, gint64 since)
{
    g_assert_cmpint(info->transport, ==, CORE_RPC_CLIENT_TRANSPORT_UNIX);
    g_assert_cmpint(info->readonly, ==, readonly);
    g_assert_true(info->has_identity);
    g_assert_cmpuint(info->uid, ==, getuid());
    g_assert_cmpuint(info->gid, ==, getgid());
    g_assert_cmpint(info->pid, ==, getpid());
    g_assert_cmpint(info->timestamp, >=, since);
    g_assert_cmpint(info->timestamp, <=, g_get_real_time() / G_USEC_PER_SEC);
}

static void
test_admin_clients(void)
{
    gint64 since = g_get_real_time() / G_USEC_PER_SEC;
    CoreRpcConnectGetTypeRet type = { 0 };
    g_autoptr(GArray) list = NULL;
    g_autoptr(GArray) after = NULL;
    CoreRpcClientInfo rw, ro;
    ClientQuery q = { 0 };
    Fixture fx;
    int a, b, c;

    fixture_start(&fx, NULL);
    a = rpc_test_connect(fx.path);
    rpc_test_open(a, "test:///default", 0);
    b = rpc_test_connect(fx.ro_path);
    rpc_test_open(b, "test:///default", 0);
    list = list_clients(&fx);
    g_assert_cmpuint(list->len, ==, 2);
    rw = g_array_index(list, CoreRpcClientInfo, 0);
    ro = g_array_index(list, CoreRpcClientInfo, 1);
    g_assert_cmpuint(rw.id, >=, 1);
    g_assert_cmpuint(ro.id, >, rw.id);
    assert_identity(&rw, FALSE, since);
    assert_identity(&ro, TRUE, since);

    q.id = ro.id;
    on_server(&fx, get_client_cb, &q);
    g_assert_true(q.found);
    g_assert_true(memcmp(&q.info, &ro, sizeof(ro)) == 0);
    q.id = ro.id + 100;
    on_server(&fx, get_client_cb, &q);
    g_assert_false(q.found);

    /* Closing one client by id cuts it off and leaves the other served. */
    q.id = rw.id;
    on_server(&fx, close_client_cb, &q);
    g_assert_true(q.found);
    g_assert_true(rpc_test_wait_eof(a));
    rpc_test_call_ok(b, CORE_RPC_REMOTE_PROC_CONNECT_GET_TYPE, 2, NULL, &type);
    core_rpc_connect_get_type_ret_clear(&type);
    on_server(&fx, close_client_cb, &q);
    g_assert_false(q.found);
    g_assert_true(wait_client_count(&fx, 1));

    /* Ids are never reused. */
    c = rpc_test_connect(fx.path);
    g_assert_true(wait_client_count(&fx, 2));
    after = list_clients(&fx);
    g_assert_cmpuint(after->len, ==, 2);
    g_assert_cmpuint(g_array_index(after, CoreRpcClientInfo, 0).id, ==, ro.id);
    g_assert_cmpuint(g_array_index(after, CoreRpcClientInfo, 1).id, >, ro.id);
    close(a);
    close(b);
    close(c);
    fixture_stop(&fx);
}

typedef struct {
    gint64 max;
    gint64 anon;
    gboolean ok;
    GError *error;
    CoreRpcServerLimits limits;
} LimitsCall;

static void
limits_cb(Fixture *fx, gpointer data)
{
    LimitsCall *l = data;

    if (l->max != 0 || l->anon != 0)
        l->ok = core_rpc_server_set_limits(fx->server, l->max, l->anon, &l->error);
    core_rpc_server_get_limits(fx->server, &l->limits);
}

static void
set_limits(Fixture *fx, LimitsCall *l, gint64 max, gint64 anon)
{
    l->max = max;
    l->anon = anon;
    l->ok = FALSE;
    g_clear_error(&l->error);
    on_server(fx, limits_cb, l);
}

static void
test_admin_limits(void)
{
    struct timeval shortwait = { .tv_usec = 300000 };
    struct timeval longwait = { .tv_sec = 5 };
    g_autoptr(RpcTestFrame) f = NULL;
    LimitsCall l = { 0 };
    Fixture fx;
    int a, b;

    fixture_start(&fx, NULL);
    set_limits(&fx, &l, 0, 0);
    g_assert_cmpuint(l.limits.max_clients, ==, 5000);
    g_assert_cmpuint(l.limits.max_anonymous, ==, 20);
    a = rpc_test_connect(fx.path);
    g_assert_true(wait_client_count(&fx, 1));
    set_limits(&fx, &l, 0, 0);
    g_assert_cmpuint(l.limits.n_clients, ==, 1);
    g_assert_cmpuint(l.limits.n_anonymous, ==, 1);
    rpc_test_open(a, "test:///default", 0);
    set_limits(&fx, &l, 0, 0);
    g_assert_cmpuint(l.limits.n_anonymous, ==, 0);

    /* Refused changes change nothing. */
    set_limits(&fx, &l, 10, -1);
    g_assert_false(l.ok);
    g_assert_error(l.error, CORE_ERROR, CORE_ERR_INVALID_ARG);
    set_limits(&fx, &l, -1, 0);
    g_assert_false(l.ok);
    g_assert_error(l.error, CORE_ERROR, CORE_ERR_INVALID_ARG);
    g_assert_cmpuint(l.limits.max_clients, ==, 5000);
    g_assert_cmpuint(l.limits.max_anonymous, ==, 20);

    /* A limit reached stops accepting; raising it lets the waiting one in. */
    set_limits(&fx, &l, 1, 1);
    g_assert_true(l.ok);
    g_assert_cmpuint(l.limits.max_clients, ==, 1);
    g_assert_cmpuint(l.limits.max_anonymous, ==, 1);
    b = rpc_test_connect(fx.path);
    setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &shortwait, sizeof(shortwait));
    g_assert_true(rpc_test_call(b, CORE_RPC_REMOTE_PROC_AUTH_LIST, 0, NULL));
    g_assert_null(rpc_test_read(b));
    set_limits(&fx, &l, 5, -1);
    g_assert_true(l.ok);
    setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &longwait, sizeof(longwait));
    f = rpc_test_reply(b, 0);
    g_assert_nonnull(f);
    g_assert_cmpint(f->header.status, ==, CORE_RPC_STATUS_OK);
    g_clear_error(&l.error);
    close(a);
    close(b);
    fixture_stop(&fx);
}

static void
test_admin_workers(void)
{
    CoreRpcServerConfig cfg = { .max_workers = 4 };
    g_autoptr(GError) error = NULL;
    CoreRpcWorkerStats st;
    Fixture fx;

    fixture_start(&fx, &cfg);
    core_rpc_server_get_workers(fx.server, &st);
    g_assert_cmpuint(st.max_workers, ==, 4);
    g_assert_cmpuint(st.free_workers, <=, st.n_workers);
    g_assert_cmpuint(st.queue_depth, ==, 0);
    g_assert_true(core_rpc_server_set_max_workers(fx.server, 2, NULL));
    core_rpc_server_get_workers(fx.server, &st);
    g_assert_cmpuint(st.max_workers, ==, 2);
    g_assert_false(core_rpc_server_set_max_workers(fx.server, 0, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_INVALID_ARG);
    core_rpc_server_get_workers(fx.server, &st);
    g_assert_cmpuint(st.max_workers, ==, 2);
    fixture_stop(&fx);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* writes to closed pipes must fail with EPIPE, not kill the test */
    signal(SIGPIPE, SIG_IGN);
    g_test_add_func("/rpc/server/handshake", test_handshake);
    g_test_add_func("/rpc/server/errors", test_errors);
    g_test_add_func("/rpc/server/bad-frames", test_bad_frames);
    g_test_add_func("/rpc/server/readonly", test_readonly);
    g_test_add_func("/rpc/server/keepalive", test_keepalive);
    g_test_add_func("/rpc/server/events", test_events);
    g_test_add_func("/rpc/server/many-clients", test_many_clients);
    g_test_add_func("/rpc/server/client-limit", test_client_limit);
    g_test_add_func("/rpc/server/anonymous-limit", test_anonymous_limit);
    g_test_add_func("/rpc/server/slow-reader", test_slow_reader);
    g_test_add_func("/rpc/server/close", test_close);
    g_test_add_func("/rpc/server/fd-passing", test_fd_passing);
    g_test_add_func("/rpc/server/open-hook", test_open_hook);
    g_test_add_func("/rpc/server/open-hook-waits", test_open_hook_waits);
    g_test_add_func("/rpc/server/adopt-fd", test_adopt_fd);
    g_test_add_func("/rpc/server/admin-clients", test_admin_clients);
    g_test_add_func("/rpc/server/admin-limits", test_admin_limits);
    g_test_add_func("/rpc/server/admin-workers", test_admin_workers);
    return g_test_run();
}
