/* qemu-rxfilter: a guest NIC's receive filter as QEMU reports it.
 *
 * A guest changing its MAC, multicast groups or promiscuous mode makes
 * QEMU emit NIC_RX_FILTER_CHANGED {"name": ID, "path": QOM-PATH}. The
 * event fires once per NIC and is re-armed only by query-rx-filter on
 * that NIC, and one guest action may take several control commands, so
 * a consumer loops: event, query, (maybe) event, query.
 *
 * Everything here comes from the guest through QEMU and is checked
 * field by field; malformed data is an error, never a crash.
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>

G_BEGIN_DECLS

typedef struct {
    guint8 addr[6];
} QemuMac;

/* "xx:xx:xx:xx:xx:xx" plus the terminating NUL */
#define QEMU_MAC_STRLEN 18

typedef enum {
    QEMU_RX_FILTER_MODE_NONE,   /* "none": nothing of this kind accepted */
    QEMU_RX_FILTER_MODE_NORMAL, /* "normal": only the table entries */
    QEMU_RX_FILTER_MODE_ALL,    /* "all": everything */
} QemuRxFilterMode;

typedef struct {
    char *name; /* the NIC's device id */
    gboolean promiscuous;
    QemuMac main_mac;
    QemuRxFilterMode unicast;
    QemuRxFilterMode multicast;
    QemuRxFilterMode vlan;
    gboolean unicast_overflow;
    gboolean multicast_overflow;
    gboolean broadcast_allowed;
    GArray *unicast_table;   /* QemuMac */
    GArray *multicast_table; /* QemuMac */
    GArray *vlan_table;      /* guint16, 0..4095 */
} QemuRxFilter;

typedef enum {
    QEMU_RX_FILTER_CHANGED_PROMISCUOUS = 1 << 0,
    QEMU_RX_FILTER_CHANGED_MAIN_MAC = 1 << 1,
    QEMU_RX_FILTER_CHANGED_UNICAST_MODE = 1 << 2,
    QEMU_RX_FILTER_CHANGED_MULTICAST_MODE = 1 << 3,
    QEMU_RX_FILTER_CHANGED_VLAN_MODE = 1 << 4,
    QEMU_RX_FILTER_CHANGED_UNICAST_TABLE = 1 << 5,
    QEMU_RX_FILTER_CHANGED_MULTICAST_TABLE = 1 << 6,
    QEMU_RX_FILTER_CHANGED_VLAN_TABLE = 1 << 7,
    QEMU_RX_FILTER_CHANGED_UNICAST_OVERFLOW = 1 << 8,
    QEMU_RX_FILTER_CHANGED_MULTICAST_OVERFLOW = 1 << 9,
    QEMU_RX_FILTER_CHANGED_BROADCAST = 1 << 10,
    QEMU_RX_FILTER_CHANGED_NAME = 1 << 11,
} QemuRxFilterChange;

/* What changed between two filters; tables compare as sets. */
typedef struct {
    guint changes; /* QemuRxFilterChange bits, 0 when equal */
    GArray *unicast_added;     /* QemuMac */
    GArray *unicast_removed;   /* QemuMac */
    GArray *multicast_added;   /* QemuMac */
    GArray *multicast_removed; /* QemuMac */
    GArray *vlan_added;        /* guint16 */
    GArray *vlan_removed;      /* guint16 */
} QemuRxFilterDiff;

/* Parses "52:54:00:12:34:56" (hex digits of either case, exactly six
 * two-digit groups). Returns: FALSE for anything else. */
gboolean qemu_mac_parse(const char *str, QemuMac *mac);
/* Writes the lower-case form into @buf (QEMU_MAC_STRLEN bytes). Returns @buf. */
char *qemu_mac_format(const QemuMac *mac, char *buf);
gboolean qemu_mac_equal(const QemuMac *a, const QemuMac *b);
/* TRUE when the group (multicast) bit is set. */
gboolean qemu_mac_is_multicast(const QemuMac *mac);

/* (transfer none) "none", "normal", "all". */
const char *qemu_rxfilter_mode_to_string(QemuRxFilterMode mode);
/* Returns: the mode or -1 for an unknown string. */
int qemu_rxfilter_mode_from_string(const char *str);

/**
 * qemu_rxfilter_parse:
 * @obj: one element of query-rx-filter's return array
 * Returns: (transfer full) the filter, or NULL with CORE_ERR_INTERNAL_ERROR
 * naming the bad member (missing, wrong type, bad MAC, bad mode, VLAN id
 * out of range).
 */
QemuRxFilter *qemu_rxfilter_parse(json_object *obj, GError **error);

/**
 * qemu_rxfilter_parse_reply:
 * @ret: the "return" value of query-rx-filter (an array)
 * Returns: (transfer full) QemuRxFilter * elements (free func set), or
 * NULL with @error when any element is bad.
 */
GPtrArray *qemu_rxfilter_parse_reply(json_object *ret, GError **error);

/**
 * qemu_rxfilter_parse_event:
 * @data: NIC_RX_FILTER_CHANGED's data
 * @name: (out) (transfer full) (nullable) the NIC id; NULL when QEMU sent
 *        none (a NIC without id; use @path then)
 * @path: (out) (transfer full) the device's QOM path
 * Returns: FALSE with CORE_ERR_INTERNAL_ERROR when malformed.
 */
gboolean qemu_rxfilter_parse_event(json_object *data, char **name, char **path, GError **error);

QemuRxFilter *qemu_rxfilter_copy(const QemuRxFilter *filter);
void qemu_rxfilter_free(QemuRxFilter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuRxFilter, qemu_rxfilter_free)

/**
 * qemu_rxfilter_format:
 * Returns: (transfer full) a stable multi-line text form, one "key value"
 * per line, tables sorted (for logs and golden tests).
 */
char *qemu_rxfilter_format(const QemuRxFilter *filter);

/**
 * qemu_rxfilter_diff:
 * @old: (nullable) the previous filter; NULL counts as "everything changed"
 * Returns: (transfer full) the changes from @old to @new.
 */
QemuRxFilterDiff *qemu_rxfilter_diff(const QemuRxFilter *old, const QemuRxFilter *new);
void qemu_rxfilter_diff_free(QemuRxFilterDiff *diff);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuRxFilterDiff, qemu_rxfilter_diff_free)

/* (transfer full) A one-line summary: "main-mac multicast-table(+01:...,-...)",
 * "" when nothing changed. */
char *qemu_rxfilter_diff_format(const QemuRxFilterDiff *diff);

G_END_DECLS
