/* core-remote-conn: see core-remote-conn.h. */
#define CORE_FROM_THIS CORE_FROM_REMOTE
#include "core-remote-conn.h"

#include <errno.h>
#include <glib-unix.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-log.h"
#include "core-rpc-error.h"
#include "core-rpc-message.h"

CORE_LOG_INIT("core.rpc.remote");

typedef struct {
    guint32 serial;
    gboolean done;
    GBytes *reply; /* payload of an OK reply */
    GError *error;
} PendingCall;

/* All fields but the constant header ones are guarded by conn->lock. */
struct _CoreRemoteStream {
    CoreRemoteConn *conn;
    guint32 prog;
    gint32 proc;
    guint32 serial;
    GQueue chunks;      /* (element-type GBytes) incoming data */
    gsize head_off;     /* bytes of the first chunk already read */
    gboolean eof;       /* the server sent its end of data (empty CONTINUE) */
    gboolean confirmed; /* the server sent STREAM OK */
    gboolean closed;    /* the client finished or aborted */
    gboolean bound;     /* in conn->streams */
    GError *error;      /* the server's STREAM ERROR, or the connection's end */
};

struct _CoreRemoteConn {
    int fd;
    GThread *reader;
    GMutex write_lock; /* whole frames go out under it */
    GMutex lock;       /* pending calls, state */
    GCond cond;
    GHashTable *pending; /* serial -> PendingCall (not owned) */
    GHashTable *streams; /* serial -> CoreRemoteStream (not owned) */
    guint32 next_serial;
    gboolean dead;
    char *dead_reason;
    CoreRemoteEventFunc event_func;
    gpointer event_data;
    guint ka_interval; /* seconds, 0 = off */
    guint ka_count;
    guint ka_missed;
    int wake[2]; /* pipe waking the reader on close */
};

static gboolean
write_all(int fd, const guint8 *data, gsize len, GError **error)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return core_error_set_errno(error, errno, "cannot send data");
        data += n;
        len -= (gsize)n;
    }
    return TRUE;
}

/* Frames and writes one packet. *ret_broken (nullable) tells a write
 * failure (the connection is unusable) from a packet that cannot be
 * framed (too large: the connection is fine). */
static gboolean
send_packet(CoreRemoteConn *conn, const CoreRpcHeader *h, GBytes *payload, gboolean *ret_broken,
            GError **error)
{
    CoreXdrWriter w;
    g_autoptr(GBytes) frame = NULL;
    gboolean ok;

    core_xdr_writer_init(&w);
    core_rpc_message_begin(&w, h, 0);
    if (payload)
        core_xdr_put_raw(&w, g_bytes_get_data(payload, NULL), g_bytes_get_size(payload));
    if (!core_rpc_message_end(&w, error)) {
        core_xdr_writer_clear(&w);
        return FALSE;
    }
    frame = core_xdr_writer_steal(&w);
    core_xdr_writer_clear(&w);
    g_mutex_lock(&conn->write_lock);
    ok = write_all(conn->fd, g_bytes_get_data(frame, NULL), g_bytes_get_size(frame), error);
    g_mutex_unlock(&conn->write_lock);
    if (ret_broken)
        *ret_broken = !ok;
    return ok;
}

static void
send_keepalive(CoreRemoteConn *conn, gint32 proc)
{
    CoreRpcHeader h = {
        .prog = CORE_RPC_KEEPALIVE_PROGRAM,
        .vers = CORE_RPC_PROTOCOL_VERSION,
        .proc = proc,
        .type = CORE_RPC_MESSAGE,
        .serial = 0,
        .status = CORE_RPC_STATUS_OK,
    };

    (void)send_packet(conn, &h, NULL, NULL, NULL);
}

static void
mark_dead(CoreRemoteConn *conn, const char *reason)
{
    GHashTableIter it;
    gpointer value;

    g_mutex_lock(&conn->lock);
    if (!conn->dead) {
        conn->dead = TRUE;
        conn->dead_reason = g_strdup(reason);
        CORE_DEBUG("connection closed: %s", reason);
    }
    g_hash_table_iter_init(&it, conn->pending);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        PendingCall *call = value;

        if (!call->done) {
            call->done = TRUE;
            core_error_set_literal(&call->error, CORE_FROM_RPC, CORE_ERR_RPC, reason);
        }
    }
    g_hash_table_iter_init(&it, conn->streams);
    while (g_hash_table_iter_next(&it, NULL, &value)) {
        CoreRemoteStream *st = value;

        if (!st->error && !st->confirmed)
            core_error_set_literal(&st->error, CORE_FROM_RPC, CORE_ERR_RPC, reason);
    }
    g_cond_broadcast(&conn->cond);
    g_mutex_unlock(&conn->lock);
}

