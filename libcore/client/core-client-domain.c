/* core-client-domain: VireoDomain handles and the domain calls. */
#define CORE_FROM_THIS CORE_FROM_DOMAIN
#include "core-client-priv.h"
#include "core-domain-conf.h"

#include <string.h>

VireoDomain *
core_client_domain_new(VireoConnect *conn, CoreDomainRef *ref)
{
    VireoDomain *dom = g_new0(VireoDomain, 1);

    g_atomic_ref_count_init(&dom->ref);
    dom->conn = vireo_connect_ref(conn);
    dom->ref_ = ref;
    return dom;
}

VireoDomain *
vireo_domain_ref(VireoDomain *dom)
{
    g_return_val_if_fail(dom, NULL);
    g_atomic_ref_count_inc(&dom->ref);
    return dom;
}

void
vireo_domain_unref(VireoDomain *dom)
{
    if (!dom || !g_atomic_ref_count_dec(&dom->ref))
        return;
    core_domain_ref_free(dom->ref_);
    vireo_connect_unref(dom->conn);
    g_free(dom);
}

VireoConnect *
vireo_domain_get_connect(VireoDomain *dom)
{
    g_return_val_if_fail(dom, NULL);
    return dom->conn;
}

const char *
vireo_domain_get_name(VireoDomain *dom)
{
    g_return_val_if_fail(dom, NULL);
    return dom->ref_->name;
}

const guint8 *
vireo_domain_get_uuid(VireoDomain *dom)
{
    g_return_val_if_fail(dom, NULL);
    return dom->ref_->uuid;
}

void
vireo_domain_get_uuid_string(VireoDomain *dom, char *buf)
{
    g_return_if_fail(dom && buf);
    core_client_uuid_format(dom->ref_->uuid, buf);
}

int
vireo_domain_get_id(VireoDomain *dom)
{
    g_return_val_if_fail(dom, -1);
    return dom->ref_->id;
}

/* Wraps a driver result into a handle; NULL stays NULL. */
static VireoDomain *
wrap(VireoConnect *conn, CoreDomainRef *ref)
{
    return ref ? core_client_domain_new(conn, ref) : NULL;
}

GPtrArray *
vireo_connect_list_all_domains(VireoConnect *conn, guint flags, GError **error)
{
    g_autoptr(GPtrArray) refs = NULL;
    g_autofree gpointer *items = NULL;
    gsize n = 0;
    GPtrArray *out = NULL;

    g_return_val_if_fail(conn, NULL);
    CORE_CLIENT_NEED(conn, domain, list_all, CORE_FROM_THIS, "virConnectListAllDomains",
                     error, NULL);
    if (!(refs = conn->drv->domain->list_all(conn->conn, flags, error)))
        return NULL;
    /* steal the items so that they move into the handles whatever free
     * function the driver gave its array */
    items = g_ptr_array_steal(refs, &n);
    out = g_ptr_array_new_full(n, (GDestroyNotify)vireo_domain_unref);
    for (gsize i = 0; i < n; i++)
        g_ptr_array_add(out, core_client_domain_new(conn, items[i]));
    return out;
}

int
vireo_connect_num_of_domains(VireoConnect *conn, GError **error)
{
    g_return_val_if_fail(conn, -1);
    CORE_CLIENT_NEED(conn, domain, num_of_domains, CORE_FROM_THIS, "virConnectNumOfDomains",
                     error, -1);
    return conn->drv->domain->num_of_domains(conn->conn, error);
}

int
vireo_connect_num_of_defined_domains(VireoConnect *conn, GError **error)
{
    g_return_val_if_fail(conn, -1);
    CORE_CLIENT_NEED(conn, domain, num_of_defined_domains, CORE_FROM_THIS,
                     "virConnectNumOfDefinedDomains", error, -1);
    return conn->drv->domain->num_of_defined_domains(conn->conn, error);
}

VireoDomain *
vireo_domain_lookup_by_id(VireoConnect *conn, int id, GError **error)
{
    g_return_val_if_fail(conn, NULL);
    CORE_CLIENT_NEED(conn, domain, lookup_by_id, CORE_FROM_THIS, "virDomainLookupByID", error,
                     NULL);
    return wrap(conn, conn->drv->domain->lookup_by_id(conn->conn, id, error));
}

