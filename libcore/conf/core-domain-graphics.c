/* core-domain-graphics: <graphics>, <video> and <input> devices. */
#define CORE_FROM_THIS CORE_FROM_DOMAIN

#include "core-domain-priv.h"

#include <string.h>

static const char *const graphics_types[] = {
    "sdl", "vnc", "rdp", "desktop", "spice", "egl-headless", "dbus", NULL,
};
static const char *const listen_types[] = { "none", "address", "network", "socket", NULL };
static const char *const video_models[] = {
    "default", "vga", "cirrus", "vmvga", "xen", "vbox", "qxl", "parallels", "virtio", "gop",
    "none", "bochs", "ramfb", NULL,
};
static const char *const input_types[] = {
    "mouse", "tablet", "keyboard", "passthrough", "evdev", NULL,
};
static const char *const input_buses[] = {
    "ps2", "usb", "xen", "parallels", "virtio", "none", NULL,
};

/* ---- graphics ---- */

static void
listen_free(CoreDomainGraphicsListen *l)
{
    g_free(l->type);
    g_free(l->address);
    g_free(l->network);
    g_free(l->socket);
    g_free(l);
}

void
core_domain_graphics_free(CoreDomainGraphicsDef *gr)
{
    if (!gr)
        return;
    g_free(gr->type);
    g_free(gr->keymap);
    g_free(gr->passwd);
    for (guint i = 0; gr->listens && i < gr->listens->len; i++)
        listen_free(g_ptr_array_index(gr->listens, i));
    g_clear_pointer(&gr->listens, g_ptr_array_unref);
    g_free(gr);
}

static gboolean
parse_listens(CoreDomainGraphicsDef *gr, const xmlNode *node, GError **error)
{
    g_autofree char *attr = core_xml_prop(node, "listen");
    CoreDomainGraphicsListen *l;

    CORE_XML_CHILD_FOREACH (node, child) {
        g_autofree char *type = NULL;

        if (!core_xml_is(child, "listen"))
            continue;
        if (!core_domain_prop_enum(child, "type", listen_types, &type, error))
            return FALSE;
        if (!type) {
            return core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                                  "Missing required attribute 'type' in element 'listen'");
        }
        l = g_new0(CoreDomainGraphicsListen, 1);
        g_ptr_array_add(gr->listens, l);
        l->type = g_steal_pointer(&type);
        l->address = core_xml_prop(child, "address");
        l->network = core_xml_prop(child, "network");
        l->socket = core_xml_prop(child, "socket");
    }
    if (gr->listens->len > 0) {
        l = g_ptr_array_index(gr->listens, 0);
        if (attr && g_str_equal(l->type, "address") && g_strcmp0(l->address, attr) != 0) {
            return core_xml_error(error, CORE_FROM_DOMAIN, CORE_ERR_XML_ERROR,
                                  "graphics 'listen' attribute '%s' must match 'address' "
                                  "attribute of first listen element (found '%s')",
                                  attr, l->address ? l->address : "");
        }
        if (attr && !l->address && g_str_equal(l->type, "address"))
            l->address = g_steal_pointer(&attr);
        return TRUE;
    }
    /* no <listen>: libvirt makes one from the attribute (or an empty one) */
    l = g_new0(CoreDomainGraphicsListen, 1);
    l->type = g_strdup("address");
    l->address = g_steal_pointer(&attr);
    g_ptr_array_add(gr->listens, l);
    return TRUE;
}

