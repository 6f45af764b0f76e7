/* Unit tests for core-command: status, capture, input, environment,
 * descriptors, signals, timeouts and error messages. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "core-command.h"
#include "core-error.h"

static void
test_status(void)
{
    g_autoptr(CoreCommand) t = core_command_new_args("true", NULL);
    g_autoptr(CoreCommand) f = core_command_new_args("false", NULL);
    g_autoptr(CoreCommand) f2 = core_command_new_args("sh", "-c", "echo oops >&2; exit 3", NULL);
    g_autoptr(GError) error = NULL;
    int status = -1;

    g_assert_true(core_command_run(t, NULL, NULL));
    g_assert_false(core_command_run(f, NULL, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_OPERATION_FAILED);
    g_assert_nonnull(strstr(error->message, "'false' exited with status 1"));
    g_clear_error(&error);

    g_assert_true(core_command_run(f2, &status, &error));
    g_assert_no_error(error);
    g_assert_cmpint(status, ==, 3);
    g_assert_cmpstr(core_command_get_stderr(f2, NULL), ==, "oops\n");
}

static void
test_error_quotes_stderr(void)
{
    g_autoptr(CoreCommand) cmd =
        core_command_new_args("sh", "-c", "echo 'qemu-img: Could not open x' >&2; exit 1", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_false(core_command_run(cmd, NULL, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_OPERATION_FAILED);
    g_assert_nonnull(strstr(error->message, "exited with status 1: qemu-img: Could not open x"));
    g_assert_nonnull(strstr(error->message, "sh -c 'echo"));
}

static void
test_capture_and_input(void)
{
    g_autoptr(CoreCommand) cmd = core_command_new_args("sh", "-c", "echo out; echo err >&2", NULL);
    g_autoptr(CoreCommand) cat = core_command_new_args("cat", NULL);
    g_autoptr(CoreCommand) big = core_command_new_args("cat", NULL);
    g_autofree char *data = g_malloc(1 << 20);
    gsize len = 0;

    g_assert_cmpstr(core_command_get_stdout(cmd, NULL), ==, "");
    g_assert_true(core_command_run(cmd, NULL, NULL));
    g_assert_cmpstr(core_command_get_stdout(cmd, &len), ==, "out\n");
    g_assert_cmpuint(len, ==, 4);
    g_assert_cmpstr(core_command_get_stderr(cmd, NULL), ==, "err\n");

    core_command_set_input(cat, "hello\0world", 11);
    g_assert_true(core_command_run(cat, NULL, NULL));
    g_assert_cmpmem(core_command_get_stdout(cat, &len), len, "hello\0world", 11);

    /* More than a pipe buffer each way: no deadlock. */
    for (guint i = 0; i < (1 << 20); i++)
        data[i] = (char)('a' + i % 26);
    core_command_set_input(big, data, 1 << 20);
    g_assert_true(core_command_run(big, NULL, NULL));
    g_assert_cmpmem(core_command_get_stdout(big, &len), len, data, 1 << 20);
}

static void
test_env_and_cwd(void)
{
    g_autoptr(CoreCommand) cmd = core_command_new_args("sh", "-c", "echo \"$VIREO_X:$HOME\"", NULL);
    g_autoptr(CoreCommand) clean = core_command_new_args("/usr/bin/env", NULL);
    g_autoptr(CoreCommand) cwd = core_command_new_args("pwd", NULL);
    g_autofree char *line = NULL;

    core_command_set_env(cmd, "VIREO_X", "a b");
    core_command_set_env(cmd, "HOME", NULL);
    g_assert_true(core_command_run(cmd, NULL, NULL));
    g_assert_cmpstr(core_command_get_stdout(cmd, NULL), ==, "a b:\n");
    line = core_command_to_string(cmd);
    g_assert_cmpstr(line, ==, "VIREO_X='a b' -u HOME sh -c 'echo \"$VIREO_X:$HOME\"'");

    core_command_clear_env(clean);
    core_command_set_env(clean, "ONLY", "1");
    g_assert_true(core_command_run(clean, NULL, NULL));
    g_assert_cmpstr(core_command_get_stdout(clean, NULL), ==, "ONLY=1\n");

    core_command_set_cwd(cwd, "/proc");
    g_assert_true(core_command_run(cwd, NULL, NULL));
    g_assert_cmpstr(core_command_get_stdout(cwd, NULL), ==, "/proc\n");
}

