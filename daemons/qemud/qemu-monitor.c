/* qemu-monitor: see qemu-monitor.h.
 *
 * Wire facts (QEMU's QMP): one JSON object per line, terminated by CRLF.
 * The first message is the greeting {"QMP": {"version": ..., "capabilities":
 * [...]}}; commands fail until "qmp_capabilities" succeeded. Replies carry
 * "return" or "error" and echo the command's "id"; events carry "event",
 * optional "data" and "timestamp" {"seconds", "microseconds"}. A reply with
 * no id answers input QEMU could not parse; it is charged to the oldest
 * command sent, since QEMU answers in order.
 */
#include "qemu-monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-log.h"

#define CORE_FROM_THIS CORE_FROM_QEMU
CORE_LOG_INIT("qemu.monitor");

#define READ_CHUNK 65536
#define READS_PER_DISPATCH 64
#define JSON_MAX_DEPTH 128

typedef enum {
    MON_GREETING,    /* waiting for the greeting */
    MON_NEGOTIATING, /* qmp_capabilities sent */
    MON_READY,
    MON_DEAD, /* failed or closed */
} MonState;

typedef struct {
    QemuMonitor *mon; /* strong while the command exists */
    char *id;         /* NULL for a ready barrier */
    char *name;
    char *wire; /* the serialized line until it is queued for writing */
    QemuMonitorReplyFunc callback;
    gpointer user_data;
    GSource *timer;
    GSource *idle;    /* deferred completion */
    GError *deferred; /* error for the deferred completion */
    gboolean sent;
} MonCommand;

struct _QemuMonitor {
    gatomicrefcount ref;
    GMainContext *context;
    int fd;
    GSource *in_source;
    GSource *out_source;
    GByteArray *in;
    gsize in_scanned; /* bytes of @in already searched for a newline */
    GByteArray *out;
    gsize max_message;
    MonState state;
    guint64 next_id;
    GQueue commands;      /* MonCommand, in submission order */
    GQueue ready_waiters; /* MonCommand barriers */
    GHashTable *by_id;    /* id -> MonCommand (transfer none) */
    QemuMonitorCallbacks callbacks;
    gpointer user_data;
    gboolean have_version;
    int ver_major, ver_minor, ver_micro;
    char *package;
    GError *dead_error;
    GThread *dispatch_thread;
    int dispatch_depth;
};

static void mon_fail(QemuMonitor *mon, GError *error);
static void mon_flush(QemuMonitor *mon);

/* ---- errors --------------------------------------------------------------- */

