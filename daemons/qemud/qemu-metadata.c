/* qemu-metadata: a domain's title, description and <metadata> elements,
 * changed and read as libvirt's QEMU driver does (qemuDomainSetMetadata,
 * qemuDomainGetMetadata): the change takes the domain's job, applies to
 * the live definition (saved in the status XML) and/or the persistent one
 * (saved to its file), and ends with a METADATA_CHANGE event. No QMP
 * command is involved: QEMU knows nothing of these. */
#define CORE_FROM_THIS CORE_FROM_QEMU

#include "core-error.h"
#include "qemu-domain.h"
#include "qemu-metadata.h"

/* virDomainModificationImpact */
#define AFFECT_LIVE 1u
#define AFFECT_CONFIG 2u

static gboolean
check_flags(guint flags, const char *func, GError **error)
{
    g_autofree char *msg = NULL;

    if (!(flags & ~(AFFECT_LIVE | AFFECT_CONFIG)))
        return TRUE;
    msg = g_strdup_printf("unsupported flags (0x%x) in function %s",
                          flags & ~(AFFECT_LIVE | AFFECT_CONFIG), func);
    return core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_INVALID_ARG, msg);
}

/* libvirt's virDomainObjGetDefs (dom->lock held): AFFECT_CURRENT is the
 * live definition of a running guest, else the persistent one; LIVE needs
 * a running guest, CONFIG a persistent domain. Either result may be
 * NULL. */
static gboolean
get_defs(QemuDomain *dom, guint flags, CoreDomainDef **ret_live, CoreDomainDef **ret_config,
         GError **error)
{
    gboolean active = qemu_domain_is_active(dom);

    *ret_live = *ret_config = NULL;
    if (!(flags & (AFFECT_LIVE | AFFECT_CONFIG)))
        flags |= active ? AFFECT_LIVE : AFFECT_CONFIG;
    if ((flags & AFFECT_LIVE) && !active)
        return core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_INVALID,
                                   "domain is not running");
    if ((flags & AFFECT_CONFIG) && !dom->persistent)
        return core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_INVALID,
                                   "transient domains do not have any persistent config");
    if (flags & AFFECT_LIVE)
        *ret_live = dom->def;
    if (flags & AFFECT_CONFIG)
        *ret_config = active ? dom->newdef : dom->def;
    return TRUE;
}

/* Sends METADATA_CHANGE to every connection (qemu-events.c's order:
 * under sink_lock, sinks only queue). */
static void
emit_change(QemuDriver *driver, const CoreDomainRef *ref, int type, const char *uri)
{
    CoreEvent ev = {
        .kind = CORE_EVENT_DOMAIN_METADATA_CHANGE,
        .dom = (CoreDomainRef *)ref,
        .event = type,
        .nsuri = (char *)uri,
    };

    g_mutex_lock(&driver->sink_lock);
    for (guint i = 0; i < driver->conns->len; i++) {
        QemuConn *c = g_ptr_array_index(driver->conns, i);

        if (c->sink)
            c->sink(&ev, c->sink_data);
    }
    g_mutex_unlock(&driver->sink_lock);
}

/* The change itself (dom->lock and the job held). */
static gboolean
apply(QemuDomain *dom, int type, const char *metadata, const char *key, const char *uri,
      guint flags, GError **error)
{
    CoreDomainDef *live = NULL;
    CoreDomainDef *config = NULL;

    if (!get_defs(dom, flags, &live, &config, error))
        return FALSE;
    if (live) {
        if (!core_domain_def_set_metadata(live, type, metadata, key, uri, error))
            return FALSE;
        qemu_domain_save_status(dom);
    }
    if (config) {
        if (!core_domain_def_set_metadata(config, type, metadata, key, uri, error) ||
            !qemu_domain_save_config(dom->driver, config, error))
            return FALSE;
    }
    return TRUE;
}

gboolean
qemu_set_metadata(gpointer conn, const CoreDomainRef *ref, int type, const char *metadata,
                  const char *key, const char *uri, guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = NULL;
    g_autoptr(CoreDomainRef) evref = NULL;
    gboolean ok;

    if (!core_domain_metadata_check_set(type, metadata, key, uri, error) ||
        !check_flags(flags, "qemuDomainSetMetadata", error))
        return FALSE;
    if (!(dom = qemu_domain_find_uuid(qemu_driver_self, ref->uuid, error)) ||
        !qemu_domain_job_acquire(dom, "remoteDispatchDomainSetMetadata", error))
        return FALSE;
    g_mutex_lock(&dom->lock);
    ok = apply(dom, type, metadata, key, uri, flags, error);
    if (ok)
        evref = qemu_domain_make_ref(dom);
    g_mutex_unlock(&dom->lock);
    qemu_domain_job_end(dom);
    if (ok)
        emit_change(dom->driver, evref, type, uri);
    return ok;
}

char *
qemu_get_metadata(gpointer conn, const CoreDomainRef *ref, int type, const char *uri,
                  guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = NULL;
    CoreDomainDef *live = NULL;
    CoreDomainDef *config = NULL;
    char *ret = NULL;

    if (!core_domain_metadata_check_get(type, uri, flags, error) ||
        !check_flags(flags, "qemuDomainGetMetadata", error))
        return NULL;
    if (!(dom = qemu_domain_find_uuid(qemu_driver_self, ref->uuid, error)) ||
        !core_domain_metadata_check_type(type, error))
        return NULL;
    g_mutex_lock(&dom->lock);
    if (get_defs(dom, flags, &live, &config, error))
        ret = core_domain_def_get_metadata(live ? live : config, type, uri, error);
    g_mutex_unlock(&dom->lock);
    return ret;
}
