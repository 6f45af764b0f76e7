/* Unit tests for core-remote-conn, the client end of a connection: one end
 * of a socketpair is the connection, the test plays a scripted server on
 * the other end with hand-built frames. */
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "core-error.h"
#include "core-remote-conn.h"
#include "core-rpc-error.h"
#include "core-rpc-message.h"

typedef struct {
    CoreRemoteConn *conn;
    int peer;
    GAsyncQueue *events; /* "prog/proc/len" strings */
} Fixture;

static void
event_func(guint32 prog, gint32 proc, const guint8 *payload, gsize len, gpointer data)
{
    g_async_queue_push(data, g_strdup_printf("%x/%d/%zu", prog, proc, len));
}

static void
fixture_start(Fixture *fx)
{
    int sv[2];
    struct timeval tv = { .tv_sec = 5 };

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    /* a peer read never blocks the test forever */
    g_assert_cmpint(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), ==, 0);
    fx->peer = sv[1];
    fx->events = g_async_queue_new_full(g_free);
    fx->conn = core_remote_conn_new_from_fd(sv[0]);
    core_remote_conn_set_event_func(fx->conn, event_func, fx->events);
}

static void
fixture_stop(Fixture *fx)
{
    core_remote_conn_free(fx->conn);
    if (fx->peer >= 0)
        close(fx->peer);
    g_async_queue_unref(fx->events);
}

static gboolean
read_all(int fd, guint8 *buf, gsize len)
{
    gsize got = 0;

    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);

        if (n <= 0)
            return FALSE;
        got += (gsize)n;
    }
    return TRUE;
}

/* Reads one frame from the peer end: header into *h, payload returned. */
static GBytes *
peer_read(Fixture *fx, CoreRpcHeader *h)
{
    guint8 lenbuf[4];
    guint32 len;
    g_autofree guint8 *frame = NULL;
    CoreRpcMessage msg;

    g_assert_true(read_all(fx->peer, lenbuf, 4));
    len = ((guint32)lenbuf[0] << 24) | ((guint32)lenbuf[1] << 16) | ((guint32)lenbuf[2] << 8) |
          lenbuf[3];
    g_assert_true(core_rpc_length_valid(len));
    frame = g_malloc(len);
    memcpy(frame, lenbuf, 4);
    g_assert_true(read_all(fx->peer, frame + 4, len - 4));
    g_assert_true(core_rpc_message_decode(frame, len, &msg, NULL));
    *h = msg.header;
    return g_bytes_new(msg.payload, msg.payload_len);
}

static void
peer_send(Fixture *fx, guint32 prog, gint32 proc, gint32 type, guint32 serial, gint32 status,
          const void *payload, gsize len)
{
    CoreRpcHeader h = { prog, CORE_RPC_PROTOCOL_VERSION, proc, type, serial, status };
    g_autoptr(GBytes) frame = core_rpc_message_build(&h, payload, len, NULL);
    gsize size;
    const guint8 *data = g_bytes_get_data(frame, &size);

    g_assert_cmpint(write(fx->peer, data, size), ==, (gssize)size);
}

/* ---- keepalive ------------------------------------------------------------ */

static void
test_ping_answered(void)
{
    Fixture fx;
    CoreRpcHeader h;
    g_autoptr(GBytes) payload = NULL;

    fixture_start(&fx);
    peer_send(&fx, CORE_RPC_KEEPALIVE_PROGRAM, CORE_RPC_KEEPALIVE_PING, CORE_RPC_MESSAGE, 0,
              CORE_RPC_STATUS_OK, NULL, 0);
    payload = peer_read(&fx, &h);
    g_assert_cmphex(h.prog, ==, CORE_RPC_KEEPALIVE_PROGRAM);
    g_assert_cmpint(h.proc, ==, CORE_RPC_KEEPALIVE_PONG);
    g_assert_cmpint(h.type, ==, CORE_RPC_MESSAGE);
    g_assert_cmpuint(g_bytes_get_size(payload), ==, 0);
    /* keepalive packets never reach the event function */
    g_assert_null(g_async_queue_timeout_pop(fx.events, 100000));
    g_assert_true(core_remote_conn_is_alive(fx.conn));
    fixture_stop(&fx);
}

