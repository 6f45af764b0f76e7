/* core-test-node: loads a test driver node description (libvirt's format).
 *
 *   <node>
 *     <cpu><nodes/><sockets/><cores/><threads/><active/><mhz/><model/></cpu>
 *     <memory>KiB</memory>
 *     <domain ...>...</domain>     or <domain file='dom.xml'/>
 *     <network ...>...</network>   or <network file='net.xml'/>
 *     <pool ...>... <volume>...</volume> or <volume file='v.xml'/> ...</pool>
 *   </node>
 *
 * Relative file= paths are relative to the node file's directory. Domains
 * may carry elements of the test namespace
 * (http://libvirt.org/schemas/domain/test/1.0): runstate (a virDomainState
 * number, default running), transient and hasmanagedsave.
 *
 * This file only walks the <node> container; every object is handed, as
 * its own XML document, to the object models' parsers.
 */
#include "vireo-config.h"

#include <string.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-test-driver-priv.h"
#include "core-xml.h"

#define CORE_FROM_THIS CORE_FROM_TEST

#define TEST_NS_HREF "http://libvirt.org/schemas/domain/test/1.0"

/* Reads one integer field of the node info; FALSE on a malformed value. */
static gboolean
test_node_long(xmlXPathContext *ctxt,
               const char *expr,
               const char *what,
               gboolean *found,
               long *ret,
               GError **error)
{
    g_autofree char *str = core_xml_xpath_string(ctxt, expr);
    char *end = NULL;
    gint64 v;

    *found = FALSE;
    if (!str)
        return TRUE;
    v = g_ascii_strtoll(str, &end, 10);
    if (end == str || *end != '\0' || v < G_MINLONG || v > G_MAXLONG)
        return core_xml_error(error, CORE_FROM_THIS, CORE_ERR_XML_ERROR,
                              "invalid node cpu %s value", what);
    *found = TRUE;
    *ret = v;
    return TRUE;
}

static gboolean
test_node_parse_info(TestState *st, xmlXPathContext *ctxt, GError **error)
{
    static const struct {
        const char *name;
        gsize offset;
    } fields[] = {
        {"nodes", G_STRUCT_OFFSET(CoreNodeInfo, nodes)},
        {"sockets", G_STRUCT_OFFSET(CoreNodeInfo, sockets)},
        {"cores", G_STRUCT_OFFSET(CoreNodeInfo, cores)},
        {"threads", G_STRUCT_OFFSET(CoreNodeInfo, threads)},
    };
    CoreNodeInfo *info = &st->node;
    g_autofree char *model = NULL;
    gboolean found;
    long l;

    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        g_autofree char *expr = g_strdup_printf("string(/node/cpu/%s[1])", fields[i].name);

        if (!test_node_long(ctxt, expr, fields[i].name, &found, &l, error))
            return FALSE;
        if (found)
            G_STRUCT_MEMBER(int, info, fields[i].offset) = (int)l;
    }
    info->cpus = info->cores * info->threads * info->sockets * info->nodes;
    if (!test_node_long(ctxt, "string(/node/cpu/active[1])", "active", &found, &l, error))
        return FALSE;
    if (found && l < info->cpus)
        info->cpus = (int)l;
    if (!test_node_long(ctxt, "string(/node/cpu/mhz[1])", "mhz", &found, &l, error))
        return FALSE;
    if (found)
        info->mhz = (int)l;

    if ((model = core_xml_xpath_string(ctxt, "string(/node/cpu/model[1])"))) {
        if (strlen(model) >= sizeof(info->model))
            return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                                  "Model %s too big for destination", model);
        g_strlcpy(info->model, model, sizeof(info->model));
    }

    if (!test_node_long(ctxt, "string(/node/memory[1])", "memory", &found, &l, error)) {
        g_clear_error(error);
        return core_xml_error(error, CORE_FROM_THIS, CORE_ERR_XML_ERROR,
                              "invalid node memory value");
    }
    if (found)
        info->memory_kib = (guint64)l;
    return TRUE;
}

/* The document of one object: the file its file= attribute names, or a
 * copy of the inline element (namespaces made self-contained). */