static void
complete_call(CoreRemoteConn *conn, const CoreRpcMessage *msg)
{
    PendingCall *call;

    g_mutex_lock(&conn->lock);
    call = g_hash_table_lookup(conn->pending, GUINT_TO_POINTER(msg->header.serial));
    if (call && !call->done) {
        if (msg->header.status == CORE_RPC_STATUS_OK) {
            call->reply = g_bytes_new(msg->payload, msg->payload_len);
        } else {
            CoreXdrReader r;
            GError *decode_err = NULL;

            core_xdr_reader_init(&r, msg->payload, msg->payload_len);
            if (!core_rpc_error_from_wire(&r, &call->error, &decode_err)) {
                call->error = decode_err;
            }
        }
        call->done = TRUE;
        g_cond_broadcast(&conn->cond);
    }
    g_mutex_unlock(&conn->lock);
}

/* A STREAM packet: data is queued, an empty CONTINUE is the end of data,
 * OK the server's finish or confirmation, ERROR the server's failure. */
static void
stream_packet(CoreRemoteConn *conn, const CoreRpcMessage *msg)
{
    CoreRemoteStream *st;

    g_mutex_lock(&conn->lock);
    st = g_hash_table_lookup(conn->streams, GUINT_TO_POINTER(msg->header.serial));
    if (!st || st->prog != msg->header.prog || st->proc != msg->header.proc) {
        g_mutex_unlock(&conn->lock);
        CORE_DEBUG("dropping STREAM packet of unknown serial %u", msg->header.serial);
        return;
    }
    switch (msg->header.status) {
    case CORE_RPC_STATUS_CONTINUE:
        if (msg->payload_len == 0)
            st->eof = TRUE;
        else if (!st->closed)
            g_queue_push_tail(&st->chunks, g_bytes_new(msg->payload, msg->payload_len));
        break;
    case CORE_RPC_STATUS_OK:
        st->confirmed = TRUE;
        break;
    default: {
        CoreXdrReader r;
        GError *decode_err = NULL;

        g_clear_error(&st->error);
        core_xdr_reader_init(&r, msg->payload, msg->payload_len);
        if (!core_rpc_error_from_wire(&r, &st->error, &decode_err))
            st->error = decode_err;
        break;
    }
    }
    g_cond_broadcast(&conn->cond);
    g_mutex_unlock(&conn->lock);
}

static void
handle_packet(CoreRemoteConn *conn, const guint8 *data, gsize len)
{
    CoreRpcMessage msg;
    g_autoptr(GError) err = NULL;

    if (!core_rpc_message_decode(data, len, &msg, &err)) {
        CORE_DEBUG("ignoring undecodable packet: %s", err->message);
        return;
    }
    if (msg.header.prog == CORE_RPC_KEEPALIVE_PROGRAM) {
        if (msg.header.proc == CORE_RPC_KEEPALIVE_PING)
            send_keepalive(conn, CORE_RPC_KEEPALIVE_PONG);
        return;
    }
    switch (msg.header.type) {
    case CORE_RPC_REPLY:
    case CORE_RPC_REPLY_WITH_FDS:
        complete_call(conn, &msg);
        break;
    case CORE_RPC_MESSAGE:
        if (conn->event_func)
            conn->event_func(msg.header.prog, msg.header.proc, msg.payload, msg.payload_len,
                             conn->event_data);
        break;
    case CORE_RPC_STREAM:
        stream_packet(conn, &msg);
        break;
    default:
        CORE_DEBUG("ignoring packet of type %d", msg.header.type);
        break;
    }
}

/* Reads one whole frame; FALSE on EOF/error (with @reason set). */
static gboolean
read_exact(CoreRemoteConn *conn, guint8 *buf, gsize len, const char **reason)
{
    gsize got = 0;

    while (got < len) {
        struct pollfd pfd[2] = { { conn->fd, POLLIN, 0 }, { conn->wake[0], POLLIN, 0 } };
        int timeout = conn->ka_interval ? (int)conn->ka_interval * 1000 : -1;
        int rc = poll(pfd, 2, timeout);
        ssize_t n;

        if (rc < 0 && errno == EINTR)
            continue;
        if (pfd[1].revents) {
            char cmd = 'x';

            if (read(conn->wake[0], &cmd, 1) == 1 && cmd == 'k')
                continue; /* keepalive settings changed: recompute the timeout */
            *reason = "connection closed by the client";
            return FALSE;
        }
        if (rc == 0) {
            if (++conn->ka_missed > conn->ka_count) {
                *reason = "connection closed due to keepalive timeout";
                return FALSE;
            }
            send_keepalive(conn, CORE_RPC_KEEPALIVE_PING);
            continue;
        }
        n = recv(conn->fd, buf + got, len - got, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            *reason = n == 0 ? "End of file while reading data: the daemon closed the connection"
                             : "Cannot recv data from the daemon";
            return FALSE;
        }
        conn->ka_missed = 0;
        got += (gsize)n;
    }
    return TRUE;
}

