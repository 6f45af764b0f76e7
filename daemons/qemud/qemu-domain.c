/* qemu-domain: driver state, domain tables and the files behind them. */
#include <errno.h>
#include <libxml/tree.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-file.h"
#include "core-log.h"
#include "core-uuid.h"
#include "core-xml.h"
#include "qemu-domain.h"
#include "qemu-process.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

CORE_LOG_INIT("qemud.domain");

#define QEMU_DEFAULT_EMULATOR "/usr/bin/qemu-system-x86_64"

QemuDriver *qemu_driver_self;

/* ---- domain objects ---- */

static QemuDomain *
qemu_domain_new(QemuDriver *driver, CoreDomainDef *def)
{
    QemuDomain *dom = g_new0(QemuDomain, 1);

    dom->refs = 1;
    dom->driver = driver;
    g_mutex_init(&dom->lock);
    g_cond_init(&dom->cond);
    dom->def = def;
    dom->state = QEMU_STATE_SHUTOFF;
    dom->reason = QEMU_SHUTOFF_UNKNOWN;
    dom->pidfd = -1;
    dom->stop_reason = -1;
    return dom;
}

QemuDomain *
qemu_domain_ref(QemuDomain *dom)
{
    g_atomic_int_inc(&dom->refs);
    return dom;
}

void
qemu_domain_unref(QemuDomain *dom)
{
    if (!dom || !g_atomic_int_dec_and_test(&dom->refs))
        return;
    core_domain_def_free(dom->def);
    core_domain_def_free(dom->newdef);
    core_clear_fd(&dom->pidfd);
    g_mutex_clear(&dom->lock);
    g_cond_clear(&dom->cond);
    g_free(dom);
}

gboolean
qemu_domain_is_active(QemuDomain *dom)
{
    return dom->pid > 0;
}

CoreDomainRef *
qemu_domain_make_ref(QemuDomain *dom)
{
    return core_domain_ref_new(dom->def->name, dom->def->uuid,
                               qemu_domain_is_active(dom) ? dom->def->id : -1);
}

/* Takes the job (dom->lock held) once it is free, or FALSE at @deadline
 * (monotonic µs; 0: none). */
static gboolean
job_take_locked(QemuDomain *dom, const char *api, gint64 deadline)
{
    while (dom->job) {
        if (deadline == 0)
            g_cond_wait(&dom->cond, &dom->lock);
        else if (!g_cond_wait_until(&dom->cond, &dom->lock, deadline) && dom->job)
            return FALSE;
    }
    dom->job = TRUE;
    dom->job_owner = api;
    dom->job_start = g_get_monotonic_time();
    dom->mon_start = 0;
    return TRUE;
}

void
qemu_domain_job_begin(QemuDomain *dom)
{
    g_mutex_lock(&dom->lock);
    job_take_locked(dom, NULL, 0);
    g_mutex_unlock(&dom->lock);
}

gboolean
qemu_domain_job_acquire(QemuDomain *dom, const char *api, GError **error)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)dom->driver->job_wait_ms * 1000;
    g_autofree char *owner = NULL;

    g_mutex_lock(&dom->lock);
    if (job_take_locked(dom, api, deadline)) {
        g_mutex_unlock(&dom->lock);
        return TRUE;
    }
    owner = g_strdup(dom->job_owner);
    g_mutex_unlock(&dom->lock);
    /* libvirt's words, and its origin (none) */
    if (owner)
        return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_OPERATION_TIMEOUT,
                                   "cannot acquire state change lock (held by monitor=%s)",
                                   owner);
    return core_error_set_full(error, CORE_FROM_NONE, CORE_ERR_OPERATION_TIMEOUT,
                               "cannot acquire state change lock");
}

void
qemu_domain_job_end(QemuDomain *dom)
{
    g_mutex_lock(&dom->lock);
    dom->job = FALSE;
    dom->job_owner = NULL;
    dom->job_start = 0;
    dom->mon_start = 0;
    g_cond_broadcast(&dom->cond);
    g_mutex_unlock(&dom->lock);
}

