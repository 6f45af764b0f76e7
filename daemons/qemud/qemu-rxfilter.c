/* qemu-rxfilter: see qemu-rxfilter.h.
 *
 * query-rx-filter members (QEMU's RxFilterInfo): name, promiscuous,
 * multicast, unicast, vlan (RxState: normal|none|all), broadcast-allowed,
 * multicast-overflow, unicast-overflow, main-mac, vlan-table (ints),
 * unicast-table, multicast-table (MAC strings).
 */
#include "qemu-rxfilter.h"

#include <string.h>

#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

#define VLAN_ID_MAX 4095

static const char *const mode_names[] = {
    [QEMU_RX_FILTER_MODE_NONE] = "none",
    [QEMU_RX_FILTER_MODE_NORMAL] = "normal",
    [QEMU_RX_FILTER_MODE_ALL] = "all",
};

/* ---- MAC addresses ------------------------------------------------------------- */

gboolean
qemu_mac_parse(const char *str, QemuMac *mac)
{
    if (!str || strlen(str) != QEMU_MAC_STRLEN - 1)
        return FALSE;
    for (int i = 0; i < 6; i++) {
        const char *p = str + i * 3;
        int hi = g_ascii_xdigit_value(p[0]);
        int lo = g_ascii_xdigit_value(p[1]);

        if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':'))
            return FALSE;
        mac->addr[i] = (guint8)(hi << 4 | lo);
    }
    return TRUE;
}

char *
qemu_mac_format(const QemuMac *mac, char *buf)
{
    g_snprintf(buf, QEMU_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac->addr[0], mac->addr[1],
               mac->addr[2], mac->addr[3], mac->addr[4], mac->addr[5]);
    return buf;
}

gboolean
qemu_mac_equal(const QemuMac *a, const QemuMac *b)
{
    return memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

gboolean
qemu_mac_is_multicast(const QemuMac *mac)
{
    return (mac->addr[0] & 1) != 0;
}

const char *
qemu_rxfilter_mode_to_string(QemuRxFilterMode mode)
{
    if ((unsigned)mode >= G_N_ELEMENTS(mode_names))
        return "?";
    return mode_names[mode];
}

int
qemu_rxfilter_mode_from_string(const char *str)
{
    for (guint i = 0; i < G_N_ELEMENTS(mode_names); i++)
        if (g_strcmp0(str, mode_names[i]) == 0)
            return (int)i;
    return -1;
}

/* ---- parsing ----------------------------------------------------------------------- */

static gboolean
bad(GError **error, const char *member, const char *why)
{
    return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "malformed rx-filter from QEMU: '%s' %s",
                          member, why);
}

static json_object *
get(json_object *obj, const char *key, json_type type, GError **error)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(obj, key, &v) || !v) {
        bad(error, key, "is missing");
        return NULL;
    }
    if (!json_object_is_type(v, type)) {
        bad(error, key, "has the wrong type");
        return NULL;
    }
    return v;
}

static gboolean
get_bool(json_object *obj, const char *key, gboolean *out, GError **error)
{
    json_object *v = get(obj, key, json_type_boolean, error);

    if (!v)
        return FALSE;
    *out = json_object_get_boolean(v);
    return TRUE;
}

static gboolean
get_mode(json_object *obj, const char *key, QemuRxFilterMode *out, GError **error)
{
    json_object *v = get(obj, key, json_type_string, error);
    int mode;

    if (!v)
        return FALSE;
    mode = qemu_rxfilter_mode_from_string(json_object_get_string(v));
    if (mode < 0)
        return bad(error, key, "is not one of none, normal, all");
    *out = (QemuRxFilterMode)mode;
    return TRUE;
}

static gboolean
get_mac_table(json_object *obj, const char *key, GArray *out, GError **error)
{
    json_object *list = get(obj, key, json_type_array, error);

    if (!list)
        return FALSE;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        QemuMac mac;

        if (!json_object_is_type(e, json_type_string) ||
            !qemu_mac_parse(json_object_get_string(e), &mac))
            return bad(error, key, "holds an invalid MAC address");
        g_array_append_val(out, mac);
    }
    return TRUE;
}

static gboolean
get_vlan_table(json_object *obj, GArray *out, GError **error)
{
    json_object *list = get(obj, "vlan-table", json_type_array, error);

    if (!list)
        return FALSE;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        gint64 id;
        guint16 vid;

        if (!json_object_is_type(e, json_type_int))
            return bad(error, "vlan-table", "holds a non-integer");
        id = json_object_get_int64(e);
        if (id < 0 || id > VLAN_ID_MAX)
            return bad(error, "vlan-table", "holds a VLAN id outside 0..4095");
        vid = (guint16)id;
        g_array_append_val(out, vid);
    }
    return TRUE;
}

