/* qemu-alias: the names QEMU knows a domain's devices by.
 *
 * Device ids ("virtio-disk0", "net0"), their backends ("hostnet0",
 * "charserial0") and block node names ("libvirt-1-storage") follow
 * libvirt's scheme, so that logs, QMP replies and the documentation of
 * libvirt read the same. The model keeps no aliases: they are derived from
 * a device and its position in its list, so the same definition always
 * gives the same names (a running domain's status XML does not need them).
 */
#pragma once

#include <glib.h>

#include "core-domain-conf.h"

G_BEGIN_DECLS

/**
 * qemu_alias_disk:
 * @disk: a disk with a target and bus (post-parse)
 * Returns: (transfer full) the device id: "virtio-disk<N>" (N from the
 * target name), "ide<C>-<B>-<U>", "sata<C>-0-<U>", "scsi<C>-<B>-<T>-<U>"
 * (from the drive address), "usb-disk<N>", or "<bus>-disk<N>" otherwise.
 */
char *qemu_alias_disk(const CoreDomainDiskDef *disk);

/**
 * qemu_alias_disk_node:
 * @index: the disk's position in the domain's disk list (0-based)
 * @layer: "storage" (the protocol node) or "format"
 * Returns: (transfer full) "libvirt-<index+1>-<layer>".
 */
char *qemu_alias_disk_node(guint index, const char *layer);

/**
 * qemu_alias_controller:
 * Returns: (transfer full) "usb" for USB controller 0 ("usb<N>" after),
 * "ide" for IDE, "pci.<N>" / "pcie.0" for PCI roots, "<type><N>" for the
 * rest ("sata0", "scsi0", "virtio-serial0").
 */
char *qemu_alias_controller(const CoreDomainControllerDef *ctl, gboolean pcie_root);

/* (transfer full) "<prefix><index>": "net0", "hostnet0", "serial0",
 * "charserial0", "video0", "input1", "rng0", "objrng0" ... */
char *qemu_alias_indexed(const char *prefix, guint index);

/**
 * qemu_alias_assign:
 * @def: a live definition, post-parse (machine canonical)
 * Sets the alias of each device of @def that gets a QEMU device to the id
 * the command line gives it (replacing any alias it had): disks, controllers,
 * interfaces, serials, consoles (the first serial console is "serial0"
 * like the port itself), channels, inputs, videos, watchdog, balloon, rngs.
 * Cannot fail.
 */
void qemu_alias_assign(CoreDomainDef *def);

G_END_DECLS