static GError *
mon_error_new(CoreErrorCode code, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static GError *
mon_error_new(CoreErrorCode code, const char *fmt, ...)
{
    GError *err = NULL;
    g_autofree char *detail = NULL;
    va_list ap;

    va_start(ap, fmt);
    detail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    core_error_set(&err, code, "%s", detail);
    return err;
}

/* QEMU's error reply: the class goes into str3 so that callers can test it
 * without parsing the message. */
static GError *
mon_error_from_reply(const char *command, json_object *error)
{
    json_object *jclass = NULL;
    json_object *jdesc = NULL;
    const char *klass = "GenericError";
    const char *desc = "unknown error";
    g_autofree char *detail = NULL;
    g_autofree char *message = NULL;
    const char *summary = core_error_code_summary(CORE_ERR_INTERNAL_ERROR);

    if (json_object_is_type(error, json_type_object)) {
        if (json_object_object_get_ex(error, "class", &jclass) &&
            json_object_is_type(jclass, json_type_string))
            klass = json_object_get_string(jclass);
        if (json_object_object_get_ex(error, "desc", &jdesc) &&
            json_object_is_type(jdesc, json_type_string))
            desc = json_object_get_string(jdesc);
    }
    detail = g_strdup_printf("unable to execute QEMU command '%s': %s (%s)",
                             command ? command : "?", desc, klass);
    message = g_strdup_printf("%s: %s", summary, detail);
    return core_error_new_wire(CORE_ERR_INTERNAL_ERROR, CORE_FROM_QEMU, CORE_ERROR_LEVEL_ERROR,
                               message, summary, detail, klass, -1, -1);
}

const char *
qemu_monitor_error_class(const GError *error)
{
    const CoreErrorExtra *extra;

    if (!error || error->domain != CORE_ERROR || error->code != CORE_ERR_INTERNAL_ERROR)
        return NULL;
    extra = core_error_get_extra(error);
    if (!extra || extra->from != CORE_FROM_QEMU)
        return NULL;
    return extra->str3;
}

/* ---- callbacks -------------------------------------------------------------- */

/* Every user callback runs between these two, so that a sync call from a
 * callback can be refused instead of dead-locking. */
static void
mon_enter(QemuMonitor *mon)
{
    mon->dispatch_depth++;
    mon->dispatch_thread = g_thread_self();
}

static void
mon_leave(QemuMonitor *mon)
{
    if (--mon->dispatch_depth == 0)
        mon->dispatch_thread = NULL;
}

static void
command_free(MonCommand *cmd)
{
    if (cmd->timer) {
        g_source_destroy(cmd->timer);
        g_source_unref(cmd->timer);
    }
    if (cmd->idle) {
        g_source_destroy(cmd->idle);
        g_source_unref(cmd->idle);
    }
    g_clear_error(&cmd->deferred);
    g_free(cmd->id);
    g_free(cmd->name);
    g_free(cmd->wire);
    qemu_monitor_unref(cmd->mon);
    g_free(cmd);
}

/* Unlinks @cmd from the monitor and runs its callback once. */
static void
command_complete(MonCommand *cmd, json_object *ret, const GError *error)
{
    QemuMonitor *mon = cmd->mon;

    if (cmd->id) {
        g_hash_table_remove(mon->by_id, cmd->id);
        g_queue_remove(&mon->commands, cmd);
    } else {
        g_queue_remove(&mon->ready_waiters, cmd);
    }
    if (cmd->callback) {
        mon_enter(mon);
        cmd->callback(mon, ret, error, cmd->user_data);
        mon_leave(mon);
    }
    command_free(cmd);
}

static gboolean
command_timeout_cb(gpointer data)
{
    MonCommand *cmd = data;
    g_autoptr(GError) err = NULL;

    if (cmd->id)
        err = mon_error_new(CORE_ERR_OPERATION_TIMEOUT,
                            "QEMU did not answer command '%s' in time", cmd->name);
    else
        err = mon_error_new(CORE_ERR_OPERATION_TIMEOUT,
                            "QEMU monitor did not become ready in time");
    CORE_DEBUG("%s", err->message);
    g_source_unref(g_steal_pointer(&cmd->timer));
    command_complete(cmd, NULL, err);
    return G_SOURCE_REMOVE;
}

static gboolean
command_deferred_cb(gpointer data)
{
    MonCommand *cmd = data;
    g_autoptr(GError) err = g_steal_pointer(&cmd->deferred);

    g_source_unref(g_steal_pointer(&cmd->idle));
    command_complete(cmd, NULL, err);
    return G_SOURCE_REMOVE;
}

/* Completes @cmd from an idle source: callbacks never run inside the call
 * that submitted them. @error (transfer full) may be NULL (barrier met). */
static void
command_complete_later(MonCommand *cmd, GError *error)
{
    cmd->deferred = error;
    cmd->idle = g_idle_source_new();
    g_source_set_callback(cmd->idle, command_deferred_cb, cmd, NULL);
    g_source_attach(cmd->idle, cmd->mon->context);
}

/* ---- output --------------------------------------------------------------- */

static gboolean
mon_out_cb(int fd, GIOCondition cond, gpointer data)
{
    QemuMonitor *mon = data;

    g_source_unref(g_steal_pointer(&mon->out_source));
    mon_flush(mon);
    return G_SOURCE_REMOVE;
}

static void
mon_flush(QemuMonitor *mon)
{
    while (mon->state != MON_DEAD && mon->out->len > 0) {
        ssize_t n = send(mon->fd, mon->out->data, mon->out->len, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!mon->out_source) {
                mon->out_source = g_unix_fd_source_new(mon->fd, G_IO_OUT);
                g_source_set_callback(mon->out_source, G_SOURCE_FUNC(mon_out_cb), mon, NULL);
                g_source_attach(mon->out_source, mon->context);
            }
            return;
        }
        if (n < 0) {
            int saved = errno;
            GError *err = NULL;

            core_error_set_errno(&err, saved, "cannot write to QEMU monitor");
            mon_fail(mon, err);
            return;
        }
        g_byte_array_remove_range(mon->out, 0, (guint)n);
    }
}