VireoDomain *
vireo_domain_lookup_by_name(VireoConnect *conn, const char *name, GError **error)
{
    g_return_val_if_fail(conn && name, NULL);
    CORE_CLIENT_NEED(conn, domain, lookup_by_name, CORE_FROM_THIS, "virDomainLookupByName",
                     error, NULL);
    return wrap(conn, conn->drv->domain->lookup_by_name(conn->conn, name, error));
}

VireoDomain *
vireo_domain_lookup_by_uuid(VireoConnect *conn, const guint8 *uuid, GError **error)
{
    g_return_val_if_fail(conn && uuid, NULL);
    CORE_CLIENT_NEED(conn, domain, lookup_by_uuid, CORE_FROM_THIS, "virDomainLookupByUUID",
                     error, NULL);
    return wrap(conn, conn->drv->domain->lookup_by_uuid(conn->conn, uuid, error));
}

VireoDomain *
vireo_domain_lookup_by_uuid_string(VireoConnect *conn, const char *uuid, GError **error)
{
    guint8 raw[CORE_UUID_LEN];

    g_return_val_if_fail(conn && uuid, NULL);
    if (!core_client_uuid_parse(uuid, raw, error))
        return NULL;
    return vireo_domain_lookup_by_uuid(conn, raw, error);
}

VireoDomain *
vireo_domain_define_xml(VireoConnect *conn, const char *xml, guint flags, GError **error)
{
    g_return_val_if_fail(conn && xml, NULL);
    CORE_CLIENT_WRITABLE(conn, CORE_FROM_THIS, "virDomainDefineXMLFlags", error, NULL);
    CORE_CLIENT_NEED(conn, domain, define_xml, CORE_FROM_THIS, "virDomainDefineXMLFlags",
                     error, NULL);
    return wrap(conn, conn->drv->domain->define_xml(conn->conn, xml, flags, error));
}

VireoDomain *
vireo_domain_create_xml(VireoConnect *conn, const char *xml, guint flags, GError **error)
{
    g_return_val_if_fail(conn && xml, NULL);
    CORE_CLIENT_WRITABLE(conn, CORE_FROM_THIS, "virDomainCreateXML", error, NULL);
    CORE_CLIENT_NEED(conn, domain, create_xml, CORE_FROM_THIS, "virDomainCreateXML", error,
                     NULL);
    return wrap(conn, conn->drv->domain->create_xml(conn->conn, xml, flags, error));
}

/* The common shape: dom, writable or not, an entry taking (conn, ref, ...). */
#define DOM_PRE(dom, entry, api, writable, error, retval)                                   \
    g_return_val_if_fail(dom, retval);                                                      \
    if (writable)                                                                           \
        CORE_CLIENT_WRITABLE((dom)->conn, CORE_FROM_THIS, api, error, retval);              \
    CORE_CLIENT_NEED((dom)->conn, domain, entry, CORE_FROM_THIS, api, error, retval)

#define DOM_DRV(dom) ((dom)->conn->drv->domain)
#define DOM_ARGS(dom) (dom)->conn->conn, (dom)->ref_

/* A state change may assign or drop the id; keep the handle's id current
 * the way libvirt's handles are refreshed by lookups. */
static void
refresh_id(VireoDomain *dom)
{
    g_autoptr(CoreDomainRef) fresh = NULL;

    if (!DOM_DRV(dom)->lookup_by_uuid)
        return;
    fresh = DOM_DRV(dom)->lookup_by_uuid(dom->conn->conn, dom->ref_->uuid, NULL);
    if (fresh)
        dom->ref_->id = fresh->id;
}

gboolean
vireo_domain_undefine(VireoDomain *dom, guint flags, GError **error)
{
    DOM_PRE(dom, undefine, "virDomainUndefineFlags", TRUE, error, FALSE);
    return DOM_DRV(dom)->undefine(DOM_ARGS(dom), flags, error);
}

gboolean
vireo_domain_create(VireoDomain *dom, guint flags, GError **error)
{
    DOM_PRE(dom, create, "virDomainCreateWithFlags", TRUE, error, FALSE);
    if (!DOM_DRV(dom)->create(DOM_ARGS(dom), flags, error))
        return FALSE;
    refresh_id(dom);
    return TRUE;
}

gboolean
vireo_domain_destroy(VireoDomain *dom, guint flags, GError **error)
{
    DOM_PRE(dom, destroy, "virDomainDestroyFlags", TRUE, error, FALSE);
    if (!DOM_DRV(dom)->destroy(DOM_ARGS(dom), flags, error))
        return FALSE;
    dom->ref_->id = -1;
    return TRUE;
}

