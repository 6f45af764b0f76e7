/* qemu-command-devices: graphics (VNC), video, input, watchdog, memory
 * balloon, random number generators and other single devices. */
#include <string.h>

#include "core-error.h"
#include "qemu-alias.h"
#include "qemu-command-priv.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

/* ---- graphics ---- */

static gboolean
vnc_listen(QemuCmd *cmd, const CoreDomainGraphicsDef *gr, GString *buf, GError **error)
{
    const CoreDomainGraphicsListen *l = gr->listens && gr->listens->len > 0
                                            ? g_ptr_array_index(gr->listens, 0)
                                            : NULL;
    const char *type = l ? l->type : "address";

    if (g_str_equal(type, "none")) {
        g_string_append(buf, "none");
    } else if (g_str_equal(type, "socket")) {
        g_autofree char *path = l->socket ? g_strdup(l->socket)
                                          : g_build_filename(cmd->paths->run_dir, "vnc.sock",
                                                             NULL);

        g_string_append(buf, "unix:");
        qemu_cmd_buf_escaped(buf, path);
    } else if (g_str_equal(type, "address")) {
        const char *addr = l && l->address ? l->address : "127.0.0.1";
        gboolean v6 = strchr(addr, ':') != NULL;

        g_string_append_printf(buf, v6 ? "[%s]" : "%s", addr);
        if (gr->autoport || gr->port < 0)
            /* QEMU takes the first free display from :0 up (the port is
             * read back with query-vnc) */
            g_string_append(buf, ":0,to=100");
        else if (gr->port >= 5900)
            g_string_append_printf(buf, ":%d", gr->port - 5900);
        else
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "VNC port %d is below 5900", gr->port);
        if (gr->websocket > 0)
            g_string_append_printf(buf, ",websocket=%d", gr->websocket);
        else if (gr->websocket < 0)
            g_string_append(buf, ",websocket=on");
    } else {
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "graphics listen type '%s' is not supported", type);
    }
    return TRUE;
}

gboolean
qemu_command_build_graphics(QemuCmd *cmd, GError **error)
{
    const GPtrArray *list = cmd->priv->graphics;
    const CoreDomainGraphicsDef *gr;
    g_autoptr(GString) buf = g_string_new(NULL);
    json_object *audio;

    if (list->len == 0)
        return TRUE;
    gr = g_ptr_array_index(list, 0);
    if (!g_str_equal(gr->type, "vnc"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "graphics type '%s' is not supported", gr->type);
    if (list->len > 1)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "only one graphics device is supported");
    if (!vnc_listen(cmd, gr, buf, error))
        return FALSE;
    /* the password itself is set over QMP, never on the command line */
    if (gr->passwd)
        g_string_append(buf, ",password=on");
    g_string_append(buf, ",audiodev=audio1");
    audio = json_object_new_object();
    qemu_json_str(audio, "id", "audio1");
    qemu_json_str(audio, "driver", "none");
    qemu_cmd_opt_json(cmd, "-audiodev", audio);
    qemu_cmd_opt(cmd, "-vnc", buf->str);
    if (gr->keymap)
        qemu_cmd_opt(cmd, "-k", gr->keymap);
    return TRUE;
}

/* ---- video ---- */

static const char *
video_driver(const CoreDomainVideoDef *v, GError **error)
{
    static const struct {
        const char *model, *primary, *secondary;
    } map[] = {
        { "vga", "VGA", NULL },
        { "cirrus", "cirrus-vga", NULL },
        { "vmvga", "vmware-svga", NULL },
        { "virtio", "virtio-vga", "virtio-gpu-pci" },
        { "qxl", "qxl-vga", "qxl" },
        { "bochs", "bochs-display", "bochs-display" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(map); i++) {
        if (!g_str_equal(map[i].model, v->model))
            continue;
        if (v->primary)
            return map[i].primary;
        if (!map[i].secondary)
            core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                           "video type '%s' is only valid as primary video device", v->model);
        return map[i].secondary;
    }
    core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "video model '%s' is not supported",
                   v->model);
    return NULL;
}

