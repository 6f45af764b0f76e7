/* vireo-domain.h: domains (virtual machines). */
#pragma once

#if !defined(VIREO_INSIDE) && !defined(VIREO_COMPILATION)
#error "Only <vireo/vireo.h> can be included directly."
#endif

#include <vireo/vireo-common.h>

G_BEGIN_DECLS

/* virDomainState values */
typedef enum {
    VIREO_DOMAIN_NOSTATE = 0,
    VIREO_DOMAIN_RUNNING = 1,
    VIREO_DOMAIN_BLOCKED = 2,
    VIREO_DOMAIN_PAUSED = 3,
    VIREO_DOMAIN_SHUTDOWN = 4,
    VIREO_DOMAIN_SHUTOFF = 5,
    VIREO_DOMAIN_CRASHED = 6,
    VIREO_DOMAIN_PMSUSPENDED = 7,
} VireoDomainState;

/* virConnectListAllDomainsFlags values */
typedef enum {
    VIREO_LIST_DOMAINS_ACTIVE = 1 << 0,
    VIREO_LIST_DOMAINS_INACTIVE = 1 << 1,
    VIREO_LIST_DOMAINS_PERSISTENT = 1 << 2,
    VIREO_LIST_DOMAINS_TRANSIENT = 1 << 3,
    VIREO_LIST_DOMAINS_RUNNING = 1 << 4,
    VIREO_LIST_DOMAINS_PAUSED = 1 << 5,
    VIREO_LIST_DOMAINS_SHUTOFF = 1 << 6,
    VIREO_LIST_DOMAINS_OTHER = 1 << 7,
    VIREO_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    VIREO_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    VIREO_LIST_DOMAINS_AUTOSTART = 1 << 10,
    VIREO_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    VIREO_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    VIREO_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
} VireoListDomainsFlags;

/* virDomainXMLFlags values */
typedef enum {
    VIREO_DOMAIN_XML_SECURE = 1 << 0,
    VIREO_DOMAIN_XML_INACTIVE = 1 << 1,
    VIREO_DOMAIN_XML_UPDATE_CPU = 1 << 2,
    VIREO_DOMAIN_XML_MIGRATABLE = 1 << 3,
} VireoDomainXMLFlags;

/* virDomainInfo */
typedef struct {
    int state;
    guint64 max_mem_kib;
    guint64 memory_kib;
    guint nr_virt_cpu;
    guint64 cpu_time_ns;
} VireoDomainInfo;

/* virSecurityLabel: label is "" when the domain has none. */
typedef struct {
    char label[4097];
    int enforcing;
} VireoSecurityLabel;

/* ---- handles ---- */
VireoDomain *vireo_domain_ref(VireoDomain *dom);
void vireo_domain_unref(VireoDomain *dom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VireoDomain, vireo_domain_unref)
/* (transfer none) */
VireoConnect *vireo_domain_get_connect(VireoDomain *dom);
/* (transfer none) */
const char *vireo_domain_get_name(VireoDomain *dom);
/* (transfer none) 16 raw bytes */
const guint8 *vireo_domain_get_uuid(VireoDomain *dom);
/* Writes the canonical UUID text into @buf (VIREO_UUID_STRING_BUFLEN). */
void vireo_domain_get_uuid_string(VireoDomain *dom, char *buf);
/* The id the domain had when the handle was made; -1 if inactive. */
int vireo_domain_get_id(VireoDomain *dom);

/* ---- lookups and lists (transfer full results) ---- */
/* (element-type VireoDomain) (transfer full); the array frees its items. */
GPtrArray *vireo_connect_list_all_domains(VireoConnect *conn, guint flags, GError **error);
int vireo_connect_num_of_domains(VireoConnect *conn, GError **error);
int vireo_connect_num_of_defined_domains(VireoConnect *conn, GError **error);
VireoDomain *vireo_domain_lookup_by_id(VireoConnect *conn, int id, GError **error);
VireoDomain *vireo_domain_lookup_by_name(VireoConnect *conn, const char *name, GError **error);
VireoDomain *vireo_domain_lookup_by_uuid(VireoConnect *conn, const guint8 *uuid,
                                         GError **error);
/* @uuid in text form, with or without dashes (code 8 when malformed). */
VireoDomain *vireo_domain_lookup_by_uuid_string(VireoConnect *conn, const char *uuid,
                                                GError **error);

/* ---- lifecycle ---- */
VireoDomain *vireo_domain_define_xml(VireoConnect *conn, const char *xml, guint flags,
                                     GError **error);
VireoDomain *vireo_domain_create_xml(VireoConnect *conn, const char *xml, guint flags,
                                     GError **error);
gboolean vireo_domain_undefine(VireoDomain *dom, guint flags, GError **error);
gboolean vireo_domain_create(VireoDomain *dom, guint flags, GError **error);
gboolean vireo_domain_destroy(VireoDomain *dom, guint flags, GError **error);
gboolean vireo_domain_shutdown(VireoDomain *dom, guint flags, GError **error);
gboolean vireo_domain_reboot(VireoDomain *dom, guint flags, GError **error);
gboolean vireo_domain_suspend(VireoDomain *dom, GError **error);
gboolean vireo_domain_resume(VireoDomain *dom, GError **error);

