/* core-domain-metadata: the <metadata> element of a domain and libvirt's
 * virDomainSetMetadata / virDomainGetMetadata semantics on <title>,
 * <description> and <metadata>.
 *
 * <metadata> holds one element per namespace URI (the applications' own
 * data: nova:instance, libosinfo:libosinfo, ...). It is kept as a libxml2
 * tree that belongs to no document, the way libvirt keeps it, and written
 * back with libxml2's own serializer, so that its bytes are the ones
 * libvirt 9.0 writes for the same input: 2 spaces per level, double-quoted
 * attributes, elements holding text written verbatim.
 */
#define CORE_FROM_THIS CORE_FROM_DOMAIN

#include "core-domain-priv.h"

#include <string.h>

#define METADATA_URL "metadata_xml"

/* virDomainMetadataType, virDomainModificationImpact */
enum {
    METADATA_LAST = CORE_DOMAIN_METADATA_ELEMENT + 1,
    AFFECT_LIVE = 1 << 0,
    AFFECT_CONFIG = 1 << 1,
};

/* ---- tree helpers ---------------------------------------------------------- */

static gboolean
same_href(const xmlNs *ns, const char *uri)
{
    return ns && ns->href && uri && strcmp((const char *)ns->href, uri) == 0;
}

/* libvirt keeps one element per namespace URI: children without a
 * namespace (text, comments, plain elements) go, and so does every later
 * element whose namespace URI was seen before. */
static void
sanitize(xmlNode *md)
{
    xmlNode *child = md->children;

    while (child) {
        xmlNode *next = child->next;

        if (!child->ns || !child->ns->href) {
            xmlUnlinkNode(child);
            xmlFreeNode(child);
            child = next;
            continue;
        }
        for (xmlNode *n = child->next; n; n = next) {
            next = n->next;
            if (n->ns && same_href(n->ns, (const char *)child->ns->href)) {
                xmlUnlinkNode(n);
                xmlFreeNode(n);
            }
        }
        child = child->next;
    }
}

/* References to entities of the input's DTD would be written as "&name;"
 * into a document that no longer declares them; they are dropped (from
 * element content and from attribute values). */
static void
strip_entity_refs(xmlNode *node)
{
    xmlNode *next;

    for (xmlAttr *a = node->type == XML_ELEMENT_NODE ? node->properties : NULL; a; a = a->next) {
        for (xmlNode *c = a->children; c; c = next) {
            next = c->next;
            if (c->type == XML_ENTITY_REF_NODE) {
                xmlUnlinkNode(c);
                xmlFreeNode(c);
            }
        }
    }
    for (xmlNode *c = node->children; c; c = next) {
        next = c->next;
        if (c->type == XML_ENTITY_REF_NODE) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            strip_entity_refs(c);
        }
    }
}

/* (transfer full) @node written by libxml2 at indentation @level. */
static char *
dump_node(xmlNode *node, int level, gboolean format)
{
    xmlBuffer *buf = xmlBufferCreate();
    int old_indent = xmlIndentTreeOutput;
    char *ret;

    xmlIndentTreeOutput = 1;
    xmlNodeDump(buf, NULL, node, level, format ? 1 : 0);
    xmlIndentTreeOutput = old_indent;
    ret = g_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return ret;
}

void
core_domain_metadata_free(gpointer metadata)
{
    if (metadata)
        xmlFreeNode(metadata);
}

/* ---- parse and format ------------------------------------------------------- */

/* libvirt reads domain XML without ignorable blanks (libxml2's NOBLANKS
 * heuristics), so that <metadata> is re-indented when written. The
 * subtree is parsed again on its own with that option: the result is what
 * libvirt keeps, and it is also what any later parse of our own output
 * gives, whatever the input's DTD or xml:space said. */
static xmlNode *
reparse_noblanks(xmlNode *copy, GError **error)
{
    const int opts = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR |
                     XML_PARSE_NOBLANKS;
    g_autofree char *text = dump_node(copy, 0, FALSE);
    g_autoptr(xmlDoc) doc = xmlReadMemory(text, (int)strlen(text), "domain_definition", NULL,
                                          opts);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

    if (!root) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "cannot parse the <metadata> element");
        return NULL;
    }
    return xmlCopyNode(root, 1);
}

gboolean
core_domain_metadata_parse(CoreDomainDef *def, const xmlNode *root, GError **error)
{
    CoreDomainDefPriv *priv = def->priv;
    xmlNode *node = core_xml_child(root, "metadata");
    xmlNode *copy;
    xmlNode *md;

    if (!node)
        return TRUE;
    /* the copy declares on itself the namespaces it got from above */
    if (!(copy = xmlCopyNode(node, 1)))
        return core_error_set(error, CORE_ERR_NO_MEMORY, NULL);
    strip_entity_refs(copy);
    md = reparse_noblanks(copy, error);
    xmlFreeNode(copy);
    if (!md)
        return FALSE;
    sanitize(md);
    core_domain_metadata_free(priv->metadata);
    priv->metadata = md;
    return TRUE;
}