static xmlDoc *
test_node_object_doc(xmlNode *node, const char *base, const char *root, GError **error)
{
    g_autofree char *file = core_xml_prop(node, "file");
    g_autofree char *abs = NULL;
    g_autofree char *text = NULL;
    xmlDoc *doc;
    xmlNode *copy;

    if (!file) {
        doc = xmlNewDoc((const xmlChar *)"1.0");
        copy = xmlDocCopyNode(node, doc, 1);
        xmlDocSetRootElement(doc, copy);
        xmlReconciliateNs(doc, copy);
        return doc;
    }
    if (g_path_is_absolute(file) || !base) {
        abs = g_strdup(file);
    } else {
        g_autofree char *dir = g_path_get_dirname(base);

        abs = g_strdup_printf("%s/%s", dir, file);
    }
    if (!g_file_get_contents(abs, &text, NULL, NULL)) {
        core_xml_error(error, CORE_FROM_THIS, CORE_ERR_XML_ERROR,
                       "failed to parse xml document '%s'", abs);
        return NULL;
    }
    return core_xml_parse(text, abs, root, CORE_FROM_TEST, error);
}

/* (transfer full) The text of @doc's root element. */
static char *
test_node_doc_string(xmlDoc *doc)
{
    xmlBuffer *buf = xmlBufferCreate();
    char *ret;

    xmlNodeDump(buf, doc, xmlDocGetRootElement(doc), 0, 0);
    ret = g_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return ret;
}

/* Unlinks and frees the element children of @parent named @name (in the
 * test namespace when @test_ns). */
static void
test_node_strip(xmlNode *parent, const char *name, gboolean test_ns)
{
    xmlNode *child = parent->children;

    while (child) {
        xmlNode *next = child->next;
        gboolean in_ns = child->ns && g_strcmp0((const char *)child->ns->href, TEST_NS_HREF) == 0;

        if (child->type == XML_ELEMENT_NODE && in_ns == test_ns &&
            (!name || g_strcmp0((const char *)child->name, name) == 0)) {
            xmlUnlinkNode(child);
            xmlFreeNode(child);
        }
        child = next;
    }
}

static xmlNode *
test_node_ns_child(xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && c->ns &&
            g_strcmp0((const char *)c->ns->href, TEST_NS_HREF) == 0 &&
            g_strcmp0((const char *)c->name, name) == 0)
            return c;
    }
    return NULL;
}

typedef struct {
    int runstate;
    gboolean transient;
    gboolean managed_save;
} TestNodeDomainExtra;

static gboolean
test_node_domain_extra(xmlNode *root, TestNodeDomainExtra *ex, GError **error)
{
    xmlNode *rs = test_node_ns_child(root, "runstate");

    ex->runstate = TEST_DOM_RUNNING;
    ex->transient = test_node_ns_child(root, "transient") != NULL;
    ex->managed_save = test_node_ns_child(root, "hasmanagedsave") != NULL;
    if (rs) {
        g_autofree char *text = core_xml_content(rs);
        guint64 v;

        if (!core_xml_parse_ull(g_strstrip(text), 10, G_MAXUINT, &v))
            return core_xml_error(error, CORE_FROM_THIS, CORE_ERR_XML_ERROR, "invalid runstate");
        if (v >= TEST_DOM_STATE_LAST)
            return core_xml_error(error, CORE_FROM_THIS, CORE_ERR_XML_ERROR,
                                  "runstate '%d' out of range'", (int)v);
        ex->runstate = (int)v;
    }
    if (ex->transient && ex->runstate == TEST_DOM_SHUTOFF)
        return core_xml_error(error, CORE_FROM_THIS, CORE_ERR_XML_ERROR,
                              "transient domain cannot have runstate 'shutoff'");
    if (ex->managed_save && ex->runstate != TEST_DOM_SHUTOFF)
        return core_xml_error(error, CORE_FROM_THIS, CORE_ERR_XML_ERROR,
                              "domain with managedsave data can only have runstate 'shutoff'");
    /* test:domainsnapshot and the rest of the namespace are not modelled */
    test_node_strip(root, NULL, TRUE);
    return TRUE;
}

static gboolean
test_node_load_domain(TestState *st, xmlNode *node, const char *base, GError **error)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(CoreDomainDef) def = NULL;
    g_autofree char *text = NULL;
    TestNodeDomainExtra ex;
    TestDomain *dom;

    if (!(doc = test_node_object_doc(node, base, "domain", error)))
        return FALSE;
    if (!test_node_domain_extra(xmlDocGetRootElement(doc), &ex, error))
        return FALSE;
    text = test_node_doc_string(doc);
    if (!(def = core_domain_def_parse_string(text, 0, error)))
        return FALSE;
    test_domain_post_parse(def);
    if (!(dom = test_domain_assign(st, def, FALSE, NULL, error)))
        return FALSE;
    g_steal_pointer(&def);

    dom->persistent = !ex.transient;
    dom->managed_save = ex.managed_save;
    if (ex.runstate != TEST_DOM_SHUTOFF) {
        test_domain_start(st, dom, ex.runstate, 0);
    } else {
        dom->state = TEST_DOM_SHUTOFF;
        dom->reason = 0;
    }
    return TRUE;
}

