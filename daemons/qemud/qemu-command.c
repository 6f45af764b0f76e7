/* qemu-command: the general options (machine, CPU, memory, monitor, clock,
 * boot) and the command as a whole; devices are in qemu-command-*.c. */
#include "qemu-command.h"

#include <string.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-uuid.h"
#include "qemu-alias.h"
#include "qemu-command-priv.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

/* QEMU's PATH: fixed, so the command does not depend on the daemon's. */
#define QEMU_COMMAND_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

/* ---- argv helpers ---- */

void
qemu_cmd_arg(QemuCmd *cmd, const char *arg)
{
    g_ptr_array_add(cmd->args, g_strdup(arg));
}

void
qemu_cmd_opt(QemuCmd *cmd, const char *opt, const char *value)
{
    qemu_cmd_arg(cmd, opt);
    qemu_cmd_arg(cmd, value);
}

void
qemu_cmd_optf(QemuCmd *cmd, const char *opt, const char *fmt, ...)
{
    va_list ap;

    qemu_cmd_arg(cmd, opt);
    va_start(ap, fmt);
    g_ptr_array_add(cmd->args, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

void
qemu_cmd_opt_json(QemuCmd *cmd, const char *opt, json_object *obj)
{
    qemu_cmd_opt(cmd, opt,
                 json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(obj);
}

void
qemu_cmd_buf_escaped(GString *buf, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(buf, ',');
        g_string_append_c(buf, *p);
    }
}

void
qemu_json_str(json_object *obj, const char *key, const char *value)
{
    json_object_object_add(obj, key, json_object_new_string(value));
}

void
qemu_json_int(json_object *obj, const char *key, gint64 value)
{
    json_object_object_add(obj, key, json_object_new_int64(value));
}

void
qemu_json_bool(json_object *obj, const char *key, gboolean value)
{
    json_object_object_add(obj, key, json_object_new_boolean(value));
}

gboolean
qemu_cmd_no_device(GError **error, const char *driver)
{
    return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                          "this QEMU binary does not support device '%s'", driver);
}

json_object *
qemu_cmd_device_new(QemuCmd *cmd, const char *driver, GError **error)
{
    json_object *dev;

    if (!qemu_caps_has_device(cmd->caps, driver)) {
        qemu_cmd_no_device(error, driver);
        return NULL;
    }
    dev = json_object_new_object();
    qemu_json_str(dev, "driver", driver);
    return dev;
}

const char *
qemu_cmd_address_field(const CoreDomainAddress *addr, const char *name)
{
    for (guint i = 0; addr && addr->names[i]; i++) {
        if (g_str_equal(addr->names[i], name))
            return addr->values[i];
    }
    return NULL;
}

/* A PCI address on the root bus: "bus" and "addr" (and multifunction). */
static gboolean
add_pci_address(QemuCmd *cmd, json_object *dev, const CoreDomainAddress *addr, const char *id,
                GError **error)
{
    const char *dom = qemu_cmd_address_field(addr, "domain");
    const char *bus = qemu_cmd_address_field(addr, "bus");
    const char *slot = qemu_cmd_address_field(addr, "slot");
    const char *func = qemu_cmd_address_field(addr, "function");
    const char *multi = qemu_cmd_address_field(addr, "multifunction");
    guint64 s = slot ? g_ascii_strtoull(slot, NULL, 16) : 0;
    guint64 f = func ? g_ascii_strtoull(func, NULL, 16) : 0;

    if ((dom && g_ascii_strtoull(dom, NULL, 16) != 0) ||
        (bus && g_ascii_strtoull(bus, NULL, 16) != 0))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "PCI address of device '%s': only bus 0 of domain 0 is supported",
                              id);
    if (s == 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "PCI address of device '%s': slot 0 is reserved", id);
    qemu_json_str(dev, "bus", cmd->root_bus);
    if (f == 0) {
        g_autofree char *a = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", s);

        qemu_json_str(dev, "addr", a);
    } else {
        g_autofree char *a = g_strdup_printf("0x%" G_GINT64_MODIFIER "x.0x%" G_GINT64_MODIFIER
                                             "x", s, f);

        qemu_json_str(dev, "addr", a);
    }
    if (g_strcmp0(multi, "on") == 0)
        qemu_json_bool(dev, "multifunction", TRUE);
    return TRUE;
}