static gboolean
build_video(QemuCmd *cmd, const CoreDomainVideoDef *v, guint i, GError **error)
{
    g_autofree char *id = qemu_alias_indexed("video", i);
    const char *driver;
    json_object *dev;

    if (g_str_equal(v->model, "none"))
        return TRUE;
    if (!(driver = video_driver(v, error)) || !(dev = qemu_cmd_device_new(cmd, driver, error)))
        return FALSE;
    if ((g_str_equal(driver, "VGA") || g_str_equal(driver, "vmware-svga")) && v->vram)
        qemu_json_int(dev, "vgamem_mb", v->vram / 1024);
    if (g_str_has_prefix(driver, "qxl")) {
        if (v->ram)
            qemu_json_int(dev, "ram_size", (gint64)v->ram * 1024);
        if (v->vram)
            qemu_json_int(dev, "vram_size", (gint64)v->vram * 1024);
        if (v->vgamem)
            qemu_json_int(dev, "vgamem_mb", v->vgamem / 1024);
    }
    if (g_str_equal(driver, "bochs-display") && v->vram)
        qemu_json_int(dev, "vgamem", (gint64)v->vram * 1024);
    if (g_str_has_prefix(driver, "virtio-") && v->heads > 1)
        qemu_json_int(dev, "max_outputs", v->heads);
    return qemu_cmd_device_add(cmd, dev, id, &v->info, 0, error);
}

/* ---- input ---- */

static gboolean
build_input(QemuCmd *cmd, const CoreDomainInputDef *in, guint i, GError **error)
{
    static const struct {
        const char *type, *usb, *virtio;
    } map[] = {
        { "tablet", "usb-tablet", "virtio-tablet-pci" },
        { "mouse", "usb-mouse", "virtio-mouse-pci" },
        { "keyboard", "usb-kbd", "virtio-keyboard-pci" },
    };
    g_autofree char *id = qemu_alias_indexed("input", i);
    const char *bus = in->bus ? in->bus : "ps2";
    const char *driver = NULL;
    json_object *dev;

    /* PS/2 mouse and keyboard are part of the pc and q35 chipsets */
    if (g_str_equal(bus, "ps2") &&
        (g_str_equal(in->type, "mouse") || g_str_equal(in->type, "keyboard")))
        return TRUE;
    for (guint k = 0; k < G_N_ELEMENTS(map) && !driver; k++) {
        if (!g_str_equal(map[k].type, in->type))
            continue;
        driver = g_str_equal(bus, "usb") ? map[k].usb
                 : g_str_equal(bus, "virtio") ? map[k].virtio : NULL;
    }
    if (!driver)
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "input device '%s' on bus '%s' is not supported", in->type, bus);
    if (!(dev = qemu_cmd_device_new(cmd, driver, error)))
        return FALSE;
    if (g_str_equal(bus, "usb") && !in->info.address)
        qemu_json_str(dev, "bus", "usb.0");
    return qemu_cmd_device_add(cmd, dev, id, &in->info, 0, error);
}

/* ---- watchdog, balloon, rng ---- */

static gboolean
build_watchdog(QemuCmd *cmd, GError **error)
{
    const CoreDomainWatchdogDef *wd = cmd->priv->watchdog;
    const char *action;
    json_object *dev;

    if (!wd)
        return TRUE;
    if (!g_str_equal(wd->model, "i6300esb") && !g_str_equal(wd->model, "ib700"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "watchdog model '%s' is not supported", wd->model);
    action = wd->action ? wd->action : "reset";
    if (!qemu_schema_command_arg_has_value(qemu_caps_get_schema(cmd->caps), "set-action",
                                           "watchdog", action))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "watchdog action '%s' is not supported", action);
    if (!(dev = qemu_cmd_device_new(cmd, wd->model, error)) ||
        !qemu_cmd_device_add(cmd, dev, "watchdog0", &wd->info, 0, error))
        return FALSE;
    qemu_cmd_optf(cmd, "-action", "watchdog=%s", action);
    return TRUE;
}

