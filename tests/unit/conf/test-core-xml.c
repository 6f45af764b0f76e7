/* Unit tests for libcore/conf/core-xml. */
#include "core-xml.h"

#include <string.h>

static void
test_parse_ok(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(xmlDoc) doc = core_xml_parse("<domain type='x'><name>a</name></domain>", "t",
                                           "domain", CORE_FROM_DOMAIN, &err);
    xmlNode *root;
    g_autofree char *type = NULL;
    g_autofree char *name = NULL;

    g_assert_no_error(err);
    g_assert_nonnull(doc);
    root = xmlDocGetRootElement(doc);
    type = core_xml_prop(root, "type");
    g_assert_cmpstr(type, ==, "x");
    name = core_xml_child_content(root, "name");
    g_assert_cmpstr(name, ==, "a");
    g_assert_null(core_xml_child(root, "uuid"));
}

static void
test_parse_not_well_formed(void)
{
    g_autoptr(GError) err = NULL;
    xmlDoc *doc = core_xml_parse("<domain type=\"test\"><name>a</name", "domain_definition",
                                 "domain", CORE_FROM_DOMAIN, &err);

    g_assert_null(doc);
    g_assert_error(err, CORE_ERROR, CORE_ERR_XML_DETAIL);
    g_assert_cmpint(core_error_get_from(err), ==, CORE_FROM_DOMAIN);
    g_assert_cmpstr(err->message, ==,
                    "(domain_definition):1: expected '>'\n"
                    "<domain type=\"test\"><name>a</name\n"
                    "---------------------------------^");
}

