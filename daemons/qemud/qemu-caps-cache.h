/* qemu-caps-cache: capabilities per QEMU binary, probed once.
 *
 * Lookups go memory -> disk -> probe. The disk cache holds one JSON file
 * per binary in the cache directory, named after a hash of the binary's
 * path, with the probe record and its key: the binary's path, size, mtime
 * and ctime (ns), whether /dev/kvm was usable, QEMU_CAPS_FORMAT_VERSION
 * and Vireo's version. Any difference, or a corrupt file, means a new
 * probe, whose result replaces the file atomically. A warm lookup costs a
 * stat() and an open() of /dev/kvm.
 *
 * Thread-safe; probes are serialized (one mutex), so two threads never
 * probe the same binary twice.
 */
#pragma once

#include <glib.h>
#include <json-c/json.h>

#include "qemu-caps.h"

G_BEGIN_DECLS

typedef struct _QemuCapsCache QemuCapsCache;

typedef enum {
    QEMU_CAPS_CACHE_MEMORY, /* found in memory, still valid */
    QEMU_CAPS_CACHE_DISK,   /* read from a valid cache file */
    QEMU_CAPS_CACHE_PROBED, /* the binary was run */
} QemuCapsCacheSource;

/* Produces a probe record (qemu_caps_probe_record() by default; tests
 * substitute recorded data). (transfer full) or NULL with @error. */
typedef json_object *(*QemuCapsProbeFunc)(const char *binary, gboolean kvm_device,
                                         gpointer user_data, GError **error);

/**
 * qemu_caps_cache_new:
 * @dir: the cache directory (created 0700 on first write)
 * Returns: (transfer full) an empty cache.
 */
QemuCapsCache *qemu_caps_cache_new(const char *dir);
void qemu_caps_cache_free(QemuCapsCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuCapsCache, qemu_caps_cache_free)

/* Replaces the probe (NULL restores the real one). For tests. */
void qemu_caps_cache_set_probe_func(QemuCapsCache *cache, QemuCapsProbeFunc func,
                                    gpointer user_data);

/**
 * qemu_caps_cache_lookup:
 * @binary: absolute path of a QEMU binary
 * @source: (out) (optional) where the answer came from
 * Returns: (transfer full) the binary's caps, or NULL with @error:
 * CORE_ERR_SYSTEM_ERROR when the binary is missing, the probe's error
 * otherwise. A failure to write the cache file is only logged.
 */
QemuCaps *qemu_caps_cache_lookup(QemuCapsCache *cache, const char *binary,
                                 QemuCapsCacheSource *source, GError **error);

/* Forgets the in-memory entries (the files stay). */
void qemu_caps_cache_clear_memory(QemuCapsCache *cache);

/* (transfer full) The cache file used for @binary. */
char *qemu_caps_cache_file_path(QemuCapsCache *cache, const char *binary);

G_END_DECLS
