/* Unit tests of the in-memory test driver, driving core_test_driver's
 * tables directly: lifecycle and reasons, events, errors, shared state,
 * list filters, concurrency and custom node files. */
#include "vireo-config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "core-driver.h"
#include "core-error.h"
#include "core-uuid.h"

static const CoreDriver *drv = &core_test_driver;

#define DOM_XML_FMT                                                                                \
    "<domain type='test'><name>%s</name><memory>524288</memory><vcpu>2</vcpu>"                     \
    "<os><type>hvm</type></os></domain>"

/* ---- helpers ------------------------------------------------------------- */

typedef struct {
    GMutex lock;
    GPtrArray *lines; /* "dom NAME EVENT DETAIL", "net ...", "pool ...", "refresh ..." */
} Recorder;

static void
recorder_sink(const CoreEvent *ev, gpointer data)
{
    Recorder *rec = data;
    char *line;

    switch (ev->kind) {
    case CORE_EVENT_DOMAIN_LIFECYCLE:
        line = g_strdup_printf("dom %s %d %d", ev->dom->name, ev->event, ev->detail);
        break;
    case CORE_EVENT_NETWORK_LIFECYCLE:
        line = g_strdup_printf("net %s %d", ev->net->name, ev->event);
        break;
    case CORE_EVENT_POOL_LIFECYCLE:
        line = g_strdup_printf("pool %s %d", ev->pool->name, ev->event);
        break;
    case CORE_EVENT_POOL_REFRESH:
        line = g_strdup_printf("refresh %s", ev->pool->name);
        break;
    case CORE_EVENT_DOMAIN_METADATA_CHANGE:
        line = g_strdup_printf("meta %s %d %s", ev->dom->name, ev->event,
                               ev->nsuri ? ev->nsuri : "-");
        break;
    default:
        line = g_strdup("?");
        break;
    }
    g_mutex_lock(&rec->lock);
    g_ptr_array_add(rec->lines, line);
    g_mutex_unlock(&rec->lock);
}

static void
recorder_init(Recorder *rec)
{
    g_mutex_init(&rec->lock);
    rec->lines = g_ptr_array_new_with_free_func(g_free);
}

static void
recorder_clear(Recorder *rec)
{
    g_ptr_array_unref(rec->lines);
    g_mutex_clear(&rec->lock);
}

/* The recorded events joined with ';', then forgotten. */
static char *
recorder_take(Recorder *rec)
{
    char *joined;

    g_mutex_lock(&rec->lock);
    g_ptr_array_add(rec->lines, NULL);
    joined = g_strjoinv(";", (char **)rec->lines->pdata);
    g_ptr_array_set_size(rec->lines, 0);
    g_mutex_unlock(&rec->lock);
    return joined;
}

static gpointer
open_conn(const char *uri, Recorder *rec)
{
    g_autoptr(GError) err = NULL;
    gpointer conn = NULL;

    g_assert_true(drv->host->open(uri, 0, rec ? recorder_sink : NULL, rec, &conn, &err));
    g_assert_no_error(err);
    return conn;
}

static void
assert_state(gpointer conn, const CoreDomainRef *d, int state, int reason)
{
    g_autoptr(GError) err = NULL;
    int s = -1, r = -1;

    g_assert_true(drv->domain->get_state(conn, d, 0, &s, &r, &err));
    g_assert_no_error(err);
    g_assert_cmpint(s, ==, state);
    g_assert_cmpint(r, ==, reason);
}

static void
assert_error(GError *err, int code, int from)
{
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(core_error_get_from(err), ==, from);
}