static void
test_parse_empty(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;

    g_assert_null(core_xml_parse("", "domain_definition", "domain", CORE_FROM_DOMAIN, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_XML_DETAIL);
    g_assert_cmpstr(err->message, ==, "(domain_definition):1: Document is empty\n(null)\n^");
    g_assert_null(core_xml_parse(NULL, "x", NULL, CORE_FROM_DOMAIN, &err2));
    g_assert_error(err2, CORE_ERROR, CORE_ERR_XML_DETAIL);
}

static void
test_parse_wrong_root(void)
{
    g_autoptr(GError) err = NULL;

    g_assert_null(core_xml_parse("<foo/>", "d", "domain", CORE_FROM_DOMAIN, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_XML_ERROR);
    g_assert_cmpint(core_error_get_from(err), ==, CORE_FROM_XML);
    g_assert_cmpstr(err->message, ==, "XML error: expecting root element of 'domain', not 'foo'");
}

static void
test_parse_no_entities(void)
{
    /* an external entity must neither be fetched nor substituted */
    const char *xml = "<?xml version='1.0'?>\n"
                      "<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>\n"
                      "<d><name>&e;</name></d>";
    g_autoptr(GError) err = NULL;
    g_autoptr(xmlDoc) doc = core_xml_parse(xml, "d", "d", CORE_FROM_DOMAIN, &err);
    g_autofree char *name = NULL;

    g_assert_no_error(err);
    name = core_xml_child_content(xmlDocGetRootElement(doc), "name");
    g_assert_null(strstr(name, "root:"));
}

static void
test_xpath(void)
{
    g_autoptr(xmlDoc) doc = core_xml_parse("<a><b x='1'/><b x='2'/><c>txt</c></a>", "t", NULL,
                                           CORE_FROM_DOMAIN, NULL);
    g_autoptr(xmlXPathContext) ctxt = core_xml_xpath_new(doc);
    g_autofree xmlNode **nodes = NULL;
    g_autofree char *c = NULL;
    g_autofree char *x = NULL;

    g_assert_cmpuint(core_xml_xpath_nodes(ctxt, "./b", &nodes), ==, 2);
    x = core_xml_prop(nodes[1], "x");
    g_assert_cmpstr(x, ==, "2");
    c = core_xml_xpath_string(ctxt, "./c");
    g_assert_cmpstr(c, ==, "txt");
    g_assert_null(core_xml_xpath_string(ctxt, "./missing"));
    g_assert_nonnull(core_xml_xpath_node(ctxt, "./b[@x='1']"));
    g_assert_null(core_xml_xpath_node(ctxt, "./b[@x='3']"));
}

static void
test_numbers(void)
{
    guint64 v = 0;

    g_assert_true(core_xml_parse_ull("1024", 10, G_MAXUINT64, &v));
    g_assert_cmpuint(v, ==, 1024);
    g_assert_true(core_xml_parse_ull("0x1f", 0, G_MAXUINT64, &v));
    g_assert_cmpuint(v, ==, 31);
    g_assert_false(core_xml_parse_ull("-1", 10, G_MAXUINT64, &v));
    g_assert_false(core_xml_parse_ull(" 1", 10, G_MAXUINT64, &v));
    g_assert_false(core_xml_parse_ull("1x", 10, G_MAXUINT64, &v));
    g_assert_false(core_xml_parse_ull("", 10, G_MAXUINT64, &v));
    g_assert_false(core_xml_parse_ull("99999999999999999999999", 10, G_MAXUINT64, &v));
    g_assert_false(core_xml_parse_ull("300", 10, 255, &v));
}

static void
test_props(void)
{
    static const char *const table[] = { "off", "on", NULL };
    g_autoptr(xmlDoc) doc = core_xml_parse("<a n='7' bad='x' e='on' f='maybe'/>", "t", NULL,
                                           CORE_FROM_DOMAIN, NULL);
    xmlNode *root = xmlDocGetRootElement(doc);
    g_autoptr(GError) err = NULL;
    g_autoptr(GError) err2 = NULL;
    guint64 v = 0;
    int e = -1;

    g_assert_cmpint(core_xml_prop_uint(root, "n", 10, 100, &v, NULL), ==, 1);
    g_assert_cmpuint(v, ==, 7);
    g_assert_cmpint(core_xml_prop_uint(root, "none", 10, 100, &v, NULL), ==, 0);
    g_assert_cmpint(core_xml_prop_uint(root, "bad", 10, 100, &v, &err), ==, -1);
    g_assert_error(err, CORE_ERROR, CORE_ERR_XML_ERROR);
    g_assert_cmpstr(err->message, ==,
                    "XML error: Invalid value for attribute 'bad' in element 'a': 'x'. "
                    "Expected non-negative integer value");
    g_assert_cmpint(core_xml_prop_enum(root, "e", table, CORE_FROM_DOMAIN, &e, NULL), ==, 1);
    g_assert_cmpint(e, ==, 1);
    g_assert_cmpint(core_xml_prop_enum(root, "g", table, CORE_FROM_DOMAIN, &e, NULL), ==, 0);
    g_assert_cmpint(core_xml_prop_enum(root, "f", table, CORE_FROM_XML, &e, &err2), ==, -1);
    g_assert_error(err2, CORE_ERROR, CORE_ERR_XML_ERROR);
    g_assert_cmpstr(err2->message, ==,
                    "XML error: Invalid value for attribute 'f' in element 'a': 'maybe'.");
    g_assert_cmpint(core_xml_enum_from_string(table, "off"), ==, 0);
    g_assert_cmpint(core_xml_enum_from_string(table, NULL), ==, -1);
}

/* Tabs and line breaks in an attribute value survive a write and a read
 * (a parser would turn raw ones into spaces); in text they stay raw. */
static void
test_writer_attr_whitespace(void)
{
    CoreXmlWriter w;
    g_autofree char *out = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    xmlChar *back;

    core_xml_writer_init(&w);
    core_xml_writer_start(&w, "disk");
    core_xml_writer_attr(&w, "name", "a\tb\nc\rd e");
    core_xml_writer_end_text(&w, "x\ny");
    out = core_xml_writer_finish(&w);
    g_assert_cmpstr(out, ==, "<disk name='a&#9;b&#10;c&#13;d e'>x\ny</disk>\n");
    doc = core_xml_parse(out, "t.xml", "disk", CORE_FROM_NONE, NULL);
    g_assert_nonnull(doc);
    back = xmlGetProp(xmlDocGetRootElement(doc), (const xmlChar *)"name");
    g_assert_cmpstr((const char *)back, ==, "a\tb\nc\rd e");
    xmlFree(back);
}

static void
test_writer(void)
{
    CoreXmlWriter w;
    g_autofree char *out = NULL;

    core_xml_writer_init(&w);
    core_xml_writer_start(&w, "domain");
    core_xml_writer_attr(&w, "type", "test");
    core_xml_writer_attr(&w, "skipped", NULL);
    core_xml_writer_text_element(&w, "name", "a<b>&'\"\x01");
    core_xml_writer_start(&w, "devices");
    core_xml_writer_end_full(&w);
    core_xml_writer_start(&w, "features");
    core_xml_writer_start(&w, "acpi");
    core_xml_writer_end(&w);
    core_xml_writer_end(&w);
    core_xml_writer_start(&w, "memory");
    core_xml_writer_attrf(&w, "unit", "%s", "KiB");
    core_xml_writer_end_text(&w, "1024");
    core_xml_writer_text_elementf(&w, "vcpu", "%d", 2);
    core_xml_writer_end(&w);
    out = core_xml_writer_finish(&w);
    g_assert_cmpstr(out, ==,
                    "<domain type='test'>\n"
                    "  <name>a&lt;b&gt;&amp;&apos;&quot;</name>\n"
                    "  <devices>\n"
                    "  </devices>\n"
                    "  <features>\n"
                    "    <acpi/>\n"
                    "  </features>\n"
                    "  <memory unit='KiB'>1024</memory>\n"
                    "  <vcpu>2</vcpu>\n"
                    "</domain>\n");
}

static void
test_writer_clear(void)
{
    CoreXmlWriter w;

    /* abandoning a half-written document must not leak */
    core_xml_writer_init(&w);
    core_xml_writer_start(&w, "a");
    core_xml_writer_start(&w, "b");
    core_xml_writer_clear(&w);
    core_xml_writer_clear(&w);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/core-xml/parse/ok", test_parse_ok);
    g_test_add_func("/core-xml/parse/not-well-formed", test_parse_not_well_formed);
    g_test_add_func("/core-xml/parse/empty", test_parse_empty);
    g_test_add_func("/core-xml/parse/wrong-root", test_parse_wrong_root);
    g_test_add_func("/core-xml/parse/no-entities", test_parse_no_entities);
    g_test_add_func("/core-xml/xpath", test_xpath);
    g_test_add_func("/core-xml/numbers", test_numbers);
    g_test_add_func("/core-xml/props", test_props);
    g_test_add_func("/core-xml/writer", test_writer);
    g_test_add_func("/core-xml/writer-clear", test_writer_clear);
    g_test_add_func("/core-xml/writer-attr-whitespace", test_writer_attr_whitespace);
    return g_test_run();
}