static gboolean
test_node_load_network(TestState *st, xmlNode *node, const char *base, GError **error)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(CoreNetworkDef) def = NULL;
    g_autofree char *text = NULL;
    TestNetwork *net;

    if (!(doc = test_node_object_doc(node, base, "network", error)))
        return FALSE;
    text = test_node_doc_string(doc);
    if (!(def = core_network_def_parse_string(text, 0, error)))
        return FALSE;
    if (!(net = test_network_assign(st, def, FALSE, error)))
        return FALSE;
    g_steal_pointer(&def);
    net->active = TRUE;
    return TRUE;
}

static gboolean
test_node_load_volume(TestPool *pool, xmlNode *node, const char *base, GError **error)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autofree char *text = NULL;
    CoreVolDef *vol;

    if (!(doc = test_node_object_doc(node, base, "volume", error)))
        return FALSE;
    text = test_node_doc_string(doc);
    if (!(vol = core_vol_def_parse_string(text, 0, error)))
        return FALSE;
    test_pool_add_vol(pool, vol, FALSE);
    return TRUE;
}

static gboolean
test_node_load_pool(TestState *st, xmlNode *node, const char *base, GError **error)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(CorePoolDef) def = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GPtrArray) vols = g_ptr_array_new_with_free_func((GDestroyNotify)xmlFreeNode);
    xmlNode *root;
    TestPool *pool;

    if (!(doc = test_node_object_doc(node, base, "pool", error)))
        return FALSE;
    root = xmlDocGetRootElement(doc);
    /* the volumes are ours to load; the pool model never sees them */
    for (xmlNode *c = root->children, *next; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE && !c->ns && core_xml_is(c, "volume")) {
            xmlUnlinkNode(c);
            g_ptr_array_add(vols, c);
        }
    }
    text = test_node_doc_string(doc);
    if (!(def = core_pool_def_parse_string(text, 0, error)))
        return FALSE;
    test_pool_set_defaults(def);
    if (!(pool = test_pool_assign(st, def, FALSE, error)))
        return FALSE;
    g_steal_pointer(&def);
    pool->active = TRUE;
    for (guint i = 0; i < vols->len; i++) {
        if (!test_node_load_volume(pool, g_ptr_array_index(vols, i), base, error))
            return FALSE;
    }
    return TRUE;
}

typedef gboolean (*TestNodeLoader)(TestState *st, xmlNode *node, const char *base, GError **error);

static gboolean
test_node_load_all(TestState *st,
                   xmlXPathContext *ctxt,
                   const char *expr,
                   TestNodeLoader load,
                   const char *base,
                   GError **error)
{
    g_autofree xmlNode **nodes = NULL;
    guint n = core_xml_xpath_nodes(ctxt, expr, &nodes);

    for (guint i = 0; i < n; i++) {
        if (!load(st, nodes[i], base, error))
            return FALSE;
    }
    return TRUE;
}

gboolean
test_node_load(TestState *st, const char *path, const char *xml, GError **error)
{
    g_autofree char *text = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;

    if (path) {
        if (!g_file_get_contents(path, &text, NULL, NULL))
            return core_xml_error(error, CORE_FROM_THIS, CORE_ERR_XML_ERROR,
                                  "failed to parse xml document '%s'", path);
        xml = text;
    }
    if (!(doc = core_xml_parse(xml, path ? path : "(test driver)", "node", CORE_FROM_TEST, error)))
        return FALSE;
    ctxt = core_xml_xpath_new(doc);

    test_state_lock(st);
    if (!test_node_parse_info(st, ctxt, error) ||
        !test_node_load_all(st, ctxt, "/node/domain", test_node_load_domain, path, error) ||
        !test_node_load_all(st, ctxt, "/node/network", test_node_load_network, path, error) ||
        !test_node_load_all(st, ctxt, "/node/pool", test_node_load_pool, path, error)) {
        test_state_unlock(st);
        return FALSE;
    }
    /* a new state has no connection yet: loading queues no events */
    g_queue_clear_full(&st->pending, (GDestroyNotify)core_event_free);
    g_atomic_int_set(&st->npending, 0);
    test_state_unlock(st);
    return TRUE;
}