/* ---- queries and settings ---- */
gboolean vireo_domain_get_info(VireoDomain *dom, VireoDomainInfo *ret, GError **error);
gboolean vireo_domain_get_state(VireoDomain *dom, int *ret_state, int *ret_reason,
                                GError **error);
/* (transfer full) */
char *vireo_domain_get_xml_desc(VireoDomain *dom, guint flags, GError **error);
/* (transfer full) */
char *vireo_domain_get_os_type(VireoDomain *dom, GError **error);
/* 1/0, -1 on failure */
int vireo_domain_get_autostart(VireoDomain *dom, GError **error);
gboolean vireo_domain_set_autostart(VireoDomain *dom, gboolean autostart, GError **error);
int vireo_domain_is_active(VireoDomain *dom, GError **error);
int vireo_domain_is_persistent(VireoDomain *dom, GError **error);
int vireo_domain_is_updated(VireoDomain *dom, GError **error);
gboolean vireo_domain_get_max_memory(VireoDomain *dom, guint64 *ret_kib, GError **error);
gboolean vireo_domain_set_memory_flags(VireoDomain *dom, guint64 kib, guint flags,
                                       GError **error);
int vireo_domain_get_vcpus_flags(VireoDomain *dom, guint flags, GError **error);
gboolean vireo_domain_set_vcpus_flags(VireoDomain *dom, guint nvcpus, guint flags,
                                      GError **error);
int vireo_domain_has_managed_save_image(VireoDomain *dom, guint flags, GError **error);
int vireo_domain_snapshot_num(VireoDomain *dom, guint flags, GError **error);
gboolean vireo_domain_get_security_label(VireoDomain *dom, VireoSecurityLabel *ret,
                                         GError **error);

/* ---- title, description, metadata (virDomainSetMetadata/GetMetadata) ---- */
/* virDomainMetadataType */
typedef enum {
    VIREO_DOMAIN_METADATA_DESCRIPTION = 0,
    VIREO_DOMAIN_METADATA_TITLE = 1,
    VIREO_DOMAIN_METADATA_ELEMENT = 2, /* a child of <metadata>, by namespace URI */
} VireoDomainMetadataType;

/* virDomainModificationImpact: which definition a call changes or reads */
typedef enum {
    VIREO_DOMAIN_AFFECT_CURRENT = 0, /* live when running, else the config */
    VIREO_DOMAIN_AFFECT_LIVE = 1 << 0,
    VIREO_DOMAIN_AFFECT_CONFIG = 1 << 1,
} VireoDomainModificationImpact;

/**
 * vireo_domain_set_metadata:
 * @type: VireoDomainMetadataType
 * @metadata: (nullable) the new title or description (NULL or "" removes
 *   it), or for ELEMENT an XML document (NULL removes the element)
 * @key: (nullable) ELEMENT: the namespace prefix to write it with
 * @uri: (nullable) ELEMENT: its namespace URI
 * @flags: VireoDomainModificationImpact
 * As virDomainSetMetadata, with its errors (INVALID_ARG for arguments that
 * do not fit @type, XML_DETAIL for bad XML). Refused on read-only
 * connections.
 */
gboolean vireo_domain_set_metadata(VireoDomain *dom, int type, const char *metadata,
                                   const char *key, const char *uri, guint flags,
                                   GError **error);
/**
 * vireo_domain_get_metadata:
 * (transfer full) The title, the description, or the element in namespace
 * @uri written without its namespace; NULL with NO_DOMAIN_METADATA (80)
 * when there is none. As virDomainGetMetadata.
 */
char *vireo_domain_get_metadata(VireoDomain *dom, int type, const char *uri, guint flags,
                                GError **error);

/* ---- console (virDomainOpenConsole) ---- */
/* flags of vireo_domain_open_console (virDomainConsoleFlags values) */
typedef enum {
    VIREO_DOMAIN_CONSOLE_FORCE = 1 << 0, /* take the console from another session */
    VIREO_DOMAIN_CONSOLE_SAFE = 1 << 1,  /* only if the driver can arbitrate access */
} VireoDomainConsoleFlags;

/**
 * vireo_domain_open_console:
 * @dom: a running domain
 * @dev_name: (nullable) the console's alias, NULL for the first console
 * @flags: VireoDomainConsoleFlags
 * @error: return location for an error
 * Connects to the domain's console. What the guest writes is read from the
 * returned descriptor, what is written to it goes to the guest; end of file
 * when the console ends (the guest's side closed, or another session took
 * it). Closing the descriptor ends the console. Refused on read-only
 * connections (CORE_ERR_OPERATION_DENIED).
 * Returns: a socket descriptor (transfer full: the caller closes it), or -1.
 */
int vireo_domain_open_console(VireoDomain *dom, const char *dev_name, guint flags,
                              GError **error);

G_END_DECLS
