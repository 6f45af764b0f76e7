/* core-systemd: see core-systemd.h. */
#include "core-systemd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_NONE

/* Fills @sa from a socket name; a leading '@' names the abstract namespace. */
static gboolean
unix_address(const char *name, struct sockaddr_un *sa, socklen_t *len)
{
    gsize n = strlen(name);

    if (n == 0 || n >= sizeof(sa->sun_path))
        return FALSE;
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    memcpy(sa->sun_path, name, n);
    if (name[0] == '@')
        sa->sun_path[0] = '\0';
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (name[0] == '@' ? 0 : 1));
    return TRUE;
}

static int
dgram_socket(void)
{
    return socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

/* The socket for journal entries, made once and kept: an entry per log
 * line should not cost a socket() and a close(). */
static int
journal_socket(void)
{
    static gsize once;
    static int fd = -1;

    if (g_once_init_enter(&once)) {
        fd = dgram_socket();
        g_once_init_leave(&once, 1);
    }
    return fd;
}

gboolean
core_systemd_notify(const char *state)
{
    const char *name = g_getenv("NOTIFY_SOCKET");
    struct sockaddr_un sa;
    socklen_t len;
    core_autofd int fd = -1;
    gsize n = strlen(state);

    if (!name || !unix_address(name, &sa, &len) || (fd = dgram_socket()) < 0)
        return FALSE;
    return sendto(fd, state, n, MSG_NOSIGNAL, (struct sockaddr *)&sa, len) == (ssize_t)n;
}

gboolean
core_systemd_notifyf(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *state = NULL;

    va_start(ap, fmt);
    state = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return core_systemd_notify(state);
}

/* A decimal in [0, max] and nothing else. */
static gboolean
parse_count(const char *s, gint64 max, gint64 *ret)
{
    guint64 v;

    if (!s || !g_ascii_string_to_unsigned(s, 10, 0, (guint64)max, &v, NULL))
        return FALSE;
    *ret = (gint64)v;
    return TRUE;
}

int
core_systemd_parse_listen(const char *pid, const char *fds, const char *names, gint64 self,
                          char ***ret_names, GError **error)
{
    g_auto(GStrv) split = NULL;
    gint64 want, count;
    guint given;

    if (ret_names)
        *ret_names = NULL;
    if (!pid || !fds)
        return 0;
    if (!parse_count(pid, G_MAXINT32, &want)) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "malformed LISTEN_PID '%s'", pid);
        return -1;
    }
    if (want != self)
        return 0;
    if (!parse_count(fds, G_MAXINT32 - CORE_SYSTEMD_LISTEN_FDS_START, &count)) {
        core_error_set(error, CORE_ERR_INTERNAL_ERROR, "malformed LISTEN_FDS '%s'", fds);
        return -1;
    }
    split = names ? g_strsplit(names, ":", -1) : g_new0(char *, 1);
    given = g_strv_length(split);
    if (ret_names) {
        char **out = g_new0(char *, count + 1);

        for (gint64 i = 0; i < count; i++)
            out[i] = g_strdup(i < given && *split[i] ? split[i] : "unknown");
        *ret_names = out;
    }
    return (int)count;
}

int
core_systemd_listen_fds(char ***ret_names, GError **error)
{
    int n = core_systemd_parse_listen(g_getenv("LISTEN_PID"), g_getenv("LISTEN_FDS"),
                                      g_getenv("LISTEN_FDNAMES"), getpid(), ret_names, error);

    g_unsetenv("LISTEN_PID");
    g_unsetenv("LISTEN_FDS");
    g_unsetenv("LISTEN_FDNAMES");
    for (int i = 0; i < n; i++) {
        int fd = CORE_SYSTEMD_LISTEN_FDS_START + i;
        int flags = fcntl(fd, F_GETFD);

        if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
            core_error_set_errno(error, errno, "descriptor %d passed by systemd", fd);
            if (ret_names)
                g_clear_pointer(ret_names, g_strfreev);
            return -1;
        }
    }
    return n;
}

gboolean
core_systemd_is_listening_unix_stream(int fd)
{
    struct stat st;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int type = 0, listening = 0;
    socklen_t olen = sizeof(int);

    if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
        return FALSE;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &olen) < 0 || type != SOCK_STREAM)
        return FALSE;
    olen = sizeof(int);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &olen) < 0 || !listening)
        return FALSE;
    return getsockname(fd, (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_UNIX;
}

/* One field in the native format: "NAME=value\n", or, when the value holds
 * a newline, "NAME\n" + its length as 64-bit little endian + value + "\n". */
static void
encode_field(GByteArray *out, const char *field)
{
    const char *eq = strchr(field, '=');
    const char *value;
    guint64 len;

    if (!eq || eq == field)
        return;
    value = eq + 1;
    if (!strchr(value, '\n')) {
        g_byte_array_append(out, (const guint8 *)field, (guint)strlen(field));
        g_byte_array_append(out, (const guint8 *)"\n", 1);
        return;
    }
    len = GUINT64_TO_LE((guint64)strlen(value));
    g_byte_array_append(out, (const guint8 *)field, (guint)(eq - field));
    g_byte_array_append(out, (const guint8 *)"\n", 1);
    g_byte_array_append(out, (const guint8 *)&len, sizeof(len));
    g_byte_array_append(out, (const guint8 *)value, (guint)strlen(value));
    g_byte_array_append(out, (const guint8 *)"\n", 1);
}

/* Sends @data in a sealed memfd: journald's way for entries larger than a
 * datagram may be. */
static gboolean
send_as_memfd(int sock, const struct sockaddr_un *sa, socklen_t salen, const guint8 *data,
              gsize len)
{
    core_autofd int mfd = memfd_create("vireo-journal", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
    struct msghdr mh = { 0 };
    struct cmsghdr *c;

    if (mfd < 0 || write(mfd, data, len) != (ssize_t)len ||
        fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
        return FALSE;
    mh.msg_name = (void *)sa;
    mh.msg_namelen = salen;
    mh.msg_control = cbuf;
    mh.msg_controllen = sizeof(cbuf);
    c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &mfd, sizeof(int));
    return sendmsg(sock, &mh, MSG_NOSIGNAL) >= 0;
}

gboolean
core_systemd_journal_send(const char *socket_path, const char *const *fields, gsize n_fields)
{
    g_autoptr(GByteArray) entry = g_byte_array_new();
    struct sockaddr_un sa;
    socklen_t salen;
    core_autofd int own = -1;
    int sock;
    ssize_t sent;

    for (gsize i = 0; i < n_fields; i++)
        encode_field(entry, fields[i]);
    if (!unix_address(socket_path ? socket_path : CORE_SYSTEMD_JOURNAL_SOCKET, &sa, &salen))
        return FALSE;
    sock = socket_path ? (own = dgram_socket()) : journal_socket();
    if (sock < 0)
        return FALSE;
    do {
        sent = sendto(sock, entry->data, entry->len, MSG_NOSIGNAL, (struct sockaddr *)&sa,
                      salen);
    } while (sent < 0 && errno == EINTR);
    if (sent >= 0)
        return TRUE;
    if (errno != EMSGSIZE && errno != ENOBUFS)
        return FALSE;
    return send_as_memfd(sock, &sa, salen, entry->data, entry->len);
}
