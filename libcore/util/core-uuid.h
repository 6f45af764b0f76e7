/* core-uuid: 16-byte UUIDs as libvirt objects use them.
 *
 * The raw form (CORE_UUID_BUFLEN bytes) is what travels on the wire; the
 * text form is 8-4-4-4-12 lowercase hex.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CORE_UUID_BUFLEN 16
/* 36 characters plus the terminating NUL. */
#define CORE_UUID_STRING_BUFLEN 37

/**
 * core_uuid_parse:
 * @str: text form of a UUID
 * @ret_uuid: (out caller-allocates): receives the raw bytes on success
 * @error: CORE_ERR_INVALID_ARG when @str is not a UUID
 *
 * Accepts what libvirt accepts: 32 hex digits in either case, with '-' or
 * ' ' allowed between any two bytes (so both "8-4-4-4-12" and 32 bare
 * digits parse) and leading/trailing whitespace.
 * Returns: TRUE on success; @ret_uuid is untouched on failure.
 */
gboolean core_uuid_parse(const char *str, guint8 ret_uuid[CORE_UUID_BUFLEN], GError **error);

/**
 * core_uuid_format:
 * @uuid: raw UUID
 * @ret_str: (out caller-allocates): receives the 8-4-4-4-12 lowercase form
 * Returns: (transfer none) @ret_str, for use in expressions.
 */
const char *core_uuid_format(const guint8 uuid[CORE_UUID_BUFLEN],
                             char ret_str[CORE_UUID_STRING_BUFLEN]);

/* Like core_uuid_format() but returns a new string. (transfer full) */
char *core_uuid_format_dup(const guint8 uuid[CORE_UUID_BUFLEN]);

/**
 * core_uuid_generate:
 * @ret_uuid: (out caller-allocates): receives a random (version 4,
 *     RFC 4122 variant) UUID from the kernel's random source
 */
void core_uuid_generate(guint8 ret_uuid[CORE_UUID_BUFLEN]);

/* TRUE when all 16 bytes are zero (an unset UUID). */
gboolean core_uuid_is_zero(const guint8 uuid[CORE_UUID_BUFLEN]);

/* TRUE when @a and @b are the same UUID. */
gboolean core_uuid_equal(const guint8 a[CORE_UUID_BUFLEN], const guint8 b[CORE_UUID_BUFLEN]);

/* GHashFunc and GEqualFunc for tables keyed by 16-byte UUIDs. */
guint core_uuid_hash_func(gconstpointer key);
gboolean core_uuid_equal_func(gconstpointer a, gconstpointer b);

G_END_DECLS
