/* qemu-process: QEMU processes of running domains (see qemu-process.h). */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-autoptr.h"
#include "core-error.h"
#include "core-file.h"
#include "core-log.h"
#include "qemu-alias.h"
#include "qemu-command.h"
#include "qemu-process.h"

#define CORE_FROM_THIS CORE_FROM_QEMU

CORE_LOG_INIT("qemud.process");

#define QEMU_START_TIMEOUT_MS 30000u
#define QEMU_POWERDOWN_INTERVAL_MS 1000u
#define QEMU_POWERDOWN_TRIES 30u
#define QEMU_LOG_TAIL_MAX 4096

static void on_monitor_event(QemuMonitor *mon, const char *name, json_object *data,
                             gint64 timestamp_us, gpointer user_data);

static const QemuMonitorCallbacks monitor_callbacks = {
    .event = on_monitor_event,
};

/* ---- small helpers ---- */

static int
pidfd_open_pid(GPid pid)
{
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

static gboolean
pidfd_signal(int pidfd, GPid pid, int sig)
{
    if (pidfd >= 0)
        return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) == 0;
    return kill(pid, sig) == 0;
}

/* Waits up to @timeout_ms for the process behind @pidfd to exit. */
static gboolean
pidfd_wait(int pidfd, int timeout_ms)
{
    struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
    int r;

    do
        r = poll(&pfd, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    return r > 0;
}

static void
reap_child(GPid pid)
{
    int st;

    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
}

typedef struct {
    QemuMonitor *mon;
    QemuDomain *dom;
} MonitorDisposal;

static gboolean
dispose_monitor_cb(gpointer data)
{
    MonitorDisposal *d = data;

    qemu_monitor_close(d->mon);
    qemu_monitor_unref(d->mon);
    qemu_domain_unref(d->dom);
    g_free(d);
    return G_SOURCE_REMOVE;
}

/* The monitor is closed and released on its context's thread, whoever
 * drops it; the reference it held on @dom goes with it. */
static void
dispose_monitor(QemuDomain *dom, QemuMonitor *mon)
{
    MonitorDisposal *d;

    if (!mon)
        return;
    d = g_new0(MonitorDisposal, 1);
    d->mon = mon;
    d->dom = dom;
    g_main_context_invoke(dom->driver->context, dispose_monitor_cb, d);
}

static gboolean
unref_monitor_cb(gpointer data)
{
    qemu_monitor_unref(data);
    return G_SOURCE_REMOVE;
}

/* (transfer full) What QEMU wrote to its log after @offset, trimmed. */
static char *
read_log_tail(const char *path, goffset offset)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    const char *start;

    if (!g_file_get_contents(path, &text, &len, NULL) || (gsize)offset > len)
        return g_strdup("");
    g_autoptr(GString) out = g_string_new(NULL);
    g_auto(GStrv) lines = NULL;

    start = text + offset;
    if (len - (gsize)offset > QEMU_LOG_TAIL_MAX)
        start = text + len - QEMU_LOG_TAIL_MAX;
    /* QEMU's notes about the ptys it opened are not part of an error */
    lines = g_strsplit(start, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        if (!*lines[i] || g_str_has_prefix(lines[i], "char device redirected to"))
            continue;
        if (out->len)
            g_string_append_c(out, '\n');
        g_string_append(out, lines[i]);
    }
    return g_strstrip(g_strdup(out->str));
}

guint64
qemu_process_cpu_time(GPid pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *text = NULL;
    g_auto(GStrv) fields = NULL;
    const char *p;
    long tck = sysconf(_SC_CLK_TCK);

    if (pid <= 0 || !g_file_get_contents(path, &text, NULL, NULL) ||
        !(p = strrchr(text, ')')) || tck <= 0)
        return 0;
    /* after "pid (comm)": state is field 3, utime 14 and stime 15 */
    fields = g_strsplit(p + 2, " ", 16);
    if (g_strv_length(fields) < 14)
        return 0;
    return (g_ascii_strtoull(fields[11], NULL, 10) + g_ascii_strtoull(fields[12], NULL, 10)) *
           (1000000000ull / (guint64)tck);
}

/* ---- the end of a process ---- */

static int
stopped_detail(int reason)
{
    switch (reason) {
    case QEMU_SHUTOFF_SHUTDOWN: return QEMU_STOPPED_SHUTDOWN;
    case QEMU_SHUTOFF_DESTROYED: return QEMU_STOPPED_DESTROYED;
    case QEMU_SHUTOFF_CRASHED: return QEMU_STOPPED_FAILED;
    default: return QEMU_STOPPED_FAILED;
    }
}