CoreDomainGraphicsDef *
core_domain_graphics_parse(const xmlNode *node, GError **error)
{
    g_autoptr(CoreDomainGraphicsDef) gr = g_new0(CoreDomainGraphicsDef, 1);
    g_autofree char *port = NULL;
    g_autofree char *autoport = NULL;
    gint64 v = -1;

    gr->listens = g_ptr_array_new();
    if (!core_domain_prop_enum(node, "type", graphics_types, &gr->type, error))
        return NULL;
    if (!gr->type) {
        core_xml_error(error, CORE_FROM_XML, CORE_ERR_XML_ERROR,
                       "Missing required attribute 'type' in element 'graphics'");
        return NULL;
    }
    if (!g_str_equal(gr->type, "vnc") && !g_str_equal(gr->type, "spice")) {
        core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED, "graphics type '%s' is not supported",
                       gr->type);
        return NULL;
    }
    port = core_xml_prop(node, "port");
    if (port && !g_ascii_string_to_signed(port, 10, -1, 65535, &v, NULL)) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "cannot parse %s port %s", gr->type, port);
        return NULL;
    }
    if (!core_domain_prop_yesno(node, "autoport", &autoport, error) ||
        !core_domain_prop_int(node, "websocket", &gr->websocket, error))
        return NULL;
    gr->autoport = g_strcmp0(autoport, "yes") == 0 || v == -1 || (!port && !autoport);
    gr->port = gr->autoport ? -1 : (int)v;
    gr->keymap = core_xml_prop(node, "keymap");
    gr->passwd = core_xml_prop(node, "passwd");
    if (!parse_listens(gr, node, error))
        return NULL;
    return g_steal_pointer(&gr);
}

void
core_domain_graphics_format(CoreXmlWriter *w, const CoreDomainGraphicsDef *gr, guint flags)
{
    const CoreDomainGraphicsListen *first =
        gr->listens->len ? g_ptr_array_index(gr->listens, 0) : NULL;

    core_xml_writer_start(w, "graphics");
    core_xml_writer_attr(w, "type", gr->type);
    /* libvirt: no TCP port for a vnc without network listen; spice shows
     * only a fixed port */
    if (g_str_equal(gr->type, "vnc") && (!first || g_str_equal(first->type, "address") ||
                                         g_str_equal(first->type, "network"))) {
        core_xml_writer_attrf(w, "port", "%d", gr->port);
        core_xml_writer_attr(w, "autoport", gr->autoport ? "yes" : "no");
    } else if (g_str_equal(gr->type, "spice")) {
        if (gr->port > 0)
            core_xml_writer_attrf(w, "port", "%d", gr->port);
        core_xml_writer_attr(w, "autoport", gr->autoport ? "yes" : "no");
    }
    if (gr->websocket)
        core_xml_writer_attrf(w, "websocket", "%d", gr->websocket);
    if (first && g_str_equal(first->type, "address"))
        core_xml_writer_attr(w, "listen", first->address);
    core_xml_writer_attr(w, "keymap", gr->keymap);
    if (flags & CORE_DOMAIN_XML_SECURE)
        core_xml_writer_attr(w, "passwd", gr->passwd);
    for (guint i = 0; i < gr->listens->len; i++) {
        const CoreDomainGraphicsListen *l = g_ptr_array_index(gr->listens, i);

        core_xml_writer_start(w, "listen");
        core_xml_writer_attr(w, "type", l->type);
        core_xml_writer_attr(w, "address", l->address);
        core_xml_writer_attr(w, "network", l->network);
        core_xml_writer_attr(w, "socket", l->socket);
        core_xml_writer_end(w);
    }
    core_xml_writer_end(w);
}

/* ---- video ---- */

void
core_domain_video_free(CoreDomainVideoDef *video)
{
    if (!video)
        return;
    g_free(video->model);
    core_domain_info_clear(&video->info);
    g_free(video);
}

guint
core_domain_video_default_vram(const char *model)
{
    static const struct {
        const char *model;
        guint kib;
    } table[] = {
        { "vga", 16384 }, { "cirrus", 16384 }, { "vmvga", 16384 }, { "xen", 16384 },
        { "bochs", 16384 }, { "vbox", 8192 }, { "qxl", 65536 },
    };

    for (guint i = 0; i < G_N_ELEMENTS(table); i++) {
        if (g_strcmp0(table[i].model, model) == 0)
            return table[i].kib;
    }
    return 0;
}