void
core_domain_metadata_format(CoreXmlWriter *w, const CoreDomainDef *def)
{
    const CoreDomainDefPriv *priv = def->priv;
    g_autofree char *text = NULL;

    if (!priv->metadata)
        return;
    /* the first line gets the writer's indentation, libxml2 indents the
     * rest from @level on */
    text = dump_node(priv->metadata, w->depth, TRUE);
    if (w->pending) {
        g_string_append(w->buf, ">\n");
        w->pending = FALSE;
    }
    for (guint i = 0; i < w->depth; i++)
        g_string_append(w->buf, "  ");
    g_string_append(w->buf, text);
    g_string_append_c(w->buf, '\n');
}

/* ---- virDomainSetMetadata / virDomainGetMetadata ------------------------------ */

gboolean
core_domain_metadata_check_set(int type, const char *metadata, const char *key,
                               const char *uri, GError **error)
{
    switch (type) {
    case CORE_DOMAIN_METADATA_TITLE:
        if (metadata && strchr(metadata, '\n')) {
            return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                          "metadata title can't contain newlines");
        }
        G_GNUC_FALLTHROUGH;
    case CORE_DOMAIN_METADATA_DESCRIPTION:
        if (uri) {
            return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                          "uri in virDomainSetMetadata must be NULL");
        }
        if (key) {
            return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                          "key in virDomainSetMetadata must be NULL");
        }
        break;
    case CORE_DOMAIN_METADATA_ELEMENT:
        if (!uri) {
            return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                          "uri in virDomainSetMetadata must not be NULL");
        }
        if (metadata && !key) {
            return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                          "key in virDomainSetMetadata must not be NULL");
        }
        /* libvirt would declare xmlns:KEY="", which no parser reads back:
         * the definition could not be saved and loaded again */
        if (metadata && !*uri) {
            return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                          "uri in virDomainSetMetadata must not be empty");
        }
        break;
    default:
        break;
    }
    return TRUE;
}

gboolean
core_domain_metadata_check_get(int type, const char *uri, guint flags, GError **error)
{
    if ((flags & AFFECT_LIVE) && (flags & AFFECT_CONFIG)) {
        return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                      "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                                      "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
    }
    switch (type) {
    case CORE_DOMAIN_METADATA_TITLE:
    case CORE_DOMAIN_METADATA_DESCRIPTION:
        if (uri) {
            return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                          "uri in virDomainGetMetadata must be NULL");
        }
        break;
    case CORE_DOMAIN_METADATA_ELEMENT:
        if (!uri) {
            return core_error_set_literal(error, CORE_FROM_DOMAIN, CORE_ERR_INVALID_ARG,
                                          "uri in virDomainGetMetadata must not be NULL");
        }
        break;
    default:
        break;
    }
    return TRUE;
}

/* Puts @ns on @node and on every element under it that has none. */
static void
set_ns(xmlNode *node, xmlNs *ns)
{
    if (!node->ns)
        xmlSetNs(node, ns);
    for (xmlNode *c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            set_ns(c, ns);
    }
}