void
qemu_domain_set_fake_reboot(QemuDomain *dom, gboolean value)
{
    if (!!dom->fake_reboot == !!value)
        return;
    dom->fake_reboot = !!value;
    if (qemu_domain_is_active(dom))
        qemu_domain_save_status(dom);
}

/* ---- tables ---- */

static QemuDomain *
lookup_locked(QemuDriver *driver, GHashTable *table, gconstpointer key)
{
    QemuDomain *dom;

    g_mutex_lock(&driver->lock);
    dom = g_hash_table_lookup(table, key);
    if (dom)
        qemu_domain_ref(dom);
    g_mutex_unlock(&driver->lock);
    return dom;
}

QemuDomain *
qemu_domain_find_uuid(QemuDriver *driver, const guint8 *uuid, GError **error)
{
    QemuDomain *dom = lookup_locked(driver, driver->by_uuid, uuid);
    char str[CORE_UUID_STRING_BUFLEN];

    if (!dom)
        core_error_set(error, CORE_ERR_NO_DOMAIN, "no domain with matching uuid '%s'",
                       core_uuid_format(uuid, str));
    return dom;
}

QemuDomain *
qemu_domain_find_name(QemuDriver *driver, const char *name, GError **error)
{
    QemuDomain *dom = lookup_locked(driver, driver->by_name, name);

    if (!dom)
        core_error_set(error, CORE_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
    return dom;
}

QemuDomain *
qemu_domain_find_id(QemuDriver *driver, int id, GError **error)
{
    QemuDomain *dom = lookup_locked(driver, driver->by_id, GINT_TO_POINTER(id));

    if (!dom)
        core_error_set(error, CORE_ERR_NO_DOMAIN, "no domain with matching id %d", id);
    return dom;
}

GPtrArray *
qemu_domain_list(QemuDriver *driver)
{
    GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_domain_unref);
    GHashTableIter iter;
    gpointer value;

    g_mutex_lock(&driver->lock);
    g_hash_table_iter_init(&iter, driver->by_uuid);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_ptr_array_add(list, qemu_domain_ref(value));
    g_mutex_unlock(&driver->lock);
    return list;
}

/* The keys are copies: a domain's definition is replaced over its life. */
static void
insert_locked(QemuDriver *driver, QemuDomain *dom)
{
    g_hash_table_insert(driver->by_uuid, g_memdup2(dom->def->uuid, CORE_UUID_LEN),
                        qemu_domain_ref(dom));
    g_hash_table_insert(driver->by_name, g_strdup(dom->def->name), dom);
}

/* Replaces the definition of an existing domain (libvirt's rules: a
 * running domain keeps its live definition, the new one applies later). */
static gboolean
replace_def(QemuDomain *dom, CoreDomainDef *def, gboolean live, GError **error)
{
    g_mutex_lock(&dom->lock);
    if (live && (qemu_domain_is_active(dom) || dom->job)) {
        g_mutex_unlock(&dom->lock);
        core_domain_def_free(def);
        return core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_INVALID,
                                   "domain '%s' is already active", dom->def->name);
    }
    if (live) {
        /* create with new XML: the persistent definition is kept for later */
        if (dom->persistent && !dom->newdef)
            dom->newdef = dom->def;
        else
            core_domain_def_free(dom->def);
        dom->def = def;
    } else if (qemu_domain_is_active(dom)) {
        core_domain_def_free(dom->newdef);
        dom->newdef = def;
    } else {
        core_domain_def_free(dom->def);
        dom->def = def;
    }
    if (!live)
        dom->persistent = TRUE;
    g_mutex_unlock(&dom->lock);
    return TRUE;
}

