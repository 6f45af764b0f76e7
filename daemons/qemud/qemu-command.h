/* qemu-command: a domain definition turned into QEMU's command line.
 *
 * qemu_command_build() checks the definition against what the probed
 * binary offers (machine types, CPU models, devices and their properties,
 * blockdev drivers, object types, -action values) and writes the argv
 * QEMU 7.2 and later take: -blockdev named nodes for disks, JSON for
 * -device, -blockdev, -netdev and -object, key=value for the rest.
 *
 * Nothing is silently dropped: an element or value the generator cannot
 * express fails with CORE_ERR_CONFIG_UNSUPPORTED naming it, a device the
 * binary lacks with "this QEMU binary does not support device 'X'".
 *
 * Left to the process launcher, over QMP once QEMU runs (-S): the VNC
 * password (the argv only says password=on), <link state='down'>
 * (set_link), the balloon's <stats period> and the initial balloon target
 * for <currentMemory> below <memory>. Devices without a PCI address are
 * placed by QEMU in command-line order; an explicit address is kept.
 */
#pragma once

#include <glib.h>

#include "core-domain-conf.h"
#include "qemu-caps.h"

G_BEGIN_DECLS

/* Where the domain's runtime files are; all paths absolute. */
typedef struct {
    const char *run_dir;         /* per-domain runtime dir: sockets we name (vnc.sock, channels) */
    const char *monitor_path;    /* the QMP socket QEMU listens on */
    const char *log_path;        /* the launcher sends QEMU's stdout/stderr there; not on argv */
    const char *lib_dir;         /* per-domain state dir: QEMU's HOME and XDG dirs */
    const char *master_key_path; /* (nullable) raw 32-byte key: -object secret masterKey0 */
    /* File descriptors the launcher passes to QEMU: one per <interface> in
     * the definition's order; types network, bridge and ethernet need a
     * tap fd there (>= 0), others are not read. */
    const int *net_fds;
    guint n_net_fds;
} QemuCommandPaths;

typedef enum {
    /* The binary has -sandbox (built with seccomp): confine QEMU. The
     * probe does not record this, the caller knows its binaries. */
    QEMU_COMMAND_SANDBOX = 1 << 0,
} QemuCommandFlags;

typedef struct {
    GStrv argv; /* argv[0] is the emulator */
    GStrv env;  /* the whole environment of QEMU, "NAME=value" */
} QemuCommand;

/**
 * qemu_command_build:
 * @def: a parsed definition (post-parse defaults applied; its <emulator>
 *       or else @caps' binary is argv[0])
 * @caps: the probed binary
 * @paths: the domain's paths and fds
 * @flags: QemuCommandFlags
 *
 * Returns: (transfer full) the command, or NULL with @error:
 * CORE_ERR_CONFIG_UNSUPPORTED for what cannot be expressed or what the
 * binary lacks (KVM unusable for type='kvm', an unknown machine or CPU
 * model, a device), CORE_ERR_INTERNAL_ERROR for missing paths or fds.
 */
QemuCommand *qemu_command_build(const CoreDomainDef *def, QemuCaps *caps,
                                const QemuCommandPaths *paths, guint flags, GError **error);

void qemu_command_free(QemuCommand *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuCommand, qemu_command_free)

/**
 * qemu_command_to_string:
 * The command as a shell line for logs and golden files: the environment
 * first, then the binary, then one option (with its value) per line, each
 * line but the last ending in " \", values with shell metacharacters in
 * single quotes. Ends with a newline.
 * Returns: (transfer full)
 */
char *qemu_command_to_string(const QemuCommand *cmd);

G_END_DECLS