static CoreDomainRef *
define(gpointer conn, const char *name)
{
    g_autofree char *xml = g_strdup_printf(DOM_XML_FMT, name);
    g_autoptr(GError) err = NULL;
    CoreDomainRef *d = drv->domain->define_xml(conn, xml, 0, &err);

    g_assert_no_error(err);
    g_assert_nonnull(d);
    return d;
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_host(void)
{
    gpointer conn = open_conn("test:///default", NULL);
    g_autoptr(GError) err = NULL;
    g_autofree char *type = drv->host->get_type(conn, &err);
    g_autofree char *uri = drv->host->get_uri(conn, &err);
    g_autofree char *caps = drv->host->get_capabilities(conn, &err);
    g_autofree char *sysinfo = drv->host->get_sysinfo(conn, 0, &err);
    CoreSecurityModel model;
    CoreNodeInfo info;
    guint64 v = 0;

    g_assert_no_error(err);
    g_assert_cmpstr(type, ==, "TEST");
    g_assert_cmpstr(uri, ==, "test:///default");
    g_assert_true(drv->host->get_version(conn, &v, &err));
    g_assert_cmpuint(v, ==, 2);
    g_assert_true(drv->host->node_get_info(conn, &info, &err));
    g_assert_cmpstr(info.model, ==, "i686");
    g_assert_cmpuint(info.memory_kib, ==, 3145728);
    g_assert_cmpint(info.cpus, ==, 16);
    g_assert_cmpint(info.mhz, ==, 1400);
    g_assert_true(drv->host->node_get_free_memory(conn, &v, &err));
    g_assert_cmpuint(v, ==, 3145728);
    g_assert_cmpint(drv->host->get_max_vcpus(conn, NULL, &err), ==, 32);
    g_assert_nonnull(strstr(caps, "<cells num='2'>"));
    g_assert_nonnull(
        strstr(caps, "<cpu id='15' socket_id='1' die_id='0' core_id='7' siblings='15'/>"));
    g_assert_nonnull(strstr(sysinfo, "LENOVO"));
    g_assert_true(drv->host->node_get_security_model(conn, &model, &err));
    g_assert_cmpstr(model.model, ==, "testSecurity");
    g_assert_cmpint(drv->host->supports_feature(conn, 9, &err), ==, 1);
    g_assert_cmpint(drv->host->supports_feature(conn, 14, &err), ==, 0);
    g_assert_null(drv->host->get_sysinfo(conn, 1, &err));
    assert_error(err, CORE_ERR_INVALID_ARG, CORE_FROM_TEST);
    drv->host->close(conn);
}

static void
test_open_errors(void)
{
    g_autoptr(GError) err = NULL;
    gpointer conn = NULL;

    g_assert_false(drv->host->open("test:///", 0, NULL, NULL, &conn, &err));
    assert_error(err, CORE_ERR_INVALID_ARG, CORE_FROM_TEST);
    g_assert_cmpstr(err->message, ==,
                    "invalid argument: testOpen: supply a path or use test:///default");
    g_clear_error(&err);
    g_assert_false(drv->host->open("test:///nonexistent/node.xml", 0, NULL, NULL, &conn, &err));
    assert_error(err, CORE_ERR_XML_ERROR, CORE_FROM_TEST);
    g_clear_error(&err);
    g_assert_false(drv->host->open("test:///default", 2, NULL, NULL, &conn, &err));
    assert_error(err, CORE_ERR_INVALID_ARG, CORE_FROM_TEST);
}

static void
test_lifecycle(void)
{
    gpointer conn = open_conn("test:///default", NULL);
    g_autoptr(CoreDomainRef) t = drv->domain->lookup_by_name(conn, "test", NULL);
    g_autoptr(CoreDomainRef) d = define(conn, "life");
    g_autoptr(CoreDomainRef) by_id = NULL;
    g_autoptr(GError) err = NULL;
    CoreDomainInfo info;

    /* the default domain runs with id 1, reason unknown */
    g_assert_cmpint(t->id, ==, 1);
    assert_state(conn, t, 1, 0);
    assert_state(conn, d, 5, 0);
    g_assert_cmpint(drv->domain->is_active(conn, d, &err), ==, 0);
    g_assert_cmpint(drv->domain->is_persistent(conn, d, &err), ==, 1);

    g_assert_true(drv->domain->create(conn, d, 0, &err));
    assert_state(conn, d, 1, 1);
    by_id = drv->domain->lookup_by_id(conn, 2, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(by_id->name, ==, "life");

    g_assert_true(drv->domain->suspend(conn, d, &err));
    assert_state(conn, d, 3, 1);
    g_assert_false(drv->domain->suspend(conn, d, &err));
    assert_error(err, CORE_ERR_INTERNAL_ERROR, CORE_FROM_TEST);
    g_clear_error(&err);
    g_assert_true(drv->domain->resume(conn, d, &err));
    assert_state(conn, d, 1, 5);
    g_assert_true(drv->domain->reboot(conn, d, 0, &err));
    assert_state(conn, d, 1, 1);
    g_assert_true(drv->domain->shutdown(conn, d, 0, &err));
    assert_state(conn, d, 5, 1);
    g_assert_false(drv->domain->destroy(conn, d, 0, &err));
    assert_error(err, CORE_ERR_OPERATION_INVALID, CORE_FROM_DOMAIN);
    g_assert_cmpstr(err->message, ==, "Requested operation is not valid: domain is not running");
    g_clear_error(&err);

    /* ids keep growing */
    g_assert_true(drv->domain->create(conn, d, 0, &err));
    g_clear_pointer(&by_id, core_domain_ref_free);
    by_id = drv->domain->lookup_by_uuid(conn, d->uuid, &err);
    g_assert_cmpint(by_id->id, ==, 3);
    g_assert_false(drv->domain->create(conn, d, 0, &err));
    assert_error(err, CORE_ERR_INTERNAL_ERROR, CORE_FROM_TEST);
    g_assert_cmpstr(err->message, ==, "internal error: Domain 'life' is already running");
    g_clear_error(&err);

    /* memory: live change, then back to the config after a destroy */
    g_assert_true(drv->domain->set_memory_flags(conn, d, 1024, 1, &err));
    g_assert_true(drv->domain->get_info(conn, d, &info, &err));
    g_assert_cmpuint(info.memory_kib, ==, 1024);
    g_assert_true(drv->domain->destroy(conn, d, 0, &err));
    assert_state(conn, d, 5, 2);
    g_assert_true(drv->domain->get_info(conn, d, &info, &err));
    g_assert_cmpuint(info.memory_kib, ==, 524288);
    g_assert_cmpuint(info.max_mem_kib, ==, 524288);
    g_assert_cmpuint(info.nr_virt_cpu, ==, 2);

    /* undefine of a running domain makes it transient; it goes on stop */
    g_assert_true(drv->domain->create(conn, d, 0, &err));
    g_assert_true(drv->domain->undefine(conn, d, 0, &err));
    g_assert_cmpint(drv->domain->is_persistent(conn, d, &err), ==, 0);
    g_assert_true(drv->domain->destroy(conn, d, 0, &err));
    g_assert_no_error(err);
    g_assert_false(drv->domain->get_state(conn, d, 0, &(int){0}, NULL, &err));
    assert_error(err, CORE_ERR_NO_DOMAIN, CORE_FROM_TEST);
    drv->host->close(conn);
}

static void
test_vcpus(void)
{
    gpointer conn = open_conn("test:///default", NULL);
    g_autoptr(CoreDomainRef) d = define(conn, "cpus");
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = NULL;

    g_assert_cmpint(drv->domain->get_vcpus_flags(conn, d, 0, &err), ==, 2);
    g_assert_true(drv->domain->set_vcpus_flags(conn, d, 4, 4 | 2, &err));
    g_assert_cmpint(drv->domain->get_vcpus_flags(conn, d, 0, &err), ==, 2);
    g_assert_cmpint(drv->domain->get_vcpus_flags(conn, d, 4, &err), ==, 4);
    g_assert_true(drv->domain->set_vcpus_flags(conn, d, 3, 0, &err));
    g_assert_no_error(err);
    xml = drv->domain->get_xml_desc(conn, d, 0, &err);
    g_assert_nonnull(strstr(xml, "<vcpu placement='static' current='3'>4</vcpu>"));
    g_assert_false(drv->domain->set_vcpus_flags(conn, d, 5, 0, &err));
    assert_error(err, CORE_ERR_INVALID_ARG, CORE_FROM_TEST);
    g_clear_error(&err);
    g_assert_false(drv->domain->set_vcpus_flags(conn, d, 2, 1, &err));
    assert_error(err, CORE_ERR_OPERATION_INVALID, CORE_FROM_DOMAIN);
    g_assert_true(drv->domain->undefine(conn, d, 0, NULL));
    drv->host->close(conn);
}

static void
test_define_errors(void)
{
    gpointer conn = open_conn("test:///default", NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) d = NULL;
    const char *dup_name = "<domain type='test'><name>test</name><memory>1</memory>"
                           "<os><type>hvm</type></os></domain>";
    const char *dup_uuid = "<domain type='test'><name>other</name>"
                           "<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid><memory>1</memory>"
                           "<os><type>hvm</type></os></domain>";

    g_assert_null(drv->domain->define_xml(conn, dup_name, 0, &err));
    assert_error(err, CORE_ERR_OPERATION_FAILED, CORE_FROM_DOMAIN);
    g_assert_cmpstr(err->message, ==,
                    "operation failed: domain 'test' already exists with uuid "
                    "6695eb01-f6a4-8304-79aa-97f2502e193f");
    g_clear_error(&err);
    g_assert_null(drv->domain->define_xml(conn, dup_uuid, 0, &err));
    assert_error(err, CORE_ERR_OPERATION_FAILED, CORE_FROM_DOMAIN);
    g_clear_error(&err);
    g_assert_null(drv->domain->define_xml(conn, "<domain", 0, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_null(drv->domain->lookup_by_name(conn, "nope", &err));
    assert_error(err, CORE_ERR_NO_DOMAIN, CORE_FROM_TEST);
    g_assert_cmpstr(err->message, ==, "Domain not found");
    g_clear_error(&err);
    g_assert_null(drv->domain->define_xml(conn, dup_name, 1 << 5, &err));
    g_assert_cmpstr(err->message, ==,
                    "unsupported flags (0x20) in function testDomainDefineXMLFlags");
    g_clear_error(&err);

    /* create_xml of a running domain */
    d = drv->domain->lookup_by_name(conn, "test", NULL);
    {
        g_autofree char *xml = drv->domain->get_xml_desc(conn, d, 2, &err);

        g_assert_null(drv->domain->create_xml(conn, xml, 0, &err));
        assert_error(err, CORE_ERR_OPERATION_INVALID, CORE_FROM_DOMAIN);
    }
    drv->host->close(conn);
}

static void
test_events(void)
{
    Recorder a, b;
    gpointer ca, cb;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) d = NULL;
    g_autoptr(CoreNetworkRef) n = NULL;
    g_autoptr(CorePoolRef) p = NULL;
    g_autofree char *got_a = NULL;
    g_autofree char *got_b = NULL;

    recorder_init(&a);
    recorder_init(&b);
    ca = open_conn("test:///default", &a);
    cb = open_conn("test:///default", &b);

    d = define(ca, "ev");
    g_assert_true(drv->domain->create(ca, d, 0, &err));
    g_assert_true(drv->domain->suspend(ca, d, &err));
    g_assert_true(drv->domain->resume(ca, d, &err));
    g_assert_true(drv->domain->destroy(ca, d, 0, &err));
    g_assert_true(drv->domain->undefine(ca, d, 0, &err));
    n = drv->network->lookup_by_name(cb, "default", &err);
    g_assert_true(drv->network->destroy(cb, n, &err));
    g_assert_true(drv->network->create(cb, n, &err));
    p = drv->storage->pool_lookup_by_name(cb, "default-pool", &err);
    g_assert_true(drv->storage->pool_refresh(cb, p, 0, &err));
    g_assert_no_error(err);

    got_a = recorder_take(&a);
    got_b = recorder_take(&b);
    /* both connections see everything, in order */
    g_assert_cmpstr(got_a, ==,
                    "dom ev 0 0;dom ev 2 0;dom ev 3 0;dom ev 4 0;dom ev 5 1;dom ev 1 0;"
                    "net default 3;net default 2;refresh default-pool");
    g_assert_cmpstr(got_b, ==, got_a);

    drv->host->close(cb);
    /* a closed connection gets nothing more */
    g_clear_pointer(&d, core_domain_ref_free);
    d = define(ca, "ev2");
    g_assert_true(drv->domain->undefine(ca, d, 0, &err));
    g_free(got_b);
    got_b = recorder_take(&b);
    g_assert_cmpstr(got_b, ==, "");
    g_free(got_a);
    got_a = recorder_take(&a);
    g_assert_cmpstr(got_a, ==, "dom ev2 0 0;dom ev2 1 0");
    drv->host->close(ca);
    recorder_clear(&a);
    recorder_clear(&b);
}

/* virDomainSetMetadata / GetMetadata: live and config definitions of the
 * running default domain, errors in libvirt's order, events. */
static void
test_metadata(void)
{
    enum { DESC = 0, TITLE = 1, ELEM = 2, LIVE = 1, CONFIG = 2 };
    Recorder rec;
    gpointer c;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) t = NULL;
    g_autoptr(CoreDomainRef) d = NULL;
    g_autofree char *got = NULL;
    g_autofree char *events = NULL;

    recorder_init(&rec);
    c = open_conn("test:///default", &rec);
    t = drv->domain->lookup_by_name(c, "test", &err);
    g_assert_true(drv->domain->set_metadata(c, t, TITLE, "live title", NULL, NULL, 0, &err));
    g_assert_true(drv->domain->set_metadata(c, t, ELEM, "<a/>", "k", "http://k/", CONFIG, &err));
    g_assert_no_error(err);
    got = drv->domain->get_metadata(c, t, TITLE, NULL, LIVE, &err);
    g_assert_cmpstr(got, ==, "live title");
    g_clear_pointer(&got, g_free);
    got = drv->domain->get_metadata(c, t, ELEM, "http://k/", CONFIG, &err);
    g_assert_cmpstr(got, ==, "<a/>");
    g_assert_null(drv->domain->get_metadata(c, t, TITLE, NULL, CONFIG, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_NO_DOMAIN_METADATA);
    g_clear_error(&err);
    /* the driver's flag check comes before the type check */
    g_assert_false(drv->domain->set_metadata(c, t, 9, "x", NULL, NULL, 8, &err));
    g_assert_cmpstr(err->message, ==, "unsupported flags (0x8) in function testDomainSetMetadata");
    g_assert_cmpint(core_error_get_from(err), ==, CORE_FROM_TEST);
    g_clear_error(&err);
    g_assert_false(drv->domain->set_metadata(c, t, ELEM, "<a", "k", "http://k/", 0, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_XML_DETAIL);
    g_clear_error(&err);
    /* a stopped domain has no live definition */
    d = define(c, "meta");
    g_assert_false(drv->domain->set_metadata(c, d, DESC, "x", NULL, NULL, LIVE, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_OPERATION_INVALID);
    g_clear_error(&err);
    g_assert_true(drv->domain->set_metadata(c, d, DESC, "desc", NULL, NULL, 0, &err));
    g_assert_true(drv->domain->undefine(c, d, 0, &err));
    g_assert_no_error(err);
    events = recorder_take(&rec);
    g_assert_cmpstr(events, ==, "meta test 1 -;meta test 2 http://k/;dom meta 0 0;meta meta 0 -;"
                                "dom meta 1 0");
    drv->host->close(c);
    recorder_clear(&rec);
}

static void
test_shared_state(void)
{
    gpointer c1 = open_conn("test:///default", NULL);
    gpointer c2 = open_conn("test:///default", NULL);
    g_autoptr(CoreDomainRef) d = define(c1, "shared");
    g_autoptr(CoreDomainRef) seen = drv->domain->lookup_by_name(c2, "shared", NULL);
    g_autoptr(GError) err = NULL;

    g_assert_nonnull(d);
    g_assert_nonnull(seen);
    drv->host->close(c1);
    g_clear_pointer(&seen, core_domain_ref_free);
    seen = drv->domain->lookup_by_name(c2, "shared", NULL);
    g_assert_nonnull(seen);
    drv->host->close(c2);

    /* the last close drops the state: a new open starts afresh */
    c1 = open_conn("test:///default", NULL);
    g_assert_null(drv->domain->lookup_by_name(c1, "shared", &err));
    assert_error(err, CORE_ERR_NO_DOMAIN, CORE_FROM_TEST);
    drv->host->close(c1);
}

static gint
cmp_str_ptr(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
test_lists(void)
{
    gpointer conn = open_conn("test:///default", NULL);
    g_autoptr(CoreDomainRef) d = define(conn, "inactive");
    g_autoptr(GError) err = NULL;
    struct {
        guint flags;
        const char *names;
    } cases[] = {
        {0, "inactive,test"},     {1, "test"}, {2, "inactive"},
        {4, "inactive,test"},     {8, ""},     {16, "test"},
        {64, "inactive"},         {1024, ""},  {2048, "inactive,test"},
        {1 | 2, "inactive,test"},
    };

    g_assert_nonnull(d);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GPtrArray) list = drv->domain->list_all(conn, cases[i].flags, &err);
        g_autoptr(GPtrArray) names = g_ptr_array_new();
        g_autofree char *joined = NULL;

        /* listings come in hash order, as libvirt's do: compare them sorted */
        g_assert_no_error(err);
        for (guint j = 0; j < list->len; j++)
            g_ptr_array_add(names, ((CoreDomainRef *)g_ptr_array_index(list, j))->name);
        g_ptr_array_sort(names, cmp_str_ptr);
        g_ptr_array_add(names, NULL);
        joined = g_strjoinv(",", (char **)names->pdata);
        g_assert_cmpstr(joined, ==, cases[i].names);
    }
    g_assert_null(drv->domain->list_all(conn, 1 << 20, &err));
    assert_error(err, CORE_ERR_INVALID_ARG, CORE_FROM_TEST);
    g_assert_cmpint(drv->domain->num_of_domains(conn, NULL), ==, 1);
    g_assert_cmpint(drv->domain->num_of_defined_domains(conn, NULL), ==, 1);
    drv->host->close(conn);
}

static void
test_networks_pools(void)
{
    gpointer conn = open_conn("test:///default", NULL);
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreNetworkRef) n = NULL;
    g_autoptr(CorePoolRef) p = NULL;
    g_autoptr(CoreVolRef) v = NULL;
    g_autoptr(CoreVolRef) by_path = NULL;
    g_autofree char *bridge = NULL;
    g_autofree char *path = NULL;
    CorePoolInfo pinfo;
    CoreVolInfo vinfo;

    n = drv->network->define_xml(conn, "<network><name>n1</name><bridge name='br7'/></network>", 0,
                                 &err);
    g_assert_no_error(err);
    g_assert_cmpint(drv->network->is_active(conn, n, &err), ==, 0);
    g_assert_true(drv->network->create(conn, n, &err));
    bridge = drv->network->get_bridge_name(conn, n, &err);
    g_assert_cmpstr(bridge, ==, "br7");
    g_assert_false(drv->network->undefine(conn, n, &err));
    assert_error(err, CORE_ERR_OPERATION_INVALID, CORE_FROM_TEST);
    g_clear_error(&err);
    g_assert_true(drv->network->destroy(conn, n, &err));
    g_assert_true(drv->network->undefine(conn, n, &err));
    g_assert_null(drv->network->lookup_by_name(conn, "n1", &err));
    assert_error(err, CORE_ERR_NO_NETWORK, CORE_FROM_TEST);
    g_clear_error(&err);

    p = drv->storage->pool_lookup_by_name(conn, "default-pool", &err);
    v = drv->storage->vol_create_xml(conn, p,
                                     "<volume><name>a.img</name><capacity>4096</capacity>"
                                     "<allocation>1024</allocation></volume>",
                                     0, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(v->key, ==, "/default-pool/a.img");
    path = drv->storage->vol_get_path(conn, v, &err);
    g_assert_cmpstr(path, ==, "/default-pool/a.img");
    g_assert_true(drv->storage->vol_get_info(conn, v, &vinfo, &err));
    g_assert_cmpint(vinfo.type, ==, 0);
    g_assert_cmpuint(vinfo.capacity, ==, 4096);
    g_assert_true(drv->storage->pool_get_info(conn, p, &pinfo, &err));
    g_assert_cmpuint(pinfo.allocation, ==, 1024);
    g_assert_cmpuint(pinfo.available, ==, pinfo.capacity - 1024);
    by_path = drv->storage->vol_lookup_by_path(conn, "/default-pool/a.img", &err);
    g_assert_cmpstr(by_path->name, ==, "a.img");
    g_assert_true(drv->storage->pool_destroy(conn, p, &err));
    g_assert_cmpint(drv->storage->pool_num_of_volumes(conn, p, &err), ==, -1);
    assert_error(err, CORE_ERR_OPERATION_INVALID, CORE_FROM_TEST);
    g_clear_error(&err);
    g_assert_true(drv->storage->pool_create(conn, p, 0, &err));
    g_assert_true(drv->storage->vol_delete(conn, v, 0, &err));
    g_assert_true(drv->storage->pool_get_info(conn, p, &pinfo, &err));
    g_assert_cmpuint(pinfo.allocation, ==, 0);
    g_assert_no_error(err);
    drv->host->close(conn);
}

/* ---- concurrency ------------------------------------------------------------- */

typedef struct {
    gpointer conn;
    int index;
} Worker;

#define WORKER_ROUNDS 50

static gpointer
worker_run(gpointer data)
{
    Worker *w = data;

    for (int i = 0; i < WORKER_ROUNDS; i++) {
        g_autofree char *name = g_strdup_printf("w%d-%d", w->index, i);
        g_autofree char *xml = g_strdup_printf(DOM_XML_FMT, name);
        g_autoptr(CoreDomainRef) d = drv->domain->define_xml(w->conn, xml, 0, NULL);
        g_autoptr(GPtrArray) list = NULL;

        g_assert_nonnull(d);
        g_assert_true(drv->domain->create(w->conn, d, 0, NULL));
        list = drv->domain->list_all(w->conn, 0, NULL);
        g_assert_nonnull(list);
        g_assert_true(drv->domain->destroy(w->conn, d, 0, NULL));
        g_assert_true(drv->domain->undefine(w->conn, d, 0, NULL));
    }
    return NULL;
}

static void
test_concurrency(void)
{
    enum { NTHREADS = 6 };
    Recorder rec;
    gpointer watcher;
    GThread *threads[NTHREADS];
    Worker workers[NTHREADS];
    guint ndefined = 0;

    recorder_init(&rec);
    watcher = open_conn("test:///default", &rec);
    for (int i = 0; i < NTHREADS; i++) {
        workers[i].conn = open_conn("test:///default", NULL);
        workers[i].index = i;
        threads[i] = g_thread_new("worker", worker_run, &workers[i]);
    }
    for (int i = 0; i < NTHREADS; i++) {
        g_thread_join(threads[i]);
        drv->host->close(workers[i].conn);
    }
    /* 4 events per round, all delivered once */
    g_assert_cmpuint(rec.lines->len, ==, NTHREADS * WORKER_ROUNDS * 4);
    for (guint i = 0; i < rec.lines->len; i++)
        ndefined += g_str_has_suffix(g_ptr_array_index(rec.lines, i), " 0 0");
    g_assert_cmpuint(ndefined, ==, NTHREADS * WORKER_ROUNDS);
    g_assert_cmpint(drv->domain->num_of_defined_domains(watcher, NULL), ==, 0);
    drv->host->close(watcher);
    recorder_clear(&rec);
}

/* ---- node files ------------------------------------------------------------------ */

static char *
write_file(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static void
test_node_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("testdrv-XXXXXX", NULL);
    g_autofree char *node = NULL;
    g_autofree char *uri = NULL;
    g_autofree char *f1 = NULL, *f2 = NULL, *f3 = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(CoreDomainRef) off = NULL;
    g_autoptr(CoreDomainRef) paused = NULL;
    g_autoptr(CoreDomainRef) fromfile = NULL;
    g_autoptr(CorePoolRef) pool = NULL;
    g_autoptr(CoreVolRef) b = NULL;
    g_autoptr(CoreNetworkRef) net = NULL;
    g_autofree char *caps = NULL;
    gpointer c1, c2;
    CoreNodeInfo info;
    CorePoolInfo pinfo;

    f1 = write_file(dir, "dom.xml",
                    "<domain type='test'><name>fromfile</name>"
                    "<memory>262144</memory><vcpu>2</vcpu>"
                    "<os><type>hvm</type></os></domain>");
    f2 = write_file(dir, "net.xml", "<network><name>filenet</name><bridge name='br9'/></network>");
    f3 = write_file(dir, "vol.xml",
                    "<volume><name>b.img</name><capacity>2000</capacity>"
                    "<allocation>100</allocation><target>"
                    "<path>/elsewhere/b.img</path></target></volume>");
    node =
        write_file(dir, "node.xml",
                   "<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
                   "<cpu><mhz>2000</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets>"
                   "<cores>4</cores><threads>1</threads><active>3</active></cpu>"
                   "<memory>4194304</memory>"
                   "<domain type='test'><name>inl</name><memory>524288</memory><vcpu>1</vcpu>"
                   "<os><type>hvm</type></os></domain>"
                   "<domain type='test'><name>off</name><memory>524288</memory><vcpu>1</vcpu>"
                   "<os><type>hvm</type></os><test:runstate>5</test:runstate></domain>"
                   "<domain type='test'><name>paused</name><memory>524288</memory><vcpu>1</vcpu>"
                   "<os><type>hvm</type></os><test:runstate>3</test:runstate></domain>"
                   "<domain file='dom.xml'/>"
                   "<network file='net.xml'/>"
                   "<pool type='dir'><name>pool1</name><target><path>/pool1</path></target>"
                   "<volume><name>a.img</name><capacity>1000</capacity><allocation>500</allocation>"
                   "</volume><volume file='vol.xml'/></pool>"
                   "</node>");
    uri = g_strdup_printf("test://%s", node);

    c1 = open_conn(uri, NULL);
    g_assert_true(drv->host->node_get_info(c1, &info, &err));
    g_assert_cmpstr(info.model, ==, "x86_64");
    g_assert_cmpint(info.cpus, ==, 3);
    g_assert_cmpint(info.mhz, ==, 2000);
    g_assert_cmpuint(info.memory_kib, ==, 4194304);
    caps = drv->host->get_capabilities(c1, &err);
    g_assert_nonnull(strstr(caps, "<cells num='0'>"));

    off = drv->domain->lookup_by_name(c1, "off", &err);
    paused = drv->domain->lookup_by_name(c1, "paused", &err);
    fromfile = drv->domain->lookup_by_name(c1, "fromfile", &err);
    g_assert_no_error(err);
    assert_state(c1, off, 5, 0);
    assert_state(c1, paused, 3, 0);
    assert_state(c1, fromfile, 1, 0);
    g_assert_cmpint(paused->id, ==, 2);
    g_assert_cmpint(fromfile->id, ==, 3);

    net = drv->network->lookup_by_name(c1, "filenet", &err);
    g_assert_no_error(err);
    g_assert_cmpint(drv->network->is_active(c1, net, &err), ==, 1);

    pool = drv->storage->pool_lookup_by_name(c1, "pool1", &err);
    g_assert_true(drv->storage->pool_get_info(c1, pool, &pinfo, &err));
    g_assert_cmpuint(pinfo.allocation, ==, 600);
    b = drv->storage->vol_lookup_by_name(c1, pool, "b.img", &err);
    g_assert_no_error(err);
    g_assert_cmpstr(b->key, ==, "/elsewhere/b.img");

    /* each node-file connection has its own state, as in libvirt */
    c2 = open_conn(uri, NULL);
    g_assert_true(drv->domain->destroy(c1, fromfile, 0, &err));
    {
        /* no <uuid> in the file: each load makes up its own */
        g_autoptr(CoreDomainRef) other = drv->domain->lookup_by_name(c2, "fromfile", &err);

        g_assert_no_error(err);
        assert_state(c2, other, 1, 0);
    }
    drv->host->close(c2);
    drv->host->close(c1);

    g_unlink(f1);
    g_unlink(f2);
    g_unlink(f3);
    g_unlink(node);
    g_rmdir(dir);
}

static void
test_node_file_errors(void)
{
    g_autofree char *dir = g_dir_make_tmp("testdrv-XXXXXX", NULL);
    struct {
        const char *text;
        int code;
        int from;
        const char *message;
    } cases[] = {
        {"<foo/>", CORE_ERR_XML_ERROR, CORE_FROM_XML,
         "XML error: expecting root element of 'node', not 'foo'"},
        {"<node><cpu><mhz>abc</mhz></cpu></node>", CORE_ERR_XML_ERROR, CORE_FROM_TEST,
         "XML error: invalid node cpu mhz value"},
        {"<node><domain file='missing.xml'/></node>", CORE_ERR_XML_ERROR, CORE_FROM_TEST, NULL},
        {"<node><network><name>x</name></network><network><name>x</name></network></node>",
         CORE_ERR_OPERATION_FAILED, CORE_FROM_NETWORK, NULL},
        {"<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
         "<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os>"
         "<test:transient/><test:runstate>5</test:runstate></domain></node>",
         CORE_ERR_XML_ERROR, CORE_FROM_TEST,
         "XML error: transient domain cannot have runstate 'shutoff'"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = write_file(dir, "node.xml", cases[i].text);
        g_autofree char *uri = g_strdup_printf("test://%s", path);
        g_autoptr(GError) err = NULL;
        gpointer conn = NULL;

        g_assert_false(drv->host->open(uri, 0, NULL, NULL, &conn, &err));
        assert_error(err, cases[i].code, cases[i].from);
        if (cases[i].message)
            g_assert_cmpstr(err->message, ==, cases[i].message);
        g_unlink(path);
    }
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/testdrv/host", test_host);
    g_test_add_func("/testdrv/open-errors", test_open_errors);
    g_test_add_func("/testdrv/lifecycle", test_lifecycle);
    g_test_add_func("/testdrv/vcpus", test_vcpus);
    g_test_add_func("/testdrv/define-errors", test_define_errors);
    g_test_add_func("/testdrv/events", test_events);
    g_test_add_func("/testdrv/metadata", test_metadata);
    g_test_add_func("/testdrv/shared-state", test_shared_state);
    g_test_add_func("/testdrv/lists", test_lists);
    g_test_add_func("/testdrv/networks-pools", test_networks_pools);
    g_test_add_func("/testdrv/concurrency", test_concurrency);
    g_test_add_func("/testdrv/node-file", test_node_file);
    g_test_add_func("/testdrv/node-file-errors", test_node_file_errors);
    return g_test_run();
}
