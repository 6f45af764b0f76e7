/* testdrv-dump: runs the operation list of tests/integration/testdrv-compat.py
 * on core_test_driver and prints the results in the same format, one line
 * per operation: "LABEL: OK VALUE" (VALUE as Python's str()/repr() prints
 * it) or "LABEL: ERR CODE ORIGIN MESSAGE". testdrv-compat.py runs the same
 * list on libvirt's test:///default and compares the two outputs.
 */
#include "vireo-config.h"

#include <stdio.h>
#include <string.h>

#include "core-driver.h"
#include "core-error.h"
#include "core-uuid.h"

#define DOM_XML                                                                  \
    "<domain type='test'><name>demo1</name>"                                     \
    "<uuid>11111111-2222-3333-4444-555555555555</uuid>"                          \
    "<memory>1048576</memory><vcpu>2</vcpu><os><type>hvm</type></os><devices>"  \
    "<interface type='network'><mac address='52:54:00:11:22:33'/>"               \
    "<source network='default'/></interface></devices></domain>"
#define DOM_XML_SAME_NAME                                                        \
    "<domain type='test'><name>demo1</name>"                                     \
    "<uuid>11111111-2222-3333-4444-555555555556</uuid>"                          \
    "<memory>1048576</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>"
#define DOM_XML_SAME_UUID                                                        \
    "<domain type='test'><name>demo2</name>"                                     \
    "<uuid>11111111-2222-3333-4444-555555555555</uuid>"                          \
    "<memory>1048576</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>"
#define TRANSIENT_XML                                                            \
    "<domain type='test'><name>tr1</name>"                                       \
    "<uuid>77777777-2222-3333-4444-555555555555</uuid>"                          \
    "<memory>1048576</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>"
#define NET_XML                                                                          \
    "<network><name>net1</name><uuid>22222222-2222-3333-4444-555555555555</uuid>"        \
    "<bridge name='vbr1'/></network>"
#define NET2_XML                                                                         \
    "<network><name>net2</name><uuid>22222222-2222-3333-4444-666666666666</uuid>"        \
    "</network>"
#define POOL_XML                                                                         \
    "<pool type='dir'><name>p1</name><uuid>33333333-2222-3333-4444-555555555555</uuid>"  \
    "<target><path>/p1</path></target></pool>"
#define POOL2_XML                                                                        \
    "<pool type='dir'><name>p2</name><uuid>44444444-2222-3333-4444-555555555555</uuid>"  \
    "<target><path>/p2</path></target></pool>"
#define VOL_XML                                                                          \
    "<volume><name>v1.img</name><capacity unit='M'>10</capacity>"                        \
    "<allocation unit='M'>5</allocation></volume>"
#define BIG_VOL_XML                                                                      \
    "<volume><name>big</name><capacity unit='T'>1</capacity>"                            \
    "<allocation unit='G'>200</allocation></volume>"

static const CoreDriver *drv = &core_test_driver;
static gpointer conn;
static GError *err;
static GMutex ev_lock;
static GPtrArray *events;

/* ---- output ------------------------------------------------------------- */

static void
ok(const char *label, const char *value)
{
    printf("%s: OK %s\n", label, value);
}