static gpointer restart_thread(gpointer data);

/* Stops repeating system_powerdown (dom->lock held). */
static void
cancel_powerdown_locked(QemuDomain *dom)
{
    if (dom->powerdown_source) {
        g_source_destroy(dom->powerdown_source);
        g_clear_pointer(&dom->powerdown_source, g_source_unref);
    }
}

/* Marks @dom shut off with @reason (dom->lock held): files, id, the
 * persistent definition back in place. Returns the handle for the event;
 * *ret_remove tells that a transient domain must leave the tables. */
static CoreDomainRef *
finish_stop_locked(QemuDomain *dom, int reason, gboolean *ret_remove)
{
    QemuDriver *driver = dom->driver;
    g_autofree char *monpath = qemu_domain_monitor_path(driver, dom->def->name);
    CoreDomainRef *ref;

    dom->pid = 0;
    core_clear_fd(&dom->pidfd);
    if (dom->exit_source) {
        g_source_destroy(dom->exit_source);
        g_clear_pointer(&dom->exit_source, g_source_unref);
    }
    cancel_powerdown_locked(dom);
    dispose_monitor(dom, g_steal_pointer(&dom->mon));
    dom->fake_reboot = FALSE;
    dom->rebooting = FALSE;
    dom->state = QEMU_STATE_SHUTOFF;
    dom->reason = reason;
    qemu_domain_release_id(driver, dom);
    qemu_domain_delete_status(driver, dom->def->name);
    (void)unlink(monpath);
    ref = core_domain_ref_new(dom->def->name, dom->def->uuid, -1);
    if (dom->newdef) {
        core_domain_def_free(dom->def);
        dom->def = g_steal_pointer(&dom->newdef);
    }
    dom->def->id = -1;
    *ret_remove = !dom->persistent && !dom->restart;
    g_cond_broadcast(&dom->cond);
    return ref;
}

static gboolean
on_process_exit(gint fd, GIOCondition cond, gpointer data)
{
    QemuDomain *dom = data;
    g_autoptr(CoreDomainRef) ref = NULL;
    gboolean remove = FALSE, restart;
    int reason;

    g_mutex_lock(&dom->lock);
    if (dom->pid <= 0) {
        g_mutex_unlock(&dom->lock);
        return G_SOURCE_REMOVE;
    }
    if (dom->is_child)
        reap_child(dom->pid);
    reason = dom->stop_reason >= 0 ? dom->stop_reason
             : dom->got_shutdown ? QEMU_SHUTOFF_SHUTDOWN : QEMU_SHUTOFF_CRASHED;
    CORE_INFO("domain '%s': QEMU (pid %d) exited, reason %d", dom->def->name, (int)dom->pid,
              reason);
    ref = finish_stop_locked(dom, reason, &remove);
    restart = dom->restart;
    dom->restart = FALSE;
    g_mutex_unlock(&dom->lock);

    qemu_events_lifecycle(dom->driver, ref, QEMU_EVENT_STOPPED, stopped_detail(reason));
    if (remove)
        qemu_domain_remove(dom->driver, dom);
    if (restart)
        g_thread_unref(g_thread_new("qemu-restart", restart_thread, qemu_domain_ref(dom)));
    return G_SOURCE_REMOVE;
}

/* Watches the pidfd on the main context (dom->lock held). */
static void
watch_exit_locked(QemuDomain *dom)
{
    GSource *src = g_unix_fd_source_new(dom->pidfd, G_IO_IN);

    /* below the monitor: what QEMU wrote before it exited (a destroy's
     * SHUTDOWN event) is handled before the exit finishes the stop */
    g_source_set_priority(src, G_PRIORITY_LOW);
    g_source_set_callback(src, G_SOURCE_FUNC(on_process_exit), qemu_domain_ref(dom),
                          (GDestroyNotify)qemu_domain_unref);
    g_source_attach(src, dom->driver->context);
    dom->exit_source = src;
}

static gpointer
restart_thread(gpointer data)
{
    g_autoptr(QemuDomain) dom = data;
    g_autoptr(GError) err = NULL;

    qemu_domain_job_begin(dom);
    if (!dom->removed && !qemu_process_start(dom, &err))
        CORE_WARN("cannot restart domain '%s': %s", dom->def->name, err->message);
    qemu_domain_job_end(dom);
    return NULL;
}

