/* qemu-driver: CoreHostOps and CoreDomainOps of the QEMU driver. */
#include <string.h>

#include "core-autoptr.h"
#include "core-caps-conf.h"
#include "core-error.h"
#include "core-uri.h"
#include "qemu-driver.h"
#include "qemu-domain.h"
#include "qemu-metadata.h"
#include "qemu-process.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

/* virDomainXMLFlags, virDomainDefineFlags, virConnectListAllDomainsFlags */
#define XML_SECURE 1u
#define XML_INACTIVE 2u
#define XML_UPDATE_CPU 4u
#define XML_MIGRATABLE 8u
#define DEFINE_VALIDATE 1u
#define START_PAUSED 1u
#define START_FORCE_BOOT 8u
#define START_VALIDATE 16u
/* virDomainRebootFlagValues: INITCTL (4) and SIGNAL (8) are LXC's,
 * PARAVIRT (16) Xen's; libvirt's QEMU driver refuses them as bad flags */
#define REBOOT_ACPI_POWER_BTN 1u
#define REBOOT_GUEST_AGENT 2u

static gboolean
check_flags(guint flags, guint supported, const char *func, GError **error)
{
    g_autofree char *msg = NULL;

    if (!(flags & ~supported))
        return TRUE;
    msg = g_strdup_printf("unsupported flags (0x%x) in function %s", flags & ~supported, func);
    return core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_INVALID_ARG, msg);
}

static QemuDomain *
get_dom(const CoreDomainRef *ref, GError **error)
{
    return qemu_domain_find_uuid(qemu_driver_self, ref->uuid, error);
}

static gboolean
not_running(GError **error)
{
    return core_error_set(error, CORE_ERR_OPERATION_INVALID, "domain is not running");
}

/* libvirt's virDomainObjCheckActive(): the same words, from the domain layer */
static gboolean
not_active(GError **error)
{
    return core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_INVALID,
                               "domain is not running");
}

/* ---- host ---- */

static gboolean
qemu_connect_open(const char *uri, guint flags, CoreEventSink sink, gpointer sink_data,
                  gpointer *ret_conn, GError **error)
{
    g_autoptr(CoreUri) parsed = NULL;
    QemuConn *conn;

    if (!qemu_driver_self)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "the QEMU driver is not running");
    if (!(parsed = core_uri_parse(uri && *uri ? uri : "qemu:///system", error)))
        return FALSE;
    if (g_strcmp0(parsed->driver, "qemu") != 0)
        return core_error_set(error, CORE_ERR_NO_CONNECT, "%s", uri);
    conn = g_new0(QemuConn, 1);
    conn->driver = qemu_driver_self;
    conn->uri = g_strdup(uri && *uri ? uri : "qemu:///system");
    conn->sink = sink;
    conn->sink_data = sink_data;
    qemu_events_add_conn(conn->driver, conn);
    *ret_conn = conn;
    return TRUE;
}

static void
qemu_connect_close(gpointer opaque)
{
    QemuConn *conn = opaque;

    if (!conn)
        return;
    qemu_events_remove_conn(conn->driver, conn);
    g_free(conn->uri);
    g_free(conn);
}

static char *
qemu_connect_get_type(gpointer conn, GError **error)
{
    return g_strdup("QEMU");
}

static gboolean
qemu_connect_get_version(gpointer conn, guint64 *ret, GError **error)
{
    g_autoptr(QemuCaps) caps = qemu_driver_get_caps(qemu_driver_self, NULL, error);

    if (!caps)
        return FALSE;
    *ret = qemu_caps_get_version(caps);
    return TRUE;
}

static char *
qemu_connect_get_uri(gpointer conn, GError **error)
{
    return g_strdup(((QemuConn *)conn)->uri);
}

static char *
qemu_connect_get_hostname(gpointer conn, GError **error)
{
    return g_strdup(g_get_host_name());
}

