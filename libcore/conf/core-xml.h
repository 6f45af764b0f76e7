/* core-xml: small helpers shared by the XML object models.
 *
 * - a safe document parse (no network, no entity substitution, no DTD
 *   loading) that reports errors the way libvirt does;
 * - element/attribute accessors and enum/number parsing that return
 *   1 (found), 0 (absent) or -1 (invalid, error set);
 * - an indenting writer on GString that produces libvirt's layout
 *   (2-space indent, single-quoted attributes, "<x/>" for empty elements).
 */
#pragma once

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "core-autoptr.h"
#include "core-error.h"

G_BEGIN_DECLS

/* Iterates the element children of @parent (text and comments skipped). */
#define CORE_XML_CHILD_FOREACH(parent, child)                                   \
    for (xmlNode *child = core_xml_first_element(parent); child;                \
         child = core_xml_next_element(child))

/* ---- errors ---- */

/**
 * core_xml_error:
 * Sets @error to @code from @from with libvirt's message layout for XML
 * errors: CORE_ERR_XML_ERROR gives "XML error: DETAIL", CORE_ERR_XML_DETAIL
 * gives "DETAIL" alone, any other code "SUMMARY: DETAIL".
 * Returns: FALSE, always.
 */
gboolean core_xml_error(GError **error, CoreErrorFrom from, CoreErrorCode code,
                        const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* ---- parsing ---- */

/**
 * core_xml_parse:
 * @xml: the document text (may be NULL or empty: an error)
 * @url: name used in messages, e.g. "domain_definition"
 * @root: expected root element name, or NULL to accept any
 * @from: error origin for well-formedness errors (e.g. CORE_FROM_DOMAIN)
 *
 * Parses @xml without network access, entity substitution or DTD loading.
 * Not well-formed: CORE_ERR_XML_DETAIL from @from, message
 * "(URL):LINE: PROBLEM" plus the offending line and a caret (libvirt's
 * layout). Wrong root: CORE_ERR_XML_ERROR from CORE_FROM_XML, "XML error:
 * expecting root element of 'ROOT', not 'NAME'".
 * Returns: (transfer full) the document, NULL with @error set on failure.
 */
xmlDoc *core_xml_parse(const char *xml, const char *url, const char *root, CoreErrorFrom from,
                       GError **error);

/* (transfer full) An XPath context on @doc with its node set to the root. */
xmlXPathContext *core_xml_xpath_new(xmlDoc *doc);

/* ---- navigation ---- */

/* (transfer none) First element child of @parent, NULL when none. */
xmlNode *core_xml_first_element(const xmlNode *parent);
/* (transfer none) Next element sibling of @node, NULL when none. */
xmlNode *core_xml_next_element(const xmlNode *node);
/* (transfer none) First element child of @parent named @name, or NULL. */
xmlNode *core_xml_child(const xmlNode *parent, const char *name);
/* TRUE when @node is an element named @name. */
gboolean core_xml_is(const xmlNode *node, const char *name);

/* (transfer full) Value of attribute @name of @node, NULL when absent. */
char *core_xml_prop(const xmlNode *node, const char *name);
/* (transfer full) Text content of @node, NULL when @node is NULL. */
char *core_xml_content(const xmlNode *node);
/* (transfer full) Text content of the first child element @name of @parent,
 * NULL when absent. */
char *core_xml_child_content(const xmlNode *parent, const char *name);

/* (transfer full) Result of @expr evaluated as a string relative to
 * @ctxt->node; NULL when empty or absent. */
char *core_xml_xpath_string(xmlXPathContext *ctxt, const char *expr);
/* (transfer none) First node matched by @expr, NULL when none. */
xmlNode *core_xml_xpath_node(xmlXPathContext *ctxt, const char *expr);
/* Number of nodes matched by @expr; *@ret_nodes (transfer container, may be
 * NULL) gets them in document order. */
guint core_xml_xpath_nodes(xmlXPathContext *ctxt, const char *expr, xmlNode ***ret_nodes);

/* ---- typed values ---- */

/**
 * core_xml_parse_ull:
 * Parses @str as an unsigned decimal (or 0x-prefixed hex when @base is 0)
 * integer with no sign, no spaces and no trailing text, up to @max.
 * Returns: TRUE on success with *@ret set.
 */
gboolean core_xml_parse_ull(const char *str, guint base, guint64 max, guint64 *ret);

/**
 * core_xml_prop_uint:
 * Reads attribute @name of @node as an unsigned integer (see
 * core_xml_parse_ull, @base 10 or 0 for auto) no greater than @max.
 * Returns: 1 with *@ret set, 0 when absent (*@ret untouched), -1 on a bad
 * value with CORE_ERR_XML_ERROR from CORE_FROM_XML (as libvirt): "XML error:
 * Invalid value for attribute 'NAME' in element 'ELEM': 'VALUE'. Expected
 * non-negative integer value".
 */
int core_xml_prop_uint(const xmlNode *node, const char *name, guint base, guint64 max,
                       guint64 *ret, GError **error);

/**
 * core_xml_enum_from_string:
 * Index of @str in the NULL-terminated @table, -1 when not there or @str is
 * NULL.
 */
int core_xml_enum_from_string(const char *const *table, const char *str);

/**
 * core_xml_prop_enum:
 * Reads attribute @name of @node and maps it through @table (NULL
 * terminated). Returns 1 with *@ret set, 0 when absent, -1 on an unknown
 * value with CORE_ERR_XML_ERROR from @from (libvirt uses CORE_FROM_XML):
 * "XML error: Invalid value for attribute 'NAME' in element 'ELEM': 'VALUE'."
 */
int core_xml_prop_enum(const xmlNode *node, const char *name, const char *const *table,
                       CoreErrorFrom from, int *ret, GError **error);

/* ---- writer ---- */

typedef struct {
    GString *buf;
    guint depth;     /* open elements */
    gboolean pending; /* a start tag is open, waiting for attributes */
    GPtrArray *stack; /* names of open elements (transfer none: static or owned) */
} CoreXmlWriter;

/* Prepares @w (an uninitialised struct) for writing. */
void core_xml_writer_init(CoreXmlWriter *w);
/* Releases what @w holds (safe after core_xml_writer_finish). */
void core_xml_writer_clear(CoreXmlWriter *w);
/* (transfer full) The text written so far; @w is cleared. All elements must
 * have been closed. */
char *core_xml_writer_finish(CoreXmlWriter *w);

/* Starts element @name; attributes may follow until a child, text or the
 * end. @name is copied. */
void core_xml_writer_start(CoreXmlWriter *w, const char *name);
/* Adds attribute @name='@value' (escaped); nothing when @value is NULL. */
void core_xml_writer_attr(CoreXmlWriter *w, const char *name, const char *value);
/* Adds an attribute from a printf format. */
void core_xml_writer_attrf(CoreXmlWriter *w, const char *name, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* Ends the innermost element: "<x .../>" when it got no content, otherwise
 * "</x>" on its own line. */
void core_xml_writer_end(CoreXmlWriter *w);
/* Ends the innermost element, always with a separate "</x>" line even when
 * it had no children (libvirt writes an empty <devices> that way). */
void core_xml_writer_end_full(CoreXmlWriter *w);
/* Closes a pending start tag and writes an empty line (libvirt separates
 * the parts of <capabilities> that way). */
void core_xml_writer_blank_line(CoreXmlWriter *w);
/* Writes @text (escaped) as the content of the current element and closes
 * it on the same line: "<x a='b'>text</x>". */
void core_xml_writer_end_text(CoreXmlWriter *w, const char *text);
/* Shorthand: "<name>text</name>" on its own line; nothing when @text is
 * NULL. */
void core_xml_writer_text_element(CoreXmlWriter *w, const char *name, const char *text);
/* Shorthand with a printf format. */
void core_xml_writer_text_elementf(CoreXmlWriter *w, const char *name, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Appends @text to @buf escaped for XML text and attributes (& < > ' "),
 * dropping control characters that XML 1.0 cannot carry. */
void core_xml_escape_append(GString *buf, const char *text);

G_END_DECLS
