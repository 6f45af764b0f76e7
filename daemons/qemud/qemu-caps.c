/* qemu-caps: see qemu-caps.h. */
#include "qemu-caps.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-log.h"
#include "qemu-process-probe.h"

#define CORE_FROM_THIS CORE_FROM_QEMU
CORE_LOG_INIT("qemu.caps");

#define PROBE_START_TIMEOUT_MS 10000
#define PROBE_COMMAND_TIMEOUT_MS 10000
#define KVM_API_VERSION_EXPECTED 12

/* Devices whose properties the command-line generator asks about. */
static const char *const probe_devices[] = {
    "virtio-net-pci", "virtio-blk-pci",  "virtio-scsi-pci", "virtio-serial-pci",
    "virtio-balloon-pci", "virtio-rng-pci", "e1000",        "pcie-root-port",
    "qemu-xhci",      "usb-tablet",      "scsi-hd",         "ide-hd",
    "isa-serial",     "pvpanic",         NULL,
};

struct _QemuCaps {
    gatomicrefcount ref;
    char *binary;
    json_object *record;
    unsigned version;
    char *package;
    char *arch;
    gboolean kvm_present;
    gboolean kvm_enabled;
    gboolean kvm_device;
    GPtrArray *machines;   /* QemuCapsMachine */
    GPtrArray *cpu_models; /* QemuCapsCpuModel */
    GHashTable *commands;  /* set */
    GHashTable *devices;   /* set */
    GHashTable *device_props; /* device -> set of property names */
    QemuSchema *schema;
};

/* ---- KVM device ------------------------------------------------------------- */

gboolean
qemu_caps_kvm_device_usable(char **reason)
{
    const char *path = g_getenv("VIREO_KVM_DEVICE");
    int fd;
    int version;

    if (!path || !*path)
        path = "/dev/kvm";
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        if (reason)
            *reason = g_strdup_printf("cannot open '%s': %s", path, g_strerror(errno));
        return FALSE;
    }
    version = ioctl(fd, KVM_GET_API_VERSION, 0);
    core_clear_fd(&fd);
    if (version != KVM_API_VERSION_EXPECTED) {
        if (reason)
            *reason = g_strdup_printf("'%s' is not a KVM device with API version %d", path,
                                      KVM_API_VERSION_EXPECTED);
        return FALSE;
    }
    return TRUE;
}

/* ---- probe ------------------------------------------------------------------ */

static gboolean
probe_query(QemuMonitor *mon, json_object *replies, const char *key, const char *command,
            json_object *args, GError **error)
{
    json_object *ret = qemu_monitor_command_sync(mon, command, args, PROBE_COMMAND_TIMEOUT_MS,
                                                 error);

    if (!ret)
        return FALSE;
    json_object_object_add(replies, key, ret);
    return TRUE;
}

