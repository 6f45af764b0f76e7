/* qemu-command-disk: controllers, and disks as -blockdev nodes (a storage
 * node for the file or device, a format node above it) plus a -device. */
#include <string.h>

#include "core-error.h"
#include "qemu-alias.h"
#include "qemu-command-priv.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

/* ---- controllers ---- */

static const struct {
    const char *model;
    const char *driver;
} usb_models[] = {
    { "piix3-uhci", "piix3-usb-uhci" },
    { "piix4-uhci", "piix4-usb-uhci" },
    { "ehci", "usb-ehci" },
    { "ich9-ehci1", "ich9-usb-ehci1" },
    { "nec-xhci", "nec-usb-xhci" },
    { "qemu-xhci", "qemu-xhci" },
};

static const CoreDomainControllerDef *
find_controller(QemuCmd *cmd, const char *type, int index)
{
    for (guint i = 0; i < cmd->priv->controllers->len; i++) {
        const CoreDomainControllerDef *c = g_ptr_array_index(cmd->priv->controllers, i);

        if (g_str_equal(c->type, type) && (index < 0 || c->index == index))
            return c;
    }
    return NULL;
}

gboolean
qemu_command_needs_usb(QemuCmd *cmd)
{
    for (guint i = 0; i < cmd->priv->inputs->len; i++) {
        const CoreDomainInputDef *in = g_ptr_array_index(cmd->priv->inputs, i);

        if (g_strcmp0(in->bus, "usb") == 0)
            return TRUE;
    }
    return FALSE;
}

static gboolean
build_usb(QemuCmd *cmd, const CoreDomainControllerDef *ctl, GError **error)
{
    const char *model = ctl && ctl->model ? ctl->model : cmd->q35 ? "qemu-xhci" : "piix3-uhci";
    const char *driver = NULL;
    g_autofree char *id = ctl ? qemu_alias_controller(ctl, cmd->q35) : g_strdup("usb");
    json_object *dev;

    for (guint i = 0; i < G_N_ELEMENTS(usb_models) && !driver; i++) {
        if (g_str_equal(usb_models[i].model, model))
            driver = usb_models[i].driver;
    }
    if (!driver)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "USB controller model '%s' is not supported", model);
    if (!(dev = qemu_cmd_device_new(cmd, driver, error)))
        return FALSE;
    /* the PIIX3 UHCI is function 2 of the chipset's slot 1 on real hardware */
    if (g_str_equal(driver, "piix3-usb-uhci") && !cmd->q35 && (!ctl || !ctl->info.address)) {
        qemu_json_str(dev, "bus", cmd->root_bus);
        qemu_json_str(dev, "addr", "0x1.0x2");
    }
    return qemu_cmd_device_add(cmd, dev, id, ctl ? &ctl->info : NULL, 0, error);
}

/* A controller that needs a -device of its own; NULL driver: built in. */
static gboolean
controller_driver(QemuCmd *cmd, const CoreDomainControllerDef *ctl, const char **ret,
                  GError **error)
{
    const char *type = ctl->type;

    *ret = NULL;
    if (g_str_equal(type, "pci")) {
        const char *root = cmd->q35 ? "pcie-root" : "pci-root";

        if (ctl->index == 0 && (!ctl->model || g_str_equal(ctl->model, root)))
            return TRUE;
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "PCI controller model '%s' index %d is not supported",
                              ctl->model ? ctl->model : "", ctl->index);
    } else if (g_str_equal(type, "ide")) {
        if (!cmd->q35 && ctl->index == 0)
            return TRUE;
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "IDE controllers are unsupported for this QEMU binary or machine "
                              "type");
    } else if (g_str_equal(type, "fdc")) {
        return TRUE; /* floppy disks are refused on their own */
    } else if (g_str_equal(type, "sata")) {
        if (!(cmd->q35 && ctl->index == 0))
            *ret = "ich9-ahci";
    } else if (g_str_equal(type, "scsi")) {
        if (!ctl->model || g_str_equal(ctl->model, "virtio-scsi"))
            *ret = "virtio-scsi-pci";
        else if (g_str_equal(ctl->model, "lsilogic"))
            *ret = "lsi53c895a";
        else
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "SCSI controller model '%s' is not supported", ctl->model);
    } else if (g_str_equal(type, "virtio-serial")) {
        *ret = "virtio-serial-pci";
    } else {
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "controller type '%s' is not supported", type);
    }
    return TRUE;
}

