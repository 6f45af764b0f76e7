/* core-caps-conf: see core-caps-conf.h. */
#define CORE_FROM_THIS CORE_FROM_CAPABILITIES

#include "core-caps-conf.h"

#include <string.h>

#include "core-error.h"
#include "core-uuid.h"
#include "core-xml.h"

/* ---- construction and freeing ---- */

static GPtrArray *
str_array(void)
{
    return g_ptr_array_new_with_free_func(g_free);
}

static void
cpu_free(CoreCapsCpu *cpu)
{
    g_free(cpu->siblings);
    g_free(cpu);
}

static void
cell_free(CoreCapsCell *cell)
{
    g_array_unref(cell->pages);
    g_array_unref(cell->distances);
    g_ptr_array_unref(cell->cpus);
    g_free(cell);
}

static void
baselabel_free(CoreCapsBaseLabel *l)
{
    g_free(l->type);
    g_free(l->label);
    g_free(l);
}

static void
secmodel_free(CoreCapsSecModel *m)
{
    g_free(m->model);
    g_free(m->doi);
    g_ptr_array_unref(m->baselabels);
    g_free(m);
}

static void
machine_free(CoreCapsMachine *m)
{
    g_free(m->name);
    g_free(m->canonical);
    g_free(m);
}

static GPtrArray *
machine_array(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify)machine_free);
}

static void
guest_domain_free(CoreCapsGuestDomain *d)
{
    g_free(d->type);
    g_free(d->emulator);
    g_free(d->loader);
    g_ptr_array_unref(d->machines);
    g_free(d);
}

static void
guest_feature_free(CoreCapsGuestFeature *f)
{
    g_free(f->name);
    g_free(f->default_state);
    g_free(f->toggle);
    g_free(f);
}

static void
guest_free(CoreCapsGuest *g)
{
    g_free(g->os_type);
    g_free(g->arch);
    g_free(g->emulator);
    g_free(g->loader);
    g_ptr_array_unref(g->machines);
    g_ptr_array_unref(g->domains);
    g_ptr_array_unref(g->features);
    g_free(g);
}

CoreCaps *
core_caps_new(void)
{
    CoreCaps *caps = g_new0(CoreCaps, 1);
    CoreCapsHost *h = &caps->host;

    h->arch_features = str_array();
    h->cpu.features = str_array();
    h->page_sizes = g_array_new(FALSE, FALSE, sizeof(guint));
    h->power_management = str_array();
    h->migration_transports = str_array();
    h->secmodels = g_ptr_array_new_with_free_func((GDestroyNotify)secmodel_free);
    caps->guests = g_ptr_array_new_with_free_func((GDestroyNotify)guest_free);
    caps->pool_types = str_array();
    return caps;
}

void
core_caps_free(CoreCaps *caps)
{
    CoreCapsHost *h;

    if (!caps)
        return;
    h = &caps->host;
    g_free(h->arch);
    g_ptr_array_unref(h->arch_features);
    g_free(h->cpu.model);
    g_free(h->cpu.vendor);
    g_ptr_array_unref(h->cpu.features);
    g_array_unref(h->page_sizes);
    g_ptr_array_unref(h->power_management);
    g_ptr_array_unref(h->migration_transports);
    g_free(h->netprefix);
    g_clear_pointer(&h->cells, g_ptr_array_unref);
    g_ptr_array_unref(h->secmodels);
    g_ptr_array_unref(caps->guests);
    g_ptr_array_unref(caps->pool_types);
    g_free(caps);
}

CoreCapsCell *
core_caps_add_cell(CoreCaps *caps, guint id, guint64 memory_kib)
{
    CoreCapsCell *cell = g_new0(CoreCapsCell, 1);

    cell->id = id;
    cell->memory_kib = memory_kib;
    cell->pages = g_array_new(FALSE, FALSE, sizeof(CoreCapsPages));
    cell->distances = g_array_new(FALSE, FALSE, sizeof(CoreCapsDistance));
    cell->cpus = g_ptr_array_new_with_free_func((GDestroyNotify)cpu_free);
    if (!caps->host.cells)
        caps->host.cells = g_ptr_array_new_with_free_func((GDestroyNotify)cell_free);
    g_ptr_array_add(caps->host.cells, cell);
    return cell;
}

