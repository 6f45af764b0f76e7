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

/* Replaces @info's alias with @alias (transfer full). */
static void
set_alias(CoreDomainDeviceInfo *info, char *alias)
{
    g_free(info->alias);
    info->alias = alias;
}

/* "<prefix><i>" for each element of @list; @offset: where its info sits. */
static void
assign_indexed(GPtrArray *list, gsize offset, const char *prefix)
{
    for (guint i = 0; i < list->len; i++)
        set_alias(G_STRUCT_MEMBER_P(g_ptr_array_index(list, i), offset),
                  qemu_alias_indexed(prefix, i));
}

static void
assign_chrs(CoreDomainDefPriv *priv)
{
    assign_indexed(priv->serials, G_STRUCT_OFFSET(CoreDomainChrDef, info), "serial");
    assign_indexed(priv->channels, G_STRUCT_OFFSET(CoreDomainChrDef, info), "channel");
    for (guint i = 0; i < priv->consoles->len; i++) {
        CoreDomainChrDef *con = g_ptr_array_index(priv->consoles, i);
        const char *target = con->target_type ? con->target_type : "serial";

        /* the first serial console is the first serial port itself */
        if (i == 0 && g_str_equal(target, "serial") && priv->serials->len > 0)
            set_alias(&con->info, g_strdup("serial0"));
        else
            set_alias(&con->info, qemu_alias_indexed("console", i));
    }
}

void
qemu_alias_assign(CoreDomainDef *def)
{
    CoreDomainDefPriv *priv = core_domain_def_priv(def);
    gboolean q35 = g_str_has_prefix(def->os_machine ? def->os_machine : "", "pc-q35-");

    for (guint i = 0; i < priv->disks->len; i++) {
        CoreDomainDiskDef *disk = g_ptr_array_index(priv->disks, i);

        set_alias(&disk->info, qemu_alias_disk(disk));
    }
    for (guint i = 0; i < priv->controllers->len; i++) {
        CoreDomainControllerDef *ctl = g_ptr_array_index(priv->controllers, i);

        /* a USB controller of model none is no device at all */
        if (g_str_equal(ctl->type, "usb") && g_strcmp0(ctl->model, "none") == 0)
            continue;
        set_alias(&ctl->info, qemu_alias_controller(ctl, q35));
    }
    assign_indexed(priv->nets, G_STRUCT_OFFSET(CoreDomainNetDef, info), "net");
    assign_chrs(priv);
    assign_indexed(priv->inputs, G_STRUCT_OFFSET(CoreDomainInputDef, info), "input");
    for (guint i = 0; i < priv->videos->len; i++) {
        CoreDomainVideoDef *video = g_ptr_array_index(priv->videos, i);

        if (g_strcmp0(video->model, "none") != 0)
            set_alias(&video->info, qemu_alias_indexed("video", i));
    }
    if (priv->watchdog)
        set_alias(&priv->watchdog->info, g_strdup("watchdog0"));
    if (priv->memballoon && g_strcmp0(priv->memballoon->model, "none") != 0)
        set_alias(&priv->memballoon->info, g_strdup("balloon0"));
    assign_indexed(priv->rngs, G_STRUCT_OFFSET(CoreDomainRngDef, info), "rng");
}