static QemuRxFilter *
rxfilter_new(void)
{
    QemuRxFilter *f = g_new0(QemuRxFilter, 1);

    f->unicast_table = g_array_new(FALSE, FALSE, sizeof(QemuMac));
    f->multicast_table = g_array_new(FALSE, FALSE, sizeof(QemuMac));
    f->vlan_table = g_array_new(FALSE, FALSE, sizeof(guint16));
    return f;
}

QemuRxFilter *
qemu_rxfilter_parse(json_object *obj, GError **error)
{
    g_autoptr(QemuRxFilter) f = rxfilter_new();
    json_object *v;

    if (!json_object_is_type(obj, json_type_object)) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                       "malformed rx-filter from QEMU: not an object");
        return NULL;
    }
    if (!(v = get(obj, "name", json_type_string, error)))
        return NULL;
    if (!*json_object_get_string(v)) {
        bad(error, "name", "is empty");
        return NULL;
    }
    f->name = g_strdup(json_object_get_string(v));
    if (!(v = get(obj, "main-mac", json_type_string, error)))
        return NULL;
    if (!qemu_mac_parse(json_object_get_string(v), &f->main_mac)) {
        bad(error, "main-mac", "is not a valid MAC address");
        return NULL;
    }
    if (!get_bool(obj, "promiscuous", &f->promiscuous, error) ||
        !get_bool(obj, "unicast-overflow", &f->unicast_overflow, error) ||
        !get_bool(obj, "multicast-overflow", &f->multicast_overflow, error) ||
        !get_bool(obj, "broadcast-allowed", &f->broadcast_allowed, error) ||
        !get_mode(obj, "unicast", &f->unicast, error) ||
        !get_mode(obj, "multicast", &f->multicast, error) ||
        !get_mode(obj, "vlan", &f->vlan, error) ||
        !get_mac_table(obj, "unicast-table", f->unicast_table, error) ||
        !get_mac_table(obj, "multicast-table", f->multicast_table, error) ||
        !get_vlan_table(obj, f->vlan_table, error))
        return NULL;
    return g_steal_pointer(&f);
}

GPtrArray *
qemu_rxfilter_parse_reply(json_object *ret, GError **error)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_rxfilter_free);

    if (!json_object_is_type(ret, json_type_array)) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                       "malformed query-rx-filter reply from QEMU: not an array");
        return NULL;
    }
    for (size_t i = 0; i < json_object_array_length(ret); i++) {
        QemuRxFilter *f = qemu_rxfilter_parse(json_object_array_get_idx(ret, i), error);

        if (!f)
            return NULL;
        g_ptr_array_add(out, f);
    }
    return g_steal_pointer(&out);
}

gboolean
qemu_rxfilter_parse_event(json_object *data, char **name, char **path, GError **error)
{
    json_object *jname = NULL;
    json_object *jpath = NULL;

    if (!json_object_is_type(data, json_type_object))
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                              "malformed NIC_RX_FILTER_CHANGED event: no data");
    json_object_object_get_ex(data, "name", &jname);
    if (jname && !json_object_is_type(jname, json_type_string))
        return bad(error, "name", "has the wrong type");
    if (!(jpath = get(data, "path", json_type_string, error)))
        return FALSE;
    if (!*json_object_get_string(jpath))
        return bad(error, "path", "is empty");
    *name = jname && *json_object_get_string(jname) ? g_strdup(json_object_get_string(jname))
                                                    : NULL;
    *path = g_strdup(json_object_get_string(jpath));
    return TRUE;
}

/* ---- copy, free, format ----------------------------------------------------------- */

static GArray *
array_copy(GArray *a)
{
    GArray *c = g_array_sized_new(FALSE, FALSE, g_array_get_element_size(a), a->len);

    g_array_append_vals(c, a->data, a->len);
    return c;
}

QemuRxFilter *
qemu_rxfilter_copy(const QemuRxFilter *filter)
{
    QemuRxFilter *c = g_new0(QemuRxFilter, 1);

    *c = *filter;
    c->name = g_strdup(filter->name);
    c->unicast_table = array_copy(filter->unicast_table);
    c->multicast_table = array_copy(filter->multicast_table);
    c->vlan_table = array_copy(filter->vlan_table);
    return c;
}

