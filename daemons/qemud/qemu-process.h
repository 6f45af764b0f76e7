/* qemu-process: starting, stopping, watching and reconnecting QEMU.
 *
 * QEMU runs as a direct child of the daemon in its own session, without a
 * parent-death signal: it outlives a daemon that crashes or stops. Its
 * exit is seen at once through a pidfd watched on the main context (no
 * polling), and its stdout/stderr go to the domain's log file, after the
 * command line. The status XML in the run directory lets a restarted
 * daemon find it again (qemu_process_reconnect).
 */
#pragma once

#include <glib.h>

#include "qemu-domain.h"

G_BEGIN_DECLS

/**
 * qemu_process_start:
 * @dom: an inactive domain whose job the caller holds; dom->def is the
 *       definition to run
 * Builds the command line, spawns QEMU (paused, -S), connects the monitor,
 * reads the pty paths and lets the guest run. Worker thread only.
 * Returns: FALSE with @error (QEMU's own message when it failed to start).
 */
gboolean qemu_process_start(QemuDomain *dom, GError **error);

/**
 * qemu_process_stop:
 * @reason: QEMU_SHUTOFF_* recorded when it has exited
 * Asks QEMU to exit (SIGTERM), kills it (SIGKILL) after @grace_ms, and
 * waits until the exit has been handled. Worker thread only, job held.
 */
gboolean qemu_process_stop(QemuDomain *dom, int reason, guint grace_ms, GError **error);

/**
 * qemu_process_monitor_sync:
 * Runs one QMP command on @dom's monitor from a worker thread.
 * Returns: (transfer full) the "return" member, or NULL with @error
 * (CORE_ERR_OPERATION_INVALID when the domain is not running).
 */
json_object *qemu_process_monitor_sync(QemuDomain *dom, const char *cmd, json_object *args,
                                       GError **error);

/* Sends system_powerdown, repeating it for a while until QEMU reports the
 * shutdown (a guest still booting drops the first ACPI event). */
gboolean qemu_process_powerdown(QemuDomain *dom, GError **error);

/**
 * qemu_process_reconnect:
 * @dom: a domain loaded from its status XML (pid set, not watched yet)
 * Called while the main context is not running yet: reopens the pidfd and
 * the monitor. A QEMU that is gone, or that reports the guest powered off,
 * leaves the domain shut off with the matching reason.
 */
void qemu_process_reconnect(QemuDomain *dom);

/* Starts the domains marked autostart (in a thread of its own). */
void qemu_process_autostart_all(QemuDriver *driver);

/* CPU time used by @pid in ns (0 when unknown). */
guint64 qemu_process_cpu_time(GPid pid);

G_END_DECLS