static gpointer
reader_main(gpointer data)
{
    CoreRemoteConn *conn = data;
    const char *reason = NULL;

    for (;;) {
        guint8 lenbuf[4];
        guint32 len;
        g_autofree guint8 *frame = NULL;

        if (!read_exact(conn, lenbuf, 4, &reason))
            break;
        len = ((guint32)lenbuf[0] << 24) | ((guint32)lenbuf[1] << 16) |
              ((guint32)lenbuf[2] << 8) | lenbuf[3];
        if (!core_rpc_length_valid(len)) {
            reason = "the daemon sent a packet with an invalid length";
            break;
        }
        frame = g_malloc(len);
        memcpy(frame, lenbuf, 4);
        if (!read_exact(conn, frame + 4, len - 4, &reason))
            break;
        handle_packet(conn, frame, len);
    }
    mark_dead(conn, reason);
    return NULL;
}

CoreRemoteConn *
core_remote_conn_new_from_fd(int fd)
{
    CoreRemoteConn *conn = g_new0(CoreRemoteConn, 1);

    conn->fd = fd;
    g_mutex_init(&conn->lock);
    g_mutex_init(&conn->write_lock);
    g_cond_init(&conn->cond);
    conn->pending = g_hash_table_new(g_direct_hash, g_direct_equal);
    conn->streams = g_hash_table_new(g_direct_hash, g_direct_equal);
    if (!g_unix_open_pipe(conn->wake, FD_CLOEXEC, NULL)) {
        conn->wake[0] = conn->wake[1] = -1;
    }
    conn->reader = g_thread_new("vireo-rpc-reader", reader_main, conn);
    return conn;
}

CoreRemoteConn *
core_remote_conn_connect(const char *path, GError **error)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        core_error_set(error, CORE_ERR_NO_CONNECT, "socket path '%s' is too long", path);
        return NULL;
    }
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        core_error_set_errno(error, errno, "cannot create a socket");
        return NULL;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int saved = errno;

        core_clear_fd(&fd);
        core_error_set(error, CORE_ERR_NO_CONNECT, "Failed to connect socket to '%s': %s", path,
                       g_strerror(saved));
        return NULL;
    }
    return core_remote_conn_new_from_fd(fd);
}

void
core_remote_conn_set_event_func(CoreRemoteConn *conn, CoreRemoteEventFunc func, gpointer data)
{
    conn->event_func = func;
    conn->event_data = data;
}

void
core_remote_conn_start_keepalive(CoreRemoteConn *conn, guint interval, guint count)
{
    conn->ka_count = count;
    conn->ka_interval = interval;
    /* wake the reader so that its poll picks up the new timeout */
    if (conn->wake[1] >= 0)
        (void)!write(conn->wake[1], "k", 1);
}

gboolean
core_remote_conn_is_alive(CoreRemoteConn *conn)
{
    gboolean alive;

    g_mutex_lock(&conn->lock);
    alive = !conn->dead;
    g_mutex_unlock(&conn->lock);
    return alive;
}

/* One call; when @stream is given it is bound to the call's serial before
 * the call is sent, and unbound again when the call fails. */