static char *
qemu_connect_get_capabilities(gpointer conn, GError **error)
{
    g_autoptr(QemuCaps) qcaps = qemu_driver_get_caps(qemu_driver_self, NULL, error);
    g_autoptr(CoreCaps) caps = NULL;
    GPtrArray *machines;
    CoreCapsGuest *guest;

    if (!qcaps)
        return NULL;
    caps = core_caps_new();
    caps->host.arch = g_strdup(qemu_caps_get_arch(qcaps));
    guest = core_caps_add_guest(caps, "hvm", qemu_caps_get_arch(qcaps), 64,
                                qemu_caps_get_binary(qcaps));
    machines = qemu_caps_get_machines(qcaps);
    for (guint i = 0; machines && i < machines->len; i++) {
        const QemuCapsMachine *m = g_ptr_array_index(machines, i);
        CoreCapsMachine *cm = g_new0(CoreCapsMachine, 1);

        cm->name = g_strdup(m->name);
        cm->max_cpus = m->max_cpus > 0 ? (guint)m->max_cpus : 0;
        cm->deprecated = m->deprecated;
        g_ptr_array_add(guest->machines, cm);
        if (m->alias) {
            cm = g_new0(CoreCapsMachine, 1);
            cm->name = g_strdup(m->alias);
            cm->canonical = g_strdup(m->name);
            cm->max_cpus = m->max_cpus > 0 ? (guint)m->max_cpus : 0;
            g_ptr_array_add(guest->machines, cm);
        }
    }
    core_caps_guest_add_domain(guest, "qemu");
    if (qemu_caps_kvm_usable(qcaps))
        core_caps_guest_add_domain(guest, "kvm");
    core_caps_guest_add_feature(guest, "acpi", "on", "yes");
    core_caps_guest_add_feature(guest, "apic", "on", "no");
    return core_caps_format(caps);
}

static gboolean
qemu_node_get_info(gpointer conn, CoreNodeInfo *ret, GError **error)
{
    g_autofree char *meminfo = NULL;
    const char *p;

    memset(ret, 0, sizeof(*ret));
    g_strlcpy(ret->model, "x86_64", sizeof(ret->model));
    if (g_file_get_contents("/proc/meminfo", &meminfo, NULL, NULL) &&
        (p = strstr(meminfo, "MemTotal:")))
        ret->memory_kib = g_ascii_strtoull(p + strlen("MemTotal:"), NULL, 10);
    ret->cpus = (int)g_get_num_processors();
    ret->nodes = 1;
    ret->sockets = 1;
    ret->cores = ret->cpus;
    ret->threads = 1;
    return TRUE;
}

static int
qemu_connect_supports_feature(gpointer conn, int feature, GError **error)
{
    return 0;
}

static gboolean
qemu_node_get_security_model(gpointer conn, CoreSecurityModel *ret, GError **error)
{
    memset(ret, 0, sizeof(*ret));
    return TRUE;
}

static char *
qemu_connect_get_domain_capabilities(gpointer conn, const char *emulatorbin, const char *arch,
                                     const char *machine, const char *virttype, guint flags,
                                     GError **error)
{
    if (!check_flags(flags, 0, "qemuConnectGetDomainCapabilities", error))
        return NULL;
    return qemu_domain_caps_format(qemu_driver_self, emulatorbin, arch, machine, virttype,
                                   error);
}

static const CoreHostOps qemu_host_ops = {
    .open = qemu_connect_open,
    .close = qemu_connect_close,
    .get_type = qemu_connect_get_type,
    .get_version = qemu_connect_get_version,
    .get_uri = qemu_connect_get_uri,
    .get_hostname = qemu_connect_get_hostname,
    .get_capabilities = qemu_connect_get_capabilities,
    .node_get_info = qemu_node_get_info,
    .supports_feature = qemu_connect_supports_feature,
    .node_get_security_model = qemu_node_get_security_model,
    .get_domain_capabilities = qemu_connect_get_domain_capabilities,
};

/* ---- domain lists and lookups ---- */