void
core_caps_cell_add_pages(CoreCapsCell *cell, guint size_kib, guint64 avail)
{
    CoreCapsPages p = { size_kib, avail };

    g_array_append_val(cell->pages, p);
}

CoreCapsCpu *
core_caps_cell_add_cpu(CoreCapsCell *cell, guint id, guint socket_id, guint die_id,
                       guint core_id, const char *siblings)
{
    CoreCapsCpu *cpu = g_new0(CoreCapsCpu, 1);

    cpu->id = id;
    cpu->socket_id = socket_id;
    cpu->die_id = die_id;
    cpu->core_id = core_id;
    cpu->siblings = g_strdup(siblings);
    g_ptr_array_add(cell->cpus, cpu);
    return cpu;
}

CoreCapsSecModel *
core_caps_add_secmodel(CoreCaps *caps, const char *model, const char *doi)
{
    CoreCapsSecModel *m = g_new0(CoreCapsSecModel, 1);

    m->model = g_strdup(model);
    m->doi = g_strdup(doi ? doi : "");
    m->baselabels = g_ptr_array_new_with_free_func((GDestroyNotify)baselabel_free);
    g_ptr_array_add(caps->host.secmodels, m);
    return m;
}

CoreCapsGuest *
core_caps_add_guest(CoreCaps *caps, const char *os_type, const char *arch, guint wordsize,
                    const char *emulator)
{
    CoreCapsGuest *g = g_new0(CoreCapsGuest, 1);

    g->os_type = g_strdup(os_type);
    g->arch = g_strdup(arch);
    g->wordsize = wordsize;
    g->emulator = g_strdup(emulator);
    g->machines = machine_array();
    g->domains = g_ptr_array_new_with_free_func((GDestroyNotify)guest_domain_free);
    g->features = g_ptr_array_new_with_free_func((GDestroyNotify)guest_feature_free);
    g_ptr_array_add(caps->guests, g);
    return g;
}

CoreCapsGuestDomain *
core_caps_guest_add_domain(CoreCapsGuest *guest, const char *type)
{
    CoreCapsGuestDomain *d = g_new0(CoreCapsGuestDomain, 1);

    d->type = g_strdup(type);
    d->machines = machine_array();
    g_ptr_array_add(guest->domains, d);
    return d;
}

void
core_caps_guest_add_feature(CoreCapsGuest *guest, const char *name, const char *default_state,
                            const char *toggle)
{
    CoreCapsGuestFeature *f = g_new0(CoreCapsGuestFeature, 1);

    f->name = g_strdup(name);
    f->default_state = g_strdup(default_state);
    f->toggle = g_strdup(toggle);
    g_ptr_array_add(guest->features, f);
}

/* ---- formatting ---- */

static void
empty_element(CoreXmlWriter *w, const char *name)
{
    core_xml_writer_start(w, name);
    core_xml_writer_end(w);
}

static void
format_host_cpu(CoreXmlWriter *w, const CoreCapsHost *h)
{
    core_xml_writer_start(w, "cpu");
    core_xml_writer_text_element(w, "arch", h->arch);
    if (h->arch_features->len) {
        core_xml_writer_start(w, "features");
        for (guint i = 0; i < h->arch_features->len; i++)
            empty_element(w, g_ptr_array_index(h->arch_features, i));
        core_xml_writer_end(w);
    }
    core_xml_writer_text_element(w, "model", h->cpu.model);
    core_xml_writer_text_element(w, "vendor", h->cpu.vendor);
    if (h->cpu.microcode) {
        core_xml_writer_start(w, "microcode");
        core_xml_writer_attrf(w, "version", "%u", h->cpu.microcode);
        core_xml_writer_end(w);
    }
    if (h->cpu.sig_family) {
        core_xml_writer_start(w, "signature");
        core_xml_writer_attrf(w, "family", "%u", h->cpu.sig_family);
        core_xml_writer_attrf(w, "model", "%u", h->cpu.sig_model);
        core_xml_writer_attrf(w, "stepping", "%u", h->cpu.sig_stepping);
        core_xml_writer_end(w);
    }
    if (h->cpu.sockets && h->cpu.dies && h->cpu.cores && h->cpu.threads) {
        core_xml_writer_start(w, "topology");
        core_xml_writer_attrf(w, "sockets", "%u", h->cpu.sockets);
        core_xml_writer_attrf(w, "dies", "%u", h->cpu.dies);
        core_xml_writer_attrf(w, "cores", "%u", h->cpu.cores);
        core_xml_writer_attrf(w, "threads", "%u", h->cpu.threads);
        core_xml_writer_end(w);
    }
    for (guint i = 0; i < h->cpu.features->len; i++) {
        core_xml_writer_start(w, "feature");
        core_xml_writer_attr(w, "name", g_ptr_array_index(h->cpu.features, i));
        core_xml_writer_end(w);
    }
    for (guint i = 0; i < h->page_sizes->len; i++) {
        core_xml_writer_start(w, "pages");
        core_xml_writer_attr(w, "unit", "KiB");
        core_xml_writer_attrf(w, "size", "%u", g_array_index(h->page_sizes, guint, i));
        core_xml_writer_end(w);
    }
    core_xml_writer_end_full(w);
}