gboolean
core_domain_metadata_check_type(int type, GError **error)
{
    if (type >= METADATA_LAST)
        return core_error_set(error, CORE_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
    return TRUE;
}

/* The element the user gave for ELEMENT, in namespace @uri with prefix
 * @key: every element of it without a namespace gets that one, as
 * libvirt's does. (transfer full) */
static xmlNode *
element_new(const char *metadata, const char *key, const char *uri, GError **error)
{
    g_autoptr(xmlDoc) doc = core_xml_parse(metadata, METADATA_URL, NULL, CORE_FROM_DOMAIN,
                                           error);
    xmlNode *node;
    xmlNs *ns;

    if (!doc)
        return NULL;
    /* libvirt takes the document's first node, which need not be its
     * element (a comment, a DOCTYPE): no namespace can go on those */
    if (xmlValidateNCName((const xmlChar *)key, 1) != 0) {
        core_error_set_full(error, CORE_FROM_XML, CORE_ERR_INTERNAL_ERROR,
                            "failed to validate prefix for a new XML namespace");
        return NULL;
    }
    if (!doc->children || doc->children->type != XML_ELEMENT_NODE ||
        !(node = xmlCopyNode(doc->children, 1))) {
        core_error_set_full(error, CORE_FROM_XML, CORE_ERR_INTERNAL_ERROR,
                            "failed to create a new XML namespace");
        return NULL;
    }
    if (!(ns = xmlNewNs(node, (const xmlChar *)uri, (const xmlChar *)key))) {
        xmlFreeNode(node);
        core_error_set_full(error, CORE_FROM_XML, CORE_ERR_INTERNAL_ERROR,
                            "failed to create a new XML namespace");
        return NULL;
    }
    strip_entity_refs(node);
    set_ns(node, ns);
    return node;
}

/* (transfer none) The first child of @md in namespace @uri, or NULL. */
static xmlNode *
find_ns_child(xmlNode *md, const char *uri)
{
    for (xmlNode *c = md ? md->children : NULL; c; c = c->next) {
        if (same_href(c->ns, uri))
            return c;
    }
    return NULL;
}

static gboolean
set_element(CoreDomainDefPriv *priv, const char *metadata, const char *key, const char *uri,
            GError **error)
{
    xmlNode *new = NULL;
    xmlNode *old;

    if (metadata && !(new = element_new(metadata, key, uri, error)))
        return FALSE;
    while ((old = find_ns_child(priv->metadata, uri))) {
        xmlUnlinkNode(old);
        xmlFreeNode(old);
    }
    if (!new)
        return TRUE;
    if (!priv->metadata)
        priv->metadata = xmlNewNode(NULL, (const xmlChar *)"metadata");
    xmlAddChild(priv->metadata, new);
    return TRUE;
}

gboolean
core_domain_def_set_metadata(CoreDomainDef *def, int type, const char *metadata,
                             const char *key, const char *uri, GError **error)
{
    char **slot = NULL;

    if (!core_domain_metadata_check_type(type, error))
        return FALSE;
    switch (type) {
    case CORE_DOMAIN_METADATA_DESCRIPTION:
        slot = &def->description;
        break;
    case CORE_DOMAIN_METADATA_TITLE:
        slot = &def->title;
        break;
    case CORE_DOMAIN_METADATA_ELEMENT:
        return set_element(def->priv, metadata, key, uri, error);
    default:
        /* libvirt ignores negative types */
        return TRUE;
    }
    g_clear_pointer(slot, g_free);
    if (metadata && *metadata)
        *slot = g_strdup(metadata);
    return TRUE;
}

/* Takes namespace @uri off @node and every element and attribute under
 * it. */
static void
clear_ns(xmlNode *node, const char *uri)
{
    if (same_href(node->ns, uri))
        xmlSetNs(node, NULL);
    for (xmlAttr *a = node->properties; a; a = a->next) {
        if (same_href(a->ns, uri))
            a->ns = NULL;
    }
    for (xmlNode *c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            clear_ns(c, uri);
    }
}

/* Takes namespace @uri off the elements of @node and its (first)
 * declaration off @node itself. */
static void
drop_ns(xmlNode *node, const char *uri)
{
    xmlNs *prev = NULL;

    clear_ns(node, uri);
    for (xmlNs *ns = node->nsDef; ns; prev = ns, ns = ns->next) {
        if (!same_href(ns, uri))
            continue;
        if (prev)
            prev->next = ns->next;
        else
            node->nsDef = ns->next;
        ns->next = NULL;
        xmlFreeNs(ns);
        break;
    }
}

/* The element of @md in namespace @uri without that namespace: the
 * application sees its own XML as it gave it. (transfer full) */
static char *
extract_element(xmlNode *md, const char *uri)
{
    xmlNode *node = find_ns_child(md, uri);
    xmlNode *copy;
    char *ret;

    if (!node || !(copy = xmlCopyNode(node, 1)))
        return NULL;
    drop_ns(copy, uri);
    ret = dump_node(copy, 0, TRUE);
    xmlFreeNode(copy);
    return ret;
}

char *
core_domain_def_get_metadata(const CoreDomainDef *def, int type, const char *uri,
                             GError **error)
{
    const CoreDomainDefPriv *priv = def->priv;
    char *ret = NULL;

    if (!core_domain_metadata_check_type(type, error))
        return NULL;
    switch (type) {
    case CORE_DOMAIN_METADATA_DESCRIPTION:
        ret = g_strdup(def->description);
        break;
    case CORE_DOMAIN_METADATA_TITLE:
        ret = g_strdup(def->title);
        break;
    case CORE_DOMAIN_METADATA_ELEMENT:
        ret = extract_element(priv->metadata, uri);
        break;
    default:
        break;
    }
    if (!ret) {
        core_error_set(error, CORE_ERR_NO_DOMAIN_METADATA,
                       "Requested metadata element is not present");
    }
    return ret;
}
