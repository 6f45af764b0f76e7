/* The metadata calls of the domain model (virDomainSetMetadata /
 * virDomainGetMetadata semantics). Expected values are what libvirt 9.0's
 * test driver answers for the same calls. */
#include "conf-golden.h"
#include "core-domain-conf.h"
#include "core-error.h"

#include <string.h>

#define BASE_XML                                                                                  \
    "<domain type='test'><name>m</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"        \
    "<memory>1024</memory>%s<os><type arch='i686'>hvm</type></os></domain>"

enum {
    DESC = CORE_DOMAIN_METADATA_DESCRIPTION,
    TITLE = CORE_DOMAIN_METADATA_TITLE,
    ELEM = CORE_DOMAIN_METADATA_ELEMENT,
};

static CoreDomainDef *
new_def(const char *metadata)
{
    g_autofree char *xml = g_strdup_printf(BASE_XML, metadata ? metadata : "");
    g_autoptr(GError) err = NULL;
    CoreDomainDef *def = core_domain_def_parse_string(xml, 0, &err);

    g_assert_no_error(err);
    return def;
}

static void
set_ok(CoreDomainDef *def, int type, const char *metadata, const char *key, const char *uri)
{
    g_autoptr(GError) err = NULL;

    g_assert_true(core_domain_def_set_metadata(def, type, metadata, key, uri, &err));
    g_assert_no_error(err);
}

static void
set_fails(CoreDomainDef *def, int type, const char *metadata, const char *key, const char *uri,
          int code, int from, const char *message)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *before = core_domain_def_format(def, 0);
    g_autofree char *after = NULL;

    g_assert_false(core_domain_def_set_metadata(def, type, metadata, key, uri, &err));
    g_assert_error(err, CORE_ERROR, code);
    g_assert_cmpint(core_error_get_from(err), ==, from);
    g_assert_cmpstr(err->message, ==, message);
    /* a failed call changes nothing */
    after = core_domain_def_format(def, 0);
    g_assert_cmpstr(after, ==, before);
}

static void
get_is(CoreDomainDef *def, int type, const char *uri, const char *expected)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *got = core_domain_def_get_metadata(def, type, uri, &err);

    if (!expected) {
        g_assert_null(got);
        g_assert_error(err, CORE_ERROR, CORE_ERR_NO_DOMAIN_METADATA);
        g_assert_cmpint(core_error_get_from(err), ==, CORE_FROM_DOMAIN);
        g_assert_cmpstr(err->message, ==,
                        "metadata not found: Requested metadata element is not present");
        return;
    }
    g_assert_no_error(err);
    g_assert_cmpstr(got, ==, expected);
}

/* The <metadata> part of the formatted @def ("" when none). */
static char *
metadata_of(const CoreDomainDef *def)
{
    g_autofree char *xml = core_domain_def_format(def, 0);
    const char *start = strstr(xml, "  <metadata");
    const char *end;

    if (!start)
        return g_strdup("");
    end = strstr(start, "  <memory ");
    g_assert_nonnull(end);
    return g_strndup(start, end - start);
}

static void
assert_metadata(const CoreDomainDef *def, const char *expected)
{
    g_autofree char *got = metadata_of(def);
    g_autofree char *xml = core_domain_def_format(def, 0);

    g_assert_cmpstr(got, ==, expected);
    g_assert_true(conf_golden_validate_rng("domain.rng", xml));
}

static void
test_element(void)
{
    g_autoptr(CoreDomainDef) def = new_def(NULL);

    get_is(def, ELEM, "http://example.org/ns/", NULL);
    set_ok(def, ELEM, "<foo a=\"1\"><bar>text</bar><baz/></foo>", "ex", "http://example.org/ns/");
    set_ok(def, ELEM, "<second xmlns:o=\"http://other/\"><o:x/><y/></second>", "sec",
           "http://second/");
    get_is(def, ELEM, "http://example.org/ns/", "<foo a=\"1\">\n  <bar>text</bar>\n  <baz/>\n</foo>");
    get_is(def, ELEM, "http://second/", "<second xmlns:o=\"http://other/\">\n  <o:x/>\n  <y/>\n</second>");
    assert_metadata(def, "  <metadata>\n"
                         "    <ex:foo xmlns:ex=\"http://example.org/ns/\" a=\"1\">\n"
                         "      <ex:bar>text</ex:bar>\n"
                         "      <ex:baz/>\n"
                         "    </ex:foo>\n"
                         "    <sec:second xmlns:o=\"http://other/\" xmlns:sec=\"http://second/\">\n"
                         "      <o:x/>\n"
                         "      <sec:y/>\n"
                         "    </sec:second>\n"
                         "  </metadata>\n");

    /* replace, then remove (twice: removing nothing is fine) */
    set_ok(def, ELEM, "<new/>", "n", "http://example.org/ns/");
    get_is(def, ELEM, "http://example.org/ns/", "<new/>");
    set_ok(def, ELEM, NULL, NULL, "http://example.org/ns/");
    set_ok(def, ELEM, NULL, "ignored", "http://example.org/ns/");
    get_is(def, ELEM, "http://example.org/ns/", NULL);
    set_ok(def, ELEM, NULL, NULL, "http://second/");
    /* libvirt keeps the emptied <metadata> element */
    assert_metadata(def, "  <metadata/>\n");
}

