/* core-rpc-dispatch: see core-rpc-dispatch.h. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include "core-rpc-dispatch.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "core-error.h"
#include "core-log.h"
#include "core-rpc-error.h"
#include "core-rpc-protocol.h"
#include "core-rpc-session-priv.h"
#include "core-rpc-stream.h"

CORE_LOG_INIT("core.rpc.dispatch");

struct _CoreRpcJob {
    CoreRpcSession *session;
    const CoreRpcProcInfo *info;
    CoreRpcHeader header;
    int proc;
    gpointer args;
    int *fds;
    guint nfds;
};

const CoreRpcProcInfo *
core_rpc_program_lookup(const CoreRpcProgram *program, int proc)
{
    if (proc <= 0 || proc >= program->nprocs || !program->procs[proc].name)
        return NULL;
    return &program->procs[proc];
}

gboolean
core_rpc_no_support(GError **error, int from, const char *api)
{
    return core_error_set_full(error, from, CORE_ERR_NO_SUPPORT, "%s", api);
}

gboolean
core_rpc_list_result(GPtrArray *list, gboolean need_results, gpointer **ret_items,
                     guint *ret_len, guint32 *ret_count, GDestroyNotify free_elem,
                     GError **error)
{
    gsize n = 0;
    gpointer *items = g_ptr_array_steal(list, &n);

    g_ptr_array_unref(list);
    *ret_count = (guint32)n;
    if (need_results) {
        *ret_items = items;
        *ret_len = (guint)n;
        return TRUE;
    }
    for (gsize i = 0; i < n; i++)
        free_elem(items[i]);
    g_free(items);
    return TRUE;
}

CoreRpcSession *
core_rpc_session_new(gboolean readonly, const CoreRpcSessionHooks *hooks)
{
    CoreRpcSession *s = g_new0(CoreRpcSession, 1);

    g_mutex_init(&s->lock);
    s->hooks = *hooks;
    s->readonly = readonly;
    s->regs = g_array_new(FALSE, TRUE, sizeof(CoreRpcEventReg));
    return s;
}

void
core_rpc_session_free(CoreRpcSession *session)
{
    if (!session)
        return;
    core_rpc_stream_session_closed(session);
    if (session->conn) {
        core_rpc_session_events_disable_all(session);
        /* After close() returns the driver no longer calls our sink. */
        if (session->driver->host && session->driver->host->close)
            session->driver->host->close(session->conn);
    }
    g_mutex_lock(&session->lock);
    session->dead = TRUE;
    g_mutex_unlock(&session->lock);
    g_array_unref(session->regs);
    g_mutex_clear(&session->lock);
    g_free(session);
}

gboolean
core_rpc_session_is_open(CoreRpcSession *session)
{
    return session->driver != NULL;
}

gboolean
core_rpc_session_is_readonly(CoreRpcSession *session)
{
    return session->readonly;
}

gboolean
core_rpc_session_keepalive_requested(CoreRpcSession *session)
{
    return session->keepalive;
}

void
core_rpc_session_set_keepalive_requested(CoreRpcSession *session, gboolean requested)
{
    session->keepalive = requested;
}

/* ---- replies ---------------------------------------------------------------- */

static CoreRpcHeader
reply_header(const CoreRpcHeader *call, int status)
{
    CoreRpcHeader h = *call;

    h.type = CORE_RPC_REPLY;
    h.status = status;
    return h;
}

GBytes *
core_rpc_build_error_reply(const CoreRpcHeader *call, const GError *err)
{
    CoreRpcHeader h = reply_header(call, CORE_RPC_STATUS_ERROR);
    CoreXdrWriter w;
    GBytes *out = NULL;

    core_xdr_writer_init(&w);
    core_rpc_message_begin(&w, &h, 0);
    if (core_rpc_error_to_wire(err, &w, NULL) && core_rpc_message_end(&w, NULL))
        out = core_xdr_writer_steal(&w);
    core_xdr_writer_clear(&w);
    return out;
}

static GBytes *
build_ok_reply(const CoreRpcHeader *call, const CoreRpcProcInfo *info, gconstpointer ret,
               GError **error)
{
    CoreRpcHeader h = reply_header(call, CORE_RPC_STATUS_OK);
    CoreXdrWriter w;
    GBytes *out = NULL;

    core_xdr_writer_init(&w);
    core_rpc_message_begin(&w, &h, 0);
    /* The buffer itself becomes the reply: core_xdr_writer_steal() would
     * allocate a fresh one only for the clear below to free it, on every
     * call. */
    if ((!info->ret_encode || info->ret_encode(&w, ret, error)) &&
        core_rpc_message_end(&w, error))
        out = g_byte_array_free_to_bytes(g_steal_pointer(&w.buf));
    core_xdr_writer_clear(&w);
    return out;
}