/* ---- QMP events ---- */

/* Applies a lifecycle action once the guest stopped (main context). */
static void
apply_action_locked(QemuDomain *dom, CoreDomainLifecycleAction action, int reason)
{
    if (action == CORE_DOMAIN_LIFECYCLE_PRESERVE)
        return;
    dom->restart = action == CORE_DOMAIN_LIFECYCLE_RESTART ||
                   action == CORE_DOMAIN_LIFECYCLE_COREDUMP_RESTART;
    if (dom->stop_reason < 0)
        dom->stop_reason = reason;
    pidfd_signal(dom->pidfd, dom->pid, SIGTERM);
}

static void
handle_shutdown(QemuDomain *dom, json_object *data)
{
    CoreDomainDefPriv *priv = core_domain_def_priv(dom->def);
    json_object *guest = NULL, *why = NULL;
    g_autoptr(CoreDomainRef) ref = NULL;
    gboolean by_guest = data && json_object_object_get_ex(data, "guest", &guest) &&
                        json_object_get_boolean(guest);
    const char *cause = data && json_object_object_get_ex(data, "reason", &why)
                        ? json_object_get_string(why) : "";
    gboolean reset = g_strcmp0(cause, "guest-reset") == 0;

    g_mutex_lock(&dom->lock);
    /* QEMU reports its own exit on our SIGTERM as a second SHUTDOWN */
    if (dom->got_shutdown || dom->rebooting) {
        g_mutex_unlock(&dom->lock);
        return;
    }
    cancel_powerdown_locked(dom);
    /* a destroy's SIGTERM: as libvirt's qemuProcessHandleShutdown, the
     * first SHUTDOWN of a running or paused guest is told (host) before the
     * stop; the destroy, not a lifecycle action, decides what follows */
    if (dom->stop_reason >= 0) {
        dom->got_shutdown = TRUE;
        dom->state = QEMU_STATE_SHUTDOWN;
        dom->reason = 0;
        ref = qemu_domain_make_ref(dom);
        g_mutex_unlock(&dom->lock);
        qemu_events_lifecycle(dom->driver, ref, QEMU_EVENT_SHUTDOWN, by_guest ? 1 : 2);
        return;
    }
    /* a reboot asked for: QEMU stopped (-no-shutdown), so the guest is
     * reset and continued; as in libvirt, the state stays and no lifecycle
     * event tells of the transient shutdown. A signal makes QEMU exit
     * whatever -no-shutdown says: no reboot then. */
    if (dom->fake_reboot && !reset && g_strcmp0(cause, "host-signal") != 0) {
        qemu_process_fake_reboot_locked(dom);
        g_mutex_unlock(&dom->lock);
        return;
    }
    dom->got_shutdown = TRUE;
    dom->state = QEMU_STATE_SHUTDOWN;
    dom->reason = 0;
    ref = qemu_domain_make_ref(dom);
    /* a reboot turned into a shutdown by -action reboot=shutdown */
    apply_action_locked(dom, reset ? priv->on_reboot : priv->on_poweroff,
                        QEMU_SHUTOFF_SHUTDOWN);
    g_mutex_unlock(&dom->lock);
    /* VIR_DOMAIN_EVENT_SHUTDOWN_GUEST (1) or _HOST (2) */
    qemu_events_lifecycle(dom->driver, ref, QEMU_EVENT_SHUTDOWN, by_guest ? 1 : 2);
}

static void
handle_panic(QemuDomain *dom)
{
    CoreDomainDefPriv *priv = core_domain_def_priv(dom->def);
    g_autoptr(CoreDomainRef) ref = NULL;

    g_mutex_lock(&dom->lock);
    dom->state = QEMU_STATE_CRASHED;
    dom->reason = 1;
    ref = qemu_domain_make_ref(dom);
    apply_action_locked(dom, priv->on_crash, QEMU_SHUTOFF_CRASHED);
    g_mutex_unlock(&dom->lock);
    qemu_events_lifecycle(dom->driver, ref, QEMU_EVENT_CRASHED, 0);
}

/* Any reset, the guest's own or ours: the REBOOT event, and a pending
 * fake reboot is done with (libvirt's qemuProcessHandleReset). */
static void
handle_reset(QemuDomain *dom, const CoreDomainRef *ref)
{
    gboolean starting;

    g_mutex_lock(&dom->lock);
    starting = dom->state == QEMU_STATE_PAUSED && dom->reason == QEMU_PAUSED_STARTING_UP;
    if (!starting)
        qemu_domain_set_fake_reboot(dom, FALSE);
    g_mutex_unlock(&dom->lock);
    if (!starting)
        qemu_events_reboot(dom->driver, ref);
}