static gboolean
add_placement(QemuCmd *cmd, json_object *dev, const CoreDomainAddress *addr, const char *id,
              GError **error)
{
    if (!addr)
        return TRUE;
    if (g_str_equal(addr->type, "pci"))
        return add_pci_address(cmd, dev, addr, id, error);
    if (g_str_equal(addr->type, "usb")) {
        const char *bus = qemu_cmd_address_field(addr, "bus");
        const char *port = qemu_cmd_address_field(addr, "port");

        if (bus && !g_str_equal(bus, "0"))
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "USB address of device '%s': only bus 0 is supported", id);
        qemu_json_str(dev, "bus", "usb.0");
        if (port)
            qemu_json_str(dev, "port", port);
        return TRUE;
    }
    return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                          "address type '%s' is not supported for device '%s'", addr->type, id);
}

gboolean
qemu_cmd_device_add(QemuCmd *cmd, json_object *dev, const char *id,
                    const CoreDomainDeviceInfo *info, guint bootindex, GError **error)
{
    g_autoptr(json_object) owned = dev;
    const char *driver = json_object_get_string(json_object_object_get(dev, "driver"));

    qemu_json_str(dev, "id", id);
    if (info && !add_placement(cmd, dev, info->address, id, error))
        return FALSE;
    if (bootindex)
        qemu_json_int(dev, "bootindex", bootindex);
    if (qemu_caps_device_props_known(cmd->caps, driver)) {
        json_object_object_foreach(dev, key, val) {
            (void)val;
            if (g_str_equal(key, "driver") || g_str_equal(key, "id") || g_str_equal(key, "bus"))
                continue;
            if (!qemu_caps_device_has_prop(cmd->caps, driver, key))
                return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                      "this QEMU binary does not support property '%s' of "
                                      "device '%s'", key, driver);
        }
    }
    qemu_cmd_opt_json(cmd, "-device", g_steal_pointer(&owned));
    return TRUE;
}

/* ---- general options ---- */

static gboolean
build_machine(QemuCmd *cmd, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;
    const char *want = cmd->def->os_machine;
    const QemuCapsMachine *dflt = qemu_caps_get_default_machine(cmd->caps);
    const char *machine;
    g_autoptr(GString) buf = g_string_new(NULL);
    static const struct {
        CoreDomainFeature feature;
        const char *prop;
    } onoff[] = {
        { CORE_DOMAIN_FEATURE_VMPORT, "vmport" },
        { CORE_DOMAIN_FEATURE_SMM, "smm" },
    };

    if (!want && dflt)
        want = dflt->name;
    machine = want ? qemu_caps_canonical_machine(cmd->caps, want) : NULL;
    if (!machine)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "Emulator '%s' does not support machine type '%s'",
                              qemu_caps_get_binary(cmd->caps), want ? want : "");
    cmd->machine = machine;
    cmd->q35 = g_str_has_prefix(machine, "pc-q35-");
    if (!cmd->q35 && !g_str_has_prefix(machine, "pc-i440fx-"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "machine type '%s' is not supported: only the pc (i440fx) and "
                              "q35 families are", machine);
    cmd->root_bus = cmd->q35 ? "pcie.0" : "pci.0";
    g_string_append_printf(buf, "%s,usb=off,dump-guest-core=off", machine);
    for (guint i = 0; i < G_N_ELEMENTS(onoff); i++) {
        CoreDomainFeatureState st = priv->features[onoff[i].feature];

        if (st == CORE_DOMAIN_FEATURE_STATE_ON || st == CORE_DOMAIN_FEATURE_STATE_PRESENT)
            g_string_append_printf(buf, ",%s=on", onoff[i].prop);
        else if (st == CORE_DOMAIN_FEATURE_STATE_OFF)
            g_string_append_printf(buf, ",%s=off", onoff[i].prop);
    }
    for (guint i = 0; priv->timers && i < priv->timers->len; i++) {
        const CoreDomainTimerDef *t = g_ptr_array_index(priv->timers, i);

        if (g_str_equal(t->name, "hpet") && g_strcmp0(t->present, "no") == 0)
            g_string_append(buf, ",hpet=off");
    }
    if (priv->features[CORE_DOMAIN_FEATURE_ACPI] == CORE_DOMAIN_FEATURE_STATE_ABSENT ||
        priv->features[CORE_DOMAIN_FEATURE_ACPI] == CORE_DOMAIN_FEATURE_STATE_OFF)
        g_string_append(buf, ",acpi=off");
    qemu_cmd_opt(cmd, "-machine", buf->str);
    return TRUE;
}