static GBytes *
rpc_error_reply(const CoreRpcHeader *call, CoreErrorCode code, const char *message)
{
    g_autoptr(GError) err = NULL;

    core_error_set_literal(&err, CORE_FROM_RPC, code, message);
    return core_rpc_build_error_reply(call, err);
}

/* ---- checks ------------------------------------------------------------------- */

static void
close_fds(int *fds, guint nfds)
{
    for (guint i = 0; i < nfds; i++) {
        if (fds[i] >= 0)
            g_close(fds[i], NULL);
    }
    g_free(fds);
}

static CoreRpcAction
handle_keepalive(const CoreRpcMessage *msg, GBytes **ret_reply)
{
    CoreRpcHeader pong = {
        .prog = CORE_RPC_KEEPALIVE_PROGRAM,
        .vers = CORE_RPC_PROTOCOL_VERSION,
        .proc = CORE_RPC_KEEPALIVE_PONG,
        .type = CORE_RPC_MESSAGE,
        .serial = 0,
        .status = CORE_RPC_STATUS_OK,
    };

    if (msg->header.type != CORE_RPC_MESSAGE || msg->header.proc != CORE_RPC_KEEPALIVE_PING)
        return CORE_RPC_ACTION_NONE;
    *ret_reply = core_rpc_message_build(&pong, NULL, 0, NULL);
    return *ret_reply ? CORE_RPC_ACTION_REPLY : CORE_RPC_ACTION_NONE;
}

static gboolean
is_call(const CoreRpcMessage *msg)
{
    return msg->header.type == CORE_RPC_CALL || msg->header.type == CORE_RPC_CALL_WITH_FDS;
}

/* Calls to the QEMU and LXC programs, which libvirt clients may send on any
 * connection: not offered by Vireo's drivers. */
static GBytes *
other_program_reply(CoreRpcSession *session, const CoreRpcMessage *msg)
{
    g_autoptr(GError) err = NULL;

    if (!session->driver)
        core_error_set(&err, CORE_ERR_INTERNAL_ERROR, "hypervisor connection not open");
    else
        core_rpc_no_support(&err, CORE_FROM_DOMAIN,
                            msg->header.prog == CORE_RPC_QEMU_PROGRAM ? "virDomainQemu"
                                                                      : "virDomainLxc");
    return core_rpc_build_error_reply(&msg->header, err);
}

/* The checks libvirtd makes before calling a procedure, in its order.
 * Returns the error reply, or NULL when the call may proceed. */
static GBytes *
check_call(CoreRpcSession *session, const CoreRpcMessage *msg, const CoreRpcProcInfo **ret_info)
{
    const CoreRpcHeader *h = &msg->header;
    const CoreRpcProcInfo *info;
    g_autofree char *text = NULL;

    if (h->status != CORE_RPC_STATUS_OK) {
        text = g_strdup_printf("Unexpected message status %d", h->status);
        return rpc_error_reply(h, CORE_ERR_RPC, text);
    }
    info = core_rpc_program_lookup(&core_rpc_remote_program, h->proc);
    if (!info || (info->flags & CORE_RPC_PROC_EVENT)) {
        text = g_strdup_printf("unknown procedure: %d", h->proc);
        return rpc_error_reply(h, CORE_ERR_RPC, text);
    }
    *ret_info = info;
    return NULL;
}

static GBytes *
check_access(CoreRpcSession *session, const CoreRpcHeader *h, const CoreRpcProcInfo *info)
{
    g_autoptr(GError) err = NULL;

    if (!session->driver && !(info->flags & CORE_RPC_PROC_NOCONN))
        core_error_set(&err, CORE_ERR_INTERNAL_ERROR, "hypervisor connection not open");
    else if (session->readonly && !(info->flags & CORE_RPC_PROC_READONLY))
        core_error_set_full(&err, info->from, CORE_ERR_OPERATION_DENIED,
                            "read only access prevents %s", info->api);
    else if (info->flags & CORE_RPC_PROC_UNSUPPORTED)
        core_rpc_no_support(&err, info->from, info->api);
    else
        return NULL;
    CORE_DEBUG("proc %d refused: %s", h->proc, err->message);
    return core_rpc_build_error_reply(h, err);
}