/* device-list-properties for the devices of probe_devices this QEMU has. */
static gboolean
probe_device_props(QemuMonitor *mon, json_object *replies, GError **error)
{
    json_object *types = NULL;
    g_autoptr(GHashTable) have = g_hash_table_new(g_str_hash, g_str_equal);
    json_object *props = json_object_new_object();

    json_object_object_add(replies, "device-list-properties", props);
    if (!json_object_object_get_ex(replies, "qom-list-types", &types) ||
        !json_object_is_type(types, json_type_array))
        return TRUE;
    for (size_t i = 0; i < json_object_array_length(types); i++) {
        json_object *name = NULL;

        if (json_object_object_get_ex(json_object_array_get_idx(types, i), "name", &name))
            g_hash_table_add(have, (gpointer)json_object_get_string(name));
    }
    for (guint i = 0; probe_devices[i]; i++) {
        json_object *args;

        if (!g_hash_table_contains(have, probe_devices[i]))
            continue;
        args = json_object_new_object();
        json_object_object_add(args, "typename", json_object_new_string(probe_devices[i]));
        if (!probe_query(mon, props, probe_devices[i], "device-list-properties", args, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
probe_all(QemuMonitor *mon, json_object *replies, GError **error)
{
    static const char *const plain[] = {
        "query-version", "query-target", "query-kvm", "query-machines",
        "query-cpu-definitions", "query-commands", "query-qmp-schema", NULL,
    };
    json_object *args;

    if (!qemu_monitor_wait_ready_sync(mon, PROBE_COMMAND_TIMEOUT_MS, error))
        return FALSE;
    for (guint i = 0; plain[i]; i++)
        if (!probe_query(mon, replies, plain[i], plain[i], NULL, error))
            return FALSE;
    args = json_object_new_object();
    json_object_object_add(args, "implements", json_object_new_string("device"));
    json_object_object_add(args, "abstract", json_object_new_boolean(FALSE));
    if (!probe_query(mon, replies, "qom-list-types", "qom-list-types", args, error))
        return FALSE;
    return probe_device_props(mon, replies, error);
}

json_object *
qemu_caps_probe_record(const char *binary, gboolean kvm_device, GError **error)
{
    /* With a usable /dev/kvm ask for KVM so that query-kvm and the CPU
     * models describe it; QEMU falls back to TCG when KVM fails. */
    const char *const args_kvm[] = { "-machine", "none", "-accel", "kvm", "-accel", "tcg", NULL };
    const char *const args_tcg[] = { "-machine", "none", "-accel", "tcg", NULL };
    g_autoptr(GMainContext) ctx = g_main_context_new();
    g_autoptr(QemuProbeProcess) proc = NULL;
    g_autoptr(json_object) record = json_object_new_object();
    json_object *replies = json_object_new_object();
    g_autoptr(GError) err = NULL;
    gint64 t0 = g_get_monotonic_time();

    json_object_object_add(record, "replies", replies);
    json_object_object_add(record, "kvm-device", json_object_new_boolean(kvm_device));
    proc = qemu_probe_process_start(binary, kvm_device ? args_kvm : args_tcg, NULL, ctx, NULL,
                                    NULL, PROBE_START_TIMEOUT_MS, error);
    if (!proc)
        return NULL;
    if (!probe_all(qemu_probe_process_get_monitor(proc), replies, &err)) {
        g_autofree char *log = NULL;
        const CoreErrorExtra *extra = core_error_get_extra(err);

        qemu_probe_process_stop(proc, 0, NULL);
        log = g_strstrip(qemu_probe_process_get_log(proc));
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "probing QEMU '%s' failed: %s%s%s",
                       binary, extra && extra->str2 ? extra->str2 : err->message,
                       *log ? ": " : "", log);
        return NULL;
    }
    qemu_probe_process_stop(proc, 1000, NULL);
    CORE_DEBUG("probed %s in %.0f ms", binary, (g_get_monotonic_time() - t0) / 1000.0);
    return g_steal_pointer(&record);
}

QemuCaps *
qemu_caps_probe(const char *binary, GError **error)
{
    g_autoptr(json_object) record = NULL;
    g_autofree char *why = NULL;
    gboolean kvm = qemu_caps_kvm_device_usable(&why);

    if (!kvm)
        CORE_DEBUG("KVM not usable: %s", why);
    record = qemu_caps_probe_record(binary, kvm, error);
    if (!record)
        return NULL;
    return qemu_caps_new_from_record(binary, record, error);
}

/* ---- parsing the record -------------------------------------------------------- */

static gboolean
bad_record(GError **error, const char *what)
{
    return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "malformed QEMU probe data: %s", what);
}

static json_object *
member(json_object *obj, const char *key, json_type type)
{
    json_object *v = NULL;

    if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &v) ||
        !json_object_is_type(v, type))
        return NULL;
    return v;
}

static const char *
opt_string(json_object *obj, const char *key)
{
    json_object *v = member(obj, key, json_type_string);

    return v ? json_object_get_string(v) : NULL;
}

static gboolean
opt_bool(json_object *obj, const char *key)
{
    json_object *v = member(obj, key, json_type_boolean);

    return v && json_object_get_boolean(v);
}

