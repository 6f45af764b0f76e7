/* qemu-caps: what one QEMU binary can do, learned over QMP.
 *
 * The probe runs the binary once with -machine none and records the raw
 * replies of query-version, query-target, query-kvm, query-machines,
 * query-cpu-definitions, query-commands, qom-list-types (devices),
 * query-qmp-schema and device-list-properties (for a few devices the
 * command-line generator needs). QemuCaps is built from that record, both
 * right after the probe and when the record is read back from the disk
 * cache (qemu-caps-cache.h), so there is one parser for both.
 *
 * KVM: a domain of type 'kvm' needs /dev/kvm openable with the expected
 * API version AND QEMU reporting KVM present and enabled when probed with
 * -accel kvm. qemu_caps_check_virt_type() refuses type='kvm' otherwise
 * (CORE_ERR_CONFIG_UNSUPPORTED). Whether a KVM guest really runs (nested
 * or paravirtual KVM may open fine and still fail) is not checked.
 *
 * A QemuCaps is immutable once built and may be shared between threads.
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>

#include "qemu-caps-schema.h"

G_BEGIN_DECLS

/* Bump whenever the probe record or its interpretation changes: cached
 * records of another version are probed again. */
#define QEMU_CAPS_FORMAT_VERSION 1

typedef struct _QemuCaps QemuCaps;

typedef struct {
    char *name;            /* "pc-i440fx-7.2" */
    char *alias;           /* "pc", or NULL */
    gboolean is_default;   /* QEMU's default machine */
    int max_cpus;          /* 0 when unknown */
    gboolean deprecated;
    char *default_cpu_type; /* QOM type name, or NULL */
} QemuCapsMachine;

typedef struct {
    char *name;      /* "qemu64" */
    char *type_name; /* "qemu64-x86_64-cpu", or NULL */
    gboolean usable; /* no unavailable features with the probed accelerator */
    gboolean deprecated;
    gboolean migration_safe;
} QemuCapsCpuModel;

/**
 * qemu_caps_probe_record:
 * @binary: the QEMU binary to run
 * @kvm_device: whether /dev/kvm is usable (qemu_caps_kvm_device_usable());
 *              the probe then asks for -accel kvm with TCG as fallback
 *
 * Runs @binary once and collects the raw QMP replies (see above). Blocks
 * for about half a second; uses a private main context.
 * Returns: (transfer full) the record {"replies": {...}, "kvm-device": b},
 * or NULL with @error (QEMU's stderr in the message when it failed).
 */
json_object *qemu_caps_probe_record(const char *binary, gboolean kvm_device, GError **error);

/**
 * qemu_caps_new_from_record:
 * Builds caps from a record of qemu_caps_probe_record() (or a recorded
 * file of the same shape). Every field is checked.
 * Returns: (transfer full) caps, or NULL with CORE_ERR_INTERNAL_ERROR.
 */
QemuCaps *qemu_caps_new_from_record(const char *binary, json_object *record, GError **error);

/**
 * qemu_caps_probe:
 * qemu_caps_probe_record() then qemu_caps_new_from_record(), checking
 * /dev/kvm first. Returns: (transfer full) caps or NULL with @error.
 */
QemuCaps *qemu_caps_probe(const char *binary, GError **error);

QemuCaps *qemu_caps_ref(QemuCaps *caps);
void qemu_caps_unref(QemuCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuCaps, qemu_caps_unref)

/* (transfer none) The record the caps were built from. */
json_object *qemu_caps_get_record(QemuCaps *caps);
/* (transfer none) The binary path given at creation. */
const char *qemu_caps_get_binary(QemuCaps *caps);

/* QEMU's version as major * 1000000 + minor * 1000 + micro (7002022). */
unsigned qemu_caps_get_version(QemuCaps *caps);
/* (transfer none) The package string ("Debian 1:7.2+dfsg-..."), maybe "". */
const char *qemu_caps_get_package(QemuCaps *caps);
/* (transfer none) The target architecture ("x86_64"). */
const char *qemu_caps_get_arch(QemuCaps *caps);

gboolean qemu_caps_has_command(QemuCaps *caps, const char *command);
gboolean qemu_caps_has_event(QemuCaps *caps, const char *event);
gboolean qemu_caps_has_device(QemuCaps *caps, const char *device_type);
/* FALSE also when the device's properties were not probed. */
gboolean qemu_caps_device_has_prop(QemuCaps *caps, const char *device_type, const char *prop);
/* TRUE when device-list-properties was recorded for @device_type. */
gboolean qemu_caps_device_props_known(QemuCaps *caps, const char *device_type);

/* (transfer none) Machines, QemuCapsMachine *, in QEMU's order. */
GPtrArray *qemu_caps_get_machines(QemuCaps *caps);
/* (transfer none) (nullable) The machine named or aliased @name. */
const QemuCapsMachine *qemu_caps_find_machine(QemuCaps *caps, const char *name);
/* (transfer none) (nullable) QEMU's default machine. */
const QemuCapsMachine *qemu_caps_get_default_machine(QemuCaps *caps);
/**
 * qemu_caps_canonical_machine:
 * Returns: (transfer none) (nullable) the machine type an alias ("pc",
 * "q35") stands for, @name itself for a real machine, NULL if unknown.
 */
const char *qemu_caps_canonical_machine(QemuCaps *caps, const char *name);

/* (transfer none) CPU models, QemuCapsCpuModel *, sorted by name. */
GPtrArray *qemu_caps_get_cpu_models(QemuCaps *caps);
/* (transfer none) (nullable) */
const QemuCapsCpuModel *qemu_caps_find_cpu_model(QemuCaps *caps, const char *name);

/* query-kvm: compiled in / in use by the probe. */
gboolean qemu_caps_kvm_present(QemuCaps *caps);
gboolean qemu_caps_kvm_enabled(QemuCaps *caps);
/* present && enabled && /dev/kvm was usable at probe time */
gboolean qemu_caps_kvm_usable(QemuCaps *caps);

/**
 * qemu_caps_check_virt_type:
 * @virt_type: a domain type: "qemu" (TCG) or "kvm"
 * Returns: FALSE with CORE_ERR_CONFIG_UNSUPPORTED when the binary cannot
 * run it (type='kvm' without usable KVM, an unknown type).
 */
gboolean qemu_caps_check_virt_type(QemuCaps *caps, const char *virt_type, GError **error);

/* (transfer none) The QMP schema index. */
QemuSchema *qemu_caps_get_schema(QemuCaps *caps);

/**
 * qemu_caps_kvm_device_usable:
 * @reason: (out) (optional) (transfer full) why not, when FALSE
 * Opens /dev/kvm (or $VIREO_KVM_DEVICE, for tests) read-write and checks
 * KVM_GET_API_VERSION. Returns: TRUE when a VM could be created.
 */
gboolean qemu_caps_kvm_device_usable(char **reason);

G_END_DECLS
