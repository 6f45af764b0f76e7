/* qemu-events: domain events to every connection that wants them.
 *
 * Sinks only queue (core-driver.h), so delivering under sink_lock is
 * cheap, keeps the order of events from one thread, and makes removing a
 * connection wait for a delivery that is under way.
 */
#include "qemu-domain.h"

void
qemu_events_add_conn(QemuDriver *driver, QemuConn *conn)
{
    g_mutex_lock(&driver->sink_lock);
    g_ptr_array_add(driver->conns, conn);
    g_mutex_unlock(&driver->sink_lock);
}

void
qemu_events_remove_conn(QemuDriver *driver, QemuConn *conn)
{
    g_mutex_lock(&driver->sink_lock);
    g_ptr_array_remove(driver->conns, conn);
    g_mutex_unlock(&driver->sink_lock);
}

static void
deliver(QemuDriver *driver, const CoreEvent *ev)
{
    g_mutex_lock(&driver->sink_lock);
    for (guint i = 0; i < driver->conns->len; i++) {
        QemuConn *c = g_ptr_array_index(driver->conns, i);

        if (c->sink)
            c->sink(ev, c->sink_data);
    }
    g_mutex_unlock(&driver->sink_lock);
}

void
qemu_events_lifecycle(QemuDriver *driver, const CoreDomainRef *ref, int event, int detail)
{
    CoreEvent ev = {
        .kind = CORE_EVENT_DOMAIN_LIFECYCLE,
        .dom = (CoreDomainRef *)ref,
        .event = event,
        .detail = detail,
    };

    deliver(driver, &ev);
}

void
qemu_events_reboot(QemuDriver *driver, const CoreDomainRef *ref)
{
    CoreEvent ev = {
        .kind = CORE_EVENT_DOMAIN_REBOOT,
        .dom = (CoreDomainRef *)ref,
    };

    deliver(driver, &ev);
}
