/* Unit tests for core-autoptr.h: the cleanups run and free what they own
 * (leaks show up under LeakSanitizer), and core_autofd closes. */
#include <fcntl.h>
#include <unistd.h>

#include "core-autoptr.h"

static void
test_xml(void)
{
    g_autoptr(xmlDoc) doc = xmlReadMemory("<a><b/><b/></a>", 15, "t.xml", NULL, 0);
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlXPathObject) obj = NULL;

    g_assert_nonnull(doc);
    ctxt = xmlXPathNewContext(doc);
    obj = xmlXPathEvalExpression(BAD_CAST "count(/a/b)", ctxt);
    g_assert_nonnull(obj);
    g_assert_cmpfloat(obj->floatval, ==, 2.0);
}

static void
test_json(void)
{
    g_autoptr(json_object) obj = json_tokener_parse("{\"a\": [1, 2]}");
    g_autoptr(json_object) null_obj = NULL;
    json_object *arr = NULL;

    g_assert_nonnull(obj);
    g_assert_true(json_object_object_get_ex(obj, "a", &arr));
    g_assert_cmpint(json_object_array_length(arr), ==, 2);
    g_assert_null(null_obj);
}

static int
open_and_leave(void)
{
    core_autofd int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static void
test_autofd(void)
{
    int stale = open_and_leave();
    core_autofd int kept = -1;
    int fd;

    /* The scope's cleanup closed it. */
    g_assert_cmpint(fcntl(stale, F_GETFD), ==, -1);

    {
        core_autofd int inner = open("/dev/null", O_RDONLY | O_CLOEXEC);
        kept = g_steal_fd(&inner);
        g_assert_cmpint(inner, ==, -1);
    }
    g_assert_cmpint(fcntl(kept, F_GETFD), >=, 0);

    fd = kept;
    errno = EBADMSG;
    g_assert_true(core_clear_fd(&kept));
    g_assert_cmpint(errno, ==, EBADMSG);
    g_assert_cmpint(kept, ==, -1);
    g_assert_cmpint(fcntl(fd, F_GETFD), ==, -1);
    g_assert_true(core_clear_fd(&kept));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/autoptr/xml", test_xml);
    g_test_add_func("/util/autoptr/json", test_json);
    g_test_add_func("/util/autoptr/autofd", test_autofd);
    return g_test_run();
}
