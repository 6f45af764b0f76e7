/* qemu-alias: see qemu-alias.h. */
#include "qemu-alias.h"

#include <string.h>

/* Index of a disk target name: "vda" 0, "hdc" 2, "sdaa" 26; -1 if none. */
static int
disk_name_index(const char *name)
{
    static const char *const prefixes[] = { "xvd", "vd", "hd", "sd", "fd", "ub", NULL };
    const char *p = NULL;
    int idx = 0;

    for (guint i = 0; name && prefixes[i] && !p; i++) {
        if (g_str_has_prefix(name, prefixes[i]))
            p = name + strlen(prefixes[i]);
    }
    if (!p || !*p)
        return -1;
    for (; *p; p++) {
        if (*p < 'a' || *p > 'z' || idx > 100000)
            return -1;
        idx = idx * 26 + (*p - 'a' + 1);
    }
    return idx - 1;
}

/* Value of the drive address field @name, 0 when absent. */
static guint
drive_field(const CoreDomainAddress *addr, const char *name)
{
    if (!addr || g_strcmp0(addr->type, "drive") != 0)
        return 0;
    for (guint i = 0; addr->names[i]; i++) {
        if (g_str_equal(addr->names[i], name))
            return (guint)g_ascii_strtoull(addr->values[i], NULL, 10);
    }
    return 0;
}

char *
qemu_alias_disk(const CoreDomainDiskDef *disk)
{
    const CoreDomainAddress *a = disk->info.address;
    const char *bus = disk->target_bus ? disk->target_bus : "disk";
    int idx = disk_name_index(disk->target_dev);

    if (g_str_equal(bus, "ide"))
        return g_strdup_printf("ide%u-%u-%u", drive_field(a, "controller"), drive_field(a, "bus"),
                               drive_field(a, "unit"));
    if (g_str_equal(bus, "sata"))
        return g_strdup_printf("sata%u-0-%u", drive_field(a, "controller"),
                               drive_field(a, "unit"));
    if (g_str_equal(bus, "scsi"))
        return g_strdup_printf("scsi%u-%u-%u-%u", drive_field(a, "controller"),
                               drive_field(a, "bus"), drive_field(a, "target"),
                               drive_field(a, "unit"));
    return g_strdup_printf("%s-disk%d", bus, MAX(idx, 0));
}

char *
qemu_alias_disk_node(guint index, const char *layer)
{
    return g_strdup_printf("libvirt-%u-%s", index + 1, layer);
}

char *
qemu_alias_controller(const CoreDomainControllerDef *ctl, gboolean pcie_root)
{
    if (g_str_equal(ctl->type, "usb"))
        return ctl->index == 0 ? g_strdup("usb") : g_strdup_printf("usb%d", ctl->index);
    if (g_str_equal(ctl->type, "ide"))
        return ctl->index == 0 ? g_strdup("ide") : g_strdup_printf("ide%d", ctl->index);
    if (g_str_equal(ctl->type, "pci"))
        return pcie_root && ctl->index == 0 ? g_strdup("pcie.0")
                                            : g_strdup_printf("pci.%d", ctl->index);
    return g_strdup_printf("%s%d", ctl->type, ctl->index);
}

char *
qemu_alias_indexed(const char *prefix, guint index)
{
    return g_strdup_printf("%s%u", prefix, index);
}
