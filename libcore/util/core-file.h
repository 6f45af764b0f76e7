/* core-file: reading, atomic writing, directories.
 *
 * Persistent definitions are written with core_file_write_atomic(): temp
 * file in the same directory, fsync, rename over the target, fsync of the
 * directory. Readers see the old content or the new one, never a mix, and
 * a crash leaves no half-written definition behind.
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/**
 * core_file_read_fd:
 * @fd: descriptor to read until end of file (not closed)
 * @max_len: largest accepted content in bytes
 * @ret_data: (out) (transfer full): the bytes read plus a terminating NUL
 * @ret_len: (out) (optional): number of bytes read, without the NUL
 * @error: CORE_ERR_SYSTEM_ERROR on a read error, CORE_ERR_OPERATION_FAILED
 *     when there is more than @max_len bytes
 * Returns: TRUE on success; the out values are set only then.
 */
gboolean core_file_read_fd(int fd, gsize max_len, char **ret_data, gsize *ret_len,
                           GError **error);

/* core_file_read_fd() on the file at @path; errors name @path. Works for
 * files whose size stat() does not know (/proc, pipes). */
gboolean core_file_read_all(const char *path, gsize max_len, char **ret_data, gsize *ret_len,
                            GError **error);

/**
 * core_file_write_atomic:
 * @path: the file to create or replace
 * @data: bytes to write
 * @len: length of @data, or -1 when @data is a NUL-terminated string
 * @mode: permission bits of the new file (applied exactly, umask aside)
 * @error: CORE_ERR_SYSTEM_ERROR naming the failing step and path
 *
 * Writes "<dir>/.<name>.XXXXXX", fsyncs it, renames it over @path and
 * fsyncs the directory. On failure the temp file is removed and @path is
 * left as it was.
 * Returns: TRUE on success.
 */
gboolean core_file_write_atomic(const char *path, const void *data, gssize len, mode_t mode,
                                GError **error);

/* Creates @path and its missing parents with @mode (umask applies, as
 * with mkdir). An existing directory is success; anything else at @path
 * is CORE_ERR_SYSTEM_ERROR. */
gboolean core_file_mkdir_p(const char *path, mode_t mode, GError **error);

/* Removes the file or empty directory @path; one that does not exist is
 * success. Errors: CORE_ERR_SYSTEM_ERROR. */
gboolean core_file_remove(const char *path, GError **error);

/* Removes @path and, for a directory, everything below it (symlinks are
 * removed, never followed). A missing @path is success. */
gboolean core_file_remove_tree(const char *path, GError **error);

/**
 * core_file_list_dir:
 * @dir: directory to list
 * @suffix: (nullable): keep only names ending in it (".xml")
 * @missing_ok: a @dir that does not exist gives an empty list
 * @error: CORE_ERR_SYSTEM_ERROR when @dir cannot be read
 *
 * Names starting with '.' are skipped (that is where the temp files of
 * core_file_write_atomic() live).
 * Returns: (transfer full): sorted NULL-terminated entry names (not
 * paths), NULL on error.
 */
char **core_file_list_dir(const char *dir, const char *suffix, gboolean missing_ok,
                          GError **error);

G_END_DECLS