static void
test_element_namespaces(void)
{
    g_autoptr(CoreDomainDef) def = new_def(NULL);

    /* an element with a namespace keeps it: found under its own URI */
    set_ok(def, ELEM, "<p:foo xmlns:p=\"http://p/\"><bar/></p:foo>", "k", "http://u/");
    get_is(def, ELEM, "http://u/", NULL);
    get_is(def, ELEM, "http://p/", "<foo xmlns:k=\"http://u/\">\n  <k:bar/>\n</foo>");
    set_ok(def, ELEM, "<foo xmlns=\"http://d/\"><bar/></foo>", "k", "http://u2/");
    get_is(def, ELEM, "http://u2/", NULL);
    assert_metadata(def, "  <metadata>\n"
                         "    <p:foo xmlns:p=\"http://p/\" xmlns:k=\"http://u/\">\n"
                         "      <k:bar/>\n"
                         "    </p:foo>\n"
                         "    <foo xmlns=\"http://d/\" xmlns:k=\"http://u2/\">\n"
                         "      <bar/>\n"
                         "    </foo>\n"
                         "  </metadata>\n");
}

/* What the user gives is kept as given, blanks included; the live XML
 * shows it so until the definition is parsed again (a copy), which drops
 * the ignorable blanks as any parse of domain XML does. */
static void
test_element_blanks(void)
{
    g_autoptr(CoreDomainDef) def = new_def(NULL);
    g_autoptr(CoreDomainDef) copy = NULL;
    g_autofree char *copied = NULL;

    set_ok(def, ELEM, "<?xml version=\"1.0\"?><foo>  <x/> </foo>", "k", "http://u6/");
    get_is(def, ELEM, "http://u6/", "<foo>  <x/> </foo>");
    set_ok(def, ELEM, "<foo>\n  <x/>\n</foo>", "k", "http://u/");
    assert_metadata(def, "  <metadata>\n"
                         "    <k:foo xmlns:k=\"http://u6/\">  <k:x/> </k:foo>\n"
                         "    <k:foo xmlns:k=\"http://u/\">\n  <k:x/>\n</k:foo>\n"
                         "  </metadata>\n");
    copy = core_domain_def_copy(def);
    copied = metadata_of(copy);
    g_assert_cmpstr(copied, ==, "  <metadata>\n"
                                "    <k:foo xmlns:k=\"http://u6/\">\n"
                                "      <k:x/>\n"
                                "    </k:foo>\n"
                                "    <k:foo xmlns:k=\"http://u/\">\n"
                                "      <k:x/>\n"
                                "    </k:foo>\n"
                                "  </metadata>\n");
}

static void
test_element_escapes(void)
{
    g_autoptr(CoreDomainDef) def = new_def(NULL);

    set_ok(def, ELEM, "<foo a=\"\xc3\xa9\" b=\"x&#10;\">\xc3\xa9 &amp; &lt;</foo>", "k", "http://u7/");
    get_is(def, ELEM, "http://u7/", "<foo a=\"&#xE9;\" b=\"x&#10;\">\xc3\xa9 &amp; &lt;</foo>");
}

/* Attributes in the element's own namespace lose it on the way out, like
 * the elements. */