void
qemu_rxfilter_free(QemuRxFilter *filter)
{
    if (!filter)
        return;
    g_free(filter->name);
    g_clear_pointer(&filter->unicast_table, g_array_unref);
    g_clear_pointer(&filter->multicast_table, g_array_unref);
    g_clear_pointer(&filter->vlan_table, g_array_unref);
    g_free(filter);
}

static int
mac_cmp(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(QemuMac));
}

static int
vlan_cmp(gconstpointer a, gconstpointer b)
{
    return (int)*(const guint16 *)a - (int)*(const guint16 *)b;
}

static void
format_macs(GString *out, const char *key, GArray *table)
{
    g_autoptr(GArray) sorted = array_copy(table);
    char buf[QEMU_MAC_STRLEN];

    g_array_sort(sorted, mac_cmp);
    g_string_append(out, key);
    for (guint i = 0; i < sorted->len; i++)
        g_string_append_printf(out, " %s", qemu_mac_format(&g_array_index(sorted, QemuMac, i), buf));
    g_string_append_c(out, '\n');
}

char *
qemu_rxfilter_format(const QemuRxFilter *f)
{
    GString *out = g_string_new(NULL);
    g_autoptr(GArray) vlans = array_copy(f->vlan_table);
    char buf[QEMU_MAC_STRLEN];

    g_string_append_printf(out, "name %s\n", f->name);
    g_string_append_printf(out, "promiscuous %s\n", f->promiscuous ? "yes" : "no");
    g_string_append_printf(out, "main-mac %s\n", qemu_mac_format(&f->main_mac, buf));
    g_string_append_printf(out, "unicast %s\n", qemu_rxfilter_mode_to_string(f->unicast));
    g_string_append_printf(out, "multicast %s\n", qemu_rxfilter_mode_to_string(f->multicast));
    g_string_append_printf(out, "vlan %s\n", qemu_rxfilter_mode_to_string(f->vlan));
    g_string_append_printf(out, "unicast-overflow %s\n", f->unicast_overflow ? "yes" : "no");
    g_string_append_printf(out, "multicast-overflow %s\n", f->multicast_overflow ? "yes" : "no");
    g_string_append_printf(out, "broadcast-allowed %s\n", f->broadcast_allowed ? "yes" : "no");
    format_macs(out, "unicast-table", f->unicast_table);
    format_macs(out, "multicast-table", f->multicast_table);
    g_array_sort(vlans, vlan_cmp);
    g_string_append(out, "vlan-table");
    for (guint i = 0; i < vlans->len; i++)
        g_string_append_printf(out, " %u", g_array_index(vlans, guint16, i));
    g_string_append_c(out, '\n');
    return g_string_free(out, FALSE);
}

/* ---- diff ------------------------------------------------------------------------- */

static gboolean
array_has(GArray *a, gconstpointer elem)
{
    gsize size = g_array_get_element_size(a);

    for (guint i = 0; i < a->len; i++)
        if (memcmp(a->data + i * size, elem, size) == 0)
            return TRUE;
    return FALSE;
}

/* Elements of @a not in @b, each once. */
static GArray *
array_minus(GArray *a, GArray *b)
{
    gsize size = g_array_get_element_size(a);
    GArray *out = g_array_new(FALSE, FALSE, (guint)size);

    for (guint i = 0; i < a->len; i++) {
        gconstpointer e = a->data + i * size;

        if (!array_has(b, e) && !array_has(out, e))
            g_array_append_vals(out, e, 1);
    }
    return out;
}