QemuDomain *
qemu_domain_add(QemuDriver *driver, CoreDomainDef *def, gboolean live, gboolean *ret_new,
                GError **error)
{
    char uuidstr[CORE_UUID_STRING_BUFLEN];
    QemuDomain *dom;

    *ret_new = FALSE;
    g_mutex_lock(&driver->lock);
    dom = g_hash_table_lookup(driver->by_uuid, def->uuid);
    if (!dom) {
        if ((dom = g_hash_table_lookup(driver->by_name, def->name))) {
            core_uuid_format(dom->def->uuid, uuidstr);
            g_mutex_unlock(&driver->lock);
            core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_FAILED,
                                "domain '%s' already exists with uuid %s", def->name, uuidstr);
            core_domain_def_free(def);
            return NULL;
        }
        dom = qemu_domain_new(driver, def);
        dom->persistent = !live;
        insert_locked(driver, dom);
        g_mutex_unlock(&driver->lock);
        *ret_new = TRUE;
        return dom;
    }
    if (g_strcmp0(dom->def->name, def->name) != 0) {
        core_uuid_format(dom->def->uuid, uuidstr);
        core_error_set_full(error, CORE_FROM_DOMAIN, CORE_ERR_OPERATION_FAILED,
                            "domain '%s' is already defined with uuid %s", dom->def->name,
                            uuidstr);
        g_mutex_unlock(&driver->lock);
        core_domain_def_free(def);
        return NULL;
    }
    qemu_domain_ref(dom);
    g_mutex_unlock(&driver->lock);
    if (!replace_def(dom, def, live, error)) {
        qemu_domain_unref(dom);
        return NULL;
    }
    return dom;
}

void
qemu_domain_remove(QemuDriver *driver, QemuDomain *dom)
{
    g_mutex_lock(&driver->lock);
    if (g_hash_table_lookup(driver->by_uuid, dom->def->uuid) == dom) {
        dom->removed = TRUE;
        g_hash_table_remove(driver->by_name, dom->def->name);
        if (dom->def->id > 0)
            g_hash_table_remove(driver->by_id, GINT_TO_POINTER(dom->def->id));
        g_hash_table_remove(driver->by_uuid, dom->def->uuid);
    }
    g_mutex_unlock(&driver->lock);
}

void
qemu_domain_assign_id(QemuDriver *driver, QemuDomain *dom)
{
    g_mutex_lock(&driver->lock);
    if (dom->def->id <= 0)
        dom->def->id = driver->next_id++;
    else if (dom->def->id >= driver->next_id)
        driver->next_id = dom->def->id + 1;
    g_hash_table_insert(driver->by_id, GINT_TO_POINTER(dom->def->id), dom);
    g_mutex_unlock(&driver->lock);
}

void
qemu_domain_release_id(QemuDriver *driver, QemuDomain *dom)
{
    g_mutex_lock(&driver->lock);
    if (dom->def->id > 0 &&
        g_hash_table_lookup(driver->by_id, GINT_TO_POINTER(dom->def->id)) == dom)
        g_hash_table_remove(driver->by_id, GINT_TO_POINTER(dom->def->id));
    g_mutex_unlock(&driver->lock);
}

/* ---- files ---- */

char *
qemu_domain_config_path(QemuDriver *driver, const char *name)
{
    return g_strdup_printf("%s/%s.xml", driver->config_dir, name);
}

char *
qemu_domain_status_path(QemuDriver *driver, const char *name)
{
    return g_strdup_printf("%s/%s.xml", driver->run_dir, name);
}

char *
qemu_domain_monitor_path(QemuDriver *driver, const char *name)
{
    return g_strdup_printf("%s/%s.monitor", driver->run_dir, name);
}

char *
qemu_domain_log_path(QemuDriver *driver, const char *name)
{
    return g_strdup_printf("%s/%s.log", driver->log_dir, name);
}

gboolean
qemu_domain_save_config(QemuDriver *driver, const CoreDomainDef *def, GError **error)
{
    g_autofree char *path = qemu_domain_config_path(driver, def->name);
    g_autofree char *xml = core_domain_def_format(def, CORE_DOMAIN_XML_INACTIVE |
                                                  CORE_DOMAIN_XML_SECURE);

    return core_file_write_atomic(path, xml, -1, 0600, error);
}

gboolean
qemu_domain_delete_config(QemuDriver *driver, const char *name, GError **error)
{
    g_autofree char *path = qemu_domain_config_path(driver, name);

    if (!qemu_domain_set_autostart_link(driver, name, FALSE, error))
        return FALSE;
    return core_file_remove(path, error);
}

