/* core-rpc-stream: data streams of a session (see core-rpc-stream.h). */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-log.h"
#include "core-rpc-protocol.h"
#include "core-rpc-session-priv.h"
#include "core-rpc-stream.h"

#define CORE_FROM_THIS CORE_FROM_STREAMS

CORE_LOG_INIT("core.rpc.stream");

#define STREAM_READ_MAX 65536

typedef struct {
    CoreRpcSession *session;
    CoreRpcHeader header; /* of the opening call */
    int fd;
    GSource *watch;
} CoreRpcStream;

/* session -> GPtrArray of CoreRpcStream; main loop only */
static GHashTable *streams;

static void
stream_free(CoreRpcStream *st)
{
    if (st->watch) {
        g_source_destroy(st->watch);
        g_source_unref(st->watch);
    }
    core_clear_fd(&st->fd);
    g_free(st);
}

static void
stream_remove(CoreRpcStream *st)
{
    CoreRpcSession *session = st->session;
    GPtrArray *list = streams ? g_hash_table_lookup(streams, session) : NULL;

    /* frees @st */
    if (list && g_ptr_array_remove(list, st) && list->len == 0)
        g_hash_table_remove(streams, session);
}

static GBytes *
stream_packet(const CoreRpcStream *st, int status, const guint8 *data, gsize len)
{
    CoreRpcHeader h = st->header;

    h.type = CORE_RPC_STREAM;
    h.status = status;
    return core_rpc_message_build(&h, data, len, NULL);
}

static void
stream_send(CoreRpcStream *st, GBytes *packet)
{
    CoreRpcSession *s = st->session;

    if (!packet)
        return;
    g_mutex_lock(&s->lock);
    if (!s->dead && s->hooks.queue_event)
        s->hooks.queue_event(packet, s->hooks.event_data);
    else
        g_bytes_unref(packet);
    g_mutex_unlock(&s->lock);
}

static gboolean
on_readable(gint fd, GIOCondition cond, gpointer data)
{
    CoreRpcStream *st = data;
    g_autofree guint8 *buf = g_malloc(STREAM_READ_MAX);
    ssize_t n = read(fd, buf, STREAM_READ_MAX);

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return G_SOURCE_CONTINUE;
    if (n > 0) {
        stream_send(st, stream_packet(st, CORE_RPC_STATUS_CONTINUE, buf, (gsize)n));
        return G_SOURCE_CONTINUE;
    }
    /* end of file (the guest's side went away): finish the stream */
    CORE_DEBUG("stream %u: end of data", st->header.serial);
    stream_send(st, stream_packet(st, CORE_RPC_STATUS_OK, NULL, 0));
    g_clear_pointer(&st->watch, g_source_unref);
    stream_remove(st);
    return G_SOURCE_REMOVE;
}

void
core_rpc_stream_open(CoreRpcSession *session, const CoreRpcHeader *call, int fd)
{
    CoreRpcStream *st = g_new0(CoreRpcStream, 1);
    g_autoptr(GMainContext) ctx = g_main_context_ref_thread_default();
    GPtrArray *list;

    st->session = session;
    st->header = *call;
    st->fd = fd;
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    if (!streams)
        streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify)g_ptr_array_unref);
    if (!(list = g_hash_table_lookup(streams, session))) {
        list = g_ptr_array_new_with_free_func((GDestroyNotify)stream_free);
        g_hash_table_insert(streams, session, list);
    }
    g_ptr_array_add(list, st);
    st->watch = g_unix_fd_source_new(fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(st->watch, G_SOURCE_FUNC(on_readable), st, NULL);
    g_source_attach(st->watch, ctx);
}

static CoreRpcStream *
find_stream(CoreRpcSession *session, const CoreRpcHeader *h)
{
    GPtrArray *list = streams ? g_hash_table_lookup(streams, session) : NULL;

    for (guint i = 0; list && i < list->len; i++) {
        CoreRpcStream *st = g_ptr_array_index(list, i);

        if (st->header.serial == h->serial && st->header.proc == h->proc)
            return st;
    }
    return NULL;
}

GBytes *
core_rpc_stream_incoming(CoreRpcSession *session, const CoreRpcMessage *msg)
{
    CoreRpcStream *st = find_stream(session, &msg->header);
    GBytes *reply = NULL;
    gsize off = 0;

    if (!st)
        return NULL; /* a stream we ended already: libvirtd drops these too */
    switch (msg->header.status) {
    case CORE_RPC_STATUS_CONTINUE:
        while (off < msg->payload_len) {
            ssize_t n = write(st->fd, msg->payload + off, msg->payload_len - off);

            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break; /* a console drops what the guest does not take */
            off += (gsize)n;
        }
        return NULL;
    case CORE_RPC_STATUS_OK:
        reply = stream_packet(st, CORE_RPC_STATUS_OK, NULL, 0);
        break;
    default:
        break;
    }
    stream_remove(st);
    return reply;
}

void
core_rpc_stream_session_closed(CoreRpcSession *session)
{
    if (streams)
        g_hash_table_remove(streams, session);
}

/* DOMAIN_OPEN_CONSOLE: the driver's descriptor becomes the stream. */
gboolean
core_rpc_handle_domain_open_console(CoreRpcCall *call, gconstpointer args_, gpointer ret,
                                    GError **error)
{
    const CoreRpcDomainOpenConsoleArgs *args = args_;
    int fd;

    if (!call->driver->domain || !call->driver->domain->open_console || !call->header)
        return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_NO_SUPPORT,
                                   "virDomainOpenConsole");
    fd = call->driver->domain->open_console(call->conn, args->dom, args->dev_name, args->flags,
                                            error);
    if (fd < 0)
        return FALSE;
    core_rpc_stream_open(call->session, call->header, fd);
    return TRUE;
}