static gboolean
list_match(guint flags, guint yes, guint no, gboolean value)
{
    if (!(flags & (yes | no)) || (flags & (yes | no)) == (yes | no))
        return TRUE;
    return (flags & yes) ? value : !value;
}

static gboolean
dom_matches(QemuDomain *dom, guint flags)
{
    gboolean active = qemu_domain_is_active(dom);
    int st = dom->state;

    if (!list_match(flags, 1, 2, active) || !list_match(flags, 4, 8, dom->persistent) ||
        !list_match(flags, 1024, 2048, dom->autostart) || !list_match(flags, 512, 256, TRUE) ||
        !list_match(flags, 8192, 4096, TRUE))
        return FALSE;
    if (flags & (16 | 32 | 64 | 128))
        return ((flags & 16) && active && st == QEMU_STATE_RUNNING) ||
               ((flags & 32) && active && st == QEMU_STATE_PAUSED) ||
               ((flags & 64) && !active) ||
               ((flags & 128) && active && st != QEMU_STATE_RUNNING &&
                st != QEMU_STATE_PAUSED);
    return TRUE;
}

static GPtrArray *
qemu_domain_list_all(gpointer conn, guint flags, GError **error)
{
    g_autoptr(GPtrArray) list = qemu_domain_list(qemu_driver_self);
    GPtrArray *ret = g_ptr_array_new_with_free_func((GDestroyNotify)core_domain_ref_free);

    for (guint i = 0; i < list->len; i++) {
        QemuDomain *dom = g_ptr_array_index(list, i);

        g_mutex_lock(&dom->lock);
        if (dom_matches(dom, flags))
            g_ptr_array_add(ret, qemu_domain_make_ref(dom));
        g_mutex_unlock(&dom->lock);
    }
    return ret;
}

static int
count_domains(gboolean active)
{
    g_autoptr(GPtrArray) list = qemu_domain_list(qemu_driver_self);
    int n = 0;

    for (guint i = 0; i < list->len; i++) {
        QemuDomain *dom = g_ptr_array_index(list, i);

        g_mutex_lock(&dom->lock);
        if (qemu_domain_is_active(dom) == active && (active || dom->persistent))
            n++;
        g_mutex_unlock(&dom->lock);
    }
    return n;
}

static int
qemu_num_of_domains(gpointer conn, GError **error)
{
    return count_domains(TRUE);
}

static int
qemu_num_of_defined_domains(gpointer conn, GError **error)
{
    return count_domains(FALSE);
}

static CoreDomainRef *
ref_of(QemuDomain *dom)
{
    CoreDomainRef *ref;

    if (!dom)
        return NULL;
    g_mutex_lock(&dom->lock);
    ref = qemu_domain_make_ref(dom);
    g_mutex_unlock(&dom->lock);
    qemu_domain_unref(dom);
    return ref;
}

static CoreDomainRef *
qemu_lookup_by_id(gpointer conn, int id, GError **error)
{
    return ref_of(qemu_domain_find_id(qemu_driver_self, id, error));
}

static CoreDomainRef *
qemu_lookup_by_name(gpointer conn, const char *name, GError **error)
{
    return ref_of(qemu_domain_find_name(qemu_driver_self, name, error));
}

static CoreDomainRef *
qemu_lookup_by_uuid(gpointer conn, const guint8 *uuid, GError **error)
{
    return ref_of(qemu_domain_find_uuid(qemu_driver_self, uuid, error));
}

/* ---- define, create, undefine ---- */

static CoreDomainDef *
parse_def(const char *xml, guint parse_flags, GError **error)
{
    g_autoptr(CoreDomainDef) def = core_domain_def_parse_string(xml, parse_flags, error);

    if (!def || !qemu_domain_def_post_parse(qemu_driver_self, def, error))
        return NULL;
    if (g_strcmp0(def->virt_type, "qemu") != 0 && g_strcmp0(def->virt_type, "kvm") != 0) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "Emulator '%s' does not support virt type '%s'",
                       core_domain_def_priv(def)->emulator, def->virt_type);
        return NULL;
    }
    return g_steal_pointer(&def);
}

