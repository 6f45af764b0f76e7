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

/* ---- streams --------------------------------------------------------------- */

#define PROC_CONSOLE 201

static gpointer
open_stream_main(gpointer data)
{
    Fixture *fx = data;
    g_autoptr(GError) err = NULL;
    CoreRemoteStream *st = core_remote_conn_call_stream(fx->conn, CORE_RPC_REMOTE_PROGRAM,
                                                        PROC_CONSOLE, NULL, NULL, &err);

    g_assert_no_error(err);
    return st;
}

/* Opens a stream: the peer answers the CALL with @after sent right behind
 * the reply (before the caller can have returned). */
static CoreRemoteStream *
open_stream(Fixture *fx, CoreRpcHeader *call, const char *after)
{
    GThread *t = g_thread_new("opener", open_stream_main, fx);

    g_bytes_unref(peer_read(fx, call));     /* the CALL's arguments */
    g_assert_cmpint(call->type, ==, CORE_RPC_CALL);
    g_assert_cmpint(call->proc, ==, PROC_CONSOLE);
    peer_send(fx, call->prog, call->proc, CORE_RPC_REPLY, call->serial, CORE_RPC_STATUS_OK, NULL,
              0);
    if (after)
        peer_send(fx, call->prog, call->proc, CORE_RPC_STREAM, call->serial,
                  CORE_RPC_STATUS_CONTINUE, after, strlen(after));
    return g_thread_join(t);
}

/* Reads from @st until @len bytes came or the stream ended. */
static char *
stream_read_n(CoreRemoteStream *st, gsize len)
{
    g_autofree char *buf = g_malloc0(len + 1);
    gsize got = 0;

    while (got < len) {
        gssize n = core_remote_stream_recv_timeout(st, (guint8 *)buf + got, len - got,
                                                   5000, NULL);

        g_assert_cmpint(n, >, 0);
        got += (gsize)n;
    }
    return g_steal_pointer(&buf);
}

static gpointer
finish_main(gpointer data)
{
    GError *err = NULL;

    if (!core_remote_stream_finish(data, 5000, &err))
        return err;
    return NULL;
}