static gboolean
do_call(CoreRemoteConn *conn, guint32 prog, gint32 proc, GBytes *args, GBytes **ret_payload,
        CoreRemoteStream *stream, GError **error)
{
    PendingCall call = { 0 };
    CoreRpcHeader h = {
        .prog = prog,
        .vers = CORE_RPC_PROTOCOL_VERSION,
        .proc = proc,
        .type = CORE_RPC_CALL,
        .status = CORE_RPC_STATUS_OK,
    };
    gboolean sent;
    gboolean broken = FALSE;
    g_autoptr(GError) send_err = NULL;

    g_mutex_lock(&conn->lock);
    if (conn->dead) {
        g_mutex_unlock(&conn->lock);
        return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                      conn->dead_reason ? conn->dead_reason
                                                        : "connection closed");
    }
    call.serial = h.serial = conn->next_serial++;
    g_hash_table_insert(conn->pending, GUINT_TO_POINTER(call.serial), &call);
    if (stream) {
        stream->serial = call.serial;
        stream->bound = TRUE;
        g_hash_table_insert(conn->streams, GUINT_TO_POINTER(call.serial), stream);
    }
    g_mutex_unlock(&conn->lock);

    sent = send_packet(conn, &h, args, &broken, &send_err);
    if (!sent && broken) {
        /* A socket that cannot be written is dead, whether or not the
         * reader has seen its end yet: every pending call fails alike
         * (CORE_ERR_RPC), this one included, and the reader stops. */
        mark_dead(conn, send_err->message);
        (void)shutdown(conn->fd, SHUT_RDWR);
    }

    g_mutex_lock(&conn->lock);
    if (!sent && !call.done) {
        call.done = TRUE;
        call.error = g_steal_pointer(&send_err);
    }
    while (!call.done)
        g_cond_wait(&conn->cond, &conn->lock);
    g_hash_table_remove(conn->pending, GUINT_TO_POINTER(call.serial));
    if (stream && call.error) {
        g_hash_table_remove(conn->streams, GUINT_TO_POINTER(call.serial));
        stream->bound = FALSE;
    }
    g_mutex_unlock(&conn->lock);

    if (call.error) {
        g_propagate_error(error, call.error);
        g_clear_pointer(&call.reply, g_bytes_unref);
        return FALSE;
    }
    if (ret_payload)
        *ret_payload = call.reply;
    else
        g_bytes_unref(call.reply);
    return TRUE;
}

gboolean
core_remote_conn_call(CoreRemoteConn *conn, guint32 prog, gint32 proc, GBytes *args,
                      GBytes **ret_payload, GError **error)
{
    return do_call(conn, prog, proc, args, ret_payload, NULL, error);
}

CoreRemoteStream *
core_remote_conn_call_stream(CoreRemoteConn *conn, guint32 prog, gint32 proc, GBytes *args,
                             GBytes **ret_payload, GError **error)
{
    CoreRemoteStream *st = g_new0(CoreRemoteStream, 1);

    st->conn = conn;
    st->prog = prog;
    st->proc = proc;
    g_queue_init(&st->chunks);
    if (!do_call(conn, prog, proc, args, ret_payload, st, error)) {
        core_remote_stream_free(st);
        return NULL;
    }
    return st;
}

static gboolean
stream_send_packet(CoreRemoteStream *st, int status, const guint8 *data, gsize len,
                   GError **error)
{
    CoreRpcHeader h = {
        .prog = st->prog,
        .vers = CORE_RPC_PROTOCOL_VERSION,
        .proc = st->proc,
        .type = CORE_RPC_STREAM,
        .serial = st->serial,
        .status = status,
    };
    g_autoptr(GBytes) payload = len ? g_bytes_new_static(data, len) : NULL;

    return send_packet(st->conn, &h, payload, NULL, error);
}

/* Under conn->lock: FALSE with @error when @st can no longer send. */
static gboolean
stream_check_usable(CoreRemoteStream *st, GError **error)
{
    if (st->error) {
        g_propagate_error(error, g_error_copy(st->error));
        return FALSE;
    }
    if (st->closed || st->confirmed)
        return core_error_set(error, CORE_ERR_OPERATION_INVALID,
                              "the stream has already been finished or aborted");
    return TRUE;
}

gssize
core_remote_stream_recv_timeout(CoreRemoteStream *st, guint8 *buf, gsize len, int timeout_ms,
                                GError **error)
{
    CoreRemoteConn *conn = st->conn;
    gint64 deadline = timeout_ms >= 0 ? g_get_monotonic_time() + timeout_ms * (gint64)1000 : -1;
    gssize ret;

    g_mutex_lock(&conn->lock);
    while (g_queue_is_empty(&st->chunks) && !st->eof && !st->confirmed && !st->closed &&
           !st->error) {
        if (deadline < 0) {
            g_cond_wait(&conn->cond, &conn->lock);
        } else if (!g_cond_wait_until(&conn->cond, &conn->lock, deadline)) {
            g_mutex_unlock(&conn->lock);
            return -2;
        }
    }
    if (!g_queue_is_empty(&st->chunks)) {
        GBytes *head = g_queue_peek_head(&st->chunks);
        gsize size;
        const guint8 *data = g_bytes_get_data(head, &size);

        ret = (gssize)MIN(len, size - st->head_off);
        memcpy(buf, data + st->head_off, (gsize)ret);
        st->head_off += (gsize)ret;
        if (st->head_off == size) {
            g_bytes_unref(g_queue_pop_head(&st->chunks));
            st->head_off = 0;
        }
    } else if (st->error && !st->closed) {
        g_propagate_error(error, g_error_copy(st->error));
        ret = -1;
    } else {
        ret = 0;
    }
    g_mutex_unlock(&conn->lock);
    return ret;
}

