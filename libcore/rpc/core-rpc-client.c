/* core-rpc-client: one connected client of the RPC server: reading and
 * framing its packets (with SCM_RIGHTS descriptors), dispatch inline or to
 * the worker pool, the bounded outgoing queue, events and keepalive. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "core-error.h"
#include "core-log.h"
#include "core-rpc-server-priv.h"

CORE_LOG_INIT("core.rpc.client");

#define READ_CHUNK 65536u

static void client_process(CoreRpcClient *client);
static gboolean client_io(gpointer data, GIOCondition cond);

/* ---- lifetime ------------------------------------------------------------------ */

void
core_rpc_client_ref(CoreRpcClient *client)
{
    g_atomic_int_inc(&client->refcount);
}

static void
drop_in_fds(CoreRpcClient *client)
{
    gpointer p;

    while ((p = g_queue_pop_head(&client->in_fds)))
        g_close(GPOINTER_TO_INT(p) - 1, NULL);
}

void
core_rpc_client_unref(CoreRpcClient *client)
{
    if (!g_atomic_int_dec_and_test(&client->refcount))
        return;
    g_queue_clear_full(&client->outq, (GDestroyNotify)g_bytes_unref);
    g_queue_clear_full(&client->ev_queue, (GDestroyNotify)g_bytes_unref);
    drop_in_fds(client);
    g_clear_pointer(&client->fd_packet, g_bytes_unref);
    g_byte_array_unref(client->inbuf);
    g_mutex_clear(&client->ev_lock);
    g_main_context_unref(client->ctx);
    g_free(client);
}

/* Called from driver threads with the session lock held. */
static void deliver_events_schedule(CoreRpcClient *client);

static void
queue_event(GBytes *packet, gpointer data)
{
    CoreRpcClient *client = data;
    gboolean schedule = FALSE;

    g_mutex_lock(&client->ev_lock);
    if (client->ev_closed) {
        g_bytes_unref(packet);
    } else {
        g_queue_push_tail(&client->ev_queue, packet);
        schedule = !client->ev_scheduled;
        client->ev_scheduled = TRUE;
    }
    g_mutex_unlock(&client->ev_lock);
    if (schedule)
        deliver_events_schedule(client);
}

void
core_rpc_client_info_init(CoreRpcClientInfo *info, int fd)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    memset(info, 0, sizeof(*info));
    info->timestamp = g_get_real_time() / G_USEC_PER_SEC;
    info->transport = CORE_RPC_CLIENT_TRANSPORT_UNIX;
    /* An adopted socket still names the process that connected it, not
     * the one that handed it over. */
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || len != sizeof(cred))
        return;
    info->has_identity = TRUE;
    info->uid = cred.uid;
    info->gid = cred.gid;
    info->pid = cred.pid;
}

gint
core_rpc_client_info_compare(gconstpointer a, gconstpointer b)
{
    const CoreRpcClientInfo *x = a;
    const CoreRpcClientInfo *y = b;

    return x->id < y->id ? -1 : x->id > y->id;
}

CoreRpcClient *
core_rpc_client_new(CoreRpcServer *server, int fd, gboolean readonly, const guint8 *pending,
                    gsize pending_len, gboolean keepalive)
{
    CoreRpcClient *client = g_new0(CoreRpcClient, 1);
    CoreRpcSessionHooks hooks = {
        .select = server->select,
        .select_data = server->select_data,
        .queue_event = queue_event,
        .event_data = client,
    };

    client->refcount = 1;
    client->server = server;
    client->ctx = g_main_context_ref(server->ctx);
    client->fd = fd;
    client->readonly = readonly;
    core_rpc_client_info_init(&client->info, fd);
    client->info.readonly = readonly;
    client->inbuf = g_byte_array_new();
    g_mutex_init(&client->ev_lock);
    client->session = core_rpc_session_new(readonly, &hooks);
    core_rpc_session_set_keepalive_requested(client->session, keepalive);
    client->last_rx = g_get_monotonic_time();
    if (pending_len)
        g_byte_array_append(client->inbuf, pending, pending_len);
    client->io = core_rpc_fd_source_new(fd, G_IO_IN, client_io, client, &client->io_tag);
    client->io_cond = G_IO_IN;
    core_rpc_client_update_io(client);
    /* GLib blocks a non-recursive source around each dispatch by taking its
     * fd out of the poll set and putting it back: two wake-ups of the
     * context and one more main-loop iteration per request. client_io
     * guards itself against nesting instead. */
    g_source_set_can_recurse(client->io, TRUE);
    g_source_attach(client->io, server->ctx);
    return client;
}

