/* core-daemon-admin: see core-daemon-admin.h. */
#include "core-daemon-admin.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core-daemon-admin-priv.h"
#include "core-daemon-watch.h"
#include "core-error.h"
#include "core-log.h"

#define CORE_FROM_THIS CORE_FROM_ADMIN

CORE_LOG_INIT("core.daemon.admin");

/* Frames from peers that may not hand off stay small; a hand-off carries
 * the bytes the proxy had read, at most a maximal frame and some more. */
#define UNTRUSTED_MAX_FRAME (1024u * 1024u)
#define TRUSTED_MAX_FRAME (2u * CORE_WIRE_FRAME_MAX)
#define MAX_QUEUED_FDS 4
#define READ_CHUNK 65536u
/* libvirtd's admin_max_clients default. */
#define DEFAULT_MAX_CONNS 5000

typedef struct {
    CoreDaemonAdmin *admin;
    int fd;
    GSource *watch;
    GByteArray *in;
    GByteArray *out;
    GArray *fds; /* received, not yet adopted */
    gboolean trusted;
    gboolean closing;     /* close once the output is written */
    CoreRpcClientInfo info; /* as the admin program shows it */
} AdminConn;

struct _CoreDaemonAdmin {
    CoreDaemon *daemon;
    GPtrArray *listen_watches; /* GSource */
    GPtrArray *listen_fds;     /* int as pointer */
    GPtrArray *conns;          /* AdminConn */
    AdminConn *current;        /* whose frame is being handled */
    guint64 next_id;           /* the last connection id handed out */
    guint max_conns;
    guint max_anonymous;       /* only reported (see core-daemon-admin-priv.h) */
    gboolean accept_suspended;
};

static void
conn_free(AdminConn *c)
{
    core_daemon_watch_clear(&c->watch);
    for (guint i = 0; i < c->fds->len; i++)
        g_close(g_array_index(c->fds, int, i), NULL);
    g_array_unref(c->fds);
    g_byte_array_unref(c->in);
    g_byte_array_unref(c->out);
    g_close(c->fd, NULL);
    core_daemon_release(c->admin->daemon);
    g_free(c);
}

/* At the connection limit the listeners stop accepting; further peers
 * wait in the backlog, as the RPC server's do. */
static void
update_accepting(CoreDaemonAdmin *admin)
{
    gboolean full = admin->conns->len >= admin->max_conns;

    if (full == admin->accept_suspended)
        return;
    admin->accept_suspended = full;
    for (guint i = 0; i < admin->listen_watches->len; i++)
        core_daemon_watch_set_events(admin->listen_watches->pdata[i], full ? 0 : G_IO_IN);
}

static void
conn_drop(AdminConn *c)
{
    CoreDaemonAdmin *admin = c->admin;

    g_ptr_array_remove_fast(admin->conns, c);
    update_accepting(admin);
}

static gboolean
conn_flush(AdminConn *c)
{
    while (c->out->len > 0) {
        ssize_t n = send(c->fd, c->out->data, c->out->len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n <= 0)
            return FALSE;
        g_byte_array_remove_range(c->out, 0, (guint)n);
    }
    /* A closing connection reads nothing more: it only waits to write. */
    core_daemon_watch_set_events(c->watch, (c->closing ? 0 : G_IO_IN) |
                                               (c->out->len ? G_IO_OUT : 0));
    return TRUE;
}

static void
queue_frame(AdminConn *c, GByteArray *frame)
{
    core_wire_frame_finish(frame);
    g_byte_array_append(c->out, frame->data, frame->len);
    g_byte_array_unref(frame);
}

static void
reply_error(AdminConn *c, const CoreWireHeader *h, const GError *error)
{
    GByteArray *f = core_wire_frame_new(h->prog, h->vers, h->proc, CORE_WIRE_TYPE_REPLY,
                                        h->serial, CORE_WIRE_STATUS_ERROR);

    core_wire_put_error(f, error);
    queue_frame(c, f);
}

static void
reply_ok(AdminConn *c, const CoreWireHeader *h)
{
    queue_frame(c, core_wire_frame_new(h->prog, h->vers, h->proc, CORE_WIRE_TYPE_REPLY,
                                       h->serial, CORE_WIRE_STATUS_OK));
}

