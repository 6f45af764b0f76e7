/* core-test-default: the objects and host values test:///default starts
 * with, the capabilities document and the fixed sysinfo.
 *
 * The values are libvirt's test driver's (libvirt 9.0): the running domain
 * "test", the NAT network "default", the dir pool "default-pool", a
 * 16-CPU i686 host with two NUMA cells. The objects are written in the form
 * libvirt prints them, so that our models format them back unchanged.
 */
#include "vireo-config.h"

#include <string.h>

#include "core-caps-conf.h"
#include "core-test-driver-priv.h"

const char test_default_node_xml[] =
    "<node>\n"
    "<domain type='test'>\n"
    "  <name>test</name>\n"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "  <memory unit='KiB'>8388608</memory>\n"
    "  <currentMemory unit='KiB'>2097152</currentMemory>\n"
    "  <vcpu placement='static'>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='i686'>hvm</type>\n"
    "    <boot dev='hd'/>\n"
    "  </os>\n"
    "  <clock offset='utc'/>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <on_crash>destroy</on_crash>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/guest/diskimage1'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
    "    </disk>\n"
    "    <interface type='network'>\n"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "      <source network='default'/>\n"
    "      <target dev='testnet0'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"
    "    </interface>\n"
    "    <memballoon model='virtio'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
    "    </memballoon>\n"
    "  </devices>\n"
    "</domain>\n"
    "<network>\n"
    "  <name>default</name>\n"
    "  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\n"
    "  <forward mode='nat'/>\n"
    "  <bridge name='virbr0' stp='on' delay='0'/>\n"
    "  <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
    "    <dhcp>\n"
    "      <range start='192.168.122.2' end='192.168.122.254'/>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "</network>\n"
    "<pool type='dir'>\n"
    "  <name>default-pool</name>\n"
    "  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\n"
    "  <target>\n"
    "    <path>/default-pool</path>\n"
    "  </target>\n"
    "</pool>\n"
    "</node>\n";

/* Host node info every test state starts from; a node file may override
 * each field. */
static const CoreNodeInfo test_default_info = {
    .model = "i686",
    .memory_kib = 3 * 1024 * 1024,
    .cpus = 16,
    .mhz = 1400,
    .nodes = 2,
    .sockets = 2,
    .cores = 2,
    .threads = 2,
};

void
test_default_node(TestState *st, gboolean numa)
{
    st->node = test_default_info;
    if (!numa)
        return;
    st->ncells = 2;
    st->cells = g_new0(TestCell, st->ncells);
    for (int i = 0; i < st->ncells; i++) {
        st->cells[i].ncpus = 8;
        st->cells[i].mem_kib = (guint64)(i + 1) * 2048 * 1024;
        st->cells[i].free_kib = (guint64)(i + 1) * 1024 * 1024;
    }
}

/* Adds @cell as cell @index of @caps, its cpus numbered from @first_cpu.
 * Its memory is reported in ordinary pages, 4 KiB for cell 0 and 8 KiB for
 * the others, and none in the huge sizes, as libvirt's test host does. */
static void
test_caps_add_cell(CoreCaps *caps, const TestCell *cell, int index, int first_cpu)
{
    guint first_size = index == 1 ? 8 : 4;
    CoreCapsCell *c = core_caps_add_cell(caps, index, cell->mem_kib);

    core_caps_cell_add_pages(c, first_size, cell->mem_kib / first_size);
    core_caps_cell_add_pages(c, 2048, 0);
    core_caps_cell_add_pages(c, 1024 * 1024, 0);
    for (int j = 0; j < cell->ncpus; j++) {
        g_autofree char *siblings = g_strdup_printf("%d", first_cpu + j);

        core_caps_cell_add_cpu(c, first_cpu + j, index, 0, j, siblings);
    }
}

char *
test_capabilities_format(const TestState *st)
{
    g_autoptr(CoreCaps) caps = core_caps_new_test_default();
    int first_cpu = 0;

    /* the fixed host and guests, with the cells of @st (a node file's
     * state has none, shown as an empty <cells num='0'>) */
    g_ptr_array_set_size(caps->host.cells, 0);
    for (int i = 0; i < st->ncells; i++) {
        test_caps_add_cell(caps, &st->cells[i], i, first_cpu);
        first_cpu += st->cells[i].ncpus;
    }
    return core_caps_format(caps);
}

const char *
test_sysinfo(void)
{
    return "<sysinfo type='smbios'>\n"
           "  <bios>\n"
           "    <entry name='vendor'>LENOVO</entry>\n"
           "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n"
           "    <entry name='date'>05/07/2014</entry>\n"
           "    <entry name='release'>2.61</entry>\n"
           "  </bios>\n"
           "</sysinfo>\n";
}