static void
mon_send_command(QemuMonitor *mon, MonCommand *cmd)
{
    g_autofree char *wire = g_steal_pointer(&cmd->wire);

    CORE_DEBUG("-> %s", wire);
    g_byte_array_append(mon->out, (const guint8 *)wire, (guint)strlen(wire));
    g_byte_array_append(mon->out, (const guint8 *)"\r\n", 2);
    cmd->sent = TRUE;
}

/* ---- submission ------------------------------------------------------------ */

static MonCommand *
command_new(QemuMonitor *mon, const char *name, json_object *args, guint timeout_ms,
            QemuMonitorReplyFunc callback, gpointer user_data)
{
    MonCommand *cmd = g_new0(MonCommand, 1);

    cmd->mon = qemu_monitor_ref(mon);
    cmd->callback = callback;
    cmd->user_data = user_data;
    if (name) {
        g_autoptr(json_object) msg = json_object_new_object();

        cmd->name = g_strdup(name);
        cmd->id = g_strdup_printf("vireo-%" G_GUINT64_FORMAT, ++mon->next_id);
        json_object_object_add(msg, "execute", json_object_new_string(name));
        if (args)
            json_object_object_add(msg, "arguments", json_object_get(args));
        json_object_object_add(msg, "id", json_object_new_string(cmd->id));
        cmd->wire = g_strdup(json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN));
    }
    if (timeout_ms > 0) {
        cmd->timer = g_timeout_source_new(timeout_ms);
        g_source_set_callback(cmd->timer, command_timeout_cb, cmd, NULL);
        g_source_attach(cmd->timer, mon->context);
    }
    return cmd;
}

/* Queues a command (@name) or a ready barrier (@name NULL). */
static void
mon_submit(QemuMonitor *mon, const char *name, json_object *args, guint timeout_ms,
           QemuMonitorReplyFunc callback, gpointer user_data)
{
    MonCommand *cmd = command_new(mon, name, args, timeout_ms, callback, user_data);

    if (args)
        json_object_put(args);
    if (mon->state == MON_DEAD) {
        command_complete_later(cmd, g_error_copy(mon->dead_error));
        return;
    }
    if (!name) {
        if (mon->state == MON_READY)
            command_complete_later(cmd, NULL);
        else
            g_queue_push_tail(&mon->ready_waiters, cmd);
        return;
    }
    g_queue_push_tail(&mon->commands, cmd);
    g_hash_table_insert(mon->by_id, cmd->id, cmd);
    /* Before the greeting commands wait; qmp_capabilities goes first. */
    if (mon->state != MON_GREETING) {
        mon_send_command(mon, cmd);
        mon_flush(mon);
    }
}

void
qemu_monitor_command(QemuMonitor *mon, const char *name, json_object *args, guint timeout_ms,
                     QemuMonitorReplyFunc callback, gpointer user_data)
{
    g_return_if_fail(mon != NULL && name != NULL);
    mon_submit(mon, name, args, timeout_ms, callback, user_data);
}

/* ---- failure and close ---------------------------------------------------- */

static void
mon_stop_io(QemuMonitor *mon)
{
    if (mon->in_source) {
        g_source_destroy(mon->in_source);
        g_clear_pointer(&mon->in_source, g_source_unref);
    }
    if (mon->out_source) {
        g_source_destroy(mon->out_source);
        g_clear_pointer(&mon->out_source, g_source_unref);
    }
    core_clear_fd(&mon->fd);
}

/* Completes every pending command and barrier with @error. */
static void
mon_drain(QemuMonitor *mon, const GError *error)
{
    MonCommand *cmd;

    while ((cmd = g_queue_peek_head(&mon->commands)))
        command_complete(cmd, NULL, error);
    while ((cmd = g_queue_peek_head(&mon->ready_waiters)))
        command_complete(cmd, NULL, error);
}

/* @error (transfer full): NULL for a clean EOF. */
static void
mon_fail(QemuMonitor *mon, GError *error)
{
    g_autoptr(GError) owned = error;

    if (mon->state == MON_DEAD)
        return;
    /* the callbacks below may drop the caller's reference */
    qemu_monitor_ref(mon);
    if (error)
        CORE_WARN("QEMU monitor failed: %s", error->message);
    else
        CORE_DEBUG("QEMU closed the monitor");
    mon->state = MON_DEAD;
    mon->dead_error = error ? g_error_copy(error)
                            : mon_error_new(CORE_ERR_OPERATION_FAILED,
                                            "QEMU closed the monitor connection");
    mon_stop_io(mon);
    mon_drain(mon, mon->dead_error);
    if (mon->callbacks.closed) {
        mon_enter(mon);
        mon->callbacks.closed(mon, owned, mon->user_data);
        mon_leave(mon);
    }
    qemu_monitor_unref(mon);
}

