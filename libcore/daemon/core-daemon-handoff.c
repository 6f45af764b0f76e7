/* core-daemon-handoff: see core-daemon-handoff.h. */
#include "core-daemon-handoff.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "core-daemon-watch.h"
#include "core-daemon-wire.h"
#include "core-error.h"
#include "core-log.h"

#define CORE_FROM_THIS CORE_FROM_RPC

CORE_LOG_INIT("core.daemon.handoff");

struct _CoreDaemonHandoff {
    int fd;         /* connection to the target's admin socket */
    int client_fd;  /* (not owned) sent with the first byte */
    GSource *watch;
    GSource *timer;
    GByteArray *out;
    gsize sent;
    GByteArray *in;
    CoreDaemonHandoffDone done;
    gpointer data;
};

int
core_daemon_connect_unix(const char *path, GError **error)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_SYSTEM_ERROR,
                               "socket path is too long");
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        core_error_set_errno(error, errno, "cannot create a socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        core_error_set_errno(error, errno, "cannot connect to '%s'", path);
        g_close(fd, NULL);
        return -1;
    }
    return fd;
}

static void
handoff_free(CoreDaemonHandoff *h)
{
    core_daemon_watch_clear(&h->watch);
    core_daemon_watch_clear(&h->timer);
    g_byte_array_unref(h->out);
    g_byte_array_unref(h->in);
    g_close(h->fd, NULL);
    g_free(h);
}

static void
finish(CoreDaemonHandoff *h, GError *error, gboolean may_retry)
{
    CoreDaemonHandoffDone done = h->done;
    gpointer data = h->data;

    handoff_free(h);
    done(error, may_retry, data);
    if (error)
        g_error_free(error);
}

static gboolean
send_more(CoreDaemonHandoff *h)
{
    while (h->sent < h->out->len) {
        struct iovec iov = { h->out->data + h->sent, h->out->len - h->sent };
        union {
            char buf[CMSG_SPACE(sizeof(int))];
            struct cmsghdr align;
        } control;
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
        ssize_t n;

        if (h->sent == 0) {
            struct cmsghdr *cm;

            memset(&control, 0, sizeof(control));
            msg.msg_control = control.buf;
            msg.msg_controllen = sizeof(control.buf);
            cm = CMSG_FIRSTHDR(&msg);
            cm->cmsg_level = SOL_SOCKET;
            cm->cmsg_type = SCM_RIGHTS;
            cm->cmsg_len = CMSG_LEN(sizeof(int));
            memcpy(CMSG_DATA(cm), &h->client_fd, sizeof(int));
        }
        n = sendmsg(h->fd, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return TRUE;
        if (n <= 0)
            return FALSE;
        h->sent += (gsize)n;
    }
    return TRUE;
}

/* TRUE when the answer is complete (then *ret_error is the outcome). */
static gboolean
parse_reply(CoreDaemonHandoff *h, GError **ret_error)
{
    CoreWireHeader hdr;
    CoreWireReader r;

    if (h->in->len < CORE_WIRE_HEADER_LEN)
        return FALSE;
    if (!core_wire_parse_header(h->in->data, h->in->len, &hdr) || hdr.len > 65536) {
        core_error_set(ret_error, CORE_ERR_RPC, "malformed hand-off reply");
        return TRUE;
    }
    if (h->in->len < hdr.len)
        return FALSE;
    if (hdr.prog != CORE_WIRE_PROG_HANDOFF || hdr.type != CORE_WIRE_TYPE_REPLY) {
        core_error_set(ret_error, CORE_ERR_RPC, "unexpected hand-off reply");
        return TRUE;
    }
    if (hdr.status == CORE_WIRE_STATUS_OK)
        return TRUE;
    r = (CoreWireReader){ h->in->data + CORE_WIRE_HEADER_LEN, hdr.len - CORE_WIRE_HEADER_LEN, 0 };
    *ret_error = core_wire_get_error(&r);
    if (!*ret_error)
        core_error_set(ret_error, CORE_ERR_RPC, "malformed hand-off error reply");
    return TRUE;
}

static gboolean
on_ready(int fd, GIOCondition revents, gpointer data)
{
    CoreDaemonHandoff *h = data;
    GError *error = NULL;
    guint8 buf[512];
    ssize_t n;

    if ((revents & G_IO_OUT) && !send_more(h)) {
        core_error_set_errno(&error, errno, "cannot send the client to the target daemon");
        finish(h, error, TRUE);
        return G_SOURCE_REMOVE;
    }
    if (revents & (G_IO_IN | G_IO_HUP | G_IO_ERR)) {
        n = recv(h->fd, buf, sizeof(buf), 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return G_SOURCE_CONTINUE;
        if (n <= 0) {
            core_error_set(&error, CORE_ERR_RPC, "target daemon closed the hand-off connection");
            finish(h, error, TRUE);
            return G_SOURCE_REMOVE;
        }
        g_byte_array_append(h->in, buf, (guint)n);
        if (parse_reply(h, &error)) {
            finish(h, error, TRUE);
            return G_SOURCE_REMOVE;
        }
    }
    core_daemon_watch_set_events(h->watch, h->sent < h->out->len ? G_IO_IN | G_IO_OUT : G_IO_IN);
    return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout(gpointer data)
{
    CoreDaemonHandoff *h = data;
    GError *error = NULL;

    core_error_set(&error, CORE_ERR_OPERATION_TIMEOUT, "target daemon did not answer the hand-off");
    finish(h, error, FALSE);
    return G_SOURCE_REMOVE;
}

CoreDaemonHandoff *
core_daemon_handoff_start(GMainContext *ctx, const char *admin_path, int client_fd, guint32 flags,
                          const guint8 *pending, gsize pending_len, guint timeout_ms,
                          CoreDaemonHandoffDone done, gpointer data, GError **error)
{
    CoreDaemonHandoff *h;
    int fd = core_daemon_connect_unix(admin_path, error);

    if (fd < 0)
        return NULL;
    h = g_new0(CoreDaemonHandoff, 1);
    h->fd = fd;
    h->client_fd = client_fd;
    h->done = done;
    h->data = data;
    h->in = g_byte_array_new();
    h->out = core_wire_frame_new(CORE_WIRE_PROG_HANDOFF, 1, CORE_WIRE_HANDOFF_PROC_ADOPT,
                                 CORE_WIRE_TYPE_CALL, 0, CORE_WIRE_STATUS_OK);
    core_wire_put_u32(h->out, flags);
    core_wire_put_opaque(h->out, pending, pending_len);
    core_wire_frame_finish(h->out);
    h->watch = core_daemon_watch_new(ctx, fd, G_IO_IN | G_IO_OUT, on_ready, h);
    h->timer = g_timeout_source_new(timeout_ms);
    g_source_set_callback(h->timer, on_timeout, h, NULL);
    g_source_attach(h->timer, ctx);
    CORE_DEBUG("handing client fd %d to '%s' (%zu pending bytes)", client_fd, admin_path,
               pending_len);
    return h;
}

void
core_daemon_handoff_cancel(CoreDaemonHandoff *handoff)
{
    if (handoff)
        handoff_free(handoff);
}