static CoreDomainRef *
qemu_define_xml(gpointer conn, const char *xml, guint flags, GError **error)
{
    QemuDriver *driver = qemu_driver_self;
    g_autoptr(QemuDomain) dom = NULL;
    g_autoptr(CoreDomainDef) saved = NULL;
    CoreDomainDef *def;
    CoreDomainRef *ref;
    gboolean is_new;

    if (!check_flags(flags, DEFINE_VALIDATE, "qemuDomainDefineXMLFlags", error) ||
        !(def = parse_def(xml, CORE_DOMAIN_PARSE_INACTIVE, error)))
        return NULL;
    saved = core_domain_def_copy(def);
    if (!(dom = qemu_domain_add(driver, def, FALSE, &is_new, error)))
        return NULL;
    if (!qemu_domain_save_config(driver, saved, error)) {
        if (is_new)
            qemu_domain_remove(driver, dom);
        return NULL;
    }
    g_mutex_lock(&dom->lock);
    ref = qemu_domain_make_ref(dom);
    g_mutex_unlock(&dom->lock);
    qemu_events_lifecycle(driver, ref, QEMU_EVENT_DEFINED, is_new ? 0 : 1);
    return ref;
}

static CoreDomainRef *
qemu_create_xml(gpointer conn, const char *xml, guint flags, GError **error)
{
    QemuDriver *driver = qemu_driver_self;
    g_autoptr(QemuDomain) dom = NULL;
    CoreDomainDef *def;
    CoreDomainRef *ref;
    gboolean is_new, ok;

    if (!check_flags(flags, START_VALIDATE | START_FORCE_BOOT, "qemuDomainCreateXML", error) ||
        !(def = parse_def(xml, 0, error)))
        return NULL;
    if (!(dom = qemu_domain_add(driver, def, TRUE, &is_new, error)))
        return NULL;
    ok = qemu_domain_job_acquire(dom, "remoteDispatchDomainCreateXML", error);
    if (ok) {
        ok = qemu_process_start(dom, error);
        qemu_domain_job_end(dom);
    }
    if (!ok) {
        g_mutex_lock(&dom->lock);
        ok = dom->persistent;
        g_mutex_unlock(&dom->lock);
        if (!ok)
            qemu_domain_remove(driver, dom);
        return NULL;
    }
    g_mutex_lock(&dom->lock);
    ref = qemu_domain_make_ref(dom);
    g_mutex_unlock(&dom->lock);
    return ref;
}

static gboolean
qemu_undefine(gpointer conn, const CoreDomainRef *ref, guint flags, GError **error)
{
    QemuDriver *driver = qemu_driver_self;
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    g_autoptr(CoreDomainRef) evref = NULL;
    gboolean remove;

    if (!dom || !qemu_domain_job_acquire(dom, "remoteDispatchDomainUndefine", error))
        return FALSE;
    g_mutex_lock(&dom->lock);
    if (!dom->persistent) {
        g_mutex_unlock(&dom->lock);
        qemu_domain_job_end(dom);
        return core_error_set(error, CORE_ERR_OPERATION_INVALID,
                              "cannot undefine transient domain");
    }
    if (!qemu_domain_delete_config(driver, dom->def->name, error)) {
        g_mutex_unlock(&dom->lock);
        qemu_domain_job_end(dom);
        return FALSE;
    }
    dom->persistent = FALSE;
    dom->autostart = FALSE;
    g_clear_pointer(&dom->newdef, core_domain_def_free);
    remove = !qemu_domain_is_active(dom);
    if (!remove)
        qemu_domain_save_status(dom);
    evref = qemu_domain_make_ref(dom);
    g_mutex_unlock(&dom->lock);
    if (remove)
        qemu_domain_remove(driver, dom);
    qemu_domain_job_end(dom);
    qemu_events_lifecycle(driver, evref, QEMU_EVENT_UNDEFINED, 0);
    return TRUE;
}

