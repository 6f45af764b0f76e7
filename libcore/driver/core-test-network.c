/* core-test-network: virtual networks of the in-memory test driver.
 *
 * Starting and stopping only flip a flag; lookups, states, events and
 * errors are those of libvirt's test driver (most entries find the network
 * by name, is_active/is_persistent by UUID, as libvirt does).
 */
#include "vireo-config.h"

#include <string.h>

#include "core-error.h"
#include "core-test-driver-priv.h"
#include "core-uuid.h"

#define CORE_FROM_THIS CORE_FROM_TEST

/* virNetworkEventLifecycleType */
enum { EV_DEFINED = 0, EV_UNDEFINED = 1, EV_STARTED = 2, EV_STOPPED = 3 };

/* virConnectListAllNetworksFlags */
enum {
    LIST_INACTIVE = 1 << 0,
    LIST_ACTIVE = 1 << 1,
    LIST_PERSISTENT = 1 << 2,
    LIST_TRANSIENT = 1 << 3,
    LIST_AUTOSTART = 1 << 4,
    LIST_NO_AUTOSTART = 1 << 5,
    LIST_ALL = 0x3f,
};

enum { NET_VALIDATE = 1 << 0 }; /* VIR_NETWORK_DEFINE/CREATE_VALIDATE */

void
test_network_free(TestNetwork *net)
{
    if (!net)
        return;
    core_network_def_free(net->def);
    core_network_def_free(net->newdef);
    g_free(net);
}

static const char *
test_network_name(gconstpointer net)
{
    return ((const TestNetwork *)net)->def->name;
}

static const guint8 *
test_network_uuid(gconstpointer net)
{
    return ((const TestNetwork *)net)->def->uuid;
}

static gpointer
test_network_ref(gconstpointer net)
{
    return core_network_ref_new(test_network_name(net), test_network_uuid(net));
}

static gboolean
test_network_list_match(gconstpointer obj, guint flags)
{
    const TestNetwork *net = obj;

    return test_list_match(flags, LIST_ACTIVE, LIST_INACTIVE, net->active) &&
           test_list_match(flags, LIST_PERSISTENT, LIST_TRANSIENT, net->persistent) &&
           test_list_match(flags, LIST_AUTOSTART, LIST_NO_AUTOSTART, net->autostart);
}

static const TestObjClass test_network_class = {
    .table = G_STRUCT_OFFSET(TestState, net_by_name),
    .name = test_network_name,
    .uuid = test_network_uuid,
    .ref = test_network_ref,
    .ref_free = (GDestroyNotify)core_network_ref_free,
    .match = test_network_list_match,
    .no_such = CORE_ERR_NO_NETWORK,
    .what = "network",
};

static void
test_network_remove(TestState *st, TestNetwork *net)
{
    g_hash_table_remove(st->net_by_name, net->def->name);
}

/* libvirt's network list assignment: a live def saves the persistent one
 * for after the run; a config def waits in newdef while running. */
static void
test_network_update_def(TestNetwork *net, CoreNetworkDef *def, gboolean live)
{
    if (live) {
        if (net->persistent && !net->newdef)
            net->newdef = net->def;
        else
            core_network_def_free(net->def);
        net->def = def;
        return;
    }
    core_network_def_free(net->newdef);
    net->newdef = NULL;
    if (net->active) {
        net->newdef = def;
    } else {
        core_network_def_free(net->def);
        net->def = def;
    }
    net->persistent = TRUE;
}

TestNetwork *
test_network_assign(TestState *st, CoreNetworkDef *def, gboolean live, GError **error)
{
    char uuidstr[CORE_UUID_STRING_BUFLEN];
    TestNetwork *net = test_obj_by_uuid(st, &test_network_class, def->uuid);

    if (net) {
        if (g_strcmp0(net->def->name, def->name) != 0) {
            core_error_set_full(error, CORE_FROM_NETWORK, CORE_ERR_OPERATION_FAILED,
                                "network '%s' is already defined with uuid %s",
                                net->def->name, core_uuid_format(def->uuid, uuidstr));
            return NULL;
        }
        if (live && net->active) {
            core_error_set_full(error, CORE_FROM_NETWORK, CORE_ERR_OPERATION_INVALID,
                                "network is already active as '%s'", net->def->name);
            return NULL;
        }
        test_network_update_def(net, def, live);
        return net;
    }
    if ((net = g_hash_table_lookup(st->net_by_name, def->name))) {
        core_error_set_full(error, CORE_FROM_NETWORK, CORE_ERR_OPERATION_FAILED,
                            "network '%s' already exists with uuid %s", def->name,
                            core_uuid_format(net->def->uuid, uuidstr));
        return NULL;
    }
    net = g_new0(TestNetwork, 1);
    net->def = def;
    net->persistent = !live;
    g_hash_table_insert(st->net_by_name, g_strdup(def->name), net);
    return net;
}