static GBytes *
decode_args(const CoreRpcMessage *msg, const CoreRpcProcInfo *info, gpointer *ret_args)
{
    g_autoptr(GError) err = NULL;
    CoreXdrReader r;
    gpointer args;

    *ret_args = NULL;
    if (!info->args_decode)
        return NULL;
    args = g_malloc0(info->args_size);
    core_xdr_reader_init(&r, msg->payload, msg->payload_len);
    if (!info->args_decode(&r, args, &err)) {
        CORE_DEBUG("proc %d: cannot decode arguments: %s", msg->header.proc, err->message);
        info->args_clear(args);
        g_free(args);
        return rpc_error_reply(&msg->header, CORE_ERR_RPC, "Unable to decode message payload");
    }
    *ret_args = args;
    return NULL;
}

static CoreRpcAction
reply_action(GBytes *reply, GBytes **ret_reply)
{
    *ret_reply = reply;
    return reply ? CORE_RPC_ACTION_REPLY : CORE_RPC_ACTION_NONE;
}

CoreRpcAction
core_rpc_session_handle(CoreRpcSession *session, const CoreRpcMessage *msg, int *fds,
                        guint nfds, GBytes **ret_reply, CoreRpcJob **ret_job)
{
    const CoreRpcHeader *h = &msg->header;
    const CoreRpcProcInfo *info = NULL;
    gpointer args = NULL;
    GBytes *reply;
    CoreRpcJob *job;

    *ret_reply = NULL;
    *ret_job = NULL;
    if (h->prog == CORE_RPC_KEEPALIVE_PROGRAM && h->vers == CORE_RPC_PROTOCOL_VERSION) {
        close_fds(fds, nfds);
        return handle_keepalive(msg, ret_reply);
    }
    if (h->type == CORE_RPC_STREAM && h->prog == CORE_RPC_REMOTE_PROGRAM) {
        close_fds(fds, nfds);
        return reply_action(core_rpc_stream_incoming(session, msg), ret_reply);
    }
    if (!is_call(msg)) {
        /* Replies, events and stray stream packets from a client are
         * ignored, as libvirtd does. */
        close_fds(fds, nfds);
        return CORE_RPC_ACTION_NONE;
    }
    if (h->vers == CORE_RPC_PROTOCOL_VERSION &&
        (h->prog == CORE_RPC_QEMU_PROGRAM || h->prog == CORE_RPC_LXC_PROGRAM)) {
        close_fds(fds, nfds);
        return reply_action(other_program_reply(session, msg), ret_reply);
    }
    if (h->prog != CORE_RPC_REMOTE_PROGRAM || h->vers != CORE_RPC_PROTOCOL_VERSION) {
        g_autofree char *text = g_strdup_printf("Cannot find program %u version %u", h->prog,
                                                h->vers);

        close_fds(fds, nfds);
        return reply_action(rpc_error_reply(h, CORE_ERR_RPC, text), ret_reply);
    }
    if ((reply = check_call(session, msg, &info)) ||
        (reply = decode_args(msg, info, &args)) || (reply = check_access(session, h, info))) {
        if (args) {
            info->args_clear(args);
            g_free(args);
        }
        close_fds(fds, nfds);
        return reply_action(reply, ret_reply);
    }

    job = g_new0(CoreRpcJob, 1);
    job->session = session;
    job->info = info;
    job->header = *h;
    job->proc = h->proc;
    job->args = args;
    job->fds = fds;
    job->nfds = nfds;
    session->jobs++;
    *ret_job = job;
    return CORE_RPC_ACTION_JOB;
}

/* Where a call runs. The annotation in remote-procs.def decides for every
 * driver: "inline" calls are cheap and run on the main loop. A connection
 * whose driver is CORE_DRIVER_NONBLOCKING runs its other calls there too:
 * a worker would only add two thread switches and a main-loop wake-up to
 * a few microseconds of work. These keep their annotated place even then:
 *
 * - CONNECT_OPEN and the other calls allowed before it: no driver is
 *   chosen yet. OPEN is annotated inline, and must be: the client marks
 *   itself opened on the inline path only. CONNECT_CLOSE is inline as
 *   well; the socket closes once the replies still outstanding are sent.
 * - event (de)registration: annotated inline already, for every driver.
 * - calls annotated "worker": those that open a data stream (OPEN_CHANNEL,
 *   SCREENSHOT, STORAGE_VOL_UPLOAD/DOWNLOAD; the relay of core-rpc-stream.c
 *   lives on the main loop and the opening call must be ordered before the
 *   first data packet, and OPEN_CONSOLE is inline for that reason), and
 *   those that read or write a client-chosen host path (save, restore,
 *   core dump: a FIFO or a hung NFS mount blocks an in-memory driver too).
 * - calls carrying descriptors ("fds"): the client's end may never answer.
 * - any call while an earlier call of the same session is still on a
 *   worker: running it at once would overtake that call, so it queues
 *   behind it on the pool and counts against the client's window of
 *   requests in the pool, as before. (Inline calls never hold a slot of
 *   that window: they are done before the next packet is read; the
 *   bounded output queue is what limits them.)
 */