gboolean
vireo_domain_shutdown(VireoDomain *dom, guint flags, GError **error)
{
    DOM_PRE(dom, shutdown, "virDomainShutdownFlags", TRUE, error, FALSE);
    if (!DOM_DRV(dom)->shutdown(DOM_ARGS(dom), flags, error))
        return FALSE;
    refresh_id(dom);
    return TRUE;
}

gboolean
vireo_domain_reboot(VireoDomain *dom, guint flags, GError **error)
{
    DOM_PRE(dom, reboot, "virDomainReboot", TRUE, error, FALSE);
    return DOM_DRV(dom)->reboot(DOM_ARGS(dom), flags, error);
}

gboolean
vireo_domain_suspend(VireoDomain *dom, GError **error)
{
    DOM_PRE(dom, suspend, "virDomainSuspend", TRUE, error, FALSE);
    return DOM_DRV(dom)->suspend(DOM_ARGS(dom), error);
}

gboolean
vireo_domain_resume(VireoDomain *dom, GError **error)
{
    DOM_PRE(dom, resume, "virDomainResume", TRUE, error, FALSE);
    return DOM_DRV(dom)->resume(DOM_ARGS(dom), error);
}

gboolean
vireo_domain_get_info(VireoDomain *dom, VireoDomainInfo *ret, GError **error)
{
    CoreDomainInfo info = { 0 };

    g_return_val_if_fail(ret, FALSE);
    DOM_PRE(dom, get_info, "virDomainGetInfo", FALSE, error, FALSE);
    if (!DOM_DRV(dom)->get_info(DOM_ARGS(dom), &info, error))
        return FALSE;
    ret->state = info.state;
    ret->max_mem_kib = info.max_mem_kib;
    ret->memory_kib = info.memory_kib;
    ret->nr_virt_cpu = info.nr_virt_cpu;
    ret->cpu_time_ns = info.cpu_time_ns;
    return TRUE;
}

gboolean
vireo_domain_get_state(VireoDomain *dom, int *ret_state, int *ret_reason, GError **error)
{
    int state = 0, reason = 0;

    DOM_PRE(dom, get_state, "virDomainGetState", FALSE, error, FALSE);
    if (!DOM_DRV(dom)->get_state(DOM_ARGS(dom), 0, &state, &reason, error))
        return FALSE;
    if (ret_state)
        *ret_state = state;
    if (ret_reason)
        *ret_reason = reason;
    return TRUE;
}

char *
vireo_domain_get_xml_desc(VireoDomain *dom, guint flags, GError **error)
{
    /* libvirt refuses secure XML on read-only connections */
    DOM_PRE(dom, get_xml_desc, "virDomainGetXMLDesc", (flags & VIREO_DOMAIN_XML_SECURE) != 0,
            error, NULL);
    return DOM_DRV(dom)->get_xml_desc(DOM_ARGS(dom), flags, error);
}

int
vireo_domain_open_console(VireoDomain *dom, const char *dev_name, guint flags, GError **error)
{
    DOM_PRE(dom, open_console, "virDomainOpenConsole", TRUE, error, -1);
    return DOM_DRV(dom)->open_console(DOM_ARGS(dom), dev_name, flags, error);
}

char *
vireo_domain_get_os_type(VireoDomain *dom, GError **error)
{
    DOM_PRE(dom, get_os_type, "virDomainGetOSType", FALSE, error, NULL);
    return DOM_DRV(dom)->get_os_type(DOM_ARGS(dom), error);
}

int
vireo_domain_get_autostart(VireoDomain *dom, GError **error)
{
    DOM_PRE(dom, get_autostart, "virDomainGetAutostart", FALSE, error, -1);
    return DOM_DRV(dom)->get_autostart(DOM_ARGS(dom), error);
}

gboolean
vireo_domain_set_autostart(VireoDomain *dom, gboolean autostart, GError **error)
{
    DOM_PRE(dom, set_autostart, "virDomainSetAutostart", TRUE, error, FALSE);
    return DOM_DRV(dom)->set_autostart(DOM_ARGS(dom), autostart, error);
}

int
vireo_domain_is_active(VireoDomain *dom, GError **error)
{
    DOM_PRE(dom, is_active, "virDomainIsActive", FALSE, error, -1);
    return DOM_DRV(dom)->is_active(DOM_ARGS(dom), error);
}

int
vireo_domain_is_persistent(VireoDomain *dom, GError **error)
{
    DOM_PRE(dom, is_persistent, "virDomainIsPersistent", FALSE, error, -1);
    return DOM_DRV(dom)->is_persistent(DOM_ARGS(dom), error);
}

