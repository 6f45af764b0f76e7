/* qemu-caps-cache: see qemu-caps-cache.h. */
#include "qemu-caps-cache.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-log.h"
#include "vireo-config.h"

#define CORE_FROM_THIS CORE_FROM_QEMU
CORE_LOG_INIT("qemu.caps.cache");

/* Cache files are ~0.4 MB; anything far larger is not ours. */
#define CACHE_FILE_MAX (64 * 1024 * 1024)

typedef struct {
    gint64 size;
    gint64 mtime_ns;
    gint64 ctime_ns;
    gint64 ino;
    gboolean kvm_device;
} CacheKey;

typedef struct {
    CacheKey key;
    QemuCaps *caps;
} CacheEntry;

struct _QemuCapsCache {
    char *dir;
    GMutex lock;
    GHashTable *entries; /* binary -> CacheEntry */
    QemuCapsProbeFunc probe;
    gpointer probe_data;
};

static void
entry_free(gpointer p)
{
    CacheEntry *e = p;

    qemu_caps_unref(e->caps);
    g_free(e);
}

static json_object *
default_probe(const char *binary, gboolean kvm_device, gpointer data, GError **error)
{
    return qemu_caps_probe_record(binary, kvm_device, error);
}

QemuCapsCache *
qemu_caps_cache_new(const char *dir)
{
    QemuCapsCache *cache = g_new0(QemuCapsCache, 1);

    cache->dir = g_strdup(dir);
    g_mutex_init(&cache->lock);
    cache->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
    cache->probe = default_probe;
    return cache;
}

void
qemu_caps_cache_free(QemuCapsCache *cache)
{
    if (!cache)
        return;
    g_hash_table_unref(cache->entries);
    g_mutex_clear(&cache->lock);
    g_free(cache->dir);
    g_free(cache);
}

void
qemu_caps_cache_set_probe_func(QemuCapsCache *cache, QemuCapsProbeFunc func, gpointer user_data)
{
    g_mutex_lock(&cache->lock);
    cache->probe = func ? func : default_probe;
    cache->probe_data = func ? user_data : NULL;
    g_mutex_unlock(&cache->lock);
}

void
qemu_caps_cache_clear_memory(QemuCapsCache *cache)
{
    g_mutex_lock(&cache->lock);
    g_hash_table_remove_all(cache->entries);
    g_mutex_unlock(&cache->lock);
}

char *
qemu_caps_cache_file_path(QemuCapsCache *cache, const char *binary)
{
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, binary, -1);
    g_autofree char *name = g_strdup_printf("qemu-%.32s.json", sum);

    return g_build_filename(cache->dir, name, NULL);
}

static gboolean
key_current(const char *binary, CacheKey *key, GError **error)
{
    struct stat st;

    if (stat(binary, &st) < 0)
        return core_error_set_errno(error, errno, "cannot find QEMU binary '%s'", binary);
    if (!S_ISREG(st.st_mode))
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                              "QEMU binary '%s' is not a regular file", binary);
    key->size = st.st_size;
    key->mtime_ns = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    key->ctime_ns = (gint64)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
    key->ino = (gint64)st.st_ino;
    key->kvm_device = qemu_caps_kvm_device_usable(NULL);
    return TRUE;
}

static gboolean
key_equal(const CacheKey *a, const CacheKey *b)
{
    return a->size == b->size && a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns &&
           a->ino == b->ino && a->kvm_device == b->kvm_device;
}

static gint64
int_member(json_object *obj, const char *name, gboolean *ok)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(obj, name, &v) || !json_object_is_type(v, json_type_int)) {
        *ok = FALSE;
        return -1;
    }
    return json_object_get_int64(v);
}

