/* core-domain-disk: <disk> devices. */
#define CORE_FROM_THIS CORE_FROM_DOMAIN

#include "core-domain-priv.h"

#include <string.h>

static const char *const disk_types[] = {
    "file", "block", "dir", "network", "volume", "nvme", "vhostuser", NULL,
};
static const char *const disk_devices[] = { "disk", "cdrom", "floppy", "lun", NULL };
static const char *const disk_buses[] = {
    "ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata", "sd", NULL,
};
static const char *const disk_formats[] = {
    "none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd",
    "ploop", "cow", "qcow", "qcow2", "qed", "vmdk", "luks", NULL,
};
static const char *const disk_caches[] = {
    "default", "none", "writethrough", "writeback", "directsync", "unsafe", NULL,
};
static const char *const volume_modes[] = { "host", "direct", NULL };
static const char *const trays[] = { "closed", "open", NULL };

void
core_domain_disk_free(CoreDomainDiskDef *disk)
{
    if (!disk)
        return;
    g_free(disk->type);
    g_free(disk->device);
    g_free(disk->driver_name);
    g_free(disk->driver_type);
    g_free(disk->driver_cache);
    g_free(disk->source_path);
    g_free(disk->source_pool);
    g_free(disk->source_volume);
    g_free(disk->source_mode);
    g_free(disk->target_dev);
    g_free(disk->target_bus);
    g_free(disk->target_tray);
    g_free(disk->serial);
    core_domain_info_clear(&disk->info);
    g_free(disk);
}

int
core_domain_disk_name_to_index(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd", NULL };
    const char *p = NULL;
    int idx = 0;

    for (guint i = 0; prefixes[i] && !p; i++) {
        if (g_str_has_prefix(name, prefixes[i]))
            p = name + strlen(prefixes[i]);
    }
    if (!p || !*p)
        return -1;
    /* bijective base 26: a=0 ... z=25, aa=26 */
    for (; *p; p++) {
        if (*p < 'a' || *p > 'z' || idx > (G_MAXINT - 26) / 26)
            return -1;
        idx = idx * 26 + (*p - 'a') + 1;
    }
    return idx - 1;
}

/* libvirt picks the bus from the target name when none is given. */
static const char *
default_bus(const char *dev)
{
    if (g_str_has_prefix(dev, "hd"))
        return "ide";
    if (g_str_has_prefix(dev, "sd"))
        return "scsi";
    if (g_str_has_prefix(dev, "vd"))
        return "virtio";
    if (g_str_has_prefix(dev, "xvd"))
        return "xen";
    if (g_str_has_prefix(dev, "ubd"))
        return "uml";
    if (g_str_has_prefix(dev, "fd"))
        return "fdc";
    return "ide";
}

static gboolean
parse_source(CoreDomainDiskDef *disk, const xmlNode *src, GError **error)
{
    const char *attr = NULL;

    if (!src)
        return TRUE;
    if (g_str_equal(disk->type, "file"))
        attr = "file";
    else if (g_str_equal(disk->type, "block"))
        attr = "dev";
    else if (g_str_equal(disk->type, "dir"))
        attr = "dir";
    if (attr) {
        disk->source_path = core_xml_prop(src, attr);
        return TRUE;
    }
    disk->source_pool = core_xml_prop(src, "pool");
    disk->source_volume = core_xml_prop(src, "volume");
    if (!core_domain_prop_enum(src, "mode", volume_modes, &disk->source_mode, error))
        return FALSE;
    if (!disk->source_pool || !disk->source_volume) {
        return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                              "'pool' and 'volume' must be specified together");
    }
    return TRUE;
}

static gboolean
parse_driver(CoreDomainDiskDef *disk, const xmlNode *drv, GError **error)
{
    if (!drv)
        return TRUE;
    disk->driver_name = core_xml_prop(drv, "name");
    if (!core_domain_prop_enum_unsup(drv, "type", disk_formats, "unknown driver format value '%s'",
                                     &disk->driver_type, error))
        return FALSE;
    return core_domain_prop_enum(drv, "cache", disk_caches, &disk->driver_cache, error);
}

static gboolean
parse_target(CoreDomainDiskDef *disk, const xmlNode *target, GError **error)
{
    disk->target_dev = core_xml_prop(target, "dev");
    if (!disk->target_dev || !*disk->target_dev) {
        g_autofree char *msg = g_strdup_printf(
            "missing target information for device %s",
            disk->source_path ? disk->source_path
            : disk->source_volume ? disk->source_volume : "");

        return core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_NO_TARGET, msg);
    }
    if (!core_domain_prop_enum(target, "bus", disk_buses, &disk->target_bus, error) ||
        !core_domain_prop_enum(target, "tray", trays, &disk->target_tray, error))
        return FALSE;
    return TRUE;
}

