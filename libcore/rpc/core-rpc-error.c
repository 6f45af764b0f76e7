/* core-rpc-error: see core-rpc-error.h. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include "core-rpc-error.h"

#include "core-error.h"

gboolean
core_rpc_error_to_wire(const GError *err, CoreXdrWriter *w, GError **error)
{
    const CoreErrorExtra *extra = err ? core_error_get_extra(err) : NULL;
    g_autofree char *foreign = NULL;
    const char *message;
    int code, from, level;

    if (err && err->domain == CORE_ERROR && extra) {
        code = err->code;
        from = extra->from;
        level = extra->level;
        message = err->message;
    } else {
        /* Errors from outside the CORE_ERROR domain should have been mapped
         * at their boundary; whatever slips through is an internal error. */
        code = 1; /* CORE_ERR_INTERNAL_ERROR */
        from = CORE_FROM_RPC;
        level = CORE_ERROR_LEVEL_ERROR;
        foreign = g_strdup_printf("internal error: %s",
                                  err && err->message ? err->message : "unknown failure");
        message = foreign;
        extra = NULL;
    }

    return core_xdr_put_int(w, code, error) && core_xdr_put_int(w, from, error) &&
           core_xdr_put_ostring(w, message, error) && core_xdr_put_int(w, level, error) &&
           core_xdr_put_uint(w, 0, error) && /* dom: NULL */
           core_xdr_put_ostring(w, extra ? extra->str1 : message, error) &&
           core_xdr_put_ostring(w, extra ? extra->str2 : NULL, error) &&
           core_xdr_put_ostring(w, extra ? extra->str3 : NULL, error) &&
           core_xdr_put_int(w, extra ? extra->int1 : -1, error) &&
           core_xdr_put_int(w, extra ? extra->int2 : -1, error) &&
           core_xdr_put_uint(w, 0, error); /* net: NULL */
}

/* Skips an optional remote_nonnull_domain (with_id) or _network. */
static gboolean
skip_optional_handle(CoreXdrReader *r, gboolean with_id, GError **error)
{
    gboolean present;
    g_autofree char *name = NULL;
    guint8 uuid[16];
    gint32 id;

    if (!core_xdr_get_present(r, &present, error))
        return FALSE;
    if (!present)
        return TRUE;
    if (!core_xdr_get_string(r, &name, error) ||
        !core_xdr_get_opaque_fixed(r, uuid, sizeof(uuid), error))
        return FALSE;
    return !with_id || core_xdr_get_int(r, &id, error);
}

gboolean
core_rpc_error_from_wire(CoreXdrReader *r, GError **ret_err, GError **error)
{
    gint32 code, from, level, int1, int2;
    g_autofree char *message = NULL;
    g_autofree char *str1 = NULL;
    g_autofree char *str2 = NULL;
    g_autofree char *str3 = NULL;

    if (!core_xdr_get_int(r, &code, error) || !core_xdr_get_int(r, &from, error) ||
        !core_xdr_get_ostring(r, &message, error) || !core_xdr_get_int(r, &level, error) ||
        !skip_optional_handle(r, TRUE, error) || !core_xdr_get_ostring(r, &str1, error) ||
        !core_xdr_get_ostring(r, &str2, error) || !core_xdr_get_ostring(r, &str3, error) ||
        !core_xdr_get_int(r, &int1, error) || !core_xdr_get_int(r, &int2, error) ||
        !skip_optional_handle(r, FALSE, error))
        return FALSE;
    *ret_err = core_error_new_wire(code, from, level, message ? message : "unknown error",
                                   str1, str2, str3, int1, int2);
    return TRUE;
}
