/* core-pidfile: see core-pidfile.h. */
#include "core-pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-file.h"

#define CORE_FROM_THIS CORE_FROM_NONE

/* A release (unlink) racing with an acquire can hand the acquirer a lock
 * on an unlinked inode; it then retries on the new file. */
#define ACQUIRE_TRIES 10

struct _CorePidfile {
    char *path;
    int fd;
};

static int
lock_whole(int fd, short type)
{
    struct flock fl = {
        .l_type = type,
        .l_whence = SEEK_SET,
        .l_start = 0,
        .l_len = 0,
    };

    return fcntl(fd, F_OFD_SETLK, &fl);
}

/* The pid written in the file behind @fd; -1 when there is none. */
static pid_t
read_pid_fd(int fd)
{
    g_autofree char *data = NULL;
    guint64 pid = 0;

    if (lseek(fd, 0, SEEK_SET) < 0 || !core_file_read_fd(fd, 64, &data, NULL, NULL))
        return -1;
    g_strstrip(data);
    if (!g_ascii_string_to_unsigned(data, 10, 1, G_MAXINT32, &pid, NULL))
        return -1;
    return (pid_t)pid;
}

static gboolean
same_file(int fd, const char *path)
{
    struct stat a;
    struct stat b;

    if (fstat(fd, &a) < 0 || stat(path, &b) < 0)
        return FALSE;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static gboolean
write_pid(int fd, const char *path, GError **error)
{
    g_autofree char *text = g_strdup_printf("%d\n", (int)getpid());
    gsize len = strlen(text);

    if (ftruncate(fd, 0) < 0 || pwrite(fd, text, len, 0) != (ssize_t)len)
        return core_error_set_errno(error, errno, "cannot write pidfile '%s'", path);
    return TRUE;
}

/* One attempt: TRUE with *@ret_fd set when locked; TRUE with *@ret_fd -1
 * when the lock landed on a replaced file (try again). */
static gboolean
try_acquire(const char *path, int *ret_fd, pid_t *ret_other, GError **error)
{
    core_autofd int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);

    if (fd < 0)
        return core_error_set_errno(error, errno, "cannot open pidfile '%s'", path);
    if (lock_whole(fd, F_WRLCK) < 0) {
        pid_t other;

        if (errno != EAGAIN && errno != EACCES)
            return core_error_set_errno(error, errno, "cannot lock pidfile '%s'", path);
        other = read_pid_fd(fd);
        if (ret_other)
            *ret_other = other;
        return core_error_set(error, CORE_ERR_OPERATION_FAILED,
                              "pidfile '%s' is held by process %d: another instance is running",
                              path, (int)other);
    }
    if (!same_file(fd, path)) {
        *ret_fd = -1;
        return TRUE;
    }
    if (!write_pid(fd, path, error))
        return FALSE;
    *ret_fd = g_steal_fd(&fd);
    return TRUE;
}

CorePidfile *
core_pidfile_acquire(const char *path, pid_t *ret_other, GError **error)
{
    CorePidfile *pidfile;
    int fd = -1;

    if (ret_other)
        *ret_other = 0;
    for (guint i = 0; i < ACQUIRE_TRIES && fd < 0; i++) {
        if (!try_acquire(path, &fd, ret_other, error))
            return NULL;
    }
    if (fd < 0) {
        core_error_set(error, CORE_ERR_OPERATION_FAILED,
                       "pidfile '%s' keeps being replaced while locking it", path);
        return NULL;
    }
    pidfile = g_new0(CorePidfile, 1);
    pidfile->path = g_strdup(path);
    pidfile->fd = fd;
    return pidfile;
}

void
core_pidfile_release(CorePidfile *pidfile)
{
    if (!pidfile)
        return;
    /* Unlink while still locked, so nobody locks a file about to vanish
     * without noticing (try_acquire() compares inodes). */
    (void)unlink(pidfile->path);
    (void)core_clear_fd(&pidfile->fd);
    g_free(pidfile->path);
    g_free(pidfile);
}

const char *
core_pidfile_get_path(const CorePidfile *pidfile)
{
    return pidfile->path;
}

pid_t
core_pidfile_read_owner(const char *path)
{
    core_autofd int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    struct flock fl = {
        .l_type = F_WRLCK,
        .l_whence = SEEK_SET,
    };

    if (fd < 0)
        return 0;
    /* A read-only descriptor can still ask whether a write lock would be
     * refused. */
    if (fcntl(fd, F_OFD_GETLK, &fl) < 0 || fl.l_type == F_UNLCK)
        return 0;
    return read_pid_fd(fd);
}