gboolean
qemu_command_build_controllers(QemuCmd *cmd, GError **error)
{
    const CoreDomainControllerDef *usb0 = find_controller(cmd, "usb", 0);

    for (guint i = 0; i < cmd->priv->controllers->len; i++) {
        const CoreDomainControllerDef *ctl = g_ptr_array_index(cmd->priv->controllers, i);
        g_autofree char *id = qemu_alias_controller(ctl, cmd->q35);
        const char *driver = NULL;
        json_object *dev;

        if (g_str_equal(ctl->type, "usb")) {
            if (g_strcmp0(ctl->model, "none") == 0)
                continue;
            if (!build_usb(cmd, ctl, error))
                return FALSE;
            continue;
        }
        if (!controller_driver(cmd, ctl, &driver, error))
            return FALSE;
        if (!driver)
            continue;
        if (!(dev = qemu_cmd_device_new(cmd, driver, error)))
            return FALSE;
        if (ctl->ports >= 0 && g_str_equal(ctl->type, "virtio-serial"))
            qemu_json_int(dev, "max_ports", ctl->ports);
        if (ctl->vectors >= 0 && g_str_equal(ctl->type, "virtio-serial"))
            qemu_json_int(dev, "vectors", ctl->vectors);
        if (!qemu_cmd_device_add(cmd, dev, id, &ctl->info, 0, error))
            return FALSE;
    }
    if (!qemu_command_needs_usb(cmd))
        return TRUE;
    if (usb0 && g_strcmp0(usb0->model, "none") == 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "USB devices need a USB controller, but controller model 'none' "
                              "was given");
    return usb0 ? TRUE : build_usb(cmd, NULL, error);
}

/* ---- disks ---- */

static const char *const disk_formats[] = {
    "raw", "qcow2", "qed", "vmdk", "vpc", "vdi", "vhdx", NULL,
};

/* <driver cache>: the blockdev cache flags and the device's write cache. */
static gboolean
disk_cache(const CoreDomainDiskDef *disk, json_object **ret_cache, const char **ret_wce,
           GError **error)
{
    const char *mode = disk->driver_cache;
    gboolean direct = FALSE, no_flush = FALSE;

    *ret_cache = NULL;
    *ret_wce = NULL;
    if (!mode || g_str_equal(mode, "default"))
        return TRUE;
    if (g_str_equal(mode, "none")) {
        direct = TRUE;
        *ret_wce = "on";
    } else if (g_str_equal(mode, "writeback")) {
        *ret_wce = "on";
    } else if (g_str_equal(mode, "writethrough")) {
        *ret_wce = "off";
    } else if (g_str_equal(mode, "directsync")) {
        direct = TRUE;
        *ret_wce = "off";
    } else if (g_str_equal(mode, "unsafe")) {
        no_flush = TRUE;
        *ret_wce = "on";
    } else {
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "disk cache mode '%s' is not supported", mode);
    }
    *ret_cache = json_object_new_object();
    qemu_json_bool(*ret_cache, "direct", direct);
    qemu_json_bool(*ret_cache, "no-flush", no_flush);
    return TRUE;
}

