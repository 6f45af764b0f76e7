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
 * waits until the exit has been handled. Worker thread only. Needs no
 * job: a call holding it while it waits on a QEMU that hangs ends with an
 * error once QEMU is gone.
 */
gboolean qemu_process_stop(QemuDomain *dom, int reason, guint grace_ms, GError **error);

/**
 * qemu_process_monitor_sync:
 * Runs one QMP command on @dom's monitor from a worker thread holding the
 * job, waiting as long as QEMU takes (libvirt sets no time limit either);
 * dom->mon_start tells since when (virsh domcontrol shows it). QEMU's
 * exit ends the wait with an error.
 * Returns: (transfer full) the "return" member, or NULL with @error
 * (CORE_ERR_OPERATION_INVALID when the domain is not running).
 */
json_object *qemu_process_monitor_sync(QemuDomain *dom, const char *cmd, json_object *args,
                                       GError **error);

/**
 * qemu_process_powerdown:
 * @reboot: the guest's shutdown is to be a reboot (libvirt's fake reboot:
 *   QEMU stops at the guest's power-off, -no-shutdown, and is then reset
 *   and continued); FALSE forgets a reboot asked for earlier
 * Sends system_powerdown, repeating it for a while until QEMU reports the
 * shutdown (a guest still booting drops the first ACPI event). A guest
 * that ignores ACPI keeps running, and a pending reboot stays until it
 * shuts down, is reset, shut down or destroyed. Job held.
 */
gboolean qemu_process_powerdown(QemuDomain *dom, gboolean reboot, GError **error);

/**
 * qemu_process_reset:
 * system_reset (virDomainReset, a hard reset without the guest's help);
 * forgets a pending reboot. Job held. (qemu-process-reboot.c)
 */
gboolean qemu_process_reset(QemuDomain *dom, GError **error);

/**
 * qemu_process_fake_reboot_locked:
 * The guest shut down for a reboot and QEMU stopped: resets and continues
 * it from a thread of its own, which takes the job (dom->lock held; sets
 * dom->rebooting until done). A QEMU that refuses is killed, as in
 * libvirt. (qemu-process-reboot.c)
 */
void qemu_process_fake_reboot_locked(QemuDomain *dom);

/* The same once the main context runs, if the reboot is still pending and
 * nothing stops the guest by then (after a daemon restart). */
void qemu_process_fake_reboot_later(QemuDomain *dom);

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
