/* core-rpc-types: wire codecs of the shared protocol types that map onto
 * libcore types: object handles (remote_nonnull_domain -> CoreDomainRef ...)
 * and typed parameters (remote_typed_param). The generated protocol code
 * calls these for the handle/typed_param field types of the description.
 */
#pragma once

#include <glib.h>

#include "core-driver.h"
#include "core-xdr.h"

G_BEGIN_DECLS

/* CoreTypedParam, CoreTypedParamType and core_typed_param_clear() are in
 * core-driver.h. */

/* Each handle codec: put never accepts NULL for nonnull handles; get
 * allocates a new handle (transfer full). Optional variants write/read the
 * 0/1 flag first; a NULL handle is "absent". */
gboolean core_rpc_put_domain(CoreXdrWriter *w, const CoreDomainRef *v, GError **error);
gboolean core_rpc_get_domain(CoreXdrReader *r, CoreDomainRef **ret, GError **error);
gboolean core_rpc_put_odomain(CoreXdrWriter *w, const CoreDomainRef *v, GError **error);
gboolean core_rpc_get_odomain(CoreXdrReader *r, CoreDomainRef **ret, GError **error);
gboolean core_rpc_put_network(CoreXdrWriter *w, const CoreNetworkRef *v, GError **error);
gboolean core_rpc_get_network(CoreXdrReader *r, CoreNetworkRef **ret, GError **error);
gboolean core_rpc_put_onetwork(CoreXdrWriter *w, const CoreNetworkRef *v, GError **error);
gboolean core_rpc_get_onetwork(CoreXdrReader *r, CoreNetworkRef **ret, GError **error);
gboolean core_rpc_put_pool(CoreXdrWriter *w, const CorePoolRef *v, GError **error);
gboolean core_rpc_get_pool(CoreXdrReader *r, CorePoolRef **ret, GError **error);
gboolean core_rpc_put_opool(CoreXdrWriter *w, const CorePoolRef *v, GError **error);
gboolean core_rpc_get_opool(CoreXdrReader *r, CorePoolRef **ret, GError **error);
gboolean core_rpc_put_vol(CoreXdrWriter *w, const CoreVolRef *v, GError **error);
gboolean core_rpc_get_vol(CoreXdrReader *r, CoreVolRef **ret, GError **error);

gboolean core_rpc_put_typed_param(CoreXdrWriter *w, const CoreTypedParam *p, GError **error);
/* Decodes into *@ret (caller-provided, zeroed; cleared on failure). */
gboolean core_rpc_get_typed_param(CoreXdrReader *r, CoreTypedParam *ret, GError **error);

/* 4-byte-per-char fixed array (char x[N]): @s is NUL-padded to @n. */
gboolean core_rpc_put_char_fixed(CoreXdrWriter *w, const char *s, gsize n, GError **error);
gboolean core_rpc_get_char_fixed(CoreXdrReader *r, char *ret, gsize n, GError **error);
/* 4-byte-per-char variable array whose count includes the trailing NUL
 * (security labels/models); NULL is written as "" (count 1). */
gboolean core_rpc_put_char_var(CoreXdrWriter *w, const char *s, gsize max, GError **error);
gboolean core_rpc_get_char_var(CoreXdrReader *r, gsize max, char **ret, GError **error);

G_END_DECLS
