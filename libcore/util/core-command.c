/* core-command: see core-command.h. */
#include "core-command.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "core-error.h"

#define CORE_FROM_THIS CORE_FROM_NONE

/* How much of the child's stderr an error message quotes. */
#define STDERR_TAIL 512

typedef struct {
    int fd;
    int child_fd;
} PassedFd;

struct _CoreCommand {
    GPtrArray *argv;  /* NULL-terminated */
    GPtrArray *env;   /* "NAME=value" or "NAME" (unset), in call order */
    gboolean clear_env;
    char *cwd;
    GBytes *input;
    guint timeout_ms;
    GArray *fds;      /* PassedFd, owned until the run */
    GBytes *out;
    GBytes *err;
    gboolean ran;
};

static CoreCommand *
command_alloc(void)
{
    CoreCommand *cmd = g_new0(CoreCommand, 1);

    cmd->argv = g_ptr_array_new_with_free_func(g_free);
    cmd->env = g_ptr_array_new_with_free_func(g_free);
    cmd->fds = g_array_new(FALSE, FALSE, sizeof(PassedFd));
    return cmd;
}

CoreCommand *
core_command_new(const char *const *argv)
{
    CoreCommand *cmd = command_alloc();

    g_return_val_if_fail(argv && argv[0], cmd);
    for (guint i = 0; argv[i]; i++)
        core_command_add_arg(cmd, argv[i]);
    return cmd;
}

CoreCommand *
core_command_new_args(const char *prog, ...)
{
    CoreCommand *cmd = command_alloc();
    const char *arg;
    va_list ap;

    core_command_add_arg(cmd, prog);
    va_start(ap, prog);
    while ((arg = va_arg(ap, const char *)))
        core_command_add_arg(cmd, arg);
    va_end(ap);
    return cmd;
}

void
core_command_free(CoreCommand *cmd)
{
    if (!cmd)
        return;
    for (guint i = 0; i < cmd->fds->len; i++)
        g_close(g_array_index(cmd->fds, PassedFd, i).fd, NULL);
    g_array_unref(cmd->fds);
    g_ptr_array_unref(cmd->argv);
    g_ptr_array_unref(cmd->env);
    g_free(cmd->cwd);
    g_clear_pointer(&cmd->input, g_bytes_unref);
    g_clear_pointer(&cmd->out, g_bytes_unref);
    g_clear_pointer(&cmd->err, g_bytes_unref);
    g_free(cmd);
}

void
core_command_add_arg(CoreCommand *cmd, const char *arg)
{
    g_ptr_array_add(cmd->argv, g_strdup(arg));
}

void
core_command_add_argf(CoreCommand *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_ptr_array_add(cmd->argv, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

void
core_command_set_env(CoreCommand *cmd, const char *name, const char *value)
{
    g_return_if_fail(name && *name && !strchr(name, '='));
    g_ptr_array_add(cmd->env, value ? g_strdup_printf("%s=%s", name, value) : g_strdup(name));
}

void
core_command_clear_env(CoreCommand *cmd)
{
    cmd->clear_env = TRUE;
}

void
core_command_set_cwd(CoreCommand *cmd, const char *dir)
{
    g_free(cmd->cwd);
    cmd->cwd = g_strdup(dir);
}

void
core_command_set_input(CoreCommand *cmd, const char *data, gssize len)
{
    g_clear_pointer(&cmd->input, g_bytes_unref);
    cmd->input = g_bytes_new(data, len < 0 ? strlen(data) : (gsize)len);
}

void
core_command_set_timeout(CoreCommand *cmd, guint timeout_ms)
{
    cmd->timeout_ms = timeout_ms;
}

void
core_command_pass_fd(CoreCommand *cmd, int fd, int child_fd)
{
    PassedFd p = { fd, child_fd };

    g_array_append_val(cmd->fds, p);
}

static const char *
bytes_str(GBytes *bytes, gsize *ret_len)
{
    gsize len = 0;
    const char *data = bytes ? g_bytes_get_data(bytes, &len) : NULL;

    if (ret_len)
        *ret_len = len ? len - 1 : 0; /* stored with a trailing NUL */
    return data ? data : "";
}

const char *
core_command_get_stdout(const CoreCommand *cmd, gsize *ret_len)
{
    return bytes_str(cmd->out, ret_len);
}

const char *
core_command_get_stderr(const CoreCommand *cmd, gsize *ret_len)
{
    return bytes_str(cmd->err, ret_len);
}

char *
core_command_to_string(const CoreCommand *cmd)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < cmd->env->len; i++) {
        const char *e = g_ptr_array_index(cmd->env, i);
        const char *eq = strchr(e, '=');
        g_autofree char *quoted = eq ? g_shell_quote(eq + 1) : NULL;

        if (eq)
            g_string_append_printf(s, "%.*s=%s ", (int)(eq - e), e, quoted);
        else
            g_string_append_printf(s, "-u %s ", e);
    }
    for (guint i = 0; i < cmd->argv->len; i++) {
        const char *a = g_ptr_array_index(cmd->argv, i);
        gboolean plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./:=,@+%") == strlen(a);
        g_autofree char *quoted = plain ? NULL : g_shell_quote(a);

        g_string_append_printf(s, "%s%s", i ? " " : "", plain ? a : quoted);
    }
    return g_string_free(s, FALSE);
}