static void
format_cell(CoreXmlWriter *w, const CoreCapsCell *cell)
{
    core_xml_writer_start(w, "cell");
    core_xml_writer_attrf(w, "id", "%u", cell->id);
    if (cell->memory_kib) {
        g_autofree char *mem = g_strdup_printf("%" G_GUINT64_FORMAT, cell->memory_kib);

        core_xml_writer_start(w, "memory");
        core_xml_writer_attr(w, "unit", "KiB");
        core_xml_writer_end_text(w, mem);
    }
    for (guint i = 0; i < cell->pages->len; i++) {
        const CoreCapsPages *p = &g_array_index(cell->pages, CoreCapsPages, i);
        g_autofree char *avail = g_strdup_printf("%" G_GUINT64_FORMAT, p->avail);

        core_xml_writer_start(w, "pages");
        core_xml_writer_attr(w, "unit", "KiB");
        core_xml_writer_attrf(w, "size", "%u", p->size_kib);
        core_xml_writer_end_text(w, avail);
    }
    if (cell->distances->len) {
        core_xml_writer_start(w, "distances");
        for (guint i = 0; i < cell->distances->len; i++) {
            const CoreCapsDistance *d = &g_array_index(cell->distances, CoreCapsDistance, i);

            core_xml_writer_start(w, "sibling");
            core_xml_writer_attrf(w, "id", "%u", d->id);
            core_xml_writer_attrf(w, "value", "%u", d->value);
            core_xml_writer_end(w);
        }
        core_xml_writer_end(w);
    }
    core_xml_writer_start(w, "cpus");
    core_xml_writer_attrf(w, "num", "%u", cell->cpus->len);
    for (guint i = 0; i < cell->cpus->len; i++) {
        const CoreCapsCpu *c = g_ptr_array_index(cell->cpus, i);

        core_xml_writer_start(w, "cpu");
        core_xml_writer_attrf(w, "id", "%u", c->id);
        if (c->siblings) {
            core_xml_writer_attrf(w, "socket_id", "%u", c->socket_id);
            core_xml_writer_attrf(w, "die_id", "%u", c->die_id);
            core_xml_writer_attrf(w, "core_id", "%u", c->core_id);
            core_xml_writer_attr(w, "siblings", c->siblings);
        }
        core_xml_writer_end(w);
    }
    core_xml_writer_end(w);
    core_xml_writer_end_full(w);
}