static void
test_fds(void)
{
    g_autoptr(CoreCommand) leak = NULL;
    g_autoptr(CoreCommand) pass = core_command_new_args("sh", "-c", "echo via-fd >&3", NULL);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    /* Deliberately without FD_CLOEXEC, and high enough that the child's
     * own descriptors cannot be mistaken for it. */
    int stray = fcntl(devnull, F_DUPFD, 200);
    int p[2];
    char buf[16] = { 0 };
    int status = -1;

    g_assert_cmpint(stray, >=, 0);
    leak = core_command_new_args("test", "-e", NULL);
    core_command_add_argf(leak, "/proc/self/fd/%d", stray);
    g_assert_true(core_command_run(leak, &status, NULL));
    g_assert_cmpint(status, ==, 1);
    g_close(stray, NULL);
    g_close(devnull, NULL);

    g_assert_true(g_unix_open_pipe(p, FD_CLOEXEC, NULL));
    core_command_pass_fd(pass, p[1], 3);
    g_assert_true(core_command_run(pass, NULL, NULL));
    g_assert_cmpint(read(p[0], buf, sizeof(buf) - 1), ==, 7);
    g_assert_cmpstr(buf, ==, "via-fd\n");
    g_close(p[0], NULL);
}

static void
test_failures(void)
{
    g_autoptr(CoreCommand) missing = core_command_new_args("vireo-no-such-program", "x", NULL);
    g_autoptr(CoreCommand) killed = core_command_new_args("sh", "-c", "kill -TERM $$", NULL);
    g_autoptr(GError) error = NULL;
    int status = -1;

    g_assert_false(core_command_run(missing, NULL, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(error->message, "cannot execute 'vireo-no-such-program'"));
    g_clear_error(&error);

    g_assert_false(core_command_run(killed, &status, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_OPERATION_FAILED);
    g_assert_nonnull(strstr(error->message, "killed by signal 15"));
}

static void
test_timeout(void)
{
    g_autoptr(CoreCommand) slow = core_command_new_args("sleep", "10", NULL);
    g_autoptr(CoreCommand) orphan =
        core_command_new_args("sh", "-c", "sleep 3 & sleep 10", NULL);
    g_autoptr(CoreCommand) quick = core_command_new_args("true", NULL);
    g_autoptr(GError) error = NULL;
    gint64 start = g_get_monotonic_time();

    core_command_set_timeout(slow, 200);
    g_assert_false(core_command_run(slow, NULL, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_OPERATION_TIMEOUT);
    g_assert_nonnull(strstr(error->message, "'sleep 10' did not finish within 200 ms"));
    g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_USEC_PER_SEC);
    g_clear_error(&error);

    /* The grandchild keeps the output pipe open after the kill. */
    start = g_get_monotonic_time();
    core_command_set_timeout(orphan, 200);
    g_assert_false(core_command_run(orphan, NULL, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_OPERATION_TIMEOUT);
    g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_USEC_PER_SEC);

    core_command_set_timeout(quick, 5000);
    g_assert_true(core_command_run(quick, NULL, NULL));
}

int
main(int argc, char **argv)
{
    /* Daemons ignore SIGPIPE; feeding input to a child that exits early
     * must not kill the test either. */
    signal(SIGPIPE, SIG_IGN);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/command/status", test_status);
    g_test_add_func("/util/command/error-quotes-stderr", test_error_quotes_stderr);
    g_test_add_func("/util/command/capture-and-input", test_capture_and_input);
    g_test_add_func("/util/command/env-and-cwd", test_env_and_cwd);
    g_test_add_func("/util/command/fds", test_fds);
    g_test_add_func("/util/command/failures", test_failures);
    g_test_add_func("/util/command/timeout", test_timeout);
    return g_test_run();
}