static void
on_monitor_event(QemuMonitor *mon, const char *name, json_object *data, gint64 timestamp_us,
                 gpointer user_data)
{
    QemuDomain *dom = user_data;
    g_autoptr(CoreDomainRef) ref = NULL;
    gboolean ours;

    g_mutex_lock(&dom->lock);
    ours = dom->mon == mon;
    if (ours)
        ref = qemu_domain_make_ref(dom);
    g_mutex_unlock(&dom->lock);
    if (!ours)
        return;
    CORE_DEBUG("domain '%s': QMP event %s", ref->name, name);
    if (g_str_equal(name, "SHUTDOWN"))
        handle_shutdown(dom, data);
    else if (g_str_equal(name, "GUEST_PANICKED"))
        handle_panic(dom);
    else if (g_str_equal(name, "RESET"))
        handle_reset(dom, ref);
}

/* ---- start ---- */

static void
child_setup(gpointer data)
{
    /* its own session: a signal to the daemon's process group (a terminal's
     * ^C, a service manager) must not reach the guests */
    setsid();
}

/* Opens the log, appends the command line, returns the fd and the offset
 * where QEMU's own output starts. */
static int
open_log(const char *path, const QemuCommand *cmd, goffset *ret_offset, GError **error)
{
    g_autofree char *line = qemu_command_to_string(cmd);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f");
    g_autofree char *head = g_strdup_printf("%.23s+0000: starting up\n%s", stamp, line);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

    if (fd < 0) {
        core_error_set_errno(error, errno, "cannot open log file '%s'", path);
        return -1;
    }
    if (write(fd, head, strlen(head)) < 0)
        CORE_WARN("cannot write log file '%s': %s", path, g_strerror(errno));
    *ret_offset = lseek(fd, 0, SEEK_END);
    return fd;
}

typedef struct {
    char *run_dir;
    char *lib_dir;
    char *monitor;
    char *log;
    int *net_fds;
} StartPaths;

static void
start_paths_clear(StartPaths *p)
{
    g_free(p->run_dir);
    g_free(p->lib_dir);
    g_free(p->monitor);
    g_free(p->log);
    g_free(p->net_fds);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(StartPaths, start_paths_clear)

static QemuCommand *
build_command(QemuDomain *dom, const CoreDomainDef *def, StartPaths *sp, GError **error)
{
    QemuDriver *driver = dom->driver;
    CoreDomainDefPriv *priv = core_domain_def_priv(def);
    g_autoptr(QemuCaps) caps = NULL;
    QemuCommandPaths paths = { 0 };
    guint nnets = priv->nets ? priv->nets->len : 0;

    if (!(caps = qemu_driver_get_caps(driver, priv->emulator, error)) ||
        !qemu_caps_check_virt_type(caps, def->virt_type, error))
        return NULL;
    sp->run_dir = g_build_filename(driver->run_dir, def->name, NULL);
    sp->lib_dir = g_build_filename(driver->lib_dir, def->name, NULL);
    sp->monitor = qemu_domain_monitor_path(driver, def->name);
    sp->log = qemu_domain_log_path(driver, def->name);
    sp->net_fds = g_new(int, nnets + 1);
    for (guint i = 0; i < nnets; i++)
        sp->net_fds[i] = -1;
    if (!core_file_mkdir_p(sp->run_dir, 0700, error) ||
        !core_file_mkdir_p(sp->lib_dir, 0700, error))
        return NULL;
    (void)unlink(sp->monitor);
    paths.run_dir = sp->run_dir;
    paths.monitor_path = sp->monitor;
    paths.log_path = sp->log;
    paths.lib_dir = sp->lib_dir;
    paths.net_fds = sp->net_fds;
    paths.n_net_fds = nnets;
    return qemu_command_build(def, caps, &paths, 0, error);
}

static gboolean
spawn(const QemuCommand *cmd, int logfd, GPid *ret_pid, GError **error)
{
    g_autoptr(GError) err = NULL;

    if (!g_spawn_async_with_pipes_and_fds(NULL, (const char *const *)cmd->argv,
                                          (const char *const *)cmd->env,
                                          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
                                          child_setup, NULL, -1, logfd, logfd, NULL, NULL, 0,
                                          ret_pid, NULL, NULL, NULL, &err))
        return core_error_set(error, CORE_ERR_INTERNAL_ERROR, "cannot run '%s': %s",
                              cmd->argv[0], err->message);
    return TRUE;
}

/* Fills the live pty paths from query-chardev (dom->lock held). */
static void
apply_chardevs_locked(QemuDomain *dom, json_object *list)
{
    CoreDomainDefPriv *priv = core_domain_def_priv(dom->def);
    GPtrArray *kinds[] = { priv->serials, priv->consoles, priv->channels };
    const char *prefixes[] = { "charserial", "charconsole", "charchannel" };

    for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
        for (guint i = 0; kinds[k] && i < kinds[k]->len; i++) {
            CoreDomainChrDef *chr = g_ptr_array_index(kinds[k], i);
            g_autofree char *label = g_strdup_printf("%s%u", prefixes[k], i);

            if (g_strcmp0(chr->type, "pty") != 0)
                continue;
            for (size_t j = 0; j < json_object_array_length(list); j++) {
                json_object *e = json_object_array_get_idx(list, j), *l, *f;
                const char *file;

                if (!json_object_object_get_ex(e, "label", &l) ||
                    !json_object_object_get_ex(e, "filename", &f) ||
                    g_strcmp0(json_object_get_string(l), label) != 0)
                    continue;
                file = json_object_get_string(f);
                if (g_str_has_prefix(file, "pty:")) {
                    g_free(chr->source_path);
                    chr->source_path = g_strdup(file + 4);
                }
            }
        }
    }
    /* the console that stands for the first serial port shows its pty */
    if (priv->consoles && priv->consoles->len > 0 && priv->serials && priv->serials->len > 0) {
        CoreDomainChrDef *con = g_ptr_array_index(priv->consoles, 0);
        CoreDomainChrDef *ser = g_ptr_array_index(priv->serials, 0);

        if (g_strcmp0(con->target_type, "serial") == 0 && g_strcmp0(con->type, "pty") == 0) {
            g_free(con->source_path);
            con->source_path = g_strdup(ser->source_path);
        }
    }
}