static void
test_client_keepalive(void)
{
    Fixture fx;
    CoreRpcHeader h;
    g_autoptr(GBytes) p1 = NULL;
    g_autoptr(GBytes) p2 = NULL;
    gint64 deadline;

    fixture_start(&fx);
    core_remote_conn_start_keepalive(fx.conn, 1, 1);
    /* silence: a PING after about a second; answering it keeps the line up */
    p1 = peer_read(&fx, &h);
    g_assert_cmphex(h.prog, ==, CORE_RPC_KEEPALIVE_PROGRAM);
    g_assert_cmpint(h.proc, ==, CORE_RPC_KEEPALIVE_PING);
    peer_send(&fx, CORE_RPC_KEEPALIVE_PROGRAM, CORE_RPC_KEEPALIVE_PONG, CORE_RPC_MESSAGE, 0,
              CORE_RPC_STATUS_OK, NULL, 0);
    p2 = peer_read(&fx, &h);
    g_assert_cmpint(h.proc, ==, CORE_RPC_KEEPALIVE_PING);
    g_assert_true(core_remote_conn_is_alive(fx.conn));
    /* no answer: the client gives up */
    deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    while (core_remote_conn_is_alive(fx.conn) && g_get_monotonic_time() < deadline)
        g_usleep(20000);
    g_assert_false(core_remote_conn_is_alive(fx.conn));
    fixture_stop(&fx);
}

/* ---- calls -------------------------------------------------------------------- */

typedef struct {
    Fixture *fx;
    gint32 proc;
    guint32 word;
    gboolean ok;
    guint32 reply_word;
} Caller;

static gpointer
caller_main(gpointer data)
{
    Caller *c = data;
    guint32 be = GUINT32_TO_BE(c->word);
    g_autoptr(GBytes) args = g_bytes_new(&be, 4);
    g_autoptr(GBytes) reply = NULL;
    g_autoptr(GError) err = NULL;

    c->ok = core_remote_conn_call(c->fx->conn, CORE_RPC_REMOTE_PROGRAM, c->proc, args, &reply,
                                  &err);
    if (c->ok && g_bytes_get_size(reply) == 4)
        c->reply_word = GUINT32_FROM_BE(*(const guint32 *)g_bytes_get_data(reply, NULL));
    return NULL;
}

static void
test_overlapping_calls(void)
{
    Fixture fx;
    Caller a = { &fx, 3, 0xaaaa, FALSE, 0 }, b = { &fx, 4, 0xbbbb, FALSE, 0 };
    GThread *ta, *tb;
    CoreRpcHeader h1, h2;
    g_autoptr(GBytes) p1 = NULL;
    g_autoptr(GBytes) p2 = NULL;
    guint32 w1, w2, ev = GUINT32_TO_BE(7);
    g_autofree char *evs = NULL;

    fixture_start(&fx);
    ta = g_thread_new("caller-a", caller_main, &a);
    tb = g_thread_new("caller-b", caller_main, &b);
    p1 = peer_read(&fx, &h1);
    p2 = peer_read(&fx, &h2);
    g_assert_cmpint(h1.type, ==, CORE_RPC_CALL);
    g_assert_cmpint(h2.type, ==, CORE_RPC_CALL);
    g_assert_cmpuint(h1.serial, !=, h2.serial);
    w1 = GUINT32_FROM_BE(*(const guint32 *)g_bytes_get_data(p1, NULL));
    w2 = GUINT32_FROM_BE(*(const guint32 *)g_bytes_get_data(p2, NULL));
    /* each call carried its own proc and args */
    g_assert_cmpint(h1.proc, ==, w1 == 0xaaaa ? 3 : 4);
    g_assert_cmpint(h2.proc, ==, w2 == 0xaaaa ? 3 : 4);
    /* an event and a PING in between, then the replies in reverse order,
     * each answering with its call's word + 1 */
    peer_send(&fx, CORE_RPC_REMOTE_PROGRAM, 318, CORE_RPC_MESSAGE, 1, CORE_RPC_STATUS_OK, &ev,
              4);
    peer_send(&fx, CORE_RPC_KEEPALIVE_PROGRAM, CORE_RPC_KEEPALIVE_PING, CORE_RPC_MESSAGE, 0,
              CORE_RPC_STATUS_OK, NULL, 0);
    w2 = GUINT32_TO_BE(w2 + 1);
    peer_send(&fx, CORE_RPC_REMOTE_PROGRAM, h2.proc, CORE_RPC_REPLY, h2.serial,
              CORE_RPC_STATUS_OK, &w2, 4);
    w1 = GUINT32_TO_BE(w1 + 1);
    peer_send(&fx, CORE_RPC_REMOTE_PROGRAM, h1.proc, CORE_RPC_REPLY, h1.serial,
              CORE_RPC_STATUS_OK, &w1, 4);
    g_thread_join(ta);
    g_thread_join(tb);
    g_assert_true(a.ok);
    g_assert_true(b.ok);
    g_assert_cmphex(a.reply_word, ==, 0xaaab);
    g_assert_cmphex(b.reply_word, ==, 0xbbbc);
    evs = g_async_queue_timeout_pop(fx.events, G_USEC_PER_SEC);
    g_assert_cmpstr(evs, ==, "20008086/318/4");
    {
        CoreRpcHeader h;
        g_autoptr(GBytes) pong = peer_read(&fx, &h);

        g_assert_nonnull(pong);
        g_assert_cmpint(h.proc, ==, CORE_RPC_KEEPALIVE_PONG);
    }
    fixture_stop(&fx);
}

