/* qemu-metadata: virDomainSetMetadata / virDomainGetMetadata of the QEMU
 * driver (CoreDomainOps.set_metadata / get_metadata, see core-driver.h). */
#pragma once

#include "core-driver.h"

G_BEGIN_DECLS

/* Changes the title, description or a <metadata> element of the live
 * and/or persistent definition @flags selects; the persistent one is saved
 * (atomic write), a running guest's status XML too; METADATA_CHANGE is
 * sent. Errors as libvirt's QEMU driver. */
gboolean qemu_set_metadata(gpointer conn, const CoreDomainRef *ref, int type,
                           const char *metadata, const char *key, const char *uri, guint flags,
                           GError **error);
/* (transfer full) The title, description or <metadata> element of the
 * definition @flags selects; CORE_ERR_NO_DOMAIN_METADATA when absent. */
char *qemu_get_metadata(gpointer conn, const CoreDomainRef *ref, int type, const char *uri,
                        guint flags, GError **error);

G_END_DECLS