gboolean
qemu_domain_set_autostart_link(QemuDriver *driver, const char *name, gboolean autostart,
                               GError **error)
{
    g_autofree char *link = g_strdup_printf("%s/%s.xml", driver->autostart_dir, name);
    g_autofree char *target = qemu_domain_config_path(driver, name);

    if (!autostart)
        return core_file_remove(link, error);
    if (!core_file_mkdir_p(driver->autostart_dir, 0755, error))
        return FALSE;
    if (symlink(target, link) < 0 && errno != EEXIST)
        return core_error_set_errno(error, errno, "cannot create autostart link '%s'", link);
    return TRUE;
}

void
qemu_domain_save_status(QemuDomain *dom)
{
    QemuDriver *driver = dom->driver;
    g_autofree char *path = qemu_domain_status_path(driver, dom->def->name);
    g_autofree char *xml = core_domain_def_format(dom->def, CORE_DOMAIN_XML_SECURE);
    g_autofree char *pxml = NULL;
    g_autoptr(GString) buf = g_string_new(NULL);
    g_autoptr(GError) err = NULL;

    g_string_append_printf(buf, "<domstatus state='%d' reason='%d' pid='%d' persistent='%d'"
                           " autostart='%d'>\n", dom->state, dom->reason, (int)dom->pid,
                           dom->persistent, dom->autostart);
    g_string_append(buf, xml);
    if (dom->fake_reboot)
        g_string_append(buf, "<fakereboot/>\n");
    if (dom->newdef) {
        pxml = core_domain_def_format(dom->newdef, CORE_DOMAIN_XML_INACTIVE |
                                      CORE_DOMAIN_XML_SECURE);
        g_string_append(buf, "<persistent>\n");
        g_string_append(buf, pxml);
        g_string_append(buf, "</persistent>\n");
    }
    g_string_append(buf, "</domstatus>\n");
    if (!core_file_write_atomic(path, buf->str, (gssize)buf->len, 0600, &err))
        CORE_WARN("cannot save the status of domain '%s': %s", dom->def->name, err->message);
}

void
qemu_domain_delete_status(QemuDriver *driver, const char *name)
{
    g_autofree char *path = qemu_domain_status_path(driver, name);
    g_autoptr(GError) err = NULL;

    if (!core_file_remove(path, &err))
        CORE_WARN("%s", err->message);
}

/* ---- driver state ---- */

gboolean
qemu_domain_def_post_parse(QemuDriver *driver, CoreDomainDef *def, GError **error)
{
    g_autoptr(QemuCaps) caps = NULL;
    CoreDomainDefPriv *priv = core_domain_def_priv(def);
    CoreDomainDefaults defaults = { 0 };
    const QemuCapsMachine *machine;

    if (!(caps = qemu_driver_get_caps(driver, priv->emulator, error)))
        return FALSE;
    if (def->os_arch && !g_str_equal(def->os_arch, qemu_caps_get_arch(caps)))
        return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                              "no emulator for arch '%s' (this host runs '%s' guests)",
                              def->os_arch, qemu_caps_get_arch(caps));
    machine = qemu_caps_get_default_machine(caps);
    defaults.arch = qemu_caps_get_arch(caps);
    defaults.machine = machine ? machine->name : NULL;
    defaults.emulator = qemu_caps_get_binary(caps);
    defaults.video_model = "vga";
    core_domain_def_apply_defaults(def, &defaults);
    if (def->os_machine) {
        const char *canon = qemu_caps_canonical_machine(caps, def->os_machine);

        if (!canon)
            return core_error_set(error, CORE_ERR_CONFIG_UNSUPPORTED,
                                  "Emulator '%s' does not support machine type '%s'",
                                  qemu_caps_get_binary(caps), def->os_machine);
        if (!g_str_equal(canon, def->os_machine)) {
            g_free(def->os_machine);
            def->os_machine = g_strdup(canon);
        }
    }
    return TRUE;
}

QemuCaps *
qemu_driver_get_caps(QemuDriver *driver, const char *emulator, GError **error)
{
    return qemu_caps_cache_lookup(driver->caps, emulator ? emulator : driver->emulator, NULL,
                                  error);
}