static void
test_stream_data(void)
{
    Fixture fx;
    CoreRpcHeader call, h;
    g_autoptr(CoreRemoteStream) st = NULL;
    g_autofree char *got = NULL;
    g_autoptr(GBytes) p = NULL;
    g_autoptr(GBytes) fin = NULL;
    g_autoptr(GError) err = NULL;
    GThread *t;
    guint8 byte;

    fixture_start(&fx);
    st = open_stream(&fx, &call, "hello ");
    g_assert_nonnull(st);
    /* data of another serial or another proc is not this stream's */
    peer_send(&fx, call.prog, call.proc, CORE_RPC_STREAM, call.serial + 50,
              CORE_RPC_STATUS_CONTINUE, "xx", 2);
    peer_send(&fx, call.prog, 209, CORE_RPC_STREAM, call.serial, CORE_RPC_STATUS_CONTINUE, "yy",
              2);
    peer_send(&fx, call.prog, call.proc, CORE_RPC_STREAM, call.serial, CORE_RPC_STATUS_CONTINUE,
              "world", 5);
    got = stream_read_n(st, 11);
    g_assert_cmpstr(got, ==, "hello world");
    g_assert_false(core_remote_stream_is_ended(st));

    /* C->S data: a STREAM CONTINUE of the opening call's prog/proc/serial */
    g_assert_true(core_remote_stream_send(st, (const guint8 *)"abc", 3, NULL));
    p = peer_read(&fx, &h);
    g_assert_cmpint(h.type, ==, CORE_RPC_STREAM);
    g_assert_cmpint(h.status, ==, CORE_RPC_STATUS_CONTINUE);
    g_assert_cmpuint(h.serial, ==, call.serial);
    g_assert_cmpint(h.proc, ==, PROC_CONSOLE);
    g_assert_cmpmem(g_bytes_get_data(p, NULL), g_bytes_get_size(p), "abc", 3);

    /* the server's end of data: an empty CONTINUE */
    peer_send(&fx, call.prog, call.proc, CORE_RPC_STREAM, call.serial, CORE_RPC_STATUS_CONTINUE,
              NULL, 0);
    g_assert_cmpint(core_remote_stream_recv_timeout(st, &byte, 1, 5000, NULL), ==, 0);
    g_assert_true(core_remote_stream_is_ended(st));

    /* finish: an empty STREAM OK, then the server's confirmation */
    t = g_thread_new("finisher", finish_main, st);
    fin = peer_read(&fx, &h);
    g_assert_cmpint(h.type, ==, CORE_RPC_STREAM);
    g_assert_cmpint(h.status, ==, CORE_RPC_STATUS_OK);
    g_assert_cmpuint(h.serial, ==, call.serial);
    g_assert_cmpuint(g_bytes_get_size(fin), ==, 0);
    peer_send(&fx, call.prog, call.proc, CORE_RPC_STREAM, call.serial, CORE_RPC_STATUS_OK, NULL,
              0);
    g_assert_null(g_thread_join(t));
    g_assert_false(core_remote_stream_send(st, (const guint8 *)"x", 1, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_OPERATION_INVALID);
    g_assert_true(core_remote_conn_is_alive(fx.conn));
    g_clear_pointer(&st, core_remote_stream_free);
    fixture_stop(&fx);
}

static void
test_stream_server_error(void)
{
    Fixture fx;
    CoreRpcHeader call;
    g_autoptr(CoreRemoteStream) st = NULL;
    g_autoptr(GError) sent = core_error_new_wire(1, 38, 2, "stream broke", NULL, NULL, NULL, 0,
                                                 0);
    g_autoptr(GBytes) payload = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    g_autofree char *got = NULL;
    CoreXdrWriter w;
    guint8 buf[8];

    fixture_start(&fx);
    st = open_stream(&fx, &call, "abc");
    core_xdr_writer_init(&w);
    g_assert_true(core_rpc_error_to_wire(sent, &w, NULL));
    payload = core_xdr_writer_steal(&w);
    core_xdr_writer_clear(&w);
    peer_send(&fx, call.prog, call.proc, CORE_RPC_STREAM, call.serial, CORE_RPC_STATUS_ERROR,
              g_bytes_get_data(payload, NULL), g_bytes_get_size(payload));
    /* data queued before the error is still read, then the error */
    got = stream_read_n(st, 3);
    g_assert_cmpstr(got, ==, "abc");
    g_assert_cmpint(core_remote_stream_recv_timeout(st, buf, sizeof(buf), 5000, &err), ==, -1);
    g_assert_error(err, CORE_ERROR, 1);
    g_assert_cmpstr(err->message, ==, "stream broke");
    g_assert_false(core_remote_stream_send(st, buf, 1, &err2));
    g_assert_error(err2, CORE_ERROR, 1);
    g_clear_pointer(&st, core_remote_stream_free);
    fixture_stop(&fx);
}

static void
test_stream_abort_and_close(void)
{
    Fixture fx;
    CoreRpcHeader call1, call2, h;
    g_autoptr(CoreRemoteStream) st1 = NULL;
    g_autoptr(CoreRemoteStream) st2 = NULL;
    g_autoptr(GBytes) p = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    guint8 buf[8];

    fixture_start(&fx);
    st1 = open_stream(&fx, &call1, NULL);
    st2 = open_stream(&fx, &call2, NULL);
    g_assert_cmpuint(call1.serial, !=, call2.serial);

    /* abort: an empty STREAM ERROR; the stream then reads as ended */
    g_assert_true(core_remote_stream_abort(st1, NULL));
    p = peer_read(&fx, &h);
    g_assert_cmpint(h.type, ==, CORE_RPC_STREAM);
    g_assert_cmpint(h.status, ==, CORE_RPC_STATUS_ERROR);
    g_assert_cmpuint(h.serial, ==, call1.serial);
    g_assert_cmpuint(g_bytes_get_size(p), ==, 0);
    g_assert_cmpint(core_remote_stream_recv_timeout(st1, buf, sizeof(buf), 5000, NULL), ==, 0);

    /* no confirmation of a finish: it gives up after its timeout */
    g_assert_false(core_remote_stream_finish(st2, 100, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_RPC);
    g_clear_pointer(&p, g_bytes_unref);
    p = peer_read(&fx, &h);
    g_assert_cmpint(h.status, ==, CORE_RPC_STATUS_OK);
    g_clear_pointer(&st2, core_remote_stream_free);

    /* a new stream on a connection that dies: recv fails with CORE_ERR_RPC */
    st2 = open_stream(&fx, &call2, NULL);
    g_assert_cmpint(core_remote_stream_recv_timeout(st2, buf, sizeof(buf), 50, NULL), ==, -2);
    close(fx.peer);
    fx.peer = -1;
    g_assert_cmpint(core_remote_stream_recv_timeout(st2, buf, sizeof(buf), 5000, &err2), ==, -1);
    g_assert_error(err2, CORE_ERROR, CORE_ERR_RPC);
    g_clear_pointer(&st1, core_remote_stream_free);
    g_clear_pointer(&st2, core_remote_stream_free);
    fixture_stop(&fx);
}

static gpointer
open_stream_fails_main(gpointer data)
{
    Fixture *fx = data;
    GError *err = NULL;

    g_assert_null(core_remote_conn_call_stream(fx->conn, CORE_RPC_REMOTE_PROGRAM, PROC_CONSOLE,
                                               NULL, NULL, &err));
    return err;
}

static void
test_stream_open_fails(void)
{
    Fixture fx;
    CoreRpcHeader call;
    GThread *t;
    g_autoptr(GBytes) p = NULL;
    g_autoptr(GError) sent = core_error_new_wire(3, 10, 2, "no console", NULL, NULL, NULL, 0, 0);
    g_autoptr(GBytes) payload = NULL;
    g_autoptr(GError) got = NULL;
    CoreXdrWriter w;

    fixture_start(&fx);
    t = g_thread_new("opener", open_stream_fails_main, &fx);
    p = peer_read(&fx, &call);
    core_xdr_writer_init(&w);
    g_assert_true(core_rpc_error_to_wire(sent, &w, NULL));
    payload = core_xdr_writer_steal(&w);
    core_xdr_writer_clear(&w);
    peer_send(&fx, call.prog, call.proc, CORE_RPC_REPLY, call.serial, CORE_RPC_STATUS_ERROR,
              g_bytes_get_data(payload, NULL), g_bytes_get_size(payload));
    got = g_thread_join(t);
    g_assert_error(got, CORE_ERROR, 3);
    /* later STREAM packets of that serial are dropped */
    peer_send(&fx, call.prog, call.proc, CORE_RPC_STREAM, call.serial, CORE_RPC_STATUS_CONTINUE,
              "zz", 2);
    g_assert_true(core_remote_conn_is_alive(fx.conn));
    fixture_stop(&fx);
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
    g_test_add_func("/remote-conn/stream-data", test_stream_data);
    g_test_add_func("/remote-conn/stream-server-error", test_stream_server_error);
    g_test_add_func("/remote-conn/stream-abort-and-close", test_stream_abort_and_close);
    g_test_add_func("/remote-conn/stream-open-fails", test_stream_open_fails);
    return g_test_run();
}
