/* core-remote-console: the remote driver's open_console entry.
 *
 * The driver table hands consoles out as a descriptor (CoreDomainOps
 * open_console). On the client side the console is a stream of the
 * connection, so the entry returns one end of a socketpair and two threads
 * pump the other end: stream data to the socket, socket data to the
 * stream. When the application closes its end the stream is finished;
 * when the server ends the stream the application reads end of file.
 */
#define CORE_FROM_THIS CORE_FROM_REMOTE
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-log.h"
#include "core-remote-priv.h"
#include "core-rpc-message.h"
#include "core-rpc-protocol.h"

CORE_LOG_INIT("core.rpc.remote");

#define PUMP_CHUNK 65536
/* how long closing a console waits for the server to confirm its end */
#define FINISH_TIMEOUT_MS 3000

struct _CoreRemoteConsole {
    CoreRemoteStream *st;
    int fd;            /* the pumped end of the socketpair */
    GThread *to_app;   /* stream -> fd */
    GThread *from_app; /* fd -> stream */
};

static gpointer
pump_to_app(gpointer data)
{
    CoreRemoteConsole *con = data;
    g_autofree guint8 *buf = g_malloc(PUMP_CHUNK);

    for (;;) {
        g_autoptr(GError) err = NULL;
        gssize n = core_remote_stream_recv(con->st, buf, PUMP_CHUNK, &err);
        gssize off = 0;

        if (n <= 0) {
            if (n < 0)
                CORE_DEBUG("console stream failed: %s", err->message);
            break;
        }
        while (off < n) {
            ssize_t w = send(con->fd, buf + off, (gsize)(n - off), MSG_NOSIGNAL);

            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                goto out;
            off += w;
        }
    }
out:
    /* the application reads end of file */
    (void)shutdown(con->fd, SHUT_WR);
    return NULL;
}

static gpointer
pump_from_app(gpointer data)
{
    CoreRemoteConsole *con = data;
    g_autofree guint8 *buf = g_malloc(PUMP_CHUNK);
    g_autoptr(GError) err = NULL;

    for (;;) {
        ssize_t n = read(con->fd, buf, PUMP_CHUNK);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (!core_remote_stream_send(con->st, buf, (gsize)n, &err)) {
            CORE_DEBUG("console stream: %s", err->message);
            g_clear_error(&err);
            break;
        }
    }
    /* The application closed its end (or the stream failed): end the
     * stream as virsh does when its escape character is typed. */
    if (!core_remote_stream_finish(con->st, FINISH_TIMEOUT_MS, &err)) {
        CORE_DEBUG("console finish: %s", err->message);
        (void)core_remote_stream_abort(con->st, NULL);
    }
    (void)shutdown(con->fd, SHUT_RDWR);
    return NULL;
}

static void
console_free(CoreRemoteConsole *con)
{
    /* wakes pump_from_app, which ends the stream and so pump_to_app */
    (void)shutdown(con->fd, SHUT_RDWR);
    g_thread_join(con->from_app);
    g_thread_join(con->to_app);
    core_remote_stream_free(con->st);
    core_clear_fd(&con->fd);
    g_free(con);
}

void
core_remote_console_close_all(CoreRemote *priv)
{
    g_autoptr(GPtrArray) list = NULL;

    g_mutex_lock(&priv->lock);
    list = g_steal_pointer(&priv->consoles);
    g_mutex_unlock(&priv->lock);
    if (list) {
        for (guint i = 0; i < list->len; i++)
            console_free(g_ptr_array_index(list, i));
    }
}

static GBytes *
encode_args(const CoreDomainRef *dom, const char *dev_name, guint flags, GError **error)
{
    CoreRpcDomainOpenConsoleArgs args = {
        .dom = (CoreDomainRef *)dom,
        .dev_name = (char *)dev_name,
        .flags = flags,
    };
    CoreXdrWriter w;
    GBytes *out = NULL;

    core_xdr_writer_init(&w);
    if (core_rpc_domain_open_console_args_encode(&w, &args, error))
        out = core_xdr_writer_steal(&w);
    core_xdr_writer_clear(&w);
    return out;
}

int
core_remote_domain_open_console(gpointer conn, const CoreDomainRef *dom, const char *dev_name,
                                guint flags, GError **error)
{
    CoreRemote *priv = conn;
    g_autoptr(GBytes) args = encode_args(dom, dev_name, flags, error);
    CoreRemoteStream *st;
    CoreRemoteConsole *con;
    int sv[2];

    if (!args)
        return -1;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        core_error_set_errno(error, errno, "cannot create a socket pair");
        return -1;
    }
    st = core_remote_conn_call_stream(priv->rpc, CORE_RPC_REMOTE_PROGRAM,
                                      CORE_RPC_REMOTE_PROC_DOMAIN_OPEN_CONSOLE, args, NULL,
                                      error);
    if (!st) {
        core_clear_fd(&sv[0]);
        core_clear_fd(&sv[1]);
        return -1;
    }
    con = g_new0(CoreRemoteConsole, 1);
    con->st = st;
    con->fd = sv[1];
    con->to_app = g_thread_new("vireo-console-in", pump_to_app, con);
    con->from_app = g_thread_new("vireo-console-out", pump_from_app, con);
    g_mutex_lock(&priv->lock);
    if (!priv->consoles)
        priv->consoles = g_ptr_array_new();
    g_ptr_array_add(priv->consoles, con);
    g_mutex_unlock(&priv->lock);
    return sv[0];
}