static void
load_config(QemuDriver *driver, const char *file)
{
    g_autofree char *path = g_build_filename(driver->config_dir, file, NULL);
    g_autofree char *link = g_build_filename(driver->autostart_dir, file, NULL);
    g_autofree char *xml = NULL;
    g_autoptr(GError) err = NULL;
    CoreDomainDef *def;
    QemuDomain *dom;
    gboolean is_new;

    if (!core_file_read_all(path, 16 * 1024 * 1024, &xml, NULL, &err) ||
        !(def = core_domain_def_parse_string(xml, CORE_DOMAIN_PARSE_INACTIVE, &err))) {
        CORE_WARN("skipping definition '%s': %s", path, err->message);
        return;
    }
    if (!qemu_domain_def_post_parse(driver, def, &err) ||
        !(dom = qemu_domain_add(driver, def, FALSE, &is_new, &err))) {
        if (!err)
            core_domain_def_free(def);
        CORE_WARN("skipping definition '%s': %s", path, err ? err->message : "");
        return;
    }
    dom->autostart = g_file_test(link, G_FILE_TEST_EXISTS);
    qemu_domain_unref(dom);
}

/* Reads one status file: the live definition, the persistent one, the pid. */
static void
load_status(QemuDriver *driver, const char *file)
{
    g_autofree char *path = g_build_filename(driver->run_dir, file, NULL);
    g_autofree char *xml = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(CoreDomainDef) live = NULL;
    g_autoptr(CoreDomainDef) persistent = NULL;
    xmlNode *root, *node;
    g_autoptr(QemuDomain) dom = NULL;
    gboolean is_new;
    guint64 pid = 0, state = 0, reason = 0, autostart = 0;
    gboolean fake_reboot = FALSE;

    if (!core_file_read_all(path, 16 * 1024 * 1024, &xml, NULL, &err) ||
        !(doc = core_xml_parse(xml, path, "domstatus", CORE_FROM_QEMU, &err))) {
        CORE_WARN("skipping status '%s': %s", path, err->message);
        return;
    }
    root = xmlDocGetRootElement(doc);
    core_xml_prop_uint(root, "pid", 10, G_MAXINT, &pid, NULL);
    core_xml_prop_uint(root, "state", 10, 10, &state, NULL);
    core_xml_prop_uint(root, "reason", 10, 100, &reason, NULL);
    core_xml_prop_uint(root, "autostart", 10, 1, &autostart, NULL);
    for (node = core_xml_first_element(root); node; node = core_xml_next_element(node)) {
        xmlNode *target = node;
        xmlBuffer *out;
        CoreDomainDef **slot = &live;

        if (core_xml_is(node, "fakereboot"))
            fake_reboot = TRUE;
        if (core_xml_is(node, "persistent")) {
            target = core_xml_child(node, "domain");
            slot = &persistent;
        }
        if (!target || !core_xml_is(target, "domain"))
            continue;
        out = xmlBufferCreate();
        xmlNodeDump(out, doc, target, 0, 0);
        /* the live definition keeps its device aliases */
        *slot = core_domain_def_parse_string((const char *)xmlBufferContent(out),
                                             slot == &live ? CORE_DOMAIN_PARSE_STATUS : 0,
                                             &err);
        xmlBufferFree(out);
        if (!*slot) {
            CORE_WARN("skipping status '%s': %s", path, err->message);
            return;
        }
    }
    if (!live || pid == 0) {
        CORE_WARN("skipping status '%s': no definition or pid", path);
        return;
    }
    if (!(dom = qemu_domain_add(driver, g_steal_pointer(&live), TRUE, &is_new, &err))) {
        CORE_WARN("skipping status '%s': %s", path, err->message);
        return;
    }
    g_mutex_lock(&dom->lock);
    /* the definition file, when there is one, is newer than the status */
    if (persistent && is_new) {
        core_domain_def_free(dom->newdef);
        dom->newdef = g_steal_pointer(&persistent);
        dom->persistent = TRUE;
    } else if (is_new) {
        dom->persistent = FALSE;
    }
    dom->autostart = dom->autostart || autostart;
    dom->pid = (GPid)pid;
    dom->state = (int)state;
    dom->reason = (int)reason;
    dom->fake_reboot = fake_reboot;
    g_mutex_unlock(&dom->lock);
    qemu_domain_assign_id(driver, dom);
    qemu_process_reconnect(dom);
}