/* Features the generator cannot express are refused, not dropped. */
static gboolean
check_features(QemuCmd *cmd, GError **error)
{
    const CoreDomainFeatureState *f = cmd->priv->features;
    static const struct {
        CoreDomainFeature feature;
        const char *name;
    } refused[] = {
        { CORE_DOMAIN_FEATURE_HAP, "hap" },
        { CORE_DOMAIN_FEATURE_VIRIDIAN, "viridian" },
        { CORE_DOMAIN_FEATURE_PRIVNET, "privnet" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
        if (f[refused[i].feature] != CORE_DOMAIN_FEATURE_STATE_ABSENT)
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "domain feature '%s' is not supported", refused[i].name);
    }
    if (f[CORE_DOMAIN_FEATURE_APIC] == CORE_DOMAIN_FEATURE_STATE_OFF || cmd->priv->apic_eoi)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "domain feature 'apic' can only be enabled, without 'eoi'");
    if (f[CORE_DOMAIN_FEATURE_PAE] == CORE_DOMAIN_FEATURE_STATE_OFF)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "domain feature 'pae' can only be enabled");
    if (f[CORE_DOMAIN_FEATURE_PVSPINLOCK] != CORE_DOMAIN_FEATURE_STATE_ABSENT && !cmd->kvm)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "domain feature 'pvspinlock' needs KVM");
    return TRUE;
}

/* QEMU's name for a <cpu><vendor>. */
static const char *
cpu_vendor(const char *vendor)
{
    if (g_str_equal(vendor, "Intel"))
        return "GenuineIntel";
    if (g_str_equal(vendor, "AMD"))
        return "AuthenticAMD";
    return NULL;
}

/* The CPU model part of -cpu ("qemu64", "host", "max"), or NULL for none. */
static gboolean
cpu_model(QemuCmd *cmd, const char **ret, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;
    const char *mode = priv->cpu_mode;

    *ret = NULL;
    if (!mode || !*mode || g_str_equal(mode, "custom")) {
        if (!priv->cpu_model)
            return TRUE;
        if (!qemu_caps_find_cpu_model(cmd->caps, priv->cpu_model))
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "CPU model '%s' is not supported by this QEMU binary",
                                  priv->cpu_model);
        *ret = priv->cpu_model;
    } else if (g_str_equal(mode, "host-passthrough")) {
        if (!cmd->kvm)
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "CPU mode 'host-passthrough' needs a domain of type 'kvm'");
        *ret = "host";
    } else if (g_str_equal(mode, "maximum")) {
        *ret = "max";
    } else {
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "CPU mode '%s' is not supported", mode);
    }
    return TRUE;
}