static void
machine_free(gpointer p)
{
    QemuCapsMachine *m = p;

    g_free(m->name);
    g_free(m->alias);
    g_free(m->default_cpu_type);
    g_free(m);
}

static void
cpu_model_free(gpointer p)
{
    QemuCapsCpuModel *c = p;

    g_free(c->name);
    g_free(c->type_name);
    g_free(c);
}

static gboolean
parse_version(QemuCaps *caps, json_object *replies, GError **error)
{
    json_object *ver = member(replies, "query-version", json_type_object);
    json_object *q = member(ver, "qemu", json_type_object);
    json_object *maj = member(q, "major", json_type_int);
    json_object *min = member(q, "minor", json_type_int);
    json_object *mic = member(q, "micro", json_type_int);
    const char *arch = opt_string(member(replies, "query-target", json_type_object), "arch");
    json_object *kvm = member(replies, "query-kvm", json_type_object);

    if (!maj || !min || !mic || json_object_get_int(maj) < 0 || json_object_get_int(min) < 0 ||
        json_object_get_int(mic) < 0 || json_object_get_int(min) > 999 ||
        json_object_get_int(mic) > 999)
        return bad_record(error, "query-version");
    caps->version = (unsigned)json_object_get_int(maj) * 1000000u +
                    (unsigned)json_object_get_int(min) * 1000u + (unsigned)json_object_get_int(mic);
    caps->package = g_strdup(opt_string(ver, "package") ? opt_string(ver, "package") : "");
    if (!arch || !*arch)
        return bad_record(error, "query-target");
    caps->arch = g_strdup(arch);
    if (!member(kvm, "present", json_type_boolean) || !member(kvm, "enabled", json_type_boolean))
        return bad_record(error, "query-kvm");
    caps->kvm_present = opt_bool(kvm, "present");
    caps->kvm_enabled = opt_bool(kvm, "enabled");
    return TRUE;
}

static gboolean
parse_machines(QemuCaps *caps, json_object *replies, GError **error)
{
    json_object *list = member(replies, "query-machines", json_type_array);

    if (!list)
        return bad_record(error, "query-machines");
    caps->machines = g_ptr_array_new_with_free_func(machine_free);
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        json_object *cpus = member(e, "cpu-max", json_type_int);
        QemuCapsMachine *m;

        if (!opt_string(e, "name") || !*opt_string(e, "name"))
            return bad_record(error, "query-machines entry without a name");
        m = g_new0(QemuCapsMachine, 1);
        m->name = g_strdup(opt_string(e, "name"));
        m->alias = g_strdup(opt_string(e, "alias"));
        m->is_default = opt_bool(e, "is-default");
        m->max_cpus = cpus ? json_object_get_int(cpus) : 0;
        m->deprecated = opt_bool(e, "deprecated");
        m->default_cpu_type = g_strdup(opt_string(e, "default-cpu-type"));
        g_ptr_array_add(caps->machines, m);
    }
    return TRUE;
}

static int
cpu_model_cmp(gconstpointer a, gconstpointer b)
{
    const QemuCapsCpuModel *x = *(QemuCapsCpuModel *const *)a;
    const QemuCapsCpuModel *y = *(QemuCapsCpuModel *const *)b;

    return strcmp(x->name, y->name);
}

static gboolean
parse_cpu_models(QemuCaps *caps, json_object *replies, GError **error)
{
    json_object *list = member(replies, "query-cpu-definitions", json_type_array);

    if (!list)
        return bad_record(error, "query-cpu-definitions");
    caps->cpu_models = g_ptr_array_new_with_free_func(cpu_model_free);
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i);
        json_object *unavail = member(e, "unavailable-features", json_type_array);
        QemuCapsCpuModel *c;

        if (!opt_string(e, "name") || !*opt_string(e, "name"))
            return bad_record(error, "query-cpu-definitions entry without a name");
        c = g_new0(QemuCapsCpuModel, 1);
        c->name = g_strdup(opt_string(e, "name"));
        c->type_name = g_strdup(opt_string(e, "typename"));
        c->usable = unavail && json_object_array_length(unavail) == 0;
        c->deprecated = opt_bool(e, "deprecated");
        c->migration_safe = opt_bool(e, "migration-safe");
        g_ptr_array_add(caps->cpu_models, c);
    }
    g_ptr_array_sort(caps->cpu_models, cpu_model_cmp);
    return TRUE;
}