static gboolean
build_balloon(QemuCmd *cmd, GError **error)
{
    const CoreDomainMemballoonDef *mb = cmd->priv->memballoon;
    json_object *dev;

    if (!mb || g_str_equal(mb->model, "none"))
        return TRUE;
    if (!g_str_equal(mb->model, "virtio"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "memballoon model '%s' is not supported", mb->model);
    if (!(dev = qemu_cmd_device_new(cmd, "virtio-balloon-pci", error)))
        return FALSE;
    if (g_strcmp0(mb->autodeflate, "on") == 0)
        qemu_json_bool(dev, "deflate-on-oom", TRUE);
    return qemu_cmd_device_add(cmd, dev, "balloon0", &mb->info, 0, error);
}

static gboolean
build_rng(QemuCmd *cmd, const CoreDomainRngDef *rng, guint i, GError **error)
{
    g_autofree char *id = qemu_alias_indexed("rng", i);
    g_autofree char *objid = qemu_alias_indexed("objrng", i);
    const char *backend = rng->backend_model ? rng->backend_model : "random";
    const char *qom = g_str_equal(backend, "random")    ? "rng-random"
                      : g_str_equal(backend, "builtin") ? "rng-builtin" : NULL;
    json_object *obj, *dev;

    if (!g_str_equal(rng->model, "virtio"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "rng model '%s' is not supported", rng->model);
    if (!qom || !qemu_schema_has_object_type(qemu_caps_get_schema(cmd->caps), qom))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "rng backend model '%s' is not supported", backend);
    if (!(dev = qemu_cmd_device_new(cmd, "virtio-rng-pci", error)))
        return FALSE;
    obj = json_object_new_object();
    qemu_json_str(obj, "qom-type", qom);
    qemu_json_str(obj, "id", objid);
    if (g_str_equal(qom, "rng-random"))
        qemu_json_str(obj, "filename", rng->backend_path ? rng->backend_path : "/dev/random");
    qemu_cmd_opt_json(cmd, "-object", obj);
    qemu_json_str(dev, "rng", objid);
    if (rng->rate_bytes) {
        qemu_json_int(dev, "max-bytes", rng->rate_bytes);
        qemu_json_int(dev, "period", rng->rate_period ? rng->rate_period : 1000);
    }
    return qemu_cmd_device_add(cmd, dev, id, &rng->info, 0, error);
}

gboolean
qemu_command_build_devices(QemuCmd *cmd, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;
    CoreDomainFeatureState vmci = priv->features[CORE_DOMAIN_FEATURE_VMCOREINFO];

    for (guint i = 0; i < priv->inputs->len; i++) {
        if (!build_input(cmd, g_ptr_array_index(priv->inputs, i), i, error))
            return FALSE;
    }
    for (guint i = 0; i < priv->videos->len; i++) {
        if (!build_video(cmd, g_ptr_array_index(priv->videos, i), i, error))
            return FALSE;
    }
    if (!build_watchdog(cmd, error) || !build_balloon(cmd, error))
        return FALSE;
    for (guint i = 0; i < priv->rngs->len; i++) {
        if (!build_rng(cmd, g_ptr_array_index(priv->rngs, i), i, error))
            return FALSE;
    }
    if (vmci == CORE_DOMAIN_FEATURE_STATE_PRESENT || vmci == CORE_DOMAIN_FEATURE_STATE_ON) {
        json_object *dev = qemu_cmd_device_new(cmd, "vmcoreinfo", error);

        if (!dev)
            return FALSE;
        qemu_cmd_opt_json(cmd, "-device", dev);
    }
    return TRUE;
}