static TestNetwork *
test_network_find_name(TestState *st, const char *name, GError **error)
{
    return test_obj_find_name(st, &test_network_class, name, error);
}

static TestNetwork *
test_network_find_uuid(TestState *st, const guint8 *uuid, GError **error)
{
    return test_obj_find_uuid(st, &test_network_class, uuid, error);
}

static GPtrArray *
test_network_list_all(gpointer opaque, guint flags, GError **error)
{
    TestConn *conn = opaque;

    if (!test_check_flags(flags, LIST_ALL, "testConnectListAllNetworks", error))
        return NULL;
    return test_obj_list(conn->st, &test_network_class, flags);
}

static CoreNetworkRef *
test_network_lookup_by_name(gpointer opaque, const char *name, GError **error)
{
    TestConn *conn = opaque;

    return test_obj_lookup(conn->st, &test_network_class, name, NULL, error);
}

static CoreNetworkRef *
test_network_lookup_by_uuid(gpointer opaque, const guint8 *uuid, GError **error)
{
    TestConn *conn = opaque;

    return test_obj_lookup(conn->st, &test_network_class, NULL, uuid, error);
}

static CoreNetworkRef *
test_network_add_xml(TestConn *conn, const char *xml, gboolean live, GError **error)
{
    g_autoptr(CoreNetworkDef) def = NULL;
    CoreNetworkRef *ref = NULL;
    TestNetwork *net;

    if (!(def = core_network_def_parse_string(xml, 0, error)))
        return NULL;
    test_state_lock(conn->st);
    if ((net = test_network_assign(conn->st, def, live, error))) {
        g_steal_pointer(&def);
        if (live)
            net->active = TRUE;
        test_state_queue_network(conn->st, net->def, live ? EV_STARTED : EV_DEFINED);
        ref = test_network_ref(net);
    }
    test_state_unlock(conn->st);
    return ref;
}

static CoreNetworkRef *
test_network_define_xml(gpointer conn, const char *xml, guint flags, GError **error)
{
    if (!test_check_flags(flags, NET_VALIDATE, "testNetworkDefineXMLFlags", error))
        return NULL;
    return test_network_add_xml(conn, xml, FALSE, error);
}

static CoreNetworkRef *
test_network_create_xml(gpointer conn, const char *xml, guint flags, GError **error)
{
    if (!test_check_flags(flags, NET_VALIDATE, "testNetworkCreateXMLFlags", error))
        return NULL;
    return test_network_add_xml(conn, xml, TRUE, error);
}

static gboolean
test_network_undefine(gpointer opaque, const CoreNetworkRef *ref, GError **error)
{
    TestConn *conn = opaque;
    gboolean ok = FALSE;
    TestNetwork *net;

    test_state_lock(conn->st);
    if ((net = test_network_find_name(conn->st, ref->name, error))) {
        if (net->active) {
            core_error_set(error, CORE_ERR_OPERATION_INVALID, "Network '%s' is still running",
                           ref->name);
        } else {
            test_state_queue_network(conn->st, net->def, EV_UNDEFINED);
            test_network_remove(conn->st, net);
            ok = TRUE;
        }
    }
    test_state_unlock(conn->st);
    return ok;
}

static gboolean
test_network_create(gpointer opaque, const CoreNetworkRef *ref, GError **error)
{
    TestConn *conn = opaque;
    gboolean ok = FALSE;
    TestNetwork *net;

    test_state_lock(conn->st);
    if ((net = test_network_find_name(conn->st, ref->name, error))) {
        if (net->active) {
            core_error_set(error, CORE_ERR_OPERATION_INVALID,
                           "Network '%s' is already running", ref->name);
        } else {
            net->active = TRUE;
            test_state_queue_network(conn->st, net->def, EV_STARTED);
            ok = TRUE;
        }
    }
    test_state_unlock(conn->st);
    return ok;
}

