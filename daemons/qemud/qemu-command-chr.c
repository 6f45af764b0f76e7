/* qemu-command-chr: <serial>, <console> and <channel> as a -chardev
 * backend plus the device the guest sees. */
#include "core-error.h"
#include "qemu-alias.h"
#include "qemu-command-priv.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

/* -chardev for @chr with id @id; @default_path for a unix socket without
 * a path (NULL: one is required). */
static gboolean
build_chardev(QemuCmd *cmd, const CoreDomainChrDef *chr, const char *id,
              const char *default_path, GError **error)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    const char *type = chr->type;
    const char *path = chr->source_path;
    const char *backend;

    if (g_str_equal(type, "pty") || g_str_equal(type, "null"))
        backend = type;
    else if (g_str_equal(type, "file") || g_str_equal(type, "pipe"))
        backend = type;
    else if (g_str_equal(type, "dev"))
        backend = "tty";
    else if (g_str_equal(type, "unix"))
        backend = "socket";
    else
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "character device type '%s' is not supported (device '%s')", type,
                              id);
    if (g_str_equal(type, "unix") && !path)
        path = default_path;
    g_string_append_printf(buf, "%s,id=%s", backend, id);
    if (!g_str_equal(type, "pty") && !g_str_equal(type, "null")) {
        if (!path)
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "character device '%s' of type '%s' needs a source path", id,
                                  type);
        g_string_append(buf, ",path=");
        qemu_cmd_buf_escaped(buf, path);
    }
    if (g_str_equal(type, "file") && chr->source_append)
        g_string_append_printf(buf, ",append=%s", chr->source_append);
    if (g_str_equal(type, "unix") && g_strcmp0(chr->source_mode, "connect") != 0)
        g_string_append(buf, ",server=on,wait=off");
    qemu_cmd_opt(cmd, "-chardev", buf->str);
    return TRUE;
}

static gboolean
build_serial(QemuCmd *cmd, const CoreDomainChrDef *chr, guint i, GError **error)
{
    g_autofree char *id = qemu_alias_indexed("serial", i);
    g_autofree char *chardev = qemu_alias_indexed("charserial", i);
    const char *target = chr->target_type ? chr->target_type : "isa-serial";
    const char *driver;
    json_object *dev;

    if (g_str_equal(target, "isa-serial"))
        driver = "isa-serial";
    else if (g_str_equal(target, "pci-serial"))
        driver = "pci-serial";
    else
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "serial target type '%s' is not supported", target);
    if (!build_chardev(cmd, chr, chardev, NULL, error) ||
        !(dev = qemu_cmd_device_new(cmd, driver, error)))
        return FALSE;
    qemu_json_str(dev, "chardev", chardev);
    if (g_str_equal(driver, "isa-serial"))
        qemu_json_int(dev, "index", chr->target_port >= 0 ? chr->target_port : (int)i);
    return qemu_cmd_device_add(cmd, dev, id, &chr->info, 0, error);
}

/* Places a virtio-serial port from its address, or on the first bus. */
static gboolean
virtio_serial_place(json_object *dev, const CoreDomainChrDef *chr, const char *id,
                    GError **error)
{
    const CoreDomainAddress *addr = chr->info.address;
    g_autofree char *bus = NULL;
    const char *port;

    if (addr && !g_str_equal(addr->type, "virtio-serial"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "address type '%s' is not supported for device '%s'", addr->type,
                              id);
    bus = g_strdup_printf("virtio-serial%s.%s",
                          qemu_cmd_address_field(addr, "controller")
                              ? qemu_cmd_address_field(addr, "controller") : "0",
                          qemu_cmd_address_field(addr, "bus")
                              ? qemu_cmd_address_field(addr, "bus") : "0");
    qemu_json_str(dev, "bus", bus);
    port = qemu_cmd_address_field(addr, "port");
    if (port)
        qemu_json_int(dev, "nr", (gint64)g_ascii_strtoull(port, NULL, 10));
    return TRUE;
}

static gboolean
build_virtio_port(QemuCmd *cmd, const CoreDomainChrDef *chr, const char *driver,
                  const char *prefix, guint i, GError **error)
{
    g_autofree char *id = qemu_alias_indexed(prefix, i);
    g_autofree char *charprefix = g_strconcat("char", prefix, NULL);
    g_autofree char *chardev = qemu_alias_indexed(charprefix, i);
    g_autofree char *dflt = chr->target_name ? g_build_filename(cmd->paths->run_dir,
                                                                chr->target_name, NULL)
                                             : NULL;
    json_object *dev;

    if (!build_chardev(cmd, chr, chardev, dflt, error) ||
        !(dev = qemu_cmd_device_new(cmd, driver, error)))
        return FALSE;
    if (!virtio_serial_place(dev, chr, id, error)) {
        json_object_put(dev);
        return FALSE;
    }
    qemu_json_str(dev, "chardev", chardev);
    if (chr->target_name)
        qemu_json_str(dev, "name", chr->target_name);
    return qemu_cmd_device_add(cmd, dev, id, NULL, 0, error);
}

gboolean
qemu_command_build_chrs(QemuCmd *cmd, GError **error)
{
    const CoreDomainDefPriv *priv = cmd->priv;

    for (guint i = 0; i < priv->serials->len; i++) {
        if (!build_serial(cmd, g_ptr_array_index(priv->serials, i), i, error))
            return FALSE;
    }
    for (guint i = 0; i < priv->consoles->len; i++) {
        const CoreDomainChrDef *con = g_ptr_array_index(priv->consoles, i);
        const char *target = con->target_type ? con->target_type : "serial";

        /* the first console of type serial is the first serial port itself */
        if (i == 0 && g_str_equal(target, "serial") && priv->serials->len > 0)
            continue;
        if (!g_str_equal(target, "virtio"))
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "console target type '%s' is not supported here", target);
        if (!build_virtio_port(cmd, con, "virtconsole", "console", i, error))
            return FALSE;
    }
    for (guint i = 0; i < priv->channels->len; i++) {
        const CoreDomainChrDef *ch = g_ptr_array_index(priv->channels, i);

        if (g_strcmp0(ch->target_type, "virtio") != 0)
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "channel target type '%s' is not supported",
                                  ch->target_type ? ch->target_type : "");
        if (!build_virtio_port(cmd, ch, "virtserialport", "channel", i, error))
            return FALSE;
    }
    return TRUE;
}