/* After a failed start: QEMU's own words, or @err's. */
static void
start_failed(GPid pid, int pidfd, const char *log, goffset offset, GError **error,
             GError *err)
{
    g_autofree char *tail = NULL;
    gboolean exited = pidfd >= 0 && pidfd_wait(pidfd, 1000);

    if (!exited)
        pidfd_signal(pidfd, pid, SIGKILL);
    reap_child(pid);
    tail = read_log_tail(log, offset);
    if (exited && *tail)
        core_error_set(error, CORE_ERR_INTERNAL_ERROR,
                       "process exited while connecting to monitor: %s", tail);
    else
        g_propagate_error(error, err ? g_error_copy(err) : NULL);
}

/* Spawns QEMU and brings its monitor up; on success *ret_mon holds it
 * (owning a reference to @dom) and the pty paths are in *ret_chardevs. */
static gboolean
launch(QemuDomain *dom, const QemuCommand *cmd, const StartPaths *sp, GPid *ret_pid,
       int *ret_pidfd, QemuMonitor **ret_mon, json_object **ret_chardevs, GError **error)
{
    QemuDriver *driver = dom->driver;
    g_autoptr(GError) err = NULL;
    core_autofd int logfd = -1;
    goffset offset = 0;
    QemuMonitor *mon = NULL;
    GPid pid;
    int pidfd, fd;

    if ((logfd = open_log(sp->log, cmd, &offset, error)) < 0 || !spawn(cmd, logfd, &pid, error))
        return FALSE;
    pidfd = pidfd_open_pid(pid);
    fd = qemu_monitor_connect_unix(sp->monitor, QEMU_START_TIMEOUT_MS, pid, &err);
    if (fd >= 0) {
        mon = qemu_monitor_new(fd, driver->context, &monitor_callbacks, dom);
        qemu_domain_ref(dom);
        if (qemu_monitor_wait_ready_sync(mon, QEMU_START_TIMEOUT_MS, &err))
            *ret_chardevs = qemu_monitor_command_sync(mon, "query-chardev", NULL,
                                                      QEMU_MONITOR_TIMEOUT_DEFAULT_MS, &err);
    }
    if (!*ret_chardevs) {
        dispose_monitor(dom, mon);
        start_failed(pid, pidfd, sp->log, offset, error, err);
        core_clear_fd(&pidfd);
        return FALSE;
    }
    *ret_pid = pid;
    *ret_pidfd = pidfd;
    *ret_mon = mon;
    return TRUE;
}

