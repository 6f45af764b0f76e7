/* qemu-process-probe: run a short-lived QEMU with a QMP monitor.
 *
 * Used by the capability probe (-machine none) and by tests that boot a
 * guest. QEMU stays our direct child (never daemonized) with
 * PR_SET_PDEATHSIG, so it dies with the thread that started it; stop()
 * reaps it at once through a pidfd instead of polling.
 */
#pragma once

#include <glib.h>

#include "qemu-monitor.h"

G_BEGIN_DECLS

typedef struct _QemuProbeProcess QemuProbeProcess;

/**
 * qemu_probe_process_start:
 * @binary: the QEMU binary
 * @extra_args: (nullable) arguments after the fixed ones (-nodefaults
 *              -no-user-config -display none -qmp unix:DIR/qmp.sock,...)
 * @dir: (nullable) directory for the monitor socket and QEMU's log; NULL
 *       makes a private one that free() removes
 * @context: (nullable) context for the monitor (see qemu-monitor.h)
 * @callbacks: (nullable) monitor handlers
 * @timeout_ms: time allowed for QEMU to open its monitor
 *
 * Starts QEMU and connects the monitor (capabilities are negotiated in
 * the background: use qemu_monitor_wait_ready_sync()).
 * Returns: (transfer full) the process, or NULL with @error; QEMU's
 * stderr is quoted in the message when it exited early.
 */
QemuProbeProcess *qemu_probe_process_start(const char *binary, const char *const *extra_args,
                                           const char *dir, GMainContext *context,
                                           const QemuMonitorCallbacks *callbacks,
                                           gpointer user_data, guint timeout_ms, GError **error);

/* (transfer none) The monitor, valid until free(). */
QemuMonitor *qemu_probe_process_get_monitor(QemuProbeProcess *proc);
GPid qemu_probe_process_get_pid(QemuProbeProcess *proc);
/* (transfer none) The directory holding qmp.sock and qemu.log. */
const char *qemu_probe_process_get_dir(QemuProbeProcess *proc);
/* (transfer full) What QEMU wrote to stdout/stderr so far (at most 64 KiB). */
char *qemu_probe_process_get_log(QemuProbeProcess *proc);

/**
 * qemu_probe_process_stop:
 * Closes the monitor, asks QEMU to quit (SIGTERM), waits up to @grace_ms,
 * then kills it (SIGKILL) and reaps it. Idempotent.
 * @status: (out) (optional) the wait status, -1 if it was already reaped
 */
void qemu_probe_process_stop(QemuProbeProcess *proc, guint grace_ms, int *status);

/**
 * qemu_probe_process_wait:
 * Waits up to @timeout_ms for QEMU to exit by itself and reaps it.
 * Returns: TRUE when it exited (@status set), FALSE on timeout.
 */
gboolean qemu_probe_process_wait(QemuProbeProcess *proc, guint timeout_ms, int *status);

/* Stops QEMU (no grace) if it still runs, removes a private dir, frees. */
void qemu_probe_process_free(QemuProbeProcess *proc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuProbeProcess, qemu_probe_process_free)

G_END_DECLS