static gboolean
build_cpu(QemuCmd *cmd, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;
    const CoreDomainFeatureState *f = priv->features;
    g_autoptr(GString) buf = g_string_new(NULL);
    const char *model = NULL;

    if (!cpu_model(cmd, &model, error))
        return FALSE;
    g_string_append(buf, model ? model : "qemu64");
    if (priv->cpu_vendor) {
        const char *v = cpu_vendor(priv->cpu_vendor);

        if (!v)
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "CPU vendor '%s' is not supported", priv->cpu_vendor);
        g_string_append_printf(buf, ",vendor=%s", v);
    }
    if (g_strcmp0(priv->cpu_migratable, "off") == 0 && g_strcmp0(model, "host") == 0)
        g_string_append(buf, ",migratable=off");
    for (guint i = 0; priv->cpu_features && i < priv->cpu_features->len; i++) {
        const CoreDomainCpuFeature *feat = g_ptr_array_index(priv->cpu_features, i);
        gboolean off = g_strcmp0(feat->policy, "disable") == 0 ||
                       g_strcmp0(feat->policy, "forbid") == 0;

        g_string_append_printf(buf, ",%s=%s", feat->name, off ? "off" : "on");
    }
    if (f[CORE_DOMAIN_FEATURE_PMU] != CORE_DOMAIN_FEATURE_STATE_ABSENT)
        g_string_append_printf(buf, ",pmu=%s",
                               f[CORE_DOMAIN_FEATURE_PMU] == CORE_DOMAIN_FEATURE_STATE_OFF ? "off"
                                                                                           : "on");
    if (f[CORE_DOMAIN_FEATURE_PVSPINLOCK] != CORE_DOMAIN_FEATURE_STATE_ABSENT)
        g_string_append_printf(buf, ",kvm-pv-unhalt=%s",
                               f[CORE_DOMAIN_FEATURE_PVSPINLOCK] == CORE_DOMAIN_FEATURE_STATE_OFF
                                   ? "off" : "on");
    /* QEMU's default model needs no option unless something modifies it */
    if (model || !g_str_equal(buf->str, "qemu64"))
        qemu_cmd_opt(cmd, "-cpu", buf->str);
    return TRUE;
}

static gboolean
build_smp(QemuCmd *cmd, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;
    const QemuCapsMachine *m = qemu_caps_find_machine(cmd->caps, cmd->machine);
    guint vcpus = cmd->def->vcpus;
    guint current = priv->vcpus_current ? priv->vcpus_current : vcpus;
    guint sockets = priv->cpu_sockets ? priv->cpu_sockets : vcpus;
    guint dies = priv->cpu_dies ? priv->cpu_dies : 1;
    guint cores = priv->cpu_cores ? priv->cpu_cores : 1;
    guint threads = priv->cpu_threads ? priv->cpu_threads : 1;
    g_autoptr(GString) buf = g_string_new(NULL);

    if (vcpus == 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "a domain needs at least one vcpu");
    if (m && m->max_cpus > 0 && vcpus > (guint)m->max_cpus)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "Maximum CPUs greater than specified machine type limit %d",
                              m->max_cpus);
    if ((guint64)sockets * dies * cores * threads != vcpus)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "CPU topology doesn't match maximum vcpu count");
    g_string_append_printf(buf, "%u", current);
    if (current != vcpus)
        g_string_append_printf(buf, ",maxcpus=%u", vcpus);
    g_string_append_printf(buf, ",sockets=%u", sockets);
    if (dies > 1)
        g_string_append_printf(buf, ",dies=%u", dies);
    g_string_append_printf(buf, ",cores=%u,threads=%u", cores, threads);
    qemu_cmd_opt(cmd, "-smp", buf->str);
    return TRUE;
}