static void
test_get_attribute_namespace(void)
{
    g_autoptr(CoreDomainDef) def =
        new_def("<metadata><a:x xmlns:a=\"http://a/\" a:attr=\"v\"><a:y a:q=\"1\"/></a:x>"
                "<b:x xmlns:b=\"http://b/\" xmlns:a=\"http://a/\"><a:z/></b:x></metadata>");

    get_is(def, ELEM, "http://a/", "<x attr=\"v\">\n  <y q=\"1\"/>\n</x>");
    get_is(def, ELEM, "http://b/", "<x xmlns:a=\"http://a/\">\n  <a:z/>\n</x>");
    /* a namespace declared above <metadata> */
    g_clear_pointer(&def, core_domain_def_free);
    def = new_def("<metadata xmlns:t=\"http://t/\"><t:x><t:y/></t:x></metadata>");
    get_is(def, ELEM, "http://t/", "<x>\n  <y/>\n</x>");
}

static void
test_element_errors(void)
{
    g_autoptr(CoreDomainDef) def = new_def(NULL);

    set_fails(def, ELEM, "<a>", "k", "http://u/", CORE_ERR_XML_DETAIL, CORE_FROM_DOMAIN,
              "(metadata_xml):1: Premature end of data in tag a line 1\n<a>\n---^");
    set_fails(def, ELEM, "", "k", "http://u/", CORE_ERR_XML_DETAIL, CORE_FROM_DOMAIN,
              "(metadata_xml):1: Document is empty\n(null)\n^");
    set_fails(def, ELEM, "<a/><b/>", "k", "http://u/", CORE_ERR_XML_DETAIL, CORE_FROM_DOMAIN,
              "(metadata_xml):1: Extra content at the end of the document\n<a/><b/>\n----^");
    set_fails(def, ELEM, "hello", "k", "http://u/", CORE_ERR_XML_DETAIL, CORE_FROM_DOMAIN,
              "(metadata_xml):1: Start tag expected, '<' not found\nhello\n^");
    set_fails(def, ELEM, "<a>\n<b>\n</a>", "k", "http://u/", CORE_ERR_XML_DETAIL,
              CORE_FROM_DOMAIN,
              "(metadata_xml):3: Opening and ending tag mismatch: b line 2 and a\n</a>\n----^");
    set_fails(def, ELEM, "<a/>", "1k", "http://u/", CORE_ERR_INTERNAL_ERROR, CORE_FROM_XML,
              "internal error: failed to validate prefix for a new XML namespace");
    set_fails(def, ELEM, "<a/>", "", "http://u/", CORE_ERR_INTERNAL_ERROR, CORE_FROM_XML,
              "internal error: failed to validate prefix for a new XML namespace");
    set_fails(def, ELEM, "<foo xmlns:k=\"http://zz/\"><k:bar/></foo>", "k", "http://u/",
              CORE_ERR_INTERNAL_ERROR, CORE_FROM_XML,
              "internal error: failed to create a new XML namespace");
    set_fails(def, ELEM, "<!-- c --><foo/>", "k", "http://u/", CORE_ERR_INTERNAL_ERROR,
              CORE_FROM_XML, "internal error: failed to create a new XML namespace");
    set_fails(def, ELEM, "<!DOCTYPE foo><foo/>", "k", "http://u/", CORE_ERR_INTERNAL_ERROR,
              CORE_FROM_XML, "internal error: failed to create a new XML namespace");
    g_assert_null(core_domain_def_priv(def)->metadata);
}

static void
test_title_description(void)
{
    g_autoptr(CoreDomainDef) def = new_def(NULL);
    g_autoptr(CoreDomainDef) copy = NULL;
    g_autofree char *xml = NULL;

    get_is(def, TITLE, NULL, NULL);
    get_is(def, DESC, NULL, NULL);
    set_ok(def, TITLE, "My title", NULL, NULL);
    set_ok(def, DESC, "My <desc> & \"x\"\nline2", NULL, NULL);
    get_is(def, TITLE, NULL, "My title");
    get_is(def, DESC, NULL, "My <desc> & \"x\"\nline2");
    xml = core_domain_def_format(def, 0);
    g_assert_nonnull(strstr(xml, "  <title>My title</title>\n"
                            "  <description>My &lt;desc&gt; &amp; &quot;x&quot;\nline2</description>\n"));
    /* "" and NULL both remove */
    set_ok(def, DESC, "", NULL, NULL);
    set_ok(def, TITLE, NULL, NULL, NULL);
    get_is(def, TITLE, NULL, NULL);
    get_is(def, DESC, NULL, NULL);
    /* a carriage return stays one, in the XML ("&#13;") and in a copy */
    set_ok(def, TITLE, "a\rb", NULL, NULL);
    g_free(xml);
    xml = core_domain_def_format(def, 0);
    g_assert_nonnull(strstr(xml, "  <title>a&#13;b</title>\n"));
    copy = core_domain_def_copy(def);
    get_is(copy, TITLE, NULL, "a\rb");
}