static void
okf(const char *label, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void
okf(const char *label, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *value = NULL;

    va_start(ap, fmt);
    value = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    ok(label, value);
}

/* Prints the pending error; returns TRUE when there was one. */
static gboolean
failed_msg(const char *label, gboolean message)
{
    if (!err)
        return FALSE;
    if (message)
        printf("%s: ERR %d %d %s\n", label, err->code, core_error_get_from(err), err->message);
    else
        printf("%s: ERR %d %d\n", label, err->code, core_error_get_from(err));
    g_clear_error(&err);
    return TRUE;
}

static gboolean
failed(const char *label)
{
    return failed_msg(label, TRUE);
}

static void
r_void(const char *label, gboolean res)
{
    if (!res && failed(label))
        return;
    ok(label, "0");
}

static void
r_int(const char *label, int value)
{
    if (value < 0 && failed(label))
        return;
    okf(label, "%d", value);
}

static void
r_str(const char *label, char *value)
{
    if (!value && failed(label))
        return;
    ok(label, value);
    g_free(value);
}

/* Python's repr() of a str without non-ASCII characters. */
static void
r_repr(const char *label, char *value)
{
    GString *buf;
    char quote;

    if (!value && failed(label))
        return;
    quote = (strchr(value, '\'') && !strchr(value, '"')) ? '"' : '\'';
    buf = g_string_new(NULL);
    g_string_append_c(buf, quote);
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == quote)
            g_string_append_printf(buf, "\\%c", *p);
        else if (*p == '\n')
            g_string_append(buf, "\\n");
        else if (*p == '\t')
            g_string_append(buf, "\\t");
        else if (*p == '\r')
            g_string_append(buf, "\\r");
        else if ((guchar)*p < 0x20 || *p == 0x7f)
            g_string_append_printf(buf, "\\x%02x", (guchar)*p);
        else
            g_string_append_c(buf, *p);
    }
    g_string_append_c(buf, quote);
    ok(label, buf->str);
    g_string_free(buf, TRUE);
    g_free(value);
}

static void
r_dom_name(const char *label, CoreDomainRef *ref)
{
    if (!ref && failed(label))
        return;
    ok(label, ref->name);
    core_domain_ref_free(ref);
}

static void
r_dom_id(const char *label, CoreDomainRef *ref)
{
    if (!ref && failed(label))
        return;
    okf(label, "%d", ref->id);
    core_domain_ref_free(ref);
}

/* ---- events --------------------------------------------------------------- */

static void
sink(const CoreEvent *ev, gpointer data)
{
    char *line = NULL;

    switch (ev->kind) {
    case CORE_EVENT_DOMAIN_LIFECYCLE:
        line = g_strdup_printf("dom %s %d %d %d", ev->dom->name, ev->dom->id, ev->event,
                               ev->detail);
        break;
    case CORE_EVENT_NETWORK_LIFECYCLE:
        line = g_strdup_printf("net %s %d %d", ev->net->name, ev->event, ev->detail);
        break;
    case CORE_EVENT_POOL_LIFECYCLE:
        line = g_strdup_printf("pool %s %d %d", ev->pool->name, ev->event, ev->detail);
        break;
    case CORE_EVENT_POOL_REFRESH:
        line = g_strdup_printf("refresh %s", ev->pool->name);
        break;
    default:
        return;
    }
    g_mutex_lock(&ev_lock);
    g_ptr_array_add(events, line);
    g_mutex_unlock(&ev_lock);
}

static void
flush_events(const char *label)
{
    g_autofree char *joined = NULL;

    g_mutex_lock(&ev_lock);
    g_ptr_array_add(events, NULL);
    joined = g_strjoinv(";", (char **)events->pdata);
    g_ptr_array_set_size(events, 0);
    g_mutex_unlock(&ev_lock);
    ok(label, joined);
}

/* ---- helpers mirroring the python side ------------------------------------- */

static int
name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, comma-joined names of @list (elements start with a char *name,
 * except volume refs, whose name is the second field). */
static void
r_names(const char *label, GPtrArray *list, gboolean vols)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autofree char *joined = NULL;

    if (!list && failed(label))
        return;
    for (guint i = 0; i < list->len; i++) {
        gpointer item = g_ptr_array_index(list, i);

        g_ptr_array_add(names, vols ? ((CoreVolRef *)item)->name : *(char **)item);
    }
    g_ptr_array_sort(names, name_cmp);
    g_ptr_array_add(names, NULL);
    joined = g_strjoinv(",", (char **)names->pdata);
    ok(label, joined);
    g_ptr_array_unref(list);
}

static CoreDomainRef *
dom_lookup(const char *name)
{
    return drv->domain->lookup_by_name(conn, name, NULL);
}

static void
dom_state(const char *label, CoreDomainRef *d)
{
    int state = 0, reason = 0;

    if (!drv->domain->get_state(conn, d, 0, &state, &reason, &err) && failed(label))
        return;
    okf(label, "[%d, %d]", state, reason);
}

