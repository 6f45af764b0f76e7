/* core-domain-priv: what the core-domain-*.c files share; not for drivers. */
#pragma once

#include "core-domain-conf.h"
#include "core-xml.h"

G_BEGIN_DECLS

/* Libvirt parses every attribute table with the same message; values are
 * kept as strings once checked. Sets *@ret (transfer full) to the value or
 * NULL when absent. Unknown value: CORE_ERR_XML_ERROR from CORE_FROM_XML. */
gboolean core_domain_prop_enum(const xmlNode *node, const char *name, const char *const *table,
                               char **ret, GError **error);
/* Same, but an unknown value is CORE_ERR_CONFIG_UNSUPPORTED from
 * CORE_FROM_DOMAIN with message @fmt, which takes the value as its one %s. */
gboolean core_domain_prop_enum_unsup(const xmlNode *node, const char *name,
                                     const char *const *table, const char *fmt, char **ret,
                                     GError **error);
/* Reads an unsigned attribute into *@ret (untouched when absent). */
gboolean core_domain_prop_uint(const xmlNode *node, const char *name, guint *ret,
                               GError **error);
/* Reads a signed int attribute (libvirt: "Expected integer value"). */
gboolean core_domain_prop_int(const xmlNode *node, const char *name, int *ret, GError **error);
/* "yes"/"no" attribute into a string kept for formatting. */
gboolean core_domain_prop_yesno(const xmlNode *node, const char *name, char **ret,
                                GError **error);
/* "on"/"off" attribute into a string kept for formatting. */
gboolean core_domain_prop_onoff(const xmlNode *node, const char *name, char **ret,
                                GError **error);

/* Device info: <boot order>, <alias>, <address>. The alias is always read
 * here; core_domain_def_parse_string() drops it again unless the input is
 * status XML. It is formatted unless @flags has CORE_DOMAIN_XML_INACTIVE. */
gboolean core_domain_info_parse(const xmlNode *dev, CoreDomainDeviceInfo *info, GError **error);
void core_domain_info_format(CoreXmlWriter *w, const CoreDomainDeviceInfo *info, guint flags);
/* Frees the alias of every device of @def. */
void core_domain_devices_drop_aliases(CoreDomainDef *def);
void core_domain_info_clear(CoreDomainDeviceInfo *info);
CoreDomainAddress *core_domain_address_new(const char *type, const char *const *names,
                                           const char *const *values);
void core_domain_address_free(CoreDomainAddress *addr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainAddress, core_domain_address_free)

/* General parts (core-domain-os.c). */
gboolean core_domain_os_parse(CoreDomainDef *def, const xmlNode *os, GError **error);
void core_domain_os_format(CoreXmlWriter *w, const CoreDomainDef *def);
gboolean core_domain_features_parse(CoreDomainDefPriv *priv, const xmlNode *node,
                                    GError **error);
void core_domain_features_format(CoreXmlWriter *w, const CoreDomainDefPriv *priv);
gboolean core_domain_cpu_parse(CoreDomainDefPriv *priv, const xmlNode *node, GError **error);
void core_domain_cpu_format(CoreXmlWriter *w, const CoreDomainDefPriv *priv);
gboolean core_domain_clock_parse(CoreDomainDefPriv *priv, const xmlNode *node, GError **error);
void core_domain_clock_format(CoreXmlWriter *w, const CoreDomainDefPriv *priv);
void core_domain_os_clear(CoreDomainDefPriv *priv);

/* <metadata> (core-domain-metadata.c). */
gboolean core_domain_metadata_parse(CoreDomainDef *def, const xmlNode *root, GError **error);
void core_domain_metadata_format(CoreXmlWriter *w, const CoreDomainDef *def);
/* Frees a CoreDomainDefPriv.metadata tree (NULL is fine). */
void core_domain_metadata_free(gpointer metadata);

/* Disks (core-domain-disk.c). */
CoreDomainDiskDef *core_domain_disk_parse(const xmlNode *node, GError **error);
void core_domain_disk_format(CoreXmlWriter *w, const CoreDomainDiskDef *disk, guint flags);
void core_domain_disk_free(CoreDomainDiskDef *disk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainDiskDef, core_domain_disk_free)
/* Inserts @disk (transfer full) where libvirt puts it in @disks. */
void core_domain_disk_insert(GPtrArray *disks, CoreDomainDiskDef *disk);
/* Fills the bus from the target name when none was given. */
void core_domain_disk_post_parse(CoreDomainDiskDef *disk);
/* Index of a disk name ("vda" 0, "hdc" 2, "sdaa" 26), -1 when not one. */
int core_domain_disk_name_to_index(const char *name);

/* Interfaces (core-domain-net.c). */
CoreDomainNetDef *core_domain_net_parse(const xmlNode *node, GError **error);
void core_domain_net_format(CoreXmlWriter *w, const CoreDomainNetDef *net, guint flags);
void core_domain_net_free(CoreDomainNetDef *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainNetDef, core_domain_net_free)

/* Character devices (core-domain-chr.c). */
CoreDomainChrDef *core_domain_chr_parse(const xmlNode *node, CoreDomainChrKind kind,
                                        GError **error);
void core_domain_chr_format(CoreXmlWriter *w, const CoreDomainChrDef *chr, CoreDomainChrKind kind,
                            guint flags);
CoreDomainChrDef *core_domain_chr_copy(const CoreDomainChrDef *chr);
void core_domain_chr_free(CoreDomainChrDef *chr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainChrDef, core_domain_chr_free)
/* Serial/console pairing and port numbering (libvirt's post-parse). */
gboolean core_domain_chr_post_parse(CoreDomainDef *def, GError **error);

/* Other devices (core-domain-devices.c). */
gboolean core_domain_devices_parse(CoreDomainDef *def, const xmlNode *devices, GError **error);
void core_domain_devices_format(CoreXmlWriter *w, const CoreDomainDef *def, guint flags);
gboolean core_domain_devices_post_parse(CoreDomainDef *def, GError **error);
void core_domain_devices_clear(CoreDomainDefPriv *priv);

/* Graphics, video, input (core-domain-graphics.c). */
CoreDomainGraphicsDef *core_domain_graphics_parse(const xmlNode *node, GError **error);
void core_domain_graphics_format(CoreXmlWriter *w, const CoreDomainGraphicsDef *gr,
                                 guint flags);
void core_domain_graphics_free(CoreDomainGraphicsDef *gr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainGraphicsDef, core_domain_graphics_free)
CoreDomainVideoDef *core_domain_video_parse(const xmlNode *node, GError **error);
void core_domain_video_format(CoreXmlWriter *w, const CoreDomainVideoDef *video,
                              guint flags);
void core_domain_video_free(CoreDomainVideoDef *video);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainVideoDef, core_domain_video_free)
/* libvirt's default video RAM (KiB) for @model, 0 when none. */
guint core_domain_video_default_vram(const char *model);
CoreDomainInputDef *core_domain_input_parse(const xmlNode *node, const char *os_type,
                                            GError **error);
void core_domain_input_format(CoreXmlWriter *w, const CoreDomainInputDef *input,
                              guint flags);
void core_domain_input_free(CoreDomainInputDef *input);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreDomainInputDef, core_domain_input_free)

G_END_DECLS