/* ---- lifecycle ---- */

static gboolean
qemu_create(gpointer conn, const CoreDomainRef *ref, guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    gboolean ok;

    if (!dom || !check_flags(flags, START_FORCE_BOOT, "qemuDomainCreateWithFlags", error) ||
        !qemu_domain_job_acquire(dom, "remoteDispatchDomainCreate", error))
        return FALSE;
    ok = qemu_process_start(dom, error);
    qemu_domain_job_end(dom);
    return ok;
}

static gboolean
qemu_destroy(gpointer conn, const CoreDomainRef *ref, guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    /* VIR_DOMAIN_DESTROY_GRACEFUL (1): no SIGKILL */
    if (!dom || !check_flags(flags, 1, "qemuDomainDestroyFlags", error))
        return FALSE;
    /* no job: the call holding it may wait on a QEMU that hangs, and the
     * kill is what ends that wait (libvirt kills before taking the job) */
    return qemu_process_stop(dom, QEMU_SHUTOFF_DESTROYED, (flags & 1) ? 60000 : 5000, error);
}

static gboolean
qemu_shutdown(gpointer conn, const CoreDomainRef *ref, guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    gboolean ok;

    /* VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN (1) is the only method offered */
    if (!dom || !check_flags(flags, 1, "qemuDomainShutdownFlags", error) ||
        !qemu_domain_job_acquire(dom, "remoteDispatchDomainShutdown", error))
        return FALSE;
    ok = qemu_process_powerdown(dom, FALSE, error);
    qemu_domain_job_end(dom);
    return ok;
}

/* The guest agent method alone: no agent channel is ever connected, so it
 * fails as libvirt's does without a connected agent. */
static gboolean
agent_unavailable(QemuDomain *dom, GError **error)
{
    CoreDomainDefPriv *priv;
    gboolean running, configured = FALSE;

    g_mutex_lock(&dom->lock);
    running = qemu_domain_is_active(dom) && dom->state == QEMU_STATE_RUNNING;
    priv = core_domain_def_priv(dom->def);
    for (guint i = 0; priv->channels && i < priv->channels->len; i++) {
        CoreDomainChrDef *chr = g_ptr_array_index(priv->channels, i);

        configured = configured || g_strcmp0(chr->target_name, "org.qemu.guest_agent.0") == 0;
    }
    g_mutex_unlock(&dom->lock);
    if (!running)
        return not_running(error);
    if (configured)
        return core_error_set(error, CORE_ERR_AGENT_UNRESPONSIVE,
                              "QEMU guest agent is not connected");
    return core_error_set(error, CORE_ERR_ARGUMENT_UNSUPPORTED,
                          "QEMU guest agent is not configured");
}

/* libvirt's reboot of a QEMU guest: an ACPI power button press, and the
 * guest's shutdown that follows becomes a reset and a cont (a fake
 * reboot, qemu-process.c); with on_reboot destroy it stays a shutdown. */
static gboolean
qemu_reboot(gpointer conn, const CoreDomainRef *ref, guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = NULL;
    CoreDomainLifecycleAction action;
    gboolean ok;

    if (!check_flags(flags, REBOOT_ACPI_POWER_BTN | REBOOT_GUEST_AGENT, "qemuDomainReboot",
                     error) ||
        !(dom = get_dom(ref, error)))
        return FALSE;
    /* with both, the agent is tried first and ACPI when it fails */
    if ((flags & (REBOOT_GUEST_AGENT | REBOOT_ACPI_POWER_BTN)) == REBOOT_GUEST_AGENT)
        return agent_unavailable(dom, error);
    if (!qemu_domain_job_acquire(dom, "remoteDispatchDomainReboot", error))
        return FALSE;
    g_mutex_lock(&dom->lock);
    ok = qemu_domain_is_active(dom);
    action = core_domain_def_priv(dom->def)->on_reboot;
    g_mutex_unlock(&dom->lock);
    if (ok)
        ok = qemu_process_powerdown(dom, action != CORE_DOMAIN_LIFECYCLE_DESTROY &&
                                    action != CORE_DOMAIN_LIFECYCLE_PRESERVE, error);
    else
        not_active(error);
    qemu_domain_job_end(dom);
    return ok;
}

