/* qemu-command-net: <interface> as a -netdev backend plus a NIC -device.
 *
 * Tap backends (types network, bridge, ethernet) get the fd of a tap the
 * network side opened and passes to QEMU; QEMU never opens taps itself
 * (it runs without the privileges for it). */
#include "core-error.h"
#include "qemu-alias.h"
#include "qemu-command-priv.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

/* <model type> to QEMU's device; unknown models are looked up as is. */
static const char *
nic_driver(QemuCmd *cmd, const char *model)
{
    if (!model)
        return qemu_caps_has_device(cmd->caps, "rtl8139") ? "rtl8139" : "e1000";
    if (g_str_equal(model, "virtio"))
        return "virtio-net-pci";
    return model;
}

static gboolean
build_netdev(QemuCmd *cmd, const CoreDomainNetDef *net, guint index, const char *id,
             GError **error)
{
    const QemuCommandPaths *paths = cmd->paths;
    json_object *nd;

    if (g_str_equal(net->type, "user")) {
        nd = json_object_new_object();
        qemu_json_str(nd, "type", "user");
        qemu_json_str(nd, "id", id);
        qemu_cmd_opt_json(cmd, "-netdev", nd);
        return TRUE;
    }
    if (!g_str_equal(net->type, "network") && !g_str_equal(net->type, "bridge") &&
        !g_str_equal(net->type, "ethernet"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "interface type '%s' is not supported", net->type);
    if (!paths->net_fds || index >= paths->n_net_fds || paths->net_fds[index] < 0)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                              "no tap file descriptor for interface %u (type '%s')", index,
                              net->type);
    nd = json_object_new_object();
    qemu_json_str(nd, "type", "tap");
    {
        g_autofree char *fd = g_strdup_printf("%d", paths->net_fds[index]);

        qemu_json_str(nd, "fd", fd);
    }
    qemu_json_str(nd, "id", id);
    qemu_cmd_opt_json(cmd, "-netdev", nd);
    return TRUE;
}

static gboolean
build_net(QemuCmd *cmd, const CoreDomainNetDef *net, guint index, GError **error)
{
    g_autofree char *hostid = qemu_alias_indexed("hostnet", index);
    g_autofree char *id = qemu_alias_indexed("net", index);
    const char *driver = nic_driver(cmd, net->model);
    char mac[18];
    json_object *dev;

    if (net->mtu && !g_str_equal(driver, "virtio-net-pci"))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "setting MTU is only supported with the virtio model "
                              "(interface %u)", index);
    if (!(dev = qemu_cmd_device_new(cmd, driver, error)))
        return FALSE;
    if (!build_netdev(cmd, net, index, hostid, error)) {
        json_object_put(dev);
        return FALSE;
    }
    if (net->mtu)
        qemu_json_int(dev, "host_mtu", net->mtu);
    qemu_json_str(dev, "netdev", hostid);
    qemu_json_str(dev, "mac", core_domain_mac_format(net->mac, mac));
    return qemu_cmd_device_add(cmd, dev, id, &net->info, cmd->boot_net[index], error);
}

gboolean
qemu_command_build_nets(QemuCmd *cmd, GError **error)
{
    for (guint i = 0; i < cmd->priv->nets->len; i++) {
        if (!build_net(cmd, g_ptr_array_index(cmd->priv->nets, i), i, error))
            return FALSE;
    }
    return TRUE;
}