static void
test_types(void)
{
    g_autoptr(CoreDomainDef) def = new_def(NULL);
    g_autoptr(GError) err = NULL;

    set_fails(def, 9, "x", NULL, NULL, CORE_ERR_INVALID_ARG, CORE_FROM_DOMAIN,
              "invalid argument: unknown metadata type '9'");
    g_assert_null(core_domain_def_get_metadata(def, 3, NULL, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INVALID_ARG);
    g_assert_cmpstr(err->message, ==, "invalid argument: unknown metadata type '3'");
    /* libvirt lets negative types through: nothing set, nothing found */
    set_ok(def, -1, "x", NULL, NULL);
    get_is(def, -1, NULL, NULL);
}

static void
check_set_fails(int type, const char *metadata, const char *key, const char *uri,
                const char *message)
{
    g_autoptr(GError) err = NULL;

    g_assert_false(core_domain_metadata_check_set(type, metadata, key, uri, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INVALID_ARG);
    g_assert_cmpint(core_error_get_from(err), ==, CORE_FROM_DOMAIN);
    g_assert_cmpstr(err->message, ==, message);
}

static void
check_get_fails(int type, const char *uri, guint flags, const char *message)
{
    g_autoptr(GError) err = NULL;

    g_assert_false(core_domain_metadata_check_get(type, uri, flags, &err));
    g_assert_error(err, CORE_ERROR, CORE_ERR_INVALID_ARG);
    g_assert_cmpstr(err->message, ==, message);
}

static void
test_checks(void)
{
    check_set_fails(TITLE, "a\nb", "k", NULL, "metadata title can't contain newlines");
    check_set_fails(DESC, "x", "k", NULL, "key in virDomainSetMetadata must be NULL");
    check_set_fails(DESC, "x", NULL, "http://u", "uri in virDomainSetMetadata must be NULL");
    check_set_fails(TITLE, "x", "k", "http://u", "uri in virDomainSetMetadata must be NULL");
    check_set_fails(ELEM, "<a/>", "k", NULL, "uri in virDomainSetMetadata must not be NULL");
    check_set_fails(ELEM, NULL, NULL, NULL, "uri in virDomainSetMetadata must not be NULL");
    check_set_fails(ELEM, "<a/>", NULL, "http://u/", "key in virDomainSetMetadata must not be NULL");
    check_set_fails(ELEM, "<a/>", "k", "", "uri in virDomainSetMetadata must not be empty");
    g_assert_true(core_domain_metadata_check_set(TITLE, "a\rb", NULL, NULL, NULL));
    g_assert_true(core_domain_metadata_check_set(ELEM, NULL, NULL, "http://u/", NULL));
    g_assert_true(core_domain_metadata_check_set(9, "x", "k", "u", NULL));

    check_get_fails(ELEM, NULL, 3, "Flags 'VIR_DOMAIN_AFFECT_LIVE' and "
                                   "'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
    check_get_fails(ELEM, NULL, 0, "uri in virDomainGetMetadata must not be NULL");
    check_get_fails(DESC, "http://x/", 0, "uri in virDomainGetMetadata must be NULL");
    g_assert_true(core_domain_metadata_check_get(ELEM, "", 2, NULL));
    g_assert_true(core_domain_metadata_check_get(9, "x", 4, NULL));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/domain-metadata/element", test_element);
    g_test_add_func("/domain-metadata/element-namespaces", test_element_namespaces);
    g_test_add_func("/domain-metadata/element-blanks", test_element_blanks);
    g_test_add_func("/domain-metadata/element-escapes", test_element_escapes);
    g_test_add_func("/domain-metadata/get-attribute-namespace", test_get_attribute_namespace);
    g_test_add_func("/domain-metadata/element-errors", test_element_errors);
    g_test_add_func("/domain-metadata/title-description", test_title_description);
    g_test_add_func("/domain-metadata/types", test_types);
    g_test_add_func("/domain-metadata/checks", test_checks);
    return g_test_run();
}