gssize
core_remote_stream_recv(CoreRemoteStream *st, guint8 *buf, gsize len, GError **error)
{
    return core_remote_stream_recv_timeout(st, buf, len, -1, error);
}

gboolean
core_remote_stream_send(CoreRemoteStream *st, const guint8 *data, gsize len, GError **error)
{
    gboolean ok;

    g_mutex_lock(&st->conn->lock);
    ok = stream_check_usable(st, error);
    g_mutex_unlock(&st->conn->lock);
    while (ok && len > 0) {
        gsize chunk = MIN(len, CORE_RPC_STREAM_CHUNK_MAX);

        ok = stream_send_packet(st, CORE_RPC_STATUS_CONTINUE, data, chunk, error);
        data += chunk;
        len -= chunk;
    }
    return ok;
}

gboolean
core_remote_stream_finish(CoreRemoteStream *st, int timeout_ms, GError **error)
{
    CoreRemoteConn *conn = st->conn;
    gint64 deadline = timeout_ms >= 0 ? g_get_monotonic_time() + timeout_ms * (gint64)1000 : -1;
    gboolean ok;

    g_mutex_lock(&conn->lock);
    ok = stream_check_usable(st, error);
    st->closed = TRUE;
    g_cond_broadcast(&conn->cond);
    g_mutex_unlock(&conn->lock);
    if (!ok || !stream_send_packet(st, CORE_RPC_STATUS_OK, NULL, 0, error))
        return FALSE;

    g_mutex_lock(&conn->lock);
    while (!st->confirmed && !st->error) {
        if (deadline < 0) {
            g_cond_wait(&conn->cond, &conn->lock);
        } else if (!g_cond_wait_until(&conn->cond, &conn->lock, deadline)) {
            break;
        }
    }
    if (st->error) {
        g_propagate_error(error, g_error_copy(st->error));
        ok = FALSE;
    } else if (!st->confirmed) {
        ok = core_error_set_literal(error, CORE_FROM_STREAMS, CORE_ERR_RPC,
                                    "the server did not confirm the end of the stream");
    }
    g_mutex_unlock(&conn->lock);
    return ok;
}

gboolean
core_remote_stream_abort(CoreRemoteStream *st, GError **error)
{
    CoreRemoteConn *conn = st->conn;
    gboolean was_closed;

    g_mutex_lock(&conn->lock);
    was_closed = st->closed || st->confirmed || st->error;
    st->closed = TRUE;
    g_cond_broadcast(&conn->cond);
    g_mutex_unlock(&conn->lock);
    if (was_closed)
        return TRUE;
    return stream_send_packet(st, CORE_RPC_STATUS_ERROR, NULL, 0, error);
}

gboolean
core_remote_stream_is_ended(CoreRemoteStream *st)
{
    gboolean ended;

    g_mutex_lock(&st->conn->lock);
    ended = st->eof || st->confirmed || st->closed || st->error;
    g_mutex_unlock(&st->conn->lock);
    return ended;
}

void
core_remote_stream_free(CoreRemoteStream *st)
{
    if (!st)
        return;
    g_mutex_lock(&st->conn->lock);
    if (st->bound)
        g_hash_table_remove(st->conn->streams, GUINT_TO_POINTER(st->serial));
    g_mutex_unlock(&st->conn->lock);
    g_queue_clear_full(&st->chunks, (GDestroyNotify)g_bytes_unref);
    g_clear_error(&st->error);
    g_free(st);
}

void
core_remote_conn_free(CoreRemoteConn *conn)
{
    if (!conn)
        return;
    if (conn->wake[1] >= 0)
        (void)!write(conn->wake[1], "x", 1);
    (void)shutdown(conn->fd, SHUT_RDWR);
    g_thread_join(conn->reader);
    core_clear_fd(&conn->fd);
    core_clear_fd(&conn->wake[0]);
    core_clear_fd(&conn->wake[1]);
    g_hash_table_unref(conn->pending);
    g_hash_table_unref(conn->streams);
    g_free(conn->dead_reason);
    g_mutex_clear(&conn->lock);
    g_mutex_clear(&conn->write_lock);
    g_cond_clear(&conn->cond);
    g_free(conn);
}
