/* Unit tests for core-file, including the failure paths: read-only
 * directory (as an unprivileged user when run as root), rename failure,
 * size limit, and readers never seeing a half-written file. */
#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core-error.h"
#include "core-file.h"

#define NOBODY 65534

typedef struct {
    char *dir;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("vireo-test-file-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    /* Reachable by the unprivileged user of the read-only test. */
    g_assert_cmpint(chmod(f->dir, 0755), ==, 0);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    g_assert_true(core_file_remove_tree(f->dir, NULL));
    g_assert_false(g_file_test(f->dir, G_FILE_TEST_EXISTS));
    g_free(f->dir);
}

static char *
path_in(Fixture *f, const char *name)
{
    return g_build_filename(f->dir, name, NULL);
}

static guint
count_entries(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    guint n = 0;

    g_assert_nonnull(d);
    while (g_dir_read_name(d))
        n++;
    return n;
}

static void
test_write_read(Fixture *f, gconstpointer data)
{
    g_autofree char *path = path_in(f, "a.xml");
    g_autofree char *content = NULL;
    gsize len = 0;
    struct stat st;

    g_assert_true(core_file_write_atomic(path, "<a/>\n", -1, 0600, NULL));
    g_assert_true(core_file_read_all(path, 1024, &content, &len, NULL));
    g_assert_cmpstr(content, ==, "<a/>\n");
    g_assert_cmpuint(len, ==, 5);
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 07777, ==, 0600);

    /* Replacing applies the new mode exactly, whatever the umask. */
    g_clear_pointer(&content, g_free);
    g_assert_true(core_file_write_atomic(path, "x\0y", 3, 0644, NULL));
    g_assert_true(core_file_read_all(path, 1024, &content, &len, NULL));
    g_assert_cmpmem(content, len, "x\0y", 3);
    g_assert_cmpint(content[3], ==, '\0');
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 07777, ==, 0644);
    g_assert_cmpuint(count_entries(f->dir), ==, 1);
}