/* Puts back the persistent definition after a start that failed. */
static void
undo_start(QemuDomain *dom)
{
    g_mutex_lock(&dom->lock);
    qemu_domain_release_id(dom->driver, dom);
    if (dom->newdef) {
        core_domain_def_free(dom->def);
        dom->def = g_steal_pointer(&dom->newdef);
    }
    dom->def->id = -1;
    g_mutex_unlock(&dom->lock);
}

gboolean
qemu_process_start(QemuDomain *dom, GError **error)
{
    g_auto(StartPaths) sp = { 0 };
    g_autoptr(QemuCommand) cmd = NULL;
    g_autoptr(json_object) chardevs = NULL;
    g_autoptr(json_object) cont = NULL;
    g_autoptr(CoreDomainRef) ref = NULL;
    g_autoptr(CoreDomainDef) def = NULL;
    QemuMonitor *mon = NULL;
    GPid pid = 0;
    int pidfd = -1;
    gboolean resumed;

    g_mutex_lock(&dom->lock);
    if (qemu_domain_is_active(dom)) {
        g_mutex_unlock(&dom->lock);
        return core_error_set(error, CORE_ERR_OPERATION_INVALID, "domain is already running");
    }
    /* the live definition is a copy: the persistent one stays as defined */
    if (dom->persistent && !dom->newdef) {
        dom->newdef = dom->def;
        dom->def = core_domain_def_copy(dom->newdef);
    }
    qemu_domain_assign_id(dom->driver, dom);
    def = core_domain_def_copy(dom->def);
    dom->stop_reason = -1;
    dom->got_shutdown = FALSE;
    dom->restart = FALSE;
    dom->fake_reboot = FALSE;
    dom->rebooting = FALSE;
    g_mutex_unlock(&dom->lock);

    if (!(cmd = build_command(dom, def, &sp, error)) ||
        !launch(dom, cmd, &sp, &pid, &pidfd, &mon, &chardevs, error)) {
        undo_start(dom);
        return FALSE;
    }

    g_mutex_lock(&dom->lock);
    dom->pid = pid;
    dom->pidfd = pidfd;
    dom->is_child = TRUE;
    dom->mon = mon;
    dom->state = QEMU_STATE_PAUSED;
    dom->reason = QEMU_PAUSED_STARTING_UP;
    /* the live XML names each device as the command line did */
    qemu_alias_assign(dom->def);
    apply_chardevs_locked(dom, chardevs);
    watch_exit_locked(dom);
    qemu_domain_save_status(dom);
    g_mutex_unlock(&dom->lock);

    if (!(cont = qemu_process_monitor_sync(dom, "cont", NULL, error))) {
        qemu_process_stop(dom, QEMU_SHUTOFF_FAILED, 0, NULL);
        return FALSE;
    }
    g_mutex_lock(&dom->lock);
    /* as libvirt, whose handler of QEMU's RESUME event runs the guest that
     * was paused for the start: RESUMED (unpaused) first, then STARTED
     * (booted) once the start is done */
    resumed = qemu_domain_is_active(dom) && dom->state == QEMU_STATE_PAUSED &&
              dom->reason == QEMU_PAUSED_STARTING_UP;
    if (resumed) {
        dom->state = QEMU_STATE_RUNNING;
        dom->reason = QEMU_RUNNING_BOOTED;
        qemu_domain_save_status(dom);
    }
    ref = qemu_domain_make_ref(dom);
    g_mutex_unlock(&dom->lock);
    if (resumed)
        qemu_events_lifecycle(dom->driver, ref, QEMU_EVENT_RESUMED, 0);
    qemu_events_lifecycle(dom->driver, ref, QEMU_EVENT_STARTED, 0);
    return TRUE;
}

/* ---- running domains ---- */

json_object *
qemu_process_monitor_sync(QemuDomain *dom, const char *cmd, json_object *args, GError **error)
{
    QemuMonitor *mon = NULL;
    json_object *ret;

    g_mutex_lock(&dom->lock);
    if (dom->mon && qemu_domain_is_active(dom)) {
        mon = qemu_monitor_ref(dom->mon);
        dom->mon_start = g_get_monotonic_time();
    }
    g_mutex_unlock(&dom->lock);
    if (!mon) {
        if (args)
            json_object_put(args);
        core_error_set(error, CORE_ERR_OPERATION_INVALID, "domain is not running");
        return NULL;
    }
    /* no time limit, as in libvirt: a QEMU that does not answer keeps the
     * job (later calls give up waiting for it) until it answers or dies */
    ret = qemu_monitor_command_sync(mon, cmd, args, 0, error);
    g_mutex_lock(&dom->lock);
    dom->mon_start = 0;
    g_mutex_unlock(&dom->lock);
    /* the last reference may be ours: drop it on the monitor's thread */
    g_main_context_invoke(dom->driver->context, unref_monitor_cb, mon);
    return ret;
}

