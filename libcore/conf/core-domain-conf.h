/* core-domain-conf: the domain object model (XML <-> struct).
 *
 * CONTRACT used by drivers (the fields and functions below must stay);
 * device structs and further fields are added by this module as needed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoreDomainDef CoreDomainDef;

typedef enum {
    CORE_DOMAIN_XML_INACTIVE = 1 << 0, /* format: leave out live-only data (id, aliases) */
    CORE_DOMAIN_XML_SECURE = 1 << 1,   /* format: include secrets */
} CoreDomainXMLFlags;

struct _CoreDomainDef {
    char *virt_type;          /* <domain type='...'>: "test", "qemu", "kvm" */
    int id;                   /* -1 when inactive; formatted unless INACTIVE */
    char *name;
    guint8 uuid[16];
    char *title;
    char *description;
    guint64 memory_kib;       /* <memory> in KiB */
    guint64 current_memory_kib;
    guint vcpus;              /* <vcpu> */
    char *os_type;            /* <os><type>: "hvm", "linux", "exe" */
    char *os_arch;
    char *os_machine;
    /* everything else (os details, features, cpu, clock, lifecycle actions,
     * devices) lives in the private part of this struct below */
    gpointer priv;
};

/* Parses and validates @xml. On error: NULL with CORE_ERR_XML_ERROR (not
 * well-formed, wrong root) or CORE_ERR_XML_DETAIL / CORE_ERR_CONFIG_UNSUPPORTED
 * naming what is wrong. A missing <uuid> gets a random one. (transfer full) */
CoreDomainDef *core_domain_def_parse_string(const char *xml, guint flags, GError **error);
/* Formats @def (byte-stable; parse(format(x)) formats identically). (transfer full) */
char *core_domain_def_format(const CoreDomainDef *def, guint flags);
/* Deep copy via the model. (transfer full) */
CoreDomainDef *core_domain_def_copy(const CoreDomainDef *def);
void core_domain_def_free(CoreDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainDef, core_domain_def_free)

G_END_DECLS