/* The -rtc option and the TZ of QEMU, from <clock> and its rtc timer. */
static gboolean
build_clock(QemuCmd *cmd, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;
    const char *offset = priv->clock_offset ? priv->clock_offset : "utc";
    g_autoptr(GString) buf = g_string_new("base=");

    if (priv->clock_adjustment && !g_str_equal(priv->clock_adjustment, "reset") &&
        !g_str_equal(priv->clock_adjustment, "0"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "clock adjustment '%s' is not supported", priv->clock_adjustment);
    if (g_str_equal(offset, "utc") || g_str_equal(offset, "localtime")) {
        g_string_append(buf, offset);
    } else if (g_str_equal(offset, "timezone") && priv->clock_timezone) {
        g_string_append(buf, "localtime");
        g_ptr_array_add(cmd->env, g_strdup_printf("TZ=%s", priv->clock_timezone));
    } else if (g_str_equal(offset, "absolute") && priv->clock_start) {
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(
            (gint64)g_ascii_strtoull(priv->clock_start, NULL, 10));
        g_autofree char *s = dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S") : NULL;

        if (!s)
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "clock start '%s' is out of range", priv->clock_start);
        g_string_append(buf, s);
    } else {
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "clock offset '%s' is not supported", offset);
    }
    for (guint i = 0; priv->timers && i < priv->timers->len; i++) {
        const CoreDomainTimerDef *t = g_ptr_array_index(priv->timers, i);

        if (!g_str_equal(t->name, "rtc"))
            continue;
        if (g_strcmp0(t->track, "guest") == 0)
            g_string_append(buf, ",clock=vm");
        else if (g_strcmp0(t->track, "wall") == 0)
            g_string_append(buf, ",clock=host");
        else if (g_strcmp0(t->track, "realtime") == 0)
            g_string_append(buf, ",clock=rt");
        if (g_strcmp0(t->tickpolicy, "catchup") == 0)
            g_string_append(buf, ",driftfix=slew");
    }
    qemu_cmd_opt(cmd, "-rtc", buf->str);
    return TRUE;
}

/* Timers: rtc (in -rtc), hpet (in -machine), pit; others are refused. */
static gboolean
build_timers(QemuCmd *cmd, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;

    for (guint i = 0; priv->timers && i < priv->timers->len; i++) {
        const CoreDomainTimerDef *t = g_ptr_array_index(priv->timers, i);
        const char *tp = t->tickpolicy;

        if (g_str_equal(t->name, "hpet") && !tp)
            continue;
        if (g_str_equal(t->name, "rtc") && g_strcmp0(t->present, "no") != 0 &&
            (!tp || g_str_equal(tp, "catchup") || g_str_equal(tp, "delay")) &&
            (!t->track || !g_str_equal(t->track, "boot")))
            continue;
        if (g_str_equal(t->name, "pit") && g_strcmp0(t->present, "no") != 0 &&
            (!tp || g_str_equal(tp, "delay"))) {
            /* TCG's emulated PIT delays lost ticks by itself */
            if (tp && cmd->kvm)
                qemu_cmd_opt(cmd, "-global", "kvm-pit.lost_tick_policy=delay");
            continue;
        }
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "timer '%s' with these settings is not supported", t->name);
    }
    return TRUE;
}

static gboolean
build_lifecycle(QemuCmd *cmd, GError **error)
{
    CoreDomainLifecycleAction reboot = cmd->priv->on_reboot;

    /* guest power-off stops QEMU without exiting: the daemon applies on_poweroff */
    qemu_cmd_arg(cmd, "-no-shutdown");
    if (reboot == CORE_DOMAIN_LIFECYCLE_DESTROY)
        qemu_cmd_opt(cmd, "-action", "reboot=shutdown");
    else if (reboot != CORE_DOMAIN_LIFECYCLE_RESTART)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "on_reboot action '%s' is not supported",
                              core_domain_lifecycle_to_string(reboot));
    return TRUE;
}

/* <os><boot dev> becomes per-device boot indexes (the first disk, cdrom,
 * interface of each kind in the listed order), as -boot strict=on wants. */