/* A set of the "name" members of the objects in @list. */
static GHashTable *
name_set(json_object *list, const char *what, GError **error)
{
    g_autoptr(GHashTable) set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    if (!list) {
        bad_record(error, what);
        return NULL;
    }
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        const char *name = opt_string(json_object_array_get_idx(list, i), "name");

        if (!name) {
            bad_record(error, what);
            return NULL;
        }
        g_hash_table_add(set, g_strdup(name));
    }
    return g_steal_pointer(&set);
}

static gboolean
parse_sets(QemuCaps *caps, json_object *replies, GError **error)
{
    json_object *props = member(replies, "device-list-properties", json_type_object);

    if (!(caps->commands = name_set(member(replies, "query-commands", json_type_array),
                                    "query-commands", error)))
        return FALSE;
    if (!(caps->devices = name_set(member(replies, "qom-list-types", json_type_array),
                                   "qom-list-types", error)))
        return FALSE;
    caps->device_props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify)g_hash_table_unref);
    if (!props)
        return bad_record(error, "device-list-properties");
    json_object_object_foreach(props, dev, list) {
        GHashTable *set = name_set(json_object_is_type(list, json_type_array) ? list : NULL,
                                   "device-list-properties", error);

        if (!set)
            return FALSE;
        g_hash_table_insert(caps->device_props, g_strdup(dev), set);
    }
    return TRUE;
}

QemuCaps *
qemu_caps_new_from_record(const char *binary, json_object *record, GError **error)
{
    g_autoptr(QemuCaps) caps = g_new0(QemuCaps, 1);
    json_object *replies = member(record, "replies", json_type_object);
    json_object *kvmdev = member(record, "kvm-device", json_type_boolean);

    g_atomic_ref_count_init(&caps->ref);
    caps->binary = g_strdup(binary);
    caps->record = json_object_get(record);
    if (!replies || !kvmdev) {
        bad_record(error, "no replies");
        return NULL;
    }
    caps->kvm_device = json_object_get_boolean(kvmdev);
    if (!parse_version(caps, replies, error) || !parse_machines(caps, replies, error) ||
        !parse_cpu_models(caps, replies, error) || !parse_sets(caps, replies, error))
        return NULL;
    caps->schema = qemu_schema_new(member(replies, "query-qmp-schema", json_type_array), error);
    if (!caps->schema)
        return NULL;
    return g_steal_pointer(&caps);
}

QemuCaps *
qemu_caps_ref(QemuCaps *caps)
{
    g_atomic_ref_count_inc(&caps->ref);
    return caps;
}

void
qemu_caps_unref(QemuCaps *caps)
{
    if (!caps || !g_atomic_ref_count_dec(&caps->ref))
        return;
    g_free(caps->binary);
    if (caps->record)
        json_object_put(caps->record);
    g_free(caps->package);
    g_free(caps->arch);
    g_clear_pointer(&caps->machines, g_ptr_array_unref);
    g_clear_pointer(&caps->cpu_models, g_ptr_array_unref);
    g_clear_pointer(&caps->commands, g_hash_table_unref);
    g_clear_pointer(&caps->devices, g_hash_table_unref);
    g_clear_pointer(&caps->device_props, g_hash_table_unref);
    g_clear_pointer(&caps->schema, qemu_schema_free);
    g_free(caps);
}

/* ---- accessors ------------------------------------------------------------------ */

json_object *
qemu_caps_get_record(QemuCaps *caps)
{
    return caps->record;
}

const char *
qemu_caps_get_binary(QemuCaps *caps)
{
    return caps->binary;
}

unsigned
qemu_caps_get_version(QemuCaps *caps)
{
    return caps->version;
}