gboolean
qemu_process_stop(QemuDomain *dom, int reason, guint grace_ms, GError **error)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)grace_ms * 1000;
    gboolean killed = FALSE;

    g_mutex_lock(&dom->lock);
    if (!qemu_domain_is_active(dom)) {
        g_mutex_unlock(&dom->lock);
        return core_error_set(error, CORE_ERR_OPERATION_INVALID, "domain is not running");
    }
    dom->stop_reason = reason;
    dom->restart = FALSE;
    pidfd_signal(dom->pidfd, dom->pid, grace_ms ? SIGTERM : SIGKILL);
    /* the exit watch on the main context finishes the stop and wakes us */
    while (qemu_domain_is_active(dom)) {
        if (!g_cond_wait_until(&dom->cond, &dom->lock, deadline) &&
            qemu_domain_is_active(dom)) {
            if (killed) {
                g_mutex_unlock(&dom->lock);
                return core_error_set(error, CORE_ERR_OPERATION_TIMEOUT,
                                      "QEMU did not exit after SIGKILL");
            }
            pidfd_signal(dom->pidfd, dom->pid, SIGKILL);
            killed = TRUE;
            deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
        }
    }
    g_mutex_unlock(&dom->lock);
    return TRUE;
}

static void
powerdown_reply(QemuMonitor *mon, json_object *ret, const GError *error, gpointer user_data)
{
}

static gboolean
powerdown_again(gpointer data)
{
    QemuDomain *dom = data;
    gboolean again;

    g_mutex_lock(&dom->lock);
    again = qemu_domain_is_active(dom) && !dom->got_shutdown && !dom->rebooting && dom->mon &&
            ++dom->powerdown_tries < QEMU_POWERDOWN_TRIES;
    if (again)
        qemu_monitor_command(dom->mon, "system_powerdown", NULL, 5000, powerdown_reply, NULL);
    else
        g_clear_pointer(&dom->powerdown_source, g_source_unref);
    g_mutex_unlock(&dom->lock);
    return again;
}

gboolean
qemu_process_powerdown(QemuDomain *dom, gboolean reboot, GError **error)
{
    g_autoptr(json_object) ret = NULL;
    GSource *src;

    /* a shutdown asked for after a reboot wins, and the other way round */
    g_mutex_lock(&dom->lock);
    if (qemu_domain_is_active(dom))
        qemu_domain_set_fake_reboot(dom, reboot);
    g_mutex_unlock(&dom->lock);
    if (!(ret = qemu_process_monitor_sync(dom, "system_powerdown", NULL, error))) {
        g_mutex_lock(&dom->lock);
        qemu_domain_set_fake_reboot(dom, FALSE);
        g_mutex_unlock(&dom->lock);
        return FALSE;
    }
    /* a guest that is still booting has no ACPI handler yet and drops the
     * event: repeat it until QEMU reports the shutdown */
    g_mutex_lock(&dom->lock);
    if (qemu_domain_is_active(dom) && !dom->got_shutdown && !dom->rebooting &&
        !dom->powerdown_source) {
        dom->powerdown_tries = 0;
        src = g_timeout_source_new(QEMU_POWERDOWN_INTERVAL_MS);
        g_source_set_callback(src, powerdown_again, qemu_domain_ref(dom),
                              (GDestroyNotify)qemu_domain_unref);
        g_source_attach(src, dom->driver->context);
        dom->powerdown_source = src;
    }
    g_mutex_unlock(&dom->lock);
    return TRUE;
}

/* ---- after a daemon restart ---- */

/* TRUE when @pid still is the QEMU of @dom (its command line names the
 * domain's monitor socket), not a process that got the pid since. */
static gboolean
is_our_qemu(GPid pid, const char *monitor)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int)pid);
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &text, &len, NULL))
        return FALSE;
    for (gsize i = 0; i + 1 < len; i++)
        if (text[i] == '\0')
            text[i] = ' ';
    return strstr(text, monitor) != NULL;
}

