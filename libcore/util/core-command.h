/* core-command: running helper programs (qemu-img, dnsmasq, nft ...).
 *
 *     g_autoptr(CoreCommand) cmd = core_command_new_args("qemu-img", "info", path, NULL);
 *     if (!core_command_run(cmd, NULL, error))
 *         return FALSE;
 *     json = core_command_get_stdout(cmd);
 *
 * The child gets stdin from /dev/null (or the given input), its stdout and
 * stderr are captured, it inherits no descriptor but those passed with
 * core_command_pass_fd(), and it is killed when a timeout is set and runs
 * out. Errors quote the command line and the end of its stderr.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoreCommand CoreCommand;

/* (transfer full) A command running @argv[0] (looked up in PATH when it
 * has no '/') with the arguments @argv[1..]. */
CoreCommand *core_command_new(const char *const *argv);

/* (transfer full) Same, with the program and arguments as a NULL-terminated
 * list. */
CoreCommand *core_command_new_args(const char *prog, ...) G_GNUC_NULL_TERMINATED;

void core_command_free(CoreCommand *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreCommand, core_command_free)

/* Appends one argument (copied). */
void core_command_add_arg(CoreCommand *cmd, const char *arg);

/* Appends one formatted argument. */
void core_command_add_argf(CoreCommand *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Sets @name=@value in the child's environment (@value NULL unsets it). */
void core_command_set_env(CoreCommand *cmd, const char *name, const char *value);

/* The child starts from an empty environment instead of the caller's;
 * core_command_set_env() then adds to it. */
void core_command_clear_env(CoreCommand *cmd);

/* Runs the child in @dir. */
void core_command_set_cwd(CoreCommand *cmd, const char *dir);

/* Feeds @data (copied; @len -1 for a string) to the child's stdin. */
void core_command_set_input(CoreCommand *cmd, const char *data, gssize len);

/* Kills the child (SIGKILL) when it runs longer than @timeout_ms; 0 means
 * no limit (the default). */
void core_command_set_timeout(CoreCommand *cmd, guint timeout_ms);

/* Gives the child @fd (ownership passes to @cmd) as descriptor @child_fd. */
void core_command_pass_fd(CoreCommand *cmd, int fd, int child_fd);

/**
 * core_command_run:
 * @cmd: the command; it runs once
 * @ret_exit_status: (out) (optional): the exit status. When NULL, any
 *     status but 0 is an error.
 * @error: CORE_ERR_SYSTEM_ERROR when the program cannot be started,
 *     CORE_ERR_OPERATION_FAILED when it exits non-zero (and
 *     @ret_exit_status is NULL), is killed by a signal or times out
 *     (CORE_ERR_OPERATION_TIMEOUT)
 * Returns: TRUE when the child ran and exited (with status 0 unless
 *     @ret_exit_status is given).
 */
gboolean core_command_run(CoreCommand *cmd, int *ret_exit_status, GError **error);

/* (transfer none) Captured stdout/stderr of the last run, NUL-terminated,
 * "" before a run. The length excludes the NUL. */
const char *core_command_get_stdout(const CoreCommand *cmd, gsize *ret_len);
const char *core_command_get_stderr(const CoreCommand *cmd, gsize *ret_len);

/* (transfer full) The command line, shell-quoted, with the environment
 * changes in front ("LC_ALL=C qemu-img info '/a b'"), for logs and errors. */
char *core_command_to_string(const CoreCommand *cmd);

G_END_DECLS
