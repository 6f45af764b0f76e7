/* proxyd-relay: see proxyd-relay.h. */
#include "proxyd-relay.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>

#include "core-daemon-watch.h"
#include "core-daemon-wire.h"
#include "core-log.h"

CORE_LOG_INIT("proxyd.relay");

/* Enough to keep a local socket pair busy; a peer that stops reading costs
 * at most this much per direction. */
#define RELAY_BUF_MAX (256u * 1024u)
#define READ_CHUNK (64u * 1024u)
/* Serials of the replayed handshake calls, far from the client's own. */
#define REPLAY_SERIAL_BASE 0x7fffff00u

typedef struct {
    int fd;
    GSource *watch;
    gboolean eof; /* nothing more will be read from it */
} RelaySide;

struct _ProxydRelay {
    RelaySide client;
    RelaySide target;
    GByteArray *c2t;     /* client -> target */
    GByteArray *t2c;     /* target -> client */
    gsize t2c_checked;   /* bytes of t2c known not to be replayed replies */
    guint replies_to_drop;
    guint32 replay_serials[2];
    ProxydRelayClosed closed;
    gpointer data;
    gboolean done;
};

static void
put_call(GByteArray *out, gint32 proc, guint32 serial, const guint32 *arg)
{
    GByteArray *f = core_wire_frame_new(CORE_WIRE_PROG_REMOTE, 1, proc, CORE_WIRE_TYPE_CALL,
                                        serial, CORE_WIRE_STATUS_OK);

    if (arg)
        core_wire_put_u32(f, *arg);
    core_wire_frame_finish(f);
    g_byte_array_append(out, f->data, f->len);
    g_byte_array_unref(f);
}

static void
queue_replay(ProxydRelay *r, gboolean keepalive)
{
    const guint32 feature = CORE_WIRE_FEATURE_KEEPALIVE;

    r->replay_serials[0] = REPLAY_SERIAL_BASE;
    put_call(r->c2t, CORE_WIRE_PROC_AUTH_LIST, r->replay_serials[0], NULL);
    r->replies_to_drop = 1;
    if (keepalive) {
        r->replay_serials[1] = REPLAY_SERIAL_BASE + 1;
        put_call(r->c2t, CORE_WIRE_PROC_SUPPORTS_FEATURE, r->replay_serials[1], &feature);
        r->replies_to_drop = 2;
    }
}

static gboolean
is_replay_reply(ProxydRelay *r, const CoreWireHeader *h)
{
    if (h->prog != CORE_WIRE_PROG_REMOTE || h->type != CORE_WIRE_TYPE_REPLY)
        return FALSE;
    return (h->proc == CORE_WIRE_PROC_AUTH_LIST && h->serial == r->replay_serials[0]) ||
           (h->proc == CORE_WIRE_PROC_SUPPORTS_FEATURE && h->serial == r->replay_serials[1]);
}

/* Scans complete target frames while replies remain to be swallowed.
 * FALSE on a malformed frame. */
static gboolean
filter_replies(ProxydRelay *r)
{
    while (r->replies_to_drop > 0 && r->t2c->len - r->t2c_checked >= CORE_WIRE_HEADER_LEN) {
        CoreWireHeader h;

        if (!core_wire_parse_header(r->t2c->data + r->t2c_checked, CORE_WIRE_HEADER_LEN, &h))
            return FALSE;
        if (r->t2c->len - r->t2c_checked < h.len)
            break;
        if (is_replay_reply(r, &h)) {
            g_byte_array_remove_range(r->t2c, (guint)r->t2c_checked, h.len);
            r->replies_to_drop--;
        } else {
            r->t2c_checked += h.len;
        }
    }
    if (r->replies_to_drop == 0)
        r->t2c_checked = r->t2c->len;
    return TRUE;
}

/* Reads what @side has (up to the buffer cap) into @buf. FALSE on error. */
static gboolean
read_side(RelaySide *side, GByteArray *buf)
{
    while (!side->eof && buf->len < RELAY_BUF_MAX) {
        guint old = buf->len;
        gsize room = MIN(READ_CHUNK, RELAY_BUF_MAX - old);
        ssize_t n;

        g_byte_array_set_size(buf, old + (guint)room);
        n = recv(side->fd, buf->data + old, room, 0);
        g_byte_array_set_size(buf, old + (n > 0 ? (guint)n : 0));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return TRUE;
        if (n < 0)
            return FALSE;
        if (n == 0)
            side->eof = TRUE;
    }
    return TRUE;
}