/* virDomainReset: system_reset, no help from the guest. */
static gboolean
qemu_reset(gpointer conn, const CoreDomainRef *ref, guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = NULL;
    gboolean ok;

    if (!check_flags(flags, 0, "qemuDomainReset", error) || !(dom = get_dom(ref, error)) ||
        !qemu_domain_job_acquire(dom, "remoteDispatchDomainReset", error))
        return FALSE;
    g_mutex_lock(&dom->lock);
    ok = qemu_domain_is_active(dom);
    g_mutex_unlock(&dom->lock);
    ok = ok ? qemu_process_reset(dom, error) : not_active(error);
    qemu_domain_job_end(dom);
    return ok;
}

/* stop / cont and the matching state change and event. */
static gboolean
pause_or_resume(const CoreDomainRef *ref, gboolean pause, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    g_autoptr(json_object) ret = NULL;
    g_autoptr(CoreDomainRef) evref = NULL;
    int from = pause ? QEMU_STATE_RUNNING : QEMU_STATE_PAUSED;
    gboolean needed;

    if (!dom || !qemu_domain_job_acquire(dom, pause ? "remoteDispatchDomainSuspend"
                                                    : "remoteDispatchDomainResume", error))
        return FALSE;
    g_mutex_lock(&dom->lock);
    needed = dom->state == from;
    if (!qemu_domain_is_active(dom)) {
        g_mutex_unlock(&dom->lock);
        qemu_domain_job_end(dom);
        return not_running(error);
    }
    g_mutex_unlock(&dom->lock);
    if (needed && !(ret = qemu_process_monitor_sync(dom, pause ? "stop" : "cont", NULL, error))) {
        qemu_domain_job_end(dom);
        return FALSE;
    }
    g_mutex_lock(&dom->lock);
    if (needed && qemu_domain_is_active(dom)) {
        dom->state = pause ? QEMU_STATE_PAUSED : QEMU_STATE_RUNNING;
        dom->reason = pause ? QEMU_PAUSED_USER : QEMU_RUNNING_UNPAUSED;
        qemu_domain_save_status(dom);
        evref = qemu_domain_make_ref(dom);
    }
    g_mutex_unlock(&dom->lock);
    qemu_domain_job_end(dom);
    if (evref)
        qemu_events_lifecycle(dom->driver, evref,
                              pause ? QEMU_EVENT_SUSPENDED : QEMU_EVENT_RESUMED, 0);
    return TRUE;
}

static gboolean
qemu_suspend(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    return pause_or_resume(ref, TRUE, error);
}

static gboolean
qemu_resume(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    return pause_or_resume(ref, FALSE, error);
}

/* ---- queries (main loop: a domain's lock at most) ---- */

static gboolean
qemu_get_info(gpointer conn, const CoreDomainRef *ref, CoreDomainInfo *ret, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    GPid pid;

    if (!dom)
        return FALSE;
    g_mutex_lock(&dom->lock);
    ret->state = dom->state;
    ret->max_mem_kib = dom->def->memory_kib;
    ret->memory_kib = dom->def->current_memory_kib;
    ret->nr_virt_cpu = dom->def->vcpus;
    pid = dom->pid;
    g_mutex_unlock(&dom->lock);
    ret->cpu_time_ns = pid > 0 ? qemu_process_cpu_time(pid) : 0;
    return TRUE;
}

static gboolean
qemu_get_state(gpointer conn, const CoreDomainRef *ref, guint flags, int *ret_state,
               int *ret_reason, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    if (!dom || !check_flags(flags, 0, "qemuDomainGetState", error))
        return FALSE;
    g_mutex_lock(&dom->lock);
    *ret_state = dom->state;
    *ret_reason = dom->reason;
    g_mutex_unlock(&dom->lock);
    return TRUE;
}

