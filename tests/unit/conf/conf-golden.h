/* conf-golden: helpers for the golden-file tests of the object models.
 *
 * A case is tests/data/<kind>/NAME.xml with either NAME.out.xml (expected
 * output; when absent the input itself is expected) or NAME.err (expected
 * failure: first line "CODE_NUMBER", second line the exact message).
 * CORE_TEST_REGENERATE=1 rewrites the expected files instead of comparing.
 */
#pragma once

#include <glib.h>

/* (transfer full) Absolute path of tests/data/@kind/@file. */
char *conf_golden_path(const char *kind, const char *file);

/* Compares @actual with the file at @path (or rewrites it when
 * regenerating); prints a unified-style diff on mismatch. */
gboolean conf_golden_compare(const char *path, const char *actual);

/* Checks @error against NAME.err at @path ("CODE\nMESSAGE\n"). */
gboolean conf_golden_compare_error(const char *path, const GError *error);

/* Validates @xml against libvirt's RelaxNG schema @schema ("domain.rng",
 * "network.rng", "storagepool.rng", "storagevol.rng", "capability.rng")
 * from /usr/share/libvirt/schemas. Returns TRUE when valid; prints the
 * validation errors otherwise. */
gboolean conf_golden_validate_rng(const char *schema, const char *xml);

/* (transfer full) Sorted stems (NAME) of the *.xml cases in tests/data/@kind
 * (files ending .out.xml are not cases). */
GPtrArray *conf_golden_list_cases(const char *kind);

/* Fails (returns FALSE, prints the names) when tests/data/@kind holds a file
 * that is neither a case input nor the .out.xml / .err of a case. */
gboolean conf_golden_check_orphans(const char *kind);