static gpointer
call_expect_error(gpointer data)
{
    Fixture *fx = data;
    GError *err = NULL;

    g_assert_false(core_remote_conn_call(fx->conn, CORE_RPC_REMOTE_PROGRAM, 23, NULL, NULL,
                                         &err));
    return err;
}

static void
test_error_reply(void)
{
    Fixture fx;
    GThread *t;
    CoreRpcHeader h;
    g_autoptr(GBytes) p = NULL;
    g_autoptr(GError) sent = core_error_new_wire(42, 12, 2, "Domain not found", "Domain not found",
                                                 NULL, "s3", -1, 7);
    g_autoptr(GError) got = NULL;
    g_autoptr(GBytes) payload = NULL;
    const CoreErrorExtra *extra;
    CoreXdrWriter w;

    fixture_start(&fx);
    t = g_thread_new("caller", call_expect_error, &fx);
    p = peer_read(&fx, &h);
    g_assert_cmpint(h.proc, ==, 23);
    g_assert_cmpuint(g_bytes_get_size(p), ==, 0);
    core_xdr_writer_init(&w);
    g_assert_true(core_rpc_error_to_wire(sent, &w, NULL));
    payload = core_xdr_writer_steal(&w);
    core_xdr_writer_clear(&w);
    peer_send(&fx, h.prog, h.proc, CORE_RPC_REPLY, h.serial, CORE_RPC_STATUS_ERROR,
              g_bytes_get_data(payload, NULL), g_bytes_get_size(payload));
    got = g_thread_join(t);
    g_assert_error(got, CORE_ERROR, 42);
    g_assert_cmpstr(got->message, ==, "Domain not found");
    extra = core_error_get_extra(got);
    g_assert_cmpint(extra->from, ==, 12);
    g_assert_cmpint(extra->level, ==, 2);
    g_assert_cmpstr(extra->str1, ==, "Domain not found");
    g_assert_null(extra->str2);
    g_assert_cmpstr(extra->str3, ==, "s3");
    g_assert_cmpint(extra->int1, ==, -1);
    g_assert_cmpint(extra->int2, ==, 7);
    /* a reply for a serial nobody waits for is ignored */
    peer_send(&fx, h.prog, h.proc, CORE_RPC_REPLY, 999, CORE_RPC_STATUS_OK, NULL, 0);
    g_assert_true(core_remote_conn_is_alive(fx.conn));
    fixture_stop(&fx);
}

static void
test_peer_closes(void)
{
    Fixture fx;
    GThread *t;
    CoreRpcHeader h;
    g_autoptr(GBytes) p = NULL;
    g_autoptr(GError) got = NULL;
    g_autoptr(GError) again = NULL;

    fixture_start(&fx);
    t = g_thread_new("caller", call_expect_error, &fx);
    p = peer_read(&fx, &h);
    close(fx.peer);
    fx.peer = -1;
    /* the pending call fails, later calls fail at once */
    got = g_thread_join(t);
    g_assert_error(got, CORE_ERROR, CORE_ERR_RPC);
    g_assert_cmpint(core_error_get_from(got), ==, CORE_FROM_RPC);
    g_assert_false(core_remote_conn_is_alive(fx.conn));
    g_assert_false(core_remote_conn_call(fx.conn, CORE_RPC_REMOTE_PROGRAM, 3, NULL, NULL,
                                         &again));
    g_assert_error(again, CORE_ERROR, CORE_ERR_RPC);
    fixture_stop(&fx);
}

static void
test_connect_fails(void)
{
    g_autoptr(GError) err = NULL;

    g_assert_null(core_remote_conn_connect("/nonexistent/dir/sock", &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_NO_CONNECT);
    g_assert_nonnull(strstr(err->message, "/nonexistent/dir/sock"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/remote-conn/ping-answered", test_ping_answered);
    g_test_add_func("/remote-conn/client-keepalive", test_client_keepalive);
    g_test_add_func("/remote-conn/overlapping-calls", test_overlapping_calls);
    g_test_add_func("/remote-conn/error-reply", test_error_reply);
    g_test_add_func("/remote-conn/peer-closes", test_peer_closes);
    g_test_add_func("/remote-conn/connect-fails", test_connect_fails);
    return g_test_run();
}