static void
assign_boot_indexes(QemuCmd *cmd)
{
    const CoreDomainDefPriv *priv = cmd->priv;

    for (guint i = 0; i < priv->disks->len; i++)
        cmd->boot_disk[i] = ((CoreDomainDiskDef *)g_ptr_array_index(priv->disks, i))
                                ->info.boot_order;
    for (guint i = 0; i < priv->nets->len; i++)
        cmd->boot_net[i] = ((CoreDomainNetDef *)g_ptr_array_index(priv->nets, i))
                               ->info.boot_order;
    for (guint b = 0; b < priv->n_boot_devs; b++) {
        const char *dev = priv->boot_devs[b];
        const char *kind = g_str_equal(dev, "hd") ? "disk" : g_str_equal(dev, "fd") ? "floppy"
                                                                                      : dev;

        if (g_str_equal(dev, "network")) {
            if (priv->nets->len > 0)
                cmd->boot_net[0] = b + 1;
            continue;
        }
        for (guint i = 0; i < priv->disks->len; i++) {
            const CoreDomainDiskDef *d = g_ptr_array_index(priv->disks, i);

            if (g_strcmp0(d->device, kind) == 0) {
                cmd->boot_disk[i] = b + 1;
                break;
            }
        }
    }
}

static gboolean
build_boot(QemuCmd *cmd, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;
    g_autoptr(GString) buf = g_string_new(NULL);

    if (g_strcmp0(priv->bootmenu_enable, "yes") == 0) {
        g_string_append(buf, "menu=on,");
        if (priv->bootmenu_timeout)
            g_string_append_printf(buf, "splash-time=%s,", priv->bootmenu_timeout);
    } else if (g_strcmp0(priv->bootmenu_enable, "no") == 0) {
        g_string_append(buf, "menu=off,");
    }
    if (priv->bios_reboot_timeout)
        g_string_append_printf(buf, "reboot-timeout=%s,", priv->bios_reboot_timeout);
    g_string_append(buf, "strict=on");
    qemu_cmd_opt(cmd, "-boot", buf->str);
    if (priv->kernel)
        qemu_cmd_opt(cmd, "-kernel", priv->kernel);
    if (priv->initrd)
        qemu_cmd_opt(cmd, "-initrd", priv->initrd);
    if (priv->cmdline)
        qemu_cmd_opt(cmd, "-append", priv->cmdline);
    if (priv->dtb)
        qemu_cmd_opt(cmd, "-dtb", priv->dtb);
    if (g_strcmp0(priv->bios_useserial, "yes") == 0) {
        json_object *sga = qemu_cmd_device_new(cmd, "sga", error);

        if (!sga)
            return FALSE;
        qemu_cmd_opt_json(cmd, "-device", sga);
    }
    return TRUE;
}

static gboolean
build_firmware(QemuCmd *cmd, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;

    if (g_strcmp0(priv->loader_type, "pflash") == 0 || priv->nvram_path ||
        priv->nvram_template || g_strcmp0(priv->loader_secure, "yes") == 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "firmware in pflash (loader type 'pflash', nvram, secure boot) "
                              "is not supported");
    if (priv->loader_path)
        qemu_cmd_opt(cmd, "-bios", priv->loader_path);
    return TRUE;
}

static void
build_name(QemuCmd *cmd)
{
    g_autoptr(GString) name = g_string_new("guest=");

    qemu_cmd_buf_escaped(name, cmd->def->name);
    g_string_append(name, ",debug-threads=on");
    qemu_cmd_opt(cmd, "-name", name->str);
    qemu_cmd_arg(cmd, "-S");
    if (cmd->paths->master_key_path) {
        json_object *key = json_object_new_object();

        qemu_json_str(key, "qom-type", "secret");
        qemu_json_str(key, "id", "masterKey0");
        qemu_json_str(key, "format", "raw");
        qemu_json_str(key, "file", cmd->paths->master_key_path);
        qemu_cmd_opt_json(cmd, "-object", key);
    }
}