static GSubprocessLauncher *
make_launcher(CoreCommand *cmd)
{
    GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
    GSubprocessLauncher *l;

    if (cmd->input)
        flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
    l = g_subprocess_launcher_new(flags);
    if (cmd->clear_env) {
        const char *const empty[] = { NULL };
        g_subprocess_launcher_set_environ(l, (char **)empty);
    }
    for (guint i = 0; i < cmd->env->len; i++) {
        const char *e = g_ptr_array_index(cmd->env, i);
        const char *eq = strchr(e, '=');
        g_autofree char *name = eq ? g_strndup(e, (gsize)(eq - e)) : g_strdup(e);

        if (eq)
            g_subprocess_launcher_setenv(l, name, eq + 1, TRUE);
        else
            g_subprocess_launcher_unsetenv(l, name);
    }
    if (cmd->cwd)
        g_subprocess_launcher_set_cwd(l, cmd->cwd);
    for (guint i = 0; i < cmd->fds->len; i++) {
        PassedFd *p = &g_array_index(cmd->fds, PassedFd, i);
        g_subprocess_launcher_take_fd(l, p->fd, p->child_fd);
    }
    g_array_set_size(cmd->fds, 0);
    return l;
}

typedef struct {
    GSubprocess *proc;
    GCancellable *cancel;
    gboolean done;
    gboolean timed_out;
    GBytes *out;
    GBytes *err;
    GError *error;
} Comm;

static void
comm_done(GObject *source, GAsyncResult *res, gpointer data)
{
    Comm *c = data;

    (void)g_subprocess_communicate_finish(c->proc, res, &c->out, &c->err, &c->error);
    c->done = TRUE;
}

static gboolean
comm_timeout(gpointer data)
{
    Comm *c = data;

    c->timed_out = TRUE;
    g_subprocess_force_exit(c->proc);
    /* A grandchild may still hold the pipes open: stop reading them. */
    g_cancellable_cancel(c->cancel);
    return G_SOURCE_REMOVE;
}

/* Feeds input, collects output and waits for the exit, in a private main
 * context so that it works from any thread and never runs the caller's
 * sources. */
static void
communicate(CoreCommand *cmd, Comm *c)
{
    g_autoptr(GMainContext) ctx = g_main_context_new();
    GSource *timer = NULL;

    g_main_context_push_thread_default(ctx);
    g_subprocess_communicate_async(c->proc, cmd->input, c->cancel, comm_done, c);
    if (cmd->timeout_ms) {
        timer = g_timeout_source_new(cmd->timeout_ms);
        g_source_set_callback(timer, comm_timeout, c, NULL);
        g_source_attach(timer, ctx);
    }
    while (!c->done)
        g_main_context_iteration(ctx, TRUE);
    if (timer) {
        g_source_destroy(timer);
        g_source_unref(timer);
    }
    /* Reaps the child; after a kill this returns at once. */
    (void)g_subprocess_wait(c->proc, NULL, NULL);
    g_main_context_pop_thread_default(ctx);
}