void
core_rpc_client_start(CoreRpcClient *client)
{
    if (client->inbuf->len)
        client_process(client);
}

static void
finalize(CoreRpcClient *client)
{
    /* No job runs any more: the driver connection can go. */
    g_mutex_lock(&client->ev_lock);
    client->ev_closed = TRUE;
    g_mutex_unlock(&client->ev_lock);
    g_clear_pointer(&client->session, core_rpc_session_free);
    core_rpc_client_unref(client);
}

void
core_rpc_client_close(CoreRpcClient *client)
{
    if (client->dead)
        return;
    client->dead = TRUE;
    if (client->ka_timer) {
        g_source_destroy(client->ka_timer);
        g_clear_pointer(&client->ka_timer, g_source_unref);
    }
    g_source_destroy(client->io);
    g_clear_pointer(&client->io, g_source_unref);
    if (!client->handed_off)
        g_close(client->fd, NULL);
    client->fd = -1;
    if (client->server)
        core_rpc_server_client_gone(client->server, client);
    if (client->in_flight == 0)
        finalize(client);
}

/* ---- output --------------------------------------------------------------------- */

static gboolean
can_read(CoreRpcClient *client)
{
    CoreRpcServer *server = client->server;

    return !client->dead && !client->closing && server && !client->open_waits &&
           client->in_flight < CORE_RPC_CLIENT_MAX_REQUESTS &&
           client->out_bytes <= server->cfg.max_queued_bytes && client->fd_bytes_left == 0;
}

void
core_rpc_client_update_io(CoreRpcClient *client)
{
    GIOCondition cond = 0;

    if (client->dead || !client->io)
        return;
    /* While a descriptor-carrying packet waits for its dummy bytes, keep
     * reading regardless of the other limits: the bytes are tiny. */
    if (can_read(client) || (client->fd_bytes_left && !client->closing))
        cond |= G_IO_IN;
    if (client->outq.length)
        cond |= G_IO_OUT;
    /* Called several times per request; modifying the source also wakes
     * the context up, which costs a main-loop iteration of its own. */
    if (cond == client->io_cond)
        return;
    client->io_cond = cond;
    g_source_modify_unix_fd(client->io, client->io_tag, cond);
}

static gboolean flush_output(CoreRpcClient *client);

void
core_rpc_client_queue(CoreRpcClient *client, GBytes *packet)
{
    gboolean was_empty = client->outq.length == 0;

    if (!packet)
        return;
    if (client->dead) {
        g_bytes_unref(packet);
        return;
    }
    client->out_bytes += g_bytes_get_size(packet);
    g_queue_push_tail(&client->outq, packet);
    /* Write at once when nothing is waiting: saves a poll round per reply.
     * A failure leaves the data queued; the next G_IO_OUT (or HUP) on the
     * broken socket reports it and closes the client. */
    if (was_empty)
        flush_output(client);
    core_rpc_client_update_io(client);
}

/* Writes as much as the socket takes. FALSE when the connection failed. */
static gboolean
flush_output(CoreRpcClient *client)
{
    GBytes *head;

    while ((head = g_queue_peek_head(&client->outq))) {
        gsize len;
        const guint8 *data = g_bytes_get_data(head, &len);
        ssize_t n = send(client->fd, data + client->out_offset, len - client->out_offset,
                         MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return TRUE;
            CORE_DEBUG("write to client failed: %s", g_strerror(errno));
            return FALSE;
        }
        client->out_offset += (gsize)n;
        if (client->out_offset == len) {
            client->out_bytes -= len;
            client->out_offset = 0;
            g_bytes_unref(g_queue_pop_head(&client->outq));
        }
    }
    return TRUE;
}

/* Blocks (bounded) until the queue is written: used before handing the
 * socket to someone else. */