static void
dom_info(const char *label, CoreDomainRef *d)
{
    CoreDomainInfo info;

    if (!drv->domain->get_info(conn, d, &info, &err) && failed(label))
        return;
    okf(label, "[%d, %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", %u]", info.state,
        info.max_mem_kib, info.memory_kib, info.nr_virt_cpu);
}

/* virDomainGetID answers from the handle, which libvirt's test driver
 * keeps current; the current id is the same thing here. */
static void
dom_id(const char *label, CoreDomainRef *d)
{
    r_dom_id(label, drv->domain->lookup_by_uuid(conn, d->uuid, &err));
}

static void
uuid_str(const char *label, const guint8 *uuid)
{
    char buf[CORE_UUID_STRING_BUFLEN];

    ok(label, core_uuid_format(uuid, buf));
}

static void
pool_info(const char *label, CorePoolRef *p)
{
    CorePoolInfo info;

    if (!drv->storage->pool_get_info(conn, p, &info, &err) && failed(label))
        return;
    okf(label, "[%d, %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]",
        info.state, info.capacity, info.allocation, info.available);
}

static void
vol_info(const char *label, CoreVolRef *v)
{
    CoreVolInfo info;

    if (!drv->storage->vol_get_info(conn, v, &info, &err) && failed(label))
        return;
    okf(label, "[%d, %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]", info.type, info.capacity,
        info.allocation);
}

static guint8 *
uuid_of(const char *str)
{
    static guint8 buf[CORE_UUID_BUFLEN];

    core_uuid_parse(str, buf, NULL);
    return buf;
}

/* ---- the operation list ------------------------------------------------------ */

static void
run_host(void)
{
    const CoreHostOps *h = drv->host;
    CoreNodeInfo ni;
    guint64 v = 0;

    r_str("type", h->get_type(conn, &err));
    if (h->get_version(conn, &v, &err))
        okf("version", "%" G_GUINT64_FORMAT, v);
    r_str("uri", h->get_uri(conn, &err));
    r_str("hostname", h->get_hostname(conn, &err));
    r_int("maxvcpus", h->get_max_vcpus(conn, NULL, &err));
    h->node_get_info(conn, &ni, &err);
    okf("nodeinfo", "['%s', %d, %d, %d, %d, %d, %d]", ni.model, ni.cpus, ni.mhz, ni.nodes,
        ni.sockets, ni.cores, ni.threads);
    okf("nodememory", "%" G_GUINT64_FORMAT, ni.memory_kib / 1024);
    if (h->node_get_free_memory(conn, &v, &err))
        okf("freemem", "%" G_GUINT64_FORMAT, v);
    r_repr("sysinfo", h->get_sysinfo(conn, 0, &err));
    r_str("sysinfo-badflag", h->get_sysinfo(conn, 1, &err));
    r_repr("capabilities", h->get_capabilities(conn, &err));
}

static void
run_default_domain(CoreDomainRef *d)
{
    const CoreDomainOps *o = drv->domain;
    guint64 v = 0;

    dom_id("dom-id", d);
    uuid_str("dom-uuid", d->uuid);
    r_repr("dom-xml", o->get_xml_desc(conn, d, 0, &err));
    dom_state("dom-state", d);
    dom_info("dom-info", d);
    r_str("dom-ostype", o->get_os_type(conn, d, &err));
    r_int("dom-persistent", o->is_persistent(conn, d, &err));
    r_int("dom-active", o->is_active(conn, d, &err));
    r_int("dom-updated", o->is_updated(conn, d, &err));
    if (o->get_max_memory(conn, d, &v, &err))
        okf("dom-maxmem", "%" G_GUINT64_FORMAT, v);
    r_int("dom-managedsave", o->has_managed_save_image(conn, d, 0, &err));
    r_int("dom-snapshots", o->snapshot_num(conn, d, 0, &err));
    r_int("dom-vcpus", o->get_vcpus_flags(conn, d, 0, &err));
    r_int("dom-vcpus-max", o->get_vcpus_flags(conn, d, 4, &err));
    r_dom_name("lookup-missing", o->lookup_by_name(conn, "nope", &err));
    r_dom_name("lookup-id", o->lookup_by_id(conn, 1, &err));
    r_dom_name("lookup-id-missing", o->lookup_by_id(conn, 99, &err));
    r_dom_name("lookup-uuid",
               o->lookup_by_uuid(conn, uuid_of("6695eb01-f6a4-8304-79aa-97f2502e193f"), &err));
    r_dom_name("lookup-uuid-missing",
               o->lookup_by_uuid(conn, uuid_of("11111111-2222-3333-4444-000000000000"), &err));
}

