/* libFuzzer target for the storage pool and volume models: each input is
 * tried as both; a parsed definition must format, reparse and format
 * identically, and copy. */
#include "core-storage-conf.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
silence_libxml(void *ctx, const char *msg, ...)
{
}

static void
check_stable(const char *what, const char *out, const char *out2)
{
    if (!out2) {
        fprintf(stderr, "%s output does not reparse:\n%s", what, out);
        abort();
    }
    if (strcmp(out, out2) != 0) {
        fprintf(stderr, "%s round trip is not stable:\n%s\n----\n%s", what, out, out2);
        abort();
    }
}

static void
fuzz_pool(const char *xml)
{
    g_autoptr(CorePoolDef) def = core_pool_def_parse_string(xml, 0, NULL);
    g_autoptr(CorePoolDef) again = NULL;
    g_autoptr(CorePoolDef) copy = NULL;
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;

    if (!def)
        return;
    out = core_pool_def_format(def, 0);
    again = core_pool_def_parse_string(out, 0, NULL);
    out2 = again ? core_pool_def_format(again, 0) : NULL;
    check_stable("pool", out, out2);
    copy = core_pool_def_copy(def);
    if (!copy)
        abort();
}

static void
fuzz_vol(const char *xml)
{
    g_autoptr(CoreVolDef) def = core_vol_def_parse_string(xml, 0, NULL);
    g_autoptr(CoreVolDef) again = NULL;
    g_autoptr(CoreVolDef) copy = NULL;
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;

    if (!def)
        return;
    core_vol_def_apply_pool_type(def, "dir");
    out = core_vol_def_format(def, 0);
    again = core_vol_def_parse_string(out, 0, NULL);
    out2 = again ? core_vol_def_format(again, 0) : NULL;
    check_stable("volume", out, out2);
    copy = core_vol_def_copy(def);
    if (!copy)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = NULL;

    if (size > 64 * 1024)
        return 0;
    xmlSetGenericErrorFunc(NULL, silence_libxml);
    xml = g_strndup((const char *)data, size);
    fuzz_pool(xml);
    fuzz_vol(xml);
    return 0;
}
