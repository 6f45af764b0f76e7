/* core-rpc-types: see core-rpc-types.h. */
#define CORE_FROM_THIS CORE_FROM_RPC
#include "core-rpc-types.h"

#include <string.h>

#include "core-error.h"

static gboolean
put_present(CoreXdrWriter *w, gconstpointer v, GError **error)
{
    return core_xdr_put_uint(w, v ? 1 : 0, error);
}

gboolean
core_rpc_put_domain(CoreXdrWriter *w, const CoreDomainRef *v, GError **error)
{
    static const guint8 zero[CORE_UUID_LEN];
    const char *name = v && v->name ? v->name : "";
    gsize len = strlen(name);

    /* Listings encode one of these per domain: reserve the whole entry at
     * once (name, UUID and id) rather than growing the buffer per field. */
    if (len <= CORE_XDR_STRING_MAX) {
        gsize pad = (4 - (len & 3)) & 3;
        guint8 *p = core_xdr_writer_reserve(w, 4 + len + pad + CORE_UUID_LEN + 4);
        guint32 be = GUINT32_TO_BE((guint32)len);

        memcpy(p, &be, 4);
        memcpy(p + 4, name, len);
        memset(p + 4 + len, 0, pad);
        p += 4 + len + pad;
        memcpy(p, v ? v->uuid : zero, CORE_UUID_LEN);
        be = GUINT32_TO_BE((guint32)(v ? v->id : -1));
        memcpy(p + CORE_UUID_LEN, &be, 4);
        return TRUE;
    }
    return core_xdr_put_string(w, name, error);     /* sets the error */
}

gboolean
core_rpc_get_domain(CoreXdrReader *r, CoreDomainRef **ret, GError **error)
{
    const char *name;
    gsize len;
    guint8 uuid[CORE_UUID_LEN];
    gint32 id;

    if (!core_xdr_get_string_view(r, &name, &len, error) ||
        !core_xdr_get_opaque_fixed(r, uuid, CORE_UUID_LEN, error) ||
        !core_xdr_get_int(r, &id, error))
        return FALSE;
    *ret = core_domain_ref_new_len(name, len, uuid, id);
    return TRUE;
}

gboolean
core_rpc_put_odomain(CoreXdrWriter *w, const CoreDomainRef *v, GError **error)
{
    return put_present(w, v, error) && (!v || core_rpc_put_domain(w, v, error));
}

gboolean
core_rpc_get_odomain(CoreXdrReader *r, CoreDomainRef **ret, GError **error)
{
    gboolean present;

    *ret = NULL;
    if (!core_xdr_get_present(r, &present, error))
        return FALSE;
    return !present || core_rpc_get_domain(r, ret, error);
}

/* Networks and pools share the layout { string name; opaque uuid[16]; }. */
static gboolean
put_name_uuid(CoreXdrWriter *w, const char *name, const guint8 *uuid, GError **error)
{
    static const guint8 zero[CORE_UUID_LEN];

    return core_xdr_put_string(w, name, error) &&
           core_xdr_put_opaque_fixed(w, uuid ? uuid : zero, CORE_UUID_LEN, error);
}

static gboolean
get_name_uuid(CoreXdrReader *r, char **ret_name, guint8 *ret_uuid, GError **error)
{
    return core_xdr_get_string(r, ret_name, error) &&
           core_xdr_get_opaque_fixed(r, ret_uuid, CORE_UUID_LEN, error);
}

gboolean
core_rpc_put_network(CoreXdrWriter *w, const CoreNetworkRef *v, GError **error)
{
    return put_name_uuid(w, v ? v->name : NULL, v ? v->uuid : NULL, error);
}

gboolean
core_rpc_get_network(CoreXdrReader *r, CoreNetworkRef **ret, GError **error)
{
    g_autoptr(CoreNetworkRef) ref = g_new0(CoreNetworkRef, 1);

    if (!get_name_uuid(r, &ref->name, ref->uuid, error))
        return FALSE;
    *ret = g_steal_pointer(&ref);
    return TRUE;
}

gboolean
core_rpc_put_onetwork(CoreXdrWriter *w, const CoreNetworkRef *v, GError **error)
{
    return put_present(w, v, error) && (!v || core_rpc_put_network(w, v, error));
}

gboolean
core_rpc_get_onetwork(CoreXdrReader *r, CoreNetworkRef **ret, GError **error)
{
    gboolean present;

    *ret = NULL;
    if (!core_xdr_get_present(r, &present, error))
        return FALSE;
    return !present || core_rpc_get_network(r, ret, error);
}

gboolean
core_rpc_put_pool(CoreXdrWriter *w, const CorePoolRef *v, GError **error)
{
    return put_name_uuid(w, v ? v->name : NULL, v ? v->uuid : NULL, error);
}

gboolean
core_rpc_get_pool(CoreXdrReader *r, CorePoolRef **ret, GError **error)
{
    g_autoptr(CorePoolRef) ref = g_new0(CorePoolRef, 1);

    if (!get_name_uuid(r, &ref->name, ref->uuid, error))
        return FALSE;
    *ret = g_steal_pointer(&ref);
    return TRUE;
}

gboolean
core_rpc_put_opool(CoreXdrWriter *w, const CorePoolRef *v, GError **error)
{
    return put_present(w, v, error) && (!v || core_rpc_put_pool(w, v, error));
}

gboolean
core_rpc_get_opool(CoreXdrReader *r, CorePoolRef **ret, GError **error)
{
    gboolean present;

    *ret = NULL;
    if (!core_xdr_get_present(r, &present, error))
        return FALSE;
    return !present || core_rpc_get_pool(r, ret, error);
}

