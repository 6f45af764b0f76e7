/* conf-golden: see conf-golden.h. */
#include "conf-golden.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <stdio.h>
#include <string.h>

#include "vireo-config.h"

static const char *
source_root(void)
{
    const char *env = g_getenv("VIREO_SOURCE_ROOT");

    return env ? env : VIREO_SOURCE_ROOT;
}

char *
conf_golden_path(const char *kind, const char *file)
{
    return g_build_filename(source_root(), "tests", "data", kind, file, NULL);
}

static gboolean
regenerate(void)
{
    const char *env = g_getenv("CORE_TEST_REGENERATE");

    return env && g_str_equal(env, "1");
}

static void
print_diff(const char *expected, const char *actual)
{
    g_auto(GStrv) e = g_strsplit(expected, "\n", -1);
    g_auto(GStrv) a = g_strsplit(actual, "\n", -1);
    guint ne = g_strv_length(e), na = g_strv_length(a);

    for (guint i = 0; i < MAX(ne, na); i++) {
        const char *el = i < ne ? e[i] : NULL;
        const char *al = i < na ? a[i] : NULL;

        if (g_strcmp0(el, al) == 0)
            continue;
        if (el)
            g_printerr("-%u: %s\n", i + 1, el);
        if (al)
            g_printerr("+%u: %s\n", i + 1, al);
    }
}

gboolean
conf_golden_compare(const char *path, const char *actual)
{
    g_autofree char *expected = NULL;
    g_autoptr(GError) err = NULL;

    if (regenerate()) {
        if (!g_file_set_contents(path, actual, -1, &err)) {
            g_printerr("cannot write '%s': %s\n", path, err->message);
            return FALSE;
        }
        return TRUE;
    }
    if (!g_file_get_contents(path, &expected, NULL, &err)) {
        g_printerr("cannot read '%s': %s\n", path, err->message);
        return FALSE;
    }
    if (g_str_equal(expected, actual))
        return TRUE;
    g_printerr("mismatch against '%s':\n", path);
    print_diff(expected, actual);
    return FALSE;
}

gboolean
conf_golden_compare_error(const char *path, const GError *error)
{
    g_autofree char *actual = g_strdup_printf("%d\n%s\n", error->code, error->message);

    return conf_golden_compare(path, actual);
}

static void rng_error(void *ctx, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
rng_error(void *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

gboolean
conf_golden_validate_rng(const char *schema, const char *xml)
{
    g_autofree char *path = g_build_filename(VIREO_SCHEMA_DIR, schema, NULL);
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewParserCtxt(path);
    xmlRelaxNGPtr rng = NULL;
    xmlRelaxNGValidCtxtPtr vctxt = NULL;
    xmlDocPtr doc = NULL;
    gboolean ok = FALSE;

    if (!pctxt || !(rng = xmlRelaxNGParse(pctxt))) {
        g_printerr("cannot load RelaxNG schema '%s'\n", path);
        goto out;
    }
    doc = xmlReadMemory(xml, strlen(xml), "output.xml", NULL, XML_PARSE_NONET);
    if (!doc) {
        g_printerr("output is not well-formed XML\n");
        goto out;
    }
    vctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidErrors(vctxt, rng_error, rng_error, NULL);
    ok = xmlRelaxNGValidateDoc(vctxt, doc) == 0;
out:
    if (vctxt)
        xmlRelaxNGFreeValidCtxt(vctxt);
    if (doc)
        xmlFreeDoc(doc);
    if (rng)
        xmlRelaxNGFree(rng);
    if (pctxt)
        xmlRelaxNGFreeParserCtxt(pctxt);
    return ok;
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
conf_golden_list_cases(const char *kind)
{
    g_autofree char *dir = conf_golden_path(kind, "");
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    GPtrArray *cases = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    if (!d)
        return cases;
    while ((name = g_dir_read_name(d))) {
        if (g_str_has_suffix(name, ".out.xml") || !g_str_has_suffix(name, ".xml"))
            continue;
        g_ptr_array_add(cases, g_strndup(name, strlen(name) - 4));
    }
    g_ptr_array_sort(cases, cmp_str);
    return cases;
}

gboolean
conf_golden_check_orphans(const char *kind)
{
    g_autofree char *dir = conf_golden_path(kind, "");
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) cases = conf_golden_list_cases(kind);
    const char *name;
    gboolean ok = TRUE;

    if (!d)
        return TRUE;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *stem = NULL;
        gboolean found = FALSE;

        if (g_str_has_suffix(name, ".out.xml"))
            stem = g_strndup(name, strlen(name) - 8);
        else if (g_str_has_suffix(name, ".err"))
            stem = g_strndup(name, strlen(name) - 4);
        else if (g_str_has_suffix(name, ".xml"))
            continue;
        for (guint i = 0; stem && i < cases->len; i++)
            found = found || g_str_equal(stem, g_ptr_array_index(cases, i));
        if (!found) {
            g_printerr("orphan file in tests/data/%s: %s\n", kind, name);
            ok = FALSE;
        }
    }
    return ok;
}