static char *
qemu_get_xml_desc(gpointer conn, const CoreDomainRef *ref, guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    const CoreDomainDef *def;
    guint fmt = 0;
    char *xml;

    if (!dom || !check_flags(flags, XML_SECURE | XML_INACTIVE | XML_UPDATE_CPU | XML_MIGRATABLE,
                             "qemuDomainGetXMLDesc", error))
        return NULL;
    if (flags & XML_SECURE)
        fmt |= CORE_DOMAIN_XML_SECURE;
    g_mutex_lock(&dom->lock);
    def = dom->def;
    if ((flags & (XML_INACTIVE | XML_MIGRATABLE)) || !qemu_domain_is_active(dom)) {
        fmt |= CORE_DOMAIN_XML_INACTIVE;
        if (dom->newdef && (flags & XML_INACTIVE))
            def = dom->newdef;
    }
    xml = core_domain_def_format(def, fmt);
    g_mutex_unlock(&dom->lock);
    return xml;
}

static char *
qemu_get_os_type(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    char *ret;

    if (!dom)
        return NULL;
    g_mutex_lock(&dom->lock);
    ret = g_strdup(dom->def->os_type ? dom->def->os_type : "hvm");
    g_mutex_unlock(&dom->lock);
    return ret;
}

static int
qemu_get_autostart(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    return dom ? dom->autostart : -1;
}

static gboolean
qemu_set_autostart(gpointer conn, const CoreDomainRef *ref, gboolean autostart,
                   GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    gboolean ok = TRUE;

    if (!dom || !qemu_domain_job_acquire(dom, "remoteDispatchDomainSetAutostart", error))
        return FALSE;
    g_mutex_lock(&dom->lock);
    if (!dom->persistent)
        ok = core_error_set(error, CORE_ERR_OPERATION_INVALID,
                            "cannot set autostart for transient domain");
    else if (!!dom->autostart != !!autostart &&
             (ok = qemu_domain_set_autostart_link(dom->driver, dom->def->name, autostart,
                                                  error)))
        dom->autostart = !!autostart;
    if (ok && qemu_domain_is_active(dom))
        qemu_domain_save_status(dom);
    g_mutex_unlock(&dom->lock);
    qemu_domain_job_end(dom);
    return ok;
}

static int
qemu_is_active(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    int ret;

    if (!dom)
        return -1;
    g_mutex_lock(&dom->lock);
    ret = qemu_domain_is_active(dom);
    g_mutex_unlock(&dom->lock);
    return ret;
}

static int
qemu_is_persistent(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    return dom ? dom->persistent : -1;
}

static int
qemu_is_updated(gpointer conn, const CoreDomainRef *ref, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    return dom ? 0 : -1;
}

static gboolean
qemu_get_max_memory(gpointer conn, const CoreDomainRef *ref, guint64 *ret_kib, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    if (!dom)
        return FALSE;
    g_mutex_lock(&dom->lock);
    *ret_kib = dom->def->memory_kib;
    g_mutex_unlock(&dom->lock);
    return TRUE;
}

static int
qemu_get_vcpus_flags(gpointer conn, const CoreDomainRef *ref, guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    guint cur;
    int ret;

    /* VIR_DOMAIN_AFFECT_LIVE 1, _CONFIG 2, VIR_DOMAIN_VCPU_MAXIMUM 4, _GUEST 8 */
    if (!dom || !check_flags(flags, 1 | 2 | 4, "qemuDomainGetVcpusFlags", error))
        return -1;
    g_mutex_lock(&dom->lock);
    cur = core_domain_def_priv(dom->def)->vcpus_current;
    ret = (int)((flags & 4) || cur == 0 ? dom->def->vcpus : cur);
    g_mutex_unlock(&dom->lock);
    return ret;
}