static void
run_lifecycle(CoreDomainRef *d)
{
    const CoreDomainOps *o = drv->domain;
    int on;

    r_void("start-running", o->create(conn, d, 0, &err));
    r_void("suspend", o->suspend(conn, d, &err));
    r_void("suspend-again", o->suspend(conn, d, &err));
    dom_state("state-paused", d);
    r_void("resume", o->resume(conn, d, &err));
    r_void("resume-again", o->resume(conn, d, &err));
    dom_state("state-resumed", d);
    r_void("reboot", o->reboot(conn, d, 0, &err));
    dom_state("state-rebooted", d);
    r_void("shutdown", o->shutdown(conn, d, 0, &err));
    dom_state("state-shutdown", d);
    dom_id("id-shutdown", d);
    r_void("shutdown-again", o->shutdown(conn, d, 0, &err));
    r_void("destroy-off", o->destroy(conn, d, 0, &err));
    r_void("suspend-off", o->suspend(conn, d, &err));
    r_void("resume-off", o->resume(conn, d, &err));
    r_void("reboot-off", o->reboot(conn, d, 0, &err));
    r_void("setmem-live-off", o->set_memory_flags(conn, d, 1024, 1, &err));
    r_void("setmem-off", o->set_memory_flags(conn, d, 1048576, 0, &err));
    r_void("setmem-too-big", o->set_memory_flags(conn, d, 99999999, 0, &err));
    dom_info("info-off", d);
    r_void("start", o->create(conn, d, 0, &err));
    dom_id("id-started", d);
    dom_state("state-started", d);
    dom_info("info-started", d);
    r_void("setmem-live", o->set_memory_flags(conn, d, 524288, 1, &err));
    r_void("setmem-max-live", o->set_memory_flags(conn, d, 524288, 4, &err));
    r_void("setmem-both", o->set_memory_flags(conn, d, 524288, 3, &err));
    dom_info("info-setmem", d);
    r_void("setvcpus-too-many", o->set_vcpus_flags(conn, d, 64, 0, &err));
    r_void("setvcpus-over-max", o->set_vcpus_flags(conn, d, 3, 0, &err));
    r_void("setvcpus-1", o->set_vcpus_flags(conn, d, 1, 0, &err));
    r_int("vcpus-live", o->get_vcpus_flags(conn, d, 0, &err));
    r_int("vcpus-config", o->get_vcpus_flags(conn, d, 2, &err));
    r_int("vcpus-both", o->get_vcpus_flags(conn, d, 3, &err));
    r_void("setvcpus-zero", o->set_vcpus_flags(conn, d, 0, 0, &err));
    r_void("setvcpus-max-live", o->set_vcpus_flags(conn, d, 2, 4 | 1, &err));
    r_void("destroy", o->destroy(conn, d, 0, &err));
    dom_state("state-destroyed", d);
    dom_info("info-destroyed", d);
    r_int("autostart", o->get_autostart(conn, d, &err));
    r_void("set-autostart", o->set_autostart(conn, d, TRUE, &err));
    on = o->get_autostart(conn, d, &err);
    r_int("autostart-set", on);
    r_str("xml-badflag", o->get_xml_desc(conn, d, 1 << 10, &err));
    {
        int st = 0, reason = 0;

        r_void("state-badflag", o->get_state(conn, d, 1, &st, &reason, &err));
    }
    r_void("destroy-badflag", o->destroy(conn, d, 1 << 5, &err));
    r_void("undefine-badflag", o->undefine(conn, d, 1 << 10, &err));
    r_names("list-badflag", o->list_all(conn, 1 << 20, &err), FALSE);
    flush_events("events-default-domain");
}