static const char *
str_member(json_object *obj, const char *name)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(obj, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* The record of a cache file when its key matches @key, else NULL (and
 * why, for the log). */
static json_object *
file_load(const char *path, const char *binary, const CacheKey *key, char **why)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(json_object) root = NULL;
    json_object *record = NULL;
    json_object *kvm = NULL;
    gboolean ok = TRUE;

    if (!g_file_get_contents(path, &text, &len, NULL)) {
        *why = g_strdup("no cache file");
        return NULL;
    }
    root = len < CACHE_FILE_MAX ? json_tokener_parse(text) : NULL;
    if (!root || !json_object_is_type(root, json_type_object)) {
        *why = g_strdup("cache file is corrupt");
        return NULL;
    }
    if (int_member(root, "format", &ok) != QEMU_CAPS_FORMAT_VERSION || !ok ||
        g_strcmp0(str_member(root, "vireo-version"), VIREO_VERSION) != 0) {
        *why = g_strdup("cache file has another format version");
        return NULL;
    }
    if (g_strcmp0(str_member(root, "binary"), binary) != 0 ||
        int_member(root, "size", &ok) != key->size || int_member(root, "mtime-ns", &ok) != key->mtime_ns ||
        int_member(root, "ctime-ns", &ok) != key->ctime_ns || int_member(root, "inode", &ok) != key->ino ||
        !ok) {
        *why = g_strdup("binary changed since it was probed");
        return NULL;
    }
    if (!json_object_object_get_ex(root, "record", &record) ||
        !json_object_object_get_ex(record, "kvm-device", &kvm) ||
        json_object_get_boolean(kvm) != key->kvm_device) {
        *why = g_strdup("/dev/kvm changed since the binary was probed");
        return NULL;
    }
    return json_object_get(record);
}

static void
file_store(QemuCapsCache *cache, const char *path, const char *binary, const CacheKey *key,
           json_object *record)
{
    g_autoptr(json_object) root = json_object_new_object();
    g_autoptr(GError) err = NULL;
    const char *text;

    json_object_object_add(root, "format", json_object_new_int(QEMU_CAPS_FORMAT_VERSION));
    json_object_object_add(root, "vireo-version", json_object_new_string(VIREO_VERSION));
    json_object_object_add(root, "binary", json_object_new_string(binary));
    json_object_object_add(root, "size", json_object_new_int64(key->size));
    json_object_object_add(root, "mtime-ns", json_object_new_int64(key->mtime_ns));
    json_object_object_add(root, "ctime-ns", json_object_new_int64(key->ctime_ns));
    json_object_object_add(root, "inode", json_object_new_int64(key->ino));
    json_object_object_add(root, "record", json_object_get(record));
    text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
    if (g_mkdir_with_parents(cache->dir, 0700) < 0) {
        CORE_WARN("cannot create QEMU capabilities cache '%s': %s", cache->dir,
                  g_strerror(errno));
        return;
    }
    /* temp file + fsync + rename: a reader sees the old file or the new */
    if (!g_file_set_contents_full(path, text, -1,
                                  G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err))
        CORE_WARN("cannot write QEMU capabilities cache: %s", err->message);
}

/* Disk, then probe; called with the lock held. */
static QemuCaps *
load_or_probe(QemuCapsCache *cache, const char *binary, const CacheKey *key,
              QemuCapsCacheSource *source, GError **error)
{
    g_autofree char *path = qemu_caps_cache_file_path(cache, binary);
    g_autofree char *why = NULL;
    g_autoptr(json_object) record = file_load(path, binary, key, &why);
    g_autoptr(GError) err = NULL;
    QemuCaps *caps = NULL;

    if (record) {
        caps = qemu_caps_new_from_record(binary, record, &err);
        if (caps) {
            *source = QEMU_CAPS_CACHE_DISK;
            return caps;
        }
        CORE_INFO("ignoring cached capabilities of '%s': %s", binary, err->message);
    } else {
        CORE_DEBUG("probing '%s': %s", binary, why);
    }
    g_clear_pointer(&record, json_object_put);
    record = cache->probe(binary, key->kvm_device, cache->probe_data, error);
    if (!record)
        return NULL;
    caps = qemu_caps_new_from_record(binary, record, error);
    if (!caps)
        return NULL;
    file_store(cache, path, binary, key, record);
    *source = QEMU_CAPS_CACHE_PROBED;
    return caps;
}

QemuCaps *
qemu_caps_cache_lookup(QemuCapsCache *cache, const char *binary, QemuCapsCacheSource *source,
                       GError **error)
{
    CacheKey key = { 0 };
    CacheEntry *e;
    QemuCapsCacheSource src = QEMU_CAPS_CACHE_MEMORY;
    QemuCaps *caps;

    if (!key_current(binary, &key, error))
        return NULL;
    g_mutex_lock(&cache->lock);
    e = g_hash_table_lookup(cache->entries, binary);
    if (e && key_equal(&e->key, &key)) {
        caps = qemu_caps_ref(e->caps);
    } else {
        caps = load_or_probe(cache, binary, &key, &src, error);
        if (caps) {
            e = g_new0(CacheEntry, 1);
            e->key = key;
            e->caps = qemu_caps_ref(caps);
            g_hash_table_insert(cache->entries, g_strdup(binary), e);
        }
    }
    g_mutex_unlock(&cache->lock);
    if (caps && source)
        *source = src;
    return caps;
}
