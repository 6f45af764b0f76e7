/* Unit tests for where the RPC server runs a call: on its main loop when
 * the connection's driver declares CORE_DRIVER_NONBLOCKING, on a worker
 * otherwise. Two fake drivers, identical but for that flag, record the
 * thread each of their entries runs on; the server runs its GMainContext on
 * its own thread, as a daemon's main loop would. */
#include <string.h>
#include <unistd.h>

#include "core-error.h"
#include "core-remote-driver.h"
#include "core-rpc-dispatch.h"
#include "core-rpc-protocol.h"
#include "core-rpc-server.h"
#include "rpc-test-client.h"
#include "rpc-test-server.h"

/* ---- fake drivers --------------------------------------------------------------- */

/* What the fake entries saw; every field under calls_lock. */
static GMutex calls_lock;
static GCond calls_cond;
static GPtrArray *calls_threads; /* GThread of each call, in call order */
static gboolean gate_closed;     /* undefine of a slow:// connection waits while TRUE */
static guint waiting;            /* calls waiting at the gate */

#define FAST_CONN GINT_TO_POINTER(1)
#define SLOW_CONN GINT_TO_POINTER(2)
#define NESTED_CONN GINT_TO_POINTER(3)

/* nested:// undefine runs the server's context again until released */
static guint nested_depth, nested_max_depth;
static gboolean nested_entered, nested_release;

static gboolean
fake_open(const char *uri, guint flags, CoreEventSink sink, gpointer sink_data,
          gpointer *ret_conn, GError **error)
{
    *ret_conn = g_str_has_prefix(uri, "slow:")     ? SLOW_CONN
                : g_str_has_prefix(uri, "nested:") ? NESTED_CONN
                                                   : FAST_CONN;
    return TRUE;
}

static void
fake_close(gpointer conn)
{
}

/* Runs the calling thread's context (the server's) until the test sets
 * nested_release, as a callback waiting on something would. */
static void
nested_wait(void)
{
    GMainContext *ctx = g_main_context_get_thread_default();
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    g_mutex_lock(&calls_lock);
    nested_depth++;
    nested_max_depth = MAX(nested_max_depth, nested_depth);
    nested_entered = TRUE;
    g_cond_broadcast(&calls_cond);
    while (!nested_release && g_get_monotonic_time() < deadline) {
        g_mutex_unlock(&calls_lock);
        g_main_context_iteration(ctx, FALSE);
        g_usleep(1000);
        g_mutex_lock(&calls_lock);
    }
    nested_depth--;
    g_mutex_unlock(&calls_lock);
}

static gboolean
fake_undefine(gpointer conn, const CoreDomainRef *dom, guint flags, GError **error)
{
    if (conn == NESTED_CONN)
        nested_wait();
    g_mutex_lock(&calls_lock);
    g_ptr_array_add(calls_threads, g_thread_self());
    if (conn == SLOW_CONN) {
        waiting++;
        g_cond_broadcast(&calls_cond);
        while (gate_closed)
            g_cond_wait(&calls_cond, &calls_lock);
        waiting--;
    }
    g_mutex_unlock(&calls_lock);
    return TRUE;
}

static const CoreHostOps fake_host_ops = {
    .open = fake_open,
    .close = fake_close,
};

static const CoreDomainOps fake_domain_ops = {
    .undefine = fake_undefine,
};

static const char *const fake_schemes[] = { "fake", NULL };

static const CoreDriver fast_driver = {
    .name = "fast",
    .schemes = fake_schemes,
    .host = &fake_host_ops,
    .domain = &fake_domain_ops,
    .flags = CORE_DRIVER_NONBLOCKING,
};

static const CoreDriver slow_driver = {
    .name = "slow",
    .schemes = fake_schemes,
    .host = &fake_host_ops,
    .domain = &fake_domain_ops,
};

static const CoreDriver *
select_driver(const char *uri, gpointer data, GError **error)
{
    if (g_str_has_prefix(uri, "fast:") || g_str_has_prefix(uri, "nested:"))
        return &fast_driver;
    if (g_str_has_prefix(uri, "slow:"))
        return &slow_driver;
    return rpc_test_select_driver(uri, data, error);
}

static void
calls_reset(void)
{
    g_mutex_lock(&calls_lock);
    g_clear_pointer(&calls_threads, g_ptr_array_unref);
    calls_threads = g_ptr_array_new();
    gate_closed = FALSE;
    nested_depth = nested_max_depth = 0;
    nested_entered = nested_release = FALSE;
    g_mutex_unlock(&calls_lock);
}

