/* Unit tests for core-systemd: the readiness, socket-activation and journal
 * protocols, each against a real socket bound here in place of systemd's. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-systemd.h"

/* A datagram socket bound to NAME ('@' for the abstract namespace). */
static int
bound_dgram(const char *name)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    socklen_t len;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpuint(strlen(name), <, sizeof(sa.sun_path));
    memcpy(sa.sun_path, name, strlen(name));
    if (name[0] == '@')
        sa.sun_path[0] = '\0';
    len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name) +
                      (name[0] == '@' ? 0 : 1));
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, len), ==, 0);
    return fd;
}

/* Receives one datagram; returns its payload, or the contents of the file
 * passed with it when it carries one (the memfd form). */
static GBytes *
recv_entry(int fd, gboolean *ret_had_fd)
{
    g_autofree guint8 *buf = g_malloc(1 << 20);
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { buf, 1 << 20 };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                         .msg_controllen = sizeof(cbuf) };
    ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    struct cmsghdr *c;

    g_assert_cmpint(n, >=, 0);
    *ret_had_fd = FALSE;
    for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        int mfd;
        struct stat st;
        g_autofree guint8 *data = NULL;

        if (c->cmsg_type != SCM_RIGHTS)
            continue;
        memcpy(&mfd, CMSG_DATA(c), sizeof(int));
        g_assert_cmpint(fstat(mfd, &st), ==, 0);
        data = g_malloc(st.st_size);
        g_assert_cmpint(pread(mfd, data, st.st_size, 0), ==, st.st_size);
        /* journald refuses unsealed files: the seals must be in place */
        g_assert_cmpint(fcntl(mfd, F_GET_SEALS) & F_SEAL_WRITE, !=, 0);
        close(mfd);
        *ret_had_fd = TRUE;
        return g_bytes_new(data, st.st_size);
    }
    return g_bytes_new(buf, n);
}

static void
test_notify_path(void)
{
    g_autofree char *dir = g_dir_make_tmp("vireo-sd-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "notify", NULL);
    core_autofd int fd = bound_dgram(path);
    char buf[256];
    ssize_t n;

    g_setenv("NOTIFY_SOCKET", path, TRUE);
    g_assert_true(core_systemd_notify("READY=1\nSTATUS=serving"));
    n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    g_assert_cmpint(n, ==, 22);
    g_assert_cmpmem(buf, n, "READY=1\nSTATUS=serving", 22);
    g_assert_true(core_systemd_notifyf("STATUS=%s %d", "failed", 7));
    n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    g_assert_cmpmem(buf, n, "STATUS=failed 7", 15);
    g_unsetenv("NOTIFY_SOCKET");
    g_assert_false(core_systemd_notify("READY=1"));
    unlink(path);
    rmdir(dir);
}

static void
test_notify_abstract(void)
{
    g_autofree char *name = g_strdup_printf("@vireo-test-notify-%d", (int)getpid());
    core_autofd int fd = bound_dgram(name);
    char buf[64];

    g_setenv("NOTIFY_SOCKET", name, TRUE);
    g_assert_true(core_systemd_notify("STOPPING=1"));
    g_assert_cmpint(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), ==, 10);
    g_assert_cmpmem(buf, 10, "STOPPING=1", 10);
    /* nobody listening: a failed send, not a crash or an error */
    g_setenv("NOTIFY_SOCKET", "@vireo-test-nobody-listens", TRUE);
    g_assert_false(core_systemd_notify("READY=1"));
    g_unsetenv("NOTIFY_SOCKET");
}

static void
test_listen_parse(void)
{
    g_auto(GStrv) names = NULL;
    g_autoptr(GError) err = NULL;

    g_assert_cmpint(core_systemd_parse_listen(NULL, NULL, NULL, 42, &names, &err), ==, 0);
    g_assert_null(names);
    /* meant for another process (a parent that forked before exec) */
    g_assert_cmpint(core_systemd_parse_listen("41", "2", "a:b", 42, &names, &err), ==, 0);
    g_assert_cmpint(core_systemd_parse_listen("42", "3", "rw:ro", 42, &names, &err), ==, 3);
    g_assert_no_error(err);
    g_assert_cmpuint(g_strv_length(names), ==, 3);
    g_assert_cmpstr(names[0], ==, "rw");
    g_assert_cmpstr(names[1], ==, "ro");
    g_assert_cmpstr(names[2], ==, "unknown");
    g_clear_pointer(&names, g_strfreev);
    g_assert_cmpint(core_systemd_parse_listen("42", "1", NULL, 42, &names, &err), ==, 1);
    g_assert_cmpstr(names[0], ==, "unknown");
    g_clear_pointer(&names, g_strfreev);
    g_assert_cmpint(core_systemd_parse_listen("42", "0", "", 42, NULL, &err), ==, 0);

    g_assert_cmpint(core_systemd_parse_listen("x42", "1", NULL, 42, &names, &err), ==, -1);
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);
    g_assert_cmpint(core_systemd_parse_listen("42", "-1", NULL, 42, &names, &err), ==, -1);
    g_assert_error(err, CORE_ERROR, CORE_ERR_INTERNAL_ERROR);
    g_clear_error(&err);
    g_assert_cmpint(core_systemd_parse_listen("42", "99999999999", NULL, 42, &names, &err), ==,
                    -1);
    g_assert_null(names);
}

