/* qemu-command-priv: what the qemu-command*.c files share while building
 * one command line. Not for other users. */
#pragma once

#include <json-c/json.h>

#include "core-domain-conf.h"
#include "qemu-command.h"

G_BEGIN_DECLS

typedef struct {
    const CoreDomainDef *def;
    const CoreDomainDefPriv *priv;
    QemuCaps *caps;
    const QemuCommandPaths *paths;
    guint flags;
    GPtrArray *args;        /* of char *, argv being built */
    GPtrArray *env;         /* of char *, "NAME=value" */
    const char *machine;    /* canonical machine type (owned by the caps) */
    gboolean q35;           /* machine family: q35 (PCIe, AHCI built in) or i440fx */
    gboolean kvm;           /* -accel kvm */
    const char *root_bus;   /* "pci.0" or "pcie.0" */
    guint *boot_disk;       /* effective bootindex per disk (0: none) */
    guint *boot_net;        /* same per interface */
} QemuCmd;

/* Appends one argument (copied). */
void qemu_cmd_arg(QemuCmd *cmd, const char *arg);
/* Appends an option and its value (copied). */
void qemu_cmd_opt(QemuCmd *cmd, const char *opt, const char *value);
/* Appends an option whose value is formatted. */
void qemu_cmd_optf(QemuCmd *cmd, const char *opt, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Appends @opt with @obj as compact JSON; @obj is (transfer full). */
void qemu_cmd_opt_json(QemuCmd *cmd, const char *opt, json_object *obj);

/* Appends @value to @buf with QEMU's key=value escaping (',' doubled). */
void qemu_cmd_buf_escaped(GString *buf, const char *value);

/* Helpers to add members to a JSON object, in order. */
void qemu_json_str(json_object *obj, const char *key, const char *value);
void qemu_json_int(json_object *obj, const char *key, gint64 value);
void qemu_json_bool(json_object *obj, const char *key, gboolean value);

/**
 * qemu_cmd_device_new:
 * Starts a -device object for @driver, or fails with "this QEMU binary
 * does not support device '@driver'". Returns: (transfer full)
 */
json_object *qemu_cmd_device_new(QemuCmd *cmd, const char *driver, GError **error);

/**
 * qemu_cmd_device_add:
 * Adds "id", the placement from @info (a PCI address on the root bus, a
 * USB port; NULL or no address: none) and "bootindex" @bootindex when not
 * 0 to @dev, checks every property against the probed device properties
 * when known, and appends -device. @dev is (transfer full) in any case.
 */
gboolean qemu_cmd_device_add(QemuCmd *cmd, json_object *dev, const char *id,
                             const CoreDomainDeviceInfo *info, guint bootindex, GError **error);

/* The address field @name of @addr, NULL when absent. (transfer none) */
const char *qemu_cmd_address_field(const CoreDomainAddress *addr, const char *name);

/* Fails with CONFIG_UNSUPPORTED "this QEMU binary does not support device '%s'". */
gboolean qemu_cmd_no_device(GError **error, const char *driver);

/* Per device class (qemu-command-disk.c, -net.c, -chr.c, -devices.c). */
gboolean qemu_command_build_controllers(QemuCmd *cmd, GError **error);
gboolean qemu_command_build_disks(QemuCmd *cmd, GError **error);
gboolean qemu_command_build_nets(QemuCmd *cmd, GError **error);
gboolean qemu_command_build_chrs(QemuCmd *cmd, GError **error);
gboolean qemu_command_build_graphics(QemuCmd *cmd, GError **error);
gboolean qemu_command_build_devices(QemuCmd *cmd, GError **error);
/* TRUE when some device needs a USB bus (checked by the controllers). */
gboolean qemu_command_needs_usb(QemuCmd *cmd);

G_END_DECLS