static gboolean
stays_on_worker(const CoreRpcProcInfo *info)
{
    return (info->flags & (CORE_RPC_PROC_NOCONN | CORE_RPC_PROC_FDS | CORE_RPC_PROC_WORKER)) != 0;
}

gboolean
core_rpc_job_is_inline(const CoreRpcJob *job)
{
    const CoreRpcSession *s = job->session;

    if (job->info->flags & CORE_RPC_PROC_INLINE)
        return TRUE;
    /* s->jobs counts @job itself */
    return s->driver && (s->driver->flags & CORE_DRIVER_NONBLOCKING) && s->jobs == 1 &&
           !stays_on_worker(job->info);
}

int
core_rpc_job_proc(const CoreRpcJob *job)
{
    return job->proc;
}

static gboolean
is_not_found(const GError *err)
{
    switch (err->code) {
    case CORE_ERR_NO_DOMAIN:
    case CORE_ERR_NO_NETWORK:
    case CORE_ERR_NO_STORAGE_POOL:
    case CORE_ERR_NO_STORAGE_VOL:
    case CORE_ERR_NO_SUPPORT:
        return TRUE;
    default:
        return FALSE;
    }
}

GBytes *
core_rpc_job_run(CoreRpcJob *job, gboolean *ret_close)
{
    const CoreRpcProcInfo *info = job->info;
    CoreRpcSession *s = job->session;
    CoreRpcCall call = {
        .driver = s->driver,
        .conn = s->conn,
        .session = s,
        .fds = job->fds,
        .nfds = job->nfds,
        .header = &job->header,
    };
    g_autoptr(GError) err = NULL;
    /* Most reply structs are small: no allocation per call for them. */
    union {
        guint64 align_u;
        long double align_f;
        gpointer align_p;
        guint8 bytes[256];
    } small = { 0 };
    g_autofree gpointer heap = info->ret_size > sizeof(small) ? g_malloc0(info->ret_size) : NULL;
    gpointer ret = heap ? heap : info->ret_size ? (gpointer)&small : NULL;
    GBytes *reply = NULL;

    *ret_close = job->proc == CORE_RPC_REMOTE_PROC_CONNECT_CLOSE;
    if (info->handler(&call, job->args, ret, &err))
        reply = build_ok_reply(&job->header, info, ret, &err);
    else if (!err)
        core_error_set(&err, CORE_ERR_INTERNAL_ERROR, "%s failed without an error", info->api);
    if (ret)
        info->ret_clear(ret);
    if (!reply) {
        if (is_not_found(err))
            CORE_DEBUG("%s: %s", info->name, err->message);
        else
            CORE_INFO("%s failed: %s", info->name, err->message);
        reply = core_rpc_build_error_reply(&job->header, err);
    }
    return reply;
}

void
core_rpc_job_free(CoreRpcJob *job)
{
    if (!job)
        return;
    job->session->jobs--;
    if (job->args) {
        job->info->args_clear(job->args);
        g_free(job->args);
    }
    close_fds(job->fds, job->nfds);
    g_free(job);
}

gboolean
core_rpc_session_peek_open(const CoreRpcMessage *msg, char **ret_uri, guint *ret_flags)
{
    CoreRpcConnectOpenArgs args = { 0 };
    CoreXdrReader r;
    gboolean ok;

    if (msg->header.prog != CORE_RPC_REMOTE_PROGRAM ||
        msg->header.vers != CORE_RPC_PROTOCOL_VERSION || !is_call(msg) ||
        msg->header.status != CORE_RPC_STATUS_OK ||
        msg->header.proc != CORE_RPC_REMOTE_PROC_CONNECT_OPEN)
        return FALSE;
    core_xdr_reader_init(&r, msg->payload, msg->payload_len);
    ok = core_rpc_connect_open_args_decode(&r, &args, NULL);
    if (ok) {
        *ret_uri = args.name ? g_steal_pointer(&args.name) : g_strdup("");
        *ret_flags = args.flags;
    }
    core_rpc_connect_open_args_clear(&args);
    return ok;
}