static gboolean
flush_output_blocking(CoreRpcClient *client)
{
    gint64 deadline = g_get_monotonic_time() + G_USEC_PER_SEC;

    while (client->outq.length) {
        struct pollfd pfd = { .fd = client->fd, .events = POLLOUT };
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;

        if (left <= 0 || !flush_output(client))
            return FALSE;
        if (client->outq.length && poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
            return FALSE;
    }
    return TRUE;
}

/* After CONNECT_CLOSE: the socket closes once every reply is written. */
static void
close_if_done(CoreRpcClient *client)
{
    if (!client->dead && client->closing && !client->outq.length && !client->in_flight)
        core_rpc_client_close(client);
}

/* ---- events and keepalive -------------------------------------------------------- */

static gboolean
deliver_events(gpointer data)
{
    CoreRpcClient *client = data;
    GQueue pending = G_QUEUE_INIT;
    gsize bytes = 0;
    GBytes *packet;

    g_mutex_lock(&client->ev_lock);
    pending = client->ev_queue;
    g_queue_init(&client->ev_queue);
    client->ev_scheduled = FALSE;
    g_mutex_unlock(&client->ev_lock);

    for (GList *l = pending.head; l; l = l->next)
        bytes += g_bytes_get_size(l->data);
    if (!client->dead && client->server &&
        client->out_bytes + bytes > client->server->cfg.max_queued_bytes) {
        /* Events alone must not grow memory without bound: a client that
         * does not read them is dropped. */
        CORE_INFO("client does not read its events, dropping it");
        core_rpc_client_close(client);
    }
    while ((packet = g_queue_pop_head(&pending)))
        core_rpc_client_queue(client, packet);
    core_rpc_client_unref(client);
    return G_SOURCE_REMOVE;
}

static void
deliver_events_schedule(CoreRpcClient *client)
{
    GSource *source = g_idle_source_new();

    core_rpc_client_ref(client);
    g_source_set_callback(source, deliver_events, client, NULL);
    g_source_attach(source, client->ctx);
    g_source_unref(source);
}

static GBytes *
build_ping(void)
{
    CoreRpcHeader h = {
        .prog = CORE_RPC_KEEPALIVE_PROGRAM,
        .vers = CORE_RPC_PROTOCOL_VERSION,
        .proc = CORE_RPC_KEEPALIVE_PING,
        .type = CORE_RPC_MESSAGE,
    };

    return core_rpc_message_build(&h, NULL, 0, NULL);
}

static gboolean
keepalive_tick(gpointer data)
{
    CoreRpcClient *client = data;
    const CoreRpcServerConfig *cfg = &client->server->cfg;
    gint64 idle = g_get_monotonic_time() - client->last_rx;

    /* Half a second of slack: second-granularity timers may fire early. */
    if (idle < (gint64)cfg->keepalive_interval * G_USEC_PER_SEC - G_USEC_PER_SEC / 2)
        return G_SOURCE_CONTINUE;
    if (client->pings_unanswered >= cfg->keepalive_count) {
        CORE_INFO("client did not answer %u keepalive pings, dropping it",
                  client->pings_unanswered);
        core_rpc_client_close(client);
        return G_SOURCE_REMOVE;
    }
    client->pings_unanswered++;
    core_rpc_client_queue(client, build_ping());
    return G_SOURCE_CONTINUE;
}

static void
keepalive_start(CoreRpcClient *client)
{
    if (client->ka_timer || client->dead || !client->server)
        return;
    client->ka_timer = g_timeout_source_new_seconds(client->server->cfg.keepalive_interval);
    g_source_set_callback(client->ka_timer, keepalive_tick, client, NULL);
    g_source_attach(client->ka_timer, client->server->ctx);
}

/* ---- input ------------------------------------------------------------------------- */

/* Reads what is available. Returns FALSE on EOF or error. */
static gboolean
read_input(CoreRpcClient *client)
{
    char cbuf[CMSG_SPACE(sizeof(int) * CORE_RPC_NUM_FDS_MAX)];
    gsize old = client->inbuf->len;
    struct iovec iov;
    struct msghdr mh = { 0 };
    ssize_t n;

    g_byte_array_set_size(client->inbuf, old + READ_CHUNK);
    iov.iov_base = client->inbuf->data + old;
    iov.iov_len = READ_CHUNK;
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = cbuf;
    mh.msg_controllen = sizeof(cbuf);
    do {
        n = recvmsg(client->fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    g_byte_array_set_size(client->inbuf, old + (n > 0 ? (gsize)n : 0));
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        for (gsize i = 0; (i + 1) * sizeof(int) <= c->cmsg_len - CMSG_LEN(0); i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            /* +1 so that descriptor 0 is not a NULL pointer */
            g_queue_push_tail(&client->in_fds, GINT_TO_POINTER(fd + 1));
        }
    }
    if (n == 0)
        return FALSE;
    if (client->in_fds.length > 2 * CORE_RPC_NUM_FDS_MAX) {
        CORE_DEBUG("dropping client: too many descriptors without a packet for them");
        return FALSE;
    }
    client->last_rx = g_get_monotonic_time();
    client->pings_unanswered = 0;
    return TRUE;
}

static void
run_action(CoreRpcClient *client, CoreRpcAction action, GBytes *reply, CoreRpcJob *job)
{
    gboolean close_after = FALSE;

    switch (action) {
    case CORE_RPC_ACTION_NONE:
        break;
    case CORE_RPC_ACTION_REPLY:
        core_rpc_client_queue(client, reply);
        break;
    case CORE_RPC_ACTION_JOB:
        if (core_rpc_job_is_inline(job)) {
            gboolean was_open = core_rpc_session_is_open(client->session);

            reply = core_rpc_job_run(job, &close_after);
            core_rpc_job_free(job);
            if (!reply) {
                core_rpc_client_close(client);
                return;
            }
            core_rpc_client_queue(client, reply);
            if (!was_open && core_rpc_session_is_open(client->session) && !client->opened) {
                client->opened = TRUE;
                core_rpc_server_client_opened(client->server, client);
            }
            client->closing = client->closing || close_after;
            close_if_done(client);
        } else {
            core_rpc_server_submit(client->server, client, job);
        }
        break;
    }
    if (!client->dead && core_rpc_session_keepalive_requested(client->session))
        keepalive_start(client);
}

/* Offers a CONNECT_OPEN to the server's open hook. Returns TRUE when the
 * packet was consumed (handed off, or answered with the hook's error). */
static gboolean
try_open_hook(CoreRpcClient *client, const CoreRpcMessage *msg, gsize frame_start)
{
    CoreRpcServer *server = client->server;
    g_autoptr(GError) err = NULL;
    g_autofree char *uri = NULL;
    guint flags = 0;
    gboolean ro;

    if (!server->open_hook || core_rpc_session_is_open(client->session) ||
        !core_rpc_session_peek_open(msg, &uri, &flags))
        return FALSE;
    if (!flush_output_blocking(client)) {
        core_rpc_client_close(client);
        return TRUE;
    }
    ro = client->readonly || (flags & 1);
    if (server->open_hook(server, client->fd, ro, uri, client->inbuf->data + frame_start,
                          client->inbuf->len - frame_start,
                          core_rpc_session_keepalive_requested(client->session),
                          server->open_hook_data, &err)) {
        client->handed_off = TRUE;
        core_rpc_client_close(client);
        return TRUE;
    }
    if (!err)
        return FALSE;
    core_rpc_client_queue(client, core_rpc_build_error_reply(&msg->header, err));
    return TRUE;
}

/* TRUE when @data is a CONNECT_OPEN for the open hook while replies are
 * still queued: the socket may change hands, so it waits for them to be
 * written. Waiting in the main loop (rather than blocking in it) keeps a
 * client that never reads from stalling every other client. */
static gboolean
open_must_wait(CoreRpcClient *client, const guint8 *data, gsize len)
{
    g_autofree char *uri = NULL;
    CoreRpcMessage msg;
    guint flags = 0;

    return client->outq.length && client->server->open_hook &&
           !core_rpc_session_is_open(client->session) &&
           core_rpc_message_decode(data, len, &msg, NULL) &&
           core_rpc_session_peek_open(&msg, &uri, &flags);
}

/* Handles one complete packet at inbuf[start, start + len). */
static void
handle_packet(CoreRpcClient *client, const guint8 *data, gsize len, gsize start, int *fds,
              guint nfds)
{
    g_autoptr(GError) err = NULL;
    CoreRpcMessage msg;
    GBytes *reply = NULL;
    CoreRpcJob *job = NULL;
    CoreRpcAction action;

    if (!core_rpc_message_decode(data, len, &msg, &err)) {
        CORE_DEBUG("dropping client: %s", err->message);
        g_free(fds);
        core_rpc_client_close(client);
        return;
    }
    if (!fds && try_open_hook(client, &msg, start))
        return;
    action = core_rpc_session_handle(client->session, &msg, fds, nfds, &reply, &job);
    run_action(client, action, reply, job);
}

/* Collects the descriptors of a waiting *_WITH_FDS packet once their dummy
 * bytes arrived, then handles it. */
static void
finish_fd_packet(CoreRpcClient *client)
{
    g_autoptr(GBytes) packet = g_steal_pointer(&client->fd_packet);
    gsize len;
    const guint8 *data = g_bytes_get_data(packet, &len);
    CoreRpcMessage msg;
    int *fds;

    if (!core_rpc_message_decode(data, len, &msg, NULL) ||
        client->in_fds.length < msg.nfds) {
        CORE_DEBUG("dropping client: descriptors missing after a packet that announced %u",
                   msg.nfds);
        core_rpc_client_close(client);
        return;
    }
    fds = g_new0(int, msg.nfds);
    for (guint i = 0; i < msg.nfds; i++)
        fds[i] = GPOINTER_TO_INT(g_queue_pop_head(&client->in_fds)) - 1;
    handle_packet(client, data, len, 0, fds, msg.nfds);
}

static gboolean
process_one(CoreRpcClient *client)
{
    GByteArray *in = client->inbuf;
    gsize avail = in->len - client->in_pos;
    guint32 word;
    CoreRpcMessage msg;

    if (client->fd_bytes_left) {
        gsize n = MIN(avail, client->fd_bytes_left);

        client->in_pos += n;
        client->fd_bytes_left -= (guint)n;
        if (client->fd_bytes_left)
            return FALSE;
        finish_fd_packet(client);
        return TRUE;
    }
    if (avail < 4)
        return FALSE;
    memcpy(&word, in->data + client->in_pos, 4);
    word = GUINT32_FROM_BE(word);
    if (!core_rpc_length_valid(word)) {
        /* libvirtd drops such connections without a reply. */
        CORE_DEBUG("dropping client: packet length %u out of range", word);
        core_rpc_client_close(client);
        return FALSE;
    }
    if (avail < word)
        return FALSE;
    if (open_must_wait(client, in->data + client->in_pos, word)) {
        client->open_waits = TRUE;
        return FALSE;
    }
    client->in_pos += word;
    if (core_rpc_message_decode(in->data + client->in_pos - word, word, &msg, NULL) &&
        msg.nfds > 0) {
        client->fd_packet = g_bytes_new(in->data + client->in_pos - word, word);
        client->fd_bytes_left = msg.nfds;
        return TRUE;
    }
    handle_packet(client, in->data + client->in_pos - word, word, client->in_pos - word, NULL,
                  0);
    return TRUE;
}

static void
client_process(CoreRpcClient *client)
{
    core_rpc_client_ref(client);
    while (!client->dead && (can_read(client) || client->fd_bytes_left) && !client->closing &&
           process_one(client))
        ;
    if (!client->dead && client->in_pos) {
        g_byte_array_remove_range(client->inbuf, 0, (guint)client->in_pos);
        client->in_pos = 0;
    }
    core_rpc_client_update_io(client);
    core_rpc_client_unref(client);
}

static gboolean
client_io(gpointer data, GIOCondition cond)
{
    CoreRpcClient *client = data;

    if (client->in_io) {
        /* A callback below runs the context again: stop polling this
         * socket until the outer call ends and recomputes the condition. */
        client->io_cond = 0;
        g_source_modify_unix_fd(client->io, client->io_tag, 0);
        return G_SOURCE_CONTINUE;
    }
    core_rpc_client_ref(client);
    client->in_io = TRUE;
    if ((cond & G_IO_OUT) && !flush_output(client))
        core_rpc_client_close(client);
    close_if_done(client);
    if (!client->dead && client->open_waits && !client->outq.length) {
        client->open_waits = FALSE;
        client_process(client);
    }
    if (!client->dead && (cond & (G_IO_IN | G_IO_HUP | G_IO_ERR))) {
        if (!read_input(client))
            core_rpc_client_close(client);
        else
            client_process(client);
    }
    client->in_io = FALSE;
    if (!client->dead)
        core_rpc_client_update_io(client);
    core_rpc_client_unref(client);
    return G_SOURCE_CONTINUE;
}

void
core_rpc_client_job_done(CoreRpcClient *client, GBytes *reply, gboolean close_after)
{
    client->in_flight--;
    if (client->dead) {
        if (reply)
            g_bytes_unref(reply);
        if (client->in_flight == 0)
            finalize(client);
        return;
    }
    if (!reply) {
        core_rpc_client_close(client);
        return;
    }
    core_rpc_client_queue(client, reply);
    client->closing = client->closing || close_after;
    close_if_done(client);
    /* A slot in the request window is free again. */
    client_process(client);
}