/* libvirt's test driver stops a network whatever its state (no error for
 * an inactive one). */
static gboolean
test_network_destroy(gpointer opaque, const CoreNetworkRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestNetwork *net;

    test_state_lock(conn->st);
    if ((net = test_network_find_name(conn->st, ref->name, error))) {
        net->active = FALSE;
        test_state_queue_network(conn->st, net->def, EV_STOPPED);
        if (!net->persistent) {
            test_network_remove(conn->st, net);
        } else if (net->newdef) {
            core_network_def_free(net->def);
            net->def = g_steal_pointer(&net->newdef);
        }
    }
    test_state_unlock(conn->st);
    return net != NULL;
}

static char *
test_network_get_xml_desc(gpointer opaque, const CoreNetworkRef *ref, guint flags,
                          GError **error)
{
    TestConn *conn = opaque;
    TestNetwork *net;
    char *xml = NULL;

    if (!test_check_flags(flags, 0, "testNetworkGetXMLDesc", error))
        return NULL;
    test_state_lock(conn->st);
    if ((net = test_network_find_name(conn->st, ref->name, error)))
        xml = core_network_def_format(net->def, 0);
    test_state_unlock(conn->st);
    return xml;
}

static char *
test_network_get_bridge_name(gpointer opaque, const CoreNetworkRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestNetwork *net;
    char *bridge = NULL;

    test_state_lock(conn->st);
    if ((net = test_network_find_name(conn->st, ref->name, error))) {
        if (!net->def->bridge)
            core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                           "network '%s' does not have a bridge name.", net->def->name);
        else
            bridge = g_strdup(net->def->bridge);
    }
    test_state_unlock(conn->st);
    return bridge;
}

static int
test_network_get_autostart(gpointer opaque, const CoreNetworkRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestNetwork *net;
    int ret = -1;

    test_state_lock(conn->st);
    if ((net = test_network_find_name(conn->st, ref->name, error)))
        ret = net->autostart ? 1 : 0;
    test_state_unlock(conn->st);
    return ret;
}

static gboolean
test_network_set_autostart(gpointer opaque, const CoreNetworkRef *ref, gboolean autostart,
                           GError **error)
{
    TestConn *conn = opaque;
    TestNetwork *net;

    test_state_lock(conn->st);
    if ((net = test_network_find_name(conn->st, ref->name, error)))
        net->autostart = autostart ? TRUE : FALSE;
    test_state_unlock(conn->st);
    return net != NULL;
}

static int
test_network_is_active(gpointer opaque, const CoreNetworkRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestNetwork *net;
    int ret = -1;

    test_state_lock(conn->st);
    if ((net = test_network_find_uuid(conn->st, ref->uuid, error)))
        ret = net->active ? 1 : 0;
    test_state_unlock(conn->st);
    return ret;
}

static int
test_network_is_persistent(gpointer opaque, const CoreNetworkRef *ref, GError **error)
{
    TestConn *conn = opaque;
    TestNetwork *net;
    int ret = -1;

    test_state_lock(conn->st);
    if ((net = test_network_find_uuid(conn->st, ref->uuid, error)))
        ret = net->persistent ? 1 : 0;
    test_state_unlock(conn->st);
    return ret;
}

const CoreNetworkOps test_network_ops = {
    .list_all = test_network_list_all,
    .lookup_by_name = test_network_lookup_by_name,
    .lookup_by_uuid = test_network_lookup_by_uuid,
    .define_xml = test_network_define_xml,
    .create_xml = test_network_create_xml,
    .undefine = test_network_undefine,
    .create = test_network_create,
    .destroy = test_network_destroy,
    .get_xml_desc = test_network_get_xml_desc,
    .get_bridge_name = test_network_get_bridge_name,
    .get_autostart = test_network_get_autostart,
    .set_autostart = test_network_set_autostart,
    .is_active = test_network_is_active,
    .is_persistent = test_network_is_persistent,
};