static void
test_listen_env(void)
{
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) names = NULL;

    /* variables for another pid: nothing adopted, and all three unset */
    g_setenv("LISTEN_PID", "1", TRUE);
    g_setenv("LISTEN_FDS", "1", TRUE);
    g_setenv("LISTEN_FDNAMES", "x", TRUE);
    g_assert_cmpint(core_systemd_listen_fds(&names, &err), ==, 0);
    g_assert_no_error(err);
    g_assert_null(g_getenv("LISTEN_PID"));
    g_assert_null(g_getenv("LISTEN_FDS"));
    g_assert_null(g_getenv("LISTEN_FDNAMES"));
}

static void
test_is_listening(void)
{
    g_autofree char *dir = g_dir_make_tmp("vireo-sd-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sock", NULL);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    core_autofd int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    core_autofd int d = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    core_autofd int t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    core_autofd int f = open("/dev/null", O_RDONLY | O_CLOEXEC);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert_cmpint(bind(s, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_false(core_systemd_is_listening_unix_stream(s));   /* not listening yet */
    g_assert_cmpint(listen(s, 1), ==, 0);
    g_assert_true(core_systemd_is_listening_unix_stream(s));
    g_assert_false(core_systemd_is_listening_unix_stream(d));
    g_assert_false(core_systemd_is_listening_unix_stream(f));
    g_assert_false(core_systemd_is_listening_unix_stream(-1));
    if (t >= 0) {
        g_assert_cmpint(listen(t, 1), ==, 0);
        g_assert_false(core_systemd_is_listening_unix_stream(t));
    }
    unlink(path);
    rmdir(dir);
}

static void
test_journal(void)
{
    g_autofree char *dir = g_dir_make_tmp("vireo-sd-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "journal", NULL);
    core_autofd int fd = bound_dgram(path);
    const char *fields[] = { "MESSAGE=two\nlines", "PRIORITY=6", "broken", "=novalue",
                             "CODE_LINE=12" };
    static const guint8 expect[] = "MESSAGE\n\x09\0\0\0\0\0\0\0two\nlines\n"
                                   "PRIORITY=6\nCODE_LINE=12\n";
    g_autoptr(GBytes) got = NULL;
    gboolean had_fd;

    g_assert_true(core_systemd_journal_send(path, fields, G_N_ELEMENTS(fields)));
    got = recv_entry(fd, &had_fd);
    g_assert_false(had_fd);
    g_assert_cmpmem(g_bytes_get_data(got, NULL), g_bytes_get_size(got), expect,
                    sizeof(expect) - 1);
    unlink(path);
    g_assert_false(core_systemd_journal_send(path, fields, 1));
    rmdir(dir);
}

static void
test_journal_large(void)
{
    g_autofree char *dir = g_dir_make_tmp("vireo-sd-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "journal", NULL);
    core_autofd int fd = bound_dgram(path);
    g_autofree char *big = g_malloc(600 * 1024 + 9);
    const char *fields[1] = { big };
    g_autoptr(GBytes) got = NULL;
    gboolean had_fd;

    /* larger than the kernel lets one datagram be: goes in a sealed memfd */
    memcpy(big, "MESSAGE=", 8);
    memset(big + 8, 'x', 600 * 1024);
    big[600 * 1024 + 8] = '\0';
    g_assert_true(core_systemd_journal_send(path, fields, 1));
    got = recv_entry(fd, &had_fd);
    g_assert_true(had_fd);
    g_assert_cmpuint(g_bytes_get_size(got), ==, 600 * 1024 + 9);
    g_assert_cmpmem(g_bytes_get_data(got, NULL), 8, "MESSAGE=", 8);
    unlink(path);
    rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/systemd/notify/path", test_notify_path);
    g_test_add_func("/systemd/notify/abstract", test_notify_abstract);
    g_test_add_func("/systemd/listen/parse", test_listen_parse);
    g_test_add_func("/systemd/listen/env", test_listen_env);
    g_test_add_func("/systemd/is-listening", test_is_listening);
    g_test_add_func("/systemd/journal/fields", test_journal);
    g_test_add_func("/systemd/journal/memfd", test_journal_large);
    return g_test_run();
}