int
vireo_domain_is_updated(VireoDomain *dom, GError **error)
{
    DOM_PRE(dom, is_updated, "virDomainIsUpdated", FALSE, error, -1);
    return DOM_DRV(dom)->is_updated(DOM_ARGS(dom), error);
}

gboolean
vireo_domain_get_max_memory(VireoDomain *dom, guint64 *ret_kib, GError **error)
{
    g_return_val_if_fail(ret_kib, FALSE);
    DOM_PRE(dom, get_max_memory, "virDomainGetMaxMemory", FALSE, error, FALSE);
    return DOM_DRV(dom)->get_max_memory(DOM_ARGS(dom), ret_kib, error);
}

gboolean
vireo_domain_set_memory_flags(VireoDomain *dom, guint64 kib, guint flags, GError **error)
{
    DOM_PRE(dom, set_memory_flags, "virDomainSetMemoryFlags", TRUE, error, FALSE);
    return DOM_DRV(dom)->set_memory_flags(DOM_ARGS(dom), kib, flags, error);
}

int
vireo_domain_get_vcpus_flags(VireoDomain *dom, guint flags, GError **error)
{
    DOM_PRE(dom, get_vcpus_flags, "virDomainGetVcpusFlags", FALSE, error, -1);
    return DOM_DRV(dom)->get_vcpus_flags(DOM_ARGS(dom), flags, error);
}

gboolean
vireo_domain_set_vcpus_flags(VireoDomain *dom, guint nvcpus, guint flags, GError **error)
{
    DOM_PRE(dom, set_vcpus_flags, "virDomainSetVcpusFlags", TRUE, error, FALSE);
    return DOM_DRV(dom)->set_vcpus_flags(DOM_ARGS(dom), nvcpus, flags, error);
}

int
vireo_domain_has_managed_save_image(VireoDomain *dom, guint flags, GError **error)
{
    DOM_PRE(dom, has_managed_save_image, "virDomainHasManagedSaveImage", FALSE, error, -1);
    return DOM_DRV(dom)->has_managed_save_image(DOM_ARGS(dom), flags, error);
}

int
vireo_domain_snapshot_num(VireoDomain *dom, guint flags, GError **error)
{
    DOM_PRE(dom, snapshot_num, "virDomainSnapshotNum", FALSE, error, -1);
    return DOM_DRV(dom)->snapshot_num(DOM_ARGS(dom), flags, error);
}

gboolean
vireo_domain_get_security_label(VireoDomain *dom, VireoSecurityLabel *ret, GError **error)
{
    g_autofree CoreSecurityLabel *label = g_new0(CoreSecurityLabel, 1);

    g_return_val_if_fail(ret, FALSE);
    DOM_PRE(dom, get_security_label, "virDomainGetSecurityLabel", FALSE, error, FALSE);
    if (!DOM_DRV(dom)->get_security_label(DOM_ARGS(dom), label, error))
        return FALSE;
    G_STATIC_ASSERT(sizeof(ret->label) == sizeof(label->label));
    g_strlcpy(ret->label, label->label, sizeof(ret->label));
    ret->enforcing = label->enforcing;
    return TRUE;
}

/* libvirt's client library checks the arguments before any driver sees
 * the call; the drivers check them again for callers of the wire. */
gboolean
vireo_domain_set_metadata(VireoDomain *dom, int type, const char *metadata, const char *key,
                          const char *uri, guint flags, GError **error)
{
    g_return_val_if_fail(dom, FALSE);
    CORE_CLIENT_WRITABLE(dom->conn, CORE_FROM_THIS, "virDomainSetMetadata", error, FALSE);
    if (!core_domain_metadata_check_set(type, metadata, key, uri, error))
        return FALSE;
    DOM_PRE(dom, set_metadata, "virDomainSetMetadata", FALSE, error, FALSE);
    return DOM_DRV(dom)->set_metadata(DOM_ARGS(dom), type, metadata, key, uri, flags, error);
}

char *
vireo_domain_get_metadata(VireoDomain *dom, int type, const char *uri, guint flags,
                          GError **error)
{
    g_return_val_if_fail(dom, NULL);
    if (!core_domain_metadata_check_get(type, uri, flags, error))
        return NULL;
    DOM_PRE(dom, get_metadata, "virDomainGetMetadata", FALSE, error, NULL);
    return DOM_DRV(dom)->get_metadata(DOM_ARGS(dom), type, uri, flags, error);
}
