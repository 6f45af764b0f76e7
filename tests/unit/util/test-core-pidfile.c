/* Unit tests for core-pidfile: exclusive hold within a process and across
 * processes, the other pid reported, take-over of a stale file. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-error.h"
#include "core-file.h"
#include "core-pidfile.h"

typedef struct {
    char *dir;
    char *path;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("vireo-test-pidfile-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->path = g_build_filename(f->dir, "testd.pid", NULL);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    g_assert_true(core_file_remove_tree(f->dir, NULL));
    g_free(f->path);
    g_free(f->dir);
}

static void
test_acquire_release(Fixture *f, gconstpointer data)
{
    g_autoptr(CorePidfile) pf = NULL;
    g_autofree char *content = NULL;
    g_autofree char *want = g_strdup_printf("%d\n", (int)getpid());
    pid_t other = 123;

    g_assert_cmpint(core_pidfile_read_owner(f->path), ==, 0);
    pf = core_pidfile_acquire(f->path, &other, NULL);
    g_assert_nonnull(pf);
    g_assert_cmpint(other, ==, 0);
    g_assert_cmpstr(core_pidfile_get_path(pf), ==, f->path);
    g_assert_true(g_file_get_contents(f->path, &content, NULL, NULL));
    g_assert_cmpstr(content, ==, want);
    g_assert_cmpint(core_pidfile_read_owner(f->path), ==, getpid());

    g_clear_pointer(&pf, core_pidfile_release);
    g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(core_pidfile_read_owner(f->path), ==, 0);
}

static void
test_second_holder_refused(Fixture *f, gconstpointer data)
{
    g_autoptr(CorePidfile) first = core_pidfile_acquire(f->path, NULL, NULL);
    g_autoptr(CorePidfile) second = NULL;
    g_autoptr(CorePidfile) third = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *pidstr = g_strdup_printf("%d", (int)getpid());
    pid_t other = 0;

    /* OFD locks conflict even between two opens in one process. */
    g_assert_nonnull(first);
    second = core_pidfile_acquire(f->path, &other, &error);
    g_assert_null(second);
    g_assert_error(error, CORE_ERROR, CORE_ERR_OPERATION_FAILED);
    g_assert_cmpint(other, ==, getpid());
    g_assert_nonnull(strstr(error->message, f->path));
    g_assert_nonnull(strstr(error->message, pidstr));

    g_clear_pointer(&first, core_pidfile_release);
    third = core_pidfile_acquire(f->path, NULL, NULL);
    g_assert_nonnull(third);
}

static void
test_other_process(Fixture *f, gconstpointer data)
{
    g_autoptr(CorePidfile) pf = core_pidfile_acquire(f->path, NULL, NULL);
    int status = 0;
    pid_t child;

    g_assert_nonnull(pf);
    child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0) {
        pid_t other = 0;
        CorePidfile *mine = core_pidfile_acquire(f->path, &other, NULL);

        _exit(mine == NULL && other == getppid() ? 0 : 1);
    }
    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);

    /* And the other way round: a child holding it, the parent refused. */
    g_clear_pointer(&pf, core_pidfile_release);
    {
        int ready[2];
        char c = 0;
        pid_t other = 0;
        g_autoptr(GError) error = NULL;

        g_assert_cmpint(pipe(ready), ==, 0);
        child = fork();
        g_assert_cmpint(child, >=, 0);
        if (child == 0) {
            CorePidfile *held = core_pidfile_acquire(f->path, NULL, NULL);

            (void)!write(ready[1], held ? "y" : "n", 1);
            pause();
            _exit(0);
        }
        g_assert_cmpint(read(ready[0], &c, 1), ==, 1);
        g_assert_cmpint(c, ==, 'y');
        g_assert_null(core_pidfile_acquire(f->path, &other, &error));
        g_assert_cmpint(other, ==, child);
        g_assert_cmpint(core_pidfile_read_owner(f->path), ==, child);

        /* When the holder dies the kernel drops its lock; the file it
         * left behind is taken over. */
        g_assert_cmpint(kill(child, SIGKILL), ==, 0);
        g_assert_cmpint(waitpid(child, &status, 0), ==, child);
        g_assert_true(g_file_test(f->path, G_FILE_TEST_EXISTS));
        g_assert_cmpint(core_pidfile_read_owner(f->path), ==, 0);
        pf = core_pidfile_acquire(f->path, NULL, NULL);
        g_assert_nonnull(pf);
        g_assert_cmpint(core_pidfile_read_owner(f->path), ==, getpid());
        g_close(ready[0], NULL);
        g_close(ready[1], NULL);
    }
}

static void
test_stale_content(Fixture *f, gconstpointer data)
{
    g_autoptr(CorePidfile) pf = NULL;
    g_autofree char *content = NULL;
    g_autofree char *want = g_strdup_printf("%d\n", (int)getpid());

    g_assert_true(g_file_set_contents(f->path, "99999999 and some longer junk\n", -1, NULL));
    pf = core_pidfile_acquire(f->path, NULL, NULL);
    g_assert_nonnull(pf);
    g_assert_true(g_file_get_contents(f->path, &content, NULL, NULL));
    g_assert_cmpstr(content, ==, want);
}

static void
test_bad_dir(void)
{
    g_autoptr(GError) error = NULL;

    g_assert_null(core_pidfile_acquire("/nonexistent-dir/x.pid", NULL, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(error->message, "/nonexistent-dir/x.pid"));
    g_assert_cmpint(core_pidfile_read_owner("/nonexistent-dir/x.pid"), ==, 0);
}

#define ADD(name, fn) g_test_add("/util/pidfile/" name, Fixture, NULL, fixture_setup, fn, \
                                 fixture_teardown)

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("acquire-release", test_acquire_release);
    ADD("second-holder-refused", test_second_holder_refused);
    ADD("other-process", test_other_process);
    ADD("stale-content", test_stale_content);
    g_test_add_func("/util/pidfile/bad-dir", test_bad_dir);
    return g_test_run();
}