/* Adds a trailing NUL so the captured output can be used as a string. */
static GBytes *
nul_terminated(GBytes *bytes)
{
    gsize len = 0;
    const guint8 *data = bytes ? g_bytes_get_data(bytes, &len) : NULL;
    guint8 *copy = g_malloc(len + 1);

    if (len)
        memcpy(copy, data, len);
    copy[len] = 0;
    return g_bytes_new_take(copy, len + 1);
}

/* Error detail: ": <last line(s) of stderr>" or "". */
static char *
stderr_tail(const CoreCommand *cmd)
{
    gsize len = 0;
    const char *err = core_command_get_stderr(cmd, &len);
    g_autofree char *tail = g_strdup(len > STDERR_TAIL ? err + len - STDERR_TAIL : err);

    g_strstrip(tail);
    return *tail ? g_strdup_printf(": %s", tail) : g_strdup("");
}

static gboolean
check_status(CoreCommand *cmd, GSubprocess *proc, const Comm *c, int *ret_exit_status,
             GError **error)
{
    g_autofree char *line = core_command_to_string(cmd);
    g_autofree char *tail = stderr_tail(cmd);

    if (c->timed_out)
        return core_error_set(error, CORE_ERR_OPERATION_TIMEOUT,
                              "'%s' did not finish within %u ms, killed", line, cmd->timeout_ms);
    if (!g_subprocess_get_if_exited(proc))
        return core_error_set(error, CORE_ERR_OPERATION_FAILED, "'%s' was killed by signal %d%s",
                              line, g_subprocess_get_term_sig(proc), tail);
    if (ret_exit_status) {
        *ret_exit_status = g_subprocess_get_exit_status(proc);
        return TRUE;
    }
    if (g_subprocess_get_exit_status(proc) != 0)
        return core_error_set(error, CORE_ERR_OPERATION_FAILED, "'%s' exited with status %d%s",
                              line, g_subprocess_get_exit_status(proc), tail);
    return TRUE;
}

gboolean
core_command_run(CoreCommand *cmd, int *ret_exit_status, GError **error)
{
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GCancellable) cancel = g_cancellable_new();
    g_autoptr(GError) gerr = NULL;
    Comm c = { 0 };

    g_return_val_if_fail(!cmd->ran && cmd->argv->len > 0, FALSE);
    cmd->ran = TRUE;
    launcher = make_launcher(cmd);
    g_ptr_array_add(cmd->argv, NULL);
    proc = g_subprocess_launcher_spawnv(launcher, (const char *const *)cmd->argv->pdata, &gerr);
    g_ptr_array_set_size(cmd->argv, (gint)cmd->argv->len - 1);
    if (!proc)
        return core_error_set(error, CORE_ERR_SYSTEM_ERROR, "cannot execute '%s': %s",
                              (const char *)g_ptr_array_index(cmd->argv, 0), gerr->message);

    c.proc = proc;
    c.cancel = cancel;
    communicate(cmd, &c);
    cmd->out = nul_terminated(c.out);
    cmd->err = nul_terminated(c.err);
    g_clear_pointer(&c.out, g_bytes_unref);
    g_clear_pointer(&c.err, g_bytes_unref);
    if (c.error && !c.timed_out) {
        g_autofree char *line = core_command_to_string(cmd);

        core_error_set(error, CORE_ERR_SYSTEM_ERROR, "cannot talk to '%s': %s", line,
                       c.error->message);
        g_clear_error(&c.error);
        return FALSE;
    }
    g_clear_error(&c.error);
    return check_status(cmd, proc, &c, ret_exit_status, error);
}