static void
format_host_rest(CoreXmlWriter *w, const CoreCapsHost *h)
{
    core_xml_writer_start(w, "power_management");
    for (guint i = 0; i < h->power_management->len; i++)
        empty_element(w, g_ptr_array_index(h->power_management, i));
    core_xml_writer_end(w);
    core_xml_writer_start(w, "iommu");
    core_xml_writer_attr(w, "support", h->iommu ? "yes" : "no");
    core_xml_writer_end(w);
    if (h->migration) {
        core_xml_writer_start(w, "migration_features");
        if (h->live_migration)
            empty_element(w, "live");
        if (h->migration_transports->len) {
            core_xml_writer_start(w, "uri_transports");
            for (guint i = 0; i < h->migration_transports->len; i++)
                core_xml_writer_text_element(w, "uri_transport",
                                             g_ptr_array_index(h->migration_transports, i));
            core_xml_writer_end(w);
        }
        core_xml_writer_end_full(w);
    }
    core_xml_writer_text_element(w, "netprefix", h->netprefix);
    if (h->cells) {
        core_xml_writer_start(w, "topology");
        core_xml_writer_start(w, "cells");
        core_xml_writer_attrf(w, "num", "%u", h->cells->len);
        for (guint i = 0; i < h->cells->len; i++)
            format_cell(w, g_ptr_array_index(h->cells, i));
        core_xml_writer_end_full(w);
        core_xml_writer_end_full(w);
    }
    for (guint i = 0; i < h->secmodels->len; i++) {
        const CoreCapsSecModel *m = g_ptr_array_index(h->secmodels, i);

        core_xml_writer_start(w, "secmodel");
        core_xml_writer_text_element(w, "model", m->model ? m->model : "");
        core_xml_writer_text_element(w, "doi", m->doi ? m->doi : "");
        for (guint j = 0; j < m->baselabels->len; j++) {
            const CoreCapsBaseLabel *l = g_ptr_array_index(m->baselabels, j);

            core_xml_writer_start(w, "baselabel");
            core_xml_writer_attr(w, "type", l->type);
            core_xml_writer_end_text(w, l->label);
        }
        core_xml_writer_end_full(w);
    }
}

static void
format_machines(CoreXmlWriter *w, const GPtrArray *machines)
{
    for (guint i = 0; i < machines->len; i++) {
        const CoreCapsMachine *m = g_ptr_array_index(machines, i);

        core_xml_writer_start(w, "machine");
        core_xml_writer_attr(w, "canonical", m->canonical);
        if (m->max_cpus)
            core_xml_writer_attrf(w, "maxCpus", "%u", m->max_cpus);
        if (m->deprecated)
            core_xml_writer_attr(w, "deprecated", "yes");
        core_xml_writer_end_text(w, m->name);
    }
}

static void
format_guest(CoreXmlWriter *w, const CoreCapsGuest *g)
{
    core_xml_writer_start(w, "guest");
    core_xml_writer_text_element(w, "os_type", g->os_type);
    core_xml_writer_start(w, "arch");
    core_xml_writer_attr(w, "name", g->arch);
    core_xml_writer_text_elementf(w, "wordsize", "%u", g->wordsize);
    core_xml_writer_text_element(w, "emulator", g->emulator);
    core_xml_writer_text_element(w, "loader", g->loader);
    format_machines(w, g->machines);
    for (guint i = 0; i < g->domains->len; i++) {
        const CoreCapsGuestDomain *d = g_ptr_array_index(g->domains, i);

        core_xml_writer_start(w, "domain");
        core_xml_writer_attr(w, "type", d->type);
        core_xml_writer_text_element(w, "emulator", d->emulator);
        core_xml_writer_text_element(w, "loader", d->loader);
        format_machines(w, d->machines);
        core_xml_writer_end(w);
    }
    core_xml_writer_end_full(w);
    if (g->features->len) {
        core_xml_writer_start(w, "features");
        for (guint i = 0; i < g->features->len; i++) {
            const CoreCapsGuestFeature *f = g_ptr_array_index(g->features, i);

            core_xml_writer_start(w, f->name);
            core_xml_writer_attr(w, "default", f->default_state);
            core_xml_writer_attr(w, "toggle", f->toggle);
            core_xml_writer_end(w);
        }
        core_xml_writer_end(w);
    }
    core_xml_writer_end_full(w);
    core_xml_writer_blank_line(w);
}

char *
core_caps_format(const CoreCaps *caps)
{
    const CoreCapsHost *h = &caps->host;
    CoreXmlWriter w;

    core_xml_writer_init(&w);
    core_xml_writer_start(&w, "capabilities");
    core_xml_writer_blank_line(&w);
    if (h->has_uuid || h->arch || h->power_management->len || h->iommu) {
        char uuid[CORE_UUID_STRING_BUFLEN];

        core_xml_writer_start(&w, "host");
        if (h->has_uuid)
            core_xml_writer_text_element(&w, "uuid", core_uuid_format(h->uuid, uuid));
        format_host_cpu(&w, h);
        format_host_rest(&w, h);
        core_xml_writer_end_full(&w);
        core_xml_writer_blank_line(&w);
    }
    for (guint i = 0; i < caps->guests->len; i++)
        format_guest(&w, g_ptr_array_index(caps->guests, i));
    if (caps->pool_types->len) {
        core_xml_writer_start(&w, "pool");
        core_xml_writer_start(&w, "enum");
        core_xml_writer_attr(&w, "name", "type");
        for (guint i = 0; i < caps->pool_types->len; i++)
            core_xml_writer_text_element(&w, "value", g_ptr_array_index(caps->pool_types, i));
        core_xml_writer_end(&w);
        core_xml_writer_end(&w);
        core_xml_writer_blank_line(&w);
    }
    core_xml_writer_end_full(&w);
    return core_xml_writer_finish(&w);
}