CoreDomainVideoDef *
core_domain_video_parse(const xmlNode *node, GError **error)
{
    g_autoptr(CoreDomainVideoDef) video = g_new0(CoreDomainVideoDef, 1);
    xmlNode *model = core_xml_child(node, "model");
    g_autofree char *primary = NULL;

    if (model && !core_domain_prop_enum_unsup(model, "type", video_models,
                                              "unknown video model '%s'", &video->model, error))
        return NULL;
    if (!video->model)
        video->model = g_strdup("default");
    if (model && (!core_domain_prop_uint(model, "ram", &video->ram, error) ||
                  !core_domain_prop_uint(model, "vram", &video->vram, error) ||
                  !core_domain_prop_uint(model, "vgamem", &video->vgamem, error) ||
                  !core_domain_prop_uint(model, "heads", &video->heads, error) ||
                  !core_domain_prop_yesno(model, "primary", &primary, error)))
        return NULL;
    video->primary = g_strcmp0(primary, "yes") == 0;
    if (!g_str_equal(video->model, "none")) {
        if (!video->vram)
            video->vram = core_domain_video_default_vram(video->model);
        if (!video->ram && g_str_equal(video->model, "qxl"))
            video->ram = 65536;
        if (!video->heads)
            video->heads = 1;
    }
    if (!core_domain_info_parse(node, &video->info, error))
        return NULL;
    return g_steal_pointer(&video);
}

void
core_domain_video_format(CoreXmlWriter *w, const CoreDomainVideoDef *video, guint flags)
{
    core_xml_writer_start(w, "video");
    core_xml_writer_start(w, "model");
    core_xml_writer_attr(w, "type", video->model);
    if (video->ram)
        core_xml_writer_attrf(w, "ram", "%u", video->ram);
    if (video->vram)
        core_xml_writer_attrf(w, "vram", "%u", video->vram);
    if (video->vgamem)
        core_xml_writer_attrf(w, "vgamem", "%u", video->vgamem);
    if (video->heads)
        core_xml_writer_attrf(w, "heads", "%u", video->heads);
    if (video->primary)
        core_xml_writer_attr(w, "primary", "yes");
    core_xml_writer_end(w);
    core_domain_info_format(w, &video->info, flags);
    core_xml_writer_end(w);
}

/* ---- input ---- */

void
core_domain_input_free(CoreDomainInputDef *input)
{
    if (!input)
        return;
    g_free(input->type);
    g_free(input->bus);
    core_domain_info_clear(&input->info);
    g_free(input);
}

CoreDomainInputDef *
core_domain_input_parse(const xmlNode *node, const char *os_type, GError **error)
{
    g_autoptr(CoreDomainInputDef) input = g_new0(CoreDomainInputDef, 1);

    if (!core_domain_prop_enum_unsup(node, "type", input_types,
                                     "unknown input device type '%s'", &input->type, error) ||
        !core_domain_prop_enum_unsup(node, "bus", input_buses, "unknown input bus type '%s'",
                                     &input->bus, error))
        return NULL;
    if (!input->type) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "missing input device type");
        return NULL;
    }
    if (!input->bus && g_strcmp0(os_type, "hvm") == 0) {
        if (g_str_equal(input->type, "tablet"))
            input->bus = g_strdup("usb");
        else if (g_str_equal(input->type, "mouse") || g_str_equal(input->type, "keyboard"))
            input->bus = g_strdup("ps2");
        else if (g_str_equal(input->type, "passthrough"))
            input->bus = g_strdup("virtio");
    } else if (!input->bus && g_strcmp0(os_type, "xen") == 0 &&
               !g_str_equal(input->type, "evdev")) {
        input->bus = g_strdup("xen");
    }
    if (!core_domain_info_parse(node, &input->info, error))
        return NULL;
    return g_steal_pointer(&input);
}

void
core_domain_input_format(CoreXmlWriter *w, const CoreDomainInputDef *input, guint flags)
{
    core_xml_writer_start(w, "input");
    core_xml_writer_attr(w, "type", input->type);
    core_xml_writer_attr(w, "bus", input->bus);
    core_domain_info_format(w, &input->info, flags);
    core_xml_writer_end(w);
}
