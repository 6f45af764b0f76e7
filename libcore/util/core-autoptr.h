/* core-autoptr: g_autoptr() support for foreign types and an autofd.
 *
 * Foreign types get their cleanup functions here, once, so that two
 * modules never both define them (a second G_DEFINE_AUTOPTR_CLEANUP_FUNC
 * for the same type is a compile error).
 *
 * GLib 2.76 added g_autofd and g_clear_fd; we pin GLib 2.74 (Debian 12),
 * so core_autofd and core_clear_fd stand in with the same meaning. Once
 * the minimum GLib is 2.76 they can become plain aliases.
 */
#pragma once

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-c/json.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathObject, xmlXPathFreeObject)

/* json_object_put() returns int; the autoptr machinery wants a plain
 * destructor. */
static inline void
core_json_object_unref(json_object *obj)
{
    (void)json_object_put(obj);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, core_json_object_unref)

/**
 * core_clear_fd:
 * @fd_ptr: a file descriptor, or -1
 *
 * Closes *@fd_ptr when it is >= 0 and sets it to -1. errno is preserved,
 * so it may be used on error paths before errno is reported.
 * Returns: TRUE, or FALSE when close() failed (the fd is gone anyway).
 */
static inline gboolean
core_clear_fd(int *fd_ptr)
{
    int fd = *fd_ptr;
    int saved = errno;
    gboolean ok = TRUE;

    *fd_ptr = -1;
    if (fd >= 0)
        ok = g_close(fd, NULL);
    errno = saved;
    return ok;
}

static inline void
core_autofd_cleanup(int *fd_ptr)
{
    (void)core_clear_fd(fd_ptr);
}

/* Declares an int file descriptor closed when it goes out of scope:
 *     core_autofd int fd = open(path, O_RDONLY | O_CLOEXEC);
 * Hand it on with g_steal_fd(&fd). */
#define core_autofd __attribute__((cleanup(core_autofd_cleanup)))

G_END_DECLS