/* ---- parsing ---- */

static gboolean
caps_error(GError **error, const char *what, const char *value)
{
    return core_xml_error(error, CORE_FROM_CAPABILITIES, CORE_ERR_XML_ERROR,
                          "invalid %s '%s' in capabilities", what, value ? value : "");
}

/* Unsigned number from attribute @name of @node; absent gives 0. */
static gboolean
attr_num(const xmlNode *node, const char *name, guint64 max, guint64 *ret, GError **error)
{
    g_autofree char *v = core_xml_prop(node, name);

    *ret = 0;
    if (v && !core_xml_parse_ull(v, 10, max, ret))
        return caps_error(error, name, v);
    return TRUE;
}

static gboolean
attr_uint(const xmlNode *node, const char *name, guint *ret, GError **error)
{
    guint64 v;

    if (!attr_num(node, name, G_MAXUINT, &v, error))
        return FALSE;
    *ret = (guint)v;
    return TRUE;
}

static gboolean
text_num(const xmlNode *node, guint64 *ret, GError **error)
{
    g_autofree char *v = core_xml_content(node);

    if (!core_xml_parse_ull(v, 10, G_MAXUINT64, ret))
        return caps_error(error, (const char *)node->name, v);
    return TRUE;
}

static void
add_child_names(const xmlNode *parent, GPtrArray *into)
{
    CORE_XML_CHILD_FOREACH (parent, c)
        g_ptr_array_add(into, g_strdup((const char *)c->name));
}

static gboolean
parse_host_cpu(const xmlNode *cpu, CoreCapsHost *h, GError **error)
{
    const xmlNode *n;

    h->arch = core_xml_child_content(cpu, "arch");
    add_child_names(core_xml_child(cpu, "features"), h->arch_features);
    h->cpu.model = core_xml_child_content(cpu, "model");
    h->cpu.vendor = core_xml_child_content(cpu, "vendor");
    if (!attr_uint(core_xml_child(cpu, "microcode"), "version", &h->cpu.microcode, error))
        return FALSE;
    n = core_xml_child(cpu, "signature");
    if (!attr_uint(n, "family", &h->cpu.sig_family, error) ||
        !attr_uint(n, "model", &h->cpu.sig_model, error) ||
        !attr_uint(n, "stepping", &h->cpu.sig_stepping, error))
        return FALSE;
    n = core_xml_child(cpu, "topology");
    if (!attr_uint(n, "sockets", &h->cpu.sockets, error) ||
        !attr_uint(n, "dies", &h->cpu.dies, error) ||
        !attr_uint(n, "cores", &h->cpu.cores, error) ||
        !attr_uint(n, "threads", &h->cpu.threads, error))
        return FALSE;
    CORE_XML_CHILD_FOREACH (cpu, c) {
        guint size;

        if (core_xml_is(c, "feature"))
            g_ptr_array_add(h->cpu.features, core_xml_prop(c, "name"));
        if (!core_xml_is(c, "pages"))
            continue;
        if (!attr_uint(c, "size", &size, error))
            return FALSE;
        g_array_append_val(h->page_sizes, size);
    }
    return TRUE;
}

