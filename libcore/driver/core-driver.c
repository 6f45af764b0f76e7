/* core-driver: handle and event helpers shared by every driver table user. */
#include "core-driver.h"

#include <string.h>

CoreDomainRef *
core_domain_ref_new(const char *name, const guint8 *uuid, int id)
{
    return core_domain_ref_new_len(name, name ? strlen(name) : 0, uuid, id);
}

CoreDomainRef *
core_domain_ref_new_len(const char *name, gsize len, const guint8 *uuid, int id)
{
    /* One allocation: listings make a ref per domain, and a second malloc
     * and free for the name cost as much as the rest of the ref. */
    CoreDomainRef *ref = g_malloc(sizeof(CoreDomainRef) + len + 1);

    ref->name = (char *)(ref + 1);
    if (len)
        memcpy(ref->name, name, len);
    ref->name[len] = '\0';
    if (uuid)
        memcpy(ref->uuid, uuid, CORE_UUID_LEN);
    else
        memset(ref->uuid, 0, CORE_UUID_LEN);
    ref->id = id;
    return ref;
}

CoreDomainRef *
core_domain_ref_copy(const CoreDomainRef *ref)
{
    return ref ? core_domain_ref_new(ref->name, ref->uuid, ref->id) : NULL;
}

void
core_domain_ref_free(CoreDomainRef *ref)
{
    g_free(ref);
}

CoreNetworkRef *
core_network_ref_new(const char *name, const guint8 *uuid)
{
    CoreNetworkRef *ref = g_new0(CoreNetworkRef, 1);

    ref->name = g_strdup(name);
    if (uuid)
        memcpy(ref->uuid, uuid, CORE_UUID_LEN);
    return ref;
}

CoreNetworkRef *
core_network_ref_copy(const CoreNetworkRef *ref)
{
    return ref ? core_network_ref_new(ref->name, ref->uuid) : NULL;
}

void
core_network_ref_free(CoreNetworkRef *ref)
{
    if (!ref)
        return;
    g_free(ref->name);
    g_free(ref);
}

CorePoolRef *
core_pool_ref_new(const char *name, const guint8 *uuid)
{
    CorePoolRef *ref = g_new0(CorePoolRef, 1);

    ref->name = g_strdup(name);
    if (uuid)
        memcpy(ref->uuid, uuid, CORE_UUID_LEN);
    return ref;
}

CorePoolRef *
core_pool_ref_copy(const CorePoolRef *ref)
{
    return ref ? core_pool_ref_new(ref->name, ref->uuid) : NULL;
}

void
core_pool_ref_free(CorePoolRef *ref)
{
    if (!ref)
        return;
    g_free(ref->name);
    g_free(ref);
}

CoreVolRef *
core_vol_ref_new(const char *pool, const char *name, const char *key)
{
    CoreVolRef *ref = g_new0(CoreVolRef, 1);

    ref->pool = g_strdup(pool);
    ref->name = g_strdup(name);
    ref->key = g_strdup(key);
    return ref;
}

CoreVolRef *
core_vol_ref_copy(const CoreVolRef *ref)
{
    return ref ? core_vol_ref_new(ref->pool, ref->name, ref->key) : NULL;
}

void
core_vol_ref_free(CoreVolRef *ref)
{
    if (!ref)
        return;
    g_free(ref->pool);
    g_free(ref->name);
    g_free(ref->key);
    g_free(ref);
}

void
core_event_free(CoreEvent *ev)
{
    if (!ev)
        return;
    core_domain_ref_free(ev->dom);
    core_network_ref_free(ev->net);
    core_pool_ref_free(ev->pool);
    g_free(ev->nsuri);
    g_free(ev);
}

CoreEvent *
core_event_copy(const CoreEvent *ev)
{
    CoreEvent *copy = g_new0(CoreEvent, 1);

    copy->kind = ev->kind;
    copy->dom = core_domain_ref_copy(ev->dom);
    copy->net = core_network_ref_copy(ev->net);
    copy->pool = core_pool_ref_copy(ev->pool);
    copy->event = ev->event;
    copy->detail = ev->detail;
    copy->nsuri = g_strdup(ev->nsuri);
    return copy;
}

void
core_typed_param_clear(CoreTypedParam *p)
{
    if (!p)
        return;
    g_clear_pointer(&p->field, g_free);
    if (p->type == CORE_TYPED_PARAM_STRING)
        g_clear_pointer(&p->value.s, g_free);
    memset(p, 0, sizeof(*p));
}
