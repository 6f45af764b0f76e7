/* core-error: see core-error.h. */
#include "core-error.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>

typedef struct {
    CoreErrorExtra extra;
} CoreErrorPrivate;

static void
core_error_private_init(CoreErrorPrivate *priv)
{
    priv->extra.from = CORE_FROM_NONE;
    priv->extra.level = CORE_ERROR_LEVEL_ERROR;
    priv->extra.int1 = -1;
    priv->extra.int2 = -1;
}

static void
core_error_private_copy(const CoreErrorPrivate *src, CoreErrorPrivate *dst)
{
    dst->extra = src->extra;
    dst->extra.str1 = g_strdup(src->extra.str1);
    dst->extra.str2 = g_strdup(src->extra.str2);
    dst->extra.str3 = g_strdup(src->extra.str3);
}

static void
core_error_private_clear(CoreErrorPrivate *priv)
{
    g_clear_pointer(&priv->extra.str1, g_free);
    g_clear_pointer(&priv->extra.str2, g_free);
    g_clear_pointer(&priv->extra.str3, g_free);
}

G_DEFINE_EXTENDED_ERROR(CoreError, core_error)

static const char *const code_summaries[CORE_ERR_LAST] = {
#define CORE_ERROR_CODE(name, num, text) [num] = text,
#include "core-error-codes.def"
#undef CORE_ERROR_CODE
};

static const char *const code_names[CORE_ERR_LAST] = {
#define CORE_ERROR_CODE(name, num, text) [num] = #name,
#include "core-error-codes.def"
#undef CORE_ERROR_CODE
};

static const char *const from_names[CORE_FROM_LAST] = {
#define CORE_ERROR_FROM(name, num) [num] = #name,
#include "core-error-from.def"
#undef CORE_ERROR_FROM
};

const char *
core_error_code_summary(int code)
{
    if (code < 0 || code >= CORE_ERR_LAST || !code_summaries[code])
        return "";
    return code_summaries[code];
}

const char *
core_error_code_name(int code)
{
    if (code < 0 || code >= CORE_ERR_LAST)
        return NULL;
    return code_names[code];
}

const char *
core_error_from_name(int from)
{
    if (from < 0 || from >= CORE_FROM_LAST)
        return NULL;
    return from_names[from];
}

GError *
core_error_new_wire(int code, int from, int level, const char *message,
                    const char *str1, const char *str2, const char *str3, int int1, int int2)
{
    GError *err = g_error_new_literal(CORE_ERROR, code, message ? message : "");
    CoreErrorPrivate *priv = core_error_get_private(err);

    priv->extra.from = from;
    priv->extra.level = level;
    priv->extra.str1 = g_strdup(str1);
    priv->extra.str2 = g_strdup(str2);
    priv->extra.str3 = g_strdup(str3);
    priv->extra.int1 = int1;
    priv->extra.int2 = int2;
    return err;
}

static gboolean
set_message(GError **error, CoreErrorFrom from, CoreErrorCode code, char *detail)
{
    const char *summary = core_error_code_summary(code);
    g_autofree char *msg = NULL;
    GError *err;

    if (!error) {
        g_free(detail);
        return FALSE;
    }
    if (detail && *summary)
        msg = g_strdup_printf("%s: %s", summary, detail);
    else if (detail)
        msg = g_strdup(detail);
    else
        msg = g_strdup(summary);

    err = core_error_new_wire(code, from, CORE_ERROR_LEVEL_ERROR, msg,
                              detail && *summary ? NULL : summary, detail, NULL, -1, -1);
    if (detail && *summary)
        core_error_get_private(err)->extra.str1 = g_strdup_printf("%s: %%s", summary);
    g_free(detail);
    g_propagate_error(error, err);
    return FALSE;
}

gboolean
core_error_set_full(GError **error, CoreErrorFrom from, CoreErrorCode code, const char *fmt, ...)
{
    va_list ap;
    char *detail = NULL;

    if (error && fmt) {
        va_start(ap, fmt);
        detail = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    return set_message(error, from, code, detail);
}

gboolean
core_error_set_literal(GError **error, CoreErrorFrom from, CoreErrorCode code,
                       const char *message)
{
    if (!error)
        return FALSE;
    g_propagate_error(error, core_error_new_wire(code, from, CORE_ERROR_LEVEL_ERROR, message,
                                                 message, NULL, NULL, -1, -1));
    return FALSE;
}

gboolean
core_error_set_errno_full(GError **error, CoreErrorFrom from, int errnum, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *what = NULL;
    g_autofree char *msg = NULL;

    if (!error)
        return FALSE;
    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strdup_printf("%s: %s", what, g_strerror(errnum));
    return core_error_set_literal(error, from, CORE_ERR_SYSTEM_ERROR, msg);
}

const CoreErrorExtra *
core_error_get_extra(const GError *error)
{
    if (!error || error->domain != CORE_ERROR)
        return NULL;
    return &core_error_get_private(error)->extra;
}

CoreErrorFrom
core_error_get_from(const GError *error)
{
    const CoreErrorExtra *extra = core_error_get_extra(error);

    return extra ? extra->from : CORE_FROM_NONE;
}

static CoreErrorCode
nearest_code(const GError *foreign)
{
    /* By name rather than G_IO_ERROR: the quark function is the only gio
     * symbol the daemons without subprocesses would import, and loading
     * libgio and its dependencies is a third of their start-up. Zero (no
     * gio error was ever made) matches no domain. */
    if (foreign->domain == g_quark_try_string("g-io-error-quark")) {
        switch (foreign->code) {
        case G_IO_ERROR_NOT_FOUND:
        case G_IO_ERROR_PERMISSION_DENIED:
        case G_IO_ERROR_EXISTS:
            return CORE_ERR_SYSTEM_ERROR;
        case G_IO_ERROR_INVALID_ARGUMENT:
            return CORE_ERR_INVALID_ARG;
        case G_IO_ERROR_TIMED_OUT:
            return CORE_ERR_OPERATION_TIMEOUT;
        case G_IO_ERROR_NOT_SUPPORTED:
            return CORE_ERR_NO_SUPPORT;
        default:
            return CORE_ERR_INTERNAL_ERROR;
        }
    }
    if (foreign->domain == G_FILE_ERROR)
        return CORE_ERR_SYSTEM_ERROR;
    if (foreign->domain == G_KEY_FILE_ERROR)
        return CORE_ERR_CONF_SYNTAX;
    return CORE_ERR_INTERNAL_ERROR;
}

GError *
core_error_from_gerror(const GError *foreign, CoreErrorFrom from, const char *prefix)
{
    g_autofree char *msg = NULL;

    if (foreign->domain == CORE_ERROR) {
        GError *copy = g_error_copy(foreign);
        if (prefix)
            g_prefix_error(&copy, "%s: ", prefix);
        return copy;
    }
    msg = prefix ? g_strdup_printf("%s: %s", prefix, foreign->message) : g_strdup(foreign->message);
    return core_error_new_wire(nearest_code(foreign), from, CORE_ERROR_LEVEL_ERROR, msg, msg,
                               NULL, NULL, -1, -1);
}