static gboolean
parse_cell(CoreCaps *caps, const xmlNode *node, GError **error)
{
    CoreCapsCell *cell = core_caps_add_cell(caps, 0, 0);
    const xmlNode *mem = core_xml_child(node, "memory");

    if (!attr_uint(node, "id", &cell->id, error) ||
        (mem && !text_num(mem, &cell->memory_kib, error)))
        return FALSE;
    CORE_XML_CHILD_FOREACH (node, c) {
        CoreCapsPages p = { 0 };

        if (!core_xml_is(c, "pages"))
            continue;
        if (!attr_uint(c, "size", &p.size_kib, error) || !text_num(c, &p.avail, error))
            return FALSE;
        g_array_append_val(cell->pages, p);
    }
    CORE_XML_CHILD_FOREACH (core_xml_child(node, "distances"), c) {
        CoreCapsDistance d = { 0 };

        if (!attr_uint(c, "id", &d.id, error) || !attr_uint(c, "value", &d.value, error))
            return FALSE;
        g_array_append_val(cell->distances, d);
    }
    CORE_XML_CHILD_FOREACH (core_xml_child(node, "cpus"), c) {
        CoreCapsCpu *cpu = core_caps_cell_add_cpu(cell, 0, 0, 0, 0, NULL);

        cpu->siblings = core_xml_prop(c, "siblings");
        if (!attr_uint(c, "id", &cpu->id, error) ||
            !attr_uint(c, "socket_id", &cpu->socket_id, error) ||
            !attr_uint(c, "die_id", &cpu->die_id, error) ||
            !attr_uint(c, "core_id", &cpu->core_id, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
parse_host(CoreCaps *caps, const xmlNode *host, GError **error)
{
    CoreCapsHost *h = &caps->host;
    g_autofree char *uuid = core_xml_child_content(host, "uuid");
    const xmlNode *mig = core_xml_child(host, "migration_features");
    g_autofree char *iommu = core_xml_prop(core_xml_child(host, "iommu"), "support");

    if (uuid && !(h->has_uuid = core_uuid_parse(uuid, h->uuid, NULL)))
        return caps_error(error, "uuid", uuid);
    if (!parse_host_cpu(core_xml_child(host, "cpu"), h, error))
        return FALSE;
    add_child_names(core_xml_child(host, "power_management"), h->power_management);
    h->iommu = g_strcmp0(iommu, "yes") == 0;
    if ((h->migration = mig != NULL)) {
        h->live_migration = core_xml_child(mig, "live") != NULL;
        CORE_XML_CHILD_FOREACH (core_xml_child(mig, "uri_transports"), c)
            g_ptr_array_add(h->migration_transports, core_xml_content(c));
    }
    h->netprefix = core_xml_child_content(host, "netprefix");
    if (core_xml_child(host, "topology")) {
        CORE_XML_CHILD_FOREACH (core_xml_child(core_xml_child(host, "topology"), "cells"), c) {
            if (!parse_cell(caps, c, error))
                return FALSE;
        }
        if (!h->cells)
            h->cells = g_ptr_array_new_with_free_func((GDestroyNotify)cell_free);
    }
    CORE_XML_CHILD_FOREACH (host, c) {
        CoreCapsSecModel *m;
        g_autofree char *model = NULL, *doi = NULL;

        if (!core_xml_is(c, "secmodel"))
            continue;
        model = core_xml_child_content(c, "model");
        doi = core_xml_child_content(c, "doi");
        m = core_caps_add_secmodel(caps, model, doi);
        CORE_XML_CHILD_FOREACH (c, l) {
            CoreCapsBaseLabel *bl;

            if (!core_xml_is(l, "baselabel"))
                continue;
            bl = g_new0(CoreCapsBaseLabel, 1);
            bl->type = core_xml_prop(l, "type");
            bl->label = core_xml_content(l);
            g_ptr_array_add(m->baselabels, bl);
        }
    }
    return TRUE;
}

static gboolean
parse_machines(const xmlNode *parent, GPtrArray *into, GError **error)
{
    CORE_XML_CHILD_FOREACH (parent, c) {
        CoreCapsMachine *m;
        g_autofree char *dep = NULL;

        if (!core_xml_is(c, "machine"))
            continue;
        m = g_new0(CoreCapsMachine, 1);
        g_ptr_array_add(into, m);
        m->name = core_xml_content(c);
        m->canonical = core_xml_prop(c, "canonical");
        dep = core_xml_prop(c, "deprecated");
        m->deprecated = g_strcmp0(dep, "yes") == 0;
        if (!attr_uint(c, "maxCpus", &m->max_cpus, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
parse_guest(CoreCaps *caps, const xmlNode *node, GError **error)
{
    const xmlNode *arch = core_xml_child(node, "arch");
    g_autofree char *os_type = core_xml_child_content(node, "os_type");
    g_autofree char *name = core_xml_prop(arch, "name");
    g_autofree char *emulator = core_xml_child_content(arch, "emulator");
    g_autofree char *wordsize = core_xml_child_content(arch, "wordsize");
    CoreCapsGuest *g = core_caps_add_guest(caps, os_type, name, 0, emulator);
    guint64 ws = 0;

    if (wordsize && !core_xml_parse_ull(wordsize, 10, G_MAXUINT, &ws))
        return caps_error(error, "wordsize", wordsize);
    g->wordsize = (guint)ws;
    g->loader = core_xml_child_content(arch, "loader");
    if (!parse_machines(arch, g->machines, error))
        return FALSE;
    CORE_XML_CHILD_FOREACH (arch, c) {
        CoreCapsGuestDomain *d;
        g_autofree char *type = NULL;

        if (!core_xml_is(c, "domain"))
            continue;
        type = core_xml_prop(c, "type");
        d = core_caps_guest_add_domain(g, type);
        d->emulator = core_xml_child_content(c, "emulator");
        d->loader = core_xml_child_content(c, "loader");
        if (!parse_machines(c, d->machines, error))
            return FALSE;
    }
    CORE_XML_CHILD_FOREACH (core_xml_child(node, "features"), c) {
        g_autofree char *def = core_xml_prop(c, "default");
        g_autofree char *toggle = core_xml_prop(c, "toggle");

        core_caps_guest_add_feature(g, (const char *)c->name, def, toggle);
    }
    return TRUE;
}

CoreCaps *
core_caps_parse_string(const char *xml, GError **error)
{
    g_autoptr(xmlDoc) doc = core_xml_parse(xml, "capabilities", "capabilities",
                                           CORE_FROM_CAPABILITIES, error);
    g_autoptr(CoreCaps) caps = NULL;
    const xmlNode *root;

    if (!doc)
        return NULL;
    caps = core_caps_new();
    root = xmlDocGetRootElement(doc);
    CORE_XML_CHILD_FOREACH (root, c) {
        if (core_xml_is(c, "host") && !parse_host(caps, c, error))
            return NULL;
        if (core_xml_is(c, "guest") && !parse_guest(caps, c, error))
            return NULL;
        if (core_xml_is(c, "pool")) {
            CORE_XML_CHILD_FOREACH (core_xml_child(c, "enum"), v)
                g_ptr_array_add(caps->pool_types, core_xml_content(v));
        }
    }
    return g_steal_pointer(&caps);
}

/* ---- the test driver's host ---- */

CoreCaps *
core_caps_new_test_default(void)
{
    static const char *const os_types[] = { "hvm", "xen" };
    static const guint page_sizes[] = { 4, 8, 2048, 1048576 };
    CoreCaps *caps = core_caps_new();

    caps->host.arch = g_strdup("i686");
    g_ptr_array_add(caps->host.arch_features, g_strdup("pae"));
    g_ptr_array_add(caps->host.arch_features, g_strdup("nonpae"));
    g_array_append_vals(caps->host.page_sizes, page_sizes, G_N_ELEMENTS(page_sizes));
    /* two cells of 8 single-threaded cores; the first cell's ordinary
     * pages are 4 KiB, the second's 8 KiB */
    for (guint n = 0; n < 2; n++) {
        CoreCapsCell *cell = core_caps_add_cell(caps, n, 2097152ULL << n);

        core_caps_cell_add_pages(cell, page_sizes[n], 524288);
        core_caps_cell_add_pages(cell, 2048, 0);
        core_caps_cell_add_pages(cell, 1048576, 0);
        for (guint c = 0; c < 8; c++) {
            g_autofree char *sib = g_strdup_printf("%u", n * 8 + c);

            core_caps_cell_add_cpu(cell, n * 8 + c, n, 0, c, sib);
        }
    }
    core_caps_add_secmodel(caps, "testSecurity", "");
    for (guint i = 0; i < G_N_ELEMENTS(os_types); i++) {
        CoreCapsGuest *g = core_caps_add_guest(caps, os_types[i], "i686", 32, "/usr/bin/test-hv");

        core_caps_guest_add_domain(g, "test");
        core_caps_guest_add_feature(g, "pae", NULL, NULL);
        core_caps_guest_add_feature(g, "nonpae", NULL, NULL);
    }
    return caps;
}