static gboolean
make_dirs(QemuDriver *driver, GError **error)
{
    const char *dirs[] = { driver->config_dir, driver->run_dir, driver->lib_dir,
                           driver->log_dir };

    for (guint i = 0; i < G_N_ELEMENTS(dirs); i++)
        if (!core_file_mkdir_p(dirs[i], 0700, error))
            return FALSE;
    return TRUE;
}

QemuDriver *
qemu_driver_state_new(const char *config_dir, const char *run_dir, const char *log_dir,
                      const char *lib_dir, const char *cache_dir, GMainContext *context,
                      GError **error)
{
    QemuDriver *driver = g_new0(QemuDriver, 1);
    g_auto(GStrv) configs = NULL;
    g_auto(GStrv) statuses = NULL;
    const char *emulator = g_getenv("VIREO_QEMU_BINARY");
    const char *job_wait = g_getenv("VIREO_QEMU_JOB_WAIT_MS");

    g_mutex_init(&driver->lock);
    g_mutex_init(&driver->sink_lock);
    driver->by_uuid = g_hash_table_new_full(core_uuid_hash_func, core_uuid_equal_func, g_free,
                                            (GDestroyNotify)qemu_domain_unref);
    driver->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    driver->by_id = g_hash_table_new(g_direct_hash, g_direct_equal);
    driver->next_id = 1;
    driver->config_dir = g_build_filename(config_dir, "qemu", NULL);
    driver->autostart_dir = g_build_filename(driver->config_dir, "autostart", NULL);
    driver->run_dir = g_build_filename(run_dir, "qemu", NULL);
    driver->lib_dir = g_build_filename(lib_dir, "qemu", NULL);
    driver->log_dir = g_build_filename(log_dir, "qemu", NULL);
    driver->cache_dir = g_build_filename(cache_dir, "qemu", NULL);
    driver->emulator = g_strdup(emulator && *emulator ? emulator : QEMU_DEFAULT_EMULATOR);
    driver->job_wait_ms = QEMU_DOMAIN_JOB_WAIT_MS_DEFAULT;
    if (job_wait && *job_wait)
        driver->job_wait_ms = (guint)CLAMP(g_ascii_strtoull(job_wait, NULL, 10), 1, G_MAXINT / 1000);
    driver->caps = qemu_caps_cache_new(driver->cache_dir);
    driver->context = g_main_context_ref(context);
    driver->conns = g_ptr_array_new();
    qemu_driver_self = driver;

    if (!make_dirs(driver, error) ||
        !(configs = core_file_list_dir(driver->config_dir, ".xml", TRUE, error)) ||
        !(statuses = core_file_list_dir(driver->run_dir, ".xml", TRUE, error))) {
        qemu_driver_state_free(driver);
        return NULL;
    }
    for (guint i = 0; configs[i]; i++)
        load_config(driver, configs[i]);
    for (guint i = 0; statuses[i]; i++)
        load_status(driver, statuses[i]);
    return driver;
}

void
qemu_driver_state_free(QemuDriver *driver)
{
    if (!driver)
        return;
    if (qemu_driver_self == driver)
        qemu_driver_self = NULL;
    g_hash_table_destroy(driver->by_name);
    g_hash_table_destroy(driver->by_id);
    g_hash_table_destroy(driver->by_uuid);
    qemu_caps_cache_free(driver->caps);
    g_main_context_unref(driver->context);
    g_ptr_array_unref(driver->conns);
    g_free(driver->config_dir);
    g_free(driver->autostart_dir);
    g_free(driver->run_dir);
    g_free(driver->lib_dir);
    g_free(driver->log_dir);
    g_free(driver->cache_dir);
    g_free(driver->emulator);
    g_mutex_clear(&driver->lock);
    g_mutex_clear(&driver->sink_lock);
    g_free(driver);
}