static void
run_define(void)
{
    const CoreDomainOps *o = drv->domain;
    g_autoptr(CoreDomainRef) e = NULL;
    g_autoptr(CoreDomainRef) t = NULL;

    r_dom_name("define", o->define_xml(conn, DOM_XML, 0, &err));
    r_dom_name("define-again", o->define_xml(conn, DOM_XML, 0, &err));
    r_dom_name("define-same-name", o->define_xml(conn, DOM_XML_SAME_NAME, 0, &err));
    r_dom_name("define-same-uuid", o->define_xml(conn, DOM_XML_SAME_UUID, 0, &err));
    if (!o->define_xml(conn, "<domain", 0, &err))
        failed_msg("define-not-xml", FALSE);
    r_dom_name("define-wrong-root", o->define_xml(conn, "<network/>", 0, &err));
    e = dom_lookup("demo1");
    dom_state("demo-state", e);
    dom_id("demo-id", e);
    r_repr("demo-xml", drv->domain->get_xml_desc(conn, e, 0, &err));
    r_int("numdomains", o->num_of_domains(conn, &err));
    r_int("numdefined", o->num_of_defined_domains(conn, &err));
    r_dom_name("demo-createxml-inactive", o->create_xml(conn, DOM_XML_SAME_UUID, 0, &err));
    r_void("demo-start", o->create(conn, e, 0, &err));
    r_dom_id("demo-id-started", dom_lookup("demo1"));
    r_dom_name("demo-createxml-active", o->create_xml(conn, DOM_XML, 0, &err));
    r_dom_id("demo-define-running", o->define_xml(conn, DOM_XML, 0, &err));
    r_void("demo-undefine-running", o->undefine(conn, e, 0, &err));
    r_int("demo-persistent", o->is_persistent(conn, e, &err));
    r_int("demo-vcpus-config-transient", o->get_vcpus_flags(conn, e, 2, &err));
    r_void("demo-destroy", o->destroy(conn, e, 0, &err));
    r_dom_name("demo-gone", o->lookup_by_name(conn, "demo1", &err));
    dom_state("demo-state-gone", e);
    r_dom_id("transient-create", o->create_xml(conn, TRANSIENT_XML, 0, &err));
    t = dom_lookup("tr1");
    r_int("transient-persistent", o->is_persistent(conn, t, &err));
    r_void("transient-undefine", o->undefine(conn, t, 0, &err));
    r_void("transient-shutdown", o->shutdown(conn, t, 0, &err));
    r_dom_name("transient-gone", o->lookup_by_name(conn, "tr1", &err));
    flush_events("events-define");
}

static void
run_lists(void)
{
    static const guint flags[] = { 0,   1,   2,    4,    8,    16,   32,   64, 128,
                                   256, 512, 1024, 2048, 4096, 8192, 3,   48 };
    const CoreDomainOps *o = drv->domain;
    g_autoptr(CoreDomainRef) e = NULL;

    r_dom_name("define-list", o->define_xml(conn, DOM_XML, 0, &err));
    for (size_t i = 0; i < G_N_ELEMENTS(flags); i++) {
        g_autofree char *label = g_strdup_printf("list-%u", flags[i]);

        r_names(label, o->list_all(conn, flags[i], &err), FALSE);
    }
    e = dom_lookup("demo1");
    r_void("undefine-list", o->undefine(conn, e, 0, &err));
}