void
qemu_monitor_close(QemuMonitor *mon)
{
    if (!mon || mon->state == MON_DEAD)
        return;
    /* completions may drop the caller's reference */
    qemu_monitor_ref(mon);
    mon->state = MON_DEAD;
    mon->dead_error = mon_error_new(CORE_ERR_OPERATION_ABORTED, "QEMU monitor was closed");
    mon_stop_io(mon);
    mon_drain(mon, mon->dead_error);
    qemu_monitor_unref(mon);
}

/* ---- input ---------------------------------------------------------------- */

static void
mon_handle_greeting(QemuMonitor *mon, json_object *greeting)
{
    json_object *ver = NULL;
    json_object *qemu = NULL;
    json_object *v = NULL;

    if (json_object_object_get_ex(greeting, "version", &ver) &&
        json_object_object_get_ex(ver, "qemu", &qemu)) {
        mon->ver_major = json_object_object_get_ex(qemu, "major", &v) ? json_object_get_int(v) : 0;
        mon->ver_minor = json_object_object_get_ex(qemu, "minor", &v) ? json_object_get_int(v) : 0;
        mon->ver_micro = json_object_object_get_ex(qemu, "micro", &v) ? json_object_get_int(v) : 0;
        mon->package = g_strdup(json_object_object_get_ex(ver, "package", &v)
                                    ? json_object_get_string(v) : "");
        mon->have_version = TRUE;
    }
    CORE_DEBUG("QMP greeting from QEMU %d.%d.%d", mon->ver_major, mon->ver_minor,
               mon->ver_micro);
    mon->state = MON_NEGOTIATING;
}

static void
mon_caps_done(QemuMonitor *mon, json_object *ret, const GError *error, gpointer data)
{
    MonCommand *cmd;

    if (mon->state == MON_DEAD)
        return;
    if (error) {
        mon_fail(mon, mon_error_new(error->code == CORE_ERR_OPERATION_TIMEOUT
                                        ? CORE_ERR_OPERATION_TIMEOUT : CORE_ERR_INTERNAL_ERROR,
                                    "QMP capabilities negotiation failed: %s", error->message));
        return;
    }
    mon->state = MON_READY;
    if (mon->callbacks.ready) {
        mon_enter(mon);
        mon->callbacks.ready(mon, mon->user_data);
        mon_leave(mon);
    }
    while (mon->state == MON_READY && (cmd = g_queue_peek_head(&mon->ready_waiters)))
        command_complete(cmd, NULL, NULL);
}

static void
mon_start_negotiation(QemuMonitor *mon)
{
    MonCommand *caps = command_new(mon, "qmp_capabilities", NULL, 0, mon_caps_done, NULL);

    g_queue_push_head(&mon->commands, caps);
    g_hash_table_insert(mon->by_id, caps->id, caps);
    /* qmp_capabilities first, then what was queued before the greeting */
    for (GList *l = mon->commands.head; l; l = l->next)
        if (!((MonCommand *)l->data)->sent)
            mon_send_command(mon, l->data);
}

static void
mon_handle_event(QemuMonitor *mon, json_object *msg, const char *name)
{
    json_object *data = NULL;
    json_object *ts = NULL;
    json_object *v = NULL;
    gint64 stamp = -1;

    json_object_object_get_ex(msg, "data", &data);
    if (json_object_object_get_ex(msg, "timestamp", &ts) &&
        json_object_object_get_ex(ts, "seconds", &v)) {
        stamp = json_object_get_int64(v) * G_USEC_PER_SEC;
        if (json_object_object_get_ex(ts, "microseconds", &v))
            stamp += json_object_get_int64(v);
    }
    CORE_DEBUG("event %s", name);
    if (mon->callbacks.event) {
        mon_enter(mon);
        mon->callbacks.event(mon, name, data, stamp, mon->user_data);
        mon_leave(mon);
    }
}

