/* qemu-monitor: a QMP client on a GLib main context.
 *
 * One QemuMonitor talks to one QEMU over a connected stream socket. It
 * reads the greeting, negotiates capabilities (qmp_capabilities) and then
 * runs commands asynchronously: each carries an "id", its own timeout and
 * a completion callback. Events are passed to an event handler with their
 * name, data and timestamp. Replies and events may interleave freely.
 *
 * Threading: the monitor lives on the GMainContext given at creation; all
 * callbacks run there, and the asynchronous API must be called from the
 * thread that iterates that context (or while nobody iterates it). The
 * synchronous helper qemu_monitor_command_sync() may be called from any
 * other thread (a worker): it hands the command to the context and waits
 * on a GCond. Called on a context nobody iterates (a probe with its own
 * context), it iterates the context itself.
 *
 * A misbehaving peer (garbage, EOF mid-message, a message above the size
 * cap) fails the monitor: every pending command completes with an error,
 * the closed handler runs once, and later commands fail at once.
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>

G_BEGIN_DECLS

/* Largest QMP message accepted by default (query-qmp-schema is ~200 KiB). */
#define QEMU_MONITOR_MAX_MESSAGE_DEFAULT (64u * 1024 * 1024)
/* Default per-command timeout used by callers that have no better idea. */
#define QEMU_MONITOR_TIMEOUT_DEFAULT_MS 30000u

typedef struct _QemuMonitor QemuMonitor;

/**
 * QemuMonitorReplyFunc:
 * @mon: the monitor
 * @ret: (transfer none) (nullable) the "return" member of the reply, NULL
 *       on failure; take a reference (json_object_get) to keep it
 * @error: (nullable) why the command failed: CORE_ERR_INTERNAL_ERROR for a
 *       QEMU error reply (message holds QEMU's class and description,
 *       qemu_monitor_error_class() gives the class),
 *       CORE_ERR_OPERATION_TIMEOUT, CORE_ERR_OPERATION_FAILED when the
 *       monitor failed or closed, CORE_ERR_OPERATION_ABORTED when it was
 *       closed by us
 * @user_data: as given to qemu_monitor_command()
 */
typedef void (*QemuMonitorReplyFunc)(QemuMonitor *mon, json_object *ret, const GError *error,
                                     gpointer user_data);

typedef struct {
    /* Capabilities negotiated: commands may run. (optional) */
    void (*ready)(QemuMonitor *mon, gpointer user_data);
    /* An event. @data is (transfer none), NULL when QEMU sent none.
     * @timestamp_us is QEMU's timestamp (µs since the epoch), -1 if absent. */
    void (*event)(QemuMonitor *mon, const char *name, json_object *data, gint64 timestamp_us,
                  gpointer user_data);
    /* The monitor is gone: @error is NULL on a clean EOF from QEMU, else the
     * failure. Runs once, not for qemu_monitor_close(). (optional) */
    void (*closed)(QemuMonitor *mon, const GError *error, gpointer user_data);
} QemuMonitorCallbacks;

/**
 * qemu_monitor_new:
 * @fd: a connected stream socket to QEMU's QMP; the monitor owns it
 *      from now on (closed on failure as well)
 * @context: (nullable) the context to run on; NULL means the global default
 * @callbacks: (nullable) handlers, copied
 * @user_data: passed to every handler
 *
 * Starts reading at once; commands issued before the greeting are queued.
 * Returns: (transfer full) a new monitor; release with qemu_monitor_unref()
 * after qemu_monitor_close(). The last unref must happen on the context's
 * thread (or while nobody iterates the context): it detaches the sources.
 */
QemuMonitor *qemu_monitor_new(int fd, GMainContext *context, const QemuMonitorCallbacks *callbacks,
                              gpointer user_data);

QemuMonitor *qemu_monitor_ref(QemuMonitor *mon);
void qemu_monitor_unref(QemuMonitor *mon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuMonitor, qemu_monitor_unref)

/**
 * qemu_monitor_close:
 * Stops I/O and closes the socket. Pending commands complete with
 * CORE_ERR_OPERATION_ABORTED. Idempotent; must run on the monitor's
 * context thread (or while nobody iterates it). The closed handler does
 * not run.
 */
void qemu_monitor_close(QemuMonitor *mon);

/**
 * qemu_monitor_set_max_message:
 * Caps the size of one incoming message (default
 * QEMU_MONITOR_MAX_MESSAGE_DEFAULT); a longer one fails the monitor.
 */
void qemu_monitor_set_max_message(QemuMonitor *mon, gsize max_bytes);

/**
 * qemu_monitor_command:
 * @name: the QMP command
 * @args: (transfer full) (nullable) its "arguments" object
 * @timeout_ms: time allowed for the reply, 0 for none
 * @callback: (nullable) completion; runs exactly once, never before this
 *            function returns
 *
 * Queues @name. A reply arriving after the timeout is dropped.
 */
void qemu_monitor_command(QemuMonitor *mon, const char *name, json_object *args, guint timeout_ms,
                          QemuMonitorReplyFunc callback, gpointer user_data);

/**
 * qemu_monitor_command_sync:
 * @args: (transfer full) (nullable)
 * @error: set on failure as for QemuMonitorReplyFunc, plus
 *         CORE_ERR_OPERATION_INVALID when called from a monitor callback
 *
 * Runs @name and waits for its reply (see the threading note above).
 * Returns: (transfer full) the "return" member, or NULL with @error set.
 * A command whose return is empty still yields an (empty) object.
 */
json_object *qemu_monitor_command_sync(QemuMonitor *mon, const char *name, json_object *args,
                                       guint timeout_ms, GError **error);

/**
 * qemu_monitor_wait_ready_sync:
 * Waits (as qemu_monitor_command_sync does) until capabilities are
 * negotiated. Returns: FALSE with @error when the monitor failed first or
 * @timeout_ms (0: none) elapsed.
 */
gboolean qemu_monitor_wait_ready_sync(QemuMonitor *mon, guint timeout_ms, GError **error);

/* TRUE once qmp_capabilities succeeded and until the monitor fails or closes. */
gboolean qemu_monitor_is_ready(QemuMonitor *mon);

/**
 * qemu_monitor_get_version:
 * QEMU's version from the greeting. Returns: FALSE before the greeting.
 * @package: (out) (optional) (transfer none) the package string ("" if none)
 */
gboolean qemu_monitor_get_version(QemuMonitor *mon, int *major, int *minor, int *micro,
                                  const char **package);

/**
 * qemu_monitor_error_class:
 * Returns: (transfer none) (nullable) QEMU's error class ("GenericError",
 * "CommandNotFound", ...) when @error came from a QEMU error reply.
 */
const char *qemu_monitor_error_class(const GError *error);

/**
 * qemu_monitor_connect_unix:
 * @path: QEMU's QMP socket (-qmp unix:PATH,server=on,wait=off)
 * @timeout_ms: how long to retry while the socket does not exist yet or
 *              refuses connections (QEMU creates it shortly after exec)
 * @pid: (nullable: 0) QEMU's pid; retrying stops early once it has exited
 *
 * Blocks; meant for worker threads and probes.
 * Returns: a connected non-blocking fd, or -1 with @error
 * (CORE_ERR_OPERATION_TIMEOUT, CORE_ERR_OPERATION_FAILED if QEMU died,
 * CORE_ERR_SYSTEM_ERROR otherwise).
 */
int qemu_monitor_connect_unix(const char *path, guint timeout_ms, GPid pid, GError **error);

G_END_DECLS