static void
build_monitor(QemuCmd *cmd)
{
    g_autoptr(GString) mon = g_string_new("socket,id=charmonitor,path=");

    qemu_cmd_buf_escaped(mon, cmd->paths->monitor_path);
    g_string_append(mon, ",server=on,wait=off");
    qemu_cmd_arg(cmd, "-no-user-config");
    qemu_cmd_arg(cmd, "-nodefaults");
    qemu_cmd_opt(cmd, "-chardev", mon->str);
    qemu_cmd_opt(cmd, "-mon", "chardev=charmonitor,id=monitor,mode=control");
}

static gboolean
check_domain(QemuCmd *cmd, GError **error)
{
    const CoreDomainDef *def = cmd->def;
    const char *arch = qemu_caps_get_arch(cmd->caps);

    if (!qemu_caps_check_virt_type(cmd->caps, def->virt_type, error))
        return FALSE;
    cmd->kvm = g_str_equal(def->virt_type, "kvm");
    if (g_strcmp0(def->os_type, "hvm") != 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "OS type '%s' is not supported by QEMU, only 'hvm'",
                              def->os_type ? def->os_type : "");
    if (def->os_arch && !g_str_equal(def->os_arch, arch))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "architecture '%s' is not supported by this QEMU binary ('%s')",
                              def->os_arch, arch);
    if (def->memory_kib == 0)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "a domain needs some memory");
    return check_features(cmd, error);
}

/* Everything up to the devices, in libvirt's order of options. */
static gboolean
build_general(QemuCmd *cmd, GError **error)
{
    char uuid[CORE_UUID_STRING_BUFLEN];

    build_name(cmd);
    if (!build_machine(cmd, error))
        return FALSE;
    qemu_cmd_opt(cmd, "-accel", cmd->kvm ? "kvm" : "tcg");
    if (!build_firmware(cmd, error) || !build_cpu(cmd, error))
        return FALSE;
    qemu_cmd_optf(cmd, "-m", "size=%" G_GUINT64_FORMAT "k", cmd->def->memory_kib);
    if (!build_smp(cmd, error))
        return FALSE;
    qemu_cmd_opt(cmd, "-uuid", core_uuid_format(cmd->def->uuid, uuid));
    if (cmd->priv->graphics->len == 0)
        qemu_cmd_opt(cmd, "-display", "none");
    build_monitor(cmd);
    if (!build_clock(cmd, error) || !build_timers(cmd, error) || !build_lifecycle(cmd, error))
        return FALSE;
    assign_boot_indexes(cmd);
    return build_boot(cmd, error);
}

static void
build_env(QemuCmd *cmd)
{
    const char *lib = cmd->paths->lib_dir;

    g_ptr_array_add(cmd->env, g_strdup("LC_ALL=C"));
    g_ptr_array_add(cmd->env, g_strdup("PATH=" QEMU_COMMAND_PATH));
    g_ptr_array_add(cmd->env, g_strdup_printf("HOME=%s", lib));
    g_ptr_array_add(cmd->env, g_strdup_printf("XDG_DATA_HOME=%s/.local/share", lib));
    g_ptr_array_add(cmd->env, g_strdup_printf("XDG_CACHE_HOME=%s/.cache", lib));
    g_ptr_array_add(cmd->env, g_strdup_printf("XDG_CONFIG_HOME=%s/.config", lib));
}

static gboolean
check_paths(const QemuCommandPaths *paths, GError **error)
{
    const char *const needed[] = { paths->run_dir, paths->monitor_path, paths->lib_dir };

    for (guint i = 0; i < G_N_ELEMENTS(needed); i++) {
        if (!needed[i] || !g_path_is_absolute(needed[i]))
            return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                                  "the domain's run dir, monitor socket and lib dir must be "
                                  "absolute paths");
    }
    return TRUE;
}