QemuRxFilterDiff *
qemu_rxfilter_diff(const QemuRxFilter *old, const QemuRxFilter *new)
{
    QemuRxFilterDiff *d = g_new0(QemuRxFilterDiff, 1);
    g_autoptr(QemuRxFilter) empty = old ? NULL : rxfilter_new();
    const QemuRxFilter *o = old ? old : empty;
    guint c = old ? 0 : ~0u & ((QEMU_RX_FILTER_CHANGED_NAME << 1) - 1);

    d->unicast_added = array_minus(new->unicast_table, o->unicast_table);
    d->unicast_removed = array_minus(o->unicast_table, new->unicast_table);
    d->multicast_added = array_minus(new->multicast_table, o->multicast_table);
    d->multicast_removed = array_minus(o->multicast_table, new->multicast_table);
    d->vlan_added = array_minus(new->vlan_table, o->vlan_table);
    d->vlan_removed = array_minus(o->vlan_table, new->vlan_table);
    if (old) {
        if (g_strcmp0(o->name, new->name) != 0)
            c |= QEMU_RX_FILTER_CHANGED_NAME;
        if (o->promiscuous != new->promiscuous)
            c |= QEMU_RX_FILTER_CHANGED_PROMISCUOUS;
        if (!qemu_mac_equal(&o->main_mac, &new->main_mac))
            c |= QEMU_RX_FILTER_CHANGED_MAIN_MAC;
        if (o->unicast != new->unicast)
            c |= QEMU_RX_FILTER_CHANGED_UNICAST_MODE;
        if (o->multicast != new->multicast)
            c |= QEMU_RX_FILTER_CHANGED_MULTICAST_MODE;
        if (o->vlan != new->vlan)
            c |= QEMU_RX_FILTER_CHANGED_VLAN_MODE;
        if (o->unicast_overflow != new->unicast_overflow)
            c |= QEMU_RX_FILTER_CHANGED_UNICAST_OVERFLOW;
        if (o->multicast_overflow != new->multicast_overflow)
            c |= QEMU_RX_FILTER_CHANGED_MULTICAST_OVERFLOW;
        if (o->broadcast_allowed != new->broadcast_allowed)
            c |= QEMU_RX_FILTER_CHANGED_BROADCAST;
        if (d->unicast_added->len || d->unicast_removed->len)
            c |= QEMU_RX_FILTER_CHANGED_UNICAST_TABLE;
        if (d->multicast_added->len || d->multicast_removed->len)
            c |= QEMU_RX_FILTER_CHANGED_MULTICAST_TABLE;
        if (d->vlan_added->len || d->vlan_removed->len)
            c |= QEMU_RX_FILTER_CHANGED_VLAN_TABLE;
    }
    d->changes = c;
    return d;
}

void
qemu_rxfilter_diff_free(QemuRxFilterDiff *diff)
{
    if (!diff)
        return;
    g_array_unref(diff->unicast_added);
    g_array_unref(diff->unicast_removed);
    g_array_unref(diff->multicast_added);
    g_array_unref(diff->multicast_removed);
    g_array_unref(diff->vlan_added);
    g_array_unref(diff->vlan_removed);
    g_free(diff);
}

static void
format_table_change(GString *out, const char *key, GArray *added, GArray *removed, gboolean macs)
{
    char buf[QEMU_MAC_STRLEN];
    const char *sep = "";

    g_string_append_printf(out, " %s(", key);
    for (int pass = 0; pass < 2; pass++) {
        GArray *a = pass == 0 ? added : removed;

        for (guint i = 0; i < a->len; i++) {
            g_string_append_printf(out, "%s%c", sep, pass == 0 ? '+' : '-');
            if (macs)
                g_string_append(out, qemu_mac_format(&g_array_index(a, QemuMac, i), buf));
            else
                g_string_append_printf(out, "%u", g_array_index(a, guint16, i));
            sep = ",";
        }
    }
    g_string_append_c(out, ')');
}

char *
qemu_rxfilter_diff_format(const QemuRxFilterDiff *d)
{
    static const struct {
        guint bit;
        const char *name;
    } flags[] = {
        { QEMU_RX_FILTER_CHANGED_NAME, "name" },
        { QEMU_RX_FILTER_CHANGED_PROMISCUOUS, "promiscuous" },
        { QEMU_RX_FILTER_CHANGED_MAIN_MAC, "main-mac" },
        { QEMU_RX_FILTER_CHANGED_UNICAST_MODE, "unicast" },
        { QEMU_RX_FILTER_CHANGED_MULTICAST_MODE, "multicast" },
        { QEMU_RX_FILTER_CHANGED_VLAN_MODE, "vlan" },
        { QEMU_RX_FILTER_CHANGED_UNICAST_OVERFLOW, "unicast-overflow" },
        { QEMU_RX_FILTER_CHANGED_MULTICAST_OVERFLOW, "multicast-overflow" },
        { QEMU_RX_FILTER_CHANGED_BROADCAST, "broadcast-allowed" },
    };
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < G_N_ELEMENTS(flags); i++)
        if (d->changes & flags[i].bit)
            g_string_append_printf(out, " %s", flags[i].name);
    if (d->changes & QEMU_RX_FILTER_CHANGED_UNICAST_TABLE)
        format_table_change(out, "unicast-table", d->unicast_added, d->unicast_removed, TRUE);
    if (d->changes & QEMU_RX_FILTER_CHANGED_MULTICAST_TABLE)
        format_table_change(out, "multicast-table", d->multicast_added, d->multicast_removed,
                            TRUE);
    if (d->changes & QEMU_RX_FILTER_CHANGED_VLAN_TABLE)
        format_table_change(out, "vlan-table", d->vlan_added, d->vlan_removed, FALSE);
    if (out->len > 0)
        g_string_erase(out, 0, 1);
    return g_string_free(out, FALSE);
}
