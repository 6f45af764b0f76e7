/* qemu-process-probe: see qemu-process-probe.h. */
#include "qemu-process-probe.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-log.h"

#define CORE_FROM_THIS CORE_FROM_QEMU
CORE_LOG_INIT("qemu.probe");

#define LOG_MAX (64 * 1024)

struct _QemuProbeProcess {
    GPid pid; /* 0 once reaped */
    char *dir;
    gboolean own_dir;
    char *log_path;
    char *sock_path;
    QemuMonitor *mon;
};

/* The message of @err without its summary prefix, for nesting. */
static const char *
error_detail(const GError *err)
{
    const CoreErrorExtra *extra = core_error_get_extra(err);

    return extra && extra->str2 ? extra->str2 : err->message;
}

static void
child_setup(gpointer data)
{
    /* QEMU must not outlive us, whatever happens to the caller */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Waits for @pid to exit for up to @timeout_ms (-1: forever) and reaps it.
 * A pidfd makes the wait event-driven; old kernels fall back to sleeps. */
static gboolean
wait_child(GPid pid, int timeout_ms, int *status)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int st = 0;

    if (pidfd >= 0) {
        struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
        int r;

        do
            r = poll(&pfd, 1, timeout_ms);
        while (r < 0 && errno == EINTR);
        core_clear_fd(&pidfd);
        if (r == 0)
            return FALSE;
    } else {
        gint64 end = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

        while (waitpid(pid, &st, WNOHANG | WNOWAIT) == 0) {
            if (timeout_ms >= 0 && g_get_monotonic_time() >= end)
                return FALSE;
            g_usleep(2000);
        }
    }
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (status)
        *status = st;
    return TRUE;
}

char *
qemu_probe_process_get_log(QemuProbeProcess *proc)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!g_file_get_contents(proc->log_path, &text, &len, NULL))
        return g_strdup("");
    if (len > LOG_MAX)
        return g_strdup(text + len - LOG_MAX);
    return g_steal_pointer(&text);
}

static gboolean
spawn_qemu(QemuProbeProcess *proc, const char *binary, const char *const *extra_args,
           GError **error)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) err = NULL;
    int logfd;
    gboolean ok;

    g_ptr_array_add(argv, g_strdup(binary));
    for (const char *const *a = (const char *const[]){ "-nodefaults", "-no-user-config",
                                                       "-display", "none", NULL };
         *a; a++)
        g_ptr_array_add(argv, g_strdup(*a));
    g_ptr_array_add(argv, g_strdup("-qmp"));
    g_ptr_array_add(argv, g_strdup_printf("unix:%s,server=on,wait=off", proc->sock_path));
    for (guint i = 0; extra_args && extra_args[i]; i++)
        g_ptr_array_add(argv, g_strdup(extra_args[i]));
    g_ptr_array_add(argv, NULL);

    logfd = open(proc->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (logfd < 0)
        return core_error_set_errno(error, errno, "cannot create '%s'", proc->log_path);
    ok = g_spawn_async_with_pipes_and_fds(NULL, (const char *const *)argv->pdata, NULL,
                                          G_SPAWN_DO_NOT_REAP_CHILD |
                                              G_SPAWN_STDIN_FROM_DEV_NULL,
                                          child_setup, NULL, -1, logfd, logfd, NULL, NULL, 0,
                                          &proc->pid, NULL, NULL, NULL, &err);
    core_clear_fd(&logfd);
    if (!ok)
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "cannot run '%s': %s", binary,
                              err->message);
    CORE_DEBUG("started %s (pid %d)", binary, (int)proc->pid);
    return TRUE;
}

QemuProbeProcess *
qemu_probe_process_start(const char *binary, const char *const *extra_args, const char *dir,
                         GMainContext *context, const QemuMonitorCallbacks *callbacks,
                         gpointer user_data, guint timeout_ms, GError **error)
{
    g_autoptr(QemuProbeProcess) proc = g_new0(QemuProbeProcess, 1);
    g_autoptr(GError) err = NULL;
    int fd;

    if (dir) {
        proc->dir = g_strdup(dir);
    } else {
        proc->dir = g_dir_make_tmp("vireo-qemu-XXXXXX", &err);
        if (!proc->dir) {
            core_error_set(error, CORE_ERR_SYSTEM_ERROR, "%s", err->message);
            return NULL;
        }
        proc->own_dir = TRUE;
    }
    proc->log_path = g_build_filename(proc->dir, "qemu.log", NULL);
    proc->sock_path = g_build_filename(proc->dir, "qmp.sock", NULL);
    (void)g_unlink(proc->sock_path);
    if (!spawn_qemu(proc, binary, extra_args, error))
        return NULL;

    fd = qemu_monitor_connect_unix(proc->sock_path, timeout_ms, proc->pid, &err);
    if (fd < 0) {
        g_autofree char *log = NULL;

        qemu_probe_process_stop(proc, 0, NULL);
        log = qemu_probe_process_get_log(proc);
        g_strstrip(log);
        core_error_set(error, err->code == CORE_ERR_OPERATION_TIMEOUT
                                  ? CORE_ERR_OPERATION_TIMEOUT : CORE_ERR_INTERNAL_ERROR,
                       "QEMU '%s' failed to start: %s%s%s", binary, error_detail(err),
                       *log ? ": " : "", log);
        return NULL;
    }
    proc->mon = qemu_monitor_new(fd, context, callbacks, user_data);
    return g_steal_pointer(&proc);
}

QemuMonitor *
qemu_probe_process_get_monitor(QemuProbeProcess *proc)
{
    return proc->mon;
}

GPid
qemu_probe_process_get_pid(QemuProbeProcess *proc)
{
    return proc->pid;
}

const char *
qemu_probe_process_get_dir(QemuProbeProcess *proc)
{
    return proc->dir;
}

gboolean
qemu_probe_process_wait(QemuProbeProcess *proc, guint timeout_ms, int *status)
{
    if (proc->pid <= 0) {
        if (status)
            *status = -1;
        return TRUE;
    }
    if (!wait_child(proc->pid, (int)timeout_ms, status))
        return FALSE;
    proc->pid = 0;
    return TRUE;
}

void
qemu_probe_process_stop(QemuProbeProcess *proc, guint grace_ms, int *status)
{
    if (proc->mon)
        qemu_monitor_close(proc->mon);
    if (status)
        *status = -1;
    if (proc->pid <= 0)
        return;
    if (grace_ms > 0) {
        kill(proc->pid, SIGTERM);
        if (qemu_probe_process_wait(proc, grace_ms, status))
            return;
        CORE_WARN("QEMU (pid %d) ignored SIGTERM, killing it", (int)proc->pid);
    }
    kill(proc->pid, SIGKILL);
    (void)qemu_probe_process_wait(proc, (guint)-1, status);
}

void
qemu_probe_process_free(QemuProbeProcess *proc)
{
    if (!proc)
        return;
    qemu_probe_process_stop(proc, 0, NULL);
    g_clear_pointer(&proc->mon, qemu_monitor_unref);
    if (proc->own_dir) {
        (void)g_unlink(proc->sock_path);
        (void)g_unlink(proc->log_path);
        (void)g_rmdir(proc->dir);
    }
    g_free(proc->dir);
    g_free(proc->log_path);
    g_free(proc->sock_path);
    g_free(proc);
}