gboolean
core_rpc_put_vol(CoreXdrWriter *w, const CoreVolRef *v, GError **error)
{
    return core_xdr_put_string(w, v ? v->pool : NULL, error) &&
           core_xdr_put_string(w, v ? v->name : NULL, error) &&
           core_xdr_put_string(w, v ? v->key : NULL, error);
}

gboolean
core_rpc_get_vol(CoreXdrReader *r, CoreVolRef **ret, GError **error)
{
    g_autoptr(CoreVolRef) ref = g_new0(CoreVolRef, 1);

    if (!core_xdr_get_string(r, &ref->pool, error) ||
        !core_xdr_get_string(r, &ref->name, error) || !core_xdr_get_string(r, &ref->key, error))
        return FALSE;
    *ret = g_steal_pointer(&ref);
    return TRUE;
}

gboolean
core_rpc_put_typed_param(CoreXdrWriter *w, const CoreTypedParam *p, GError **error)
{
    if (!core_xdr_put_string(w, p->field, error) || !core_xdr_put_int(w, p->type, error))
        return FALSE;
    switch ((CoreTypedParamType)p->type) {
    case CORE_TYPED_PARAM_INT:
    case CORE_TYPED_PARAM_BOOLEAN:
        return core_xdr_put_int(w, p->value.i, error);
    case CORE_TYPED_PARAM_UINT:
        return core_xdr_put_uint(w, p->value.ui, error);
    case CORE_TYPED_PARAM_LLONG:
        return core_xdr_put_hyper(w, p->value.l, error);
    case CORE_TYPED_PARAM_ULLONG:
        return core_xdr_put_uhyper(w, p->value.ul, error);
    case CORE_TYPED_PARAM_DOUBLE:
        return core_xdr_put_double(w, p->value.d, error);
    case CORE_TYPED_PARAM_STRING:
        return core_xdr_put_string(w, p->value.s, error);
    }
    return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                  "Unable to encode message payload: bad typed parameter");
}

static gboolean
get_typed_value(CoreXdrReader *r, CoreTypedParam *p, GError **error)
{
    switch ((CoreTypedParamType)p->type) {
    case CORE_TYPED_PARAM_INT:
    case CORE_TYPED_PARAM_BOOLEAN:
        return core_xdr_get_int(r, &p->value.i, error);
    case CORE_TYPED_PARAM_UINT:
        return core_xdr_get_uint(r, &p->value.ui, error);
    case CORE_TYPED_PARAM_LLONG:
        return core_xdr_get_hyper(r, &p->value.l, error);
    case CORE_TYPED_PARAM_ULLONG:
        return core_xdr_get_uhyper(r, &p->value.ul, error);
    case CORE_TYPED_PARAM_DOUBLE:
        return core_xdr_get_double(r, &p->value.d, error);
    case CORE_TYPED_PARAM_STRING:
        return core_xdr_get_string(r, &p->value.s, error);
    }
    return core_error_set_literal(error, CORE_FROM_RPC, CORE_ERR_RPC,
                                  "Unable to decode message payload: bad typed parameter");
}

gboolean
core_rpc_get_typed_param(CoreXdrReader *r, CoreTypedParam *ret, GError **error)
{
    gint32 type;

    memset(ret, 0, sizeof(*ret));
    if (core_xdr_get_string(r, &ret->field, error) && core_xdr_get_int(r, &type, error)) {
        ret->type = type;
        if (get_typed_value(r, ret, error))
            return TRUE;
    }
    /* Only a decoded string value is owned; any other union content is not. */
    if (ret->type != CORE_TYPED_PARAM_STRING)
        ret->type = 0;
    core_typed_param_clear(ret);
    return FALSE;
}

gboolean
core_rpc_put_char_fixed(CoreXdrWriter *w, const char *s, gsize n, GError **error)
{
    gboolean ended = FALSE;

    for (gsize i = 0; i < n; i++) {
        gint32 c = 0;

        if (!ended && s && s[i])
            c = (gint32)(signed char)s[i];
        else
            ended = TRUE;
        core_xdr_put_int(w, c, error);
    }
    return TRUE;
}

gboolean
core_rpc_get_char_fixed(CoreXdrReader *r, char *ret, gsize n, GError **error)
{
    for (gsize i = 0; i < n; i++) {
        gint32 c;

        if (!core_xdr_get_int(r, &c, error))
            return FALSE;
        ret[i] = (char)c;
    }
    return TRUE;
}

gboolean
core_rpc_put_char_var(CoreXdrWriter *w, const char *s, gsize max, GError **error)
{
    const char *str = s ? s : "";
    gsize n = strlen(str) + 1;

    if (!core_xdr_put_count(w, n, max, error))
        return FALSE;
    for (gsize i = 0; i < n; i++)
        core_xdr_put_int(w, (gint32)(signed char)str[i], error);
    return TRUE;
}

gboolean
core_rpc_get_char_var(CoreXdrReader *r, gsize max, char **ret, GError **error)
{
    g_autofree char *buf = NULL;
    guint n;

    if (!core_xdr_get_count(r, max, 4, &n, error))
        return FALSE;
    buf = g_malloc0((gsize)n + 1);
    for (guint i = 0; i < n; i++) {
        gint32 c;

        if (!core_xdr_get_int(r, &c, error))
            return FALSE;
        buf[i] = (char)c;
    }
    *ret = g_steal_pointer(&buf);
    return TRUE;
}