static void
mon_handle_reply(QemuMonitor *mon, json_object *msg, json_object *ret, json_object *error)
{
    json_object *jid = NULL;
    MonCommand *cmd = NULL;
    g_autoptr(GError) err = NULL;

    if (json_object_object_get_ex(msg, "id", &jid)) {
        const char *id = json_object_is_type(jid, json_type_string) ? json_object_get_string(jid)
                                                                    : "";

        cmd = g_hash_table_lookup(mon->by_id, id);
        if (!cmd) {
            /* most likely the answer to a command that timed out */
            CORE_DEBUG("dropping reply with unknown id '%s'", id);
            return;
        }
    } else {
        for (GList *l = mon->commands.head; l && !cmd; l = l->next)
            if (((MonCommand *)l->data)->sent)
                cmd = l->data;
        if (!cmd) {
            CORE_WARN("dropping QMP reply without id: no command is pending");
            return;
        }
    }
    if (error)
        err = mon_error_from_reply(cmd->name, error);
    command_complete(cmd, error ? NULL : ret, err);
}

/* One complete line of input. */
static void
mon_handle_line(QemuMonitor *mon, const char *line, gsize len)
{
    g_autoptr(json_object) msg = NULL;
    json_tokener *tok;
    enum json_tokener_error jerr;
    json_object *v = NULL;
    json_object *ret = NULL;
    json_object *error = NULL;
    gsize off;

    while (len > 0 && g_ascii_isspace(line[len - 1]))
        len--;
    if (len == 0)
        return;
    CORE_DEBUG("<- %.*s", (int)MIN(len, 4096), line);
    tok = json_tokener_new_ex(JSON_MAX_DEPTH);
    msg = json_tokener_parse_ex(tok, line, (int)len);
    jerr = json_tokener_get_error(tok);
    off = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!msg || jerr != json_tokener_success || off != len ||
        !json_object_is_type(msg, json_type_object)) {
        g_autofree char *head = g_strndup(line, MIN(len, 80));
        g_autofree char *quoted = g_strescape(head, NULL);

        mon_fail(mon, mon_error_new(CORE_ERR_INTERNAL_ERROR,
                                    "malformed QMP message from QEMU: '%s'", quoted));
        return;
    }
    if (mon->state == MON_GREETING) {
        if (!json_object_object_get_ex(msg, "QMP", &v)) {
            mon_fail(mon, mon_error_new(CORE_ERR_INTERNAL_ERROR,
                                        "QEMU monitor did not start with a QMP greeting"));
            return;
        }
        mon_handle_greeting(mon, v);
        mon_start_negotiation(mon);
        mon_flush(mon);
        return;
    }
    if (json_object_object_get_ex(msg, "event", &v) && json_object_is_type(v, json_type_string)) {
        mon_handle_event(mon, msg, json_object_get_string(v));
        return;
    }
    json_object_object_get_ex(msg, "return", &ret);
    json_object_object_get_ex(msg, "error", &error);
    if (ret || error) {
        mon_handle_reply(mon, msg, ret, error);
        return;
    }
    CORE_WARN("ignoring unexpected QMP message");
}

/* Splits @mon->in into lines; FALSE when the monitor died meanwhile. */
static gboolean
mon_process_input(QemuMonitor *mon)
{
    gsize start = 0;

    while (mon->state != MON_DEAD) {
        const guint8 *nl = memchr(mon->in->data + mon->in_scanned, '\n',
                                  mon->in->len - mon->in_scanned);
        gsize end;

        if (!nl) {
            mon->in_scanned = mon->in->len;
            break;
        }
        end = (gsize)(nl - mon->in->data);
        if (end - start > mon->max_message)
            break; /* reported below */
        mon->in_scanned = end + 1;
        mon_handle_line(mon, (const char *)mon->in->data + start, end - start);
        start = end + 1;
    }
    if (mon->state == MON_DEAD)
        return FALSE;
    if (start > 0) {
        g_byte_array_remove_range(mon->in, 0, (guint)start);
        mon->in_scanned -= start;
    }
    /* whatever is left is the start of one message (a too long complete
     * line stays here as well) */
    if (mon->in->len > mon->max_message) {
        mon_fail(mon, mon_error_new(CORE_ERR_INTERNAL_ERROR,
                                    "QMP message from QEMU exceeds %" G_GSIZE_FORMAT " bytes",
                                    mon->max_message));
        return FALSE;
    }
    return TRUE;
}

static void
mon_handle_eof(QemuMonitor *mon)
{
    for (guint i = 0; i < mon->in->len; i++) {
        if (!g_ascii_isspace(mon->in->data[i])) {
            mon_fail(mon, mon_error_new(CORE_ERR_OPERATION_FAILED,
                                        "QEMU closed the monitor in the middle of a message"));
            return;
        }
    }
    mon_fail(mon, NULL);
}