/* How many recorded calls ran on @thread; *ret_total gets all of them. */
static guint
calls_on(GThread *thread, guint *ret_total)
{
    guint n = 0;

    g_mutex_lock(&calls_lock);
    for (guint i = 0; i < calls_threads->len; i++)
        n += calls_threads->pdata[i] == thread;
    *ret_total = calls_threads->len;
    g_mutex_unlock(&calls_lock);
    return n;
}

/* ---- server ------------------------------------------------------------------------ */

typedef struct {
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread; /* the server's main loop */
    CoreRpcServer *server;
    char *dir;
    char *path;
} Fixture;

static void
fixture_start(Fixture *fx)
{
    memset(fx, 0, sizeof(*fx));
    calls_reset();
    fx->dir = g_dir_make_tmp("rpc-inline-XXXXXX", NULL);
    fx->path = g_build_filename(fx->dir, "sock", NULL);
    fx->ctx = g_main_context_new();
    fx->loop = g_main_loop_new(fx->ctx, FALSE);
    fx->server = core_rpc_server_new(fx->ctx, NULL, select_driver, NULL);
    g_assert_true(core_rpc_server_add_listener(fx->server, rpc_test_listen_unix(fx->path), FALSE,
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
    rmdir(fx->dir);
    g_free(fx->dir);
    g_free(fx->path);
}

static CoreDomainRef *
some_domain(void)
{
    static const guint8 uuid[CORE_UUID_LEN] = { 1, 2, 3, 4 };

    return core_domain_ref_new("dom", uuid, -1);
}

/* Sends @n DOMAIN_UNDEFINE calls (serials @first..) without reading. */
static void
send_undefines(int fd, guint32 first, guint n)
{
    g_autoptr(CoreDomainRef) dom = some_domain();
    CoreRpcDomainUndefineArgs args = { .dom = dom };

    for (guint i = 0; i < n; i++)
        g_assert_true(rpc_test_call(fd, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, first + i, &args));
}

/* The next frame is the OK reply to @proc with @serial. */
static void
expect_reply(int fd, int proc, guint32 serial)
{
    g_autoptr(RpcTestFrame) f = rpc_test_read(fd);

    g_assert_nonnull(f);
    g_assert_cmpint(f->header.type, ==, CORE_RPC_REPLY);
    g_assert_cmpint(f->header.proc, ==, proc);
    g_assert_cmpuint(f->header.serial, ==, serial);
    g_assert_cmpint(f->header.status, ==, CORE_RPC_STATUS_OK);
}

/* A nonblocking driver's calls run on the server's own thread, in the
 * order they came, also beyond the per-client window of requests (5) a
 * client may have on the workers; CONNECT_CLOSE behind them closes the
 * socket after their replies. */
static void
test_nonblocking_on_server_thread(void)
{
    Fixture fx;
    int fd;
    guint total = 0;

    fixture_start(&fx);
    fd = rpc_test_connect(fx.path);
    rpc_test_open(fd, "fast:///", 0);
    send_undefines(fd, 10, 40);
    g_assert_true(rpc_test_call(fd, CORE_RPC_REMOTE_PROC_CONNECT_CLOSE, 50, NULL));
    for (guint i = 0; i < 40; i++)
        expect_reply(fd, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, 10 + i);
    expect_reply(fd, CORE_RPC_REMOTE_PROC_CONNECT_CLOSE, 50);
    g_assert_true(rpc_test_wait_eof(fd));
    close(fd);
    g_assert_cmpuint(calls_on(fx.thread, &total), ==, 40);
    g_assert_cmpuint(total, ==, 40);
    fixture_stop(&fx);
}

/* A driver without the flag runs on the workers: never on the server's
 * thread, and one of its calls blocking does not stall another client. */
static void
test_blocking_on_worker(void)
{
    Fixture fx;
    int slow_fd, fast_fd;
    guint total = 0;

    fixture_start(&fx);
    slow_fd = rpc_test_connect(fx.path);
    fast_fd = rpc_test_connect(fx.path);
    rpc_test_open(slow_fd, "slow:///", 0);
    rpc_test_open(fast_fd, "fast:///", 0);
    for (guint i = 0; i < 5; i++) {
        send_undefines(slow_fd, 10 + i, 1);
        expect_reply(slow_fd, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, 10 + i);
    }
    g_assert_cmpuint(calls_on(fx.thread, &total), ==, 0);
    g_assert_cmpuint(total, ==, 5);

    /* the slow call now waits at the gate on a worker ... */
    g_mutex_lock(&calls_lock);
    gate_closed = TRUE;
    g_mutex_unlock(&calls_lock);
    send_undefines(slow_fd, 20, 1);
    g_mutex_lock(&calls_lock);
    while (waiting == 0)
        g_cond_wait(&calls_cond, &calls_lock);
    g_ptr_array_set_size(calls_threads, 0);
    g_mutex_unlock(&calls_lock);
    /* ... while the server's thread answers another client's
     * nonblocking call */
    send_undefines(fast_fd, 30, 1);
    expect_reply(fast_fd, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, 30);
    g_assert_cmpuint(calls_on(fx.thread, &total), ==, 1);
    g_assert_cmpuint(total, ==, 1);
    g_mutex_lock(&calls_lock);
    gate_closed = FALSE;
    g_cond_broadcast(&calls_cond);
    g_mutex_unlock(&calls_lock);
    expect_reply(slow_fd, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, 20);
    close(slow_fd);
    close(fast_fd);
    fixture_stop(&fx);
}

/* A call that runs the server's context again (a nested main loop) while
 * its client sends the next request: that request waits until the first
 * call is done, is not handled inside it, and the replies keep their order.
 * GLib would block the client's source itself; the server's client sources
 * may recurse (one main-loop iteration per request less) and guard
 * themselves instead. */
static void
test_nested_loop(void)
{
    Fixture fx;
    int fd;

    fixture_start(&fx);
    fd = rpc_test_connect(fx.path);
    rpc_test_open(fd, "nested:///", 0);
    send_undefines(fd, 10, 1);
    g_mutex_lock(&calls_lock);
    while (!nested_entered)
        g_cond_wait(&calls_cond, &calls_lock);
    g_mutex_unlock(&calls_lock);
    send_undefines(fd, 11, 1);
    g_usleep(100 * 1000);       /* the nested loop polls meanwhile */
    g_mutex_lock(&calls_lock);
    nested_release = TRUE;
    g_mutex_unlock(&calls_lock);
    expect_reply(fd, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, 10);
    expect_reply(fd, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, 11);
    g_mutex_lock(&calls_lock);
    g_assert_cmpuint(nested_max_depth, ==, 1);
    g_assert_cmpuint(calls_threads->len, ==, 2);
    g_mutex_unlock(&calls_lock);
    close(fd);
    fixture_stop(&fx);
}

/* The real drivers: the in-memory test driver declares the flag, the
 * remote driver (which waits on its daemon's socket) does not. */
static void
test_driver_flags(void)
{
    g_assert_true(core_test_driver.flags & CORE_DRIVER_NONBLOCKING);
    g_assert_false(core_remote_driver.flags & CORE_DRIVER_NONBLOCKING);
}

/* ---- the decision, on a session without a server ------------------------------ */

static void
drop_event(GBytes *packet, gpointer data)
{
    g_bytes_unref(packet);
}

static CoreRpcSession *
session_new(void)
{
    CoreRpcSessionHooks hooks = { .select = select_driver, .queue_event = drop_event };

    return core_rpc_session_new(FALSE, &hooks);
}

/* The job for a CALL of @proc with @args (asserts the call was accepted). */
static CoreRpcJob *
make_job(CoreRpcSession *s, int proc, gconstpointer args)
{
    const CoreRpcProcInfo *info = core_rpc_program_lookup(&core_rpc_remote_program, proc);
    CoreRpcHeader h = { CORE_RPC_REMOTE_PROGRAM, 1, proc, CORE_RPC_CALL, 7, 0 };
    g_autoptr(GBytes) packet = NULL;
    GBytes *reply = NULL;
    CoreRpcJob *job = NULL;
    CoreRpcMessage msg;
    CoreXdrWriter w;

    core_xdr_writer_init(&w);
    if (info->args_encode)
        g_assert_true(info->args_encode(&w, args, NULL));
    packet = core_rpc_message_build(&h, w.buf->data, w.buf->len, NULL);
    core_xdr_writer_clear(&w);
    g_assert_true(core_rpc_message_decode(g_bytes_get_data(packet, NULL),
                                          g_bytes_get_size(packet), &msg, NULL));
    g_assert_cmpint(core_rpc_session_handle(s, &msg, NULL, 0, &reply, &job), ==,
                    CORE_RPC_ACTION_JOB);
    g_assert_null(reply);
    return job;
}

static void
run_and_free(CoreRpcJob *job)
{
    gboolean close_after = FALSE;
    GBytes *reply = core_rpc_job_run(job, &close_after);

    g_assert_nonnull(reply);
    g_bytes_unref(reply);
    core_rpc_job_free(job);
}

static void
session_open(CoreRpcSession *s, const char *uri)
{
    CoreRpcConnectOpenArgs args = { .name = (char *)uri };
    CoreRpcJob *job = make_job(s, CORE_RPC_REMOTE_PROC_CONNECT_OPEN, &args);

    /* before CONNECT_OPEN there is no driver: the annotation decides */
    g_assert_true(core_rpc_job_is_inline(job));
    run_and_free(job);
    g_assert_true(core_rpc_session_is_open(s));
}

/* TRUE when a call of @proc with @args on @s would run inline. */
static gboolean
is_inline(CoreRpcSession *s, int proc, gconstpointer args)
{
    CoreRpcJob *job = make_job(s, proc, args);
    gboolean res = core_rpc_job_is_inline(job);

    core_rpc_job_free(job);
    return res;
}

static void
test_decision(void)
{
    g_autoptr(CoreDomainRef) dom = some_domain();
    CoreRpcDomainUndefineArgs undefine = { .dom = dom };
    CoreRpcDomainSaveArgs save = { .dom = dom, .to = (char *)"/tmp/x" };
    CoreRpcDomainRestoreArgs restore = { .from = (char *)"/tmp/x" };
    CoreRpcDomainOpenChannelArgs channel = { .dom = dom };
    CoreRpcDomainCreateWithFilesArgs files = { .dom = dom };
    CoreRpcDomainGetXmlDescArgs xml = { .dom = dom };
    g_autoptr(CoreRpcSession) fast = session_new();
    g_autoptr(CoreRpcSession) slow = session_new();
    CoreRpcJob *first;
    CoreRpcJob *second;

    session_open(fast, "fast:///");
    session_open(slow, "slow:///");

    g_assert_true(is_inline(fast, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, &undefine));
    g_assert_true(is_inline(fast, CORE_RPC_REMOTE_PROC_DOMAIN_GET_XML_DESC, &xml));
    /* calls that wait whatever the driver, and stream openers */
    g_assert_false(is_inline(fast, CORE_RPC_REMOTE_PROC_DOMAIN_SAVE, &save));
    g_assert_false(is_inline(fast, CORE_RPC_REMOTE_PROC_DOMAIN_RESTORE, &restore));
    g_assert_false(is_inline(fast, CORE_RPC_REMOTE_PROC_DOMAIN_OPEN_CHANNEL, &channel));
    g_assert_false(is_inline(fast, CORE_RPC_REMOTE_PROC_DOMAIN_CREATE_WITH_FILES, &files));

    /* an earlier call still on a worker is not overtaken */
    first = make_job(fast, CORE_RPC_REMOTE_PROC_DOMAIN_SAVE, &save);
    g_assert_false(core_rpc_job_is_inline(first));
    second = make_job(fast, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, &undefine);
    g_assert_false(core_rpc_job_is_inline(second));
    run_and_free(first);
    run_and_free(second);
    g_assert_true(is_inline(fast, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, &undefine));

    /* without the flag only the annotation counts */
    g_assert_false(is_inline(slow, CORE_RPC_REMOTE_PROC_DOMAIN_UNDEFINE, &undefine));
    g_assert_true(is_inline(slow, CORE_RPC_REMOTE_PROC_DOMAIN_GET_XML_DESC, &xml));
}

int
main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/inline/nonblocking-on-server-thread",
                    test_nonblocking_on_server_thread);
    g_test_add_func("/rpc/inline/blocking-on-worker", test_blocking_on_worker);
    g_test_add_func("/rpc/inline/nested-loop", test_nested_loop);
    g_test_add_func("/rpc/inline/driver-flags", test_driver_flags);
    g_test_add_func("/rpc/inline/decision", test_decision);
    ret = g_test_run();
    g_clear_pointer(&calls_threads, g_ptr_array_unref);
    return ret;
}