static void
run_networks(void)
{
    static const guint flags[] = { 0, 1, 2, 4, 8, 16, 32 };
    const CoreNetworkOps *o = drv->network;
    g_autoptr(CoreNetworkRef) n = o->lookup_by_name(conn, "default", NULL);
    g_autoptr(CoreNetworkRef) m = NULL;
    g_autoptr(CoreNetworkRef) t = NULL;
    CoreNetworkRef *r;

    r_repr("net-xml", o->get_xml_desc(conn, n, 0, &err));
    uuid_str("net-uuid", n->uuid);
    r_str("net-bridge", o->get_bridge_name(conn, n, &err));
    r_int("net-active", o->is_active(conn, n, &err));
    r_int("net-persistent", o->is_persistent(conn, n, &err));
    r_int("net-autostart", o->get_autostart(conn, n, &err));
#define NET_NAME(label, call)                                                   \
    do {                                                                        \
        if ((r = (call))) {                                                     \
            ok(label, r->name);                                                 \
            core_network_ref_free(r);                                           \
        } else {                                                                \
            failed(label);                                                      \
        }                                                                       \
    } while (0)
    NET_NAME("net-lookup-missing", o->lookup_by_name(conn, "nope", &err));
    NET_NAME("net-lookup-uuid-missing",
             o->lookup_by_uuid(conn, uuid_of("22222222-2222-3333-4444-000000000000"), &err));
    r_void("net-create-running", o->create(conn, n, &err));
    r_void("net-undefine-running", o->undefine(conn, n, &err));
    r_str("net-xml-badflag", o->get_xml_desc(conn, n, 1, &err));
    NET_NAME("net-define", o->define_xml(conn, NET_XML, 0, &err));
    NET_NAME("net-define-again", o->define_xml(conn, NET_XML, 0, &err));
    NET_NAME("net-define-same-name",
             o->define_xml(conn,
                           "<network><name>default</name>"
                           "<uuid>22222222-2222-3333-4444-777777777777</uuid></network>",
                           0, &err));
    NET_NAME("net-define-same-uuid",
             o->define_xml(conn,
                           "<network><name>xx</name><uuid>22222222-2222-3333-4444-555555555555"
                           "</uuid><bridge name='vbr1'/></network>",
                           0, &err));
    m = o->lookup_by_name(conn, "net1", NULL);
    r_int("net1-active", o->is_active(conn, m, &err));
    r_void("net1-destroy-inactive", o->destroy(conn, m, &err));
    r_void("net1-create", o->create(conn, m, &err));
    r_str("net1-bridge", o->get_bridge_name(conn, m, &err));
    r_void("net1-destroy", o->destroy(conn, m, &err));
    r_void("net1-set-autostart", o->set_autostart(conn, m, TRUE, &err));
    r_int("net1-autostart", o->get_autostart(conn, m, &err));
    for (size_t i = 0; i < G_N_ELEMENTS(flags); i++) {
        g_autofree char *label = g_strdup_printf("net-list-%u", flags[i]);

        r_names(label, o->list_all(conn, flags[i], &err), FALSE);
    }
    r_names("net-list-badflag", o->list_all(conn, 1 << 10, &err), FALSE);
    r_void("net1-undefine", o->undefine(conn, m, &err));
    r_void("net1-undefine-again", o->undefine(conn, m, &err));
    r_int("net1-active-gone", o->is_active(conn, m, &err));
    NET_NAME("net2-create", o->create_xml(conn, NET2_XML, 0, &err));
    t = o->lookup_by_name(conn, "net2", NULL);
    r_int("net2-persistent", o->is_persistent(conn, t, &err));
    r_str("net2-bridge", o->get_bridge_name(conn, t, &err));
    r_void("net2-undefine", o->undefine(conn, t, &err));
    r_void("net2-destroy", o->destroy(conn, t, &err));
    NET_NAME("net2-gone", o->lookup_by_name(conn, "net2", &err));
    NET_NAME("net-createxml-active",
             o->create_xml(conn,
                           "<network><name>default</name>"
                           "<uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid></network>",
                           0, &err));
#undef NET_NAME
    r_void("net-stop-default", o->destroy(conn, n, &err));
    r_void("net-start-default", o->create(conn, n, &err));
    flush_events("events-network");
}

#define POOL_NAME(label, call)                                                  \
    do {                                                                        \
        CorePoolRef *r_ = (call);                                               \
        if (r_) {                                                               \
            ok(label, r_->name);                                                \
            core_pool_ref_free(r_);                                             \
        } else {                                                                \
            failed(label);                                                      \
        }                                                                       \
    } while (0)