static gboolean
check_disk(QemuCmd *cmd, const CoreDomainDiskDef *disk, const char *format, GError **error)
{
    const char *dev = disk->device ? disk->device : "disk";
    QemuSchema *schema = qemu_caps_get_schema(cmd->caps);

    if (!g_str_equal(dev, "disk") && !g_str_equal(dev, "cdrom"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "disk device '%s' is not supported", dev);
    if (!g_str_equal(disk->type, "file") && !g_str_equal(disk->type, "block"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "disk type '%s' of disk '%s' is not supported", disk->type,
                              disk->target_dev);
    if (disk->driver_name && !g_str_equal(disk->driver_name, "qemu"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "unsupported driver name '%s' for disk '%s'", disk->driver_name,
                              disk->target_dev);
    if (!g_strv_contains(disk_formats, format) ||
        !qemu_schema_command_arg_has_value(schema, "blockdev-add", "driver", format))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "disk format '%s' of disk '%s' is not supported", format,
                              disk->target_dev);
    if (disk->shareable && !g_str_equal(format, "raw"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "shared access for disk '%s' requires use of supported storage "
                              "format", disk->target_dev);
    if (!disk->source_path && g_str_equal(dev, "disk"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "disk '%s' has no source", disk->target_dev);
    if (g_strcmp0(disk->target_tray, "open") == 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "starting with the tray of disk '%s' open is not supported",
                              disk->target_dev);
    return TRUE;
}

/* The two -blockdev nodes of disk @index. */
static gboolean
build_blockdevs(QemuCmd *cmd, const CoreDomainDiskDef *disk, guint index, const char *format,
                GError **error)
{
    g_autofree char *storage = qemu_alias_disk_node(index, "storage");
    g_autofree char *fmt = qemu_alias_disk_node(index, "format");
    gboolean ro = disk->readonly || g_strcmp0(disk->device, "cdrom") == 0;
    json_object *cache = NULL;
    const char *wce;
    json_object *node;

    if (!disk_cache(disk, &cache, &wce, error))
        return FALSE;
    node = json_object_new_object();
    qemu_json_str(node, "driver", g_str_equal(disk->type, "block") ? "host_device" : "file");
    qemu_json_str(node, "filename", disk->source_path);
    qemu_json_str(node, "node-name", storage);
    if (cache)
        json_object_object_add(node, "cache", json_object_get(cache));
    qemu_json_bool(node, "read-only", ro);
    qemu_cmd_opt_json(cmd, "-blockdev", node);

    node = json_object_new_object();
    qemu_json_str(node, "node-name", fmt);
    if (cache)
        json_object_object_add(node, "cache", cache);
    qemu_json_bool(node, "read-only", ro);
    qemu_json_str(node, "driver", format);
    qemu_json_str(node, "file", storage);
    qemu_cmd_opt_json(cmd, "-blockdev", node);
    return TRUE;
}

static guint
drive_field(const CoreDomainDiskDef *disk, const char *name)
{
    const char *v = qemu_cmd_address_field(disk->info.address, name);

    return v ? (guint)g_ascii_strtoull(v, NULL, 10) : 0;
}

/* The device model for @disk and its place on its controller. */
static json_object *
disk_device(QemuCmd *cmd, const CoreDomainDiskDef *disk, GError **error)
{
    const char *bus = disk->target_bus ? disk->target_bus : "";
    gboolean cd = g_strcmp0(disk->device, "cdrom") == 0;
    guint ctl = drive_field(disk, "controller"), unit = drive_field(disk, "unit");
    json_object *dev = NULL;
    g_autofree char *busname = NULL;

    if (g_str_equal(bus, "virtio") && !cd)
        return qemu_cmd_device_new(cmd, "virtio-blk-pci", error);
    if (!g_str_equal(bus, "ide") && !g_str_equal(bus, "sata") && !g_str_equal(bus, "scsi")) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "disk device '%s' is not supported on bus '%s' (disk '%s')",
                       cd ? "cdrom" : "disk", bus, disk->target_dev);
        return NULL;
    }
    if (disk->info.address && !g_str_equal(disk->info.address->type, "drive")) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "disk '%s' on bus '%s' needs a drive address", disk->target_dev, bus);
        return NULL;
    }
    if (disk->readonly && !cd && !g_str_equal(bus, "scsi")) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                       "readonly ide disks are not supported (disk '%s')", disk->target_dev);
        return NULL;
    }
    if (g_str_equal(bus, "scsi")) {
        if (!(dev = qemu_cmd_device_new(cmd, cd ? "scsi-cd" : "scsi-hd", error)))
            return NULL;
        busname = g_strdup_printf("scsi%u.0", ctl);
        qemu_json_str(dev, "bus", busname);
        qemu_json_int(dev, "channel", drive_field(disk, "bus"));
        qemu_json_int(dev, "scsi-id", drive_field(disk, "target"));
        qemu_json_int(dev, "lun", unit);
        return dev;
    }
    if (!(dev = qemu_cmd_device_new(cmd, cd ? "ide-cd" : "ide-hd", error)))
        return NULL;
    if (g_str_equal(bus, "ide"))
        busname = g_strdup_printf("ide.%u", drive_field(disk, "bus"));
    else if (cmd->q35 && ctl == 0)
        busname = g_strdup_printf("ide.%u", unit); /* the ICH9's built-in AHCI */
    else
        busname = g_strdup_printf("sata%u.%u", ctl, unit);
    qemu_json_str(dev, "bus", busname);
    if (g_str_equal(bus, "ide"))
        qemu_json_int(dev, "unit", unit);
    return dev;
}

static gboolean
build_disk(QemuCmd *cmd, const CoreDomainDiskDef *disk, guint index, GError **error)
{
    const char *format = disk->driver_type ? disk->driver_type : "raw";
    g_autofree char *id = qemu_alias_disk(disk);
    g_autofree char *node = qemu_alias_disk_node(index, "format");
    json_object *cache = NULL;
    const char *wce = NULL;
    json_object *dev;
    gboolean pci;

    if (!check_disk(cmd, disk, format, error) || !disk_cache(disk, &cache, &wce, error))
        return FALSE;
    json_object_put(cache);
    if (disk->source_path && !build_blockdevs(cmd, disk, index, format, error))
        return FALSE;
    if (!(dev = disk_device(cmd, disk, error)))
        return FALSE;
    if (disk->source_path)
        qemu_json_str(dev, "drive", node);
    if (disk->shareable)
        qemu_json_bool(dev, "share-rw", TRUE);
    if (disk->serial)
        qemu_json_str(dev, "serial", disk->serial);
    if (wce)
        qemu_json_str(dev, "write-cache", wce);
    pci = g_strcmp0(disk->target_bus, "virtio") == 0;
    return qemu_cmd_device_add(cmd, dev, id, pci ? &disk->info : NULL, cmd->boot_disk[index],
                               error);
}

gboolean
qemu_command_build_disks(QemuCmd *cmd, GError **error)
{
    for (guint i = 0; i < cmd->priv->disks->len; i++) {
        if (!build_disk(cmd, g_ptr_array_index(cmd->priv->disks, i), i, error))
            return FALSE;
    }
    return TRUE;
}
