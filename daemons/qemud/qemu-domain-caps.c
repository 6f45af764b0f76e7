/* qemu-domain-caps: <domainCapabilities> of a probed QEMU binary (virsh
 * domcapabilities), laid out as libvirt does; the values come from the
 * probe: machines, CPU models with their usability under the probed
 * accelerator, devices the binary has. */
#include "core-error.h"
#include "core-xml.h"
#include "qemu-domain.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

static void
write_enum(CoreXmlWriter *w, const char *name, const char *const *values)
{
    core_xml_writer_start(w, "enum");
    core_xml_writer_attr(w, "name", name);
    for (guint i = 0; values[i]; i++)
        core_xml_writer_text_element(w, "value", values[i]);
    core_xml_writer_end(w);
}

static void
write_cpu(CoreXmlWriter *w, QemuCaps *caps, gboolean kvm)
{
    GPtrArray *models = qemu_caps_get_cpu_models(caps);

    core_xml_writer_start(w, "cpu");
    core_xml_writer_start(w, "mode");
    core_xml_writer_attr(w, "name", "host-passthrough");
    core_xml_writer_attr(w, "supported", kvm ? "yes" : "no");
    core_xml_writer_end(w);
    core_xml_writer_start(w, "mode");
    core_xml_writer_attr(w, "name", "maximum");
    core_xml_writer_attr(w, "supported", "yes");
    core_xml_writer_end(w);
    core_xml_writer_start(w, "mode");
    core_xml_writer_attr(w, "name", "host-model");
    core_xml_writer_attr(w, "supported", "no");
    core_xml_writer_end(w);
    core_xml_writer_start(w, "mode");
    core_xml_writer_attr(w, "name", "custom");
    core_xml_writer_attr(w, "supported", "yes");
    for (guint i = 0; models && i < models->len; i++) {
        const QemuCapsCpuModel *m = g_ptr_array_index(models, i);

        core_xml_writer_start(w, "model");
        core_xml_writer_attr(w, "usable", m->usable ? "yes" : "no");
        if (m->deprecated)
            core_xml_writer_attr(w, "deprecated", "yes");
        core_xml_writer_end_text(w, m->name);
    }
    core_xml_writer_end(w);
    core_xml_writer_end(w);
}

static void
write_devices(CoreXmlWriter *w, QemuCaps *caps)
{
    static const char *const disk_devs[] = { "disk", "cdrom", "floppy", "lun", NULL };
    static const char *const disk_buses[] = { "ide", "fdc", "scsi", "virtio", "usb", "sata",
                                              NULL };
    static const char *const gfx[] = { "sdl", "vnc", NULL };
    static const char *const video[] = { "vga", "cirrus", "virtio", "none", "bochs",
                                         "ramfb", NULL };

    core_xml_writer_start(w, "devices");
    core_xml_writer_start(w, "disk");
    core_xml_writer_attr(w, "supported", "yes");
    write_enum(w, "diskDevice", disk_devs);
    write_enum(w, "bus", disk_buses);
    core_xml_writer_end(w);
    core_xml_writer_start(w, "graphics");
    core_xml_writer_attr(w, "supported", "yes");
    write_enum(w, "type", gfx);
    core_xml_writer_end(w);
    core_xml_writer_start(w, "video");
    core_xml_writer_attr(w, "supported", "yes");
    write_enum(w, "modelType", video);
    core_xml_writer_end(w);
    core_xml_writer_start(w, "hostdev");
    core_xml_writer_attr(w, "supported", "no");
    core_xml_writer_end(w);
    core_xml_writer_start(w, "rng");
    core_xml_writer_attr(w, "supported", qemu_caps_has_device(caps, "virtio-rng-pci") ?
                         "yes" : "no");
    core_xml_writer_end(w);
    core_xml_writer_end(w);
}

char *
qemu_domain_caps_format(QemuDriver *driver, const char *emulator, const char *arch,
                        const char *machine, const char *virttype, GError **error)
{
    g_autoptr(QemuCaps) caps = qemu_driver_get_caps(driver, emulator, error);
    const QemuCapsMachine *m;
    const char *type = virttype ? virttype : "qemu";
    CoreXmlWriter w;

    if (!caps)
        return NULL;
    if (arch && g_strcmp0(arch, qemu_caps_get_arch(caps)) != 0) {
        core_error_set(error, CORE_ERR_INVALID_ARG,
                       "architecture from emulator '%s' doesn't match given architecture '%s'",
                       qemu_caps_get_arch(caps), arch);
        return NULL;
    }
    if (!qemu_caps_check_virt_type(caps, type, error))
        return NULL;
    m = machine ? qemu_caps_find_machine(caps, machine) : qemu_caps_get_default_machine(caps);
    if (!m) {
        core_error_set(error, CORE_ERR_INVALID_ARG,
                       "the machine '%s' is not supported by emulator '%s'",
                       machine ? machine : "", qemu_caps_get_binary(caps));
        return NULL;
    }
    core_xml_writer_init(&w);
    core_xml_writer_start(&w, "domainCapabilities");
    core_xml_writer_text_element(&w, "path", qemu_caps_get_binary(caps));
    core_xml_writer_text_element(&w, "domain", type);
    core_xml_writer_text_element(&w, "machine", m->name);
    core_xml_writer_text_element(&w, "arch", qemu_caps_get_arch(caps));
    core_xml_writer_start(&w, "vcpu");
    core_xml_writer_attrf(&w, "max", "%d", m->max_cpus > 0 ? m->max_cpus : 1);
    core_xml_writer_end(&w);
    core_xml_writer_start(&w, "iothreads");
    core_xml_writer_attr(&w, "supported", "yes");
    core_xml_writer_end(&w);
    core_xml_writer_start(&w, "os");
    core_xml_writer_attr(&w, "supported", "yes");
    core_xml_writer_end(&w);
    write_cpu(&w, caps, g_str_equal(type, "kvm"));
    write_devices(&w, caps);
    core_xml_writer_end(&w);
    return core_xml_writer_finish(&w);
}