static void
qemu_cmd_clear(QemuCmd *cmd)
{
    g_clear_pointer(&cmd->args, g_ptr_array_unref);
    g_clear_pointer(&cmd->env, g_ptr_array_unref);
    g_clear_pointer(&cmd->boot_disk, g_free);
    g_clear_pointer(&cmd->boot_net, g_free);
}

QemuCommand *
qemu_command_build(const CoreDomainDef *def, QemuCaps *caps, const QemuCommandPaths *paths,
                   guint flags, GError **error)
{
    const CoreDomainDefPriv *priv = core_domain_def_priv(def);
    QemuCmd cmd = {
        .def = def, .priv = priv, .caps = caps, .paths = paths, .flags = flags,
        .args = g_ptr_array_new_with_free_func(g_free),
        .env = g_ptr_array_new_with_free_func(g_free),
        .boot_disk = g_new0(guint, priv->disks->len + 1),
        .boot_net = g_new0(guint, priv->nets->len + 1),
    };
    QemuCommand *ret;
    gboolean ok;

    qemu_cmd_arg(&cmd, priv->emulator ? priv->emulator : qemu_caps_get_binary(caps));
    build_env(&cmd);
    ok = check_paths(paths, error) && check_domain(&cmd, error) && build_general(&cmd, error) &&
         qemu_command_build_controllers(&cmd, error) && qemu_command_build_disks(&cmd, error) &&
         qemu_command_build_nets(&cmd, error) && qemu_command_build_chrs(&cmd, error) &&
         qemu_command_build_graphics(&cmd, error) && qemu_command_build_devices(&cmd, error);
    if (!ok) {
        qemu_cmd_clear(&cmd);
        return NULL;
    }
    if (flags & QEMU_COMMAND_SANDBOX)
        qemu_cmd_opt(&cmd, "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
                                       "resourcecontrol=deny");
    qemu_cmd_opt(&cmd, "-msg", "timestamp=on");
    g_ptr_array_add(cmd.args, NULL);
    g_ptr_array_add(cmd.env, NULL);
    ret = g_new0(QemuCommand, 1);
    ret->argv = (GStrv)g_ptr_array_free(g_steal_pointer(&cmd.args), FALSE);
    ret->env = (GStrv)g_ptr_array_free(g_steal_pointer(&cmd.env), FALSE);
    qemu_cmd_clear(&cmd);
    return ret;
}

void
qemu_command_free(QemuCommand *cmd)
{
    if (!cmd)
        return;
    g_strfreev(cmd->argv);
    g_strfreev(cmd->env);
    g_free(cmd);
}

/* Appends @arg quoted for a POSIX shell when it needs quoting. */
static void
append_quoted(GString *buf, const char *arg)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789-_=,.:/@%+";

    if (*arg && strspn(arg, safe) == strlen(arg)) {
        g_string_append(buf, arg);
        return;
    }
    g_string_append_c(buf, '\'');
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            g_string_append(buf, "'\\''");
        else
            g_string_append_c(buf, *p);
    }
    g_string_append_c(buf, '\'');
}

char *
qemu_command_to_string(const QemuCommand *cmd)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    guint n = g_strv_length(cmd->argv);

    for (guint i = 0; cmd->env && cmd->env[i]; i++) {
        const char *eq = strchr(cmd->env[i], '=');

        if (!eq) {
            append_quoted(buf, cmd->env[i]);
        } else {
            g_string_append_len(buf, cmd->env[i], eq - cmd->env[i] + 1);
            append_quoted(buf, eq + 1);
        }
        g_string_append(buf, " \\\n");
    }
    for (guint i = 0; i < n; i++) {
        append_quoted(buf, cmd->argv[i]);
        if (i > 0 && i + 1 < n && cmd->argv[i + 1][0] != '-') {
            g_string_append_c(buf, ' ');
            append_quoted(buf, cmd->argv[++i]);
        }
        g_string_append(buf, i + 1 < n ? " \\\n" : "\n");
    }
    return g_string_free(g_steal_pointer(&buf), FALSE);
}
