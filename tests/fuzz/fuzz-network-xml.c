/* libFuzzer target for the network model: parse, format, reparse the
 * output (which must succeed and format identically), copy, free. */
#include "core-network-conf.h"

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = NULL;
    g_autoptr(CoreNetworkDef) def = NULL;
    g_autoptr(CoreNetworkDef) again = NULL;
    g_autoptr(CoreNetworkDef) copy = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;

    /* bounded input keeps each run fast */
    if (size > 64 * 1024)
        return 0;
    xmlSetGenericErrorFunc(NULL, silence_libxml);
    xml = g_strndup((const char *)data, size);
    def = core_network_def_parse_string(xml, 0, NULL);
    if (!def)
        return 0;
    out = core_network_def_format(def, 0);
    again = core_network_def_parse_string(out, 0, &err);
    if (!again) {
        fprintf(stderr, "output does not reparse: %s\n%s", err->message, out);
        abort();
    }
    out2 = core_network_def_format(again, 0);
    if (strcmp(out, out2) != 0) {
        fprintf(stderr, "round trip is not stable:\n%s\n----\n%s", out, out2);
        abort();
    }
    copy = core_network_def_copy(def);
    if (!copy)
        abort();
    return 0;
}
