/* core-daemon-sockets: see core-daemon-sockets.h. */
#include "core-daemon-sockets.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core-error.h"
#include "core-log.h"
#include "core-systemd.h"

#define CORE_FROM_THIS CORE_FROM_RPC

CORE_LOG_INIT("core.daemon.sockets");

static gboolean
fill_addr(struct sockaddr_un *addr, const char *path, GError **error)
{
    memset(addr, 0, sizeof(*addr));
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(addr->sun_path))
        return core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_SYSTEM_ERROR,
                                      "socket path is too long");
    memcpy(addr->sun_path, path, strlen(path) + 1);
    return TRUE;
}

/* A socket file left by a daemon that died is replaced; one that still has
 * a listener behind it belongs to someone else and is left alone. */
static gboolean
clear_stale(const char *path, const struct sockaddr_un *addr, GError **error)
{
    struct stat st;
    int fd;
    int rc;

    if (lstat(path, &st) < 0)
        return errno == ENOENT ? TRUE
                               : core_error_set_errno(error, errno, "cannot stat '%s'", path);
    if (!S_ISSOCK(st.st_mode))
        return core_error_set_literal(error, CORE_FROM_THIS, CORE_ERR_OPERATION_INVALID,
                                      "refusing to replace a file that is not a socket");
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return core_error_set_errno(error, errno, "cannot create a socket");
    rc = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
    g_close(fd, NULL);
    if (rc == 0 || errno == EAGAIN)
        return core_error_set(error, CORE_ERR_OPERATION_INVALID,
                              "socket '%s' is in use by another process", path);
    if (unlink(path) < 0 && errno != ENOENT)
        return core_error_set_errno(error, errno, "cannot remove stale socket '%s'", path);
    CORE_DEBUG("removed stale socket '%s'", path);
    return TRUE;
}

int
core_daemon_socket_listen(const char *path, guint perms, gid_t gid, GError **error)
{
    struct sockaddr_un addr;
    g_autoptr(GError) local = NULL;
    int fd;
    mode_t old_mask;
    int rc;

    if (!fill_addr(&addr, path, &local) || !clear_stale(path, &addr, &local)) {
        g_propagate_prefixed_error(error, g_steal_pointer(&local), "%s: ", path);
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        core_error_set_errno(error, errno, "cannot create socket '%s'", path);
        return -1;
    }
    /* Created without any permission for others, widened once owned right. */
    old_mask = umask(0077);
    rc = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
    umask(old_mask);
    if (rc < 0 || listen(fd, SOMAXCONN) < 0) {
        core_error_set_errno(error, errno, "cannot listen on '%s'", path);
        g_close(fd, NULL);
        return -1;
    }
    if ((gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) < 0) || chmod(path, perms) < 0) {
        core_error_set_errno(error, errno, "cannot set owner or mode of '%s'", path);
        unlink(path);
        g_close(fd, NULL);
        return -1;
    }
    CORE_DEBUG("listening on '%s' mode %04o", path, perms);
    return fd;
}

static char *
socket_path_of(int fd)
{
    struct sockaddr_un addr;
    socklen_t len = sizeof(addr);

    memset(&addr, 0, sizeof(addr));
    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0 || addr.sun_family != AF_UNIX ||
        len <= offsetof(struct sockaddr_un, sun_path) || addr.sun_path[0] == '\0')
        return NULL;
    return g_strndup(addr.sun_path, len - offsetof(struct sockaddr_un, sun_path));
}

static int
kind_of_name(const char *name, const char *fdname)
{
    static const char *const suffix[] = { ".socket", "-ro.socket", "-admin.socket" };

    for (int k = 0; k < 3; k++) {
        g_autofree char *a = g_strconcat(name, suffix[k], NULL);
        g_autofree char *b = g_strconcat("vireo-", name, suffix[k], NULL);

        if (strcmp(fdname, a) == 0 || strcmp(fdname, b) == 0)
            return k;
    }
    return -1;
}

static int
kind_of_path(const CoreDaemonListener *listeners, const char *path)
{
    for (int k = 0; k < CORE_DAEMON_LISTEN_LAST; k++) {
        if (path && listeners[k].path && strcmp(listeners[k].path, path) == 0)
            return k;
    }
    return -1;
}

static void
adopt(CoreDaemonListener *l, int fd, char *path)
{
    l->fd = fd;
    l->created = FALSE;
    if (path) {
        g_free(l->path);
        l->path = path;
    }
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
}

int
core_daemon_sockets_activation(const char *name, CoreDaemonListener *listeners, GError **error)
{
    g_auto(GStrv) names = NULL;
    int n = core_systemd_listen_fds(&names, error);

    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        int fd = CORE_SYSTEMD_LISTEN_FDS_START + i;
        g_autofree char *path = socket_path_of(fd);
        const char *fdname = names && names[i] ? names[i] : "unknown";
        int kind = kind_of_name(name, fdname);

        if (kind < 0)
            kind = kind_of_path(listeners, path);
        if (kind < 0 && listeners[CORE_DAEMON_LISTEN_RW].fd < 0 &&
            core_systemd_is_listening_unix_stream(fd))
            kind = CORE_DAEMON_LISTEN_RW;
        if (kind < 0 || listeners[kind].fd >= 0) {
            CORE_WARN("ignoring socket %d ('%s', %s) passed by systemd", fd, fdname,
                      path ? path : "no path");
            g_close(fd, NULL);
            continue;
        }
        CORE_DEBUG("socket %d ('%s', %s) from systemd", fd, fdname, path ? path : "no path");
        adopt(&listeners[kind], fd, g_steal_pointer(&path));
    }
    return n;
}

gboolean
core_daemon_lookup_group(const char *group, gid_t *ret, GError **error)
{
    g_autofree char *buf = g_malloc(16384);
    struct group grp;
    struct group *found = NULL;
    char *end = NULL;
    guint64 num;

    num = g_ascii_strtoull(group, &end, 10);
    if (*group && end && *end == '\0' && num < G_MAXUINT32) {
        *ret = (gid_t)num;
        return TRUE;
    }
    if (getgrnam_r(group, &grp, buf, 16384, &found) != 0 || !found)
        return core_error_set_full(error, CORE_FROM_CONF, CORE_ERR_CONF_SYNTAX,
                                   "unix_sock_group: no group named '%s'", group);
    *ret = found->gr_gid;
    return TRUE;
}