/* Writes up to @limit bytes of @buf to @side. FALSE on error. */
static gboolean
write_side(RelaySide *side, GByteArray *buf, gsize limit, gsize *ret_written)
{
    gsize done = 0;

    while (done < limit) {
        ssize_t n = send(side->fd, buf->data + done, limit - done, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n <= 0)
            return FALSE;
        done += (gsize)n;
    }
    if (done)
        g_byte_array_remove_range(buf, 0, (guint)done);
    *ret_written = done;
    return TRUE;
}

static void
update_events(ProxydRelay *r)
{
    GIOCondition c = 0;
    GIOCondition t = 0;

    if (!r->client.eof && r->c2t->len < RELAY_BUF_MAX)
        c |= G_IO_IN;
    if (r->t2c_checked > 0)
        c |= G_IO_OUT;
    if (!r->target.eof && r->t2c->len < RELAY_BUF_MAX)
        t |= G_IO_IN;
    if (r->c2t->len > 0)
        t |= G_IO_OUT;
    if (r->client.watch)
        core_daemon_watch_set_events(r->client.watch, c);
    if (r->target.watch)
        core_daemon_watch_set_events(r->target.watch, t);
}

static void
relay_end(ProxydRelay *r)
{
    if (r->done)
        return;
    r->done = TRUE;
    core_daemon_watch_clear(&r->client.watch);
    core_daemon_watch_clear(&r->target.watch);
    r->closed(r, r->data);
}

/* One pass over both directions. FALSE when the relay is over: a side
 * failed, or one side ended and what it sent has been delivered. */
static gboolean
pump(ProxydRelay *r)
{
    gsize written = 0;

    if (!read_side(&r->client, r->c2t) || !read_side(&r->target, r->t2c) || !filter_replies(r))
        return FALSE;
    if (!write_side(&r->target, r->c2t, r->c2t->len, &written))
        return FALSE;
    if (!write_side(&r->client, r->t2c, r->t2c_checked, &written))
        return FALSE;
    r->t2c_checked -= written;
    if (r->replies_to_drop == 0)
        r->t2c_checked = r->t2c->len;
    if (r->client.eof && r->c2t->len == 0)
        return FALSE;
    if (r->target.eof && r->t2c_checked == 0)
        return FALSE;
    return TRUE;
}

static gboolean
on_ready(int fd, GIOCondition revents, gpointer data)
{
    ProxydRelay *r = data;

    if (r->done)
        return G_SOURCE_CONTINUE;
    if (!pump(r) || (revents & G_IO_ERR)) {
        relay_end(r);
        return G_SOURCE_CONTINUE;
    }
    /* A hang-up with nothing left to read is the end of that side. poll()
     * reports it whatever we ask for, so stop watching that fd at all;
     * what the other side still owes is flushed by its own watch. */
    if ((revents & G_IO_HUP) && !(revents & G_IO_IN)) {
        RelaySide *side = fd == r->client.fd ? &r->client : &r->target;

        side->eof = TRUE;
        core_daemon_watch_clear(&side->watch);
        if (!pump(r)) {
            relay_end(r);
            return G_SOURCE_CONTINUE;
        }
    }
    update_events(r);
    return G_SOURCE_CONTINUE;
}

ProxydRelay *
proxyd_relay_new(GMainContext *ctx, int client_fd, int target_fd, const guint8 *pending,
                 gsize pending_len, gboolean keepalive, ProxydRelayClosed closed, gpointer data)
{
    ProxydRelay *r = g_new0(ProxydRelay, 1);

    r->client.fd = client_fd;
    r->target.fd = target_fd;
    r->c2t = g_byte_array_sized_new(4096);
    r->t2c = g_byte_array_sized_new(4096);
    r->closed = closed;
    r->data = data;
    g_unix_set_fd_nonblocking(client_fd, TRUE, NULL);
    g_unix_set_fd_nonblocking(target_fd, TRUE, NULL);
    queue_replay(r, keepalive);
    if (pending_len)
        g_byte_array_append(r->c2t, pending, (guint)pending_len);
    r->client.watch = core_daemon_watch_new(ctx, client_fd, 0, on_ready, r);
    r->target.watch = core_daemon_watch_new(ctx, target_fd, 0, on_ready, r);
    update_events(r);
    CORE_DEBUG("relaying client fd %d to fd %d (%zu pending bytes)", client_fd, target_fd,
               pending_len);
    return r;
}

void
proxyd_relay_free(ProxydRelay *relay)
{
    if (!relay)
        return;
    core_daemon_watch_clear(&relay->client.watch);
    core_daemon_watch_clear(&relay->target.watch);
    g_close(relay->client.fd, NULL);
    g_close(relay->target.fd, NULL);
    g_byte_array_unref(relay->c2t);
    g_byte_array_unref(relay->t2c);
    g_free(relay);
}
