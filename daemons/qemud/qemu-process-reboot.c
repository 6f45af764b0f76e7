/* qemu-process-reboot: libvirt's "fake reboot" and the hard reset.
 *
 * A reboot asked for (virDomainReboot) is an ACPI power button press plus a
 * note that the shutdown to come is a reboot (dom->fake_reboot, kept in the
 * status XML). QEMU runs with -no-shutdown, so when the guest powers off it
 * stops instead of exiting; the SHUTDOWN handler (qemu-process.c) then
 * calls qemu_process_fake_reboot_locked(), which resets QEMU and lets it
 * run again: the guest boots a second time in the same process, under the
 * same id. As in libvirt the domain's state does not change on the way and
 * clients see only REBOOT events (one per reset QEMU reports). Any reset
 * clears the note; so do a shutdown asked for later, destroy and the end
 * of the process.
 */
#include "core-autoptr.h"
#include "core-log.h"
#include "qemu-process.h"

CORE_LOG_INIT("qemud.process");

typedef struct {
    QemuDomain *dom;
    GPid pid; /* the QEMU it is for: a later run of the domain is left alone */
} FakeReboot;

/* Resets and continues a guest that shut down for a reboot; job held.
 * The RESET event (qemu-process.c) clears the pending reboot. */
static gboolean
fake_reboot_run(QemuDomain *dom, GError **error)
{
    g_autoptr(json_object) reset = NULL;
    g_autoptr(json_object) cont = NULL;

    if (!(reset = qemu_process_monitor_sync(dom, "system_reset", NULL, error)))
        return FALSE;
    /* QEMU went from "shutdown" to "prelaunch": cont boots the guest again */
    cont = qemu_process_monitor_sync(dom, "cont", NULL, error);
    return cont != NULL;
}

/* After the reset and cont (dom->lock held): a guest that was not running
 * (crashed) runs again, with an event; otherwise nothing changed. */
static CoreDomainRef *
fake_reboot_done_locked(QemuDomain *dom)
{
    dom->rebooting = FALSE;
    if (dom->state == QEMU_STATE_RUNNING)
        return NULL;
    dom->reason = dom->state == QEMU_STATE_CRASHED ? QEMU_RUNNING_CRASHED : QEMU_RUNNING_BOOTED;
    dom->state = QEMU_STATE_RUNNING;
    qemu_domain_save_status(dom);
    return qemu_domain_make_ref(dom);
}

static gpointer
fake_reboot_thread(gpointer data)
{
    FakeReboot *fr = data;
    g_autoptr(QemuDomain) dom = fr->dom;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) ref = NULL;
    GPid pid = fr->pid;
    gboolean ours, ok = FALSE;

    g_free(fr);
    qemu_domain_job_begin(dom);
    /* with the job held the pid can only drop to 0 (an exit, a destroy) */
    g_mutex_lock(&dom->lock);
    ours = qemu_domain_is_active(dom) && dom->pid == pid && dom->rebooting;
    g_mutex_unlock(&dom->lock);
    if (ours)
        ok = fake_reboot_run(dom, &err);
    g_mutex_lock(&dom->lock);
    /* a destroy under way is why it failed, and says why QEMU ends */
    ours = ours && qemu_domain_is_active(dom) && dom->stop_reason < 0;
    if (ours && ok)
        ref = fake_reboot_done_locked(dom);
    g_mutex_unlock(&dom->lock);
    if (ours && !ok) {
        /* as libvirt: a guest that cannot come back is killed */
        CORE_WARN("domain '%s': cannot reboot, killing QEMU: %s", dom->def->name,
                  err->message);
        qemu_process_stop(dom, QEMU_SHUTOFF_CRASHED, 0, NULL);
    }
    qemu_domain_job_end(dom);
    if (ref)
        qemu_events_lifecycle(dom->driver, ref, QEMU_EVENT_RESUMED, 0);
    return NULL;
}

void
qemu_process_fake_reboot_locked(QemuDomain *dom)
{
    FakeReboot *fr = g_new0(FakeReboot, 1);

    /* a thread of its own: the reset and cont need the job and synchronous
     * QMP calls, which a monitor callback cannot make */
    dom->rebooting = TRUE;
    fr->dom = qemu_domain_ref(dom);
    fr->pid = dom->pid;
    g_thread_unref(g_thread_new("qemu-reboot", fake_reboot_thread, fr));
}

static gboolean
fake_reboot_idle(gpointer data)
{
    QemuDomain *dom = data;

    g_mutex_lock(&dom->lock);
    if (qemu_domain_is_active(dom) && dom->fake_reboot && !dom->rebooting &&
        !dom->got_shutdown && dom->stop_reason < 0)
        qemu_process_fake_reboot_locked(dom);
    g_mutex_unlock(&dom->lock);
    return G_SOURCE_REMOVE;
}

void
qemu_process_fake_reboot_later(QemuDomain *dom)
{
    GSource *src = g_idle_source_new();

    g_source_set_callback(src, fake_reboot_idle, qemu_domain_ref(dom),
                          (GDestroyNotify)qemu_domain_unref);
    g_source_attach(src, dom->driver->context);
    g_source_unref(src);
}

gboolean
qemu_process_reset(QemuDomain *dom, GError **error)
{
    g_autoptr(json_object) ret = qemu_process_monitor_sync(dom, "system_reset", NULL, error);

    if (!ret)
        return FALSE;
    g_mutex_lock(&dom->lock);
    qemu_domain_set_fake_reboot(dom, FALSE);
    /* libvirt: a crashed guest that is reset waits paused for a resume */
    if (qemu_domain_is_active(dom) && dom->state == QEMU_STATE_CRASHED) {
        dom->state = QEMU_STATE_PAUSED;
        dom->reason = QEMU_PAUSED_CRASHED;
        qemu_domain_save_status(dom);
    }
    g_mutex_unlock(&dom->lock);
    return TRUE;
}