void
core_domain_disk_post_parse(CoreDomainDiskDef *disk)
{
    if (!disk->target_bus)
        disk->target_bus = g_strdup(default_bus(disk->target_dev));
}

void
core_domain_disk_insert(GPtrArray *disks, CoreDomainDiskDef *disk)
{
    int idx = core_domain_disk_name_to_index(disk->target_dev);
    int at = -1;

    /* libvirt keeps disks of one bus sorted by target name: walking back,
     * a same-bus disk with a higher index moves the new one before it,
     * otherwise it goes right after the last same-bus disk */
    for (int i = (int)disks->len - 1; i >= 0; i--) {
        const CoreDomainDiskDef *d = g_ptr_array_index(disks, i);

        if (g_strcmp0(d->target_bus, disk->target_bus) != 0)
            continue;
        if (core_domain_disk_name_to_index(d->target_dev) > idx)
            at = i;
        else if (at == -1)
            at = i + 1;
    }
    g_ptr_array_insert(disks, at, disk);
}

CoreDomainDiskDef *
core_domain_disk_parse(const xmlNode *node, GError **error)
{
    g_autoptr(CoreDomainDiskDef) disk = g_new0(CoreDomainDiskDef, 1);

    if (!core_domain_prop_enum(node, "type", disk_types, &disk->type, error) ||
        !core_domain_prop_enum(node, "device", disk_devices, &disk->device, error))
        return NULL;
    if (!disk->type)
        disk->type = g_strdup("file");
    if (!disk->device)
        disk->device = g_strdup("disk");
    if (g_str_equal(disk->type, "network") || g_str_equal(disk->type, "nvme") ||
        g_str_equal(disk->type, "vhostuser")) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "disk type '%s' is not supported",
                       disk->type);
        return NULL;
    }
    if (!parse_driver(disk, core_xml_child(node, "driver"), error) ||
        !parse_source(disk, core_xml_child(node, "source"), error) ||
        !parse_target(disk, core_xml_child(node, "target"), error))
        return NULL;
    if (g_str_equal(disk->device, "lun") && !g_str_equal(disk->type, "block") &&
        !g_str_equal(disk->type, "volume")) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "disk device='lun' is only valid for block type disk source");
        return NULL;
    }
    disk->readonly = core_xml_child(node, "readonly") != NULL;
    disk->shareable = core_xml_child(node, "shareable") != NULL;
    /* libvirt always treats a cdrom as read-only */
    if (g_str_equal(disk->device, "cdrom"))
        disk->readonly = TRUE;
    disk->serial = core_xml_child_content(node, "serial");
    if (!core_domain_info_parse(node, &disk->info, error))
        return NULL;
    return g_steal_pointer(&disk);
}

void
core_domain_disk_format(CoreXmlWriter *w, const CoreDomainDiskDef *disk, guint flags)
{
    core_xml_writer_start(w, "disk");
    core_xml_writer_attr(w, "type", disk->type);
    core_xml_writer_attr(w, "device", disk->device);
    if (disk->driver_name || disk->driver_type || disk->driver_cache) {
        core_xml_writer_start(w, "driver");
        core_xml_writer_attr(w, "name", disk->driver_name);
        core_xml_writer_attr(w, "type", disk->driver_type);
        core_xml_writer_attr(w, "cache", disk->driver_cache);
        core_xml_writer_end(w);
    }
    if (disk->source_path) {
        core_xml_writer_start(w, "source");
        if (g_str_equal(disk->type, "block"))
            core_xml_writer_attr(w, "dev", disk->source_path);
        else if (g_str_equal(disk->type, "dir"))
            core_xml_writer_attr(w, "dir", disk->source_path);
        else
            core_xml_writer_attr(w, "file", disk->source_path);
        core_xml_writer_end(w);
    } else if (disk->source_pool) {
        core_xml_writer_start(w, "source");
        core_xml_writer_attr(w, "pool", disk->source_pool);
        core_xml_writer_attr(w, "volume", disk->source_volume);
        core_xml_writer_attr(w, "mode", disk->source_mode);
        core_xml_writer_end(w);
    }
    core_xml_writer_start(w, "target");
    core_xml_writer_attr(w, "dev", disk->target_dev);
    core_xml_writer_attr(w, "bus", disk->target_bus);
    core_xml_writer_attr(w, "tray", disk->target_tray);
    core_xml_writer_end(w);
    if (disk->readonly) {
        core_xml_writer_start(w, "readonly");
        core_xml_writer_end(w);
    }
    if (disk->shareable) {
        core_xml_writer_start(w, "shareable");
        core_xml_writer_end(w);
    }
    core_xml_writer_text_element(w, "serial", disk->serial);
    core_domain_info_format(w, &disk->info, flags);
    core_xml_writer_end(w);
}