static gboolean
adopt_client(AdminConn *c, const CoreWireHeader *h, const guint8 *payload, gsize len,
             GError **error)
{
    CoreWireReader r = { payload, len, 0 };
    const guint8 *pending = NULL;
    gsize pending_len = 0;
    guint32 flags = 0;
    int fd;

    if (!c->trusted)
        return core_error_set(error, CORE_ERR_OPERATION_DENIED,
                              "client hand-off is only accepted from the same user");
    if (!core_wire_get_u32(&r, &flags) ||
        !core_wire_get_opaque(&r, TRUSTED_MAX_FRAME, &pending, &pending_len) || r.pos != len)
        return core_error_set_full(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                   "Unable to decode message payload");
    if (c->fds->len == 0)
        return core_error_set_full(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                   "client hand-off without a file descriptor");
    fd = g_array_index(c->fds, int, 0);
    g_array_remove_index(c->fds, 0);
    /* The server closes @fd itself when it cannot adopt it. */
    if (!core_rpc_server_add_client_fd_full(core_daemon_get_server(c->admin->daemon), fd,
                                            (flags & CORE_WIRE_HANDOFF_FLAG_READONLY) != 0,
                                            pending, pending_len,
                                            (flags & CORE_WIRE_HANDOFF_FLAG_KEEPALIVE) != 0,
                                            error))
        return FALSE;
    CORE_DEBUG("adopted client fd %d (%s, %zu pending bytes)", fd,
               (flags & CORE_WIRE_HANDOFF_FLAG_READONLY) ? "read-only" : "read-write",
               pending_len);
    return TRUE;
}

static void
admin_call(AdminConn *c, const CoreWireHeader *h, const guint8 *payload, gsize len)
{
    CoreDaemonAdminCall call = { .admin = c->admin, .trusted = c->trusted, .peer = c->info };

    c->admin->current = c;
    queue_frame(c, core_daemon_admin_proto_call(&call, h, payload, len));
    c->admin->current = NULL;
    c->closing = c->closing || call.close_after;
}

static void
handle_frame(AdminConn *c, const CoreWireHeader *h, const guint8 *payload, gsize len)
{
    g_autoptr(GError) error = NULL;

    if (h->prog == CORE_WIRE_PROG_KEEPALIVE && h->type == CORE_WIRE_TYPE_MESSAGE &&
        h->proc == CORE_WIRE_KEEPALIVE_PING) {
        queue_frame(c, core_wire_frame_new(h->prog, 1, CORE_WIRE_KEEPALIVE_PONG,
                                           CORE_WIRE_TYPE_MESSAGE, 0, CORE_WIRE_STATUS_OK));
        return;
    }
    if (h->type != CORE_WIRE_TYPE_CALL)
        return;
    if (h->prog == CORE_WIRE_PROG_HANDOFF && h->vers == 1 &&
        h->proc == CORE_WIRE_HANDOFF_PROC_ADOPT) {
        if (adopt_client(c, h, payload, len, &error))
            reply_ok(c, h);
        else
            reply_error(c, h, error);
        return;
    }
    if (h->prog == CORE_WIRE_PROG_ADMIN && h->vers == 1) {
        admin_call(c, h, payload, len);
        return;
    }
    core_error_set_full(&error, CORE_FROM_RPC, CORE_ERR_RPC, "Cannot find program %u version %u",
                        h->prog, h->vers);
    reply_error(c, h, error);
}

static gboolean
process_input(AdminConn *c)
{
    guint max = c->trusted ? TRUSTED_MAX_FRAME : UNTRUSTED_MAX_FRAME;

    while (c->in->len >= 4 && !c->closing) {
        CoreWireHeader h;
        guint32 len;

        memcpy(&len, c->in->data, 4);
        len = GUINT32_FROM_BE(len);

        /* As libvirtd: a bad length word drops the connection unanswered. */
        if (len < CORE_WIRE_HEADER_LEN || len > max)
            return FALSE;
        if (c->in->len < len)
            break;
        core_wire_parse_header(c->in->data, c->in->len, &h);
        handle_frame(c, &h, c->in->data + CORE_WIRE_HEADER_LEN, h.len - CORE_WIRE_HEADER_LEN);
        g_byte_array_remove_range(c->in, 0, h.len);
    }
    return TRUE;
}