const char *
qemu_caps_get_package(QemuCaps *caps)
{
    return caps->package;
}

const char *
qemu_caps_get_arch(QemuCaps *caps)
{
    return caps->arch;
}

gboolean
qemu_caps_has_command(QemuCaps *caps, const char *command)
{
    return g_hash_table_contains(caps->commands, command);
}

gboolean
qemu_caps_has_event(QemuCaps *caps, const char *event)
{
    return qemu_schema_has_event(caps->schema, event);
}

gboolean
qemu_caps_has_device(QemuCaps *caps, const char *device_type)
{
    return g_hash_table_contains(caps->devices, device_type);
}

gboolean
qemu_caps_device_props_known(QemuCaps *caps, const char *device_type)
{
    return g_hash_table_contains(caps->device_props, device_type);
}

gboolean
qemu_caps_device_has_prop(QemuCaps *caps, const char *device_type, const char *prop)
{
    GHashTable *set = g_hash_table_lookup(caps->device_props, device_type);

    return set && g_hash_table_contains(set, prop);
}

GPtrArray *
qemu_caps_get_machines(QemuCaps *caps)
{
    return caps->machines;
}

const QemuCapsMachine *
qemu_caps_find_machine(QemuCaps *caps, const char *name)
{
    for (guint i = 0; i < caps->machines->len; i++) {
        const QemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (g_strcmp0(m->name, name) == 0)
            return m;
    }
    for (guint i = 0; i < caps->machines->len; i++) {
        const QemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (m->alias && g_strcmp0(m->alias, name) == 0)
            return m;
    }
    return NULL;
}

const QemuCapsMachine *
qemu_caps_get_default_machine(QemuCaps *caps)
{
    for (guint i = 0; i < caps->machines->len; i++) {
        const QemuCapsMachine *m = g_ptr_array_index(caps->machines, i);

        if (m->is_default)
            return m;
    }
    return NULL;
}

const char *
qemu_caps_canonical_machine(QemuCaps *caps, const char *name)
{
    const QemuCapsMachine *m = qemu_caps_find_machine(caps, name);

    return m ? m->name : NULL;
}

GPtrArray *
qemu_caps_get_cpu_models(QemuCaps *caps)
{
    return caps->cpu_models;
}

const QemuCapsCpuModel *
qemu_caps_find_cpu_model(QemuCaps *caps, const char *name)
{
    QemuCapsCpuModel key = { .name = (char *)name };
    const QemuCapsCpuModel *pkey = &key;
    QemuCapsCpuModel **hit;

    if (!name || caps->cpu_models->len == 0)
        return NULL;
    hit = bsearch(&pkey, caps->cpu_models->pdata, caps->cpu_models->len, sizeof(gpointer),
                  cpu_model_cmp);
    return hit ? *hit : NULL;
}

gboolean
qemu_caps_kvm_present(QemuCaps *caps)
{
    return caps->kvm_present;
}

gboolean
qemu_caps_kvm_enabled(QemuCaps *caps)
{
    return caps->kvm_enabled;
}

gboolean
qemu_caps_kvm_usable(QemuCaps *caps)
{
    return caps->kvm_present && caps->kvm_enabled && caps->kvm_device;
}

gboolean
qemu_caps_check_virt_type(QemuCaps *caps, const char *virt_type, GError **error)
{
    if (g_strcmp0(virt_type, "qemu") == 0)
        return TRUE;
    if (g_strcmp0(virt_type, "kvm") != 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "emulator '%s' does not support virt type '%s'", caps->binary,
                              virt_type ? virt_type : "");
    if (!qemu_caps_kvm_usable(caps))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "domain requires KVM, but it is not available for '%s' "
                              "(KVM %s, /dev/kvm %s)",
                              caps->binary,
                              !caps->kvm_present ? "not compiled in"
                                  : caps->kvm_enabled ? "enabled" : "not enabled",
                              caps->kvm_device ? "usable" : "not usable");
    return TRUE;
}

QemuSchema *
qemu_caps_get_schema(QemuCaps *caps)
{
    return caps->schema;
}
