/* core-xml: see core-xml.h. */
#define CORE_FROM_THIS CORE_FROM_XML

#include "core-xml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---- */

static gboolean G_GNUC_PRINTF(4, 0)
xml_error_valist(GError **error, CoreErrorFrom from, CoreErrorCode code, const char *fmt,
                 va_list ap)
{
    g_autofree char *detail = NULL;
    g_autofree char *msg = NULL;

    if (!error)
        return FALSE;
    detail = g_strdup_vprintf(fmt, ap);
    if (code == CORE_ERR_XML_DETAIL) {
        return core_error_set_literal(error, from, code, detail);
    }
    if (code == CORE_ERR_XML_ERROR) {
        msg = g_strdup_printf("XML error: %s", detail);
        return core_error_set_literal(error, from, code, msg);
    }
    return core_error_set_full(error, from, code, "%s", detail);
}

gboolean
core_xml_error(GError **error, CoreErrorFrom from, CoreErrorCode code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xml_error_valist(error, from, code, fmt, ap);
    va_end(ap);
    return FALSE;
}

/* ---- parsing ---- */

typedef struct {
    char *message; /* first problem only, as libvirt reports it */
} ParseState;

/* Builds "(URL):LINE: MSG\nCONTEXT\n----^" from the parser's position. */
static char *
parse_error_message(xmlParserCtxt *ctxt, const xmlError *err)
{
    g_autofree char *msg = g_strchomp(g_strdup(err->message ? err->message : "unknown error"));
    GString *out = g_string_new(NULL);
    const xmlChar *base = NULL, *cur = NULL, *start, *end;

    g_string_append_printf(out, "(%s):%d: %s\n", err->file ? err->file : "(null)", err->line,
                           msg);
    if (ctxt->input) {
        base = ctxt->input->base;
        cur = ctxt->input->cur;
    }
    if (!base || !cur || !*base) {
        g_string_append(out, "(null)\n^");
        return g_string_free(out, FALSE);
    }
    /* the line holding the error position, at most 80 bytes of it; at
     * the very start of a line (e.g. end of input after a newline) the
     * line is empty and shows as "(null)", as libvirt prints it */
    start = cur;
    if (*start == '\n' || *start == '\r') {
        while (start > base && (*start == '\n' || *start == '\r'))
            start--;
    }
    while (start > base && *start != '\n' && *start != '\r')
        start--;
    if (*start == '\n' || *start == '\r')
        start++;
    if (cur - start > 80)
        start = cur - 80;
    end = start;
    while (*end && *end != '\n' && *end != '\r' && end - start < 80)
        end++;
    if (end == start) {
        g_string_append(out, "(null)\n^");
        return g_string_free(out, FALSE);
    }
    g_string_append_len(out, (const char *)start, end - start);
    g_string_append_c(out, '\n');
    for (const xmlChar *p = start; p < cur && p < end; p++)
        g_string_append_c(out, '-');
    g_string_append_c(out, '^');
    return g_string_free(out, FALSE);
}

static void
parse_error_cb(void *data, xmlError *err)
{
    xmlParserCtxt *ctxt = data;
    ParseState *st = ctxt->_private;

    if (!st || st->message || err->level < XML_ERR_ERROR)
        return;
    st->message = parse_error_message(ctxt, err);
}