static void
collect_fds(AdminConn *c, struct msghdr *msg)
{
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
        gsize n;

        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (gsize i = 0; i < n; i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            if (c->fds->len < MAX_QUEUED_FDS && c->trusted)
                g_array_append_val(c->fds, fd);
            else
                g_close(fd, NULL);
        }
    }
}

static int
read_some(AdminConn *c)
{
    union {
        char buf[CMSG_SPACE(sizeof(int) * MAX_QUEUED_FDS)];
        struct cmsghdr align;
    } control;
    guint old = c->in->len;
    struct iovec iov;
    struct msghdr msg = { 0 };
    ssize_t n;

    g_byte_array_set_size(c->in, old + READ_CHUNK);
    iov.iov_base = c->in->data + old;
    iov.iov_len = READ_CHUNK;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    do {
        n = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    g_byte_array_set_size(c->in, old + (n > 0 ? (guint)n : 0));
    if (n > 0)
        collect_fds(c, &msg);
    if (n < 0)
        return errno == EAGAIN ? 0 : -1;
    return n == 0 ? -1 : 1;
}

static gboolean
conn_ready(int fd, GIOCondition revents, gpointer data)
{
    AdminConn *c = data;

    if (revents & G_IO_IN) {
        int rc = 0;

        while (!c->closing && (rc = read_some(c)) > 0) {
            if (!process_input(c)) {
                conn_drop(c);
                return G_SOURCE_REMOVE;
            }
        }
        if (rc < 0) {
            /* The peer closed: still try to deliver what it asked for. */
            conn_flush(c);
            conn_drop(c);
            return G_SOURCE_REMOVE;
        }
    } else if (revents & (G_IO_HUP | G_IO_ERR)) {
        conn_drop(c);
        return G_SOURCE_REMOVE;
    }
    if (!conn_flush(c) || (c->closing && c->out->len == 0)) {
        conn_drop(c);
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

/* Who connected: root or the daemon's own user may hand clients over and
 * use the admin program. */
static void
read_peer(AdminConn *c)
{
    core_rpc_client_info_init(&c->info, c->fd);
    c->info.id = ++c->admin->next_id;
    c->trusted = c->info.has_identity && (c->info.uid == 0 || c->info.uid == geteuid());
}

static gboolean
listener_ready(int fd, GIOCondition revents, gpointer data)
{
    CoreDaemonAdmin *admin = data;

    while (!admin->accept_suspended) {
        int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        AdminConn *c;

        if (cfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN)
                CORE_WARN("accept on admin socket failed: %s, ignoring", g_strerror(errno));
            return G_SOURCE_CONTINUE;
        }
        c = g_new0(AdminConn, 1);
        c->admin = admin;
        c->fd = cfd;
        c->in = g_byte_array_new();
        c->out = g_byte_array_new();
        c->fds = g_array_new(FALSE, FALSE, sizeof(int));
        read_peer(c);
        c->watch = core_daemon_watch_new(core_daemon_get_context(admin->daemon), cfd, G_IO_IN,
                                         conn_ready, c);
        core_daemon_hold(admin->daemon);
        g_ptr_array_add(admin->conns, c);
        update_accepting(admin);
    }
    return G_SOURCE_CONTINUE;
}

CoreDaemonAdmin *
core_daemon_admin_new(CoreDaemon *daemon)
{
    CoreDaemonAdmin *admin = g_new0(CoreDaemonAdmin, 1);

    admin->daemon = daemon;
    admin->listen_watches = g_ptr_array_new();
    admin->listen_fds = g_ptr_array_new();
    admin->conns = g_ptr_array_new_with_free_func((GDestroyNotify)conn_free);
    admin->max_conns = DEFAULT_MAX_CONNS;
    return admin;
}

void
core_daemon_admin_free(CoreDaemonAdmin *admin)
{
    if (!admin)
        return;
    for (guint i = 0; i < admin->listen_watches->len; i++) {
        GSource *w = g_ptr_array_index(admin->listen_watches, i);

        core_daemon_watch_clear(&w);
        g_close(GPOINTER_TO_INT(g_ptr_array_index(admin->listen_fds, i)), NULL);
    }
    g_ptr_array_unref(admin->listen_watches);
    g_ptr_array_unref(admin->listen_fds);
    g_ptr_array_unref(admin->conns);
    g_free(admin);
}

gboolean
core_daemon_admin_listen(CoreDaemonAdmin *admin, int fd, GError **error)
{
    GSource *w;

    if (!g_unix_set_fd_nonblocking(fd, TRUE, NULL)) {
        core_error_set_errno(error, errno, "cannot use admin socket");
        g_close(fd, NULL);
        return FALSE;
    }
    w = core_daemon_watch_new(core_daemon_get_context(admin->daemon), fd,
                              admin->accept_suspended ? 0 : G_IO_IN, listener_ready, admin);
    g_ptr_array_add(admin->listen_watches, w);
    g_ptr_array_add(admin->listen_fds, GINT_TO_POINTER(fd));
    return TRUE;
}

/* ---- the "admin" server of the admin program ------------------------------------ */

CoreDaemon *
core_daemon_admin_get_daemon(CoreDaemonAdmin *admin)
{
    return admin->daemon;
}

GArray *
core_daemon_admin_list_conns(CoreDaemonAdmin *admin)
{
    GArray *list = g_array_sized_new(FALSE, FALSE, sizeof(CoreRpcClientInfo), admin->conns->len);

    for (guint i = 0; i < admin->conns->len; i++) {
        AdminConn *c = admin->conns->pdata[i];

        g_array_append_val(list, c->info);
    }
    g_array_sort(list, core_rpc_client_info_compare);
    return list;
}

static AdminConn *
find_conn(CoreDaemonAdmin *admin, guint64 id)
{
    for (guint i = 0; i < admin->conns->len; i++) {
        AdminConn *c = admin->conns->pdata[i];

        if (c->info.id == id)
            return c;
    }
    return NULL;
}

gboolean
core_daemon_admin_get_conn(CoreDaemonAdmin *admin, guint64 id, CoreRpcClientInfo *ret)
{
    AdminConn *c = find_conn(admin, id);

    if (!c)
        return FALSE;
    *ret = c->info;
    return TRUE;
}

gboolean
core_daemon_admin_close_conn(CoreDaemonAdmin *admin, guint64 id)
{
    AdminConn *c = find_conn(admin, id);

    if (!c)
        return FALSE;
    /* The caller's own connection is on the stack: it goes after its reply. */
    if (c == admin->current)
        c->closing = TRUE;
    else
        conn_drop(c);
    return TRUE;
}

void
core_daemon_admin_get_limits(CoreDaemonAdmin *admin, CoreRpcServerLimits *ret)
{
    ret->max_clients = admin->max_conns;
    ret->n_clients = admin->conns->len;
    ret->max_anonymous = admin->max_anonymous;
    ret->n_anonymous = 0;
}

gboolean
core_daemon_admin_set_limits(CoreDaemonAdmin *admin, gint64 max_clients, gint64 max_anonymous,
                             GError **error)
{
    gint64 max = max_clients >= 0 ? max_clients : admin->max_conns;
    gint64 anon = max_anonymous >= 0 ? max_anonymous : admin->max_anonymous;

    if (max > G_MAXUINT || anon > G_MAXUINT)
        return core_error_set(error, CORE_ERR_INVALID_ARG, "client limit too large");
    if (max < anon)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "The overall maximum number of clients waiting for "
                              "authentication must not be less than the overall maximum "
                              "number of clients");
    /* With no room at all nobody could ever connect to raise it again. */
    if (max == 0)
        return core_error_set(error, CORE_ERR_INVALID_ARG,
                              "the admin server needs room for at least one client");
    admin->max_conns = (guint)max;
    admin->max_anonymous = (guint)anon;
    update_accepting(admin);
    return TRUE;
}