static void
test_read_limits(Fixture *f, gconstpointer data)
{
    g_autofree char *path = path_in(f, "ten");
    g_autofree char *content = NULL;
    g_autofree char *missing = path_in(f, "missing");
    g_autoptr(GError) error = NULL;

    g_assert_true(core_file_write_atomic(path, "0123456789", -1, 0644, NULL));
    g_assert_true(core_file_read_all(path, 10, &content, NULL, NULL));
    g_assert_false(core_file_read_all(path, 9, &content, NULL, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_OPERATION_FAILED);
    g_assert_nonnull(strstr(error->message, path));
    g_clear_error(&error);

    g_assert_false(core_file_read_all(missing, 10, &content, NULL, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(error->message, missing));
    g_assert_nonnull(strstr(error->message, g_strerror(ENOENT)));
    g_clear_error(&error);

    /* stat() says 0 bytes for /proc files: reading goes until EOF. */
    g_clear_pointer(&content, g_free);
    g_assert_true(core_file_read_all("/proc/self/status", 1 << 20, &content, NULL, NULL));
    g_assert_nonnull(strstr(content, "Pid:"));
}

static void
readonly_child(Fixture *f)
{
    g_autofree char *ro = path_in(f, "ro");
    g_autofree char *target = g_build_filename(ro, "def.xml", NULL);
    g_autofree char *sub = g_build_filename(ro, "sub", NULL);
    g_autoptr(GError) error = NULL;

    if (geteuid() == 0) {
        g_assert_cmpint(setgroups(0, NULL), ==, 0);
        g_assert_cmpint(setresgid(NOBODY, NOBODY, NOBODY), ==, 0);
        g_assert_cmpint(setresuid(NOBODY, NOBODY, NOBODY), ==, 0);
    }
    g_assert_false(core_file_write_atomic(target, "<new/>", -1, 0644, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(error->message, target));
    g_clear_error(&error);

    g_assert_false(core_file_mkdir_p(sub, 0755, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(error->message, sub));
    g_clear_error(&error);

    g_assert_false(core_file_remove(target, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
}

static void
test_readonly_dir(Fixture *f, gconstpointer data)
{
    g_autofree char *ro = path_in(f, "ro");
    g_autofree char *target = g_build_filename(ro, "def.xml", NULL);
    g_autofree char *content = NULL;
    int status = 0;
    pid_t pid;

    g_assert_true(core_file_mkdir_p(ro, 0755, NULL));
    g_assert_true(core_file_write_atomic(target, "<old/>", -1, 0644, NULL));
    g_assert_cmpint(chmod(ro, 0555), ==, 0);

    /* A plain fork: the child drops privileges and must not run the
     * fixture teardown; a failed assertion there aborts it. */
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        readonly_child(f);
        _exit(0);
    }
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);

    g_assert_true(core_file_read_all(target, 64, &content, NULL, NULL));
    g_assert_cmpstr(content, ==, "<old/>");
    g_assert_cmpuint(count_entries(ro), ==, 1);
    g_assert_cmpint(chmod(ro, 0755), ==, 0);
}

static void
test_rename_failure_cleans(Fixture *f, gconstpointer data)
{
    g_autofree char *target = path_in(f, "busy");
    g_autofree char *inside = g_build_filename(target, "keep", NULL);
    g_autoptr(GError) error = NULL;

    /* A non-empty directory at the target makes rename() fail after the
     * temp file was written: it must be cleaned up. */
    g_assert_true(core_file_mkdir_p(target, 0755, NULL));
    g_assert_true(core_file_write_atomic(inside, "k", -1, 0644, NULL));
    g_assert_false(core_file_write_atomic(target, "data", -1, 0644, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(error->message, "cannot rename"));
    g_assert_cmpuint(count_entries(f->dir), ==, 1);

    g_clear_error(&error);
    g_assert_false(core_file_write_atomic("/nonexistent-dir/x", "d", -1, 0644, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(error->message, "/nonexistent-dir/x"));
}

#define BIG (256 * 1024)

static gint writer_done;

static gpointer
writer_thread(gpointer data)
{
    const char *path = data;
    g_autofree char *a = g_malloc(BIG);
    g_autofree char *b = g_malloc(BIG);

    memset(a, 'a', BIG);
    memset(b, 'b', BIG);
    for (guint i = 0; i < 40; i++)
        g_assert_true(core_file_write_atomic(path, i % 2 ? a : b, BIG, 0644, NULL));
    g_atomic_int_set(&writer_done, 1);
    return NULL;
}

static void
test_no_partial_file(Fixture *f, gconstpointer data)
{
    g_autofree char *path = path_in(f, "big");
    GThread *writer;
    guint reads = 0;

    g_assert_true(core_file_write_atomic(path, "start", -1, 0644, NULL));
    writer = g_thread_new("writer", writer_thread, path);
    do {
        g_autofree char *content = NULL;
        gsize len = 0;

        g_assert_true(core_file_read_all(path, BIG, &content, &len, NULL));
        reads++;
        if (len == 5) {
            g_assert_cmpstr(content, ==, "start");
            continue; /* to the loop condition */
        }
        g_assert_cmpuint(len, ==, BIG);
        g_assert_cmpuint(strspn(content, content[0] == 'a' ? "a" : "b"), ==, BIG);
    } while (!g_atomic_int_get(&writer_done));
    g_thread_join(writer);
    g_assert_cmpuint(reads, >, 0);
    g_assert_cmpuint(count_entries(f->dir), ==, 1);
}

static void
test_mkdir_list_remove(Fixture *f, gconstpointer data)
{
    g_autofree char *deep = path_in(f, "x/y/z");
    g_autofree char *file = path_in(f, "x/y/file");
    g_autofree char *x = path_in(f, "x");
    g_autofree char *y = path_in(f, "x/y");
    g_autofree char *nodir = path_in(f, "nodir");
    g_auto(GStrv) all = NULL;
    g_auto(GStrv) xml = NULL;
    g_auto(GStrv) none = NULL;
    g_autoptr(GError) error = NULL;
    static const char *const names[] = { "b.xml", "a.xml", ".a.xml.XXXXXX", "c.conf" };

    g_assert_true(core_file_mkdir_p(deep, 0750, NULL));
    g_assert_true(core_file_mkdir_p(deep, 0750, NULL));
    g_assert_true(g_file_test(deep, G_FILE_TEST_IS_DIR));
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *p = g_build_filename(y, names[i], NULL);
        g_assert_true(g_file_set_contents(p, "x", 1, NULL));
    }

    all = core_file_list_dir(y, NULL, FALSE, NULL);
    g_assert_cmpstrv(all, ((const char *const[]){ "a.xml", "b.xml", "c.conf", "z", NULL }));
    xml = core_file_list_dir(y, ".xml", FALSE, NULL);
    g_assert_cmpstrv(xml, ((const char *const[]){ "a.xml", "b.xml", NULL }));
    none = core_file_list_dir(nodir, NULL, TRUE, NULL);
    g_assert_nonnull(none);
    g_assert_null(none[0]);
    g_assert_null(core_file_list_dir(nodir, NULL, FALSE, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_clear_error(&error);

    /* A file in the way of mkdir_p. */
    g_assert_true(g_file_set_contents(file, "x", 1, NULL));
    g_assert_false(core_file_mkdir_p(file, 0755, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_clear_error(&error);

    g_assert_true(core_file_remove(file, NULL));
    g_assert_true(core_file_remove(file, NULL));
    g_assert_false(core_file_remove(x, &error));
    g_assert_error(error, CORE_ERROR, CORE_ERR_SYSTEM_ERROR);
    g_assert_true(core_file_remove_tree(x, NULL));
    g_assert_false(g_file_test(x, G_FILE_TEST_EXISTS));
}

#define ADD(name, fn) g_test_add("/util/file/" name, Fixture, NULL, fixture_setup, fn, \
                                 fixture_teardown)

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("write-read", test_write_read);
    ADD("read-limits", test_read_limits);
    ADD("readonly-dir", test_readonly_dir);
    ADD("rename-failure-cleans", test_rename_failure_cleans);
    ADD("no-partial-file", test_no_partial_file);
    ADD("mkdir-list-remove", test_mkdir_list_remove);
    return g_test_run();
}