static int
qemu_has_managed_save_image(gpointer conn, const CoreDomainRef *ref, guint flags,
                            GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    return dom ? 0 : -1;
}

static int
qemu_snapshot_num(gpointer conn, const CoreDomainRef *ref, guint flags, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    return dom ? 0 : -1;
}

static gboolean
qemu_get_security_label(gpointer conn, const CoreDomainRef *ref, CoreSecurityLabel *ret,
                        GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    if (!dom)
        return FALSE;
    memset(ret, 0, sizeof(*ret));
    return TRUE;
}

static int
qemu_open_console(gpointer conn, const CoreDomainRef *ref, const char *dev_name, guint flags,
                  GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);

    /* VIR_DOMAIN_CONSOLE_FORCE 1, _SAFE 2 */
    if (!dom || !check_flags(flags, 1 | 2, "qemuDomainOpenConsole", error))
        return -1;
    return qemu_console_open(dom, dev_name, error);
}

/* virDomainControlState as libvirt reports it: OCCUPIED (2) while a call
 * waits for QEMU's answer, with the ms waited (a QEMU that hangs shows
 * here); JOB (1) while a call changes the domain otherwise; OK (0). */
static gboolean
qemu_get_control_info(gpointer conn, const CoreDomainRef *ref, guint flags, guint *state,
                      guint *details, guint64 *state_time, GError **error)
{
    g_autoptr(QemuDomain) dom = get_dom(ref, error);
    gint64 now = g_get_monotonic_time();
    gboolean ok = TRUE;

    if (!dom || !check_flags(flags, 0, "qemuDomainGetControlInfo", error))
        return FALSE;
    g_mutex_lock(&dom->lock);
    if (!qemu_domain_is_active(dom))
        ok = not_running(error);
    *state = !dom->job ? 0 : dom->mon_start ? 2 : 1;
    *details = 0;
    *state_time = !dom->job ? 0 : (guint64)(now - (dom->mon_start ? dom->mon_start
                                                                   : dom->job_start)) / 1000;
    g_mutex_unlock(&dom->lock);
    return ok;
}

static const CoreDomainOps qemu_domain_ops = {
    .list_all = qemu_domain_list_all,
    .num_of_domains = qemu_num_of_domains,
    .num_of_defined_domains = qemu_num_of_defined_domains,
    .lookup_by_id = qemu_lookup_by_id,
    .lookup_by_name = qemu_lookup_by_name,
    .lookup_by_uuid = qemu_lookup_by_uuid,
    .define_xml = qemu_define_xml,
    .create_xml = qemu_create_xml,
    .undefine = qemu_undefine,
    .create = qemu_create,
    .destroy = qemu_destroy,
    .shutdown = qemu_shutdown,
    .reboot = qemu_reboot,
    .reset = qemu_reset,
    .suspend = qemu_suspend,
    .resume = qemu_resume,
    .get_info = qemu_get_info,
    .get_state = qemu_get_state,
    .get_xml_desc = qemu_get_xml_desc,
    .get_os_type = qemu_get_os_type,
    .get_autostart = qemu_get_autostart,
    .set_autostart = qemu_set_autostart,
    .is_active = qemu_is_active,
    .is_persistent = qemu_is_persistent,
    .is_updated = qemu_is_updated,
    .get_max_memory = qemu_get_max_memory,
    .get_vcpus_flags = qemu_get_vcpus_flags,
    .has_managed_save_image = qemu_has_managed_save_image,
    .snapshot_num = qemu_snapshot_num,
    .get_security_label = qemu_get_security_label,
    .set_metadata = qemu_set_metadata,
    .get_metadata = qemu_get_metadata,
    .open_console = qemu_open_console,
    .get_control_info = qemu_get_control_info,
};

static const char *const qemu_schemes[] = { "qemu", NULL };

const CoreDriver qemu_driver = {
    .name = "qemu",
    .schemes = qemu_schemes,
    .host = &qemu_host_ops,
    .domain = &qemu_domain_ops,
};