static void
reconnect_gone(QemuDomain *dom, int reason)
{
    gboolean remove = FALSE;
    g_autoptr(CoreDomainRef) ref = NULL;

    g_mutex_lock(&dom->lock);
    ref = finish_stop_locked(dom, reason, &remove);
    g_mutex_unlock(&dom->lock);
    if (remove)
        qemu_domain_remove(dom->driver, dom);
}

void
qemu_process_reconnect(QemuDomain *dom)
{
    QemuDriver *driver = dom->driver;
    g_autofree char *monpath = qemu_domain_monitor_path(driver, dom->def->name);
    g_autoptr(GError) err = NULL;
    g_autoptr(json_object) status = NULL;
    json_object *st = NULL;
    const char *what;
    QemuMonitor *mon;
    int pidfd = pidfd_open_pid(dom->pid), fd;

    if (pidfd < 0 || !is_our_qemu(dom->pid, monpath)) {
        CORE_INFO("domain '%s': QEMU (pid %d) is gone", dom->def->name, (int)dom->pid);
        core_clear_fd(&pidfd);
        reconnect_gone(dom, QEMU_SHUTOFF_CRASHED);
        return;
    }
    g_mutex_lock(&dom->lock);
    dom->pidfd = pidfd;
    dom->is_child = FALSE;
    dom->stop_reason = -1;
    g_mutex_unlock(&dom->lock);
    if ((fd = qemu_monitor_connect_unix(monpath, 5000, dom->pid, &err)) < 0) {
        CORE_WARN("domain '%s': cannot reconnect to QEMU: %s", dom->def->name, err->message);
        pidfd_signal(pidfd, dom->pid, SIGKILL);
        reconnect_gone(dom, QEMU_SHUTOFF_CRASHED);
        return;
    }
    mon = qemu_monitor_new(fd, driver->context, &monitor_callbacks, qemu_domain_ref(dom));
    if (!qemu_monitor_wait_ready_sync(mon, 5000, &err) ||
        !(status = qemu_monitor_command_sync(mon, "query-status", NULL, 5000, &err))) {
        CORE_WARN("domain '%s': QEMU's monitor fails: %s", dom->def->name, err->message);
        dispose_monitor(dom, mon);
        pidfd_signal(pidfd, dom->pid, SIGKILL);
        reconnect_gone(dom, QEMU_SHUTOFF_CRASHED);
        return;
    }
    json_object_object_get_ex(status, "status", &st);
    what = st ? json_object_get_string(st) : "";
    g_mutex_lock(&dom->lock);
    dom->mon = mon;
    watch_exit_locked(dom);
    if (g_str_equal(what, "shutdown") && dom->fake_reboot) {
        /* it shut down for a reboot while nobody watched */
        qemu_process_fake_reboot_later(dom);
    } else if (g_str_equal(what, "shutdown")) {
        /* the guest powered off while nobody watched: finish as it asked */
        dom->got_shutdown = TRUE;
        apply_action_locked(dom, core_domain_def_priv(dom->def)->on_poweroff,
                            QEMU_SHUTOFF_SHUTDOWN);
    } else if (g_str_equal(what, "running")) {
        dom->state = QEMU_STATE_RUNNING;
    } else if (dom->state == QEMU_STATE_RUNNING) {
        dom->state = QEMU_STATE_PAUSED;
        dom->reason = 0;
    }
    CORE_INFO("domain '%s': reconnected to QEMU (pid %d, %s)", dom->def->name, (int)dom->pid,
              what);
    g_mutex_unlock(&dom->lock);
}

static gpointer
autostart_thread(gpointer data)
{
    QemuDriver *driver = data;
    g_autoptr(GPtrArray) list = qemu_domain_list(driver);

    for (guint i = 0; i < list->len; i++) {
        QemuDomain *dom = g_ptr_array_index(list, i);
        g_autoptr(GError) err = NULL;
        gboolean want;

        qemu_domain_job_begin(dom);
        g_mutex_lock(&dom->lock);
        want = dom->autostart && !qemu_domain_is_active(dom) && !dom->removed;
        g_mutex_unlock(&dom->lock);
        if (want && !qemu_process_start(dom, &err))
            CORE_WARN("cannot autostart domain '%s': %s", dom->def->name, err->message);
        qemu_domain_job_end(dom);
    }
    return NULL;
}

void
qemu_process_autostart_all(QemuDriver *driver)
{
    g_thread_unref(g_thread_new("qemu-autostart", autostart_thread, driver));
}
