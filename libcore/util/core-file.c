/* core-file: see core-file.h. */
#include "core-file.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_NONE

#define READ_CHUNK 16384

gboolean
core_file_read_fd(int fd, gsize max_len, char **ret_data, gsize *ret_len, GError **error)
{
    g_autoptr(GByteArray) buf = g_byte_array_new();
    gsize used = 0;

    for (;;) {
        ssize_t n;

        /* Read into the spare tail of @buf; one byte more than @max_len is
         * enough to tell an over-long file. */
        g_byte_array_set_size(buf, (guint)MIN(used + READ_CHUNK, max_len + 1));
        n = read(fd, buf->data + used, buf->len - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return core_error_set_errno(error, errno, "cannot read file descriptor %d", fd);
        if (n == 0)
            break;
        used += (gsize)n;
        if (used > max_len)
            return core_error_set(error, CORE_ERR_OPERATION_FAILED,
                                  "content is larger than %" G_GSIZE_FORMAT " bytes", max_len);
    }
    g_byte_array_set_size(buf, (guint)used + 1);
    buf->data[used] = '\0';
    if (ret_len)
        *ret_len = used;
    *ret_data = (char *)g_byte_array_free(g_steal_pointer(&buf), FALSE);
    return TRUE;
}

gboolean
core_file_read_all(const char *path, gsize max_len, char **ret_data, gsize *ret_len,
                   GError **error)
{
    core_autofd int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    g_autoptr(GError) local = NULL;

    if (fd < 0)
        return core_error_set_errno(error, errno, "cannot open '%s'", path);
    if (!core_file_read_fd(fd, max_len, ret_data, ret_len, &local)) {
        g_propagate_prefixed_error(error, g_steal_pointer(&local), "reading '%s': ", path);
        return FALSE;
    }
    return TRUE;
}

static gboolean
write_all(int fd, const guint8 *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return FALSE;
        data += n;
        len -= (gsize)n;
    }
    return TRUE;
}

static gboolean
fsync_dir(const char *dir, GError **error)
{
    core_autofd int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return core_error_set_errno(error, errno, "cannot open directory '%s'", dir);
    if (fsync(fd) < 0 && errno != EINVAL)
        return core_error_set_errno(error, errno, "cannot sync directory '%s'", dir);
    return TRUE;
}

/* Fills, syncs and closes the temp file behind @fd. */
static gboolean
write_temp(int *fd, const char *tmp, const void *data, gsize len, mode_t mode, GError **error)
{
    if (fchmod(*fd, mode) < 0)
        return core_error_set_errno(error, errno, "cannot set mode of '%s'", tmp);
    if (!write_all(*fd, data, len))
        return core_error_set_errno(error, errno, "cannot write '%s'", tmp);
    if (fsync(*fd) < 0)
        return core_error_set_errno(error, errno, "cannot sync '%s'", tmp);
    /* close() can report a delayed write error (NFS); it must not pass. */
    if (!core_clear_fd(fd))
        return core_error_set_errno(error, errno, "cannot close '%s'", tmp);
    return TRUE;
}

gboolean
core_file_write_atomic(const char *path, const void *data, gssize len, mode_t mode,
                       GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    gsize n = len < 0 ? strlen(data) : (gsize)len;
    core_autofd int fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, mode & 0777);

    if (fd < 0)
        return core_error_set_errno(error, errno, "cannot create a temporary file for '%s'",
                                    path);
    if (!write_temp(&fd, tmp, data, n, mode, error))
        goto rollback;
    if (rename(tmp, path) < 0) {
        core_error_set_errno(error, errno, "cannot rename '%s' to '%s'", tmp, path);
        goto rollback;
    }
    return fsync_dir(dir, error);

rollback:
    /* Undo the external effect: the temp file must not stay behind. */
    (void)unlink(tmp);
    return FALSE;
}

gboolean
core_file_mkdir_p(const char *path, mode_t mode, GError **error)
{
    if (g_mkdir_with_parents(path, (int)mode) < 0)
        return core_error_set_errno(error, errno, "cannot create directory '%s'", path);
    /* g_mkdir_with_parents() accepts an existing non-directory at @path. */
    if (!g_file_test(path, G_FILE_TEST_IS_DIR))
        return core_error_set_errno(error, ENOTDIR, "cannot create directory '%s'", path);
    return TRUE;
}

gboolean
core_file_remove(const char *path, GError **error)
{
    if (remove(path) < 0 && errno != ENOENT)
        return core_error_set_errno(error, errno, "cannot remove '%s'", path);
    return TRUE;
}

static void
closedir_cleanup(DIR **d)
{
    if (*d)
        (void)closedir(*d);
}

/* Entry names of @path except "." and "..", unsorted. NULL with
 * *@ret_errno set when the directory cannot be opened or read (errno itself
 * is not reliable once the cleanups have run). */
static GPtrArray *
read_names(const char *path, int *ret_errno)
{
    __attribute__((cleanup(closedir_cleanup))) DIR *d = opendir(path);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    struct dirent *ent;

    if (!d) {
        *ret_errno = errno;
        return NULL;
    }
    for (;;) {
        errno = 0;
        ent = readdir(d);
        if (!ent)
            break;
        if (g_str_equal(ent->d_name, ".") || g_str_equal(ent->d_name, ".."))
            continue;
        g_ptr_array_add(names, g_strdup(ent->d_name));
    }
    if (errno != 0) {
        *ret_errno = errno;
        return NULL;
    }
    return g_steal_pointer(&names);
}

gboolean
core_file_remove_tree(const char *path, GError **error)
{
    struct stat st;
    g_autoptr(GPtrArray) names = NULL;
    int err = 0;

    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            return TRUE;
        return core_error_set_errno(error, errno, "cannot stat '%s'", path);
    }
    if (!S_ISDIR(st.st_mode))
        return core_file_remove(path, error);

    names = read_names(path, &err);
    if (!names)
        return core_error_set_errno(error, err, "cannot read directory '%s'", path);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *child = g_build_filename(path, g_ptr_array_index(names, i), NULL);

        if (!core_file_remove_tree(child, error))
            return FALSE;
    }
    return core_file_remove(path, error);
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
core_file_list_dir(const char *dir, const char *suffix, gboolean missing_ok, GError **error)
{
    int err = 0;
    g_autoptr(GPtrArray) names = read_names(dir, &err);
    g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func(g_free);

    if (!names) {
        if (missing_ok && err == ENOENT)
            return g_new0(char *, 1);
        core_error_set_errno(error, err, "cannot read directory '%s'", dir);
        return NULL;
    }
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);

        if (name[0] == '.' || (suffix && !g_str_has_suffix(name, suffix)))
            continue;
        g_ptr_array_add(kept, g_strdup(name));
    }
    g_ptr_array_sort(kept, compare_names);
    g_ptr_array_add(kept, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&kept), FALSE);
}