#define VOL_FIELD(label, call, field)                                           \
    do {                                                                        \
        CoreVolRef *v_ = (call);                                                \
        if (v_) {                                                               \
            ok(label, v_->field);                                               \
            core_vol_ref_free(v_);                                              \
        } else {                                                                \
            failed(label);                                                      \
        }                                                                       \
    } while (0)

static void
run_default_pool(CorePoolRef *p)
{
    const CoreStorageOps *o = drv->storage;
    g_autoptr(CoreVolRef) v = NULL;

    r_repr("pool-xml", o->pool_get_xml_desc(conn, p, 0, &err));
    uuid_str("pool-uuid", p->uuid);
    pool_info("pool-info", p);
    r_int("pool-active", o->pool_is_active(conn, p, &err));
    r_int("pool-persistent", o->pool_is_persistent(conn, p, &err));
    r_int("pool-autostart", o->pool_get_autostart(conn, p, &err));
    r_int("pool-numvols", o->pool_num_of_volumes(conn, p, &err));
    POOL_NAME("pool-lookup-missing", o->pool_lookup_by_name(conn, "nope", &err));
    r_void("pool-create-running", o->pool_create(conn, p, 0, &err));
    r_void("pool-build-running", o->pool_build(conn, p, 0, &err));
    r_void("pool-delete-running", o->pool_delete(conn, p, 0, &err));
    r_void("pool-undefine-running", o->pool_undefine(conn, p, &err));
    r_void("pool-refresh", o->pool_refresh(conn, p, 0, &err));
    VOL_FIELD("vol-create", o->vol_create_xml(conn, p, VOL_XML, 0, &err), name);
    VOL_FIELD("vol-create-dup", o->vol_create_xml(conn, p, VOL_XML, 0, &err), name);
    VOL_FIELD("vol-create-big", o->vol_create_xml(conn, p, BIG_VOL_XML, 0, &err), name);
    v = o->vol_lookup_by_name(conn, p, "v1.img", NULL);
    vol_info("vol-info", v);
    r_str("vol-path", o->vol_get_path(conn, v, &err));
    ok("vol-key", v->key);
    r_repr("vol-xml", o->vol_get_xml_desc(conn, v, 0, &err));
    pool_info("pool-info-vol", p);
    r_int("pool-numvols-vol", o->pool_num_of_volumes(conn, p, &err));
    r_names("pool-listvols", o->pool_list_all_volumes(conn, p, 0, &err), TRUE);
    VOL_FIELD("vol-by-key", o->vol_lookup_by_key(conn, "/default-pool/v1.img", &err), name);
    VOL_FIELD("vol-by-path", o->vol_lookup_by_path(conn, "/default-pool/v1.img", &err), name);
    VOL_FIELD("vol-by-key-missing", o->vol_lookup_by_key(conn, "/x", &err), name);
    VOL_FIELD("vol-by-path-missing", o->vol_lookup_by_path(conn, "/x", &err), name);
    VOL_FIELD("vol-by-name-missing", o->vol_lookup_by_name(conn, p, "x", &err), name);
    POOL_NAME("vol-pool", o->pool_lookup_by_volume(conn, v, &err));
}