xmlDoc *
core_xml_parse(const char *xml, const char *url, const char *root, CoreErrorFrom from,
               GError **error)
{
    /* NONET: never fetch; no NOENT/DTDLOAD: entities are not substituted
     * and no external subset is read, so no file or entity expansion */
    const int opts = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
    ParseState st = { 0 };
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    xmlDoc *doc = NULL;
    const xmlNode *top;

    if (!ctxt) {
        core_error_set(error, CORE_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    ctxt->_private = &st;
    ctxt->sax->serror = parse_error_cb;
    doc = xmlCtxtReadMemory(ctxt, xml ? xml : "", xml ? (int)strnlen(xml, G_MAXINT) : 0, url,
                            NULL, opts);
    if (!doc || st.message || !ctxt->wellFormed) {
        if (doc)
            xmlFreeDoc(doc);
        if (st.message)
            core_error_set_literal(error, from, CORE_ERR_XML_DETAIL, st.message);
        else
            core_xml_error(error, from, CORE_ERR_XML_DETAIL, "(%s):0: failed to parse xml document",
                           url);
        g_free(st.message);
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    xmlFreeParserCtxt(ctxt);
    top = xmlDocGetRootElement(doc);
    if (!top) {
        xmlFreeDoc(doc);
        core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR, "missing root element");
        return NULL;
    }
    if (root && !core_xml_is(top, root)) {
        core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                       "expecting root element of '%s', not '%s'", root,
                       (const char *)top->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

xmlXPathContext *
core_xml_xpath_new(xmlDoc *doc)
{
    xmlXPathContext *ctxt = xmlXPathNewContext(doc);

    if (!ctxt)
        g_error("out of memory creating an XPath context");
    ctxt->node = xmlDocGetRootElement(doc);
    return ctxt;
}

/* ---- navigation ---- */

xmlNode *
core_xml_first_element(const xmlNode *parent)
{
    if (!parent)
        return NULL;
    for (xmlNode *n = parent->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
    }
    return NULL;
}

xmlNode *
core_xml_next_element(const xmlNode *node)
{
    for (xmlNode *n = node ? node->next : NULL; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
    }
    return NULL;
}

gboolean
core_xml_is(const xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && !node->ns &&
           strcmp((const char *)node->name, name) == 0;
}

xmlNode *
core_xml_child(const xmlNode *parent, const char *name)
{
    CORE_XML_CHILD_FOREACH (parent, n) {
        if (core_xml_is(n, name))
            return n;
    }
    return NULL;
}

char *
core_xml_prop(const xmlNode *node, const char *name)
{
    xmlChar *v;
    char *ret;

    if (!node)
        return NULL;
    v = xmlGetNoNsProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    ret = g_strdup((const char *)v);
    xmlFree(v);
    return ret;
}

char *
core_xml_content(const xmlNode *node)
{
    xmlChar *v;
    char *ret;

    if (!node)
        return NULL;
    v = xmlNodeGetContent(node);
    ret = g_strdup(v ? (const char *)v : "");
    xmlFree(v);
    return ret;
}

char *
core_xml_child_content(const xmlNode *parent, const char *name)
{
    return core_xml_content(core_xml_child(parent, name));
}

char *
core_xml_xpath_string(xmlXPathContext *ctxt, const char *expr)
{
    g_autoptr(xmlXPathObject) obj = NULL;
    g_autofree char *wrapped = g_strdup_printf("string(%s)", expr);

    obj = xmlXPathEval((const xmlChar *)wrapped, ctxt);
    if (!obj || obj->type != XPATH_STRING || !obj->stringval || !*obj->stringval)
        return NULL;
    return g_strdup((const char *)obj->stringval);
}

guint
core_xml_xpath_nodes(xmlXPathContext *ctxt, const char *expr, xmlNode ***ret_nodes)
{
    g_autoptr(xmlXPathObject) obj = xmlXPathEval((const xmlChar *)expr, ctxt);
    guint n;

    if (ret_nodes)
        *ret_nodes = NULL;
    if (!obj || obj->type != XPATH_NODESET || !obj->nodesetval)
        return 0;
    n = obj->nodesetval->nodeNr;
    if (ret_nodes && n > 0)
        *ret_nodes = g_memdup2(obj->nodesetval->nodeTab, n * sizeof(xmlNode *));
    return n;
}

xmlNode *
core_xml_xpath_node(xmlXPathContext *ctxt, const char *expr)
{
    g_autofree xmlNode **nodes = NULL;

    if (core_xml_xpath_nodes(ctxt, expr, &nodes) == 0)
        return NULL;
    return nodes[0];
}

/* ---- typed values ---- */

gboolean
core_xml_parse_ull(const char *str, guint base, guint64 max, guint64 *ret)
{
    char *end = NULL;
    guint64 v;

    /* strtoull accepts leading blanks and a '-' sign; we do not */
    if (!str || !g_ascii_isdigit(*str))
        return FALSE;
    errno = 0;
    v = g_ascii_strtoull(str, &end, base);
    if (errno != 0 || end == str || *end != '\0' || v > max)
        return FALSE;
    *ret = v;
    return TRUE;
}

int
core_xml_prop_uint(const xmlNode *node, const char *name, guint base, guint64 max,
                   guint64 *ret, GError **error)
{
    g_autofree char *v = core_xml_prop(node, name);

    if (!v)
        return 0;
    if (!core_xml_parse_ull(v, base, max, ret)) {
        return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                              "Invalid value for attribute '%s' in element '%s': '%s'. "
                              "Expected non-negative integer value",
                              name, (const char *)node->name, v) - 1;
    }
    return 1;
}

int
core_xml_enum_from_string(const char *const *table, const char *str)
{
    if (!str)
        return -1;
    for (int i = 0; table[i]; i++) {
        if (strcmp(table[i], str) == 0)
            return i;
    }
    return -1;
}

int
core_xml_prop_enum(const xmlNode *node, const char *name, const char *const *table,
                   CoreErrorFrom from, int *ret, GError **error)
{
    g_autofree char *v = core_xml_prop(node, name);
    int i;

    if (!v)
        return 0;
    i = core_xml_enum_from_string(table, v);
    if (i < 0) {
        return core_xml_error(error, from, CORE_ERR_XML_ERROR,
                              "Invalid value for attribute '%s' in element '%s': '%s'.", name,
                              (const char *)node->name, v) - 1;
    }
    *ret = i;
    return 1;
}

/* ---- writer ---- */

static void
escape_append(GString *buf, const char *text, gboolean attr)
{
    for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
        switch (*p) {
        case '<':
            g_string_append(buf, "&lt;");
            break;
        case '>':
            g_string_append(buf, "&gt;");
            break;
        case '&':
            g_string_append(buf, "&amp;");
            break;
        case '\'':
            g_string_append(buf, "&apos;");
            break;
        case '"':
            g_string_append(buf, "&quot;");
            break;
        case '\t':
        case '\n':
        case '\r':
            /* A parser turns these into spaces inside an attribute value:
             * written as references they read back as themselves.
             * (libvirt writes them raw and loses them on the next read.) */
            if (attr)
                g_string_append_printf(buf, "&#%d;", *p);
            else
                g_string_append_c(buf, (char)*p);
            break;
        default:
            if (*p >= 0x20)
                g_string_append_c(buf, (char)*p);
            break;
        }
    }
}

void
core_xml_escape_append(GString *buf, const char *text)
{
    escape_append(buf, text, FALSE);
}

void
core_xml_writer_init(CoreXmlWriter *w)
{
    w->buf = g_string_new(NULL);
    w->depth = 0;
    w->pending = FALSE;
    w->stack = g_ptr_array_new_with_free_func(g_free);
}

void
core_xml_writer_clear(CoreXmlWriter *w)
{
    if (w->buf)
        g_string_free(w->buf, TRUE);
    w->buf = NULL;
    g_clear_pointer(&w->stack, g_ptr_array_unref);
    w->depth = 0;
    w->pending = FALSE;
}

char *
core_xml_writer_finish(CoreXmlWriter *w)
{
    char *ret;

    g_return_val_if_fail(w->depth == 0, NULL);
    ret = g_string_free(w->buf, FALSE);
    w->buf = NULL;
    core_xml_writer_clear(w);
    return ret;
}

static void
writer_indent(CoreXmlWriter *w)
{
    for (guint i = 0; i < w->depth; i++)
        g_string_append(w->buf, "  ");
}

/* Closes a pending start tag because content follows. */
static void
writer_flush_start(CoreXmlWriter *w, gboolean newline)
{
    if (!w->pending)
        return;
    g_string_append_c(w->buf, '>');
    if (newline)
        g_string_append_c(w->buf, '\n');
    w->pending = FALSE;
}

void
core_xml_writer_start(CoreXmlWriter *w, const char *name)
{
    writer_flush_start(w, TRUE);
    writer_indent(w);
    g_string_append_printf(w->buf, "<%s", name);
    g_ptr_array_add(w->stack, g_strdup(name));
    w->depth++;
    w->pending = TRUE;
}

void
core_xml_writer_attr(CoreXmlWriter *w, const char *name, const char *value)
{
    g_return_if_fail(w->pending);
    if (!value)
        return;
    g_string_append_printf(w->buf, " %s='", name);
    escape_append(w->buf, value, TRUE);
    g_string_append_c(w->buf, '\'');
}

void
core_xml_writer_attrf(CoreXmlWriter *w, const char *name, const char *fmt, ...)
{
    g_autofree char *v = NULL;
    va_list ap;

    va_start(ap, fmt);
    v = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    core_xml_writer_attr(w, name, v);
}

static void
writer_pop(CoreXmlWriter *w, gboolean full, const char *text)
{
    g_autofree char *name = NULL;

    g_return_if_fail(w->depth > 0);
    name = g_ptr_array_steal_index(w->stack, w->stack->len - 1);
    w->depth--;
    if (text) {
        writer_flush_start(w, FALSE);
        core_xml_escape_append(w->buf, text);
    } else if (w->pending && !full) {
        g_string_append(w->buf, "/>\n");
        w->pending = FALSE;
        return;
    } else {
        writer_flush_start(w, TRUE);
        writer_indent(w);
    }
    g_string_append_printf(w->buf, "</%s>\n", name);
}

void
core_xml_writer_end(CoreXmlWriter *w)
{
    writer_pop(w, FALSE, NULL);
}

void
core_xml_writer_end_full(CoreXmlWriter *w)
{
    writer_pop(w, TRUE, NULL);
}

void
core_xml_writer_blank_line(CoreXmlWriter *w)
{
    writer_flush_start(w, TRUE);
    g_string_append_c(w->buf, '\n');
}

void
core_xml_writer_end_text(CoreXmlWriter *w, const char *text)
{
    writer_pop(w, FALSE, text ? text : "");
}

void
core_xml_writer_text_element(CoreXmlWriter *w, const char *name, const char *text)
{
    if (!text)
        return;
    core_xml_writer_start(w, name);
    core_xml_writer_end_text(w, text);
}

void
core_xml_writer_text_elementf(CoreXmlWriter *w, const char *name, const char *fmt, ...)
{
    g_autofree char *v = NULL;
    va_list ap;

    va_start(ap, fmt);
    v = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    core_xml_writer_text_element(w, name, v);
}
