/* rpc-test-client: see rpc-test-client.h. */
#include "rpc-test-client.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "core-error.h"
#include "core-rpc-error.h"
#include "core-rpc-protocol.h"

void
rpc_test_frame_free(RpcTestFrame *f)
{
    if (!f)
        return;
    g_bytes_unref(f->packet);
    g_free(f);
}

int
rpc_test_connect(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    struct timeval tv = { .tv_sec = 5 };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

gboolean
rpc_test_write(int fd, const void *data, gsize len)
{
    const guint8 *p = data;

    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        p += n;
        len -= (gsize)n;
    }
    return TRUE;
}

gboolean
rpc_test_send(int fd, guint32 prog, guint32 vers, int proc, int type, guint32 serial,
              int status, const void *payload, gsize len)
{
    CoreRpcHeader h = { prog, vers, proc, type, serial, status };
    g_autoptr(GBytes) b = core_rpc_message_build(&h, payload, len, NULL);

    g_assert_nonnull(b);
    return rpc_test_write(fd, g_bytes_get_data(b, NULL), g_bytes_get_size(b));
}

gboolean
rpc_test_call(int fd, int proc, guint32 serial, gconstpointer args)
{
    const CoreRpcProcInfo *info = core_rpc_program_lookup(&core_rpc_remote_program, proc);
    CoreXdrWriter w;
    gboolean ok;

    g_assert_nonnull(info);
    core_xdr_writer_init(&w);
    if (info->args_encode)
        g_assert_true(info->args_encode(&w, args, NULL));
    ok = rpc_test_send(fd, CORE_RPC_REMOTE_PROGRAM, 1, proc, CORE_RPC_CALL, serial, 0,
                       w.buf->data, w.buf->len);
    core_xdr_writer_clear(&w);
    return ok;
}

static gboolean
read_exact(int fd, guint8 *buf, gsize len)
{
    while (len) {
        ssize_t n = recv(fd, buf, len, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        buf += n;
        len -= (gsize)n;
    }
    return TRUE;
}

RpcTestFrame *
rpc_test_read(int fd)
{
    guint8 lenbuf[4];
    guint32 len;
    g_autofree guint8 *data = NULL;
    CoreRpcMessage msg;
    RpcTestFrame *f;

    if (!read_exact(fd, lenbuf, 4))
        return NULL;
    memcpy(&len, lenbuf, 4);
    len = GUINT32_FROM_BE(len);
    g_assert_true(core_rpc_length_valid(len));
    data = g_malloc(len);
    memcpy(data, lenbuf, 4);
    if (!read_exact(fd, data + 4, len - 4))
        return NULL;
    g_assert_true(core_rpc_message_decode(data, len, &msg, NULL));
    f = g_new0(RpcTestFrame, 1);
    f->header = msg.header;
    f->packet = g_bytes_new_take(g_steal_pointer(&data), len);
    f->payload = (const guint8 *)g_bytes_get_data(f->packet, NULL) + (len - msg.payload_len);
    f->payload_len = msg.payload_len;
    return f;
}

RpcTestFrame *
rpc_test_reply(int fd, guint32 serial)
{
    for (;;) {
        RpcTestFrame *f = rpc_test_read(fd);

        if (!f)
            return NULL;
        if (f->header.type == CORE_RPC_REPLY && f->header.serial == serial)
            return f;
        g_assert_true(f->header.type == CORE_RPC_MESSAGE);
        rpc_test_frame_free(f);
    }
}

void
rpc_test_decode_ret(const RpcTestFrame *f, int proc, gpointer ret)
{
    const CoreRpcProcInfo *info = core_rpc_program_lookup(&core_rpc_remote_program, proc);
    g_autoptr(GError) err = NULL;
    CoreXdrReader r;

    g_assert_cmpint(f->header.status, ==, CORE_RPC_STATUS_OK);
    core_xdr_reader_init(&r, f->payload, f->payload_len);
    if (info->ret_decode)
        g_assert_true(info->ret_decode(&r, ret, &err));
    g_assert_no_error(err);
    g_assert_true(core_xdr_reader_finish(&r, NULL));
}

GError *
rpc_test_reply_error(const RpcTestFrame *f)
{
    GError *err = NULL;
    CoreXdrReader r;

    g_assert_cmpint(f->header.type, ==, CORE_RPC_REPLY);
    g_assert_cmpint(f->header.status, ==, CORE_RPC_STATUS_ERROR);
    core_xdr_reader_init(&r, f->payload, f->payload_len);
    g_assert_true(core_rpc_error_from_wire(&r, &err, NULL));
    g_assert_true(core_xdr_reader_finish(&r, NULL));
    return err;
}

void
rpc_test_call_ok(int fd, int proc, guint32 serial, gconstpointer args, gpointer ret)
{
    g_autoptr(RpcTestFrame) f = NULL;

    g_assert_true(rpc_test_call(fd, proc, serial, args));
    f = rpc_test_reply(fd, serial);
    g_assert_nonnull(f);
    if (f->header.status != CORE_RPC_STATUS_OK) {
        g_autoptr(GError) err = rpc_test_reply_error(f);

        g_error("proc %d failed: %s", proc, err->message);
    }
    g_assert_cmpint(f->header.proc, ==, proc);
    if (ret)
        rpc_test_decode_ret(f, proc, ret);
}

GError *
rpc_test_call_err(int fd, int proc, guint32 serial, gconstpointer args)
{
    g_autoptr(RpcTestFrame) f = NULL;

    g_assert_true(rpc_test_call(fd, proc, serial, args));
    f = rpc_test_reply(fd, serial);
    g_assert_nonnull(f);
    return rpc_test_reply_error(f);
}

gboolean
rpc_test_wait_eof(int fd)
{
    guint8 buf[1024];

    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);

        if (n == 0)
            return TRUE;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == ECONNRESET;
    }
}

void
rpc_test_open(int fd, const char *uri, guint flags)
{
    CoreRpcAuthListRet auth = { 0 };
    CoreRpcConnectOpenArgs open_args = { .name = (char *)uri, .flags = flags };

    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_AUTH_LIST, 0, NULL, &auth);
    g_assert_cmpuint(auth.types_len, ==, 1);
    g_assert_cmpint(auth.types[0], ==, 0);
    core_rpc_auth_list_ret_clear(&auth);
    rpc_test_call_ok(fd, CORE_RPC_REMOTE_PROC_CONNECT_OPEN, 1, &open_args, NULL);
}