static void
run_pools(CorePoolRef *p)
{
    static const guint flags[] = { 0, 1, 2, 4, 8, 16, 32, 64, 128 };
    const CoreStorageOps *o = drv->storage;
    g_autoptr(CorePoolRef) q = NULL;
    g_autoptr(CorePoolRef) t = NULL;
    g_autoptr(CoreVolRef) v = o->vol_lookup_by_name(conn, p, "v1.img", NULL);

    POOL_NAME("pool-define", o->pool_define_xml(conn, POOL_XML, 0, &err));
    POOL_NAME("pool-define-same-name",
              o->pool_define_xml(conn,
                                 "<pool type='dir'><name>p1</name><uuid>55555555-2222-3333-"
                                 "4444-555555555555</uuid><target><path>/p5</path></target>"
                                 "</pool>",
                                 0, &err));
    POOL_NAME("pool-define-same-uuid",
              o->pool_define_xml(conn,
                                 "<pool type='dir'><name>zz</name><uuid>33333333-2222-3333-"
                                 "4444-555555555555</uuid><target><path>/zz</path></target>"
                                 "</pool>",
                                 0, &err));
    POOL_NAME("pool-define-same-path",
              o->pool_define_xml(conn,
                                 "<pool type='dir'><name>p2</name><uuid>44444444-2222-3333-"
                                 "4444-555555555555</uuid><target><path>/default-pool</path>"
                                 "</target></pool>",
                                 0, &err));
    q = o->pool_lookup_by_name(conn, "p1", NULL);
    pool_info("p1-info", q);
    r_repr("p1-xml", o->pool_get_xml_desc(conn, q, 0, &err));
    r_int("p1-numvols", o->pool_num_of_volumes(conn, q, &err));
    r_names("p1-listvols", o->pool_list_all_volumes(conn, q, 0, &err), TRUE);
    VOL_FIELD("p1-vol-create", o->vol_create_xml(conn, q, VOL_XML, 0, &err), name);
    r_void("p1-refresh", o->pool_refresh(conn, q, 0, &err));
    r_void("p1-destroy", o->pool_destroy(conn, q, &err));
    r_void("p1-build", o->pool_build(conn, q, 0, &err));
    r_void("p1-delete", o->pool_delete(conn, q, 0, &err));
    r_void("p1-create", o->pool_create(conn, q, 0, &err));
    r_void("p1-set-autostart", o->pool_set_autostart(conn, q, TRUE, &err));
    r_int("p1-autostart", o->pool_get_autostart(conn, q, &err));
    for (size_t i = 0; i < G_N_ELEMENTS(flags); i++) {
        g_autofree char *label = g_strdup_printf("pool-list-%u", flags[i]);

        r_names(label, o->pool_list_all(conn, flags[i], &err), FALSE);
    }
    r_names("pool-list-badflag", o->pool_list_all(conn, 1 << 25, &err), FALSE);
    r_void("p1-destroy-2", o->pool_destroy(conn, q, &err));
    r_void("p1-undefine", o->pool_undefine(conn, q, &err));
    pool_info("p1-gone", q);
    r_int("p1-gone-uuid", o->pool_is_active(conn, q, &err));
    POOL_NAME("p2-create", o->pool_create_xml(conn, POOL2_XML, 0, &err));
    t = o->pool_lookup_by_name(conn, "p2", NULL);
    r_int("p2-persistent", o->pool_is_persistent(conn, t, &err));
    r_int("p2-autostart", o->pool_get_autostart(conn, t, &err));
    r_void("p2-set-autostart", o->pool_set_autostart(conn, t, TRUE, &err));
    r_void("p2-undefine", o->pool_undefine(conn, t, &err));
    r_void("p2-destroy", o->pool_destroy(conn, t, &err));
    POOL_NAME("p2-gone", o->pool_lookup_by_name(conn, "p2", &err));
    r_void("vol-delete", o->vol_delete(conn, v, 0, &err));
    r_void("vol-delete-again", o->vol_delete(conn, v, 0, &err));
    vol_info("vol-info-gone", v);
    pool_info("pool-info-end", p);
    flush_events("events-storage");
}

int
main(int argc, char **argv)
{
    g_autoptr(CoreDomainRef) d = NULL;
    g_autoptr(CorePoolRef) p = NULL;

    events = g_ptr_array_new_with_free_func(g_free);
    if (!drv->host->open("test:///default", 0, sink, NULL, &conn, &err)) {
        fprintf(stderr, "open: %s\n", err->message);
        return 1;
    }
    run_host();
    d = dom_lookup("test");
    run_default_domain(d);
    run_lifecycle(d);
    run_define();
    run_lists();
    run_networks();
    p = drv->storage->pool_lookup_by_name(conn, "default-pool", NULL);
    run_default_pool(p);
    run_pools(p);
    drv->host->close(conn);
    g_ptr_array_unref(events);
    return 0;
}