static void
mon_read(QemuMonitor *mon, int fd)
{
    for (int i = 0; i < READS_PER_DISPATCH && mon->state != MON_DEAD; i++) {
        guint len = mon->in->len;
        ssize_t n;
        int saved;

        g_byte_array_set_size(mon->in, len + READ_CHUNK);
        n = recv(fd, mon->in->data + len, READ_CHUNK, MSG_DONTWAIT);
        saved = errno;
        g_byte_array_set_size(mon->in, len + (n > 0 ? (guint)n : 0));
        if (n < 0 && saved == EINTR)
            continue;
        if (n < 0 && (saved == EAGAIN || saved == EWOULDBLOCK))
            return;
        /* QEMU exiting with our trailing newline unread resets the
         * connection: that is an end of file too */
        if (n == 0 || (n < 0 && saved == ECONNRESET)) {
            mon_handle_eof(mon);
            return;
        }
        if (n < 0) {
            GError *err = NULL;

            core_error_set_errno(&err, saved, "cannot read from QEMU monitor");
            mon_fail(mon, err);
            return;
        }
        if (!mon_process_input(mon))
            return;
    }
}

static gboolean
mon_in_cb(int fd, GIOCondition cond, gpointer data)
{
    QemuMonitor *mon = qemu_monitor_ref(data);
    gboolean keep;

    mon_read(mon, fd);
    /* the source is gone once the monitor died */
    keep = mon->state != MON_DEAD;
    qemu_monitor_unref(mon);
    return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* ---- life cycle ------------------------------------------------------------ */

QemuMonitor *
qemu_monitor_new(int fd, GMainContext *context, const QemuMonitorCallbacks *callbacks,
                 gpointer user_data)
{
    QemuMonitor *mon = g_new0(QemuMonitor, 1);

    g_atomic_ref_count_init(&mon->ref);
    mon->context = context ? g_main_context_ref(context) : g_main_context_ref_thread_default();
    mon->fd = fd;
    mon->in = g_byte_array_new();
    mon->out = g_byte_array_new();
    mon->max_message = QEMU_MONITOR_MAX_MESSAGE_DEFAULT;
    mon->by_id = g_hash_table_new(g_str_hash, g_str_equal);
    if (callbacks)
        mon->callbacks = *callbacks;
    mon->user_data = user_data;
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    mon->in_source = g_unix_fd_source_new(fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(mon->in_source, G_SOURCE_FUNC(mon_in_cb), mon, NULL);
    g_source_attach(mon->in_source, mon->context);
    return mon;
}

QemuMonitor *
qemu_monitor_ref(QemuMonitor *mon)
{
    g_atomic_ref_count_inc(&mon->ref);
    return mon;
}

void
qemu_monitor_unref(QemuMonitor *mon)
{
    if (!mon || !g_atomic_ref_count_dec(&mon->ref))
        return;
    /* Commands hold references, so none is pending here. */
    mon_stop_io(mon);
    g_hash_table_unref(mon->by_id);
    g_byte_array_unref(mon->in);
    g_byte_array_unref(mon->out);
    g_clear_error(&mon->dead_error);
    g_free(mon->package);
    g_main_context_unref(mon->context);
    g_free(mon);
}

void
qemu_monitor_set_max_message(QemuMonitor *mon, gsize max_bytes)
{
    mon->max_message = max_bytes;
}

gboolean
qemu_monitor_is_ready(QemuMonitor *mon)
{
    return mon->state == MON_READY;
}

gboolean
qemu_monitor_get_version(QemuMonitor *mon, int *major, int *minor, int *micro,
                         const char **package)
{
    if (!mon->have_version)
        return FALSE;
    if (major)
        *major = mon->ver_major;
    if (minor)
        *minor = mon->ver_minor;
    if (micro)
        *micro = mon->ver_micro;
    if (package)
        *package = mon->package;
    return TRUE;
}

/* ---- synchronous helpers --------------------------------------------------- */

typedef struct {
    QemuMonitor *mon;
    const char *name; /* NULL: wait for ready */
    json_object *args;
    guint timeout_ms;
    GMutex lock;
    GCond cond;
    gboolean done;
    json_object *ret;
    GError *error;
} SyncWait;

static void
sync_done_cb(QemuMonitor *mon, json_object *ret, const GError *error, gpointer data)
{
    SyncWait *w = data;

    g_mutex_lock(&w->lock);
    w->ret = ret ? json_object_get(ret) : NULL;
    w->error = error ? g_error_copy(error) : NULL;
    w->done = TRUE;
    g_cond_signal(&w->cond);
    g_mutex_unlock(&w->lock);
}

static gboolean
sync_submit_cb(gpointer data)
{
    SyncWait *w = data;

    mon_submit(w->mon, w->name, g_steal_pointer(&w->args), w->timeout_ms, sync_done_cb, w);
    return G_SOURCE_REMOVE;
}

/* Runs @w to completion: on the caller's thread when it can own the
 * context, otherwise by handing it to the thread that iterates it. */
static gboolean
sync_run(SyncWait *w, GError **error)
{
    QemuMonitor *mon = w->mon;

    g_mutex_init(&w->lock);
    g_cond_init(&w->cond);
    if (g_main_context_acquire(mon->context)) {
        if (mon->dispatch_depth > 0 && mon->dispatch_thread == g_thread_self()) {
            g_main_context_release(mon->context);
            if (w->args)
                json_object_put(w->args);
            g_mutex_clear(&w->lock);
            g_cond_clear(&w->cond);
            return core_error_set(error, CORE_ERR_OPERATION_INVALID,
                                  "synchronous QEMU monitor call from a monitor callback");
        }
        sync_submit_cb(w);
        while (!w->done)
            g_main_context_iteration(mon->context, TRUE);
        g_main_context_release(mon->context);
    } else {
        g_main_context_invoke(mon->context, sync_submit_cb, w);
        g_mutex_lock(&w->lock);
        while (!w->done)
            g_cond_wait(&w->cond, &w->lock);
        g_mutex_unlock(&w->lock);
    }
    g_mutex_clear(&w->lock);
    g_cond_clear(&w->cond);
    if (w->error) {
        g_propagate_error(error, w->error);
        return FALSE;
    }
    return TRUE;
}

json_object *
qemu_monitor_command_sync(QemuMonitor *mon, const char *name, json_object *args,
                          guint timeout_ms, GError **error)
{
    SyncWait w = { .mon = mon, .name = name, .args = args, .timeout_ms = timeout_ms };

    g_return_val_if_fail(mon != NULL && name != NULL, NULL);
    if (!sync_run(&w, error))
        return NULL;
    return w.ret ? w.ret : json_object_new_object();
}

gboolean
qemu_monitor_wait_ready_sync(QemuMonitor *mon, guint timeout_ms, GError **error)
{
    SyncWait w = { .mon = mon, .timeout_ms = timeout_ms };

    return sync_run(&w, error);
}

/* ---- connecting ------------------------------------------------------------ */

/* TRUE when @pid is known to have exited (our child: zombie or reaped). */
static gboolean
pid_has_exited(GPid pid)
{
    siginfo_t info = { 0 };

    if (pid <= 0)
        return FALSE;
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0)
        return info.si_pid == pid;
    if (errno == ECHILD)
        return kill(pid, 0) < 0 && errno == ESRCH;
    return FALSE;
}

int
qemu_monitor_connect_unix(const char *path, guint timeout_ms, GPid pid, GError **error)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    gulong delay_us = 1000;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        core_error_set(error, CORE_ERR_INVALID_ARG, "monitor socket path '%s' is too long", path);
        return -1;
    }
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int saved;

        if (fd < 0) {
            core_error_set_errno(error, errno, "cannot create a socket");
            return -1;
        }
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            g_unix_set_fd_nonblocking(fd, TRUE, NULL);
            return fd;
        }
        saved = errno;
        core_clear_fd(&fd);
        if (saved != ENOENT && saved != ECONNREFUSED && saved != EAGAIN && saved != EINTR) {
            core_error_set_errno(error, saved, "cannot connect to QEMU monitor '%s'", path);
            return -1;
        }
        if (pid_has_exited(pid)) {
            core_error_set(error, CORE_ERR_OPERATION_FAILED,
                           "QEMU exited before its monitor '%s' appeared", path);
            return -1;
        }
        if (g_get_monotonic_time() >= deadline) {
            core_error_set(error, CORE_ERR_OPERATION_TIMEOUT,
                           "QEMU monitor '%s' did not appear in time", path);
            return -1;
        }
        g_usleep(delay_us);
        delay_us = MIN(delay_us * 2, 20000);
    }
}
