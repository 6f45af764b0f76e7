/* core-error: the one GError domain of Vireo.
 *
 * Codes are numerically libvirt's virErrorNumber values and travel on the
 * wire unchanged; each error also carries an origin (virErrorDomain number)
 * and a level, as the remote protocol's error struct does.
 *
 * Each .c file that raises errors defines CORE_FROM_THIS before including
 * this header, e.g. "#define CORE_FROM_THIS CORE_FROM_CONF".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
#define CORE_ERROR_CODE(name, num, text) CORE_ERR_##name = num,
#include "core-error-codes.def"
#undef CORE_ERROR_CODE
    CORE_ERR_LAST
} CoreErrorCode;

typedef enum {
#define CORE_ERROR_FROM(name, num) CORE_FROM_##name = num,
#include "core-error-from.def"
#undef CORE_ERROR_FROM
    CORE_FROM_LAST
} CoreErrorFrom;

typedef enum {
    CORE_ERROR_LEVEL_NONE = 0,
    CORE_ERROR_LEVEL_WARNING = 1,
    CORE_ERROR_LEVEL_ERROR = 2,
} CoreErrorLevel;

G_STATIC_ASSERT(CORE_ERR_INTERNAL_ERROR == 1);
G_STATIC_ASSERT(CORE_ERR_NO_SUPPORT == 3);
G_STATIC_ASSERT(CORE_ERR_INVALID_ARG == 8);
G_STATIC_ASSERT(CORE_ERR_XML_ERROR == 27);
G_STATIC_ASSERT(CORE_ERR_OPERATION_DENIED == 29);
G_STATIC_ASSERT(CORE_ERR_SYSTEM_ERROR == 38);
G_STATIC_ASSERT(CORE_ERR_RPC == 39);
G_STATIC_ASSERT(CORE_ERR_NO_DOMAIN == 42);
G_STATIC_ASSERT(CORE_ERR_NO_NETWORK == 43);
G_STATIC_ASSERT(CORE_ERR_LAST == 111);
G_STATIC_ASSERT(CORE_FROM_RPC == 7);
G_STATIC_ASSERT(CORE_FROM_REMOTE == 13);

#define CORE_ERROR (core_error_quark())
GQuark core_error_quark(void);

/* Details beyond code and message that the wire error carries. */
typedef struct {
    CoreErrorFrom from;
    CoreErrorLevel level;
    char *str1;
    char *str2;
    char *str3;
    int int1;
    int int2;
} CoreErrorExtra;

/**
 * core_error_set_full:
 * Sets @error (if not NULL) to @code from @from. The message is the code's
 * summary text, followed by ": " and the formatted detail when @fmt is not
 * NULL (libvirt's layout, e.g. "Domain not found: no domain with matching
 * name 'x'"). str1 holds the summary, str2 the detail, int1/int2 are -1.
 * Returns: FALSE, always, so that "return core_error_set(...)" reads well.
 */
gboolean core_error_set_full(GError **error, CoreErrorFrom from, CoreErrorCode code,
                             const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* Like core_error_set_full() with the message used verbatim (no summary). */
gboolean core_error_set_literal(GError **error, CoreErrorFrom from, CoreErrorCode code,
                                const char *message);

/* CORE_ERR_SYSTEM_ERROR with ": <strerror(errnum)>" appended. */
gboolean core_error_set_errno_full(GError **error, CoreErrorFrom from, int errnum,
                                   const char *fmt, ...) G_GNUC_PRINTF(4, 5);

#define core_error_set(error, code, ...) \
    core_error_set_full((error), CORE_FROM_THIS, (code), __VA_ARGS__)
#define core_error_set_errno(error, errnum, ...) \
    core_error_set_errno_full((error), CORE_FROM_THIS, (errnum), __VA_ARGS__)

/* (transfer none) The extra fields of a CORE_ERROR error, NULL for others. */
const CoreErrorExtra *core_error_get_extra(const GError *error);

/* Origin of @error: its extra's origin, CORE_FROM_NONE for foreign errors. */
CoreErrorFrom core_error_get_from(const GError *error);

/* Builds a CORE_ERROR error with every wire field given (used by the RPC
 * client to rebuild a remote error). (transfer full) */
GError *core_error_new_wire(int code, int from, int level, const char *message,
                            const char *str1, const char *str2, const char *str3,
                            int int1, int int2);

/* Maps a foreign GError (GIO, GKeyFile, ...) into CORE_ERROR: the nearest
 * code, otherwise INTERNAL_ERROR, with @prefix before the message.
 * (transfer full) */
GError *core_error_from_gerror(const GError *foreign, CoreErrorFrom from, const char *prefix);

/* (transfer none) The summary text of @code ("" when unknown). */
const char *core_error_code_summary(int code);
/* (transfer none) "VIR_ERR_..." style name without prefix, NULL when unknown. */
const char *core_error_code_name(int code);
/* (transfer none) Origin name without prefix ("QEMU", "TEST"), NULL when unknown. */
const char *core_error_from_name(int from);

G_END_DECLS
